package interp

import (
	"strings"
	"unicode/utf8"
	"unsafe"
)

func containsStr(s, sub string) bool { return strings.Contains(s, sub) }

// asciiMask has the high bit of each byte of a word set: a word of text is ASCII
// when it has none of them.
const asciiMask = 0x8080808080808080

// isASCII reports whether s holds only ASCII bytes, eight at a time.
func isASCII(s string) bool {
	p := unsafe.Pointer(unsafe.StringData(s))
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if *(*uint64)(unsafe.Add(p, i))&asciiMask != 0 { // unaligned loads: amd64, arm64
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// strLen is len() of a str in code points.
func strLen(s string) int {
	if isASCII(s) {
		return len(s)
	}
	return utf8.RuneCountInString(s)
}
