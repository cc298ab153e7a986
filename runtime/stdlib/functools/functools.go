// Package functools implements Python's functools module: reduce, partial,
// partialmethod, lru_cache/cache, cmp_to_key, wraps, singledispatch and
// total_ordering.
package functools

import (
	"strings"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/internal/native"
)

// partial is functools.partial.
type partial struct {
	fn   interp.Value
	args []interp.Value
	kw   []interp.KV
}

func (*partial) Class() *interp.Class { return partialClass }

var partialClass = interp.NewBuiltinClass("partial")

func (p *partial) CallJac(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	all := append(append([]interp.Value{}, p.args...), args...)
	k := append([]interp.KV{}, p.kw...)
	for _, a := range kw {
		replaced := false
		for i := range k {
			if k[i].Name == a.Name {
				k[i].Value = a.Value
				replaced = true
			}
		}
		if !replaced {
			k = append(k, a)
		}
	}
	return th.Call(p.fn, all, k)
}

func (p *partial) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	switch name {
	case "func":
		return p.fn, true
	case "args":
		return interp.Tuple(append([]interp.Value{}, p.args...)), true
	case "keywords":
		d := interp.NewDict()
		for _, a := range p.kw {
			d.SetStr(a.Name, a.Value)
		}
		return d, true
	}
	return nil, false
}

func (p *partial) ReprJac(th *interp.Thread) string {
	parts := []string{interp.Repr(th, p.fn)}
	for _, a := range p.args {
		parts = append(parts, interp.Repr(th, a))
	}
	for _, a := range p.kw {
		parts = append(parts, a.Name+"="+interp.Repr(th, a.Value))
	}
	return "functools.partial(" + strings.Join(parts, ", ") + ")"
}

// cmpKey is the key object made by cmp_to_key.
type cmpKey struct {
	cmp, obj interp.Value
}

var cmpKeyClass = interp.NewBuiltinClass("functools.KeyWrapper")

func (*cmpKey) Class() *interp.Class { return cmpKeyClass }

func (k *cmpKey) CompareJac(th *interp.Thread, other interp.Value) (int, bool) {
	o, ok := other.(*cmpKey)
	if !ok {
		return 0, false
	}
	r := th.Call(k.cmp, []interp.Value{k.obj, o.obj}, nil)
	switch {
	case interp.Less(th, r, interp.MakeInt(0)):
		return -1, true
	case interp.Less(th, interp.MakeInt(0), r):
		return 1, true
	}
	return 0, true
}

func (k *cmpKey) EqualJac(th *interp.Thread, other interp.Value) (bool, bool) {
	c, ok := k.CompareJac(th, other)
	return c == 0, ok
}

// cached is an lru_cache / cache wrapper.
type cached struct {
	fn           interp.Value
	maxsize      int64 // -1: unbounded
	cache        *interp.Dict
	hits, misses int64
	typed        bool
}

var cachedClass = interp.NewBuiltinClass("functools._lru_cache_wrapper")

func (*cached) Class() *interp.Class { return cachedClass }

type kwMark struct{}

func (kwMark) Class() *interp.Class { return interp.ObjectClass }

func (kwMark) HashJac(*interp.Thread) uint64 {
	return 0x9e3779b97f4a7c15
}

func (c *cached) CallJac(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	key := make(interp.Tuple, 0, len(args)+2*len(kw)+1)
	key = append(key, args...)
	if len(kw) > 0 {
		key = append(key, kwMark{})
		for _, a := range kw {
			key = append(key, interp.Str(a.Name), a.Value)
		}
	}
	var k interp.Value = key
	if len(key) == 1 {
		switch key[0].(type) {
		case interp.Int, interp.Str:
			k = key[0]
		}
	}
	if v, ok := c.cache.Get(th, k); ok {
		c.hits++
		if c.maxsize > 0 {
			c.cache.Delete(th, k)
			c.cache.Set(th, k, v)
		}
		return v
	}
	c.misses++
	v := th.Call(c.fn, args, kw)
	if c.maxsize == 0 {
		return v
	}
	c.cache.Set(th, k, v)
	if c.maxsize > 0 && int64(c.cache.Len()) > c.maxsize {
		keys := c.cache.Keys()
		c.cache.Delete(th, keys[0])
	}
	return v
}

func (c *cached) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	switch name {
	case "cache_info":
		return interp.NewBuiltin("cache_info", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			var ms interp.Value = interp.None
			if c.maxsize >= 0 {
				ms = interp.MakeInt(c.maxsize)
			}
			return &native.NamedTuple{Name: "CacheInfo", Fields: []string{"hits", "misses", "maxsize", "currsize"},
				Vals: interp.Tuple{interp.MakeInt(c.hits), interp.MakeInt(c.misses), ms, interp.MakeInt(int64(c.cache.Len()))}}
		}), true
	case "cache_clear":
		return interp.NewBuiltin("cache_clear", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			c.cache = interp.NewDict()
			c.hits, c.misses = 0, 0
			return interp.None
		}), true
	case "__wrapped__":
		return c.fn, true
	case "cache_parameters":
		return interp.NewBuiltin("cache_parameters", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			d := interp.NewDict()
			if c.maxsize >= 0 {
				d.SetStr("maxsize", interp.MakeInt(c.maxsize))
			} else {
				d.SetStr("maxsize", interp.None)
			}
			d.SetStr("typed", interp.MakeBool(c.typed))
			return d
		}), true
	}
	return interp.LookupAttr(th, c.fn, name)
}

func (c *cached) ReprJac(th *interp.Thread) string { return interp.Repr(th, c.fn) }

func makeCache(maxsize int64, typed bool) *interp.Builtin {
	return interp.NewBuiltin("decorating_function", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		if len(args) != 1 {
			th.TypeError("decorator takes exactly one argument")
		}
		return &cached{fn: args[0], maxsize: maxsize, cache: interp.NewDict(), typed: typed}
	})
}

func init() {
	interp.RegisterModule("functools", func() *interp.Module {
		m := interp.NewModule("functools")
		m.Set("reduce", interp.NewBuiltin("reduce", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) < 2 || len(args) > 3 {
				th.TypeError("reduce expected at least 2 arguments, got %d", len(args))
			}
			var acc interp.Value
			if len(args) == 3 {
				acc = args[2]
			}
			interp.Iterate(th, args[1], func(v interp.Value) bool {
				if acc == nil {
					acc = v
				} else {
					acc = th.Call(args[0], []interp.Value{acc, v}, nil)
				}
				return true
			})
			if acc == nil {
				th.TypeError("reduce() of empty iterable with no initial value")
			}
			return acc
		}))
		m.Set("partial", interp.NewBuiltin("partial", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) < 1 {
				th.TypeError("type 'partial' takes at least one argument")
			}
			if p, ok := args[0].(*partial); ok {
				np := &partial{fn: p.fn, args: append(append([]interp.Value{}, p.args...), args[1:]...), kw: append([]interp.KV{}, p.kw...)}
				np.kw = append(np.kw, kw...)
				return np
			}
			return &partial{fn: args[0], args: append([]interp.Value{}, args[1:]...), kw: append([]interp.KV{}, kw...)}
		}))
		m.Set("cmp_to_key", interp.NewBuiltin("cmp_to_key", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) != 1 {
				th.TypeError("cmp_to_key() takes exactly one argument")
			}
			cmp := args[0]
			return interp.NewBuiltin("K", func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value {
				if len(a) != 1 {
					th.TypeError("K() takes exactly one argument")
				}
				return &cmpKey{cmp: cmp, obj: a[0]}
			})
		}))
		lru := interp.NewBuiltin("lru_cache", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			maxsize := int64(128)
			typed := false
			if len(args) == 1 {
				switch a := args[0].(type) {
				case interp.Int:
					maxsize = int64(a)
					if maxsize < 0 {
						maxsize = 0
					}
				case interp.NoneType:
					maxsize = -1
				default:
					if _, ok := a.(interp.Bool); !ok {
						return &cached{fn: a, maxsize: 128, cache: interp.NewDict()}
					}
				}
			}
			for _, a := range kw {
				switch a.Name {
				case "maxsize":
					if a.Value == interp.None {
						maxsize = -1
					} else {
						maxsize = interp.ToInt64(th, a.Value)
						if maxsize < 0 {
							maxsize = 0
						}
					}
				case "typed":
					typed = interp.Truth(th, a.Value)
				default:
					th.TypeError("lru_cache() got an unexpected keyword argument '%s'", a.Name)
				}
			}
			return makeCache(maxsize, typed)
		})
		m.Set("lru_cache", lru)
		m.Set("cache", interp.NewBuiltin("cache", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) != 1 {
				th.TypeError("cache() takes exactly one argument")
			}
			return &cached{fn: args[0], maxsize: -1, cache: interp.NewDict()}
		}))
		ident := interp.NewBuiltin("total_ordering", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) != 1 {
				th.TypeError("total_ordering() takes exactly one argument")
			}
			return args[0]
		})
		m.Set("total_ordering", ident)
		m.Set("wraps", interp.NewBuiltin("wraps", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) < 1 {
				th.TypeError("wraps() missing required argument 'wrapped'")
			}
			wrapped := args[0]
			return interp.NewBuiltin("update_wrapper", func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value {
				if len(a) != 1 {
					th.TypeError("decorator takes exactly one argument")
				}
				copyNames(th, a[0], wrapped)
				return a[0]
			})
		}))
		m.Set("update_wrapper", interp.NewBuiltin("update_wrapper", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) < 2 {
				th.TypeError("update_wrapper() missing required arguments")
			}
			copyNames(th, args[0], args[1])
			return args[0]
		}))
		m.Set("cached_property", interp.NewBuiltin("cached_property", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) != 1 {
				th.TypeError("cached_property() takes exactly one argument")
			}
			return &interp.Property{Get: args[0]}
		}))
		m.Set("singledispatch", ident)
		return m
	})
}

// copyNames copies __name__/__qualname__/__doc__ when the wrapper accepts them.
func copyNames(th *interp.Thread, wrapper, wrapped interp.Value) {
	for _, n := range []string{"__name__", "__qualname__", "__doc__", "__wrapped__"} {
		var v interp.Value
		if n == "__wrapped__" {
			v = wrapped
		} else if x, ok := interp.LookupAttr(th, wrapped, n); ok {
			v = x
		} else {
			continue
		}
		_ = th.Protect(func() { interp.SetAttr(th, wrapper, n, v) })
	}
}
