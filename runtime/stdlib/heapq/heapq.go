// Package heapq implements Python's heapq module: the heap operations on lists,
// nlargest, nsmallest and merge.
package heapq

import (
	"sort"

	"github.com/jacscale/jac/runtime/interp"
)

func siftDown(th *interp.Thread, e []interp.Value, start, pos int) {
	item := e[pos]
	for pos > start {
		parent := (pos - 1) / 2
		if interp.Less(th, item, e[parent]) {
			e[pos] = e[parent]
			pos = parent
			continue
		}
		break
	}
	e[pos] = item
}

func siftUp(th *interp.Thread, e []interp.Value, pos int) {
	end, start := len(e), pos
	item := e[pos]
	child := 2*pos + 1
	for child < end {
		if r := child + 1; r < end && !interp.Less(th, e[child], e[r]) {
			child = r
		}
		e[pos] = e[child]
		pos = child
		child = 2*pos + 1
	}
	e[pos] = item
	siftDown(th, e, start, pos)
}

func heapPop(th *interp.Thread, l *interp.List) interp.Value {
	e := l.Elems()
	if len(e) == 0 {
		th.Raise(interp.IndexErrorClass, "index out of range")
	}
	last := e[len(e)-1]
	rest := interp.NewList(e[:len(e)-1])
	*l = *rest
	if l.Len() == 0 {
		return last
	}
	e = l.Elems()
	r := e[0]
	e[0] = last
	siftUp(th, e, 0)
	return r
}

func init() {
	interp.RegisterModule("heapq", func() *interp.Module {
		m := interp.NewModule("heapq")
		m.Set("heappush", interp.NewBuiltin("heappush", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			l := a[0].(*interp.List)
			l.Append(a[1])
			siftDown(th, l.Elems(), 0, l.Len()-1)
			return interp.None
		}))
		m.Set("heappop", interp.NewBuiltin("heappop", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			return heapPop(th, a[0].(*interp.List))
		}))
		m.Set("heapify", interp.NewBuiltin("heapify", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			e := a[0].(*interp.List).Elems()
			for i := len(e)/2 - 1; i >= 0; i-- {
				siftUp(th, e, i)
			}
			return interp.None
		}))
		m.Set("heappushpop", interp.NewBuiltin("heappushpop", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			l := a[0].(*interp.List)
			e := l.Elems()
			if len(e) > 0 && interp.Less(th, e[0], a[1]) {
				r := e[0]
				e[0] = a[1]
				siftUp(th, e, 0)
				return r
			}
			return a[1]
		}))
		m.Set("heapreplace", interp.NewBuiltin("heapreplace", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			e := a[0].(*interp.List).Elems()
			if len(e) == 0 {
				th.Raise(interp.IndexErrorClass, "index out of range")
			}
			r := e[0]
			e[0] = a[1]
			siftUp(th, e, 0)
			return r
		}))
		nbest := func(name string, largest bool) {
			m.Set(name, interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
				n := int(interp.ToInt64(th, a[0]))
				items := interp.ToSlice(th, a[1])
				key, _ := interp.KwArg(kw, "key")
				keys := items
				if key != nil && key != interp.None {
					keys = make([]interp.Value, len(items))
					for i, it := range items {
						keys[i] = th.Call(key, []interp.Value{it}, nil)
					}
				}
				idx := make([]int, len(items))
				for i := range idx {
					idx[i] = i
				}
				sort.SliceStable(idx, func(i, j int) bool {
					if largest {
						return interp.Less(th, keys[idx[j]], keys[idx[i]])
					}
					return interp.Less(th, keys[idx[i]], keys[idx[j]])
				})
				if n > len(idx) {
					n = len(idx)
				}
				out := make([]interp.Value, n)
				for i := range out {
					out[i] = items[idx[i]]
				}
				return interp.NewList(out)
			}))
		}
		nbest("nlargest", true)
		nbest("nsmallest", false)
		return m
	})
}
