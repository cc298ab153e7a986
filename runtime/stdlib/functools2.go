package stdlib

import (
	"github.com/jacscale/jac/runtime/interp"
)

// functools.partialmethod: a method-like builtin that binds self when looked
// up on an instance, then calls func(self, *args, *call_args, **merged_kw).

func init() {
	interp.ExtendModule("functools", func(m *interp.Module) {
		m.Set("partialmethod", interp.NewBuiltin("partialmethod", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) < 1 {
				th.TypeError("type 'partialmethod' takes at least one argument")
			}
			fn := args[0]
			if !interp.IsCallable(fn) {
				th.TypeError("%s is not callable or a descriptor", interp.Repr(th, fn))
			}
			pargs := append([]interp.Value(nil), args[1:]...)
			pkw := append([]interp.KV(nil), kw...)
			return &interp.Builtin{Name: "partialmethod", Method: func(th *interp.Thread, self interp.Value, a []interp.Value, k []interp.KV) interp.Value {
				all := append(append([]interp.Value{self}, pargs...), a...)
				merged := append([]interp.KV(nil), pkw...)
				for _, x := range k {
					replaced := false
					for i := range merged {
						if merged[i].Name == x.Name {
							merged[i].Value = x.Value
							replaced = true
						}
					}
					if !replaced {
						merged = append(merged, x)
					}
				}
				return th.Call(fn, all, merged)
			}}
		}))
	})
}
