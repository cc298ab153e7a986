package textwrap

import (
	"strings"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/internal/native"
)

// textwrap.TextWrapper: its options are instance attributes (settable after
// construction, defaults on the class) read by wrap() and fill().

var textWrapperClass = native.NewClass("TextWrapper", "textwrap")

var optionNames = []string{"width", "initial_indent", "subsequent_indent", "expand_tabs", "replace_whitespace",
	"fix_sentence_endings", "break_long_words", "drop_whitespace", "break_on_hyphens", "tabsize", "max_lines", "placeholder"}

func optionsOf(th *interp.Thread, self interp.Value) options {
	get := func(name string) interp.Value { return interp.GetAttr(th, self, name) }
	o := options{
		width:             int(interp.ToInt64(th, get("width"))),
		initialIndent:     interp.ToStr(th, get("initial_indent")),
		subsequent:        interp.ToStr(th, get("subsequent_indent")),
		expandTabs:        interp.Truth(th, get("expand_tabs")),
		replaceWhitespace: interp.Truth(th, get("replace_whitespace")),
		dropWhitespace:    interp.Truth(th, get("drop_whitespace")),
		breakLongWords:    interp.Truth(th, get("break_long_words")),
		breakHyphens:      interp.Truth(th, get("break_on_hyphens")),
		placeholder:       interp.ToStr(th, get("placeholder")),
		tabsize:           int(interp.ToInt64(th, get("tabsize"))),
	}
	if ml := get("max_lines"); ml != interp.None {
		o.maxLines = int(interp.ToInt64(th, ml))
	}
	return o
}

func init() {
	c := textWrapperClass
	defaults := []interp.Value{interp.MakeInt(70), interp.Str(""), interp.Str(""), interp.True, interp.True,
		interp.False, interp.True, interp.True, interp.True, interp.MakeInt(8), interp.None, interp.Str(" [...]")}
	for i, n := range optionNames {
		c.SetAttr(n, defaults[i])
	}
	interp.DefMethod(c, "__init__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		if len(args) > len(optionNames) {
			th.TypeError("TextWrapper() takes at most %d positional arguments", len(optionNames))
		}
		for i, a := range args {
			native.SetAttr(self, optionNames[i], a)
		}
		for _, a := range kw {
			known := false
			for _, n := range optionNames {
				known = known || n == a.Name
			}
			if !known {
				th.TypeError("TextWrapper.__init__() got an unexpected keyword argument '%s'", a.Name)
			}
			native.SetAttr(self, a.Name, a.Value)
		}
		return interp.None
	})
	wrap := func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) []string {
		a := interp.ParseArgs(th, "wrap", args, kw, "text")
		return wrap(th, interp.ToStr(th, a[0]), optionsOf(th, self))
	}
	interp.DefMethod(c, "wrap", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		lines := wrap(th, self, args, kw)
		out := make([]interp.Value, len(lines))
		for i, l := range lines {
			out[i] = interp.Str(l)
		}
		return interp.NewList(out)
	})
	interp.DefMethod(c, "fill", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		return interp.Str(strings.Join(wrap(th, self, args, kw), "\n"))
	})
	interp.ExtendModule("textwrap", func(m *interp.Module) { m.Set("TextWrapper", c) })
}
