package interp

import (
	"strings"
	"unicode/utf8"
)

func containsStr(s, sub string) bool { return strings.Contains(s, sub) }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
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
