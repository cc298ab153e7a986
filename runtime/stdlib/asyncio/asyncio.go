// Package asyncio adds to the core's asyncio module the classes it does not
// define: Event, Queue (with QueueEmpty and QueueFull), Lock and Semaphore.
package asyncio

import (
	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/threading"
)

// event is asyncio.Event (single-threaded: wait returns once set).
type event struct{ set bool }

var eventClass = func() *interp.Class { c := interp.NewBuiltinClass("Event"); c.Module = "asyncio"; return c }()

func (*event) Class() *interp.Class { return eventClass }

func (e *event) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
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

// queue is asyncio.Queue (FIFO; get on an empty queue raises QueueEmpty
// since nothing else can run to fill it).
type queue struct {
	items   []interp.Value
	maxsize int
}

var (
	queueClass          = func() *interp.Class { c := interp.NewBuiltinClass("Queue"); c.Module = "asyncio"; return c }()
	asyncQueueEmptyCls  = interp.NewExceptionClass("QueueEmpty", "asyncio", interp.ExceptionClass)
	asyncQueueFullCls   = interp.NewExceptionClass("QueueFull", "asyncio", interp.ExceptionClass)
	asyncCancelledClass = interp.CancelledErrorClass
)

func (*queue) Class() *interp.Class { return queueClass }

func (q *queue) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
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
	interp.ExtendModule("asyncio", func(m *interp.Module) {
		// sleep, run, gather, create_task, wait_for: the interpreter's event loop
		m.Set("Event", interp.NewBuiltin("Event", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value { return &event{} }))
		m.Set("Lock", interp.NewBuiltin("Lock", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value { return &threading.Lock{} }))
		m.Set("Semaphore", interp.NewBuiltin("Semaphore", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value { return &threading.Lock{} }))
		m.Set("Queue", interp.NewBuiltin("Queue", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "Queue", args, kw, "maxsize?")
			q := &queue{}
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
