// Package bisect implements Python's bisect module (bisect_left/right and
// insort_left/right, with lo, hi and key).
package bisect

import (
	"github.com/jacscale/jac/runtime/interp"
)

func bounds(th *interp.Thread, name string, args []interp.Value, kw []interp.KV) (a, x interp.Value, lo, hi int, key interp.Value) {
	p := interp.ParseArgs(th, name, args, kw, "a", "x", "lo?", "hi?", "key?")
	a, x = p[0], p[1]
	hi = interp.Len(th, a)
	if p[2] != nil {
		lo = int(interp.ToInt64(th, p[2]))
		if lo < 0 {
			th.ValueError("lo must be non-negative")
		}
	}
	if p[3] != nil && p[3] != interp.None {
		hi = int(interp.ToInt64(th, p[3]))
	}
	if p[4] != nil && p[4] != interp.None {
		key = p[4]
	}
	return
}

func search(th *interp.Thread, a, x interp.Value, lo, hi int, key interp.Value, right bool) int {
	for lo < hi {
		mid := (lo + hi) / 2
		v := interp.GetItem(th, a, interp.MakeInt(int64(mid)))
		if key != nil {
			v = th.Call(key, []interp.Value{v}, nil)
		}
		var goRight bool
		if right {
			goRight = !interp.Less(th, x, v)
		} else {
			goRight = interp.Less(th, v, x)
		}
		if goRight {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

func function(name string, right, insert bool) *interp.Builtin {
	return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		a, x, lo, hi, key := bounds(th, name, args, kw)
		kx := x
		if insert && key != nil {
			kx = th.Call(key, []interp.Value{x}, nil)
		}
		i := search(th, a, kx, lo, hi, key, right)
		if insert {
			th.Call(interp.GetAttr(th, a, "insert"), []interp.Value{interp.MakeInt(int64(i)), x}, nil)
			return interp.None
		}
		return interp.MakeInt(int64(i))
	})
}

func init() {
	interp.RegisterModule("bisect", func() *interp.Module {
		m := interp.NewModule("bisect")
		m.Set("bisect_left", function("bisect_left", false, false))
		m.Set("bisect_right", function("bisect_right", true, false))
		m.Set("bisect", function("bisect", true, false))
		m.Set("insort_left", function("insort_left", false, true))
		m.Set("insort_right", function("insort_right", true, true))
		m.Set("insort", function("insort", true, true))
		return m
	})
}
