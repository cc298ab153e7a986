package string

import (
	"regexp"
	"strings"
	"sync"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/re"
)

// Template.pattern: the compiled regular expression CPython builds from
// delimiter, idpattern, braceidpattern and flags. The base class's is the
// default one; Template itself scans with that default by hand (scanTemplate),
// and a subclass that sets its own pattern (a string, compiled with
// flags | re.VERBOSE as CPython's __init_subclass__ does, or a compiled
// pattern) is scanned with it: its named groups escaped, named, braced and
// invalid say what each match is.

var defaultPattern = sync.OnceValue(func() interp.Value {
	delim := regexp.QuoteMeta("$")
	id := `(?a:[_a-z][_a-z0-9]*)`
	src := `
            ` + delim + `(?:
              (?P<escaped>` + delim + `)  |   # Escape sequence of two delimiters
              (?P<named>` + id + `)       |   # delimiter and a Python identifier
              {(?P<braced>` + id + `)} |   # delimiter and a braced identifier
              (?P<invalid>)             # Other ill-formed delimiter exprs
            )
            `
	return re.Compile(nil, src, 2|re.Verbose)
})

// ownPattern is the pattern a Template subclass set itself, if any.
func ownPattern(th *interp.Thread, self interp.Value) (interp.Value, bool) {
	p, ok := interp.LookupAttr(th, self, "pattern")
	if !ok || interp.Identical(p, defaultPattern()) {
		return nil, false
	}
	if s, ok := p.(interp.Str); ok {
		flags := int64(2)
		if f, ok := interp.LookupAttr(th, self, "flags"); ok {
			flags = interp.ToInt64(th, f)
		}
		p = re.Compile(th, string(s), flags|re.Verbose)
	}
	return p, true
}

// scanWithPattern splits tpl into the parts scanTemplate makes, with the
// matches of pattern p.
func scanWithPattern(th *interp.Thread, self, p interp.Value, tpl string) []templatePart {
	delim := interp.ToStr(th, interp.GetAttr(th, self, "delimiter"))
	byteAt := runeOffsets(tpl)
	var parts []templatePart
	lit := 0
	interp.Iterate(th, interp.CallMethodOf(th, p, "finditer", interp.Str(tpl)), func(m interp.Value) bool {
		group := func(name string) (string, bool) {
			s, ok := interp.CallMethodOf(th, m, "group", interp.Str(name)).(interp.Str)
			return string(s), ok
		}
		start := byteAt[interp.ToInt64(th, interp.CallMethodOf(th, m, "start"))]
		end := byteAt[interp.ToInt64(th, interp.CallMethodOf(th, m, "end"))]
		if start > lit {
			parts = append(parts, templatePart{kind: 'l', text: tpl[lit:start]})
		}
		part := templatePart{text: tpl[start:end], pos: start}
		if name, ok := group("named"); ok {
			part.kind, part.name = 'n', name
		} else if name, ok := group("braced"); ok {
			part.kind, part.name = 'b', name
		} else if _, ok := group("escaped"); ok {
			part.kind, part.text = 'e', strings.Repeat(delim, 2)
		} else if _, ok := group("invalid"); ok {
			part.kind, part.pos = 'i', byteAt[interp.ToInt64(th, interp.CallMethodOf(th, m, "start", interp.Str("invalid")))]
		} else {
			th.ValueError("Unrecognized named group in pattern")
		}
		parts = append(parts, part)
		lit = end
		return true
	})
	if lit < len(tpl) {
		parts = append(parts, templatePart{kind: 'l', text: tpl[lit:]})
	}
	return parts
}

// runeOffsets maps each code point index of s (and len) to its byte offset.
func runeOffsets(s string) []int {
	at := make([]int, 0, len(s)+1)
	for i := range s {
		at = append(at, i)
	}
	return append(at, len(s))
}
