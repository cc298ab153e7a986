// Package string implements Python's string module: the character constants,
// capwords, Template and Formatter.
package string

import (
	"strings"

	"github.com/jacscale/jac/runtime/interp"
)

func init() {
	interp.RegisterModule("string", func() *interp.Module {
		m := interp.NewModule("string")
		lower, upper, digits := "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789"
		punct := "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
		m.Set("ascii_lowercase", interp.Str(lower))
		m.Set("ascii_uppercase", interp.Str(upper))
		m.Set("ascii_letters", interp.Str(lower+upper))
		m.Set("digits", interp.Str(digits))
		m.Set("hexdigits", interp.Str("0123456789abcdefABCDEF"))
		m.Set("octdigits", interp.Str("01234567"))
		m.Set("punctuation", interp.Str(punct))
		m.Set("whitespace", interp.Str(" \t\n\r\v\f"))
		m.Set("printable", interp.Str(digits+lower+upper+punct+" \t\n\r\v\f"))
		m.Set("capwords", interp.NewBuiltin("capwords", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			words := strings.Fields(interp.ToStr(th, a[0]))
			for i, w := range words {
				words[i] = strings.ToUpper(w[:1]) + strings.ToLower(w[1:])
			}
			return interp.Str(strings.Join(words, " "))
		}))
		return m
	})
}
