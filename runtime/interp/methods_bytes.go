package interp

import (
	"strings"
)

// The str-like methods of bytes. Case and character classes are ASCII only,
// indexes count bytes, and the arguments must be bytes, as in CPython.

// bytesArg returns v's bytes, raising CPython's TypeError for anything else.
func bytesArg(th *Thread, v Value) string {
	b, ok := v.(Bytes)
	if !ok {
		th.TypeError("a bytes-like object is required, not '%s'", TypeName(v))
	}
	return string(b)
}

// asciiSpace is bytes.isspace's set (and the default of strip and split).
const asciiSpace = " \t\n\r\x0b\x0c"

func isASCIIUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isASCIILower(c byte) bool { return c >= 'a' && c <= 'z' }
func isASCIIAlpha(c byte) bool { return isASCIIUpper(c) || isASCIILower(c) }
func isASCIIDigit(c byte) bool { return c >= '0' && c <= '9' }

// mapASCII applies f to every byte of s.
func mapASCII(s string, f func(i int, c byte) byte) Bytes {
	out := make([]byte, len(s))
	for i := 0; i < len(s); i++ {
		out[i] = f(i, s[i])
	}
	return Bytes(out)
}

func toUpperASCII(c byte) byte {
	if isASCIILower(c) {
		return c - 32
	}
	return c
}

func toLowerASCII(c byte) byte {
	if isASCIIUpper(c) {
		return c + 32
	}
	return c
}

// allBytes is the is* predicates: true when s is not empty and every byte passes.
func allBytes(s string, pred func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !pred(s[i]) {
			return false
		}
	}
	return s != ""
}

// bytesSlice applies optional start/end arguments (byte indexes) to s.
func bytesSlice(th *Thread, s string, args []Value) (string, int) {
	n := len(s)
	bound := func(i int, def int) int {
		if i >= len(args) || args[i] == None {
			return def
		}
		x := int(toInt64(th, args[i]))
		if x < 0 {
			x = max(x+n, 0)
		}
		return min(x, n)
	}
	start, end := bound(0, 0), bound(1, n)
	if start > end {
		return "", start
	}
	return s[start:end], start
}

// bytesList converts split's strings back to bytes.
func bytesList(l Value) Value {
	items := l.(*List).Elems()
	for i, v := range items {
		items[i] = Bytes(v.(Str))
	}
	return l
}

func init() {
	B := BytesClass
	self := func(v Value) string { return string(v.(Bytes)) }
	mapper := func(f func(i int, c byte) byte) func(th *Thread, v Value, a []Value, kw []KV) Value {
		return func(th *Thread, v Value, a []Value, kw []KV) Value { return mapASCII(self(v), f) }
	}
	method(B, "upper", mapper(func(_ int, c byte) byte { return toUpperASCII(c) }))
	method(B, "lower", mapper(func(_ int, c byte) byte { return toLowerASCII(c) }))
	method(B, "swapcase", mapper(func(_ int, c byte) byte {
		if isASCIIUpper(c) {
			return toLowerASCII(c)
		}
		return toUpperASCII(c)
	}))
	method(B, "capitalize", mapper(func(i int, c byte) byte {
		if i == 0 {
			return toUpperASCII(c)
		}
		return toLowerASCII(c)
	}))
	method(B, "title", func(th *Thread, v Value, a []Value, kw []KV) Value {
		prev := false
		return mapASCII(self(v), func(_ int, c byte) byte {
			wasLetter := prev
			prev = isASCIIAlpha(c)
			if wasLetter {
				return toLowerASCII(c)
			}
			return toUpperASCII(c)
		})
	})
	predicate := func(pred func(byte) bool) func(th *Thread, v Value, a []Value, kw []KV) Value {
		return func(th *Thread, v Value, a []Value, kw []KV) Value { return MakeBool(allBytes(self(v), pred)) }
	}
	method(B, "isalpha", predicate(isASCIIAlpha))
	method(B, "isdigit", predicate(isASCIIDigit))
	method(B, "isalnum", predicate(func(c byte) bool { return isASCIIAlpha(c) || isASCIIDigit(c) }))
	method(B, "isspace", predicate(func(c byte) bool { return strings.IndexByte(asciiSpace, c) >= 0 }))
	method(B, "isascii", func(th *Thread, v Value, a []Value, kw []KV) Value { return MakeBool(isASCII(self(v))) })
	cased := func(want, other func(byte) bool) func(th *Thread, v Value, a []Value, kw []KV) Value {
		return func(th *Thread, v Value, a []Value, kw []KV) Value {
			s := self(v)
			return MakeBool(strings.IndexFunc(s, func(r rune) bool { return r < 0x80 && want(byte(r)) }) >= 0 &&
				strings.IndexFunc(s, func(r rune) bool { return r < 0x80 && other(byte(r)) }) < 0)
		}
	}
	method(B, "isupper", cased(isASCIIUpper, isASCIILower))
	method(B, "islower", cased(isASCIILower, isASCIIUpper))
	strip := func(name string, trim func(s, cutset string) string) {
		method(B, name, func(th *Thread, v Value, a []Value, kw []KV) Value {
			checkArgs(th, name, a, 0, 1)
			cutset := asciiSpace
			if len(a) == 1 && a[0] != None {
				cutset = bytesArg(th, a[0])
			}
			return Bytes(trim(self(v), cutset))
		})
	}
	strip("strip", func(s, cut string) string { return trimBytes(trimBytes(s, cut, false), cut, true) })
	strip("lstrip", func(s, cut string) string { return trimBytes(s, cut, false) })
	strip("rstrip", func(s, cut string) string { return trimBytes(s, cut, true) })
	split := func(name string, rev bool) {
		method(B, name, func(th *Thread, v Value, a []Value, kw []KV) Value {
			p := ParseArgs(th, name, a, kw, "sep?", "maxsplit?")
			if p[0] != nil && p[0] != None {
				p[0] = Str(bytesArg(th, p[0]))
			}
			return bytesList(strSplit(th, self(v), p[0], p[1], rev))
		})
	}
	split("split", false)
	split("rsplit", true)
	method(B, "join", func(th *Thread, v Value, a []Value, kw []KV) Value {
		checkArgs(th, "join", a, 1, 1)
		var parts []string
		Iterate(th, a[0], func(e Value) bool {
			b, ok := e.(Bytes)
			if !ok {
				th.TypeError("sequence item %d: expected a bytes-like object, %s found", len(parts), TypeName(e))
			}
			parts = append(parts, string(b))
			return true
		})
		return Bytes(strings.Join(parts, self(v)))
	})
	method(B, "replace", func(th *Thread, v Value, a []Value, kw []KV) Value {
		checkArgs(th, "replace", a, 2, 3)
		n := -1
		if len(a) == 3 {
			n = int(toInt64(th, a[2]))
		}
		s, old, repl := self(v), bytesArg(th, a[0]), bytesArg(th, a[1])
		if len(repl) > len(old) {
			th.Reserve(int64(len(s))+int64(strings.Count(s, old))*int64(len(repl)-len(old)), 1)
		}
		return Bytes(strings.Replace(s, old, repl, n))
	})
	affix := func(name string, test func(s, p string) bool) {
		method(B, name, func(th *Thread, v Value, a []Value, kw []KV) Value {
			checkArgs(th, name, a, 1, 3)
			s, _ := bytesSlice(th, self(v), a[1:])
			if t, ok := a[0].(Tuple); ok {
				for _, x := range t {
					if test(s, bytesArg(th, x)) {
						return True
					}
				}
				return False
			}
			if _, ok := a[0].(Bytes); !ok {
				th.TypeError("%s first arg must be bytes or a tuple of bytes, not %s", name, TypeName(a[0]))
			}
			return MakeBool(test(s, bytesArg(th, a[0])))
		})
	}
	affix("startswith", strings.HasPrefix)
	affix("endswith", strings.HasSuffix)
	find := func(name string, rev, raise bool) {
		method(B, name, func(th *Thread, v Value, a []Value, kw []KV) Value {
			checkArgs(th, name, a, 1, 3)
			sub := bytesSub(th, a[0])
			s, start := bytesSlice(th, self(v), a[1:])
			i := strings.Index(s, sub)
			if rev {
				i = strings.LastIndex(s, sub)
			}
			switch {
			case i >= 0:
				return MakeInt(int64(start + i))
			case raise:
				th.ValueError("subsection not found")
			}
			return MakeInt(-1)
		})
	}
	find("find", false, false)
	find("rfind", true, false)
	find("index", false, true)
	find("rindex", true, true)
	method(B, "count", func(th *Thread, v Value, a []Value, kw []KV) Value {
		checkArgs(th, "count", a, 1, 3)
		sub := bytesSub(th, a[0])
		s, _ := bytesSlice(th, self(v), a[1:])
		if sub == "" {
			return MakeInt(int64(len(s) + 1))
		}
		return MakeInt(int64(strings.Count(s, sub)))
	})
	partition := func(name string, rev bool) {
		method(B, name, func(th *Thread, v Value, a []Value, kw []KV) Value {
			checkArgs(th, name, a, 1, 1)
			s, sep := self(v), bytesArg(th, a[0])
			if sep == "" {
				th.ValueError("empty separator")
			}
			i := strings.Index(s, sep)
			if rev {
				i = strings.LastIndex(s, sep)
			}
			switch {
			case i >= 0:
				return Tuple{Bytes(s[:i]), Bytes(sep), Bytes(s[i+len(sep):])}
			case rev:
				return Tuple{Bytes(""), Bytes(""), Bytes(s)}
			}
			return Tuple{Bytes(s), Bytes(""), Bytes("")}
		})
	}
	partition("partition", false)
	partition("rpartition", true)
	B.SetAttr("fromhex", &ClassMethod{Fn: NewBuiltin("fromhex", func(th *Thread, a []Value, kw []KV) Value {
		checkArgs(th, "fromhex", a, 2, 2)
		return bytesFromHex(th, strArg(th, a[1], "fromhex"))
	})})
	method(B, "removeprefix", func(th *Thread, v Value, a []Value, kw []KV) Value {
		checkArgs(th, "removeprefix", a, 1, 1)
		return Bytes(strings.TrimPrefix(self(v), bytesArg(th, a[0])))
	})
	method(B, "removesuffix", func(th *Thread, v Value, a []Value, kw []KV) Value {
		checkArgs(th, "removesuffix", a, 1, 1)
		return Bytes(strings.TrimSuffix(self(v), bytesArg(th, a[0])))
	})
}

// bytesSub is the needle of find and count: bytes, or an int that is one byte.
func bytesSub(th *Thread, v Value) string {
	if _, ok := v.(Bytes); ok {
		return bytesArg(th, v)
	}
	n, ok := v.(Int)
	if !ok {
		th.TypeError("argument should be integer or bytes-like object, not '%s'", TypeName(v))
	}
	if n < 0 || n > 255 {
		th.ValueError("byte must be in range(0, 256)")
	}
	return string([]byte{byte(n)})
}

// trimBytes removes the bytes of cutset from one end of s (byte-wise, unlike
// strings.Trim, which reads both as UTF-8).
func trimBytes(s, cutset string, right bool) string {
	if right {
		for len(s) > 0 && strings.IndexByte(cutset, s[len(s)-1]) >= 0 {
			s = s[:len(s)-1]
		}
		return s
	}
	for len(s) > 0 && strings.IndexByte(cutset, s[0]) >= 0 {
		s = s[1:]
	}
	return s
}

// bytesFromHex is bytes.fromhex: pairs of hex digits, whitespace between them.
func bytesFromHex(th *Thread, s string) Bytes {
	var out []byte
	for i := 0; i < len(s); {
		if strings.IndexByte(asciiSpace, s[i]) >= 0 {
			i++
			continue
		}
		hi, ok1 := hexDigit(s, i)
		lo, ok2 := hexDigit(s, i+1)
		if !ok1 || !ok2 {
			bad := i
			if ok1 {
				bad = i + 1
			}
			th.ValueError("non-hexadecimal number found in fromhex() arg at position %d", bad)
		}
		out = append(out, hi<<4|lo)
		i += 2
	}
	return Bytes(out)
}

// hexDigit is the value of the hex digit s[i], if there is one.
func hexDigit(s string, i int) (byte, bool) {
	if i >= len(s) {
		return 0, false
	}
	switch c := s[i]; {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
