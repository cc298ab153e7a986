package interp

import (
	"fmt"
	"math"
	"math/big"
	"os"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/jacscale/jac/runtime/syntax"
)

const (
	tokPLUS    = syntax.PLUS
	tokMINUS   = syntax.MINUS
	tokDSLASH  = syntax.DSLASH
	tokPERCENT = syntax.PERCENT
	tokDSTAR   = syntax.DSTAR
)

// builtins are the names every module sees.
var builtins = map[string]Value{}

func def(name string, fn func(th *Thread, args []Value, kw []KV) Value) {
	builtins[name] = NewBuiltin(name, fn)
}

// DefBuiltin adds a builtin name (used by library packages).
func DefBuiltin(name string, v Value) { builtins[name] = v }

func init() {
	for _, c := range exceptionClasses {
		builtins[c.Name] = c
	}
	for _, c := range []*Class{ObjectClass, TypeClass, IntClass, BoolClass, FloatClass, StrClass, BytesClass,
		ListClass, TupleClass, DictClass, SetClass, FrozenSetClass, RangeClass, SliceClass} {
		builtins[c.Name] = c
	}
	builtins["Root"] = RootClass
	builtins["GenericEdge"] = GenericEdgeClass
	builtins["NodeArchetype"] = NodeArchClass
	builtins["EdgeArchetype"] = EdgeArchClass
	builtins["WalkerArchetype"] = WalkerArchClass
	builtins["Obj"] = ObjArchClass
	builtins["None"] = None
	builtins["Ellipsis"] = Ellipsis
	builtins["NotImplemented"] = NotImplemented
	builtins["any"] = NewBuiltin("any", biAny) // also the `any` type annotation
	builtins["__name__"] = Str("__main__")
	initTypeConstructors()

	def("print", biPrint)
	def("len", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "len", args, 1, 1)
		return MakeInt(int64(Len(th, args[0])))
	})
	def("repr", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "repr", args, 1, 1)
		return Str(Repr(th, args[0]))
	})
	def("ascii", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "ascii", args, 1, 1)
		return Str(asciiRepr(th, args[0]))
	})
	def("abs", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "abs", args, 1, 1)
		switch x := args[0].(type) {
		case Int:
			if x < 0 {
				return Unary(th, tokMINUS, x)
			}
			return x
		case Float:
			return Float(math.Abs(float64(x)))
		case Bool:
			return MakeInt(b2i(x))
		case *BigInt:
			return MakeBigInt(new(big.Int).Abs(x.v))
		}
		if r, ok := th.CallMethod(args[0], "__abs__"); ok {
			return r
		}
		if v, ok := mixedEnumValue(args[0]); ok {
			return builtins["abs"].(*Builtin).Fn(th, []Value{v}, nil)
		}
		th.TypeError("bad operand type for abs(): '%s'", TypeName(args[0]))
		return nil
	})
	def("all", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "all", args, 1, 1)
		r := true
		Iterate(th, args[0], func(v Value) bool {
			if !Truth(th, v) {
				r = false
				return false
			}
			return true
		})
		return MakeBool(r)
	})
	def("callable", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "callable", args, 1, 1)
		return MakeBool(IsCallable(args[0]))
	})
	def("chr", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "chr", args, 1, 1)
		i := toInt64(th, args[0])
		if i < 0 || i > unicode.MaxRune {
			th.ValueError("chr() arg not in range(0x110000)")
		}
		return Str(string(rune(i)))
	})
	def("ord", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "ord", args, 1, 1)
		switch s := args[0].(type) {
		case Str:
			rs := []rune(string(s))
			if len(rs) != 1 {
				th.TypeError("ord() expected a character, but string of length %d found", len(rs))
			}
			return MakeInt(int64(rs[0]))
		case Bytes:
			if len(s) != 1 {
				th.TypeError("ord() expected a character, but string of length %d found", len(s))
			}
			return MakeInt(int64(s[0]))
		}
		th.TypeError("ord() expected string of length 1, but %s found", TypeName(args[0]))
		return nil
	})
	builtins["divmod"] = NewBuiltin("divmod", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "divmod", args, 2, 2)
		return Tuple{Binary(th, tokDSLASH, args[0], args[1]), Binary(th, tokPERCENT, args[0], args[1])}
	})
	def("enumerate", func(th *Thread, args []Value, kw []KV) Value {
		a := ParseArgs(th, "enumerate", args, kw, "iterable", "start?")
		it := GetIter(th, a[0])
		i := int64(0)
		if a[1] != nil {
			i = toInt64(th, a[1])
		}
		return &enumIter{it: it, i: i} // unpackiter.go
	})
	def("zip", func(th *Thread, args []Value, kw []KV) Value {
		its := make([]Iterator, len(args))
		for i, a := range args {
			its[i] = GetIter(th, a)
		}
		strict := false
		if v, ok := KwArg(kw, "strict"); ok {
			strict = Truth(th, v)
		}
		return &zipIter{its: its, strict: strict} // unpackiter.go
	})
	def("map", func(th *Thread, args []Value, kw []KV) Value {
		if len(args) < 2 {
			th.TypeError("map() must have at least two arguments.")
		}
		fn := args[0]
		its := make([]Iterator, len(args)-1)
		for i, a := range args[1:] {
			its[i] = GetIter(th, a)
		}
		return NewFuncIterator(func(th *Thread) (Value, bool) {
			var buf [maxStackArgs]Value // lent to a Jac fn (callStack), copied for others
			vals := buf[:0]
			if len(its) > len(buf) {
				vals = make([]Value, 0, len(its))
			}
			for _, it := range its {
				v, ok := it.Next(th)
				if !ok {
					return nil, false
				}
				vals = append(vals, v)
			}
			return th.callStack(fn, vals), true
		})
	})
	def("filter", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "filter", args, 2, 2)
		fn := args[0]
		it := GetIter(th, args[1])
		return NewFuncIterator(func(th *Thread) (Value, bool) {
			for {
				v, ok := it.Next(th)
				if !ok {
					return nil, false
				}
				var keep bool
				if fn == None {
					keep = Truth(th, v)
				} else {
					arg := [1]Value{v}
					keep = Truth(th, th.callStack(fn, arg[:]))
				}
				if keep {
					return v, true
				}
			}
		})
	})
	def("reversed", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "reversed", args, 1, 1)
		if o, ok := args[0].(*Instance); ok {
			if r, ok := th.CallMethod(o, "__reversed__"); ok {
				return r
			}
		}
		switch args[0].(type) {
		case *Dict, *Set:
		case *List, Tuple, Str, *Range, Bytes, *Instance:
		default:
			if _, ok := args[0].(Iterator); ok {
				th.TypeError("'%s' object is not reversible", TypeName(args[0]))
			}
		}
		items := ToSlice(th, args[0])
		for i, j := 0, len(items)-1; i < j; i, j = i+1, j-1 {
			items[i], items[j] = items[j], items[i]
		}
		return NewSliceIterator(items)
	})
	def("sorted", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "sorted", args, 1, 1)
		key, _ := kwArg(kw, "key")
		rev, _ := kwArg(kw, "reverse")
		reverse := rev != nil && Truth(th, rev)
		if l, ok := args[0].(*List); ok && l.kind != listValues {
			out := l.clone()
			out.sort(th, key, reverse)
			return out
		}
		items := ToSlice(th, args[0])
		sortValues(th, items, key, reverse)
		return newListOf(items)
	})
	def("sum", func(th *Thread, args []Value, kw []KV) Value {
		a := ParseArgs(th, "sum", args, kw, "iterable", "start?")
		var acc Value = MakeInt(0)
		if a[1] != nil {
			acc = a[1]
		}
		src := a[0]
		acc, src = sumIntList(acc, src)
		total := newSummer(th, acc)
		if l, ok := src.(*List); ok && l.kind == listFloats && isNumber(acc) {
			total.addReals(l.reals)
			return total.value()
		}
		Iterate(th, src, func(v Value) bool { total.add(v); return true })
		return total.value()
	})
	def("min", func(th *Thread, args []Value, kw []KV) Value { return minMax(th, "min", args, kw, opLT) })
	def("max", func(th *Thread, args []Value, kw []KV) Value { return minMax(th, "max", args, kw, opGT) })
	def("any", biAny)
	def("isinstance", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "isinstance", args, 2, 2)
		return MakeBool(IsInstance(th, args[0], args[1]))
	})
	def("issubclass", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "issubclass", args, 2, 2)
		c, ok := args[0].(*Class)
		if !ok {
			th.TypeError("issubclass() arg 1 must be a class")
		}
		var check func(t Value) bool
		check = func(t Value) bool {
			switch x := t.(type) {
			case *Class:
				return c.IsSubclass(x) || x == IntClass && c == BoolClass
			case Tuple:
				for _, e := range x {
					if check(e) {
						return true
					}
				}
			}
			return false
		}
		return MakeBool(check(args[1]))
	})
	def("hash", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "hash", args, 1, 1)
		return MakeInt(int64(Hash(th, args[0])))
	})
	def("id", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "id", args, 1, 1)
		return MakeInt(int64(ptrHash(args[0]) >> 1))
	})
	def("iter", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "iter", args, 1, 1)
		return GetIter(th, args[0])
	})
	def("next", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "next", args, 1, 2)
		if g, isGen := args[0].(*generator); isGen && len(args) == 1 {
			return g.resume(th) // StopIteration carries the return value
		}
		it, ok := args[0].(Iterator)
		if !ok {
			if o, isInst := args[0].(*Instance); isInst {
				if _, has := o.cls.Lookup("__next__"); has != nil {
					it = &instIter{o: o}
					ok = true
				}
			}
		}
		if !ok {
			th.TypeError("'%s' object is not an iterator", TypeName(args[0]))
		}
		v, more := it.Next(th)
		if !more {
			if len(args) == 2 {
				return args[1]
			}
			panic(th.newStopIteration())
		}
		return v
	})
	def("getattr", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "getattr", args, 2, 3)
		name := string(mustStr(th, args[1], "getattr(): attribute name"))
		if v, ok := LookupAttr(th, args[0], name); ok {
			return v
		}
		if len(args) == 3 {
			return args[2]
		}
		return GetAttr(th, args[0], name)
	})
	def("hasattr", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "hasattr", args, 2, 2)
		_, ok := LookupAttr(th, args[0], string(mustStr(th, args[1], "hasattr(): attribute name")))
		return MakeBool(ok)
	})
	def("setattr", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "setattr", args, 3, 3)
		SetAttr(th, args[0], string(mustStr(th, args[1], "setattr(): attribute name")), args[2])
		return None
	})
	def("delattr", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "delattr", args, 2, 2)
		DelAttr(th, args[0], string(mustStr(th, args[1], "delattr(): attribute name")))
		return None
	})
	def("round", func(th *Thread, args []Value, kw []KV) Value {
		a := ParseArgs(th, "round", args, kw, "number", "ndigits?")
		return round(th, a[0], a[1])
	})
	def("pow", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "pow", args, 2, 3)
		if len(args) == 3 {
			b, e, m := bigOf(args[0]), bigOf(args[1]), bigOf(args[2])
			if b == nil || e == nil || m == nil {
				th.TypeError("pow() 3rd argument not allowed unless all arguments are integers")
			}
			if m.Sign() == 0 {
				th.ValueError("pow() 3rd argument cannot be 0")
			}
			if e.Sign() < 0 { // the modular inverse, raised to -e
				mod := new(big.Int).Abs(m)
				inv := new(big.Int).ModInverse(new(big.Int).Mod(b, mod), mod)
				if inv == nil {
					th.ValueError("base is not invertible for the given modulus")
				}
				b, e = inv, new(big.Int).Neg(e)
			}
			r := new(big.Int).Exp(b, e, m)
			if r.Sign() != 0 && m.Sign() < 0 {
				r.Add(r, m)
			}
			return MakeBigInt(r)
		}
		return Binary(th, tokDSTAR, args[0], args[1])
	})
	def("hex", func(th *Thread, args []Value, kw []KV) Value { return Str(intBase(th, args, 16, "0x")) })
	def("oct", func(th *Thread, args []Value, kw []KV) Value { return Str(intBase(th, args, 8, "0o")) })
	def("bin", func(th *Thread, args []Value, kw []KV) Value { return Str(intBase(th, args, 2, "0b")) })
	def("format", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "format", args, 1, 2)
		spec := ""
		if len(args) == 2 {
			spec = string(mustStr(th, args[1], "format spec"))
		}
		return Str(Format(th, args[0], spec))
	})
	def("vars", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "vars", args, 1, 1)
		return GetAttr(th, args[0], "__dict__")
	})
	def("dir", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "dir", args, 1, 1)
		var names []string
		if m, ok := args[0].(*Module); ok {
			names = m.Names()
		} else {
			names = args[0].Class().sortedAttrNames()
			if o, ok := args[0].(*Instance); ok {
				for _, f := range o.cls.Fields {
					names = append(names, f.Name)
				}
				for _, a := range o.extraAttrs() {
					names = append(names, a.name)
				}
			}
		}
		sort.Strings(names)
		out := make([]Value, len(names))
		for i, n := range names {
			out[i] = Str(n)
		}
		return NewList(out)
	})
	def("input", func(th *Thread, args []Value, kw []KV) Value {
		if len(args) > 0 {
			th.Out.WriteString(ToStr(th, args[0]))
		}
		th.Out.Flush()
		var line string
		_, err := fmt.Fscanln(os.Stdin, &line)
		if err != nil {
			th.Raise(EOFErrorClass, "EOF when reading a line")
		}
		return Str(line)
	})
	def("staticmethod", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "staticmethod", args, 1, 1)
		return &StaticMethod{Fn: args[0]}
	})
	builtins["staticmethod"].(*Builtin).Name = "staticmethod"
	def("classmethod", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "classmethod", args, 1, 1)
		return &ClassMethod{Fn: args[0]}
	})
	def("property", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "property", args, 1, 2)
		p := &Property{Get: args[0]}
		if len(args) == 2 {
			p.Set = args[1]
		}
		return p
	})
	def("globals", func(th *Thread, args []Value, kw []KV) Value {
		d := NewDict()
		if th.frame != nil && th.frame.fn != nil {
			m := th.frame.fn.module
			for _, n := range m.Names() {
				v, _ := m.Get(n)
				d.SetStr(n, v)
			}
		}
		return d
	})
	def("open", biOpen)
	def("exit", func(th *Thread, args []Value, kw []KV) Value {
		e := NewInstance(SystemExitClass)
		e.excData().args = append(Tuple(nil), args...)
		panic(e)
	})
	builtins["quit"] = builtins["exit"]
	def("__jac_flow__", func(th *Thread, args []Value, kw []KV) Value { return args[0] })
	def("__jac_wait__", func(th *Thread, args []Value, kw []KV) Value { return th.Await(args[0]) })
	def("jid", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "jid", args, 1, 1)
		if o, ok := args[0].(*Instance); ok && o.anchor != nil {
			return Str(o.anchor.ID.Hex())
		}
		return Str(fmt.Sprintf("%032x", ptrHash(args[0])))
	})
	def("jobj", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "jobj", args, 1, 1)
		return th.jobj(args[0])
	})
	markBorrowingBuiltins()
}

func (th *Thread) newStopIteration() *Instance {
	e := NewInstance(StopIterationClass)
	e.excData()
	return e
}

func mustStr(th *Thread, v Value, what string) Str {
	s, ok := v.(Str)
	if !ok {
		th.TypeError("%s must be str, not %s", what, TypeName(v))
	}
	return s
}

func biPrint(th *Thread, args []Value, kw []KV) Value {
	sep, end := " ", "\n"
	var file Value
	for _, a := range kw {
		switch a.Name {
		case "sep":
			if a.Value != None {
				sep = ToStr(th, a.Value)
			}
		case "end":
			if a.Value != None {
				end = ToStr(th, a.Value)
			}
		case "file":
			file = a.Value
		case "flush":
		default:
			th.TypeError("'%s' is an invalid keyword argument for print()", a.Name)
		}
	}
	var b strings.Builder
	for i, a := range args {
		if i > 0 {
			b.WriteString(sep)
		}
		if s, ok := a.(Str); ok {
			b.WriteString(string(s))
		} else {
			b.WriteString(ToStr(th, a))
		}
	}
	b.WriteString(end)
	if file != nil && file != None {
		if w, ok := file.(interface{ WriteJac(*Thread, string) }); ok {
			w.WriteJac(th, b.String())
			return None
		}
		th.callAttr(file, "write", []Value{Str(b.String())}, nil)
		return None
	}
	th.Out.WriteString(b.String())
	return None
}

func biAny(th *Thread, args []Value, kw []KV) Value {
	checkArgs(th, "any", args, 1, 1)
	r := false
	Iterate(th, args[0], func(v Value) bool {
		if Truth(th, v) {
			r = true
			return false
		}
		return true
	})
	return MakeBool(r)
}

func minMax(th *Thread, name string, args []Value, kw []KV, op cmpKind) Value {
	key, _ := kwArg(kw, "key")
	dflt, hasDefault := kwArg(kw, "default")
	var items []Value
	if l := soleIntList(args); l != nil && l.Len() > 0 && (key == nil || key == None) {
		return MakeInt(l.words[extremeInt(l.words, op)])
	}
	if len(args) == 1 {
		items = ToSlice(th, args[0])
	} else if len(args) == 0 {
		th.TypeError("%s expected at least 1 argument, got 0", name)
	} else {
		items = args
	}
	if len(items) == 0 {
		if hasDefault {
			return dflt
		}
		th.ValueError("%s() iterable argument is empty", name)
	}
	best := items[0]
	var bestKey Value = best
	if key != nil && key != None {
		bestKey = th.Call(key, []Value{best}, nil)
	}
	for _, v := range items[1:] {
		k := v
		if key != nil && key != None {
			k = th.Call(key, []Value{v}, nil)
		}
		if Compare(th, k, bestKey, op) {
			best, bestKey = v, k
		}
	}
	return best
}

func round(th *Thread, v Value, nd Value) Value {
	if x, ok := mixedEnumValue(v); ok {
		v = x
	}
	switch x := v.(type) {
	case Int, Bool, *BigInt:
		if nd == nil || nd == None {
			return Binary(th, tokPLUS, x, MakeInt(0))
		}
		n := toInt64(th, nd)
		if n >= 0 {
			return Binary(th, tokPLUS, x, MakeInt(0))
		}
		p := new(big.Int).Exp(big.NewInt(10), big.NewInt(-n), nil)
		b := bigOf(x)
		q, r := new(big.Int).DivMod(b, p, new(big.Int))
		twice := new(big.Int).Mul(r, big.NewInt(2))
		c := twice.Cmp(p)
		if c > 0 || c == 0 && q.Bit(0) == 1 {
			q.Add(q, big.NewInt(1))
		}
		return MakeBigInt(q.Mul(q, p))
	case Float:
		f := float64(x)
		if nd == nil || nd == None {
			if math.IsInf(f, 0) || math.IsNaN(f) {
				th.Raise(OverflowErrorClass, "cannot convert float infinity to integer")
			}
			r := math.RoundToEven(f)
			if math.Abs(r) < 1<<62 {
				return MakeInt(int64(r))
			}
			b, _ := new(big.Float).SetFloat64(r).Int(nil)
			return MakeBigInt(b)
		}
		n := toInt64(th, nd)
		// Python rounds the exact decimal value of the double.
		s := strconv.FormatFloat(f, 'f', int(max(n, 0)), 64)
		if n < 0 {
			p := math.Pow(10, float64(-n))
			return Float(math.RoundToEven(f/p) * p)
		}
		r, _ := strconv.ParseFloat(s, 64)
		return Float(r)
	}
	var r Value
	var ok bool
	if nd == nil || nd == None {
		r, ok = th.CallMethod(v, "__round__")
	} else {
		r, ok = th.CallMethod(v, "__round__", nd)
	}
	if ok {
		return r
	}
	th.TypeError("type %s doesn't define __round__ method", TypeName(v))
	return nil
}

func intBase(th *Thread, args []Value, base int, prefix string) string {
	checkArgs(th, "hex", args, 1, 1)
	if x, ok := args[0].(Int); ok { // without math/big
		if x < 0 {
			return "-" + prefix + strconv.FormatUint(-uint64(x), base)
		}
		return prefix + strconv.FormatUint(uint64(x), base)
	}
	b := bigOf(args[0])
	if b == nil {
		th.TypeError("'%s' object cannot be interpreted as an integer", TypeName(args[0]))
	}
	if b.Sign() < 0 {
		return "-" + prefix + new(big.Int).Abs(b).Text(base)
	}
	return prefix + b.Text(base)
}

type tokenT = syntax.Token

const (
	tokPIPE  = syntax.PIPE
	tokAMP   = syntax.AMP
	tokCARET = syntax.CARET
	tokSTAR  = syntax.STAR
)

func tokenOf(i int) syntax.Token { return syntax.Token(i) }

// CallMethodOf calls v.name(args...) (library helper).
func CallMethodOf(th *Thread, v Value, name string, args ...Value) Value {
	return th.callAttr(v, name, args, nil)
}

// KwArg finds a keyword argument by name (library helper).
func KwArg(kw []KV, name string) (Value, bool) { return kwArg(kw, name) }

// SetNewFn makes calling cls construct with fn (library classes).
func SetNewFn(cls *Class, fn func(th *Thread, cls *Class, args []Value, kw []KV) Value) {
	cls.newFn = fn
}

// IsCallable is Python's callable(v).
func IsCallable(v Value) bool {
	switch x := v.(type) {
	case *Function, *Builtin, *BoundMethod, *Class, *GenericAlias, Caller:
		return true
	case *Instance:
		m, _ := x.cls.Lookup("__call__")
		return m != nil
	}
	return false
}

// zipStrictCheck raises zip(strict=True)'s ValueError when iterator i ran out
// while another one still has items.
func zipStrictCheck(th *Thread, its []Iterator, i int) {
	if i > 0 {
		th.ValueError("zip() argument %d is shorter than argument%s 1%s", i+1, plural(i), upTo(i))
	}
	for j := 1; j < len(its); j++ {
		if _, ok := its[j].Next(th); ok {
			th.ValueError("zip() argument %d is longer than argument%s 1%s", j+1, plural(j), upTo(j))
		}
	}
}

// upTo completes CPython's "arguments 1-N" when more than one came before.
func upTo(n int) string {
	if n > 1 {
		return fmt.Sprintf("-%d", n)
	}
	return ""
}
