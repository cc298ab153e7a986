package interp

import (
	"strings"
	"unicode/utf8"
	"unsafe"
)

// A Jac str is UTF-8 without a stored length in code points, so len(s), s[i]
// and s[i:j] must know whether s is ASCII (then byte and code-point indexes
// agree) and, when it is not, where code point i starts. Finding out scans s:
// a loop that indexes a long str step by step (a tokenizer's `while i <
// len(src) { c = src[i]; ... }`) would be quadratic. Each thread therefore keeps
// a cursor on the last long str it indexed: whether it is ASCII, its length in
// code points, and the byte offset of the last code point it looked up, from
// which the next lookup walks. A str is identified by its data pointer and byte
// length; the cursor holds the str itself, so its bytes cannot be freed and
// reused by another str while it is cached, and no code writes to the bytes of
// a str once it exists (concatStr appends only past every str it handed out).

// strCursorMin is the shortest str that goes through the thread's cursor;
// shorter ones are scanned each time, which costs less than the bookkeeping.
const strCursorMin = 64

// strCursor describes one str for code-point indexing.
type strCursor struct {
	s       string
	ascii   bool
	runes   int // length in code points
	cp, off int // code point cp starts at byte off
}

// cursorFor returns the thread's cursor aimed at s, or nil when s is short or
// there is no thread.
func (th *Thread) cursorFor(s string) *strCursor {
	if th == nil || len(s) < strCursorMin {
		return nil
	}
	c := &th.strCur
	if len(s) == len(c.s) && unsafe.StringData(s) == unsafe.StringData(c.s) {
		return c
	}
	c.s, c.cp, c.off = s, 0, 0
	c.ascii = isASCII(s)
	c.runes = len(s)
	if !c.ascii {
		c.runes = utf8.RuneCountInString(s)
	}
	return c
}

// offset returns the byte offset at which code point cp (0 <= cp <= runes)
// starts, walking from the nearest of the str's start, its end and the last
// code point looked up.
func (c *strCursor) offset(cp int) int {
	if c.ascii {
		return cp
	}
	if cp >= c.runes {
		return len(c.s)
	}
	switch {
	case cp < c.cp-cp: // nearer the start
		c.cp, c.off = 0, 0
	case c.runes-cp < cp-c.cp: // nearer the end
		c.cp, c.off = c.runes, len(c.s)
	}
	for c.cp < cp {
		_, size := utf8.DecodeRuneInString(c.s[c.off:])
		c.off += size
		c.cp++
	}
	for c.cp > cp {
		_, size := utf8.DecodeLastRuneInString(c.s[:c.off])
		c.off -= size
		c.cp--
	}
	return c.off
}

// strASCII reports whether s is ASCII.
func (th *Thread) strASCII(s string) bool {
	if c := th.cursorFor(s); c != nil {
		return c.ascii
	}
	return isASCII(s)
}

// strRunes is len(s) in code points.
func (th *Thread) strRunes(s string) int {
	if c := th.cursorFor(s); c != nil {
		return c.runes
	}
	return strLen(s)
}

// strOffset is the byte offset of code point cp of s (0 <= cp <= len(s) in
// code points; len(s) in bytes past the end).
func (th *Thread) strOffset(s string, cp int) int {
	if c := th.cursorFor(s); c != nil {
		return c.offset(cp)
	}
	return byteOffset(s, cp)
}

// strIndex is s[k] for an int or slice k.
func strIndex(th *Thread, s string, k Value) Value {
	if sl, ok := k.(*SliceObj); ok {
		return strSlice(th, s, sl)
	}
	i := indexOf(th, k, "string")
	j, ok := normIndex(i, int64(th.strRunes(s)))
	if !ok {
		th.Raise(IndexErrorClass, "string index out of range")
	}
	off := th.strOffset(s, int(j))
	if c := s[off]; c < utf8.RuneSelf {
		return charStrs[c]
	}
	r, size := utf8.DecodeRuneInString(s[off:])
	if r < rune(len(charStrs)) {
		return charStrs[r]
	}
	return Str(s[off : off+size])
}

// strSlice is s[sl].
func strSlice(th *Thread, s string, sl *SliceObj) Value {
	start, stop, step := sliceIndices(th, sl, int64(th.strRunes(s)))
	if step == 1 {
		if start >= stop {
			return Str("")
		}
		from := th.strOffset(s, int(start))
		return Str(s[from:th.strOffset(s, int(stop))])
	}
	var b strings.Builder
	if th.strASCII(s) {
		for i := start; step > 0 && i < stop || step < 0 && i > stop; i += step {
			b.WriteByte(s[i])
		}
		return Str(b.String())
	}
	rs := []rune(s)
	for i := start; step > 0 && i < stop || step < 0 && i > stop; i += step {
		b.WriteRune(rs[i])
	}
	return Str(b.String())
}

// charStrs holds the strs of one code point below 256 (ASCII and Latin-1), so
// that s[i] and `for c in s` make no str for them.
var charStrs [256]Value

func init() {
	for i := range charStrs {
		charStrs[i] = Str(string(rune(i)))
	}
}

// charValue is the str of the one code point r, in one allocation when it is
// not in charStrs.
func charValue(r rune) Value {
	if r >= 0 && r < rune(len(charStrs)) {
		return charStrs[r]
	}
	v, b := newStrBlock(utf8.RuneLen(r))
	utf8.EncodeRune(b, r)
	return v
}
