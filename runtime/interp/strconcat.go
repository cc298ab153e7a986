package interp

import "unsafe"

// minGrowConcat is the shortest result of s + t that is built in a buffer with
// room to grow; shorter results are plain Go concatenations.
const minGrowConcat = 64

// concat is s + t as a Value: a short result in one allocation (strValue), a
// long one by concatStr.
func (th *Thread) concat(s, t Str) Value {
	if n := len(s) + len(t); n < minGrowConcat && len(s) > 0 && len(t) > 0 {
		return strValue(string(s), string(t))
	}
	return th.concatStr(s, t)
}

// concatStr is s + t. Repeated `s += t` is linear, not quadratic: the result of a
// long concatenation is a prefix of a buffer with spare capacity (the thread's last
// such buffer), and when s is exactly that prefix, t is appended in place. Only
// bytes past every string handed out so far are written, so no str ever changes.
func (th *Thread) concatStr(s, t Str) Str {
	if len(t) == 0 {
		return s
	}
	n := len(s) + len(t)
	if th == nil || n < minGrowConcat {
		return s + t
	}
	b := th.concatBuf
	if len(b) == len(s) && len(s) > 0 && unsafe.StringData(string(s)) == unsafe.SliceData(b) && cap(b)-len(b) >= len(t) {
		b = append(b, t...)
	} else {
		b = make([]byte, n, 2*n)
		copy(b, s)
		copy(b[len(s):], t)
	}
	th.concatBuf = b
	return Str(unsafe.String(unsafe.SliceData(b), len(b)))
}
