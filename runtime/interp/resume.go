package interp

import "github.com/jacscale/jac/runtime/syntax"

// Resumable generator bodies.
//
// A generator runs on an iter.Pull coroutine when it escapes its consumer
// (stored, passed to a function, driven by next()): each resume and each yield
// switch goroutines. When every yield of a body stands where the compiled
// statements can record how to come back to it, the body is compiled a second
// time as a resumable statement instead: a yield returns ctrlYield up through
// the enclosing statements, each of which notes where it stopped (a block its
// position, an if its branch, a for loop its iterator) in the generator's
// genState, and the next resume enters the same statements again with resuming
// set, each going straight to where it stopped. The generator then runs on its
// consumer's goroutine, resume after resume.
//
// Resumable: a yield (or `yield from`) as an expression statement, or as the
// value of an assignment, inside blocks, if/elif/else, while, for and for-to
// loops. Anything else with a yield in it (try, with, match, a yield inside a
// larger expression) keeps the coroutine; a body without a try or with around a
// yield has nothing to run when it is closed while suspended, so closing one
// only ends it.

// resumeFn runs a statement of a resumable generator body. resuming is true
// when the statement is entered again at the yield where it last suspended.
type resumeFn func(fr *Frame, resuming bool) ctrl

// resumable is a generator body compiled as a resumable statement.
type resumable struct {
	body resumeFn
	npc  int // blocks and ifs that record a position
	nit  int // loops and `yield from`s that keep an iterator
}

// genState is what a resumable generator keeps between two resumes, besides its
// frame's locals.
type genState struct {
	pcs   []int32
	its   []Iterator
	out   Value // the value being yielded
	pcBuf [4]int32
	itBuf [2]Iterator
}

// initState sets up the generator's genState for its resumable body r.
func (g *generator) initState(r *resumable) *genState {
	st := &g.stateIn
	if r.npc > len(st.pcBuf) {
		st.pcs = make([]int32, r.npc)
	} else {
		st.pcs = st.pcBuf[:r.npc]
	}
	if r.nit > len(st.itBuf) {
		st.its = make([]Iterator, r.nit)
	} else {
		st.its = st.itBuf[:r.nit]
	}
	g.state = st
	return st
}

// nextResumable resumes a resumable generator on the calling goroutine.
func (g *generator) nextResumable(th *Thread) (Value, bool) {
	if g.running {
		th.Raise(ValueErrorClass, "generator already executing")
	}
	if g.state == nil {
		g.initState(g.fr.code.Resume)
	}
	fr := g.fr
	fr.th = th
	resuming := g.started
	g.started = true
	caller, depth := th.frame, th.depth
	// th.push(fr), without rewriting the parent a generator resumed from
	// the same frame already has: each pointer write costs a write barrier
	// while the GC marks.
	th.Poll()
	th.depth++
	if th.depth > th.maxDepth {
		th.recursionLimit()
	}
	if fr.parent != caller {
		fr.parent = caller
	}
	th.frame = fr
	r := g.step(fr, resuming, caller, depth)
	th.frame, th.depth = caller, depth
	switch r {
	case ctrlYield:
		// The value stays in out until the next yield or the end replaces it:
		// clearing it would cost another write barrier.
		return g.state.out, true
	case ctrlRaise:
		g.finish()
		g.release(th)
		th.throwPending()
	}
	g.ret = fr.ret
	g.finish()
	g.release(th)
	return nil, false
}

// step runs the body to its next yield or its end; a panic going through ends
// the generator.
func (g *generator) step(fr *Frame, resuming bool, caller *Frame, depth int) ctrl {
	g.running = true
	completed := false
	defer func() {
		g.running = false
		if !completed {
			g.finish()
			fr.th.frame, fr.th.depth = caller, depth
		}
	}()
	r := fr.code.Resume.body(fr, resuming)
	completed = true
	return r
}

// finish ends a resumable generator and drops what it kept between resumes.
func (g *generator) finish() {
	g.done = true
	if g.state != nil {
		*g.state = genState{}
		g.state = nil
	}
}

// release gives a finished generator's frame back to the thread's frame pool,
// as a returning call does: a finished generator never touches its frame again.
func (g *generator) release(th *Thread) {
	if fr := g.fr; fr != nil && !fr.code.NoRecycle {
		g.fr = nil
		th.recycle(fr)
	}
}

// takeSent is the value of the yield a generator is resumed at: what send()
// passed (None for next()); an exception passed to throw() is raised there.
func (g *generator) takeSent() Value {
	if exc := g.thrown; exc != nil {
		g.thrown = nil
		g.fr.th.RaiseValue(exc)
	}
	s := g.sent
	if s == nil {
		return None
	}
	g.sent = nil
	return s
}

// resumeBuilder compiles a generator body as a resumable statement, numbering
// the positions and iterators its statements keep in the genState.
type resumeBuilder struct {
	c        *compiler
	npc, nit int
}

// resumableBody compiles a generator function's body a second time, as a
// resumable statement; nil when one of its yields is not resumable.
func (c *compiler) resumableBody(body []syntax.Stmt) *resumable {
	b := &resumeBuilder{c: c}
	loopDepth, inSwitch := c.ctx.loopDepth, c.ctx.inSwitch
	fn, ok := b.block(body)
	c.ctx.loopDepth, c.ctx.inSwitch = loopDepth, inSwitch
	if !ok {
		return nil
	}
	return &resumable{body: fn, npc: b.npc, nit: b.nit}
}

// quiet runs a compile step and reports whether what it compiled has no yield.
func (b *resumeBuilder) quiet(compile func()) bool {
	before := b.c.ctx.yields
	compile()
	return b.c.ctx.yields == before
}

// block compiles statements; a block with more than one statement that can
// suspend keeps the position it suspended at.
func (b *resumeBuilder) block(stmts []syntax.Stmt) (resumeFn, bool) {
	type part struct {
		plain stmtFn   // a statement without a yield
		res   resumeFn // or one that can suspend
	}
	var parts []part
	nres := 0
	for _, s := range stmts {
		plain, res, ok := b.stmt(s)
		if !ok {
			return nil, false
		}
		if res != nil {
			nres++
			parts = append(parts, part{res: res})
		} else if plain != nil {
			parts = append(parts, part{plain: plain})
		}
	}
	switch {
	case nres == 0:
		return func(fr *Frame, _ bool) ctrl {
			for _, p := range parts {
				if r := p.plain(fr); r != ctrlNone {
					return r
				}
			}
			return ctrlNone
		}, true
	case len(parts) == 1:
		return parts[0].res, true
	}
	id := b.npc
	b.npc++
	return func(fr *Frame, resuming bool) ctrl {
		i := 0
		if resuming {
			i = int(fr.gen.state.pcs[id])
		}
		for ; i < len(parts); i++ {
			p := &parts[i]
			if p.plain != nil {
				if r := p.plain(fr); r != ctrlNone {
					return r
				}
				continue
			}
			r := p.res(fr, resuming)
			resuming = false
			if r == ctrlYield {
				fr.gen.state.pcs[id] = int32(i)
				return r
			}
			if r != ctrlNone {
				return r
			}
		}
		return ctrlNone
	}, true
}

// loopBody compiles a loop's body, where break and continue belong to the loop.
func (b *resumeBuilder) loopBody(body []syntax.Stmt) (resumeFn, bool) {
	ctx := b.c.ctx
	ctx.loopDepth++
	saved := ctx.inSwitch
	ctx.inSwitch = 0
	fn, ok := b.block(body)
	ctx.inSwitch = saved
	ctx.loopDepth--
	return fn, ok
}

// stmt compiles one statement: plain when it has no yield, resumable when it
// can suspend, ok false when it has a yield that cannot be resumed.
func (b *resumeBuilder) stmt(s syntax.Stmt) (plain stmtFn, res resumeFn, ok bool) {
	c := b.c
	if b.quiet(func() { plain = c.stmt(s) }) {
		return plain, nil, true
	}
	switch x := s.(type) {
	case *syntax.ExprStmt:
		if y, isYield := x.X.(*syntax.YieldExpr); isYield {
			res, ok = b.yield(y, nil)
		}
	case *syntax.Assign:
		if y, isYield := x.Value.(*syntax.YieldExpr); isYield && len(x.Targets) == 1 {
			var set func(*Frame, Value)
			if b.quiet(func() { set = c.assignTo(x.Targets[0]) }) {
				res, ok = b.yield(y, set)
			}
		}
	case *syntax.If:
		res, ok = b.ifStmt(x)
	case *syntax.While:
		res, ok = b.whileStmt(x)
	case *syntax.For:
		res, ok = b.forStmt(x)
	case *syntax.ForTo:
		res, ok = b.forToStmt(x)
	}
	return nil, res, ok
}

// yield compiles `yield v` (set stores the value sent in, when it is assigned).
func (b *resumeBuilder) yield(y *syntax.YieldExpr, set func(*Frame, Value)) (resumeFn, bool) {
	if y.From {
		return b.yieldFrom(y, set)
	}
	var val exprFn
	if y.X != nil && !b.quiet(func() { val = b.c.expr(y.X) }) {
		return nil, false
	}
	pos := y.Start()
	return func(fr *Frame, resuming bool) ctrl {
		fr.pos = pos
		g := fr.gen
		if !resuming {
			var v Value = None
			if val != nil {
				v = val(fr)
			}
			g.state.out = v
			return ctrlYield
		}
		sent := g.takeSent()
		if set != nil {
			set(fr, sent)
		}
		return ctrlNone
	}, true
}

// yieldFrom compiles `yield from src`: its iterator is kept between resumes; a
// value sent in goes on to an inner generator, and the inner generator's return
// value is the value of the expression.
func (b *resumeBuilder) yieldFrom(y *syntax.YieldExpr, set func(*Frame, Value)) (resumeFn, bool) {
	var src exprFn
	if !b.quiet(func() { src = b.c.expr(y.X) }) {
		return nil, false
	}
	id := b.nit
	b.nit++
	pos := y.Start()
	return func(fr *Frame, resuming bool) ctrl {
		fr.pos = pos
		g := fr.gen
		st := g.state
		var it Iterator
		if resuming {
			it = st.its[id]
			if sent := g.takeSent(); sent != None {
				if inner, ok := it.(*generator); ok {
					inner.sent = sent
				}
			}
		} else {
			it = GetIter(fr.th, src(fr))
			st.its[id] = it
		}
		if item, ok := it.Next(fr.th); ok {
			st.out = item
			return ctrlYield
		}
		st.its[id] = nil
		if set != nil {
			var result Value = None
			if inner, ok := it.(*generator); ok {
				result = inner.result()
			}
			set(fr, result)
		}
		return ctrlNone
	}, true
}

func (b *resumeBuilder) ifStmt(x *syntax.If) (resumeFn, bool) {
	var cond func(*Frame) bool
	if !b.quiet(func() { cond = b.c.cond(x.Cond) }) {
		return nil, false
	}
	body, ok := b.block(x.Body)
	if !ok {
		return nil, false
	}
	els, ok := b.block(x.Else)
	if !ok {
		return nil, false
	}
	id := b.npc
	b.npc++
	return func(fr *Frame, resuming bool) ctrl {
		var branch int32
		switch {
		case resuming:
			branch = fr.gen.state.pcs[id]
		case cond(fr):
			branch = 1
		}
		var r ctrl
		if branch == 1 {
			r = body(fr, resuming)
		} else {
			r = els(fr, resuming)
		}
		if r == ctrlYield {
			fr.gen.state.pcs[id] = branch
		}
		return r
	}, true
}

// elseBlock compiles a loop's else block, which must not yield.
func (b *resumeBuilder) elseBlock(stmts []syntax.Stmt) (stmtFn, bool) {
	if stmts == nil {
		return nil, true
	}
	var els stmtFn
	ok := b.quiet(func() { els = b.c.block(stmts) })
	return els, ok
}

// loopExit is what a loop does with its body's outcome: done reports that the
// loop ends with r.
func loopExit(r ctrl) (out ctrl, done bool) {
	switch r {
	case ctrlYield, ctrlReturn, ctrlRaise:
		return r, true
	case ctrlBreak:
		return ctrlNone, true
	}
	return ctrlNone, false
}

func (b *resumeBuilder) whileStmt(x *syntax.While) (resumeFn, bool) {
	var cond func(*Frame) bool
	if !b.quiet(func() { cond = b.c.cond(x.Cond) }) {
		return nil, false
	}
	els, ok := b.elseBlock(x.Else)
	if !ok {
		return nil, false
	}
	body, ok := b.loopBody(x.Body)
	if !ok {
		return nil, false
	}
	return func(fr *Frame, resuming bool) ctrl { return resumeLoop(fr, resuming, cond, body, nil, els) }, true
}

// resumeLoop runs a while loop, or a for-to loop's loop after its init (step
// non-nil), from the start or, resuming, from where its body yielded.
func resumeLoop(fr *Frame, resuming bool, cond func(*Frame) bool, body resumeFn, step stmtFn, els stmtFn) ctrl {
	for ; resuming || cond(fr); resuming = false {
		if r, done := loopExit(body(fr, resuming)); done {
			return r
		}
		if step != nil {
			if r := step(fr); r == ctrlRaise {
				return r
			}
		}
		fr.th.Poll()
	}
	if els != nil {
		return els(fr)
	}
	return ctrlNone
}

func (b *resumeBuilder) forToStmt(x *syntax.ForTo) (resumeFn, bool) {
	c := b.c
	var init, step stmtFn
	var cond func(*Frame) bool
	if !b.quiet(func() { init, cond, step = c.stmt(x.Init), c.cond(x.Cond), c.stmt(x.Step) }) {
		return nil, false
	}
	els, ok := b.elseBlock(x.Else)
	if !ok {
		return nil, false
	}
	body, ok := b.loopBody(x.Body)
	if !ok {
		return nil, false
	}
	return func(fr *Frame, resuming bool) ctrl {
		if !resuming {
			if r := init(fr); r == ctrlRaise {
				return r
			}
		}
		return resumeLoop(fr, resuming, cond, body, step, els)
	}, true
}

func (b *resumeBuilder) forStmt(x *syntax.For) (resumeFn, bool) {
	c := b.c
	if _, overRef := x.Iter.(*syntax.EdgeRef); overRef || x.Async {
		return nil, false
	}
	var iter exprFn
	var set func(*Frame, Value)
	if !b.quiet(func() { iter, set = c.expr(x.Iter), c.assignTo(x.Target) }) {
		return nil, false
	}
	els, ok := b.elseBlock(x.Else)
	if !ok {
		return nil, false
	}
	body, ok := b.loopBody(x.Body)
	if !ok {
		return nil, false
	}
	id := b.nit
	b.nit++
	pos := x.P
	return func(fr *Frame, resuming bool) ctrl {
		st := fr.gen.state
		var it Iterator
		if resuming {
			it = st.its[id]
		} else {
			fr.pos = pos
			it = GetIter(fr.th, iter(fr))
			st.its[id] = it
		}
		for {
			if !resuming {
				v, more := it.Next(fr.th)
				if !more {
					break
				}
				set(fr, v)
			}
			r, done := loopExit(body(fr, resuming))
			resuming = false
			if done {
				if r != ctrlYield {
					st.its[id] = nil
				}
				return r
			}
			fr.th.Poll()
		}
		st.its[id] = nil
		if els != nil {
			return els(fr)
		}
		return ctrlNone
	}, true
}

// compLevel is one `for` of a generator expression with its `if`s.
type compLevel struct {
	iter  exprFn // nil for the first, whose iterator is the frame's source slot
	set   func(*Frame, Value)
	conds []func(*Frame) bool
}

// genExprResume compiles a generator expression's loops as a resumable body:
// the iterator of each `for` is kept in the genState, and a resume continues
// the innermost one.
func (c *compiler) genExprResume(fors []syntax.CompFor, srcSlot int, elt exprFn) *resumable {
	levels := make([]compLevel, len(fors))
	for i, f := range fors {
		if f.Async {
			return nil
		}
		if i > 0 {
			levels[i].iter = c.expr(f.Iter)
		}
		levels[i].set = c.assignTo(f.Target)
		for _, cond := range f.Ifs {
			levels[i].conds = append(levels[i].conds, c.cond(cond))
		}
	}
	last := len(levels) - 1
	body := func(fr *Frame, resuming bool) ctrl {
		g := fr.gen
		st := g.state
		lvl := last
		if resuming {
			g.takeSent()
		} else {
			lvl = 0
			st.its[0] = fr.locals[srcSlot].(Iterator)
		}
	items:
		for {
			v, ok := st.its[lvl].Next(fr.th)
			if !ok {
				st.its[lvl] = nil
				if lvl == 0 {
					return ctrlNone
				}
				lvl--
				continue
			}
			l := &levels[lvl]
			l.set(fr, v)
			for _, cond := range l.conds {
				if !cond(fr) {
					fr.th.Poll()
					continue items
				}
			}
			if lvl == last {
				st.out = elt(fr)
				return ctrlYield
			}
			lvl++
			st.its[lvl] = GetIter(fr.th, levels[lvl].iter(fr))
		}
	}
	return &resumable{body: body, nit: len(levels)}
}

// yieldStmt compiles `yield v;` as a statement of a generator body run on a
// coroutine or pushed (the value sent in is dropped): the value goes straight
// to yieldValue, without the expression's closure in between.
func (c *compiler) yieldStmt(y *syntax.YieldExpr) stmtFn {
	c.ctx.yields++
	var val exprFn
	if y.X != nil {
		val = c.expr(y.X)
	}
	pos := y.Start()
	return func(fr *Frame) ctrl {
		fr.pos = pos
		var v Value = None
		if val != nil {
			v = val(fr)
		}
		fr.yieldValue(v)
		return ctrlNone
	}
}
