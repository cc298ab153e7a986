package interp

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// toUpperFull is str.upper: Go's mapping plus the multi-character ones.
func toUpperFull(s string) string {
	if isASCII(s) {
		return strings.ToUpper(s)
	}
	return mapFull(s, func(b *strings.Builder, r rune) { writeCase(b, r, upperSpecial, unicode.ToUpper) })
}

// toLowerFull is str.lower.
func toLowerFull(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	return mapFull(s, func(b *strings.Builder, r rune) { writeCase(b, r, lowerSpecial, unicode.ToLower) })
}

// mapFull writes every rune of s through write.
func mapFull(s string, write func(b *strings.Builder, r rune)) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		write(&b, r)
	}
	return b.String()
}

// writeCase writes r's case mapping: special's when it has one, else simple's.
func writeCase(b *strings.Builder, r rune, special map[rune]string, simple func(rune) rune) {
	if r < utf8.RuneSelf { // no ASCII letter has a special mapping
		b.WriteByte(byte(simple(r)))
		return
	}
	if m, ok := special[r]; ok {
		b.WriteString(m)
		return
	}
	b.WriteRune(simple(r))
}

// Unicode's full case mappings (SpecialCasing.txt, the unconditional ones, as
// CPython applies them): the characters whose upper, lower, title or folded
// case is more than one character. Go's unicode package maps one rune to one
// rune; these tables cover the rest. Generated from CPython's str methods over
// every code point.

// upperSpecial is str.upper's multi-character results ('ß' → 'SS').
var upperSpecial = map[rune]string{
	0x00DF: "\u0053\u0053", 0x0149: "\u02BC\u004E", 0x01F0: "\u004A\u030C",
	0x0390: "\u0399\u0308\u0301", 0x03B0: "\u03A5\u0308\u0301", 0x0587: "\u0535\u0552",
	0x1E96: "\u0048\u0331", 0x1E97: "\u0054\u0308", 0x1E98: "\u0057\u030A", 0x1E99: "\u0059\u030A",
	0x1E9A: "\u0041\u02BE", 0x1F50: "\u03A5\u0313", 0x1F52: "\u03A5\u0313\u0300",
	0x1F54: "\u03A5\u0313\u0301", 0x1F56: "\u03A5\u0313\u0342", 0x1F80: "\u1F08\u0399",
	0x1F81: "\u1F09\u0399", 0x1F82: "\u1F0A\u0399", 0x1F83: "\u1F0B\u0399", 0x1F84: "\u1F0C\u0399",
	0x1F85: "\u1F0D\u0399", 0x1F86: "\u1F0E\u0399", 0x1F87: "\u1F0F\u0399", 0x1F88: "\u1F08\u0399",
	0x1F89: "\u1F09\u0399", 0x1F8A: "\u1F0A\u0399", 0x1F8B: "\u1F0B\u0399", 0x1F8C: "\u1F0C\u0399",
	0x1F8D: "\u1F0D\u0399", 0x1F8E: "\u1F0E\u0399", 0x1F8F: "\u1F0F\u0399", 0x1F90: "\u1F28\u0399",
	0x1F91: "\u1F29\u0399", 0x1F92: "\u1F2A\u0399", 0x1F93: "\u1F2B\u0399", 0x1F94: "\u1F2C\u0399",
	0x1F95: "\u1F2D\u0399", 0x1F96: "\u1F2E\u0399", 0x1F97: "\u1F2F\u0399", 0x1F98: "\u1F28\u0399",
	0x1F99: "\u1F29\u0399", 0x1F9A: "\u1F2A\u0399", 0x1F9B: "\u1F2B\u0399", 0x1F9C: "\u1F2C\u0399",
	0x1F9D: "\u1F2D\u0399", 0x1F9E: "\u1F2E\u0399", 0x1F9F: "\u1F2F\u0399", 0x1FA0: "\u1F68\u0399",
	0x1FA1: "\u1F69\u0399", 0x1FA2: "\u1F6A\u0399", 0x1FA3: "\u1F6B\u0399", 0x1FA4: "\u1F6C\u0399",
	0x1FA5: "\u1F6D\u0399", 0x1FA6: "\u1F6E\u0399", 0x1FA7: "\u1F6F\u0399", 0x1FA8: "\u1F68\u0399",
	0x1FA9: "\u1F69\u0399", 0x1FAA: "\u1F6A\u0399", 0x1FAB: "\u1F6B\u0399", 0x1FAC: "\u1F6C\u0399",
	0x1FAD: "\u1F6D\u0399", 0x1FAE: "\u1F6E\u0399", 0x1FAF: "\u1F6F\u0399", 0x1FB2: "\u1FBA\u0399",
	0x1FB3: "\u0391\u0399", 0x1FB4: "\u0386\u0399", 0x1FB6: "\u0391\u0342",
	0x1FB7: "\u0391\u0342\u0399", 0x1FBC: "\u0391\u0399", 0x1FC2: "\u1FCA\u0399",
	0x1FC3: "\u0397\u0399", 0x1FC4: "\u0389\u0399", 0x1FC6: "\u0397\u0342",
	0x1FC7: "\u0397\u0342\u0399", 0x1FCC: "\u0397\u0399", 0x1FD2: "\u0399\u0308\u0300",
	0x1FD3: "\u0399\u0308\u0301", 0x1FD6: "\u0399\u0342", 0x1FD7: "\u0399\u0308\u0342",
	0x1FE2: "\u03A5\u0308\u0300", 0x1FE3: "\u03A5\u0308\u0301", 0x1FE4: "\u03A1\u0313",
	0x1FE6: "\u03A5\u0342", 0x1FE7: "\u03A5\u0308\u0342", 0x1FF2: "\u1FFA\u0399",
	0x1FF3: "\u03A9\u0399", 0x1FF4: "\u038F\u0399", 0x1FF6: "\u03A9\u0342",
	0x1FF7: "\u03A9\u0342\u0399", 0x1FFC: "\u03A9\u0399", 0xFB00: "\u0046\u0046",
	0xFB01: "\u0046\u0049", 0xFB02: "\u0046\u004C", 0xFB03: "\u0046\u0046\u0049",
	0xFB04: "\u0046\u0046\u004C", 0xFB05: "\u0053\u0054", 0xFB06: "\u0053\u0054",
	0xFB13: "\u0544\u0546", 0xFB14: "\u0544\u0535", 0xFB15: "\u0544\u053B", 0xFB16: "\u054E\u0546",
	0xFB17: "\u0544\u053D",
}

// lowerSpecial is str.lower's multi-character results ('İ' → 'i̇').
var lowerSpecial = map[rune]string{
	0x0130: "\u0069\u0307",
}

// titleSpecial is the multi-character titlecase of a word's first letter ('ß' → 'Ss').
var titleSpecial = map[rune]string{
	0x00DF: "\u0053\u0073", 0x0149: "\u02BC\u004E", 0x01F0: "\u004A\u030C",
	0x0390: "\u0399\u0308\u0301", 0x03B0: "\u03A5\u0308\u0301", 0x0587: "\u0535\u0582",
	0x1E96: "\u0048\u0331", 0x1E97: "\u0054\u0308", 0x1E98: "\u0057\u030A", 0x1E99: "\u0059\u030A",
	0x1E9A: "\u0041\u02BE", 0x1F50: "\u03A5\u0313", 0x1F52: "\u03A5\u0313\u0300",
	0x1F54: "\u03A5\u0313\u0301", 0x1F56: "\u03A5\u0313\u0342", 0x1FB2: "\u1FBA\u0345",
	0x1FB4: "\u0386\u0345", 0x1FB6: "\u0391\u0342", 0x1FB7: "\u0391\u0342\u0345",
	0x1FC2: "\u1FCA\u0345", 0x1FC4: "\u0389\u0345", 0x1FC6: "\u0397\u0342",
	0x1FC7: "\u0397\u0342\u0345", 0x1FD2: "\u0399\u0308\u0300", 0x1FD3: "\u0399\u0308\u0301",
	0x1FD6: "\u0399\u0342", 0x1FD7: "\u0399\u0308\u0342", 0x1FE2: "\u03A5\u0308\u0300",
	0x1FE3: "\u03A5\u0308\u0301", 0x1FE4: "\u03A1\u0313", 0x1FE6: "\u03A5\u0342",
	0x1FE7: "\u03A5\u0308\u0342", 0x1FF2: "\u1FFA\u0345", 0x1FF4: "\u038F\u0345",
	0x1FF6: "\u03A9\u0342", 0x1FF7: "\u03A9\u0342\u0345", 0xFB00: "\u0046\u0066",
	0xFB01: "\u0046\u0069", 0xFB02: "\u0046\u006C", 0xFB03: "\u0046\u0066\u0069",
	0xFB04: "\u0046\u0066\u006C", 0xFB05: "\u0053\u0074", 0xFB06: "\u0053\u0074",
	0xFB13: "\u0544\u0576", 0xFB14: "\u0544\u0565", 0xFB15: "\u0544\u056B", 0xFB16: "\u054E\u0576",
	0xFB17: "\u0544\u056D",
}

// foldSpecial is str.casefold's multi-character results ('ß' → 'ss').
var foldSpecial = map[rune]string{
	0x00DF: "\u0073\u0073", 0x0130: "\u0069\u0307", 0x0149: "\u02BC\u006E", 0x01F0: "\u006A\u030C",
	0x0390: "\u03B9\u0308\u0301", 0x03B0: "\u03C5\u0308\u0301", 0x0587: "\u0565\u0582",
	0x1E96: "\u0068\u0331", 0x1E97: "\u0074\u0308", 0x1E98: "\u0077\u030A", 0x1E99: "\u0079\u030A",
	0x1E9A: "\u0061\u02BE", 0x1E9E: "\u0073\u0073", 0x1F50: "\u03C5\u0313",
	0x1F52: "\u03C5\u0313\u0300", 0x1F54: "\u03C5\u0313\u0301", 0x1F56: "\u03C5\u0313\u0342",
	0x1F80: "\u1F00\u03B9", 0x1F81: "\u1F01\u03B9", 0x1F82: "\u1F02\u03B9", 0x1F83: "\u1F03\u03B9",
	0x1F84: "\u1F04\u03B9", 0x1F85: "\u1F05\u03B9", 0x1F86: "\u1F06\u03B9", 0x1F87: "\u1F07\u03B9",
	0x1F88: "\u1F00\u03B9", 0x1F89: "\u1F01\u03B9", 0x1F8A: "\u1F02\u03B9", 0x1F8B: "\u1F03\u03B9",
	0x1F8C: "\u1F04\u03B9", 0x1F8D: "\u1F05\u03B9", 0x1F8E: "\u1F06\u03B9", 0x1F8F: "\u1F07\u03B9",
	0x1F90: "\u1F20\u03B9", 0x1F91: "\u1F21\u03B9", 0x1F92: "\u1F22\u03B9", 0x1F93: "\u1F23\u03B9",
	0x1F94: "\u1F24\u03B9", 0x1F95: "\u1F25\u03B9", 0x1F96: "\u1F26\u03B9", 0x1F97: "\u1F27\u03B9",
	0x1F98: "\u1F20\u03B9", 0x1F99: "\u1F21\u03B9", 0x1F9A: "\u1F22\u03B9", 0x1F9B: "\u1F23\u03B9",
	0x1F9C: "\u1F24\u03B9", 0x1F9D: "\u1F25\u03B9", 0x1F9E: "\u1F26\u03B9", 0x1F9F: "\u1F27\u03B9",
	0x1FA0: "\u1F60\u03B9", 0x1FA1: "\u1F61\u03B9", 0x1FA2: "\u1F62\u03B9", 0x1FA3: "\u1F63\u03B9",
	0x1FA4: "\u1F64\u03B9", 0x1FA5: "\u1F65\u03B9", 0x1FA6: "\u1F66\u03B9", 0x1FA7: "\u1F67\u03B9",
	0x1FA8: "\u1F60\u03B9", 0x1FA9: "\u1F61\u03B9", 0x1FAA: "\u1F62\u03B9", 0x1FAB: "\u1F63\u03B9",
	0x1FAC: "\u1F64\u03B9", 0x1FAD: "\u1F65\u03B9", 0x1FAE: "\u1F66\u03B9", 0x1FAF: "\u1F67\u03B9",
	0x1FB2: "\u1F70\u03B9", 0x1FB3: "\u03B1\u03B9", 0x1FB4: "\u03AC\u03B9", 0x1FB6: "\u03B1\u0342",
	0x1FB7: "\u03B1\u0342\u03B9", 0x1FBC: "\u03B1\u03B9", 0x1FC2: "\u1F74\u03B9",
	0x1FC3: "\u03B7\u03B9", 0x1FC4: "\u03AE\u03B9", 0x1FC6: "\u03B7\u0342",
	0x1FC7: "\u03B7\u0342\u03B9", 0x1FCC: "\u03B7\u03B9", 0x1FD2: "\u03B9\u0308\u0300",
	0x1FD3: "\u03B9\u0308\u0301", 0x1FD6: "\u03B9\u0342", 0x1FD7: "\u03B9\u0308\u0342",
	0x1FE2: "\u03C5\u0308\u0300", 0x1FE3: "\u03C5\u0308\u0301", 0x1FE4: "\u03C1\u0313",
	0x1FE6: "\u03C5\u0342", 0x1FE7: "\u03C5\u0308\u0342", 0x1FF2: "\u1F7C\u03B9",
	0x1FF3: "\u03C9\u03B9", 0x1FF4: "\u03CE\u03B9", 0x1FF6: "\u03C9\u0342",
	0x1FF7: "\u03C9\u0342\u03B9", 0x1FFC: "\u03C9\u03B9", 0xFB00: "\u0066\u0066",
	0xFB01: "\u0066\u0069", 0xFB02: "\u0066\u006C", 0xFB03: "\u0066\u0066\u0069",
	0xFB04: "\u0066\u0066\u006C", 0xFB05: "\u0073\u0074", 0xFB06: "\u0073\u0074",
	0xFB13: "\u0574\u0576", 0xFB14: "\u0574\u0565", 0xFB15: "\u0574\u056B", 0xFB16: "\u057E\u0576",
	0xFB17: "\u0574\u056D",
}
