// Package operator implements Python's operator module: the operator functions,
// itemgetter, attrgetter and methodcaller.
package operator

import (
	"strings"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/syntax"
)

func binary(name string, tok syntax.Token) *interp.Builtin {
	return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		if len(args) != 2 {
			th.TypeError("%s expected 2 arguments, got %d", name, len(args))
		}
		return interp.Binary(th, tok, args[0], args[1])
	})
}

func comparison(name, sym string) *interp.Builtin {
	return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		if len(args) != 2 {
			th.TypeError("%s expected 2 arguments, got %d", name, len(args))
		}
		switch sym {
		case "==":
			return interp.MakeBool(interp.Equal(th, args[0], args[1]))
		case "!=":
			return interp.MakeBool(!interp.Equal(th, args[0], args[1]))
		}
		return interp.MakeBool(interp.CompareOp(th, args[0], args[1], sym))
	})
}

func unary(name string, f func(th *interp.Thread, v interp.Value) interp.Value) *interp.Builtin {
	return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		if len(args) != 1 {
			th.TypeError("%s() takes exactly one argument (%d given)", name, len(args))
		}
		return f(th, args[0])
	})
}

// getter is itemgetter / attrgetter / methodcaller.
type getter struct {
	kind  string // "item", "attr", "method"
	items []interp.Value
	name  string
	args  []interp.Value
	kw    []interp.KV
}

var getterClass = interp.NewBuiltinClass("operator.getter")

func (*getter) Class() *interp.Class { return getterClass }

func (g *getter) one(th *interp.Thread, obj, k interp.Value) interp.Value {
	if g.kind == "item" {
		return interp.GetItem(th, obj, k)
	}
	for _, part := range strings.Split(string(k.(interp.Str)), ".") {
		obj = interp.GetAttr(th, obj, part)
	}
	return obj
}

func (g *getter) CallJac(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	if len(args) != 1 {
		th.TypeError("%sgetter expected 1 argument, got %d", g.kind, len(args))
	}
	if g.kind == "method" {
		return th.Call(interp.GetAttr(th, args[0], g.name), g.args, g.kw)
	}
	if len(g.items) == 1 {
		return g.one(th, args[0], g.items[0])
	}
	out := make(interp.Tuple, len(g.items))
	for i, k := range g.items {
		out[i] = g.one(th, args[0], k)
	}
	return out
}

func (g *getter) ReprJac(th *interp.Thread) string {
	var parts []string
	if g.kind == "method" {
		parts = append(parts, interp.Repr(th, interp.Str(g.name)))
		for _, a := range g.args {
			parts = append(parts, interp.Repr(th, a))
		}
		for _, a := range g.kw {
			parts = append(parts, a.Name+"="+interp.Repr(th, a.Value))
		}
		return "operator.methodcaller(" + strings.Join(parts, ", ") + ")"
	}
	for _, a := range g.items {
		parts = append(parts, interp.Repr(th, a))
	}
	return "operator." + g.kind + "getter(" + strings.Join(parts, ", ") + ")"
}

func init() {
	interp.RegisterModule("operator", func() *interp.Module {
		m := interp.NewModule("operator")
		bins := map[string]syntax.Token{"add": syntax.PLUS, "sub": syntax.MINUS, "mul": syntax.STAR, "truediv": syntax.SLASH,
			"floordiv": syntax.DSLASH, "mod": syntax.PERCENT, "pow": syntax.DSTAR, "and_": syntax.AMP, "or_": syntax.PIPE,
			"xor": syntax.CARET, "lshift": syntax.LSHIFT, "rshift": syntax.RSHIFT, "concat": syntax.PLUS, "matmul": syntax.AT}
		for n, t := range bins {
			m.Set(n, binary(n, t))
			m.Set("__"+strings.TrimSuffix(n, "_")+"__", binary(n, t))
		}
		iops := map[string]syntax.Token{"iadd": syntax.PLUS_EQ, "isub": syntax.MINUS_EQ, "imul": syntax.STAR_EQ}
		for n, t := range iops {
			n, t := n, t
			m.Set(n, interp.NewBuiltin(n, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
				if len(args) != 2 {
					th.TypeError("%s expected 2 arguments, got %d", n, len(args))
				}
				return interp.InPlace(th, t, args[0], args[1])
			}))
		}
		for n, s := range map[string]string{"lt": "<", "le": "<=", "gt": ">", "ge": ">=", "eq": "==", "ne": "!="} {
			m.Set(n, comparison(n, s))
			m.Set("__"+n+"__", comparison(n, s))
		}
		m.Set("neg", unary("neg", func(th *interp.Thread, v interp.Value) interp.Value { return interp.Unary(th, syntax.MINUS, v) }))
		m.Set("pos", unary("pos", func(th *interp.Thread, v interp.Value) interp.Value { return interp.Unary(th, syntax.PLUS, v) }))
		m.Set("invert", unary("invert", func(th *interp.Thread, v interp.Value) interp.Value { return interp.Unary(th, syntax.TILDE, v) }))
		m.Set("inv", unary("inv", func(th *interp.Thread, v interp.Value) interp.Value { return interp.Unary(th, syntax.TILDE, v) }))
		m.Set("not_", unary("not_", func(th *interp.Thread, v interp.Value) interp.Value { return interp.MakeBool(!interp.Truth(th, v)) }))
		m.Set("truth", unary("truth", func(th *interp.Thread, v interp.Value) interp.Value { return interp.MakeBool(interp.Truth(th, v)) }))
		m.Set("abs", unary("abs", func(th *interp.Thread, v interp.Value) interp.Value {
			if interp.CompareOp(th, v, interp.MakeInt(0), "<") {
				return interp.Unary(th, syntax.MINUS, v)
			}
			return v
		}))
		m.Set("index", unary("index", func(th *interp.Thread, v interp.Value) interp.Value { return interp.MakeInt(interp.ToInt64(th, v)) }))
		m.Set("is_", interp.NewBuiltin("is_", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.MakeBool(interp.Identical(args[0], args[1]))
		}))
		m.Set("is_not", interp.NewBuiltin("is_not", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.MakeBool(!interp.Identical(args[0], args[1]))
		}))
		m.Set("contains", interp.NewBuiltin("contains", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.MakeBool(interp.Contains(th, args[0], args[1]))
		}))
		m.Set("countOf", interp.NewBuiltin("countOf", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			n := 0
			interp.Iterate(th, args[0], func(v interp.Value) bool {
				if interp.Equal(th, v, args[1]) {
					n++
				}
				return true
			})
			return interp.MakeInt(int64(n))
		}))
		m.Set("getitem", interp.NewBuiltin("getitem", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.GetItem(th, args[0], args[1])
		}))
		m.Set("setitem", interp.NewBuiltin("setitem", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			interp.SetItem(th, args[0], args[1], args[2])
			return interp.None
		}))
		m.Set("delitem", interp.NewBuiltin("delitem", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			interp.DelItem(th, args[0], args[1])
			return interp.None
		}))
		m.Set("itemgetter", interp.NewBuiltin("itemgetter", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) == 0 {
				th.TypeError("itemgetter expected 1 argument, got 0")
			}
			return &getter{kind: "item", items: append([]interp.Value{}, args...)}
		}))
		m.Set("attrgetter", interp.NewBuiltin("attrgetter", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) == 0 {
				th.TypeError("attrgetter expected 1 argument, got 0")
			}
			for _, a := range args {
				if _, ok := a.(interp.Str); !ok {
					th.TypeError("attribute name must be a string")
				}
			}
			return &getter{kind: "attr", items: append([]interp.Value{}, args...)}
		}))
		m.Set("methodcaller", interp.NewBuiltin("methodcaller", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) == 0 {
				th.TypeError("methodcaller needs at least one argument, the method name")
			}
			name, ok := args[0].(interp.Str)
			if !ok {
				th.TypeError("method name must be a string")
			}
			return &getter{kind: "method", name: string(name), args: append([]interp.Value{}, args[1:]...), kw: append([]interp.KV{}, kw...)}
		}))
		return m
	})
}
