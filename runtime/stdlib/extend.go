package stdlib

import (
	"github.com/jacscale/jac/runtime/interp"
)

// Extensions of the core's placeholder modules (dataclasses, asyncio).

func dcIsData(v interp.Value) (*interp.Instance, bool) {
	o, ok := v.(*interp.Instance)
	if !ok || !o.Class().Kind.IsArchetype() {
		return nil, false
	}
	return o, true
}

func dcConvert(th *interp.Thread, v interp.Value, tuple bool) interp.Value {
	if o, ok := dcIsData(v); ok {
		fields := o.Class().Fields
		if tuple {
			out := make(interp.Tuple, 0, len(fields))
			for i := range fields {
				if f := o.Field(i); f != nil {
					out = append(out, dcConvert(th, f, tuple))
				}
			}
			return out
		}
		d := interp.NewDict()
		for i, f := range fields {
			if val := o.Field(i); val != nil {
				d.SetStr(f.Name, dcConvert(th, val, tuple))
			}
		}
		return d
	}
	switch x := v.(type) {
	case *interp.List:
		out := make([]interp.Value, len(x.Elems()))
		for i, e := range x.Elems() {
			out[i] = dcConvert(th, e, tuple)
		}
		return interp.NewList(out)
	case interp.Tuple:
		out := make(interp.Tuple, len(x))
		for i, e := range x {
			out[i] = dcConvert(th, e, tuple)
		}
		return out
	case *interp.Dict:
		d := interp.NewDict()
		for _, it := range x.Items() {
			d.Set(th, dcConvert(th, it.Key, tuple), dcConvert(th, it.Value, tuple))
		}
		return d
	}
	return v
}

// asyncEvent is asyncio.Event (single-threaded: wait returns once set).
type asyncEvent struct{ set bool }

var asyncEventClass = func() *interp.Class { c := interp.NewBuiltinClass("Event"); c.Module = "asyncio"; return c }()

func (*asyncEvent) Class() *interp.Class { return asyncEventClass }

func (e *asyncEvent) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	switch name {
	case "set":
		return interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value {
			e.set = true
			return interp.None
		}), true
	case "clear":
		return interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value {
			e.set = false
			return interp.None
		}), true
	case "is_set":
		return interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value { return interp.MakeBool(e.set) }), true
	case "wait":
		return interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value { return interp.True }), true
	}
	return nil, false
}

// asyncQueue is asyncio.Queue (FIFO; get on an empty queue raises QueueEmpty
// since nothing else can run to fill it).
type asyncQueue struct {
	items   []interp.Value
	maxsize int
}

var (
	asyncQueueClass     = func() *interp.Class { c := interp.NewBuiltinClass("Queue"); c.Module = "asyncio"; return c }()
	asyncQueueEmptyCls  = interp.NewExceptionClass("QueueEmpty", "asyncio", interp.ExceptionClass)
	asyncQueueFullCls   = interp.NewExceptionClass("QueueFull", "asyncio", interp.ExceptionClass)
	asyncCancelledClass = interp.CancelledErrorClass
)

func (*asyncQueue) Class() *interp.Class { return asyncQueueClass }

func (q *asyncQueue) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	put := func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value {
		if q.maxsize > 0 && len(q.items) >= q.maxsize {
			th.RaiseValue(interp.NewException(th, asyncQueueFullCls, ""))
		}
		q.items = append(q.items, a[0])
		return interp.None
	}
	get := func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value {
		if len(q.items) == 0 {
			th.RaiseValue(interp.NewException(th, asyncQueueEmptyCls, ""))
		}
		v := q.items[0]
		q.items = q.items[1:]
		return v
	}
	switch name {
	case "put", "put_nowait":
		return interp.NewBuiltin(name, put), true
	case "get", "get_nowait":
		return interp.NewBuiltin(name, get), true
	case "qsize":
		return interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value {
			return interp.MakeInt(int64(len(q.items)))
		}), true
	case "empty":
		return interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value {
			return interp.MakeBool(len(q.items) == 0)
		}), true
	case "full":
		return interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value {
			return interp.MakeBool(q.maxsize > 0 && len(q.items) >= q.maxsize)
		}), true
	case "task_done", "join":
		return interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value { return interp.None }), true
	case "maxsize":
		return interp.MakeInt(int64(q.maxsize)), true
	}
	return nil, false
}

func init() {
	interp.ExtendModule("dataclasses", func(m *interp.Module) {
		m.Set("asdict", interp.NewBuiltin("asdict", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) != 1 {
				th.TypeError("asdict() takes 1 positional argument but %d were given", len(args))
			}
			if _, ok := dcIsData(args[0]); !ok {
				th.TypeError("asdict() should be called on dataclass instances")
			}
			return dcConvert(th, args[0], false)
		}))
		m.Set("astuple", interp.NewBuiltin("astuple", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) != 1 {
				th.TypeError("astuple() takes 1 positional argument but %d were given", len(args))
			}
			if _, ok := dcIsData(args[0]); !ok {
				th.TypeError("astuple() should be called on dataclass instances")
			}
			return dcConvert(th, args[0], true)
		}))
		m.Set("is_dataclass", interp.NewBuiltin("is_dataclass", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if c, ok := args[0].(*interp.Class); ok {
				return interp.MakeBool(c.Kind.IsArchetype())
			}
			_, ok := dcIsData(args[0])
			return interp.MakeBool(ok)
		}))
		m.Set("field", interp.NewBuiltin("field", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			for _, a := range kw {
				if a.Name == "default_factory" {
					return th.Call(a.Value, nil, nil)
				}
			}
			for _, a := range kw {
				if a.Name == "default" {
					return a.Value
				}
			}
			return interp.None
		}))
		m.Set("replace", interp.NewBuiltin("replace", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			o, ok := dcIsData(args[0])
			if !ok {
				th.TypeError("replace() should be called on dataclass instances")
			}
			var ckw []interp.KV
			for i, f := range o.Class().Fields {
				v := o.Field(i)
				for _, a := range kw {
					if a.Name == f.Name {
						v = a.Value
					}
				}
				if v != nil {
					ckw = append(ckw, interp.KV{Name: f.Name, Value: v})
				}
			}
			return th.Call(o.Class(), nil, ckw)
		}))
	})
	interp.ExtendModule("asyncio", func(m *interp.Module) {
		// sleep, run, gather, create_task, wait_for: the interpreter's event loop
		m.Set("Event", interp.NewBuiltin("Event", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value { return &asyncEvent{} }))
		m.Set("Lock", interp.NewBuiltin("Lock", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value { return &thLock{} }))
		m.Set("Semaphore", interp.NewBuiltin("Semaphore", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value { return &thLock{} }))
		m.Set("Queue", interp.NewBuiltin("Queue", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "Queue", args, kw, "maxsize?")
			q := &asyncQueue{}
			if a[0] != nil {
				q.maxsize = int(interp.ToInt64(th, a[0]))
			}
			return q
		}))
		m.Set("QueueEmpty", asyncQueueEmptyCls)
		m.Set("QueueFull", asyncQueueFullCls)
		m.Set("CancelledError", asyncCancelledClass)
		m.Set("TimeoutError", interp.TimeoutErrorClass)
	})
}
