package interp

import (
	"strings"
	"unicode/utf8"
)

// str.maketrans and str.translate, with CPython's semantics and messages: a
// translation table maps code points (ints) to a str, a code point or None
// (delete); characters the table has no entry for are kept.

func init() {
	StrClass.SetAttr("maketrans", &StaticMethod{Fn: NewBuiltin("maketrans", strMaketrans)})
	method(StrClass, "translate", func(th *Thread, v Value, a []Value, kw []KV) Value {
		if len(kw) > 0 || len(a) != 1 {
			th.TypeError("str.translate() takes exactly one argument (%d given)", len(a)+len(kw))
		}
		return Str(strTranslate(th, string(v.(Str)), a[0]))
	})
}

// strMaketrans builds a translation table from a dict, or from two strings of
// equal length (and an optional third whose characters are deleted).
func strMaketrans(th *Thread, a []Value, kw []KV) Value {
	if len(kw) > 0 {
		th.TypeError("str.maketrans() takes no keyword arguments")
	}
	switch {
	case len(a) == 0:
		th.TypeError("maketrans expected at least 1 argument, got 0")
	case len(a) > 3:
		th.TypeError("maketrans expected at most 3 arguments, got %d", len(a))
	case len(a) == 1:
		return maketransFromDict(th, a[0])
	}
	from, ok := a[0].(Str)
	if !ok {
		th.TypeError("first maketrans argument must be a string if there is a second argument")
	}
	to := maketransStr(th, a, 1)
	if utf8.RuneCountInString(string(from)) != utf8.RuneCountInString(to) {
		th.ValueError("the first two maketrans arguments must have equal length")
	}
	table := NewDict()
	toRunes := []rune(to)
	i := 0
	for _, r := range string(from) {
		table.Set(th, MakeInt(int64(r)), MakeInt(int64(toRunes[i])))
		i++
	}
	if len(a) == 3 {
		for _, r := range maketransStr(th, a, 2) {
			table.Set(th, MakeInt(int64(r)), None)
		}
	}
	return table
}

// maketransStr returns argument i of maketrans, which must be a str.
func maketransStr(th *Thread, a []Value, i int) string {
	s, ok := a[i].(Str)
	if !ok {
		th.TypeError("maketrans() argument %d must be str, not %s", i+1, TypeName(a[i]))
	}
	return string(s)
}

// maketransFromDict turns the one-character string keys of d into code points.
func maketransFromDict(th *Thread, v Value) Value {
	d, ok := v.(*Dict)
	if !ok {
		th.TypeError("if you give only one argument to maketrans it must be a dict")
	}
	table := NewDict()
	for _, kv := range d.Items() {
		switch k := kv.Key.(type) {
		case Str:
			if utf8.RuneCountInString(string(k)) != 1 {
				th.ValueError("string keys in translate table must be of length 1")
			}
			r, _ := utf8.DecodeRuneInString(string(k))
			table.Set(th, MakeInt(int64(r)), kv.Value)
		case Int, Bool, *BigInt:
			table.Set(th, k, kv.Value)
		default:
			th.TypeError("keys in translate table must be strings or integers")
		}
	}
	return table
}

// strTranslate maps every character of s through table.
func strTranslate(th *Thread, s string, table Value) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		m, found := translateLookup(th, table, r)
		if !found {
			b.WriteRune(r)
			continue
		}
		switch x := m.(type) {
		case Str:
			th.Reserve(int64(b.Len()+len(x)), 1)
			b.WriteString(string(x))
		case Int, Bool, *BigInt:
			c, ok := asInt64(x)
			if !ok || c < 0 || c > utf8.MaxRune {
				th.ValueError("character mapping must be in range(0x110000)")
			}
			b.WriteRune(rune(c))
		default:
			if m != None {
				th.TypeError("character mapping must return integer, None or str")
			}
		}
	}
	return b.String()
}

// translateLookup returns table[r], reporting false when the lookup raised a
// LookupError (the character is then kept, as CPython does).
func translateLookup(th *Thread, table Value, r rune) (Value, bool) {
	if d, ok := table.(*Dict); ok && d.Class() == DictClass {
		return d.Get(th, MakeInt(int64(r)))
	}
	var m Value
	err := th.Protect(func() { m = GetItem(th, table, MakeInt(int64(r))) })
	if err == nil {
		return m, true
	}
	exc := err.(*Exception).Value
	if !exc.Class().IsSubclass(LookupErrorClass) {
		panic(exc)
	}
	return nil, false
}
