package interp

import (
	"strings"

	"github.com/jacscale/jac/runtime/syntax"
)

// Fixed-arity calls of built-in methods.
//
// A call site recv.name(args) with positional arguments only, whose method
// resolved to a core type's built-in method (the site's methodSite caches it
// per receiver class), calls it here without building an argument slice: with
// no argument, Method gets a nil slice (nothing to lend); with one or two, the
// method's fast1/fast2 entry, when it has one, takes the evaluated arguments as
// plain values. A fast entry handles only the common receiver and argument
// types and returns nil for anything else (a subclass instance, a non-str
// argument, a case that needs a memory check); the site then calls Method with
// the same, already evaluated, arguments, so every error and corner case is
// Method's own.

// callBuiltinFixed makes the call if it can: it returns the result (non-nil),
// or nil and how many arguments it has already evaluated into a (a raising
// argument's raisedValue is a result).
func callBuiltinFixed(fr *Frame, b *Builtin, self Value, argFns []exprFn, a []Value, pos syntax.Pos, mayRaise bool) (Value, int) {
	var v Value
	switch len(argFns) {
	case 0:
		if !b.borrowsArgs {
			return nil, 0
		}
		v = b.Method(fr.th, self, nil, nil)
	case 1:
		if b.fast1 == nil {
			return nil, 0
		}
		if a[0] = argFns[0](fr); mayRaise && isRaised(a[0]) {
			return a[0], 1
		}
		fr.pos = pos
		if v = b.fast1(fr.th, self, a[0]); v == nil {
			return nil, 1
		}
	case 2:
		if b.fast2 == nil {
			return nil, 0
		}
		if a[0] = argFns[0](fr); mayRaise && isRaised(a[0]) {
			return a[0], 1
		}
		if a[1] = argFns[1](fr); mayRaise && isRaised(a[1]) {
			return a[1], 2
		}
		fr.pos = pos
		if v = b.fast2(fr.th, self, a[0], a[1]); v == nil {
			return nil, 2
		}
	default:
		return nil, 0
	}
	if !mayRaise && isRaised(v) {
		fr.th.throwPending()
	}
	return v, len(argFns)
}

// fastMethod returns cls's built-in method name, which must exist.
func fastMethod(cls *Class, name string) *Builtin {
	m, _ := cls.Lookup(name)
	b, ok := m.(*Builtin)
	if !ok || b.Method == nil {
		panic("methods_fast: no built-in method " + cls.Name + "." + name)
	}
	return b
}

// The init sets the fast entries; it runs after the methods are defined
// (Go runs a package's file inits in file-name order: this file sorts after
// methods_coll.go and methods_str.go, hence its name).
func init() {
	S := StrClass
	fastMethod(S, "startswith").fast1 = func(_ *Thread, v, a Value) Value {
		s, ok1 := v.(Str)
		p, ok2 := a.(Str)
		if !ok1 || !ok2 {
			return nil
		}
		return MakeBool(strings.HasPrefix(string(s), string(p)))
	}
	fastMethod(S, "endswith").fast1 = func(_ *Thread, v, a Value) Value {
		s, ok1 := v.(Str)
		p, ok2 := a.(Str)
		if !ok1 || !ok2 {
			return nil
		}
		return MakeBool(strings.HasSuffix(string(s), string(p)))
	}
	fastMethod(S, "count").fast1 = func(_ *Thread, v, a Value) Value {
		s, ok1 := v.(Str)
		p, ok2 := a.(Str)
		if !ok1 || !ok2 || p == "" {
			return nil
		}
		return MakeInt(int64(strings.Count(string(s), string(p))))
	}
	fastMethod(S, "find").fast1 = func(th *Thread, v, a Value) Value {
		s, ok1 := v.(Str)
		p, ok2 := a.(Str)
		if !ok1 || !ok2 {
			return nil
		}
		i := strings.Index(string(s), string(p))
		if i <= 0 {
			return MakeInt(int64(i))
		}
		if th.strASCII(string(s)) {
			return MakeInt(int64(i))
		}
		return MakeInt(int64(cpIndex(string(s), i)))
	}
	fastMethod(S, "split").fast1 = func(_ *Thread, v, a Value) Value {
		s, ok1 := v.(Str)
		sep, ok2 := a.(Str)
		if !ok1 || !ok2 || sep == "" {
			return nil
		}
		return splitList(string(s), string(sep))
	}
	fastMethod(S, "replace").fast2 = func(th *Thread, v, a, b Value) Value {
		s, ok1 := v.(Str)
		old, ok2 := a.(Str)
		repl, ok3 := b.(Str)
		if !ok1 || !ok2 || !ok3 || old == "" {
			return nil // the empty pattern is Method's
		}
		count := strings.Count(string(s), string(old))
		if len(repl) > len(old) { // Method's memory check
			th.Reserve(int64(len(s))+int64(count)*int64(len(repl)-len(old)), 1)
		}
		return replaceValue(v, string(s), string(old), string(repl), count)
	}
	fastMethod(ListClass, "append").fast1 = func(_ *Thread, v, a Value) Value {
		l, ok := v.(*List)
		if !ok {
			return nil
		}
		l.Append(a)
		return None
	}
	get := fastMethod(DictClass, "get")
	get.fast1 = func(th *Thread, v, k Value) Value {
		d, ok := v.(*Dict)
		if !ok {
			return nil
		}
		if r, ok := d.Get(th, k); ok {
			return r
		}
		return None
	}
	get.fast2 = func(th *Thread, v, k, def Value) Value {
		d, ok := v.(*Dict)
		if !ok {
			return nil
		}
		if r, ok := d.Get(th, k); ok {
			return r
		}
		return def
	}
	fastMethod(S, "join").fast1 = func(th *Thread, v, a Value) Value {
		sep, ok := v.(Str)
		if !ok {
			return nil
		}
		parts := joinParts(th, a) // as Method
		if len(parts) == 0 {
			return Str("")
		}
		size := int64(len(sep)) * int64(len(parts)-1)
		for _, p := range parts {
			size += int64(len(p))
		}
		th.Reserve(size, 1)
		return joinValue(string(sep), parts, int(size))
	}
	setdefault := fastMethod(DictClass, "setdefault")
	setdefault.fast1 = func(th *Thread, v, k Value) Value { return dictSetdefault(th, v, k, None) }
	setdefault.fast2 = dictSetdefault
	pop := fastMethod(DictClass, "pop")
	pop.fast1 = func(th *Thread, v, k Value) Value {
		d, ok := v.(*Dict)
		if !ok {
			return nil
		}
		if r, ok := d.Delete(th, k); ok {
			return r
		}
		panic(keyError(th, k)) // as Method (not through it: the key is hashed once)
	}
	pop.fast2 = func(th *Thread, v, k, def Value) Value {
		d, ok := v.(*Dict)
		if !ok {
			return nil
		}
		if r, ok := d.Delete(th, k); ok {
			return r
		}
		return def
	}
	fastMethod(SetClass, "add").fast1 = func(th *Thread, v, x Value) Value {
		st, ok := v.(*Set)
		if !ok {
			return nil
		}
		st.Add(th, x)
		return None
	}
	fastMethod(SetClass, "discard").fast1 = func(th *Thread, v, x Value) Value {
		st, ok := v.(*Set)
		if !ok {
			return nil
		}
		st.Remove(th, x)
		return None
	}
}

// dictSetdefault is dict.setdefault(k, dv) of v, or nil when v is not a dict.
func dictSetdefault(th *Thread, v, k, dv Value) Value {
	d, ok := v.(*Dict)
	if !ok {
		return nil
	}
	if r, ok := d.Get(th, k); ok {
		return r
	}
	d.Set(th, k, dv)
	return dv
}
