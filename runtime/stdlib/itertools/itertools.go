// Package itertools implements Python's itertools module.
package itertools

import (
	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/syntax"
)

type fn = func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value

func iter(next func(th *interp.Thread) (interp.Value, bool)) interp.Value {
	return interp.NewFuncIterator(next).(interp.Value)
}

// chain is itertools.chain: callable, with chain.from_iterable.
type chain struct{}

var chainClass = func() *interp.Class { c := interp.NewBuiltinClass("chain"); c.Module = "itertools"; return c }()

func (chain) Class() *interp.Class { return chainClass }

func chainOf(th *interp.Thread, outer interp.Iterator) interp.Value {
	var cur interp.Iterator
	return iter(func(th *interp.Thread) (interp.Value, bool) {
		for {
			if cur != nil {
				if v, ok := cur.Next(th); ok {
					return v, true
				}
				cur = nil
			}
			nx, ok := outer.Next(th)
			if !ok {
				return nil, false
			}
			cur = interp.GetIter(th, nx)
		}
	})
}

func (chain) CallJac(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	return chainOf(th, interp.NewSliceIterator(append([]interp.Value{}, args...)))
}

func (chain) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	if name == "from_iterable" {
		return interp.NewBuiltin("from_iterable", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) != 1 {
				th.TypeError("chain.from_iterable() takes exactly one argument (%d given)", len(args))
			}
			return chainOf(th, interp.GetIter(th, args[0]))
		}), true
	}
	if name == "__name__" {
		return interp.Str("chain"), true
	}
	return nil, false
}

func pools(th *interp.Thread, args []interp.Value) [][]interp.Value {
	pools := make([][]interp.Value, len(args))
	for i, a := range args {
		pools[i] = interp.ToSlice(th, a)
	}
	return pools
}

// fromSlice is an iterator over out.
func fromSlice(out []interp.Value) interp.Value {
	return interp.NewSliceIterator(out).(interp.Value)
}

// rangeArgs is the r argument of combinations and permutations (n when absent).
func rangeArgs(th *interp.Thread, v interp.Value, n int) int {
	if v == nil || v == interp.None {
		return n
	}
	r := int(interp.ToInt64(th, v))
	if r < 0 {
		th.ValueError("r must be non-negative")
	}
	return r
}

func combinations(pool []interp.Value, r int, repl bool) []interp.Value {
	n := len(pool)
	var out []interp.Value
	if (!repl && r > n) || (repl && n == 0 && r > 0) {
		return out
	}
	idx := make([]int, r)
	if !repl {
		for i := range idx {
			idx[i] = i
		}
	}
	emit := func() {
		t := make(interp.Tuple, r)
		for i, j := range idx {
			t[i] = pool[j]
		}
		out = append(out, t)
	}
	emit()
	for {
		i := r - 1
		if repl {
			for i >= 0 && idx[i] == n-1 {
				i--
			}
		} else {
			for i >= 0 && idx[i] == i+n-r {
				i--
			}
		}
		if i < 0 {
			return out
		}
		idx[i]++
		for j := i + 1; j < r; j++ {
			if repl {
				idx[j] = idx[i]
			} else {
				idx[j] = idx[j-1] + 1
			}
		}
		emit()
	}
}

func permutations(pool []interp.Value, r int) []interp.Value {
	n := len(pool)
	var out []interp.Value
	if r > n {
		return out
	}
	used := make([]bool, n)
	cur := make([]int, 0, r)
	var rec func()
	rec = func() {
		if len(cur) == r {
			t := make(interp.Tuple, r)
			for i, j := range cur {
				t[i] = pool[j]
			}
			out = append(out, t)
			return
		}
		for j := 0; j < n; j++ {
			if !used[j] {
				used[j] = true
				cur = append(cur, j)
				rec()
				cur = cur[:len(cur)-1]
				used[j] = false
			}
		}
	}
	rec()
	return out
}

func predicate(th *interp.Thread, pred, v interp.Value) bool {
	if pred == nil || pred == interp.None {
		return interp.Truth(th, v)
	}
	return interp.Truth(th, th.Call(pred, []interp.Value{v}, nil))
}

func init() {
	interp.RegisterModule("itertools", func() *interp.Module {
		m := interp.NewModule("itertools")
		def := func(name string, f fn) { m.Set(name, interp.NewBuiltin(name, f)) }
		m.Set("chain", chain{})
		def("count", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "count", args, kw, "start?", "step?")
			var cur, step interp.Value = interp.MakeInt(0), interp.MakeInt(1)
			if a[0] != nil {
				cur = a[0]
			}
			if a[1] != nil {
				step = a[1]
			}
			return iter(func(th *interp.Thread) (interp.Value, bool) {
				v := cur
				cur = interp.Binary(th, syntax.PLUS, cur, step)
				return v, true
			})
		})
		def("cycle", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) != 1 {
				th.TypeError("cycle expected 1 argument, got %d", len(args))
			}
			src := interp.GetIter(th, args[0])
			var saved []interp.Value
			done := false
			i := 0
			return iter(func(th *interp.Thread) (interp.Value, bool) {
				if !done {
					if v, ok := src.Next(th); ok {
						saved = append(saved, v)
						return v, true
					}
					done = true
				}
				if len(saved) == 0 {
					return nil, false
				}
				v := saved[i%len(saved)]
				i++
				return v, true
			})
		})
		def("repeat", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "repeat", args, kw, "object", "times?")
			n := int64(-1)
			if a[1] != nil {
				n = interp.ToInt64(th, a[1])
				if n < 0 {
					n = 0
				}
			}
			return iter(func(th *interp.Thread) (interp.Value, bool) {
				if n == 0 {
					return nil, false
				}
				if n > 0 {
					n--
				}
				return a[0], true
			})
		})
		def("islice", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) < 2 || len(args) > 4 {
				th.TypeError("islice expected at most 4 arguments, got %d", len(args))
			}
			src := interp.GetIter(th, args[0])
			start, stop, step := int64(0), int64(-1), int64(1)
			get := func(v interp.Value, what string) int64 {
				if v == interp.None {
					return -1
				}
				n := interp.ToInt64(th, v)
				if n < 0 {
					th.ValueError("%s argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.", what)
				}
				return n
			}
			if len(args) == 2 {
				stop = get(args[1], "Stop")
			} else {
				start = get(args[1], "Indices")
				if start < 0 {
					start = 0
				}
				stop = get(args[2], "Stop")
				if len(args) == 4 {
					step = get(args[3], "Step")
					if step < 0 {
						step = 1
					}
					if step == 0 {
						th.ValueError("Step for islice() must be a positive integer or None.")
					}
				}
			}
			pos := int64(0)
			next := start
			return iter(func(th *interp.Thread) (interp.Value, bool) {
				for {
					if stop >= 0 && next >= stop {
						return nil, false
					}
					v, ok := src.Next(th)
					if !ok {
						return nil, false
					}
					p := pos
					pos++
					if p == next {
						next += step
						return v, true
					}
				}
			})
		})
		def("accumulate", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "accumulate", args, kw, "iterable", "func?", "initial?")
			src := interp.GetIter(th, a[0])
			var acc interp.Value
			if a[2] != nil && a[2] != interp.None {
				acc = a[2]
			}
			first := true
			return iter(func(th *interp.Thread) (interp.Value, bool) {
				if first && acc != nil {
					first = false
					return acc, true
				}
				first = false
				v, ok := src.Next(th)
				if !ok {
					return nil, false
				}
				if acc == nil {
					acc = v
				} else if a[1] != nil && a[1] != interp.None {
					acc = th.Call(a[1], []interp.Value{acc, v}, nil)
				} else {
					acc = interp.Binary(th, syntax.PLUS, acc, v)
				}
				return acc, true
			})
		})
		def("product", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			rep := 1
			for _, k := range kw {
				if k.Name != "repeat" {
					th.TypeError("product() got an unexpected keyword argument '%s'", k.Name)
				}
				rep = int(interp.ToInt64(th, k.Value))
			}
			base := pools(th, args)
			var pools [][]interp.Value
			for i := 0; i < rep; i++ {
				pools = append(pools, base...)
			}
			out := []interp.Value{interp.Tuple{}}
			for _, p := range pools {
				var next []interp.Value
				for _, t := range out {
					for _, v := range p {
						nt := append(append(interp.Tuple{}, t.(interp.Tuple)...), v)
						next = append(next, nt)
					}
				}
				out = next
			}
			return fromSlice(out)
		})
		def("permutations", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "permutations", args, kw, "iterable", "r?")
			pool := interp.ToSlice(th, a[0])
			return fromSlice(permutations(pool, rangeArgs(th, a[1], len(pool))))
		})
		def("combinations", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "combinations", args, kw, "iterable", "r")
			pool := interp.ToSlice(th, a[0])
			return fromSlice(combinations(pool, rangeArgs(th, a[1], 0), false))
		})
		def("combinations_with_replacement", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "combinations_with_replacement", args, kw, "iterable", "r")
			pool := interp.ToSlice(th, a[0])
			return fromSlice(combinations(pool, rangeArgs(th, a[1], 0), true))
		})
		def("groupby", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "groupby", args, kw, "iterable", "key?")
			src := interp.GetIter(th, a[0])
			keyOf := func(v interp.Value) interp.Value {
				if a[1] == nil || a[1] == interp.None {
					return v
				}
				return th.Call(a[1], []interp.Value{v}, nil)
			}
			var pend interp.Value
			var pendKey interp.Value
			have := false
			started := false
			return iter(func(th *interp.Thread) (interp.Value, bool) {
				if !started {
					started = true
					if v, ok := src.Next(th); ok {
						pend, pendKey, have = v, keyOf(v), true
					}
				}
				if !have {
					return nil, false
				}
				k := pendKey
				group := []interp.Value{pend}
				have = false
				for {
					v, ok := src.Next(th)
					if !ok {
						break
					}
					vk := keyOf(v)
					if !interp.Equal(th, vk, k) {
						pend, pendKey, have = v, vk, true
						break
					}
					group = append(group, v)
				}
				return interp.Tuple{k, fromSlice(group)}, true
			})
		})
		def("zip_longest", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			var fill interp.Value = interp.None
			for _, k := range kw {
				if k.Name != "fillvalue" {
					th.TypeError("zip_longest() got an unexpected keyword argument '%s'", k.Name)
				}
				fill = k.Value
			}
			its := make([]interp.Iterator, len(args))
			for i, a := range args {
				its[i] = interp.GetIter(th, a)
			}
			done := make([]bool, len(its))
			active := len(its)
			return iter(func(th *interp.Thread) (interp.Value, bool) {
				if active == 0 {
					return nil, false
				}
				t := make(interp.Tuple, len(its))
				for i, it := range its {
					if done[i] {
						t[i] = fill
						continue
					}
					v, ok := it.Next(th)
					if !ok {
						done[i] = true
						active--
						if active == 0 {
							return nil, false
						}
						v = fill
					}
					t[i] = v
				}
				return t, true
			})
		})
		def("takewhile", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			src := interp.GetIter(th, args[1])
			stopped := false
			return iter(func(th *interp.Thread) (interp.Value, bool) {
				if stopped {
					return nil, false
				}
				v, ok := src.Next(th)
				if !ok || !predicate(th, args[0], v) {
					stopped = true
					return nil, false
				}
				return v, true
			})
		})
		def("dropwhile", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			src := interp.GetIter(th, args[1])
			dropping := true
			return iter(func(th *interp.Thread) (interp.Value, bool) {
				for {
					v, ok := src.Next(th)
					if !ok {
						return nil, false
					}
					if dropping && predicate(th, args[0], v) {
						continue
					}
					dropping = false
					return v, true
				}
			})
		})
		def("filterfalse", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			src := interp.GetIter(th, args[1])
			return iter(func(th *interp.Thread) (interp.Value, bool) {
				for {
					v, ok := src.Next(th)
					if !ok {
						return nil, false
					}
					if !predicate(th, args[0], v) {
						return v, true
					}
				}
			})
		})
		def("compress", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "compress", args, kw, "data", "selectors")
			d, s := interp.GetIter(th, a[0]), interp.GetIter(th, a[1])
			return iter(func(th *interp.Thread) (interp.Value, bool) {
				for {
					v, ok := d.Next(th)
					if !ok {
						return nil, false
					}
					sel, ok := s.Next(th)
					if !ok {
						return nil, false
					}
					if interp.Truth(th, sel) {
						return v, true
					}
				}
			})
		})
		def("starmap", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			src := interp.GetIter(th, args[1])
			return iter(func(th *interp.Thread) (interp.Value, bool) {
				v, ok := src.Next(th)
				if !ok {
					return nil, false
				}
				return th.Call(args[0], interp.ToSlice(th, v), nil), true
			})
		})
		def("pairwise", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			src := interp.GetIter(th, args[0])
			var prev interp.Value
			return iter(func(th *interp.Thread) (interp.Value, bool) {
				if prev == nil {
					v, ok := src.Next(th)
					if !ok {
						return nil, false
					}
					prev = v
				}
				v, ok := src.Next(th)
				if !ok {
					return nil, false
				}
				t := interp.Tuple{prev, v}
				prev = v
				return t, true
			})
		})
		def("batched", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "batched", args, kw, "iterable", "n")
			n := interp.ToInt64(th, a[1])
			if n < 1 {
				th.ValueError("n must be at least one")
			}
			src := interp.GetIter(th, a[0])
			return iter(func(th *interp.Thread) (interp.Value, bool) {
				var t interp.Tuple
				for int64(len(t)) < n {
					v, ok := src.Next(th)
					if !ok {
						break
					}
					t = append(t, v)
				}
				if len(t) == 0 {
					return nil, false
				}
				return t, true
			})
		})
		def("tee", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "tee", args, kw, "iterable", "n?")
			n := 2
			if a[1] != nil {
				n = int(interp.ToInt64(th, a[1]))
			}
			src := interp.GetIter(th, a[0])
			var buf []interp.Value
			pos := make([]int, n)
			out := make(interp.Tuple, n)
			for i := 0; i < n; i++ {
				i := i
				out[i] = iter(func(th *interp.Thread) (interp.Value, bool) {
					if pos[i] == len(buf) {
						v, ok := src.Next(th)
						if !ok {
							return nil, false
						}
						buf = append(buf, v)
					}
					v := buf[pos[i]]
					pos[i]++
					return v, true
				})
			}
			return out
		})
		return m
	})
}
