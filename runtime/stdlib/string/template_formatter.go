package string

import (
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/internal/native"
)

var (
	templateClass  = native.NewClass("Template", "string")
	formatterClass = native.NewClass("Formatter", "string")
)

var templatePatterns sync.Map

// pattern -> *regexp.Regexp

func templateRegexp(th *interp.Thread, pat string, ignoreCase bool) *regexp.Regexp {
	pat = strings.ReplaceAll(pat, "(?a:", "(?:")
	key := pat
	if ignoreCase {
		key = "(?i)" + pat
	}
	if r, ok := templatePatterns.Load(key); ok {
		return r.(*regexp.Regexp)
	}
	r, err := regexp.Compile("^(?:" + key + ")")
	if err != nil {
		th.ValueError("bad idpattern: %s", pat)
	}
	templatePatterns.Store(key, r)
	return r
}

type templatePart struct {
	kind       byte // 'l' literal, 'e' escaped, 'n' named, 'b' braced, 'i' invalid
	text, name string
	pos        int // of an invalid placeholder: where CPython's empty "invalid" group starts
}

// scanTemplate splits a template into literal text and placeholders.
func scanTemplate(th *interp.Thread, self interp.Value, tpl string) []templatePart {
	if p, ok := ownPattern(th, self); ok {
		return scanWithPattern(th, self, p, tpl)
	}
	attr := func(name string) interp.Value {
		v, _ := interp.LookupAttr(th, self, name)
		return v
	}
	delim := interp.ToStr(th, attr("delimiter"))
	idp := interp.ToStr(th, attr("idpattern"))
	bidp := idp
	if b := attr("braceidpattern"); b != nil && b != interp.None {
		bidp = interp.ToStr(th, b)
	}
	ignoreCase := true
	if f := attr("flags"); f != nil {
		if n, ok := f.(interp.Int); ok {
			ignoreCase = n&2 != 0
		} else if fv, ok := interp.LookupAttr(th, f, "value"); ok {
			if n, ok := fv.(interp.Int); ok {
				ignoreCase = n&2 != 0
			}
		}
	}
	idRe := templateRegexp(th, idp, ignoreCase)
	bRe := templateRegexp(th, bidp, ignoreCase)
	var parts []templatePart
	lit := 0
	i := 0
	for delim != "" && i < len(tpl) {
		j := strings.Index(tpl[i:], delim)
		if j < 0 {
			break
		}
		j += i
		if j > lit {
			parts = append(parts, templatePart{kind: 'l', text: tpl[lit:j]})
		}
		rest := tpl[j+len(delim):]
		switch {
		case strings.HasPrefix(rest, delim):
			parts = append(parts, templatePart{kind: 'e', text: tpl[j : j+2*len(delim)]})
			i = j + 2*len(delim)
		case idRe.MatchString(rest):
			m := idRe.FindString(rest)
			parts = append(parts, templatePart{kind: 'n', text: delim + m, name: m})
			i = j + len(delim) + len(m)
		default:
			if strings.HasPrefix(rest, "{") {
				if m := bRe.FindString(rest[1:]); m != "" && strings.HasPrefix(rest[1+len(m):], "}") {
					parts = append(parts, templatePart{kind: 'b', text: delim + "{" + m + "}", name: m})
					i = j + len(delim) + len(m) + 2
					break
				}
			}
			parts = append(parts, templatePart{kind: 'i', text: delim, pos: j + len(delim)})
			i = j + len(delim)
		}
		lit = i
	}
	if lit < len(tpl) {
		parts = append(parts, templatePart{kind: 'l', text: tpl[lit:]})
	}
	return parts
}

func templateOf(th *interp.Thread, self interp.Value) string {
	return interp.ToStr(th, interp.GetAttr(th, self, "template"))
}

func substitute(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV, safe bool) interp.Value {
	if len(args) > 1 {
		th.TypeError("Too many positional arguments")
	}
	var mapping interp.Value
	if len(args) == 1 {
		mapping = args[0]
	}
	lookup := func(name string) (interp.Value, bool) {
		for _, a := range kw {
			if a.Name == name {
				return a.Value, true
			}
		}
		if mapping == nil {
			return nil, false
		}
		if d, ok := mapping.(*interp.Dict); ok {
			return d.Get(th, interp.Str(name))
		}
		var r interp.Value
		found := true
		if err := th.Protect(func() { r = interp.GetItem(th, mapping, interp.Str(name)) }); err != nil {
			e, ok := err.(*interp.Exception)
			if !ok || !e.ExcValue().Class().IsSubclass(interp.KeyErrorClass) {
				th.RaiseValue(e.ExcValue())
			}
			found = false
		}
		return r, found
	}
	tpl := templateOf(th, self)
	var b strings.Builder
	for _, p := range scanTemplate(th, self, tpl) {
		switch p.kind {
		case 'l':
			b.WriteString(p.text)
		case 'e':
			b.WriteString(p.text[:len(p.text)/2])
		case 'n', 'b':
			v, ok := lookup(p.name)
			if !ok {
				if safe {
					b.WriteString(p.text)
					continue
				}
				th.RaiseValue(interp.NewException(th, interp.KeyErrorClass, p.name))
			}
			b.WriteString(interp.ToStr(th, v))
		case 'i':
			if safe {
				b.WriteString(p.text)
				continue
			}
			at := p.pos
			lines := strings.SplitAfter(tpl[:at], "\n")
			if lines[len(lines)-1] == "" {
				lines = lines[:len(lines)-1]
			}
			lineno, colno := 1, 1
			if len(lines) > 0 {
				colno = at - len(strings.Join(lines[:len(lines)-1], ""))
				lineno = len(lines)
			}
			th.ValueError("Invalid placeholder in string: line %d, col %d", lineno, colno)
		}
	}
	return interp.Str(b.String())
}

func init() {
	templateClass.SetAttr("delimiter", interp.Str("$"))
	templateClass.SetAttr("idpattern", interp.Str(`(?a:[_a-z][_a-z0-9]*)`))
	templateClass.SetAttr("braceidpattern", interp.None)
	templateClass.SetAttr("flags", interp.MakeInt(2))
	templateClass.SetAttr("pattern", defaultPattern())
	interp.DefMethod(templateClass, "__init__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "Template", args, kw, "template")
		self.(*interp.Instance).SetExtraAttr("template", a[0])
		return interp.None
	})
	interp.DefMethod(templateClass, "substitute", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		return substitute(th, self, args, kw, false)
	})
	interp.DefMethod(templateClass, "safe_substitute", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		return substitute(th, self, args, kw, true)
	})
	interp.DefMethod(templateClass, "get_identifiers", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		var out []interp.Value
		seen := map[string]bool{}
		for _, p := range scanTemplate(th, self, templateOf(th, self)) {
			if (p.kind == 'n' || p.kind == 'b') && !seen[p.name] {
				seen[p.name] = true
				out = append(out, interp.Str(p.name))
			}
		}
		return interp.NewList(out)
	})
	interp.DefMethod(templateClass, "is_valid", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		for _, p := range scanTemplate(th, self, templateOf(th, self)) {
			if p.kind == 'i' {
				return interp.False
			}
		}
		return interp.True
	})
	registerFormatter()
	interp.ExtendModule("string", func(m *interp.Module) {
		m.Set("Template", templateClass)
		m.Set("Formatter", formatterClass)
	})
}

// ---- Formatter ----

type formatField struct {
	literal, name, spec, conv string
	hasField                  bool
}

// parseFormat splits a format string as string.Formatter.parse does.
func parseFormat(th *interp.Thread, s string) []formatField {
	var out []formatField
	var lit strings.Builder
	i := 0
	for i < len(s) {
		c := s[i]
		if c == '{' {
			if i+1 < len(s) && s[i+1] == '{' {
				lit.WriteByte('{')
				out = append(out, formatField{literal: lit.String()})
				lit.Reset()
				i += 2
				continue
			}
			// find matching close, allowing nested braces in the spec
			depth, j := 1, i+1
			for j < len(s) && depth > 0 {
				if s[j] == '{' {
					depth++
				} else if s[j] == '}' {
					depth--
				}
				j++
			}
			if depth != 0 {
				th.ValueError("expected '}' before end of string")
			}
			field := s[i+1 : j-1]
			f := formatField{literal: lit.String(), hasField: true}
			lit.Reset()
			// name [!conv] [:spec]; the name ends at the first ! or : outside brackets
			k, inBr := 0, false
			for k < len(field) {
				ch := field[k]
				if ch == '[' {
					inBr = true
				} else if ch == ']' {
					inBr = false
				} else if !inBr && (ch == '!' || ch == ':') {
					break
				}
				k++
			}
			f.name = field[:k]
			rest := field[k:]
			if strings.HasPrefix(rest, "!") {
				if len(rest) < 2 {
					th.ValueError("end of string while looking for conversion specifier")
				}
				f.conv = rest[1:2]
				rest = rest[2:]
				if rest != "" && rest[0] != ':' {
					th.ValueError("expected ':' after conversion specifier")
				}
			}
			if strings.HasPrefix(rest, ":") {
				f.spec = rest[1:]
			}
			out = append(out, f)
			i = j
			continue
		}
		if c == '}' {
			if i+1 < len(s) && s[i+1] == '}' {
				lit.WriteByte('}')
				out = append(out, formatField{literal: lit.String()})
				lit.Reset()
				i += 2
				continue
			}
			th.ValueError("Single '}' encountered in format string")
		}
		lit.WriteByte(c)
		i++
	}
	if lit.Len() > 0 {
		out = append(out, formatField{literal: lit.String()})
	}
	return out
}

func callMethod(th *interp.Thread, self interp.Value, name string, args ...interp.Value) interp.Value {
	m := interp.GetAttr(th, self, name)
	return th.Call(m, args, nil)
}

func vformat(th *interp.Thread, self interp.Value, s string, args, kwargs interp.Value, depth int) string {
	if depth < 0 {
		th.ValueError("Max string recursion exceeded")
	}
	var b strings.Builder
	auto := 0
	manual := false
	for _, f := range parseFormat(th, s) {
		b.WriteString(f.literal)
		if !f.hasField {
			continue
		}
		name := f.name
		// split first part of the field name
		first, rest := name, ""
		if k := strings.IndexAny(name, ".["); k >= 0 {
			first, rest = name[:k], name[k:]
		}
		var key interp.Value
		if first == "" {
			if manual {
				th.ValueError("cannot switch from manual field specification to automatic field numbering")
			}
			key = interp.MakeInt(int64(auto))
			auto++
		} else if n, err := strconv.Atoi(first); err == nil {
			if auto > 0 {
				th.ValueError("cannot switch from automatic field numbering to manual field specification")
			}
			manual = true
			key = interp.MakeInt(int64(n))
		} else {
			key = interp.Str(first)
		}
		obj := callMethod(th, self, "get_value", key, args, kwargs)
		for rest != "" {
			if rest[0] == '.' {
				k := strings.IndexAny(rest[1:], ".[")
				attr := rest[1:]
				if k >= 0 {
					attr, rest = rest[1:1+k], rest[1+k:]
				} else {
					rest = ""
				}
				obj = interp.GetAttr(th, obj, attr)
			} else {
				k := strings.IndexByte(rest, ']')
				if k < 0 {
					th.ValueError("Missing ']' in format string")
				}
				idx := rest[1:k]
				rest = rest[k+1:]
				var kv interp.Value = interp.Str(idx)
				if n, err := strconv.Atoi(idx); err == nil {
					kv = interp.MakeInt(int64(n))
				}
				obj = interp.GetItem(th, obj, kv)
			}
		}
		if f.conv != "" {
			obj = callMethod(th, self, "convert_field", obj, interp.Str(f.conv))
		}
		spec := f.spec
		if strings.Contains(spec, "{") {
			spec = vformat(th, self, spec, args, kwargs, depth-1)
		}
		b.WriteString(interp.ToStr(th, callMethod(th, self, "format_field", obj, interp.Str(spec))))
	}
	return b.String()
}

func registerFormatter() {
	def := func(name string, fn func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value) {
		interp.DefMethod(formatterClass, name, fn)
	}
	def("format", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		if len(args) < 1 {
			th.TypeError("format() missing required argument 'format_string' (pos 1)")
		}
		d := interp.NewDict()
		for _, a := range kw {
			d.SetStr(a.Name, a.Value)
		}
		return callMethod(th, self, "vformat", args[0], interp.Tuple(append([]interp.Value(nil), args[1:]...)), d)
	})
	def("vformat", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "vformat", args, kw, "format_string", "args", "kwargs")
		return interp.Str(vformat(th, self, interp.ToStr(th, a[0]), a[1], a[2], 2))
	})
	def("parse", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "parse", args, kw, "format_string")
		var out []interp.Value
		for _, f := range parseFormat(th, interp.ToStr(th, a[0])) {
			if !f.hasField {
				out = append(out, interp.Tuple{interp.Str(f.literal), interp.None, interp.None, interp.None})
				continue
			}
			var conv interp.Value = interp.None
			if f.conv != "" {
				conv = interp.Str(f.conv)
			}
			out = append(out, interp.Tuple{interp.Str(f.literal), interp.Str(f.name), interp.Str(f.spec), conv})
		}
		return interp.NewList(out)
	})
	def("get_value", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "get_value", args, kw, "key", "args", "kwargs")
		if _, ok := a[0].(interp.Int); ok {
			return interp.GetItem(th, a[1], a[0])
		}
		return interp.GetItem(th, a[2], a[0])
	})
	def("get_field", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "get_field", args, kw, "field_name", "args", "kwargs")
		name := interp.ToStr(th, a[0])
		first := name
		if k := strings.IndexAny(name, ".["); k >= 0 {
			first = name[:k]
		}
		var key interp.Value = interp.Str(first)
		if n, err := strconv.Atoi(first); err == nil {
			key = interp.MakeInt(int64(n))
		}
		obj := callMethod(th, self, "get_value", key, a[1], a[2])
		if first != name {
			obj = interp.Str(vformat(th, self, "{"+name+"}", a[1], a[2], 2))
		}
		return interp.Tuple{obj, key}
	})
	def("check_unused_args", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		return interp.None
	})
	def("format_field", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "format_field", args, kw, "value", "format_spec")
		return interp.Str(interp.Format(th, a[0], interp.ToStr(th, a[1])))
	})
	def("convert_field", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "convert_field", args, kw, "value", "conversion")
		if a[1] == interp.None {
			return a[0]
		}
		switch interp.ToStr(th, a[1]) {
		case "s":
			return interp.Str(interp.ToStr(th, a[0]))
		case "r":
			return interp.Str(interp.Repr(th, a[0]))
		case "a":
			return interp.Str(interp.Repr(th, a[0]))
		}
		th.ValueError("Unknown conversion specifier %s", interp.ToStr(th, a[1]))
		return nil
	})
}
