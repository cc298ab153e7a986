package heapq

import (
	"github.com/jacscale/jac/runtime/interp"
)

func merge(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	var key interp.Value
	reverse := false
	for _, a := range kw {
		switch a.Name {
		case "key":
			key = a.Value
		case "reverse":
			reverse = interp.Truth(th, a.Value)
		default:
			th.TypeError("merge() got an unexpected keyword argument '%s'", a.Name)
		}
	}
	if key == interp.None {
		key = nil
	}
	type src struct {
		it       interp.Iterator
		head, kv interp.Value
		live     bool
	}
	srcs := make([]*src, len(args))
	started := false
	advance := func(s *src) {
		v, ok := s.it.Next(th)
		s.live = ok
		if ok {
			s.head = v
			s.kv = v
			if key != nil {
				s.kv = th.Call(key, []interp.Value{v}, nil)
			}
		}
	}
	return interp.NewFuncIterator(func(th *interp.Thread) (interp.Value, bool) {
		if !started {
			started = true
			for i, a := range args {
				srcs[i] = &src{it: interp.GetIter(th, a)}
				advance(srcs[i])
			}
		}
		var best *src
		for _, s := range srcs {
			if !s.live {
				continue
			}
			if best == nil {
				best = s
				continue
			}
			if reverse {
				if interp.Less(th, best.kv, s.kv) {
					best = s
				}
			} else if interp.Less(th, s.kv, best.kv) {
				best = s
			}
		}
		if best == nil {
			return nil, false
		}
		v := best.head
		advance(best)
		return v, true
	})
}

func init() {
	interp.ExtendModule("heapq", func(m *interp.Module) {
		m.Set("merge", interp.NewBuiltin("merge", merge))
	})
}
