package interp

import (
	"strconv"
	"strings"
	"unsafe"
)

// A Str stored in a Value is a string header on the heap (16 bytes) pointing at
// the string's bytes: two allocations for every new str. strValue makes both in
// one block instead: the header at the start of a byte block, its data pointer
// aimed at the bytes that follow it, and the interface's data word aimed at the
// header. The block holds no pointer to anything but itself, so it may be
// allocated without pointer bits (the GC keeps it alive through the interface's
// pointer or through any copy of the header, an interior pointer).

// iface is the layout of a non-empty interface value (Value).
type iface struct {
	tab  unsafe.Pointer
	data unsafe.Pointer
}

// strTab is the method table word of a Str stored in a Value.
var strTab = func() unsafe.Pointer {
	var v Value = Str("")
	return (*iface)(unsafe.Pointer(&v)).tab
}()

// strHeaderSize is the size of a string header.
const strHeaderSize = int(unsafe.Sizeof(""))

// newStrBlock returns a str Value of n bytes and those bytes to fill in; the
// caller must fill them before the Value is used.
func newStrBlock(n int) (Value, []byte) {
	block := make([]byte, strHeaderSize+n)
	bytes := block[strHeaderSize:]
	hdr := unsafe.Pointer(unsafe.SliceData(block))
	*(*string)(hdr) = unsafe.String(unsafe.SliceData(bytes), n)
	var v Value
	p := (*iface)(unsafe.Pointer(&v))
	p.tab, p.data = strTab, hdr
	return v, bytes
}

// strValue returns s+t as a Value in one allocation.
func strValue(s, t string) Value {
	if len(s)+len(t) == 0 {
		return Str("")
	}
	v, b := newStrBlock(len(s) + len(t))
	copy(b, s)
	copy(b[len(s):], t)
	return v
}

// intStrValue returns str(n) as a Value in one allocation.
func intStrValue(n int64) Value {
	var digits [20]byte
	d := strconv.AppendInt(digits[:0], n, 10)
	v, b := newStrBlock(len(d))
	copy(b, d)
	return v
}

// strValueAt returns the str *p as a Value whose data word is p itself, without
// the header allocation of Str(*p): for the parts of a []string that nothing
// writes to again (the strs of a split), which share that slice's backing array.
func strValueAt(p *string) Value {
	var v Value
	i := (*iface)(unsafe.Pointer(&v))
	i.tab, i.data = strTab, unsafe.Pointer(p)
	return v
}

// asciiCaseValue is str.upper (upper) or str.lower of v, whose text is s, when s
// is ASCII, in one allocation, or v itself when no letter changes; ok is false
// when s is not ASCII (Unicode's full mappings apply then).
func asciiCaseValue(v Value, s string, upper bool) (r Value, ok bool) {
	from, to := byte('a'), byte('A')
	if !upper {
		from, to = 'A', 'a'
	}
	first := -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return nil, false
		}
		if first < 0 && c-from < 26 {
			first = i
		}
	}
	if first < 0 {
		return v, true
	}
	r, b := newStrBlock(len(s))
	copy(b, s[:first])
	for i := first; i < len(s); i++ {
		c := s[i]
		if c-from < 26 {
			c = c - from + to
		}
		b[i] = c
	}
	return r, true
}

// titleASCIIValue is str.title of an ASCII string in one allocation.
func titleASCIIValue(s string) Value {
	v, out := newStrBlock(len(s))
	prevCased := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if prevCased {
			out[i] = toLowerASCII(c)
		} else {
			out[i] = toUpperASCII(c)
		}
		prevCased = isASCIIAlpha(c)
	}
	return v
}

// replaceValue is str.replace(old, repl, n) of v (text s) for a non-empty old:
// v itself when old does not occur, else the result in one allocation. count
// is the number of replacements to make (at most n when n >= 0).
func replaceValue(v Value, s, old, repl string, count int) Value {
	if count == 0 {
		return v
	}
	r, b := newStrBlock(len(s) + count*(len(repl)-len(old)))
	w := 0
	for ; count > 0; count-- {
		j := strings.Index(s, old)
		w += copy(b[w:], s[:j])
		w += copy(b[w:], repl)
		s = s[j+len(old):]
	}
	copy(b[w:], s)
	return r
}

// joinValue is sep.join(parts) in one allocation.
func joinValue(sep string, parts []string, size int) Value {
	if len(parts) == 1 {
		return Str(parts[0])
	}
	r, b := newStrBlock(size)
	w := 0
	for i, p := range parts {
		if i > 0 {
			w += copy(b[w:], sep)
		}
		w += copy(b[w:], p)
	}
	return r
}

// strTuple3 is the tuple (a, b, c) of strs in one allocation: the tuple's
// array and the three string headers it points at (partition, rpartition).
func strTuple3(a, b, c string) Value {
	x := new(struct {
		v [3]Value
		s [3]string
	})
	x.s = [3]string{a, b, c}
	for i := range x.s {
		x.v[i] = strValueAt(&x.s[i])
	}
	return Tuple(x.v[:])
}
