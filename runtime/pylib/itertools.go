package pylib

import (
	"github.com/jacscale/jac/runtime/interp"
)

func iterOf(items []interp.Value) interp.Value { return interp.NewSliceIterator(items) }

func nextFn(next func(th *interp.Thread) (interp.Value, bool)) interp.Value {
	return interp.NewFuncIterator(next)
}

func combos(n, k int, repl bool, perm bool) [][]int {
	var out [][]int
	cur := make([]int, 0, k)
	used := make([]bool, n)
	var rec func(start int)
	rec = func(start int) {
		if len(cur) == k {
			out = append(out, append([]int(nil), cur...))
			return
		}
		for i := 0; i < n; i++ {
			switch {
			case perm:
				if used[i] {
					continue
				}
			case repl:
				if i < start {
					continue
				}
			default:
				if i < start {
					continue
				}
			}
			used[i] = true
			cur = append(cur, i)
			next := i + 1
			if repl {
				next = i
			}
			rec(next)
			cur = cur[:len(cur)-1]
			used[i] = false
		}
	}
	if k <= n || repl {
		rec(0)
	}
	return out
}

func pick(items []interp.Value, idx [][]int) interp.Value {
	out := make([]interp.Value, len(idx))
	for i, ix := range idx {
		t := make(interp.Tuple, len(ix))
		for j, k := range ix {
			t[j] = items[k]
		}
		out[i] = t
	}
	return iterOf(out)
}

func init() {
	interp.RegisterModule("itertools", func() *interp.Module {
		m := interp.NewModule("itertools")
		m.Set("count", builtin("count", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			var cur interp.Value = interp.MakeInt(0)
			var step interp.Value = interp.MakeInt(1)
			if len(a) > 0 {
				cur = a[0]
			}
			if len(a) > 1 {
				step = a[1]
			}
			return nextFn(func(th *interp.Thread) (interp.Value, bool) {
				v := cur
				cur = interp.Binary(th, tokPlus, cur, step)
				return v, true
			})
		}))
		m.Set("cycle", builtin("cycle", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			items := interp.ToSlice(th, a[0])
			i := 0
			return nextFn(func(th *interp.Thread) (interp.Value, bool) {
				if len(items) == 0 {
					return nil, false
				}
				i++
				return items[(i-1)%len(items)], true
			})
		}))
		m.Set("repeat", builtin("repeat", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			n := -1
			if len(a) > 1 {
				n = int(interp.ToInt64(th, a[1]))
			}
			return nextFn(func(th *interp.Thread) (interp.Value, bool) {
				if n == 0 {
					return nil, false
				}
				n--
				return a[0], true
			})
		}))
		chain := func(th *interp.Thread, srcs []interp.Value) interp.Value {
			i := 0
			var cur interp.Iterator
			return nextFn(func(th *interp.Thread) (interp.Value, bool) {
				for {
					if cur == nil {
						if i >= len(srcs) {
							return nil, false
						}
						cur = interp.GetIter(th, srcs[i])
						i++
					}
					if v, ok := cur.Next(th); ok {
						return v, true
					}
					cur = nil
				}
			})
		}
		chainB := builtin("chain", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value { return chain(th, a) })
		m.Set("chain", chainB)
		chainB.Self = nil
		m.Set("islice", builtin("islice", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			it := interp.GetIter(th, a[0])
			start, stop, step := 0, -1, 1
			switch len(a) {
			case 2:
				if a[1] != interp.None {
					stop = int(interp.ToInt64(th, a[1]))
				}
			default:
				if a[1] != interp.None {
					start = int(interp.ToInt64(th, a[1]))
				}
				if len(a) > 2 && a[2] != interp.None {
					stop = int(interp.ToInt64(th, a[2]))
				}
				if len(a) > 3 && a[3] != interp.None {
					step = int(interp.ToInt64(th, a[3]))
				}
			}
			i := 0
			next := start
			return nextFn(func(th *interp.Thread) (interp.Value, bool) {
				for {
					if stop >= 0 && next >= stop {
						return nil, false
					}
					v, ok := it.Next(th)
					if !ok {
						return nil, false
					}
					i++
					if i-1 == next {
						next += step
						return v, true
					}
				}
			})
		}))
		m.Set("accumulate", builtin("accumulate", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			items := interp.ToSlice(th, a[0])
			var f interp.Value
			if len(a) > 1 {
				f = a[1]
			}
			var acc interp.Value
			if v, ok := interp.KwArg(kw, "initial"); ok && v != interp.None {
				items = append([]interp.Value{v}, items...)
			}
			out := make([]interp.Value, len(items))
			for i, it := range items {
				if i == 0 {
					acc = it
				} else if f == nil || f == interp.None {
					acc = interp.Binary(th, tokPlus, acc, it)
				} else {
					acc = th.Call(f, []interp.Value{acc, it}, nil)
				}
				out[i] = acc
			}
			return iterOf(out)
		}))
		m.Set("product", builtin("product", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			rep := 1
			if v, ok := interp.KwArg(kw, "repeat"); ok {
				rep = int(interp.ToInt64(th, v))
			}
			var pools [][]interp.Value
			for r := 0; r < rep; r++ {
				for _, x := range a {
					pools = append(pools, interp.ToSlice(th, x))
				}
			}
			result := []interp.Tuple{{}}
			for _, p := range pools {
				var next []interp.Tuple
				for _, t := range result {
					for _, v := range p {
						next = append(next, append(append(interp.Tuple(nil), t...), v))
					}
				}
				result = next
			}
			out := make([]interp.Value, len(result))
			for i, t := range result {
				out[i] = t
			}
			return iterOf(out)
		}))
		m.Set("permutations", builtin("permutations", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			items := interp.ToSlice(th, a[0])
			k := len(items)
			if len(a) > 1 && a[1] != interp.None {
				k = int(interp.ToInt64(th, a[1]))
			}
			return pick(items, combos(len(items), k, false, true))
		}))
		m.Set("combinations", builtin("combinations", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			items := interp.ToSlice(th, a[0])
			return pick(items, combos(len(items), int(interp.ToInt64(th, a[1])), false, false))
		}))
		m.Set("combinations_with_replacement", builtin("combinations_with_replacement", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			items := interp.ToSlice(th, a[0])
			return pick(items, combos(len(items), int(interp.ToInt64(th, a[1])), true, false))
		}))
		m.Set("groupby", builtin("groupby", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			items := interp.ToSlice(th, a[0])
			var key interp.Value
			if len(a) > 1 {
				key = a[1]
			} else if v, ok := interp.KwArg(kw, "key"); ok {
				key = v
			}
			var out []interp.Value
			var curKey interp.Value
			var group []interp.Value
			for i, it := range items {
				k := it
				if key != nil && key != interp.None {
					k = th.Call(key, []interp.Value{it}, nil)
				}
				if i > 0 && !interp.Equal(th, k, curKey) {
					out = append(out, interp.Tuple{curKey, iterOf(group)})
					group = nil
				}
				curKey = k
				group = append(group, it)
			}
			if len(group) > 0 {
				out = append(out, interp.Tuple{curKey, iterOf(group)})
			}
			return iterOf(out)
		}))
		m.Set("zip_longest", builtin("zip_longest", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			var fill interp.Value = interp.None
			if v, ok := interp.KwArg(kw, "fillvalue"); ok {
				fill = v
			}
			lists := make([][]interp.Value, len(a))
			n := 0
			for i, x := range a {
				lists[i] = interp.ToSlice(th, x)
				n = max(n, len(lists[i]))
			}
			out := make([]interp.Value, n)
			for i := range out {
				t := make(interp.Tuple, len(lists))
				for j, l := range lists {
					if i < len(l) {
						t[j] = l[i]
					} else {
						t[j] = fill
					}
				}
				out[i] = t
			}
			return iterOf(out)
		}))
		pred := func(name string, take bool) {
			m.Set(name, builtin(name, func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
				var out []interp.Value
				dropping := true
				for _, it := range interp.ToSlice(th, a[1]) {
					ok := interp.Truth(th, th.Call(a[0], []interp.Value{it}, nil))
					if take {
						if !ok {
							break
						}
						out = append(out, it)
					} else {
						if dropping && ok {
							continue
						}
						dropping = false
						out = append(out, it)
					}
				}
				return iterOf(out)
			}))
		}
		pred("takewhile", true)
		pred("dropwhile", false)
		m.Set("filterfalse", builtin("filterfalse", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			var out []interp.Value
			for _, it := range interp.ToSlice(th, a[1]) {
				var ok bool
				if a[0] == interp.None {
					ok = interp.Truth(th, it)
				} else {
					ok = interp.Truth(th, th.Call(a[0], []interp.Value{it}, nil))
				}
				if !ok {
					out = append(out, it)
				}
			}
			return iterOf(out)
		}))
		m.Set("starmap", builtin("starmap", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			var out []interp.Value
			for _, it := range interp.ToSlice(th, a[1]) {
				out = append(out, th.Call(a[0], interp.ToSlice(th, it), nil))
			}
			return iterOf(out)
		}))
		m.Set("pairwise", builtin("pairwise", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			items := interp.ToSlice(th, a[0])
			var out []interp.Value
			for i := 0; i+1 < len(items); i++ {
				out = append(out, interp.Tuple{items[i], items[i+1]})
			}
			return iterOf(out)
		}))
		m.Set("batched", builtin("batched", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			items := interp.ToSlice(th, a[0])
			n := int(interp.ToInt64(th, a[1]))
			var out []interp.Value
			for i := 0; i < len(items); i += n {
				out = append(out, interp.Tuple(items[i:min(i+n, len(items))]))
			}
			return iterOf(out)
		}))
		m.Set("compress", builtin("compress", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			items, sel := interp.ToSlice(th, a[0]), interp.ToSlice(th, a[1])
			var out []interp.Value
			for i := 0; i < len(items) && i < len(sel); i++ {
				if interp.Truth(th, sel[i]) {
					out = append(out, items[i])
				}
			}
			return iterOf(out)
		}))
		m.Set("tee", builtin("tee", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			items := interp.ToSlice(th, a[0])
			n := 2
			if len(a) > 1 {
				n = int(interp.ToInt64(th, a[1]))
			}
			out := make(interp.Tuple, n)
			for i := range out {
				out[i] = iterOf(items)
			}
			return out
		}))
		return m
	})
}
