package interp

import (
	"container/heap"
	"iter"
	"time"
)

// asyncio: an event loop with CPython's scheduling order. A task runs its
// coroutine on a coroutine of its own (iter.Pull, as generators do); `await`
// of something not ready suspends the task and hands a request to the loop:
// sleep until a time, or wait for another task. Ready tasks run first in,
// first out (call_soon); sleepers wake in time order, ties in scheduling order.

// Task is asyncio.Task.
type Task struct {
	run     func() Value // the awaited work (a coroutine's body)
	loop    *eventLoop
	pull    func() (asyncRequest, bool)
	stop    func()
	yield   func(asyncRequest) bool
	done    bool
	result  Value
	exc     *Instance
	waiters []*Task
	// the thread state of the suspended task
	frame   *Frame
	depth   int
	handled []*Instance
}

var TaskClass = newClass("Task", ObjectClass)

func (*Task) Class() *Class { return TaskClass }

// asyncRequest is what a suspending task asks of the loop.
type asyncRequest struct {
	wake time.Time // sleep until
	task *Task     // or wait for this task
}

// sleepAwaitable is asyncio.sleep(d, result).
type sleepAwaitable struct {
	d      time.Duration
	result Value
}

func (*sleepAwaitable) Class() *Class { return CoroutineClass }

// gathering is asyncio.gather(...): its tasks, awaited in order.
type gathering struct {
	tasks       []*Task
	returnExcep bool
}

func (*gathering) Class() *Class { return FutureClass }

var FutureClass = newClass("Future", ObjectClass)

type timer struct {
	at   time.Time
	seq  int
	task *Task
}

type timerHeap []timer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	return h[i].seq < h[j].seq
}
func (h timerHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *timerHeap) Push(x any)   { *h = append(*h, x.(timer)) }
func (h *timerHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	*h = old[:len(old)-1]
	return t
}

type eventLoop struct {
	ready  []*Task
	timers timerHeap
	seq    int
}

// newTask wraps work in a task scheduled on the loop.
func (l *eventLoop) newTask(th *Thread, run func() Value) *Task {
	t := &Task{run: run, loop: l}
	seq := func(yield func(asyncRequest) bool) {
		t.yield = yield
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(genExit); ok {
					return
				}
				t.exc = th.catch(r)
			}
		}()
		t.result = t.run()
	}
	t.pull, t.stop = iter.Pull(iter.Seq[asyncRequest](seq))
	l.ready = append(l.ready, t)
	return t
}

// step resumes t until it suspends or finishes.
func (l *eventLoop) step(th *Thread, t *Task) {
	frame, depth, handled := th.frame, th.depth, th.handled
	prev := th.task
	th.task = t
	if t.frame != nil {
		th.frame, th.depth, th.handled = t.frame, t.depth, t.handled
	}
	req, more := t.pull()
	th.task = prev
	th.frame, th.depth, th.handled = frame, depth, handled
	if !more {
		t.finish()
		return
	}
	switch {
	case req.task != nil:
		req.task.waiters = append(req.task.waiters, t)
	default:
		l.seq++
		heap.Push(&l.timers, timer{at: req.wake, seq: l.seq, task: t})
	}
}

func (t *Task) finish() {
	t.done = true
	t.loop.ready = append(t.loop.ready, t.waiters...)
	t.waiters = nil
}

// run drives the loop until main is done.
func (l *eventLoop) run(th *Thread, main *Task) {
	for !main.done {
		if len(l.ready) == 0 {
			if len(l.timers) == 0 {
				th.Raise(RuntimeErrorClass, "event loop stopped before the awaited task completed (deadlock)")
			}
			if d := time.Until(l.timers[0].at); d > 0 {
				select {
				case <-time.After(d):
				case <-th.Ctx.Done():
					th.interrupted()
				}
			}
			now := time.Now()
			for len(l.timers) > 0 && !l.timers[0].at.After(now) {
				l.ready = append(l.ready, heap.Pop(&l.timers).(timer).task)
			}
			continue
		}
		t := l.ready[0]
		l.ready = l.ready[1:]
		if !t.done {
			l.step(th, t)
		}
	}
}

// suspend hands a request to the loop from inside the running task.
func (th *Thread) suspend(req asyncRequest) {
	t := th.task
	t.frame, t.depth, t.handled = th.frame, th.depth, th.handled
	if !t.yield(req) {
		panic(genExit{})
	}
}

// outcome is a finished task's result, or its exception raised.
func (t *Task) outcome(th *Thread) Value {
	if t.exc != nil {
		th.RaiseValue(t.exc)
	}
	if t.result == nil {
		return None
	}
	return t.result
}

// awaitTask waits for t: inside the loop by suspending, outside by running a loop.
func (th *Thread) awaitTask(t *Task) Value {
	switch {
	case t.done:
	case th.task != nil:
		th.suspend(asyncRequest{task: t})
	default:
		t.loop.run(th, t)
	}
	return t.outcome(th)
}

// runLoop is asyncio.run: a new loop with co as its main task.
func (th *Thread) runLoop(co *Coroutine) Value {
	l := &eventLoop{}
	prev := th.loop
	th.loop = l
	defer func() { th.loop = prev }()
	return th.awaitTask(l.newTask(th, func() Value { return co.Await(th) }))
}

// currentLoop is the running loop, or a new one for work started outside any.
func (th *Thread) currentLoop() *eventLoop {
	if th.loop == nil {
		th.loop = &eventLoop{}
	}
	return th.loop
}

// awaitAsync handles the awaitables of asyncio; ok is false for anything else.
func (th *Thread) awaitAsync(v Value) (Value, bool) {
	switch x := v.(type) {
	case *Task:
		return th.awaitTask(x), true
	case *sleepAwaitable:
		if th.task != nil {
			th.suspend(asyncRequest{wake: time.Now().Add(x.d)})
		} else {
			th.Sleep(x.d)
		}
		return x.result, true
	case *gathering:
		out := make([]Value, len(x.tasks))
		for i, t := range x.tasks {
			if x.returnExcep {
				if !t.done {
					if th.task != nil {
						th.suspend(asyncRequest{task: t})
					} else {
						t.loop.run(th, t)
					}
				}
				if t.exc != nil {
					out[i] = t.exc
					continue
				}
			}
			out[i] = th.awaitTask(t)
		}
		return NewList(out), true
	}
	return nil, false
}

// toTask makes a task of an awaitable (a coroutine is scheduled; a task is itself).
func (th *Thread) toTask(v Value) *Task {
	if t, ok := v.(*Task); ok {
		return t
	}
	return th.currentLoop().newTask(th, func() Value { return th.Await(v) })
}

func asyncioModule(m *Module) {
	m.Set("sleep", NewBuiltin("sleep", func(th *Thread, args []Value, kw []KV) Value {
		p := ParseArgs(th, "sleep", args, kw, "delay", "result?")
		res := Value(None)
		if p[1] != nil {
			res = p[1]
		}
		return &sleepAwaitable{d: time.Duration(ToFloat(th, p[0]) * float64(time.Second)), result: res}
	}))
	m.Set("run", NewBuiltin("run", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "run", args, 1, 1)
		co, ok := args[0].(*Coroutine)
		if !ok {
			th.ValueError("a coroutine was expected, got %s", Repr(th, args[0]))
		}
		return th.runLoop(co)
	}))
	m.Set("create_task", NewBuiltin("create_task", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "create_task", args, 1, 1)
		return th.toTask(args[0])
	}))
	createTask, _ := m.Get("create_task")
	m.Set("ensure_future", createTask)
	m.Set("gather", NewBuiltin("gather", func(th *Thread, args []Value, kw []KV) Value {
		g := &gathering{}
		if v, ok := kwArg(kw, "return_exceptions"); ok {
			g.returnExcep = Truth(th, v)
		}
		for _, a := range args {
			g.tasks = append(g.tasks, th.toTask(a))
		}
		return g
	}))
	m.Set("wait_for", NewBuiltin("wait_for", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "wait_for", args, 1, 2)
		return th.toTask(args[0])
	}))
	m.Set("iscoroutine", NewBuiltin("iscoroutine", func(th *Thread, args []Value, kw []KV) Value {
		_, ok := args[0].(*Coroutine)
		return MakeBool(ok)
	}))
	m.Set("Task", TaskClass)
	m.Set("Future", FutureClass)
	method(TaskClass, "done", func(th *Thread, v Value, a []Value, kw []KV) Value { return MakeBool(v.(*Task).done) })
	method(TaskClass, "result", func(th *Thread, v Value, a []Value, kw []KV) Value {
		t := v.(*Task)
		if !t.done {
			th.Raise(InvalidStateErrorClass, "Result is not set.")
		}
		return t.outcome(th)
	})
	method(TaskClass, "cancel", func(th *Thread, v Value, a []Value, kw []KV) Value { return False })
}

var InvalidStateErrorClass = newClass("InvalidStateError", ExceptionClass)
