// Package enum adds Flag, IntFlag, auto for flags and unique to the core's enum
// module.
package enum

import (
	"math/bits"
	"strconv"
	"strings"
	"sync"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/internal/native"
	"github.com/jacscale/jac/runtime/syntax"
)

// enum.Flag, enum.IntFlag and a checking enum.unique. Members are made by the
// interpreter's enum machinery; the bitwise operators here combine them into
// (cached) pseudo-members named like CPython 3.12's ("R|W", "A|4").

var (
	flagClass = func() *interp.Class {
		c := interp.NewBuiltinClass("Flag", interp.EnumClass)
		c.Module = "enum"
		c.Kind = interp.KindClass // so that its __repr__/__format__ are used
		return c
	}()
	intFlagClass = func() *interp.Class {
		c := interp.NewBuiltinClass("IntFlag", flagClass)
		c.Module = "enum"
		c.Kind = interp.KindClass
		return c
	}()
)

var flagCache = struct {
	sync.Mutex
	m map[*interp.Class]map[int64]*interp.Instance
}{m: map[*interp.Class]map[int64]*interp.Instance{}}

func flagIsInt(c *interp.Class) bool { return c.IsSubclass(intFlagClass) }

// flagVal is the integer value of a member of cls (or of an int for IntFlag).
func flagVal(th *interp.Thread, cls *interp.Class, v interp.Value) (int64, bool) {
	switch x := v.(type) {
	case *interp.Instance:
		if x.Class() != cls {
			return 0, false
		}
		val, ok := interp.LookupAttr(th, x, "value")
		if !ok {
			return 0, false
		}
		n, ok := val.(interp.Int)
		return int64(n), ok
	case interp.Int:
		if flagIsInt(cls) {
			return int64(x), true
		}
	case interp.Bool:
		if flagIsInt(cls) {
			if x {
				return 1, true
			}
			return 0, true
		}
	}
	return 0, false
}

func flagMembers(th *interp.Thread, cls *interp.Class) ([]*interp.Instance, []int64) {
	ms := cls.Members()
	vals := make([]int64, len(ms))
	for i, m := range ms {
		vals[i], _ = flagVal(th, cls, m)
	}
	return ms, vals
}

// flagOf returns the member or pseudo-member of cls with value v.
func flagOf(th *interp.Thread, cls *interp.Class, v int64) interp.Value {
	ms, vals := flagMembers(th, cls)
	for i, m := range ms {
		if vals[i] == v {
			return m
		}
	}
	flagCache.Lock()
	defer flagCache.Unlock()
	if p, ok := flagCache.m[cls][v]; ok {
		return p
	}
	var names []string
	rest := v
	for i, m := range ms {
		if vals[i] != 0 && bits.OnesCount64(uint64(vals[i])) == 1 && v&vals[i] == vals[i] {
			n, _ := interp.LookupAttr(th, m, "name")
			names = append(names, interp.ToStr(th, n))
			rest &^= vals[i]
		}
	}
	if rest != 0 {
		if !flagIsInt(cls) {
			th.ValueError("%d is not a valid %s", v, cls.Name)
		}
		names = append(names, strconv.FormatInt(rest, 10))
	}
	p := interp.NewInstance(cls)
	var name interp.Value = interp.None
	if len(names) > 0 {
		name = interp.Str(strings.Join(names, "|"))
	}
	p.SetExtraAttr("name", name)
	p.SetExtraAttr("value", interp.MakeInt(v))
	p.SetExtraAttr("_name_", name)
	p.SetExtraAttr("_value_", interp.MakeInt(v))
	if flagCache.m[cls] == nil {
		flagCache.m[cls] = map[int64]*interp.Instance{}
	}
	flagCache.m[cls][v] = p
	return p
}

func flagMask(th *interp.Thread, cls *interp.Class) int64 {
	_, vals := flagMembers(th, cls)
	var m int64
	for _, v := range vals {
		m |= v
	}
	return m
}

func flagSelf(th *interp.Thread, self interp.Value) (*interp.Class, int64) {
	cls := self.Class()
	v, ok := flagVal(th, cls, self)
	if !ok {
		th.TypeError("not a flag member")
	}
	return cls, v
}

func flagName(th *interp.Thread, self interp.Value) interp.Value {
	n, _ := interp.LookupAttr(th, self, "name")
	return n
}

func registerFlag() {
	def := func(c *interp.Class, name string, fn native.Method) { interp.DefMethod(c, name, fn) }
	// auto() in a Flag: the next power of two above the last value
	flagClass.SetAttr("_generate_next_value_", interp.NewBuiltin("_generate_next_value_", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		high := int64(0)
		for _, v := range interp.ToSlice(th, args[3]) {
			if n, ok := v.(interp.Int); ok && int64(n) > high {
				high = int64(n)
			}
		}
		if high == 0 {
			return interp.MakeInt(1)
		}
		return interp.MakeInt(1 << bits.Len64(uint64(high)))
	}))
	// Perm(6): a combination of members is a pseudo-member
	flagClass.SetAttr("_missing_", interp.NewBuiltin("_missing_", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		cls, _ := args[0].(*interp.Class)
		n, ok := args[1].(interp.Int)
		if cls == nil || !ok || n < 0 && !flagIsInt(cls) {
			return interp.None
		}
		return flagOf(th, cls, int64(n))
	}))
	for name, op := range map[string]func(a, b int64) int64{
		"__or__":  func(a, b int64) int64 { return a | b },
		"__and__": func(a, b int64) int64 { return a & b },
		"__xor__": func(a, b int64) int64 { return a ^ b },
	} {
		op := op
		f := func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
			native.CheckArgCount(th, "flag operator", args, 1)
			cls, a := flagSelf(th, self)
			b, ok := flagVal(th, cls, args[0])
			if !ok {
				return interp.NotImplemented
			}
			return flagOf(th, cls, op(a, b))
		}
		def(flagClass, name, f)
		def(flagClass, "__r"+name[2:], f)
	}
	def(flagClass, "__invert__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		cls, v := flagSelf(th, self)
		mask := flagMask(th, cls)
		if flagIsInt(cls) {
			all := int64(1)<<uint(bits.Len64(uint64(mask))) - 1
			return flagOf(th, cls, all&^v)
		}
		return flagOf(th, cls, mask&^v)
	})
	def(flagClass, "__contains__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "__contains__", args, 1)
		cls, v := flagSelf(th, self)
		o, ok := flagVal(th, cls, args[0])
		if !ok {
			th.TypeError("unsupported operand type(s) for 'in': '%s' and '%s'", interp.TypeName(args[0]), cls.Name)
		}
		return interp.MakeBool(v&o == o)
	})
	def(flagClass, "__bool__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		_, v := flagSelf(th, self)
		return interp.MakeBool(v != 0)
	})
	def(flagClass, "__len__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		_, v := flagSelf(th, self)
		return interp.MakeInt(int64(bits.OnesCount64(uint64(v))))
	})
	def(flagClass, "__iter__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		cls, v := flagSelf(th, self)
		ms, vals := flagMembers(th, cls)
		var out []interp.Value
		for i, m := range ms {
			if vals[i] != 0 && bits.OnesCount64(uint64(vals[i])) == 1 && v&vals[i] == vals[i] {
				out = append(out, m)
			}
		}
		return interp.NewSliceIterator(out)
	})
	def(flagClass, "__repr__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		cls, v := flagSelf(th, self)
		n := flagName(th, self)
		if n == interp.None {
			return interp.Str("<" + cls.Name + ": " + strconv.FormatInt(v, 10) + ">")
		}
		return interp.Str("<" + cls.Name + "." + interp.ToStr(th, n) + ": " + strconv.FormatInt(v, 10) + ">")
	})
	def(flagClass, "__str__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		cls, v := flagSelf(th, self)
		if flagIsInt(cls) {
			return interp.Str(strconv.FormatInt(v, 10))
		}
		n := flagName(th, self)
		if n == interp.None {
			return interp.Str(cls.Name + "(" + strconv.FormatInt(v, 10) + ")")
		}
		return interp.Str(cls.Name + "." + interp.ToStr(th, n))
	})
	def(flagClass, "__format__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		spec := ""
		if len(args) > 0 {
			spec = interp.ToStr(th, args[0])
		}
		cls, v := flagSelf(th, self)
		if flagIsInt(cls) {
			return interp.Str(interp.Format(th, interp.MakeInt(v), spec))
		}
		return interp.Str(interp.Format(th, interp.Str(interp.ToStr(th, self)), spec))
	})
	// IntFlag members are ints.
	ic := intFlagClass
	def(ic, "__eq__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "__eq__", args, 1)
		_, v := flagSelf(th, self)
		o := args[0]
		if oi, ok := o.(*interp.Instance); ok && oi.Class().IsSubclass(intFlagClass) {
			_, ov := flagSelf(th, oi)
			return interp.MakeBool(v == ov)
		}
		return interp.MakeBool(interp.Equal(th, interp.MakeInt(v), o))
	})
	def(ic, "__ne__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "__ne__", args, 1)
		return interp.MakeBool(!interp.Truth(th, native.CallMethod(th, self, "__eq__", args[0])))
	})
	def(ic, "__hash__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		_, v := flagSelf(th, self)
		return interp.MakeInt(v)
	})
	for _, n := range []string{"__int__", "__index__"} {
		def(ic, n, func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
			_, v := flagSelf(th, self)
			return interp.MakeInt(v)
		})
	}
	intOf := func(th *interp.Thread, x interp.Value) interp.Value {
		if oi, ok := x.(*interp.Instance); ok && oi.Class().IsSubclass(intFlagClass) {
			_, v := flagSelf(th, oi)
			return interp.MakeInt(v)
		}
		return x
	}
	for name, op := range map[string]string{"__lt__": "<", "__le__": "<=", "__gt__": ">", "__ge__": ">="} {
		op := op
		def(ic, name, func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
			native.CheckArgCount(th, "compare", args, 1)
			return interp.MakeBool(interp.CompareOp(th, intOf(th, self), intOf(th, args[0]), op))
		})
	}
	for name, tok := range map[string]syntax.Token{"add": syntax.PLUS, "sub": syntax.MINUS, "mul": syntax.STAR, "mod": syntax.PERCENT} {
		tok := tok
		def(ic, "__"+name+"__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
			native.CheckArgCount(th, name, args, 1)
			return interp.Binary(th, tok, intOf(th, self), intOf(th, args[0]))
		})
		def(ic, "__r"+name+"__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
			native.CheckArgCount(th, name, args, 1)
			return interp.Binary(th, tok, intOf(th, args[0]), intOf(th, self))
		})
	}
}

func enumUnique(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	a := interp.ParseArgs(th, "unique", args, kw, "enumeration")
	cls, ok := a[0].(*interp.Class)
	if !ok {
		return a[0]
	}
	d, ok := interp.GetAttr(th, cls, "__dict__").(*interp.Dict)
	if !ok {
		return cls
	}
	var dups []string
	for _, it := range d.Items() {
		m, ok := it.Value.(*interp.Instance)
		if !ok || m.Class() != cls {
			continue
		}
		attr := interp.ToStr(th, it.Key)
		if n := interp.ToStr(th, flagName(th, m)); n != attr {
			dups = append(dups, attr+" -> "+n)
		}
	}
	if len(dups) > 0 {
		th.ValueError("duplicate values found in <enum '%s'>: %s", cls.Name, strings.Join(dups, ", "))
	}
	return cls
}

func init() {
	registerFlag()
	interp.ExtendModule("enum", func(m *interp.Module) {
		m.Set("Flag", flagClass)
		m.Set("IntFlag", intFlagClass)
		m.Set("unique", interp.NewBuiltin("unique", enumUnique))
	})
}
