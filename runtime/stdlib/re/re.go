// Package re implements Python's re module on Go's regexp, translating Python's
// pattern syntax.
package re

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/internal/native"
)

// Python's re on top of Go's regexp (RE2). Lookarounds and backreferences have
// no RE2 equivalent: they raise re.error naming the construct.

var (
	reErrorClass = interp.NewBuiltinClass("error", interp.ExceptionClass)
	patternClass = interp.NewBuiltinClass("Pattern", interp.ObjectClass)
	matchClass   = interp.NewBuiltinClass("Match", interp.ObjectClass)
)

const (
	reI = 2
	reL = 4
	reM = 8
	reS = 16
	reU = 32
	reX = 64
	reA = 256
)

type pattern struct {
	src   string
	flags int64
	re    *regexp.Regexp

	nesting sync.Once
	parents []int // enclosing group of each group (see nesting.go)
}

func (*pattern) Class() *interp.Class { return patternClass }

type match struct {
	p   *pattern
	s   string
	loc []int // byte offsets of groups
}

func (*match) Class() *interp.Class { return matchClass }

// cache holds compiled patterns by flags and source, shared by every
// isolate of a server (patterns are immutable once compiled).
var cache = struct {
	sync.Mutex
	m map[string]*pattern
}{m: map[string]*pattern{}}

func translate(th *interp.Thread, pat string, flags int64) string {
	var b strings.Builder
	inClass := false
	for i := 0; i < len(pat); i++ {
		c := pat[i]
		switch {
		case c == '\\' && i+1 < len(pat):
			n := pat[i+1]
			switch {
			case n >= '1' && n <= '9' && !inClass:
				th.Raise(reErrorClass, "backreferences (\\%c) are not supported: Go's regexp (RE2) has no backtracking", n)
			case n == 'Z':
				b.WriteString(`\z`)
			default:
				b.WriteByte(c)
				b.WriteByte(n)
			}
			i++
			continue
		case c == '[' && !inClass:
			inClass = true
		case c == ']' && inClass:
			inClass = false
		case c == '(' && !inClass && strings.HasPrefix(pat[i:], "(?"):
			rest := pat[i+2:]
			switch {
			case strings.HasPrefix(rest, "="), strings.HasPrefix(rest, "!"):
				th.Raise(reErrorClass, "lookahead assertions (%s) are not supported: Go's regexp (RE2) has no lookarounds", pat[i:i+3])
			case strings.HasPrefix(rest, "<="), strings.HasPrefix(rest, "<!"):
				th.Raise(reErrorClass, "lookbehind assertions (%s) are not supported: Go's regexp (RE2) has no lookarounds", pat[i:i+4])
			case strings.HasPrefix(rest, "P="):
				th.Raise(reErrorClass, "named backreferences (?P=...) are not supported by Go's regexp (RE2)")
			case strings.HasPrefix(rest, "<") && !strings.HasPrefix(rest, "<="):
				b.WriteString("(?P<")
				i += 2
				continue
			case strings.HasPrefix(rest, "a:"):
				// An ASCII-only group: RE2's \w, \d, \s and \b are ASCII already.
				b.WriteString("(?:")
				i += 3
				continue
			}
		case flags&reX != 0 && !inClass && (c == ' ' || c == '\t' || c == '\n'):
			continue
		case flags&reX != 0 && !inClass && c == '#':
			for i < len(pat) && pat[i] != '\n' {
				i++
			}
			continue
		}
		b.WriteByte(c)
	}
	prefix := ""
	if flags&reI != 0 {
		prefix += "i"
	}
	if flags&reM != 0 {
		prefix += "m"
	}
	if flags&reS != 0 {
		prefix += "s"
	}
	if prefix != "" {
		return "(?" + prefix + ")" + b.String()
	}
	return b.String()
}

func compilePattern(th *interp.Thread, v interp.Value, flags int64) *pattern {
	if p, ok := v.(*pattern); ok {
		return p
	}
	src := interp.ToStr(th, v)
	if flags&reL != 0 {
		th.ValueError("cannot use LOCALE flag with a str pattern")
	}
	key := strconv.FormatInt(flags, 10) + ":" + src
	cache.Lock()
	p, ok := cache.m[key]
	cache.Unlock()
	if ok {
		return p
	}
	re, err := regexp.Compile(translate(th, src, flags))
	if err != nil {
		th.Raise(reErrorClass, "%s", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
	}
	p = &pattern{src: src, flags: flags, re: re}
	cache.Lock()
	if len(cache.m) > 512 {
		clear(cache.m)
	}
	cache.m[key] = p
	cache.Unlock()
	return p
}

// Compile is re.compile(src, flags) for Go callers: the modules that keep a
// compiled pattern of their own (string.Template.pattern). th may be nil for
// a pattern known to be valid.
func Compile(th *interp.Thread, src string, flags int64) interp.Value {
	return compilePattern(th, interp.Str(src), flags)
}

// Verbose is re.VERBOSE.
const Verbose = reX

func cpOff(s string, b int) int {
	if b < 0 {
		return -1
	}
	return utf8.RuneCountInString(s[:b])
}

func (p *pattern) anchored(th *interp.Thread, full bool) *regexp.Regexp {
	suffix := ""
	if full {
		suffix = `\z`
	}
	re, err := regexp.Compile(`\A(?:` + p.re.String() + `)` + suffix)
	if err != nil {
		th.Raise(reErrorClass, "%v", err)
	}
	return re
}

func (p *pattern) match(th *interp.Thread, s string, mode int) interp.Value {
	re := p.re
	switch mode {
	case 1:
		re = p.anchored(th, false)
	case 2:
		re = p.anchored(th, true)
	}
	loc := re.FindStringSubmatchIndex(s)
	if loc == nil {
		return interp.None
	}
	return &match{p: p, s: s, loc: loc}
}

func (m *match) group(th *interp.Thread, g interp.Value) interp.Value {
	idx := 0
	switch x := g.(type) {
	case interp.Int:
		idx = int(x)
	case interp.Str:
		idx = m.p.re.SubexpIndex(string(x))
		if idx < 0 {
			th.Raise(interp.IndexErrorClass, "no such group")
		}
	}
	if idx < 0 || 2*idx+1 >= len(m.loc) {
		th.Raise(interp.IndexErrorClass, "no such group")
	}
	if m.loc[2*idx] < 0 {
		return interp.None
	}
	return interp.Str(m.s[m.loc[2*idx]:m.loc[2*idx+1]])
}

func (m *match) groups(th *interp.Thread, dflt interp.Value) interp.Tuple {
	n := m.p.re.NumSubexp()
	out := make(interp.Tuple, n)
	for i := 1; i <= n; i++ {
		v := m.group(th, interp.MakeInt(int64(i)))
		if v == interp.None {
			v = dflt
		}
		out[i-1] = v
	}
	return out
}

// AttrJac implements the Match methods.
func (m *match) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	b := func(f native.Func) (interp.Value, bool) { return interp.NewBuiltin(name, f), true }
	switch name {
	case "group":
		return b(func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) == 0 {
				return m.group(th, interp.MakeInt(0))
			}
			if len(args) == 1 {
				return m.group(th, args[0])
			}
			out := make(interp.Tuple, len(args))
			for i, a := range args {
				out[i] = m.group(th, a)
			}
			return out
		})
	case "groups":
		return b(func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			var d interp.Value = interp.None
			if len(args) > 0 {
				d = args[0]
			}
			return m.groups(th, d)
		})
	case "groupdict":
		return b(func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			d := interp.NewDict()
			for i, n := range m.p.re.SubexpNames() {
				if n != "" {
					d.SetStr(n, m.group(th, interp.MakeInt(int64(i))))
				}
			}
			return d
		})
	case "start", "end", "span":
		return b(func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			idx := 0
			if len(args) > 0 {
				if s, ok := args[0].(interp.Str); ok {
					idx = m.p.re.SubexpIndex(string(s))
				} else {
					idx = int(interp.ToInt64(th, args[0]))
				}
			}
			st, en := cpOff(m.s, m.loc[2*idx]), cpOff(m.s, m.loc[2*idx+1])
			switch name {
			case "start":
				return interp.MakeInt(int64(st))
			case "end":
				return interp.MakeInt(int64(en))
			}
			return interp.Tuple{interp.MakeInt(int64(st)), interp.MakeInt(int64(en))}
		})
	case "string":
		return interp.Str(m.s), true
	case "re":
		return m.p, true
	case "lastindex":
		if g := m.lastIndex(); g > 0 {
			return interp.MakeInt(int64(g)), true
		}
		return interp.None, true
	case "lastgroup":
		if name := m.p.re.SubexpNames()[m.lastIndex()]; name != "" {
			return interp.Str(name), true
		}
		return interp.None, true
	case "endpos":
		return interp.MakeInt(int64(utf8.RuneCountInString(m.s))), true
	case "regs":
		regs := make(interp.Tuple, len(m.loc)/2)
		for g := range regs {
			regs[g] = interp.Tuple{interp.MakeInt(int64(cpOff(m.s, m.loc[2*g]))), interp.MakeInt(int64(cpOff(m.s, m.loc[2*g+1])))}
		}
		return regs, true
	case "expand":
		return b(func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "expand", args, kw, "template")
			return interp.Str(expand(th, m, interp.ToStr(th, a[0])))
		})
	case "pos":
		return interp.MakeInt(0), true
	}
	return nil, false
}

// GetItemJac is m[g].
func (m *match) GetItemJac(th *interp.Thread, k interp.Value) interp.Value { return m.group(th, k) }

// ReprJac renders the match as Python does.
func (m *match) ReprJac(th *interp.Thread) string {
	return fmt.Sprintf("<re.Match object; span=(%d, %d), match=%s>", cpOff(m.s, m.loc[0]), cpOff(m.s, m.loc[1]), interp.QuoteStr(m.s[m.loc[0]:m.loc[1]]))
}

// ReprJac renders the pattern.
func (p *pattern) ReprJac(th *interp.Thread) string {
	return "re.compile(" + interp.QuoteStr(p.src) + ")"
}

// expand applies a Python replacement template.
func expand(th *interp.Thread, m *match, tmpl string) string {
	var b strings.Builder
	for i := 0; i < len(tmpl); i++ {
		c := tmpl[i]
		if c != '\\' || i+1 >= len(tmpl) {
			b.WriteByte(c)
			continue
		}
		n := tmpl[i+1]
		switch {
		case n >= '0' && n <= '9':
			j := i + 1
			for j < len(tmpl) && j < i+3 && tmpl[j] >= '0' && tmpl[j] <= '9' {
				j++
			}
			g, _ := strconv.Atoi(tmpl[i+1 : j])
			if v, ok := m.group(th, interp.MakeInt(int64(g))).(interp.Str); ok {
				b.WriteString(string(v))
			}
			i = j - 1
		case n == 'g' && i+2 < len(tmpl) && tmpl[i+2] == '<':
			end := strings.IndexByte(tmpl[i:], '>')
			name := tmpl[i+3 : i+end]
			var g interp.Value = interp.Str(name)
			if k, err := strconv.Atoi(name); err == nil {
				g = interp.MakeInt(int64(k))
			}
			if v, ok := m.group(th, g).(interp.Str); ok {
				b.WriteString(string(v))
			}
			i += end
		case n == 'n':
			b.WriteByte('\n')
			i++
		case n == 't':
			b.WriteByte('\t')
			i++
		case n == '\\':
			b.WriteByte('\\')
			i++
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func (p *pattern) sub(th *interp.Thread, repl interp.Value, s string, count int) (string, int) {
	var b strings.Builder
	last, n := 0, 0
	for _, loc := range p.re.FindAllStringSubmatchIndex(s, -1) {
		if count > 0 && n >= count {
			break
		}
		b.WriteString(s[last:loc[0]])
		m := &match{p: p, s: s, loc: loc}
		if r, ok := repl.(interp.Str); ok {
			b.WriteString(expand(th, m, string(r)))
		} else {
			b.WriteString(interp.ToStr(th, th.Call(repl, []interp.Value{m}, nil)))
		}
		last = loc[1]
		n++
	}
	b.WriteString(s[last:])
	return b.String(), n
}

func (p *pattern) split(th *interp.Thread, s string, max int) interp.Value {
	var out []interp.Value
	last := 0
	for i, loc := range p.re.FindAllStringSubmatchIndex(s, -1) {
		if max > 0 && i >= max {
			break
		}
		out = append(out, interp.Str(s[last:loc[0]]))
		for g := 1; g <= p.re.NumSubexp(); g++ {
			if loc[2*g] < 0 {
				out = append(out, interp.None)
			} else {
				out = append(out, interp.Str(s[loc[2*g]:loc[2*g+1]]))
			}
		}
		last = loc[1]
	}
	out = append(out, interp.Str(s[last:]))
	return interp.NewList(out)
}

func (p *pattern) findall(th *interp.Thread, s string) interp.Value {
	var out []interp.Value
	for _, loc := range p.re.FindAllStringSubmatchIndex(s, -1) {
		m := &match{p: p, s: s, loc: loc}
		switch p.re.NumSubexp() {
		case 0:
			out = append(out, interp.Str(s[loc[0]:loc[1]]))
		case 1:
			v := m.group(th, interp.MakeInt(1))
			if v == interp.None {
				v = interp.Str("")
			}
			out = append(out, v)
		default:
			out = append(out, m.groups(th, interp.Str("")))
		}
	}
	return interp.NewList(out)
}

func (p *pattern) finditer(th *interp.Thread, s string) interp.Value {
	locs := p.re.FindAllStringSubmatchIndex(s, -1)
	i := 0
	return interp.NewFuncIterator(func(th *interp.Thread) (interp.Value, bool) {
		if i >= len(locs) {
			return nil, false
		}
		i++
		return &match{p: p, s: s, loc: locs[i-1]}, true
	})
}

// methods shared by the module functions and Pattern objects.
func method(th *interp.Thread, p *pattern, name string, args []interp.Value, kw []interp.KV) interp.Value {
	str := func(i int) string {
		if i >= len(args) {
			th.TypeError("%s() missing required argument", name)
		}
		return interp.ToStr(th, args[i])
	}
	count := func(i int, key string) int {
		if i < len(args) {
			return int(interp.ToInt64(th, args[i]))
		}
		if v, ok := interp.KwArg(kw, key); ok {
			return int(interp.ToInt64(th, v))
		}
		return 0
	}
	switch name {
	case "match":
		return p.match(th, str(0), 1)
	case "fullmatch":
		return p.match(th, str(0), 2)
	case "search":
		return p.match(th, str(0), 0)
	case "findall":
		return p.findall(th, str(0))
	case "finditer":
		return p.finditer(th, str(0))
	case "sub":
		s, _ := p.sub(th, args[0], str(1), count(2, "count"))
		return interp.Str(s)
	case "subn":
		s, n := p.sub(th, args[0], str(1), count(2, "count"))
		return interp.Tuple{interp.Str(s), interp.MakeInt(int64(n))}
	case "split":
		return p.split(th, str(0), count(1, "maxsplit"))
	}
	return nil
}

var methods = []string{"match", "fullmatch", "search", "findall", "finditer", "sub", "subn", "split"}

// AttrJac implements the Pattern methods and attributes.
func (p *pattern) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	for _, m := range methods {
		if m == name {
			return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
				return method(th, p, name, args, kw)
			}), true
		}
	}
	switch name {
	case "pattern":
		return interp.Str(p.src), true
	case "flags":
		if p.flags&reA == 0 {
			return interp.MakeInt(p.flags | reU), true // a str pattern is Unicode unless ASCII
		}
		return interp.MakeInt(p.flags), true
	case "groups":
		return interp.MakeInt(int64(p.re.NumSubexp())), true
	case "groupindex":
		d := interp.NewDict()
		for i, n := range p.re.SubexpNames() {
			if n != "" {
				d.SetStr(n, interp.MakeInt(int64(i)))
			}
		}
		return d, true
	}
	return nil, false
}

func flagsArg(th *interp.Thread, args []interp.Value, i int, kw []interp.KV) int64 {
	if i < len(args) {
		return interp.ToInt64(th, args[i])
	}
	if v, ok := interp.KwArg(kw, "flags"); ok {
		return interp.ToInt64(th, v)
	}
	return 0
}

func init() {
	interp.RegisterModule("re", func() *interp.Module {
		m := interp.NewModule("re")
		patArgs := map[string]int{"match": 2, "fullmatch": 2, "search": 2, "findall": 2, "finditer": 2, "split": 3, "sub": 4, "subn": 4}
		for _, name := range methods {
			name := name
			m.Set(name, interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
				if len(args) == 0 {
					th.TypeError("%s() missing required argument 'pattern'", name)
				}
				fi := patArgs[name]
				p := compilePattern(th, args[0], flagsArg(th, args, fi, kw))
				rest := args[1:]
				if len(rest) > fi-1 {
					rest = rest[:fi-1]
				}
				return method(th, p, name, rest, kw)
			}))
		}
		m.Set("compile", interp.NewBuiltin("compile", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return compilePattern(th, args[0], flagsArg(th, args, 1, kw))
		}))
		m.Set("escape", interp.NewBuiltin("escape", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			s := interp.ToStr(th, args[0])
			var b strings.Builder
			for _, r := range s {
				if strings.ContainsRune("()[]{}?*+-|^$\\.&~# \t\n\r\v\f", r) {
					b.WriteByte('\\')
				}
				b.WriteRune(r)
			}
			return interp.Str(b.String())
		}))
		for name, v := range map[string]int64{"I": reI, "IGNORECASE": reI, "M": reM, "MULTILINE": reM, "S": reS,
			"DOTALL": reS, "X": reX, "VERBOSE": reX, "A": reA, "ASCII": reA, "U": reU, "UNICODE": reU, "L": reL, "LOCALE": reL, "NOFLAG": 0} {
			m.Set(name, interp.MakeInt(v))
		}
		m.Set("purge", interp.NewBuiltin("purge", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			interp.ParseArgs(th, "purge", args, kw)
			cache.Lock()
			clear(cache.m)
			cache.Unlock()
			return interp.None
		}))
		m.Set("error", reErrorClass)
		m.Set("Pattern", patternClass)
		m.Set("Match", matchClass)
		return m
	})
}
