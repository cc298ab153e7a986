package interp

import (
	"iter"
	"runtime"
)

// Iterator is a value with Python's iterator protocol.
type Iterator interface {
	Value
	// Next returns the next item, or ok=false when exhausted.
	Next(th *Thread) (Value, bool)
}

// Iterable is implemented by library values that can be iterated.
type Iterable interface {
	IterJac(th *Thread) Iterator
}

// Iterate calls fn for each item of v until fn returns false.
func Iterate(th *Thread, v Value, fn func(Value) bool) {
	switch x := v.(type) {
	case *List:
		for i := 0; i < x.Len(); i++ {
			if !fn(x.at(i)) {
				return
			}
			th.Poll()
		}
		return
	case Tuple:
		for _, e := range x {
			if !fn(e) {
				return
			}
			th.Poll()
		}
		return
	case *Range:
		n := x.Len()
		for i := int64(0); i < n; i++ {
			if !fn(MakeInt(x.At(i))) {
				return
			}
			th.Poll()
		}
		return
	case Str:
		s := string(x)
		if isASCII(s) {
			for i := 0; i < len(s); i++ {
				if !fn(charStrs[s[i]]) {
					return
				}
			}
			return
		}
		for _, r := range s {
			if !fn(charValue(r)) {
				return
			}
		}
		return
	case *Dict:
		iterateDict(th, x, 0, fn)
		return
	case *Set:
		it := newSetIter(x)
		for {
			e, ok := it.Next(th)
			if !ok || !fn(e) {
				return
			}
		}
	case *DictView:
		iterateDict(th, x.d, uint8(x.kind), fn)
		return
	}
	if g, ok := v.(*generator); ok && g.owned && !g.started {
		push := func(e Value) bool {
			if !fn(e) {
				return false
			}
			th.Poll()
			return true
		}
		if g.inline != nil {
			g.runInline(th, push)
		} else {
			g.runPushed(th, fn)
		}
		return
	}
	it := GetIter(th, v)
	for {
		e, ok := it.Next(th)
		if !ok || !fn(e) {
			return
		}
		th.Poll()
	}
}

// ToSlice collects the items of an iterable.
func ToSlice(th *Thread, v Value) []Value {
	switch x := v.(type) {
	case *List:
		if x.kind != listValues {
			return x.items()
		}
		return append([]Value(nil), x.vals...)
	case Tuple:
		return append([]Value(nil), x...)
	}
	var out []Value
	switch x := v.(type) {
	case *Range:
		th.Reserve(x.Len(), valueSize)
		out = make([]Value, 0, x.Len())
	case Lener:
		th.Reserve(int64(x.Len()), valueSize)
		out = make([]Value, 0, x.Len())
	}
	Iterate(th, v, func(e Value) bool { out = append(out, e); return true })
	return out
}

// sliceIter iterates a snapshot or live sequence.
type sliceIter struct {
	list  *List
	elems []Value
	i     int
}

func (*sliceIter) Class() *Class { return IteratorClass }

func (it *sliceIter) Next(*Thread) (Value, bool) {
	if it.list != nil {
		if it.i < it.list.Len() {
			it.i++
			return it.list.at(it.i - 1), true
		}
		return nil, false
	}
	if it.i < len(it.elems) {
		it.i++
		return it.elems[it.i-1], true
	}
	return nil, false
}

// NewSliceIterator iterates over elems.
func NewSliceIterator(elems []Value) Iterator { return &sliceIter{elems: elems} }

type rangeIter struct {
	r *Range
	i int64
	n int64
}

func (*rangeIter) Class() *Class { return IteratorClass }

func (it *rangeIter) Next(*Thread) (Value, bool) {
	if it.i < it.n {
		it.i++
		return MakeInt(it.r.At(it.i - 1)), true
	}
	return nil, false
}

// funcIter adapts a Go function to an iterator.
type funcIter struct {
	next func(th *Thread) (Value, bool)
}

func (*funcIter) Class() *Class { return IteratorClass }

func (it *funcIter) Next(th *Thread) (Value, bool) { return it.next(th) }

// NewFuncIterator wraps a Go next function.
func NewFuncIterator(next func(th *Thread) (Value, bool)) Iterator { return &funcIter{next: next} }

// instIter drives __next__ of a user iterator.
type instIter struct{ o Value }

func (*instIter) Class() *Class { return IteratorClass }

func (it *instIter) Next(th *Thread) (v Value, ok bool) {
	m, _ := it.o.Class().Lookup("__next__")
	defer func() {
		if r := recover(); r != nil {
			if e, isExc := r.(*Instance); isExc && e.cls.IsSubclass(StopIterationClass) {
				v, ok = nil, false
				return
			}
			panic(r)
		}
	}()
	return th.callMethod(it.o, m, nil, nil), true
}

// GetIter is Python's iter(v).
func GetIter(th *Thread, v Value) Iterator {
	switch x := v.(type) {
	case Iterator:
		return x
	case *List:
		return &sliceIter{list: x}
	case Tuple:
		return &sliceIter{elems: x}
	case *Range:
		return &rangeIter{r: x, n: x.Len()}
	case *Dict:
		return newDictIter(x, 0)
	case *Set:
		return newSetIter(x)
	case Str, Bytes:
		return &sliceIter{elems: iterItems(th, x)}
	case *Instance:
		if m, _ := x.cls.Lookup("__iter__"); m != nil {
			r := th.callMethod(x, m, nil, nil)
			if it, ok := r.(Iterator); ok {
				return it
			}
			if _, ok := r.Class().Lookup("__next__"); ok != nil {
				return &instIter{o: r}
			}
			return GetIter(th, r)
		}
		if m, _ := x.cls.Lookup("__next__"); m != nil {
			return &instIter{o: x}
		}
		if m, _ := x.cls.Lookup("__getitem__"); m != nil {
			i := int64(0)
			return &funcIter{next: func(th *Thread) (v Value, ok bool) {
				defer func() {
					if r := recover(); r != nil {
						if e, isExc := r.(*Instance); isExc && (e.cls.IsSubclass(IndexErrorClass) || e.cls.IsSubclass(StopIterationClass)) {
							v, ok = nil, false
							return
						}
						panic(r)
					}
				}()
				v = th.callMethod(x, m, []Value{MakeInt(i)}, nil)
				i++
				return v, true
			}}
		}
	case *Class:
		if x.Kind == KindEnum {
			ms := make([]Value, len(x.members))
			for i, m := range x.members {
				ms[i] = m
			}
			return &sliceIter{elems: ms}
		}
	case Iterable:
		return x.IterJac(th)
	}
	th.TypeError("'%s' object is not iterable", TypeName(v))
	return nil
}

func iterItems(th *Thread, v Value) []Value {
	switch x := v.(type) {
	case Str:
		var out []Value
		Iterate(th, x, func(e Value) bool { out = append(out, e); return true })
		return out
	case *Dict:
		return x.Keys()
	case *Set:
		return x.Elems()
	case Bytes:
		out := make([]Value, len(x))
		for i := 0; i < len(x); i++ {
			out[i] = MakeInt(int64(x[i]))
		}
		return out
	}
	return nil
}

// ---- Generators (a Go coroutine per generator, via iter.Pull) ----

// genExit unwinds a generator body that its consumer abandoned.
type genExit struct{}

type generator struct {
	th      *Thread
	fr      *Frame
	pull    func() (Value, bool)
	stop    func()
	yield   func(Value) bool
	done    bool
	started bool
	sent    Value     // the value of the next resumed yield (send)
	thrown  *Instance // raised at the next resumed yield (throw)
	ret     Value     // the body's return value (StopIteration.value, yield from)

	// A generator expression's loop with the consumer called at each item, and
	// whether the generator is owned by a consumer that only iterates it (a for
	// loop, a comprehension, a builtin such as sum; see compiler.iterSource):
	// then Iterate runs it on the calling goroutine, with no coroutine: a
	// generator expression's loop inline, a generator function's body pushed.
	inline func(fr *Frame, fn func(Value) bool)
	owned  bool

	// A generator whose code has a resumable body (resume.go) runs it on the
	// caller's goroutine at each resume, keeping state between resumes; it
	// never has a coroutine.
	state   *genState
	running bool
	stateIn genState // what state points to: no allocation of its own
}

// consumerPanic carries a panic of a pushed generator's consumer up through the
// generator's body, whose try statements must not catch it: it was not raised
// there (Thread.catch lets it through; runPushed unwraps it).
type consumerPanic struct{ v any }

// runPushed runs an unstarted, owned generator function's body to completion on
// the calling goroutine, calling fn at each yield with the caller's frame
// current, as a resume would, and polling the thread after it. fn returning
// false ends the body as an abandoned generator ends (genExit at the yield).
func (g *generator) runPushed(th *Thread, fn func(Value) bool) {
	g.started, g.done = true, true
	fr := g.fr
	fr.th = th
	caller, depth := th.frame, th.depth
	nhandled, nargs, nwalk := len(th.handled), len(th.argStack), len(th.walkers)
	defer func() {
		th.frame, th.depth = caller, depth
		r := recover()
		if r == nil {
			g.release(th)
			return
		}
		th.handled = th.handled[:min(nhandled, len(th.handled))]
		th.argStack = th.argStack[:min(nargs, len(th.argStack))]
		th.walkers = th.walkers[:min(nwalk, len(th.walkers))]
		switch x := r.(type) {
		case genExit:
			g.release(th)
			return
		case consumerPanic:
			panic(x.v)
		}
		panic(r)
	}()
	th.push(fr)
	g.yield = func(v Value) bool {
		th.frame, th.depth = caller, depth
		ok := consume(th, fn, v)
		th.frame, th.depth = fr, depth+1 // back in the body, as th.push(fr) left it
		return ok
	}
	if fr.code.Body(fr) == ctrlRaise {
		th.throwPending()
	}
	g.ret = fr.ret
}

// consume calls a pushed generator's consumer and then polls the thread,
// wrapping a panic of either (consumerPanic): it belongs to the consumer.
func consume(th *Thread, fn func(Value) bool, v Value) bool {
	defer func() {
		if r := recover(); r != nil {
			panic(consumerPanic{r})
		}
	}()
	if !fn(v) {
		return false
	}
	th.Poll()
	return true
}

// inlineSink carries a consumer through a generator expression's loop.
type inlineSink struct{ fn func(Value) bool }

func (inlineSink) Class() *Class { return GeneratorClass }

// runInline runs an unstarted, owned generator expression to completion (or
// until fn returns false) on the calling goroutine.
func (g *generator) runInline(th *Thread, fn func(Value) bool) {
	g.started, g.done = true, true
	fr := g.fr
	fr.th = th
	caller, depth := th.frame, th.depth
	defer func() { th.frame, th.depth = caller, depth }()
	th.push(fr)
	defer g.release(th)
	g.inline(fr, func(v Value) bool {
		th.frame, th.depth = caller, depth
		ok := fn(v)
		th.frame, th.depth = fr, depth+1 // back in the loop, as th.push(fr) left it
		return ok
	})
}

func (*generator) Class() *Class { return GeneratorClass }

func newGenerator(th *Thread, fr *Frame) *generator {
	g := &generator{th: th, fr: fr}
	fr.gen = g
	return g
}

// startCoroutine creates the generator's coroutine on its first resume: a
// generator consumed inline, or with a resumable body, never needs one.
func (g *generator) startCoroutine() {
	g.pull, g.stop = iter.Pull(g.body)
	runtime.SetFinalizer(g, func(g *generator) { go g.stop() })
}

// body runs the generator's body on its coroutine.
func (g *generator) body(yield func(Value) bool) {
	g.yield = yield
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(genExit); ok {
				return
			}
			panic(r)
		}
	}()
	if g.fr.code.Body(g.fr) == ctrlRaise {
		g.fr.th.throwPending()
	}
	g.ret = g.fr.ret
}

// Next resumes the generator.
func (g *generator) Next(th *Thread) (Value, bool) { return g.next(th) }

func (g *generator) next(th *Thread) (Value, bool) {
	if g.done {
		g.ret = nil // only the resume that ends the generator carries its return value
		return nil, false
	}
	if g.fr.code.Resume != nil {
		return g.nextResumable(th)
	}
	g.started = true
	if g.pull == nil {
		g.startCoroutine()
	}
	fr := g.fr
	fr.th = th
	caller, depth := th.frame, th.depth
	th.push(fr)
	var v Value
	var ok bool
	func() {
		defer func() {
			if r := recover(); r != nil {
				g.done = true
				th.frame, th.depth = caller, depth
				panic(r)
			}
		}()
		v, ok = g.pull()
	}()
	th.frame, th.depth = caller, depth
	if !ok {
		g.done = true
		return nil, false
	}
	return v, true
}

// yieldValue is called by the generator body at a yield; it returns the value sent in.
func (fr *Frame) yieldValue(v Value) Value {
	g := fr.gen
	if !g.yield(v) {
		panic(genExit{})
	}
	return g.takeSent()
}

// result is the generator's return value, None if it returned none.
func (g *generator) result() Value {
	if g.ret == nil {
		return None
	}
	return g.ret
}

// resume runs the generator to its next yield for send and throw; exhaustion
// raises StopIteration carrying the return value.
func (g *generator) resume(th *Thread) Value {
	v, ok := g.next(th)
	if !ok {
		e := th.newStopIteration()
		if r := g.result(); r != None {
			e.excData().args = Tuple{r}
		}
		panic(e)
	}
	return v
}

func init() {
	method(GeneratorClass, "send", func(th *Thread, self Value, a []Value, kw []KV) Value {
		checkArgs(th, "send", a, 1, 1)
		g := self.(*generator)
		if !g.started && a[0] != None {
			th.TypeError("can't send non-None value to a just-started generator")
		}
		if g.started {
			g.sent = a[0]
		}
		return g.resume(th)
	})
	method(GeneratorClass, "throw", func(th *Thread, self Value, a []Value, kw []KV) Value {
		checkArgs(th, "throw", a, 1, 3)
		g := self.(*generator)
		exc := makeException(th, a[0])
		if !g.started || g.done {
			g.Close()
			th.RaiseValue(exc)
		}
		g.thrown = exc
		return g.resume(th)
	})
	method(GeneratorClass, "close", func(th *Thread, self Value, a []Value, kw []KV) Value {
		self.(*generator).Close()
		return None
	})
	method(GeneratorClass, "__next__", func(th *Thread, self Value, a []Value, kw []KV) Value {
		return self.(*generator).resume(th)
	})
	method(GeneratorClass, "__iter__", func(th *Thread, self Value, a []Value, kw []KV) Value { return self })
}

// Close stops the generator.
func (g *generator) Close() {
	if !g.done {
		g.done = true
		if !g.running {
			g.finish()
		}
		if g.stop != nil {
			g.stop()
		}
	}
}

// finallyOnClose runs a try statement's finally block when the generator
// whose body it is in is being closed (genExit) or its pushed consumer's
// exception goes through it (consumerPanic): those unwind the body without
// being Jac exceptions that the try could catch. Deferred by the try.
func finallyOnClose(fr *Frame, fin stmtFn) {
	r := recover()
	if r == nil {
		return
	}
	switch r.(type) {
	case genExit, consumerPanic:
		fin(fr)
	}
	panic(r)
}

// unpackItems is the items an unpacking assignment takes from v: a tuple's own
// elements when they are only read (readOnly: no starred target, which would
// make a list of some of them), a copy otherwise.
func unpackItems(th *Thread, v Value, readOnly bool) []Value {
	if t, ok := v.(Tuple); ok && readOnly {
		return t
	}
	return ToSlice(th, v)
}

// startGenerator calls a generator function whose parameters are exactly the
// positional arguments given (self first when it is not nil), which may live on
// the caller's stack: they are copied into the new generator's frame.
func (f *Function) startGenerator(th *Thread, self Value, args []Value) Value {
	fr := th.newFrame(f, f.code)
	i := 0
	if self != nil {
		fr.locals[0] = self
		i = 1
	}
	copy(fr.locals[i:], args)
	f.makeCells(fr)
	return newGenerator(th, fr)
}
