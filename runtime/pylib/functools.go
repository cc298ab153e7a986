package pylib

import (
	"github.com/jacscale/jac/runtime/interp"
)

var partialClass = interp.NewBuiltinClass("partial", interp.ObjectClass)

type partial struct {
	fn   interp.Value
	args []interp.Value
	kw   []interp.KV
}

func (*partial) Class() *interp.Class { return partialClass }

// CallJac calls the wrapped function with the stored arguments first.
func (p *partial) CallJac(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	all := append(append([]interp.Value(nil), p.args...), args...)
	return th.Call(p.fn, all, append(append([]interp.KV(nil), p.kw...), kw...))
}

// AttrJac exposes func/args/keywords.
func (p *partial) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	switch name {
	case "func":
		return p.fn, true
	case "args":
		return interp.Tuple(p.args), true
	case "keywords":
		d := interp.NewDict()
		for _, k := range p.kw {
			d.SetStr(k.Name, k.Value)
		}
		return d, true
	}
	return nil, false
}

// cmpKey wraps a value with a comparison function (functools.cmp_to_key).
type cmpKey struct {
	cmp interp.Value
	v   interp.Value
}

func (*cmpKey) Class() *interp.Class { return interp.ObjectClass }

// CompareJac orders by the user's cmp function.
func (k *cmpKey) CompareJac(th *interp.Thread, o interp.Value) (int, bool) {
	x, ok := o.(*cmpKey)
	if !ok {
		return 0, false
	}
	r := interp.ToInt64(th, th.Call(k.cmp, []interp.Value{k.v, x.v}, nil))
	switch {
	case r < 0:
		return -1, true
	case r > 0:
		return 1, true
	}
	return 0, true
}

// cached is an lru_cache-wrapped function.
type cached struct {
	fn    interp.Value
	cache *interp.Dict
	max   int
	hits  int
	miss  int
}

func (*cached) Class() *interp.Class { return interp.FunctionClass }

// CallJac memoizes by positional and keyword arguments.
func (c *cached) CallJac(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	key := interp.Tuple(append([]interp.Value(nil), args...))
	for _, k := range kw {
		key = append(key, interp.Str(k.Name), k.Value)
	}
	if v, ok := c.cache.Get(th, key); ok {
		c.hits++
		return v
	}
	c.miss++
	v := th.Call(c.fn, args, kw)
	if c.max < 0 || c.cache.Len() < c.max {
		c.cache.Set(th, key, v)
	}
	return v
}

// AttrJac exposes cache_info / cache_clear and the wrapped function's name.
func (c *cached) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	switch name {
	case "cache_clear":
		return builtin(name, func(*interp.Thread, []interp.Value, []interp.KV) interp.Value { c.cache.Clear(); return interp.None }), true
	case "cache_info":
		return builtin(name, func(*interp.Thread, []interp.Value, []interp.KV) interp.Value {
			return interp.Str("CacheInfo(hits=" + itoa(c.hits) + ", misses=" + itoa(c.miss) + ", currsize=" + itoa(c.cache.Len()) + ")")
		}), true
	case "__wrapped__":
		return c.fn, true
	}
	return interp.LookupAttr(th, c.fn, name)
}

func itoa(n int) string { return interp.Repr(nil, interp.MakeInt(int64(n))) }

func init() {
	interp.RegisterModule("functools", func() *interp.Module {
		m := interp.NewModule("functools")
		m.Set("reduce", builtin("reduce", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			items := interp.ToSlice(th, a[1])
			var acc interp.Value
			if len(a) > 2 {
				acc = a[2]
			} else {
				if len(items) == 0 {
					th.TypeError("reduce() of empty iterable with no initial value")
				}
				acc, items = items[0], items[1:]
			}
			for _, it := range items {
				acc = th.Call(a[0], []interp.Value{acc, it}, nil)
			}
			return acc
		}))
		m.Set("partial", builtin("partial", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			return &partial{fn: a[0], args: append([]interp.Value(nil), a[1:]...), kw: kw}
		}))
		m.Set("cmp_to_key", builtin("cmp_to_key", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			cmp := a[0]
			return builtin("K", func(th *interp.Thread, b []interp.Value, kw []interp.KV) interp.Value {
				return &cmpKey{cmp: cmp, v: b[0]}
			})
		}))
		lru := func(max int) interp.Value {
			return builtin("lru_cache", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
				return &cached{fn: a[0], cache: interp.NewDict(), max: max}
			})
		}
		m.Set("lru_cache", builtin("lru_cache", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			if len(a) == 1 {
				switch a[0].(type) {
				case *interp.Function, *interp.Builtin, *interp.BoundMethod:
					return &cached{fn: a[0], cache: interp.NewDict(), max: 128}
				}
			}
			max := 128
			if len(a) > 0 && a[0] != interp.None {
				max = int(interp.ToInt64(th, a[0]))
			} else if v, ok := interp.KwArg(kw, "maxsize"); ok {
				if v == interp.None {
					max = -1
				} else {
					max = int(interp.ToInt64(th, v))
				}
			} else if len(a) > 0 {
				max = -1
			}
			return lru(max)
		}))
		m.Set("cache", builtin("cache", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			return &cached{fn: a[0], cache: interp.NewDict(), max: -1}
		}))
		identity := builtin("identity", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value { return a[0] })
		m.Set("wraps", builtin("wraps", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			src := a[0]
			return builtin("wraps", func(th *interp.Thread, b []interp.Value, kw []interp.KV) interp.Value {
				if f, ok := b[0].(*interp.Function); ok {
					if n, ok := interp.LookupAttr(th, src, "__name__"); ok {
						interp.SetAttr(th, f, "__name__", n)
					}
				}
				return b[0]
			})
		}))
		m.Set("total_ordering", identity)
		return m
	})
}
