// Package html implements Python's html module: escape and unescape.
package html

import (
	"strings"

	"github.com/jacscale/jac/runtime/interp"
)

func escape(s string, quote bool) string {
	s = strings.ReplaceAll(s, "&", "&amp;")
	s = strings.ReplaceAll(s, "<", "&lt;")
	s = strings.ReplaceAll(s, ">", "&gt;")
	if quote {
		s = strings.ReplaceAll(s, "\"", "&quot;")
		s = strings.ReplaceAll(s, "'", "&#x27;")
	}
	return s
}

var unescaper = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", "\"", "&#x27;", "'", "&#39;", "'", "&apos;", "'", "&nbsp;", "\u00a0")

func init() {
	interp.RegisterModule("html", func() *interp.Module {
		m := interp.NewModule("html")
		m.Set("escape", interp.NewBuiltin("escape", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "escape", args, kw, "s", "quote?")
			return interp.Str(escape(interp.ToStr(th, a[0]), a[1] == nil || interp.Truth(th, a[1])))
		}))
		m.Set("unescape", interp.NewBuiltin("unescape", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.Str(unescaper.Replace(interp.ToStr(th, args[0])))
		}))
		return m
	})
}
