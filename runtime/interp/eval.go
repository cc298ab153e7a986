package interp

import (
	"strings"

	"github.com/jacscale/jac/runtime/syntax"
)

// eval, exec and locals. The code given to eval and exec is Jac (for eval, an
// expression, which for everyday expressions reads the same as Python's).

// frameLocals is the calling function's locals by name (cells unwrapped).
func (th *Thread) frameLocals() *Dict { return localsOf(th.frame) }

// localsOf is a frame's own locals by name.
func localsOf(fr *Frame) *Dict {
	d := NewDict()
	if fr == nil || fr.code == nil {
		return d
	}
	for slot, name := range fr.code.LocalNames {
		if name == "" || slot >= len(fr.locals) || fr.locals[slot] == nil {
			continue
		}
		v := fr.locals[slot]
		if c, ok := v.(*Cell); ok {
			if c.V == nil {
				continue
			}
			v = c.V
		}
		d.SetStr(name, v)
	}
	return d
}

// callerGlobals is the calling code's module namespace as a dict.
func (th *Thread) callerGlobals() *Dict {
	d := NewDict()
	if th.frame != nil && th.frame.fn != nil && th.frame.fn.module != nil {
		m := th.frame.fn.module
		for _, n := range m.Names() {
			if v, ok := m.Get(n); ok && v != nil {
				d.SetStr(n, v)
			}
		}
	}
	return d
}

// runSource compiles src as the body of a scratch module whose globals are
// the given namespaces (locals over globals), runs it and writes the module's
// names back into globals. For eval, src is an expression and its value is
// returned.
func (th *Thread) runSource(fname, src string, isExpr bool, args []Value) Value {
	checkArgs(th, fname, args[1:], 0, 2)
	var globals, locals *Dict
	if len(args) > 1 && args[1] != None {
		g, ok := args[1].(*Dict)
		if !ok {
			th.TypeError("%s() globals must be a dict", fname)
		}
		globals = g
	}
	if len(args) > 2 && args[2] != None {
		l, ok := args[2].(*Dict)
		if !ok {
			th.TypeError("%s() locals must be a mapping", fname)
		}
		locals = l
	}
	if globals == nil {
		globals = th.callerGlobals()
		if locals == nil {
			locals = th.frameLocals()
		}
	}
	code := strings.TrimSpace(src)
	wrapped := "with entry {\n" + code + "\n}\n"
	if isExpr {
		wrapped = "glob __eval_result__ = (\n" + code + "\n);\n"
	}
	ast, err := syntax.Parse("<string>", wrapped)
	if err != nil {
		th.Raise(SyntaxErrorClass, "%s", strings.TrimPrefix(err.Error(), "<string>:"))
	}
	mod := NewModule("<string>")
	mod.File = "<string>"
	if th.Prog != nil {
		mod.prog = th.Prog
	}
	for _, ns := range []*Dict{globals, locals} {
		if ns == nil {
			continue
		}
		for _, it := range ns.Items() {
			if k, ok := it.Key.(Str); ok {
				mod.Set(string(k), it.Value)
			}
		}
	}
	c := &compiler{prog: th.Prog, mod: mod, file: "<string>"}
	var body *Code
	func() {
		defer func() {
			if r := recover(); r != nil {
				if se, ok := r.(*syntax.Error); ok {
					th.Raise(SyntaxErrorClass, "%s", se.Error())
				}
				panic(r)
			}
		}()
		body = c.compileModule(ast)
	}()
	th.runModuleCode(mod, body)
	if isExpr {
		v, _ := mod.Get("__eval_result__")
		return v
	}
	// exec's assignments: into the locals mapping if one was given, else the
	// globals dict, else (no namespaces given) the caller's module
	var caller *Module
	if len(args) == 1 && th.frame != nil && th.frame.fn != nil {
		caller = th.frame.fn.module
	}
	for _, n := range mod.Names() {
		v, ok := mod.Get(n)
		if !ok || v == nil || n == "__name__" {
			continue
		}
		switch {
		case len(args) > 2 && locals != nil:
			locals.SetStr(n, v)
		case caller != nil:
			caller.Set(n, v)
		default:
			globals.SetStr(n, v)
		}
	}
	return None
}

func init() {
	def("eval", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "eval", args, 1, 3)
		return th.runSource("eval", string(mustStr(th, args[0], "eval() arg 1")), true, args)
	})
	def("exec", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "exec", args, 1, 3)
		return th.runSource("exec", string(mustStr(th, args[0], "exec() arg 1")), false, args)
	})
	def("locals", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "locals", args, 0, 0)
		if th.frame != nil && th.frame.code != nil && th.frame.code.LocalNames == nil {
			return th.callerGlobals() // module level: locals() is globals()
		}
		return th.frameLocals()
	})
}
