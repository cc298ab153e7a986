package interp

import (
	"strconv"
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
