package interp

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// method registers a built-in method on a class.
// method registers a method of a core type. Such a method must not keep its
// argument slice after it returns (callers pass a reused one).
func method(cls *Class, name string, fn func(th *Thread, self Value, args []Value, kw []KV) Value) {
	cls.SetAttr(name, &Builtin{Name: name, Method: fn, borrowsArgs: true})
}

// DefMethod registers a method (for library packages).
func DefMethod(cls *Class, name string, fn func(th *Thread, self Value, args []Value, kw []KV) Value) {
	cls.SetAttr(name, &Builtin{Name: name, Method: fn})
}

func strArg(th *Thread, v Value, fn string) string {
	s, ok := v.(Str)
	if !ok {
		th.TypeError("%s() argument must be str, not %s", fn, TypeName(v))
	}
	return string(s)
}

func optStrArg(th *Thread, args []Value, i int, fn string) (string, bool) {
	if i >= len(args) || args[i] == None {
		return "", false
	}
	return strArg(th, args[i], fn), true
}

// strList makes a list of the strs ss, which it takes over: its Values point
// into ss's backing array (strValueAt), so the caller must not change ss.
func strList(ss []string) Value {
	out := make([]Value, len(ss))
	for i := range ss {
		out[i] = strValueAt(&ss[i])
	}
	return NewList(out)
}

// splitList is s.split(sep) for a non-empty sep. A split into at most four
// parts (`k, v = line.split("=")`) is one allocation: the list, its values
// and the parts' string headers, which the values point at (strValueAt).
func splitList(s, sep string) Value {
	switch n := strings.Count(s, sep) + 1; {
	case n <= 2: // no more bytes than the list, values and headers apart
		b := new(splitBlock2)
		return smallStrList(&b.l, b.v[:n:n], b.s[:n], s, sep)
	case n <= 4:
		b := new(splitBlock4)
		return smallStrList(&b.l, b.v[:n:n], b.s[:n], s, sep)
	}
	return strList(strings.Split(s, sep))
}

// splitBlock2 and splitBlock4 are the blocks of splitList.
type (
	splitBlock2 struct {
		l List
		v [2]Value
		s [2]string
	}
	splitBlock4 struct {
		l List
		v [4]Value
		s [4]string
	}
)

// smallStrList cuts s at sep into parts (len(parts) of them, as counted), makes
// vals point at them and l hold vals.
func smallStrList(l *List, vals []Value, parts []string, s, sep string) *List {
	last := len(parts) - 1
	for i := 0; i < last; i++ {
		j := strings.Index(s, sep)
		parts[i], s = s[:j], s[j+len(sep):]
	}
	parts[last] = s
	for i := range parts {
		vals[i] = strValueAt(&parts[i])
	}
	l.vals = vals
	return l
}

// splitSpace is str.split() without a limit: the runs of text between
// whitespace. ASCII text is split in two passes (count, then cut) into a slice
// of the exact size.
func splitSpace(s string) []string {
	if !isASCII(s) {
		return strings.FieldsFunc(s, isSpaceRune)
	}
	n := 0
	inField := false
	for i := 0; i < len(s); i++ {
		space := isASCIISpace(s[i])
		if !space && !inField {
			n++
		}
		inField = !space
	}
	out := make([]string, 0, n)
	start := -1
	for i := 0; i < len(s); i++ {
		switch space := isASCIISpace(s[i]); {
		case space && start >= 0:
			out = append(out, s[start:i])
			start = -1
		case !space && start < 0:
			start = i
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

// nonEmptySep is the separator argument of partition and rpartition.
func nonEmptySep(th *Thread, a []Value, name string) string {
	checkArgs(th, name, a, 1, 1)
	sep := strArg(th, a[0], name)
	if sep == "" {
		th.ValueError("empty separator")
	}
	return sep
}

// joinParts returns the strs that str.join joins: a list's or a tuple's items
// directly, any other iterable's through Iterate.
func joinParts(th *Thread, v Value) []string {
	var items []Value
	switch x := v.(type) {
	case *List:
		if x.kind == listValues {
			items = x.vals
		}
	case Tuple:
		items = x
	case Int, Float, Bool, NoneType, *BigInt:
		th.TypeError("can only join an iterable")
	}
	if items != nil {
		parts := make([]string, len(items))
		for i, e := range items {
			s, ok := e.(Str)
			if !ok {
				joinItemError(th, i, e)
			}
			parts[i] = string(s)
		}
		return parts
	}
	parts := make([]string, 0, 16)
	Iterate(th, v, func(e Value) bool {
		s, ok := e.(Str)
		if !ok {
			joinItemError(th, len(parts), e)
		}
		parts = append(parts, string(s))
		return true
	})
	return parts
}

// joinItemError raises str.join's TypeError for item i, e, which is not a str.
func joinItemError(th *Thread, i int, e Value) {
	th.TypeError("sequence item %d: expected str instance, %s found", i, TypeName(e))
}

// trimASCIISpace is str.strip (mode 0), lstrip (1) or rstrip (2) without
// arguments for text whose ends are ASCII; done is false when a trimmed end
// reaches a non-ASCII byte (Unicode's whitespace applies then).
func trimASCIISpace(s string, mode int) (t string, done bool) {
	i, j := 0, len(s)
	if mode != 2 {
		for i < j && isASCIISpace(s[i]) {
			i++
		}
		if i < j && s[i] >= utf8.RuneSelf {
			return "", false
		}
	}
	if mode != 1 {
		for j > i && isASCIISpace(s[j-1]) {
			j--
		}
		if j > i && s[j-1] >= utf8.RuneSelf {
			return "", false
		}
	}
	return s[i:j], true
}

// isASCIISpace reports whether c is an ASCII byte that str.isspace() accepts.
func isASCIISpace(c byte) bool {
	return c == ' ' || c-'\t' <= '\r'-'\t' || c-0x1c <= 0x1f-0x1c
}

// runeIndex converts a code-point index to a byte offset.
func byteOffset(s string, cp int) int {
	if isASCII(s) {
		return cp
	}
	i := 0
	for off := range s {
		if i == cp {
			return off
		}
		i++
	}
	return len(s)
}

func cpIndex(s string, byteOff int) int {
	if byteOff < 0 {
		return -1
	}
	if isASCII(s) {
		return byteOff
	}
	return utf8.RuneCountInString(s[:byteOff])
}

// sliceRange applies optional start/end args (code points) to s.
func sliceRange(th *Thread, s string, args []Value) (string, int) {
	if len(args) == 0 {
		return s, 0
	}
	n := th.strRunes(s)
	start, end := 0, n
	if len(args) > 0 && args[0] != None {
		start = int(toInt64(th, args[0]))
		if start < 0 {
			start = max(start+n, 0)
		}
		start = min(start, n)
	}
	if len(args) > 1 && args[1] != None {
		end = int(toInt64(th, args[1]))
		if end < 0 {
			end = max(end+n, 0)
		}
		end = min(end, n)
	}
	if start > end {
		return "", start
	}
	from := th.strOffset(s, start)
	return s[from:th.strOffset(s, end)], start
}

func isSpaceRune(r rune) bool {
	return unicode.IsSpace(r) || r == 0x1c || r == 0x1d || r == 0x1e || r == 0x1f
}

func init() {
	S := StrClass
	self := func(v Value) string { return string(v.(Str)) }
	method(S, "upper", func(th *Thread, v Value, a []Value, kw []KV) Value {
		if r, ok := asciiCaseValue(v, self(v), true); ok {
			return r
		}
		return Str(toUpperFull(self(v)))
	})
	method(S, "lower", func(th *Thread, v Value, a []Value, kw []KV) Value {
		if r, ok := asciiCaseValue(v, self(v), false); ok {
			return r
		}
		return Str(toLowerFull(self(v)))
	})
	method(S, "casefold", func(th *Thread, v Value, a []Value, kw []KV) Value {
		return Str(mapFull(self(v), func(b *strings.Builder, r rune) { writeCase(b, r, foldSpecial, unicode.ToLower) }))
	})
	method(S, "swapcase", func(th *Thread, v Value, a []Value, kw []KV) Value {
		return Str(mapFull(self(v), func(b *strings.Builder, r rune) {
			switch {
			case unicode.IsUpper(r):
				writeCase(b, r, lowerSpecial, unicode.ToLower)
			case unicode.IsLower(r):
				writeCase(b, r, upperSpecial, unicode.ToUpper)
			default:
				b.WriteRune(r) // titlecase and uncased characters stay
			}
		}))
	})
	method(S, "capitalize", func(th *Thread, v Value, a []Value, kw []KV) Value {
		first := true
		return Str(mapFull(self(v), func(b *strings.Builder, r rune) {
			if first {
				writeCase(b, r, titleSpecial, unicode.ToTitle)
				first = false
				return
			}
			writeCase(b, r, lowerSpecial, unicode.ToLower)
		}))
	})
	method(S, "title", func(th *Thread, v Value, a []Value, kw []KV) Value {
		if s := self(v); isASCII(s) {
			return titleASCIIValue(s)
		}
		prevCased := false
		return Str(mapFull(self(v), func(b *strings.Builder, r rune) {
			if prevCased {
				writeCase(b, r, lowerSpecial, unicode.ToLower)
			} else {
				writeCase(b, r, titleSpecial, unicode.ToTitle)
			}
			prevCased = unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r)
		}))
	})
	strip := func(mode int) func(th *Thread, v Value, a []Value, kw []KV) Value {
		return func(th *Thread, v Value, a []Value, kw []KV) Value {
			s := self(v)
			chars, ok := optStrArg(th, a, 0, "strip")
			if !ok {
				if t, done := trimASCIISpace(s, mode); done {
					if len(t) == len(s) {
						return v
					}
					return Str(t)
				}
			}
			switch {
			case !ok && mode == 0:
				return Str(strings.TrimFunc(s, isSpaceRune))
			case !ok && mode == 1:
				return Str(strings.TrimLeftFunc(s, isSpaceRune))
			case !ok:
				return Str(strings.TrimRightFunc(s, isSpaceRune))
			case mode == 0:
				return Str(strings.Trim(s, chars))
			case mode == 1:
				return Str(strings.TrimLeft(s, chars))
			}
			return Str(strings.TrimRight(s, chars))
		}
	}
	method(S, "strip", strip(0))
	method(S, "lstrip", strip(1))
	method(S, "rstrip", strip(2))
	method(S, "split", func(th *Thread, v Value, a []Value, kw []KV) Value {
		if len(a) == 1 && len(kw) == 0 {
			if sep, ok := a[0].(Str); ok && sep != "" {
				return splitList(self(v), string(sep))
			}
		}
		p := ParseArgs(th, "split", a, kw, "sep?", "maxsplit?")
		return strSplit(th, self(v), p[0], p[1], false)
	})
	method(S, "rsplit", func(th *Thread, v Value, a []Value, kw []KV) Value {
		p := ParseArgs(th, "rsplit", a, kw, "sep?", "maxsplit?")
		return strSplit(th, self(v), p[0], p[1], true)
	})
	method(S, "splitlines", func(th *Thread, v Value, a []Value, kw []KV) Value {
		p := ParseArgs(th, "splitlines", a, kw, "keepends?")
		keep := p[0] != nil && Truth(th, p[0])
		s := self(v)
		var out []string
		for len(s) > 0 {
			i := strings.IndexAny(s, "\n\r\v\f\x1c\x1d\x1e")
			if i < 0 {
				out = append(out, s)
				break
			}
			end := i + 1
			if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
				end = i + 2
			}
			if keep {
				out = append(out, s[:end])
			} else {
				out = append(out, s[:i])
			}
			s = s[end:]
		}
		return strList(out)
	})
	method(S, "join", func(th *Thread, v Value, a []Value, kw []KV) Value {
		checkArgs(th, "join", a, 1, 1)
		parts := joinParts(th, a[0])
		sep := self(v)
		size := int64(len(sep)) * int64(max(len(parts)-1, 0))
		for _, p := range parts {
			size += int64(len(p))
		}
		if len(parts) == 0 {
			return Str("")
		}
		th.Reserve(size, 1)
		return joinValue(sep, parts, int(size))
	})
	method(S, "replace", func(th *Thread, v Value, a []Value, kw []KV) Value {
		checkArgs(th, "replace", a, 2, 3)
		n := -1
		if len(a) == 3 {
			n = int(toInt64(th, a[2]))
		}
		s, old, repl := self(v), strArg(th, a[0], "replace"), strArg(th, a[1], "replace")
		if old == "" {
			if len(repl) > 0 {
				count := int64(strLen(s) + 1)
				if n >= 0 {
					count = min(count, int64(n))
				}
				th.Reserve(int64(len(s))+count*int64(len(repl)), 1)
			}
			return Str(strings.Replace(s, old, repl, n))
		}
		count := strings.Count(s, old)
		if n >= 0 {
			count = min(count, n)
		}
		if len(repl) > len(old) {
			th.Reserve(int64(len(s))+int64(count)*int64(len(repl)-len(old)), 1)
		}
		return replaceValue(v, s, old, repl, count)
	})
	find := func(rev, raise bool, name string) func(th *Thread, v Value, a []Value, kw []KV) Value {
		return func(th *Thread, v Value, a []Value, kw []KV) Value {
			checkArgs(th, name, a, 1, 3)
			sub := strArg(th, a[0], name)
			full := self(v)
			s, start := sliceRange(th, full, a[1:])
			var i int
			if rev {
				i = strings.LastIndex(s, sub)
			} else {
				i = strings.Index(s, sub)
			}
			if i < 0 {
				if raise {
					th.ValueError("substring not found")
				}
				return MakeInt(-1)
			}
			if th.strASCII(full) {
				return MakeInt(int64(start + i))
			}
			return MakeInt(int64(start + cpIndex(s, i)))
		}
	}
	method(S, "find", find(false, false, "find"))
	method(S, "rfind", find(true, false, "rfind"))
	method(S, "index", find(false, true, "index"))
	method(S, "rindex", find(true, true, "rindex"))
	method(S, "count", func(th *Thread, v Value, a []Value, kw []KV) Value {
		checkArgs(th, "count", a, 1, 3)
		s, _ := sliceRange(th, self(v), a[1:])
		sub := strArg(th, a[0], "count")
		if sub == "" {
			return MakeInt(int64(strLen(s) + 1))
		}
		return MakeInt(int64(strings.Count(s, sub)))
	})
	affix := func(prefix bool) func(th *Thread, v Value, a []Value, kw []KV) Value {
		return func(th *Thread, v Value, a []Value, kw []KV) Value {
			checkArgs(th, "startswith", a, 1, 3)
			s, _ := sliceRange(th, self(v), a[1:])
			test := func(x Value) bool {
				p := strArg(th, x, "startswith")
				if prefix {
					return strings.HasPrefix(s, p)
				}
				return strings.HasSuffix(s, p)
			}
			if t, ok := a[0].(Tuple); ok {
				for _, x := range t {
					if test(x) {
						return True
					}
				}
				return False
			}
			return MakeBool(test(a[0]))
		}
	}
	method(S, "startswith", affix(true))
	method(S, "endswith", affix(false))
	method(S, "removeprefix", func(th *Thread, v Value, a []Value, kw []KV) Value {
		return Str(strings.TrimPrefix(self(v), strArg(th, a[0], "removeprefix")))
	})
	method(S, "removesuffix", func(th *Thread, v Value, a []Value, kw []KV) Value {
		return Str(strings.TrimSuffix(self(v), strArg(th, a[0], "removesuffix")))
	})
	just := func(mode byte) func(th *Thread, v Value, a []Value, kw []KV) Value {
		return func(th *Thread, v Value, a []Value, kw []KV) Value {
			checkArgs(th, "center", a, 1, 2)
			w := int(toInt64(th, a[0]))
			fill := " "
			if len(a) == 2 {
				fill = strArg(th, a[1], "center")
				if utf8.RuneCountInString(fill) != 1 {
					th.TypeError("The fill character must be exactly one character long")
				}
			}
			s := self(v)
			n := strLen(s)
			if w <= n {
				return v
			}
			th.Reserve(int64(w)*int64(len(fill)), 1)
			p := w - n
			switch mode {
			case 'l':
				return Str(s + strings.Repeat(fill, p))
			case 'r':
				return Str(strings.Repeat(fill, p) + s)
			}
			left := p / 2
			if p%2 == 1 && w%2 == 1 {
				left++
			}
			return Str(strings.Repeat(fill, left) + s + strings.Repeat(fill, p-left))
		}
	}
	method(S, "ljust", just('l'))
	method(S, "rjust", just('r'))
	method(S, "center", just('c'))
	method(S, "zfill", func(th *Thread, v Value, a []Value, kw []KV) Value {
		checkArgs(th, "zfill", a, 1, 1)
		s := self(v)
		w := int(toInt64(th, a[0]))
		if w <= strLen(s) {
			return v
		}
		th.Reserve(int64(w), 1)
		sign := ""
		if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
			sign, s = s[:1], s[1:]
		}
		return Str(sign + strings.Repeat("0", w-strLen(s)-len(sign)) + s)
	})
	method(S, "partition", func(th *Thread, v Value, a []Value, kw []KV) Value {
		s, sep := self(v), nonEmptySep(th, a, "partition")
		if i := strings.Index(s, sep); i >= 0 {
			return strTuple3(s[:i], sep, s[i+len(sep):])
		}
		return strTuple3(s, "", "")
	})
	method(S, "rpartition", func(th *Thread, v Value, a []Value, kw []KV) Value {
		s, sep := self(v), nonEmptySep(th, a, "rpartition")
		if i := strings.LastIndex(s, sep); i >= 0 {
			return strTuple3(s[:i], sep, s[i+len(sep):])
		}
		return Tuple{Str(""), Str(""), Str(s)}
	})
	pred := func(name string, f func(rune) bool, needCased bool) {
		method(S, name, func(th *Thread, v Value, a []Value, kw []KV) Value {
			s := self(v)
			if s == "" {
				return False
			}
			for _, r := range s {
				if !f(r) {
					return False
				}
			}
			return True
		})
	}
	pred("isalpha", unicode.IsLetter, false)
	pred("isdigit", unicode.IsDigit, false)
	pred("isdecimal", unicode.IsDigit, false)
	pred("isnumeric", func(r rune) bool { return unicode.IsNumber(r) }, false)
	pred("isalnum", func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }, false)
	pred("isspace", isSpaceRune, false)
	pred("isascii", func(r rune) bool { return r < 0x80 }, false)
	pred("isprintable", unicode.IsPrint, false)
	method(S, "isascii", func(th *Thread, v Value, a []Value, kw []KV) Value { return MakeBool(isASCII(self(v))) })
	cased := func(name string, want func(rune) bool, other func(rune) bool) {
		method(S, name, func(th *Thread, v Value, a []Value, kw []KV) Value {
			has := false
			for _, r := range self(v) {
				if other(r) {
					return False
				}
				if want(r) {
					has = true
				}
			}
			return MakeBool(has)
		})
	}
	cased("islower", unicode.IsLower, unicode.IsUpper)
	cased("isupper", unicode.IsUpper, unicode.IsLower)
	method(S, "istitle", func(th *Thread, v Value, a []Value, kw []KV) Value {
		s := self(v)
		return MakeBool(s != "" && callStrMethod(th, s, "title") == s)
	})
	method(S, "isidentifier", func(th *Thread, v Value, a []Value, kw []KV) Value {
		s := self(v)
		if s == "" {
			return False
		}
		for i, r := range s {
			if !(r == '_' || unicode.IsLetter(r) || i > 0 && unicode.IsDigit(r)) {
				return False
			}
		}
		return True
	})
	method(S, "format", func(th *Thread, v Value, a []Value, kw []KV) Value { return Str(strFormat(th, self(v), a, kw)) })
	method(S, "format_map", func(th *Thread, v Value, a []Value, kw []KV) Value {
		d := a[0].(*Dict)
		var kws []KV
		for _, it := range d.Items() {
			kws = append(kws, KV{ToStr(th, it.Key), it.Value})
		}
		return Str(strFormat(th, self(v), nil, kws))
	})
	method(S, "encode", func(th *Thread, v Value, a []Value, kw []KV) Value {
		p := ParseArgs(th, "encode", a, kw, "encoding?", "errors?")
		return encodeStr(th, self(v), lookupCodec(th, p[0]), errorHandler(th, p[1]))
	})
	method(S, "expandtabs", func(th *Thread, v Value, a []Value, kw []KV) Value {
		size := 8
		if len(a) > 0 {
			size = int(toInt64(th, a[0]))
		}
		return Str(ExpandTabs(self(v), size))
	})
	method(S, "__len__", func(th *Thread, v Value, a []Value, kw []KV) Value { return MakeInt(int64(strLen(self(v)))) })
	method(S, "__contains__", func(th *Thread, v Value, a []Value, kw []KV) Value { return MakeBool(Contains(th, v, a[0])) })
	method(S, "__getitem__", func(th *Thread, v Value, a []Value, kw []KV) Value { return GetItem(th, v, a[0]) })
	method(S, "__add__", func(th *Thread, v Value, a []Value, kw []KV) Value { return Binary(th, tokPLUS, v, a[0]) })
	method(S, "__eq__", func(th *Thread, v Value, a []Value, kw []KV) Value { return MakeBool(Equal(th, v, a[0])) })
	method(S, "__str__", func(th *Thread, v Value, a []Value, kw []KV) Value { return v })
	method(S, "__hash__", func(th *Thread, v Value, a []Value, kw []KV) Value { return MakeInt(int64(Hash(th, v) >> 1)) })

	B := BytesClass
	method(B, "decode", func(th *Thread, v Value, a []Value, kw []KV) Value {
		p := ParseArgs(th, "decode", a, kw, "encoding?", "errors?")
		return decodeBytes(th, string(v.(Bytes)), lookupCodec(th, p[0]), errorHandler(th, p[1]))
	})
	method(B, "hex", func(th *Thread, v Value, a []Value, kw []KV) Value {
		const digits = "0123456789abcdef"
		b := v.(Bytes)
		out := make([]byte, 0, 2*len(b))
		for i := 0; i < len(b); i++ {
			out = append(out, digits[b[i]>>4], digits[b[i]&15])
		}
		return Str(out)
	})
}

func callStrMethod(th *Thread, s, name string) string {
	m, _ := StrClass.Lookup(name)
	return string(m.(*Builtin).Method(th, Str(s), nil, nil).(Str))
}

func strSplit(th *Thread, s string, sepv, maxv Value, rev bool) Value {
	max := -1
	if maxv != nil && maxv != None {
		max = int(toInt64(th, maxv))
	}
	if sepv == nil || sepv == None {
		fields := splitSpace(s)
		if max < 0 || len(fields) <= max+1 {
			return strList(fields)
		}
		// re-split preserving the remainder
		if !rev {
			var out []string
			rest := strings.TrimLeftFunc(s, isSpaceRune)
			for i := 0; i < max; i++ {
				j := strings.IndexFunc(rest, isSpaceRune)
				out = append(out, rest[:j])
				rest = strings.TrimLeftFunc(rest[j:], isSpaceRune)
			}
			return strList(append(out, rest))
		}
		var out []string
		rest := strings.TrimRightFunc(s, isSpaceRune)
		for i := 0; i < max; i++ {
			j := strings.LastIndexFunc(rest, isSpaceRune)
			_, size := utf8.DecodeRuneInString(rest[j:])
			out = append([]string{rest[j+size:]}, out...)
			rest = strings.TrimRightFunc(rest[:j], isSpaceRune)
		}
		return strList(append([]string{rest}, out...))
	}
	sep := strArg(th, sepv, "split")
	if sep == "" {
		th.ValueError("empty separator")
	}
	if max < 0 {
		return splitList(s, sep)
	}
	if !rev {
		return strList(strings.SplitN(s, sep, max+1))
	}
	var out []string
	for i := 0; i < max; i++ {
		j := strings.LastIndex(s, sep)
		if j < 0 {
			break
		}
		out = append([]string{s[j+len(sep):]}, out...)
		s = s[:j]
	}
	return strList(append([]string{s}, out...))
}

// strFormat implements str.format.
func strFormat(th *Thread, f string, args []Value, kw []KV) string {
	sf := strFormatter{th: th, args: args, kw: kw}
	return sf.format(f, 2)
}

// strFormatter expands the replacement fields of a str.format string; a spec
// may hold replacement fields itself, numbered on from the outer ones, one
// level deep as in CPython.
type strFormatter struct {
	th   *Thread
	args []Value
	kw   []KV
	auto int // the next automatically numbered argument
}

func (sf *strFormatter) format(f string, recursion int) string {
	th := sf.th
	if recursion <= 0 {
		th.ValueError("Max string recursion exceeded")
	}
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c == '}' {
			if i+1 < len(f) && f[i+1] == '}' {
				i++
			}
			b.WriteByte('}')
			continue
		}
		if c != '{' {
			b.WriteByte(c)
			continue
		}
		if i+1 < len(f) && f[i+1] == '{' {
			b.WriteByte('{')
			i++
			continue
		}
		depth := 1
		j := i + 1
		for ; j < len(f) && depth > 0; j++ {
			if f[j] == '{' {
				depth++
			} else if f[j] == '}' {
				depth--
			}
		}
		if depth != 0 {
			th.ValueError("Single '{' encountered in format string")
		}
		field := f[i+1 : j-1]
		i = j - 1
		name, spec, hasSpec := strings.Cut(field, ":")
		conv := byte(0)
		if k := strings.IndexByte(name, '!'); k >= 0 {
			if k+1 < len(name) {
				conv = name[k+1]
			}
			name = name[:k]
		}
		// the first part of name selects the argument; then .attr / [key]
		head := name
		rest := ""
		if k := strings.IndexAny(name, ".["); k >= 0 {
			head, rest = name[:k], name[k:]
		}
		v := sf.arg(head)
		for rest != "" {
			if rest[0] == '.' {
				k := strings.IndexAny(rest[1:], ".[")
				attr := rest[1:]
				if k >= 0 {
					attr, rest = rest[1:k+1], rest[k+1:]
				} else {
					rest = ""
				}
				v = GetAttr(th, v, attr)
			} else {
				k := strings.IndexByte(rest, ']')
				key := rest[1:k]
				rest = rest[k+1:]
				var kv Value = Str(key)
				if n, ok := atoiOK(key); ok {
					kv = MakeInt(int64(n))
				}
				v = GetItem(th, v, kv)
			}
		}
		switch conv {
		case 'r':
			v = Str(Repr(th, v))
		case 's':
			v = Str(ToStr(th, v))
		case 'a':
			v = Str(asciiRepr(th, v))
		}
		if hasSpec && strings.Contains(spec, "{") {
			spec = sf.format(spec, recursion-1)
		}
		var scratch [48]byte
		b.Write(appendFormattedAt(scratch[:0], th, v, spec))
	}
	return b.String()
}

// arg returns the argument a field's head names: the next positional one
// when it is empty, a positional one by number, else a keyword one.
func (sf *strFormatter) arg(head string) Value {
	th := sf.th
	switch {
	case head == "":
		if sf.auto >= len(sf.args) {
			th.Raise(IndexErrorClass, "Replacement index %d out of range for positional args tuple", sf.auto)
		}
		sf.auto++
		return sf.args[sf.auto-1]
	case head[0] >= '0' && head[0] <= '9':
		n := 0
		for _, d := range head {
			n = n*10 + int(d-'0')
		}
		if n >= len(sf.args) {
			th.Raise(IndexErrorClass, "Replacement index %d out of range for positional args tuple", n)
		}
		return sf.args[n]
	}
	a, ok := kwArg(sf.kw, head)
	if !ok {
		panic(keyError(th, Str(head)))
	}
	return a
}

func atoiOK(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// ExpandTabs replaces each tab in s with spaces up to the next multiple of
// size columns, as str.expandtabs does.
func ExpandTabs(s string, size int) string {
	var b strings.Builder
	col := 0
	for _, r := range s {
		switch r {
		case '\t':
			if size > 0 {
				n := size - col%size
				b.WriteString(strings.Repeat(" ", n))
				col += n
			}
		case '\n', '\r':
			b.WriteRune(r)
			col = 0
		default:
			b.WriteRune(r)
			col++
		}
	}
	return b.String()
}
