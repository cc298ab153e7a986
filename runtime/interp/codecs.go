package interp

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// The text codecs of str.encode, bytes.decode and bytes(str, encoding):
// UTF-8, ASCII and Latin-1 under their CPython aliases, with the strict,
// ignore and replace error handlers. Any other name is CPython's LookupError.

type codec int

const (
	codecUTF8 codec = iota
	codecASCII
	codecLatin1
)

var codecNames = [...]string{"utf-8", "ascii", "latin-1"}

// codecAliases maps a normalised encoding name (lower case, '-' for '_' and
// ' ') to its codec.
var codecAliases = map[string]codec{
	"utf-8": codecUTF8, "utf8": codecUTF8, "u8": codecUTF8, "utf": codecUTF8, "cp65001": codecUTF8,
	"ascii": codecASCII, "us-ascii": codecASCII, "646": codecASCII, "us": codecASCII,
	"latin-1": codecLatin1, "latin1": codecLatin1, "iso-8859-1": codecLatin1, "iso8859-1": codecLatin1,
	"8859": codecLatin1, "cp819": codecLatin1, "l1": codecLatin1, "latin": codecLatin1,
}

// lookupCodec returns the codec an encoding argument names (UTF-8 when absent).
func lookupCodec(th *Thread, encoding Value) codec {
	if encoding == nil || encoding == None {
		return codecUTF8
	}
	name := strArg(th, encoding, "encode")
	norm := strings.ToLower(strings.NewReplacer("_", "-", " ", "-").Replace(strings.TrimSpace(name)))
	c, ok := codecAliases[norm]
	if !ok {
		th.Raise(LookupErrorClass, "unknown encoding: %s", name)
	}
	return c
}

// errorHandler returns the errors argument ("strict" when absent).
func errorHandler(th *Thread, errors Value) string {
	if errors == nil || errors == None {
		return "strict"
	}
	return strArg(th, errors, "encode")
}

// encodeStr encodes s with c; a character c cannot represent raises, is
// dropped ("ignore") or becomes '?' ("replace").
func encodeStr(th *Thread, s string, c codec, errors string) Bytes {
	if c == codecUTF8 {
		return Bytes(s)
	}
	limit := rune(0x7f)
	if c == codecLatin1 {
		limit = 0xff
	}
	out := make([]byte, 0, len(s))
	pos := 0
	for _, r := range s {
		switch {
		case r <= limit:
			out = append(out, byte(r))
		case errors == "ignore":
		case errors == "replace":
			out = append(out, '?')
		default:
			th.Raise(UnicodeEncodeErrorClass, "'%s' codec can't encode character %s in position %d: ordinal not in range(%d)",
				codecNames[c], charEscape(r), pos, limit+1)
		}
		pos++
	}
	return Bytes(out)
}

// charEscape is how CPython's encode errors name a character: '\xe9', '\u20ac'.
func charEscape(r rune) string {
	switch {
	case r <= 0xff:
		return fmt.Sprintf(`'\x%02x'`, r)
	case r <= 0xffff:
		return fmt.Sprintf(`'\u%04x'`, r)
	}
	return fmt.Sprintf(`'\U%08x'`, r)
}

// decodeBytes decodes b with c; an undecodable byte raises, is dropped
// ("ignore") or becomes U+FFFD ("replace").
func decodeBytes(th *Thread, b string, c codec, errors string) Str {
	switch c {
	case codecLatin1:
		rs := make([]rune, len(b))
		for i := 0; i < len(b); i++ {
			rs[i] = rune(b[i])
		}
		return Str(string(rs))
	case codecASCII:
		return decodeWith(th, b, errors, func(s string) (int, string) {
			if s[0] < 0x80 {
				return 1, ""
			}
			return 1, "ordinal not in range(128)"
		}, "ascii")
	}
	if utf8.ValidString(b) {
		return Str(b)
	}
	return decodeWith(th, b, errors, utf8Problem, "utf-8")
}

// decodeWith decodes b one sequence at a time; next returns the length of the
// sequence at the start of its argument and, when it is invalid, why.
func decodeWith(th *Thread, b, errors string, next func(string) (int, string), name string) Str {
	var out strings.Builder
	for i := 0; i < len(b); {
		n, reason := next(b[i:])
		if reason == "" {
			out.WriteString(b[i : i+n])
			i += n
			continue
		}
		switch errors {
		case "ignore":
		case "replace":
			out.WriteRune(utf8.RuneError)
		default:
			where := fmt.Sprintf("byte 0x%02x in position %d", b[i], i)
			if n > 1 {
				where = fmt.Sprintf("bytes in position %d-%d", i, i+n-1)
			}
			th.Raise(UnicodeDecodeErrorClass, "'%s' codec can't decode %s: %s", name, where, reason)
		}
		i += n
	}
	return Str(out.String())
}

// utf8Problem measures the UTF-8 sequence at the start of s and names what
// is wrong with it, in CPython's words.
func utf8Problem(s string) (int, string) {
	r, n := utf8.DecodeRuneInString(s)
	if r != utf8.RuneError || n > 1 {
		return n, ""
	}
	c := s[0]
	var want int
	switch {
	case c >= 0xc2 && c <= 0xdf:
		want = 2
	case c >= 0xe0 && c <= 0xef:
		want = 3
	case c >= 0xf0 && c <= 0xf4:
		want = 4
	default:
		return 1, "invalid start byte"
	}
	valid := 1 // continuation bytes that follow c
	for valid < want && valid < len(s) && s[valid]&0xc0 == 0x80 {
		valid++
	}
	if valid == len(s) && valid < want {
		return valid, "unexpected end of data"
	}
	return 1, "invalid continuation byte"
}
