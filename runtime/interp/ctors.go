package interp

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

func initTypeConstructors() {
	IntClass.newFn = newInt
	BoolClass.newFn = func(th *Thread, cls *Class, args []Value, kw []KV) Value {
		checkArgs(th, "bool", args, 0, 1)
		if len(args) == 0 {
			return False
		}
		return MakeBool(Truth(th, args[0]))
	}
	FloatClass.newFn = newFloat
	StrClass.newFn = func(th *Thread, cls *Class, args []Value, kw []KV) Value {
		if len(args) == 1 && len(kw) == 0 { // str(x), the common case
			switch x := args[0].(type) {
			case Str:
				return x
			case Int:
				return intStrValue(int64(x))
			}
			return Str(ToStr(th, args[0]))
		}
		a := ParseArgs(th, "str", args, kw, "object?", "encoding?", "errors?")
		if a[0] == nil {
			return Str("")
		}
		if b, ok := a[0].(Bytes); ok && a[1] != nil {
			return Str(string(b))
		}
		return Str(ToStr(th, a[0]))
	}
	BytesClass.newFn = func(th *Thread, cls *Class, args []Value, kw []KV) Value {
		if len(args) == 0 {
			return Bytes("")
		}
		if len(args) > 1 || len(kw) > 0 {
			return bytesOfStr(th, args, kw)
		}
		switch x := args[0].(type) {
		case Str:
			th.TypeError("string argument without an encoding")
		case Int:
			if x < 0 {
				th.ValueError("negative count")
			}
			th.Reserve(int64(x), 1)
			return Bytes(make([]byte, x))
		case *BigInt:
			th.Raise(OverflowErrorClass, "cannot fit 'int' into an index-sized integer")
		case Bytes:
			return x
		}
		var b []byte
		Iterate(th, args[0], func(v Value) bool { b = append(b, byte(toInt64(th, v))); return true })
		return Bytes(b)
	}
	ListClass.newFn = func(th *Thread, cls *Class, args []Value, kw []KV) Value {
		checkArgs(th, "list", args, 0, 1)
		if len(args) == 0 {
			return NewList(nil)
		}
		return listFrom(th, args[0])
	}
	TupleClass.newFn = func(th *Thread, cls *Class, args []Value, kw []KV) Value {
		checkArgs(th, "tuple", args, 0, 1)
		if len(args) == 0 {
			return EmptyTuple
		}
		if t, ok := args[0].(Tuple); ok {
			return t
		}
		return Tuple(ToSlice(th, args[0]))
	}
	DictClass.newFn = func(th *Thread, cls *Class, args []Value, kw []KV) Value {
		d := NewDict()
		if cls != DictClass {
			d.cls = cls
		}
		if len(args) > 0 {
			dictUpdate(th, d, args[0])
		}
		for _, a := range kw {
			d.SetStr(a.Name, a.Value)
		}
		return d
	}
	SetClass.newFn = func(th *Thread, cls *Class, args []Value, kw []KV) Value {
		checkArgs(th, "set", args, 0, 1)
		s := NewSet()
		if len(args) > 0 {
			s.update(th, args[0])
		}
		return s
	}
	FrozenSetClass.newFn = func(th *Thread, cls *Class, args []Value, kw []KV) Value {
		s := SetClass.newFn(th, SetClass, args, kw).(*Set)
		s.Frozen = true
		return s
	}
	RangeClass.newFn = func(th *Thread, cls *Class, args []Value, kw []KV) Value {
		checkArgs(th, "range", args, 1, 3)
		r := &Range{step: 1}
		switch len(args) {
		case 1:
			r.stop = toInt64(th, args[0])
		default:
			r.start, r.stop = toInt64(th, args[0]), toInt64(th, args[1])
			if len(args) == 3 {
				r.step = toInt64(th, args[2])
				if r.step == 0 {
					th.ValueError("range() arg 3 must not be zero")
				}
			}
		}
		return r
	}
	SliceClass.newFn = func(th *Thread, cls *Class, args []Value, kw []KV) Value {
		checkArgs(th, "slice", args, 1, 3)
		switch len(args) {
		case 1:
			return &SliceObj{None, args[0], None}
		case 2:
			return &SliceObj{args[0], args[1], None}
		}
		return &SliceObj{args[0], args[1], args[2]}
	}
	TypeClass.newFn = func(th *Thread, cls *Class, args []Value, kw []KV) Value {
		if len(args) == 1 {
			return args[0].Class()
		}
		if len(args) == 3 {
			name := string(mustStr(th, args[0], "type() name"))
			c := &Class{Name: name, Module: "__main__", Kind: KindClass, attrs: map[string]Value{}}
			for _, b := range ToSlice(th, args[1]) {
				c.Bases = append(c.Bases, b.(*Class))
			}
			c.computeMRO()
			if d, ok := args[2].(*Dict); ok {
				for _, kv := range d.Items() {
					c.SetAttr(ToStr(th, kv.Key), kv.Value)
				}
			}
			return c
		}
		th.TypeError("type() takes 1 or 3 arguments")
		return nil
	}
	ObjectClass.newFn = func(th *Thread, cls *Class, args []Value, kw []KV) Value {
		if cls == ObjectClass {
			return NewInstance(ObjectClass)
		}
		return NewInstance(cls)
	}
	for _, c := range exceptionClasses {
		c := c
		c.newFn = nil
	}
}

func newInt(th *Thread, cls *Class, args []Value, kw []KV) Value {
	if len(args) == 1 && len(kw) == 0 {
		if s, ok := args[0].(Str); ok {
			if n, ok := parseSmallDecimal(string(s)); ok {
				return MakeInt(n)
			}
		}
	}
	a := ParseArgs(th, "int", args, kw, "x?", "base?")
	if a[0] == nil {
		return MakeInt(0)
	}
	if a[1] != nil {
		s, ok := a[0].(Str)
		if !ok {
			th.TypeError("int() can't convert non-string with explicit base")
		}
		base := toInt64(th, a[1])
		if base != 0 && (base < 2 || base > 36) {
			th.ValueError("int() base must be >= 2 and <= 36, or 0")
		}
		return parseIntStr(th, string(s), int(base))
	}
	switch x := a[0].(type) {
	case Int:
		return x
	case Bool:
		return MakeInt(b2i(x))
	case *BigInt:
		return x
	case Float:
		f := float64(x)
		if math.IsInf(f, 0) {
			th.Raise(OverflowErrorClass, "cannot convert float infinity to integer")
		}
		if math.IsNaN(f) {
			th.ValueError("cannot convert float NaN to integer")
		}
		if math.Abs(f) < 1<<62 {
			return MakeInt(int64(f))
		}
		b, _ := new(big.Float).SetFloat64(math.Trunc(f)).Int(nil)
		return MakeBigInt(b)
	case Str:
		return parseIntStr(th, string(x), 10)
	case Bytes:
		return parseIntStr(th, string(x), 10)
	case *Instance:
		if x.cls.Kind == KindEnum {
			if v, ok := x.getExtra("value"); ok {
				return newInt(th, cls, []Value{v}, nil)
			}
		}
	}
	for _, m := range []string{"__int__", "__index__", "__trunc__"} {
		if r, ok := callDunder(th, a[0], m); ok { // objects, Fraction
			return r
		}
	}
	th.TypeError("int() argument must be a string, a bytes-like object or a real number, not '%s'", TypeName(a[0]))
	return nil
}

// parseSmallDecimal parses the common int() argument without allocating: an
// optional sign and at most 18 ASCII digits, nothing else (ok false for anything
// parseIntStr must judge: spaces, underscores, prefixes, more digits).
func parseSmallDecimal(s string) (int64, bool) {
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg, s = s[0] == '-', s[1:]
	}
	if s == "" || len(s) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		d := s[i] - '0'
		if d > 9 {
			return 0, false
		}
		n = n*10 + int64(d)
	}
	if neg {
		n = -n
	}
	return n, true
}

func parseIntStr(th *Thread, s string, base int) Value {
	v, exc := tryParseIntStr(th, s, base)
	if exc != nil {
		panic(exc)
	}
	return v
}

// tryParseIntStr is parseIntStr returning an invalid literal's ValueError
// instead of raising it (other errors, such as a too long literal, still raise).
func tryParseIntStr(th *Thread, s string, base int) (Value, *Instance) {
	orig := s
	t := strings.TrimSpace(s)
	if !isASCII(t) {
		t = asciiDigits(t)
	}
	neg := false
	if strings.HasPrefix(t, "-") || strings.HasPrefix(t, "+") {
		neg = t[0] == '-'
		t = t[1:]
	}
	if base == 10 && t != "" && t[0] < utf8.RuneSelf && !isASCIIDigit(t[0]) {
		return nil, invalidIntLiteral(th, base, orig) // int("x1"): no need to parse
	}
	if base == 10 && t != "" && isASCIIDigit(t[0]) { // int(" 42\n"): no math/big
		if n, ok := parseSmallDecimal(t); ok {
			if neg {
				n = -n
			}
			return MakeInt(n), nil
		}
	}
	lower := strings.ToLower(t)
	if base == 0 {
		switch {
		case strings.HasPrefix(lower, "0x"):
			base, t = 16, t[2:]
		case strings.HasPrefix(lower, "0o"):
			base, t = 8, t[2:]
		case strings.HasPrefix(lower, "0b"):
			base, t = 2, t[2:]
		default:
			base = 10
		}
	} else if base == 16 && strings.HasPrefix(lower, "0x") || base == 8 && strings.HasPrefix(lower, "0o") || base == 2 && strings.HasPrefix(lower, "0b") {
		t = t[2:]
	}
	valid := t != "" && !strings.HasPrefix(t, "_") && !strings.HasSuffix(t, "_") && !strings.Contains(t, "__")
	t = strings.ReplaceAll(t, "_", "")
	if base&(base-1) != 0 { // CPython limits the bases that are not powers of two
		th.checkStrToInt(len(t))
	}
	b, ok := new(big.Int).SetString(t, base)
	if !ok || !valid {
		return nil, invalidIntLiteral(th, base, orig)
	}
	if neg {
		b.Neg(b)
	}
	return MakeBigInt(b), nil
}

// asciiDigits replaces the Unicode decimal digits of s (category Nd, which
// int() accepts, e.g. Arabic-Indic ١٢) by their ASCII digits.
func asciiDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf || !unicode.Is(unicode.Nd, r) {
			return r
		}
		return '0' + ndValue(r)
	}, s)
}

// ndValue is the value of a decimal digit r: each range of unicode.Nd is a run
// of whole 0-9 sequences.
func ndValue(r rune) rune {
	for _, g := range unicode.Nd.R16 {
		if r >= rune(g.Lo) && r <= rune(g.Hi) {
			return (r - rune(g.Lo)) % 10
		}
	}
	for _, g := range unicode.Nd.R32 {
		if r >= rune(g.Lo) && r <= rune(g.Hi) {
			return (r - rune(g.Lo)) % 10
		}
	}
	return 0
}

// invalidIntLiteral is the ValueError of int(s, base) for an invalid s.
func invalidIntLiteral(th *Thread, base int, s string) *Instance {
	return th.newExc(ValueErrorClass, "invalid literal for int() with base "+strconv.Itoa(base)+": "+QuoteStr(s))
}

// tryIntOfStr is int(x) for a str x called by a statement (callMode.mayRaise):
// an invalid literal's ValueError comes back as raisedValue (raise.go), for the
// `try { n = int(s); } except ValueError` idiom. ok is false when x is no str.
func tryIntOfStr(th *Thread, x Value) (Value, bool) {
	s, ok := x.(Str)
	if !ok {
		return nil, false
	}
	if n, ok := parseSmallDecimal(string(s)); ok {
		return MakeInt(n), true
	}
	v, exc := tryParseIntStr(th, string(s), 10)
	if exc != nil {
		th.prepareRaise(exc)
		th.setPending(exc)
		return raisedValue, true
	}
	return v, true
}

func newFloat(th *Thread, cls *Class, args []Value, kw []KV) Value {
	checkArgs(th, "float", args, 0, 1)
	if len(args) == 0 {
		return Float(0)
	}
	switch x := args[0].(type) {
	case Float:
		return x
	case Int, Bool, *BigInt:
		f, _ := toFloat(x)
		return Float(f)
	case Str:
		s := strings.TrimSpace(string(x))
		switch strings.ToLower(strings.TrimLeft(s, "+-")) {
		case "inf", "infinity":
			if strings.HasPrefix(s, "-") {
				return Float(math.Inf(-1))
			}
			return Float(math.Inf(1))
		case "nan":
			return Float(math.NaN())
		}
		f, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
		if err != nil {
			if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
				th.ValueError("could not convert string to float: %s", QuoteStr(string(x)))
			}
		}
		return Float(f)
	}
	if v, ok := mixedEnumValue(args[0]); ok {
		return newFloat(th, cls, []Value{v}, kw)
	}
	if r, ok := callDunder(th, args[0], "__float__"); ok { // objects, Fraction
		return r
	}
	th.TypeError("float() argument must be a string or a real number, not '%s'", TypeName(args[0]))
	return nil
}

func dictUpdate(th *Thread, d *Dict, src Value) {
	switch s := src.(type) {
	case *Dict:
		for _, kv := range s.Items() {
			d.Set(th, kv.Key, kv.Value)
		}
		return
	case *Instance:
		if _, ok := th.CallMethod(s, "keys"); ok {
			mergeInto(th, d, s)
			return
		}
	}
	i := 0
	Iterate(th, src, func(item Value) bool {
		kv := updatePair(th, item, i)
		if len(kv) != 2 {
			th.ValueError("dictionary update sequence element #%d has length %d; 2 is required", i, len(kv))
		}
		d.Set(th, kv[0], kv[1])
		i++
		return true
	})
}

var _ = unicode.IsSpace

// updatePair is the items of element i of dict()'s or update()'s sequence,
// raising CPython's TypeError when it is not iterable.
func updatePair(th *Thread, item Value, i int) []Value {
	switch x := item.(type) {
	case Tuple:
		return x
	case *List:
		return x.items()
	}
	var kv []Value
	err := th.Protect(func() { kv = ToSlice(th, item) })
	if err == nil {
		return kv
	}
	if exc := err.(*Exception).Value; exc.Class() != TypeErrorClass {
		panic(exc)
	}
	th.TypeError("cannot convert dictionary update sequence element #%d to a sequence", i)
	return nil
}

// bytesOfStr is bytes(source, encoding[, errors]): the source must be a str.
func bytesOfStr(th *Thread, args []Value, kw []KV) Value {
	p := ParseArgs(th, "bytes", args, kw, "source", "encoding?", "errors?")
	s, ok := p[0].(Str)
	if !ok {
		th.TypeError("encoding without a string argument")
	}
	if p[1] == nil {
		th.TypeError("string argument without an encoding")
	}
	return encodeStr(th, string(s), lookupCodec(th, p[1]), errorHandler(th, p[2]))
}
