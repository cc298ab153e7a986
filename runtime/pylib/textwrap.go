package pylib

import (
	"strings"

	"github.com/jacscale/jac/runtime/interp"
)

// wrapWords splits text into lines of at most width characters (textwrap.wrap).
func wrapWords(text string, width int) []string {
	var lines []string
	var cur []string
	n := 0
	for _, w := range strings.Fields(text) {
		add := len([]rune(w))
		if len(cur) > 0 {
			add++
		}
		if n+add > width && len(cur) > 0 {
			lines = append(lines, strings.Join(cur, " "))
			cur, n = nil, 0
			add = len([]rune(w))
		}
		for len([]rune(w)) > width {
			r := []rune(w)
			lines = append(lines, string(r[:width]))
			w = string(r[width:])
			add = len([]rune(w))
		}
		cur = append(cur, w)
		n += add
	}
	if len(cur) > 0 {
		lines = append(lines, strings.Join(cur, " "))
	}
	return lines
}

func init() {
	interp.RegisterModule("textwrap", func() *interp.Module {
		m := interp.NewModule("textwrap")
		width := func(th *interp.Thread, args []interp.Value, kw []interp.KV) int {
			if len(args) > 1 {
				return int(interp.ToInt64(th, args[1]))
			}
			if v, ok := interp.KwArg(kw, "width"); ok {
				return int(interp.ToInt64(th, v))
			}
			return 70
		}
		m.Set("wrap", builtin("wrap", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			return strs(wrapWords(interp.ToStr(th, a[0]), width(th, a, kw))...)
		}))
		m.Set("fill", builtin("fill", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			return interp.Str(strings.Join(wrapWords(interp.ToStr(th, a[0]), width(th, a, kw)), "\n"))
		}))
		m.Set("shorten", builtin("shorten", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			w := width(th, a, kw)
			text := strings.Join(strings.Fields(interp.ToStr(th, a[0])), " ")
			if len([]rune(text)) <= w {
				return interp.Str(text)
			}
			placeholder := " [...]"
			if v, ok := interp.KwArg(kw, "placeholder"); ok {
				placeholder = interp.ToStr(th, v)
			}
			lines := wrapWords(text, w-len([]rune(placeholder)))
			if len(lines) == 0 {
				return interp.Str(strings.TrimSpace(placeholder))
			}
			return interp.Str(lines[0] + placeholder)
		}))
		m.Set("dedent", builtin("dedent", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			lines := strings.Split(interp.ToStr(th, a[0]), "\n")
			prefix := ""
			first := true
			for _, l := range lines {
				if strings.TrimSpace(l) == "" {
					continue
				}
				ind := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
				if first {
					prefix, first = ind, false
					continue
				}
				for !strings.HasPrefix(ind, prefix) {
					prefix = prefix[:len(prefix)-1]
				}
			}
			for i, l := range lines {
				if strings.TrimSpace(l) == "" {
					lines[i] = ""
				} else {
					lines[i] = strings.TrimPrefix(l, prefix)
				}
			}
			return interp.Str(strings.Join(lines, "\n"))
		}))
		m.Set("indent", builtin("indent", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			prefix := interp.ToStr(th, a[1])
			lines := strings.SplitAfter(interp.ToStr(th, a[0]), "\n")
			var b strings.Builder
			for _, l := range lines {
				if strings.TrimSpace(l) != "" {
					b.WriteString(prefix)
				}
				b.WriteString(l)
			}
			return interp.Str(b.String())
		}))
		return m
	})
}
