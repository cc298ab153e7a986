// Package textwrap implements Python's textwrap module: wrap, fill, shorten,
// dedent, indent and TextWrapper.
package textwrap

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/internal/native"
)

type options struct {
	width                         int
	initialIndent, subsequent     string
	expandTabs, replaceWhitespace bool
	dropWhitespace                bool
	breakLongWords, breakHyphens  bool
	maxLines                      int
	placeholder                   string
	tabsize                       int
}

func parseOptions(th *interp.Thread, fname string, args []interp.Value, kw []interp.KV, width0 int) (string, options) {
	o := options{width: width0, expandTabs: true, replaceWhitespace: true, dropWhitespace: true,
		breakLongWords: true, breakHyphens: true, placeholder: " [...]", tabsize: 8}
	if len(args) < 1 {
		th.TypeError("%s() missing 1 required positional argument: 'text'", fname)
	}
	text := string(interp.ToStr(th, args[0]))
	if len(args) > 1 {
		o.width = int(interp.ToInt64(th, args[1]))
	}
	for _, a := range kw {
		switch a.Name {
		case "width":
			o.width = int(interp.ToInt64(th, a.Value))
		case "initial_indent":
			o.initialIndent = interp.ToStr(th, a.Value)
		case "subsequent_indent":
			o.subsequent = interp.ToStr(th, a.Value)
		case "expand_tabs":
			o.expandTabs = interp.Truth(th, a.Value)
		case "replace_whitespace":
			o.replaceWhitespace = interp.Truth(th, a.Value)
		case "drop_whitespace":
			o.dropWhitespace = interp.Truth(th, a.Value)
		case "break_long_words":
			o.breakLongWords = interp.Truth(th, a.Value)
		case "break_on_hyphens":
			o.breakHyphens = interp.Truth(th, a.Value)
		case "max_lines":
			if a.Value != interp.None {
				o.maxLines = int(interp.ToInt64(th, a.Value))
			}
		case "placeholder":
			o.placeholder = interp.ToStr(th, a.Value)
		case "tabsize":
			o.tabsize = int(interp.ToInt64(th, a.Value))
		case "fix_sentence_endings":
		default:
			th.TypeError("%s() got an unexpected keyword argument '%s'", fname, a.Name)
		}
	}
	return text, o
}

func rlen(s string) int { return utf8.RuneCountInString(s) }

func isWS(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f'
}

// chunks splits text into whitespace runs and words (words split after hyphens).
func chunks(text string, hyph bool) []string {
	var out []string
	rs := []rune(text)
	i := 0
	for i < len(rs) {
		j := i
		if isWS(rs[i]) {
			for j < len(rs) && isWS(rs[j]) {
				j++
			}
			out = append(out, string(rs[i:j]))
		} else {
			for j < len(rs) && !isWS(rs[j]) {
				j++
			}
			word := rs[i:j]
			start := 0
			if hyph {
				for k := 1; k < len(word)-1; k++ {
					if word[k] == '-' && unicode.IsLetter(word[k-1]) && unicode.IsLetter(word[k+1]) {
						// a hyphenated word breaks after the hyphen
						if k+1-start >= 2 {
							out = append(out, string(word[start:k+1]))
							start = k + 1
						}
					}
				}
			}
			out = append(out, string(word[start:]))
		}
		i = j
	}
	return out
}

func wrap(th *interp.Thread, text string, o options) []string {
	if o.width <= 0 {
		th.ValueError("invalid width %d (must be > 0)", o.width)
	}
	if o.expandTabs {
		text = interp.ExpandTabs(text, o.tabsize)
	}
	if o.replaceWhitespace {
		text = strings.Map(func(r rune) rune {
			if isWS(r) {
				return ' '
			}
			return r
		}, text)
	}
	chunks := chunks(text, o.breakHyphens)
	if o.maxLines > 0 {
		indent := o.subsequent
		if o.maxLines == 1 {
			indent = o.initialIndent
		}
		if rlen(indent)+rlen(strings.TrimLeft(o.placeholder, " ")) > o.width {
			th.ValueError("placeholder too large for max width")
		}
	}
	// reverse for popping
	for i, j := 0, len(chunks)-1; i < j; i, j = i+1, j-1 {
		chunks[i], chunks[j] = chunks[j], chunks[i]
	}
	var lines []string
	blank := func(s string) bool { return strings.TrimSpace(s) == "" }
	for len(chunks) > 0 {
		var cur []string
		curLen := 0
		indent := o.initialIndent
		if len(lines) > 0 {
			indent = o.subsequent
		}
		width := o.width - rlen(indent)
		if o.dropWhitespace && blank(chunks[len(chunks)-1]) && len(lines) > 0 {
			chunks = chunks[:len(chunks)-1]
		}
		for len(chunks) > 0 {
			l := rlen(chunks[len(chunks)-1])
			if curLen+l <= width {
				cur = append(cur, chunks[len(chunks)-1])
				chunks = chunks[:len(chunks)-1]
				curLen += l
			} else {
				break
			}
		}
		if len(chunks) > 0 && rlen(chunks[len(chunks)-1]) > width {
			spaceLeft := 1
			if width >= 1 {
				spaceLeft = width - curLen
				if spaceLeft < 1 {
					spaceLeft = 1
				}
			}
			last := []rune(chunks[len(chunks)-1])
			if o.breakLongWords {
				cur = append(cur, string(last[:spaceLeft]))
				curLen += spaceLeft
				chunks[len(chunks)-1] = string(last[spaceLeft:])
			} else if len(cur) == 0 {
				cur = append(cur, string(last))
				curLen += len(last)
				chunks = chunks[:len(chunks)-1]
			}
		}
		if o.dropWhitespace && len(cur) > 0 && blank(cur[len(cur)-1]) {
			curLen -= rlen(cur[len(cur)-1])
			cur = cur[:len(cur)-1]
		}
		if len(cur) > 0 {
			if o.maxLines <= 0 || len(lines)+1 < o.maxLines ||
				((len(chunks) == 0 || o.dropWhitespace && len(chunks) == 1 && blank(chunks[0])) && curLen <= width) {
				lines = append(lines, indent+strings.Join(cur, ""))
			} else {
				done := false
				for len(cur) > 0 {
					if !blank(cur[len(cur)-1]) && curLen+rlen(o.placeholder) <= width {
						cur = append(cur, o.placeholder)
						lines = append(lines, indent+strings.Join(cur, ""))
						done = true
						break
					}
					curLen -= rlen(cur[len(cur)-1])
					cur = cur[:len(cur)-1]
				}
				if !done {
					if len(lines) > 0 {
						prev := strings.TrimRight(lines[len(lines)-1], " \t\n\r\v\f")
						if rlen(prev)+rlen(o.placeholder) <= o.width {
							lines[len(lines)-1] = prev + o.placeholder
							break
						}
					}
					lines = append(lines, indent+strings.TrimLeft(o.placeholder, " \t\n\r\v\f"))
				}
				break
			}
		}
	}
	return lines
}

func dedent(text string) string {
	lines := strings.Split(text, "\n")
	margin := ""
	first := true
	for i, l := range lines {
		if strings.Trim(l, " \t") == "" {
			lines[i] = ""
			continue
		}
		ind := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
		if first {
			margin, first = ind, false
			continue
		}
		if strings.HasPrefix(ind, margin) {
			continue
		}
		if strings.HasPrefix(margin, ind) {
			margin = ind
			continue
		}
		k := 0
		for k < len(margin) && k < len(ind) && margin[k] == ind[k] {
			k++
		}
		margin = margin[:k]
	}
	if margin != "" {
		for i, l := range lines {
			lines[i] = strings.TrimPrefix(l, margin)
		}
	}
	return strings.Join(lines, "\n")
}

func init() {
	interp.RegisterModule("textwrap", func() *interp.Module {
		m := interp.NewModule("textwrap")
		m.Set("wrap", interp.NewBuiltin("wrap", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			text, o := parseOptions(th, "wrap", args, kw, 70)
			lines := wrap(th, text, o)
			out := make([]interp.Value, len(lines))
			for i, l := range lines {
				out[i] = interp.Str(l)
			}
			return interp.NewList(out)
		}))
		m.Set("fill", interp.NewBuiltin("fill", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			text, o := parseOptions(th, "fill", args, kw, 70)
			return interp.Str(strings.Join(wrap(th, text, o), "\n"))
		}))
		m.Set("shorten", interp.NewBuiltin("shorten", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			text, o := parseOptions(th, "shorten", args, kw, 70)
			if len(args) < 2 {
				if _, ok := native.Kwarg(kw, "width"); !ok {
					th.TypeError("shorten() missing 1 required positional argument: 'width'")
				}
			}
			o.maxLines = 1
			text = strings.Join(strings.Fields(text), " ")
			return interp.Str(strings.Join(wrap(th, text, o), "\n"))
		}))
		m.Set("dedent", interp.NewBuiltin("dedent", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) != 1 {
				th.TypeError("dedent() takes 1 positional argument but %d were given", len(args))
			}
			s, ok := args[0].(interp.Str)
			if !ok {
				th.TypeError("expected str, got %s", interp.TypeName(args[0]))
			}
			return interp.Str(dedent(string(s)))
		}))
		m.Set("indent", interp.NewBuiltin("indent", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "indent", args, kw, "text", "prefix", "predicate?")
			text, prefix := interp.ToStr(th, a[0]), interp.ToStr(th, a[1])
			var b strings.Builder
			for len(text) > 0 {
				i := strings.IndexAny(text, "\n\r")
				line := text
				if i >= 0 {
					j := i + 1
					if text[i] == '\r' && j < len(text) && text[j] == '\n' {
						j++
					}
					line = text[:j]
				}
				text = text[len(line):]
				ok := strings.TrimSpace(line) != ""
				if a[2] != nil && a[2] != interp.None {
					ok = interp.Truth(th, th.Call(a[2], []interp.Value{interp.Str(line)}, nil))
				}
				if ok {
					b.WriteString(prefix)
				}
				b.WriteString(line)
			}
			return interp.Str(b.String())
		}))
		return m
	})
}
