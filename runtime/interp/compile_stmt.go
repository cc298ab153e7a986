package interp

import (
	"github.com/jacscale/jac/runtime/syntax"
)

func (c *compiler) stmt(s syntax.Stmt) stmtFn {
	pos := s.Start()
	switch x := s.(type) {
	case *syntax.ExprStmt:
		if y, ok := x.X.(*syntax.YieldExpr); ok && !y.From && c.ctx.isGen {
			return c.yieldStmt(y) // resume.go
		}
		e := c.stmtValue(x.X)
		return func(fr *Frame) ctrl {
			fr.pos = pos
			if isRaised(e(fr)) {
				return ctrlRaise
			}
			return ctrlNone
		}
	case *syntax.Assign:
		return c.assignStmt(x)
	case *syntax.AugAssign:
		return c.augAssign(x)
	case *syntax.If:
		return c.ifStmt(x)
	case *syntax.While:
		return c.whileStmt(x)
	case *syntax.For:
		return c.forStmt(x)
	case *syntax.ForTo:
		return c.forToStmt(x)
	case *syntax.Try:
		return c.tryStmt(x)
	case *syntax.With:
		return c.withStmt(x)
	case *syntax.Return:
		if x.X == nil {
			return func(fr *Frame) ctrl { fr.ret = None; return ctrlReturn }
		}
		e := c.stmtValue(x.X)
		return func(fr *Frame) ctrl {
			fr.pos = pos
			v := e(fr)
			if isRaised(v) {
				return ctrlRaise
			}
			fr.ret = v
			return ctrlReturn
		}
	case *syntax.Raise:
		return c.raiseStmt(x)
	case *syntax.Assert:
		cond := c.expr(x.Cond)
		var msg exprFn
		if x.Msg != nil {
			msg = c.expr(x.Msg)
		}
		return func(fr *Frame) ctrl {
			fr.pos = pos
			if !Truth(fr.th, cond(fr)) {
				exc := NewInstance(AssertionErrorClass)
				if msg != nil {
					exc.excData().args = Tuple{msg(fr)}
				}
				fr.th.prepareRaise(exc)
				return fr.th.setPending(exc)
			}
			return ctrlNone
		}
	case *syntax.Del:
		return c.delStmt(pos, x.Targets)
	case *syntax.Jump:
		switch x.Kind {
		case syntax.BREAK:
			if c.ctx.loopDepth == 0 && c.ctx.inSwitch == 0 {
				c.errorf(pos, "'break' outside loop")
			}
			return func(*Frame) ctrl { return ctrlBreak }
		case syntax.CONTINUE:
			if c.ctx.loopDepth == 0 {
				c.errorf(pos, "'continue' not properly in loop")
			}
			return func(*Frame) ctrl { return ctrlContinue }
		case syntax.SKIP:
			return func(fr *Frame) ctrl { fr.ret = None; return ctrlReturn }
		case syntax.DISENGAGE:
			return func(fr *Frame) ctrl {
				fr.th.disengage()
				fr.ret = None
				return ctrlReturn
			}
		}
	case *syntax.Report:
		e := c.expr(x.X)
		return func(fr *Frame) ctrl { fr.pos = pos; fr.th.report(e(fr)); return ctrlNone }
	case *syntax.Visit:
		return c.visitStmt(x)
	case *syntax.Match:
		return c.matchStmt(x)
	case *syntax.Switch:
		return c.switchStmt(x)
	case *syntax.Block:
		return c.block(x.Body)
	case *syntax.FuncDef:
		fn := c.funcDef(x, 0, "")
		store := c.storeName(x.Name)
		return func(fr *Frame) ctrl { fr.pos = pos; store(fr, fn(fr)); return ctrlNone }
	case *syntax.ArchDef:
		mk := c.archDef(x)
		store := c.storeName(x.Name)
		return func(fr *Frame) ctrl { fr.pos = pos; store(fr, mk(fr)); return ctrlNone }
	case *syntax.EnumDef:
		mk := c.enumDef(x)
		store := c.storeName(x.Name)
		return func(fr *Frame) ctrl { fr.pos = pos; store(fr, mk(fr)); return ctrlNone }
	case *syntax.Impl:
		if x.IsEnum || x.IsArch {
			return nil
		}
		if _, ok := c.res.decls[joinDots(x.Target)]; !ok {
			c.errorf(pos, "impl of '%s', which is not declared", joinDots(x.Target))
		}
		return nil
	case *syntax.Glob:
		var fns []stmtFn
		for _, v := range x.Vars {
			if v.Value == nil {
				continue
			}
			e := c.expr(v.Value)
			store := c.storeName(v.Name)
			vpos := v.P
			fns = append(fns, func(fr *Frame) ctrl { fr.pos = vpos; store(fr, e(fr)); return ctrlNone })
		}
		return c.seq(fns)
	case *syntax.EntryBlock:
		body := c.block(x.Body)
		if x.Name != "" {
			name := x.Name
			mod := c.mod
			return func(fr *Frame) ctrl {
				if name == "__main__" && mod.Name != "__main__" {
					return ctrlNone
				}
				return body(fr)
			}
		}
		return body
	case *syntax.Import:
		return c.importStmt(x)
	case *syntax.Global, *syntax.Ignored:
		return nil
	case *syntax.Has:
		c.errorf(pos, "'has' outside an archetype")
	}
	c.errorf(pos, "unsupported statement %T", s)
	return nil
}

func (c *compiler) seq(fns []stmtFn) stmtFn {
	return func(fr *Frame) ctrl {
		for _, f := range fns {
			if r := f(fr); r != ctrlNone {
				return r
			}
		}
		return ctrlNone
	}
}

func (c *compiler) assignStmt(x *syntax.Assign) stmtFn {
	pos := x.P
	if x.Value == nil {
		return nil // a bare annotation
	}
	if f := c.parallelAssign(x); f != nil {
		return f
	}
	if t, ok := x.Targets[0].(*syntax.Index); ok && len(x.Targets) == 1 && isItemRead(t) && isArith(x.Value) && !hasCall(x.Value) {
		return c.numStoreItem(t, x.Value, pos) // listnum.go
	}
	val := c.stmtValue(x.Value)
	if len(x.Targets) == 1 {
		if id, ok := x.Targets[0].(*syntax.Ident); ok {
			b := c.lookup(id.Name)
			if b.kind == bindLocal {
				slot := b.slot
				return func(fr *Frame) ctrl {
					fr.pos = pos
					v := val(fr)
					if isRaised(v) {
						return ctrlRaise
					}
					fr.locals[slot] = v
					return ctrlNone
				}
			}
		}
		set := c.assignTo(x.Targets[0])
		return func(fr *Frame) ctrl {
			fr.pos = pos
			v := val(fr)
			if isRaised(v) {
				return ctrlRaise
			}
			set(fr, v)
			return ctrlNone
		}
	}
	var sets []func(*Frame, Value)
	for _, t := range x.Targets {
		sets = append(sets, c.assignTo(t))
	}
	return func(fr *Frame) ctrl {
		fr.pos = pos
		v := val(fr)
		if isRaised(v) {
			return ctrlRaise
		}
		for _, s := range sets {
			s(fr, v)
		}
		return ctrlNone
	}
}

// parallelAssign compiles `(a, b) = (b, a % b)`: a tuple or list target of n
// elements, none starred, and a tuple display of n values, none starred, for
// n <= maxStackArgs. The values are evaluated left to right into a buffer on
// the Go stack and then assigned left to right, as CPython does; no tuple is
// built and unpacked. nil for any other assignment.
func (c *compiler) parallelAssign(x *syntax.Assign) stmtFn {
	if len(x.Targets) != 1 {
		return nil
	}
	var targets []syntax.Expr
	switch t := x.Targets[0].(type) {
	case *syntax.TupleExpr:
		targets = t.Elts
	case *syntax.ListExpr:
		targets = t.Elts
	}
	vals, ok := x.Value.(*syntax.TupleExpr)
	if !ok || len(targets) == 0 || len(targets) != len(vals.Elts) || len(targets) > maxStackArgs {
		return nil
	}
	for i := range targets {
		_, st := targets[i].(*syntax.Starred)
		_, sv := vals.Elts[i].(*syntax.Starred)
		if st || sv {
			return nil
		}
	}
	valFns := c.exprs(vals.Elts)
	sets := make([]func(*Frame, Value), len(targets))
	for i, t := range targets {
		sets[i] = c.assignTo(t)
	}
	pos := x.P
	return func(fr *Frame) ctrl {
		fr.pos = pos
		var buf [maxStackArgs]Value
		vs := buf[:len(valFns)]
		for i, f := range valFns {
			vs[i] = f(fr)
		}
		for i, set := range sets {
			set(fr, vs[i])
		}
		return ctrlNone
	}
}

// assignTo compiles an assignment target.
func (c *compiler) assignTo(t syntax.Expr) func(*Frame, Value) {
	switch x := t.(type) {
	case *syntax.Ident:
		return c.storeName(x.Name)
	case *syntax.Attr:
		obj := c.expr(x.X)
		site := &storeSite{name: x.Name} // attr.go
		return func(fr *Frame, v Value) { site.store(fr.th, obj(fr), v) }
	case *syntax.Index:
		obj := c.expr(x.X)
		key := c.expr(x.Index)
		return func(fr *Frame, v Value) { SetItem(fr.th, obj(fr), key(fr), v) }
	case *syntax.TupleExpr:
		return c.unpackTo(x.Elts)
	case *syntax.ListExpr:
		return c.unpackTo(x.Elts)
	}
	c.errorf(t.Start(), "cannot assign to this expression")
	return nil
}

func (c *compiler) unpackTo(elts []syntax.Expr) func(*Frame, Value) {
	star := -1
	sets := make([]func(*Frame, Value), len(elts))
	for i, e := range elts {
		if s, ok := e.(*syntax.Starred); ok {
			if star >= 0 {
				c.errorf(e.Start(), "multiple starred expressions in assignment")
			}
			star = i
			sets[i] = c.assignTo(s.X)
			continue
		}
		sets[i] = c.assignTo(e)
	}
	n := len(elts)
	return func(fr *Frame, v Value) {
		items := unpackItems(fr.th, v, star < 0)
		if star < 0 {
			if len(items) != n {
				if len(items) > n {
					fr.th.ValueError("too many values to unpack (expected %d)", n)
				}
				fr.th.ValueError("not enough values to unpack (expected %d, got %d)", n, len(items))
			}
			for i, s := range sets {
				s(fr, items[i])
			}
			return
		}
		if len(items) < n-1 {
			fr.th.ValueError("not enough values to unpack (expected at least %d, got %d)", n-1, len(items))
		}
		for i := 0; i < star; i++ {
			sets[i](fr, items[i])
		}
		rest := len(items) - (n - 1 - star)
		sets[star](fr, NewList(append([]Value(nil), items[star:rest]...)))
		for i := star + 1; i < n; i++ {
			sets[i](fr, items[rest+i-star-1])
		}
	}
}

func (c *compiler) augAssign(x *syntax.AugAssign) stmtFn {
	pos := x.P
	op := x.Op
	val := c.stmtValue(x.Value) // every use checks isRaised
	switch t := x.Target.(type) {
	case *syntax.Ident:
		b := c.lookup(t.Name)
		if b.kind == bindLocal {
			slot := b.slot
			name := t.Name
			if isArith(x.Value) && !hasCall(x.Value) { // calls: stmtValue (raise.go)
				return c.numAugLocal(x, slot, name) // numeric.go
			}
			return func(fr *Frame) ctrl {
				fr.pos = pos
				cur := fr.locals[slot]
				if cur == nil {
					unboundLocal(fr, name)
				}
				v := val(fr)
				if isRaised(v) {
					return ctrlRaise
				}
				fr.locals[slot] = inPlaceValues(fr.th, op, cur, v)
				return ctrlNone
			}
		}
		load := c.loadName(pos, t.Name)
		store := c.storeName(t.Name)
		return func(fr *Frame) ctrl {
			fr.pos = pos
			cur := load(fr)
			v := val(fr)
			if isRaised(v) {
				return ctrlRaise
			}
			if a, ok := cur.(Int); ok {
				if b, ok := v.(Int); ok {
					if r, ok := intOp(fr.th, op, int64(a), int64(b)); ok {
						store(fr, r)
						return ctrlNone
					}
				}
			}
			store(fr, InPlace(fr.th, op, cur, v))
			return ctrlNone
		}
	case *syntax.Attr:
		obj := c.expr(t.X)
		name := t.Name
		var cacheCls *Class // per-site cache of the field slot (self.n += 1)
		cacheIdx := -1
		return func(fr *Frame) ctrl {
			fr.pos = pos
			o := obj(fr)
			if inst, ok := o.(*Instance); ok {
				if inst.cls != cacheCls {
					if i, ok := inst.cls.fieldIndex[name]; ok {
						cacheCls, cacheIdx = inst.cls, i
					}
				}
				if inst.cls == cacheCls && inst.fields[cacheIdx] != nil {
					cur, v := inst.fields[cacheIdx], val(fr)
					if isRaised(v) {
						return ctrlRaise
					}
					var r Value
					if a, ok := cur.(Int); ok {
						if b, ok := v.(Int); ok {
							r, _ = intOp(fr.th, op, int64(a), int64(b))
						}
					}
					if r == nil {
						r = InPlace(fr.th, op, cur, v)
					}
					inst.fields[cacheIdx] = r // as SetAttr does for a field
					if inst.anchor != nil {
						inst.anchor.touch(fr.th)
					}
					return ctrlNone
				}
			}
			cur := GetAttr(fr.th, o, name)
			v := val(fr)
			if isRaised(v) {
				return ctrlRaise
			}
			SetAttr(fr.th, o, name, InPlace(fr.th, op, cur, v))
			return ctrlNone
		}
	case *syntax.Index:
		if isItemRead(t) && !hasCall(x.Value) {
			return c.numAugItem(x, t) // listnum.go
		}
		obj := c.expr(t.X)
		key := c.expr(t.Index)
		return func(fr *Frame) ctrl {
			fr.pos = pos
			o, k := obj(fr), key(fr)
			cur := GetItem(fr.th, o, k)
			v := val(fr)
			if isRaised(v) {
				return ctrlRaise
			}
			SetItem(fr.th, o, k, InPlace(fr.th, op, cur, v))
			return ctrlNone
		}
	}
	c.errorf(pos, "illegal target for augmented assignment")
	return nil
}

// delStmt is `del a, b[i], c.f`. As in the reference, the targets' values are
// destroyed first (nodes and edges leave the graph; the first value that is not
// an archetype ends that pass), then each target is deleted as in Python.
func (c *compiler) delStmt(pos syntax.Pos, targets []syntax.Expr) stmtFn {
	if len(targets) == 1 {
		if t, ok := targets[0].(*syntax.TupleExpr); ok {
			targets = t.Elts
		} else if l, ok := targets[0].(*syntax.ListExpr); ok {
			targets = l.Elts
		}
	}
	type target struct {
		value func(*Frame) Value
		del   func(*Frame)
	}
	ts := make([]target, len(targets))
	for i, t := range targets {
		ts[i].value, ts[i].del = c.delTarget(t)
	}
	return func(fr *Frame) ctrl {
		fr.pos = pos
		vals := make([]Value, len(ts))
		for i, t := range ts {
			vals[i] = t.value(fr)
		}
		for _, v := range vals {
			o, ok := v.(*Instance)
			if !ok || o.anchor == nil {
				break
			}
			if o.cls.Kind == KindNode || o.cls.Kind == KindEdge {
				fr.th.destroy(o)
			}
		}
		for _, t := range ts {
			if t.del != nil {
				t.del(fr)
			}
		}
		return ctrlNone
	}
}

// delTarget compiles a del target into reading its value and deleting it (nil
// for an expression that is not a Python target: a node value to destroy).
func (c *compiler) delTarget(t syntax.Expr) (func(*Frame) Value, func(*Frame)) {
	switch x := t.(type) {
	case *syntax.Ident:
		load := c.loadName(x.P, x.Name) // raises NameError when unbound
		store := c.storeName(x.Name)
		return load, func(fr *Frame) { store(fr, nil) }
	case *syntax.Index:
		obj := c.expr(x.X)
		key := c.expr(x.Index)
		return func(fr *Frame) Value { return GetItem(fr.th, obj(fr), key(fr)) },
			func(fr *Frame) { DelItem(fr.th, obj(fr), key(fr)) }
	case *syntax.Attr:
		obj := c.expr(x.X)
		name := x.Name
		return func(fr *Frame) Value { return GetAttr(fr.th, obj(fr), name) },
			func(fr *Frame) { DelAttr(fr.th, obj(fr), name) }
	case *syntax.TupleExpr, *syntax.ListExpr:
		var elts []syntax.Expr
		if tx, ok := x.(*syntax.TupleExpr); ok {
			elts = tx.Elts
		} else {
			elts = x.(*syntax.ListExpr).Elts
		}
		var dels []func(*Frame)
		for _, e := range elts {
			_, d := c.delTarget(e)
			dels = append(dels, d)
		}
		return func(*Frame) Value { return None }, func(fr *Frame) {
			for _, d := range dels {
				if d != nil {
					d(fr)
				}
			}
		}
	}
	// Not a Python target (an edge reference, a call): destroy what it yields.
	e := c.expr(t)
	return func(fr *Frame) Value {
		v := e(fr)
		if l, ok := v.(*List); ok {
			for _, it := range l.items() {
				if o, ok := it.(*Instance); ok && o.anchor != nil {
					fr.th.destroy(o)
				}
			}
			return None
		}
		if _, ok := v.(*Instance); !ok {
			fr.th.TypeError("cannot delete this expression")
		}
		return v
	}, nil
}

func (c *compiler) ifStmt(x *syntax.If) stmtFn {
	cond := c.cond(x.Cond)
	body := c.block(x.Body)
	if x.Else == nil {
		return func(fr *Frame) ctrl {
			if cond(fr) {
				return body(fr)
			}
			return ctrlNone
		}
	}
	els := c.block(x.Else)
	return func(fr *Frame) ctrl {
		if cond(fr) {
			return body(fr)
		}
		return els(fr)
	}
}

// cond compiles a condition to a Go bool, with fast paths for comparisons.
func (c *compiler) cond(e syntax.Expr) func(*Frame) bool {
	pos := e.Start()
	if cmp, ok := e.(*syntax.Compare); ok && len(cmp.Ops) == 1 {
		if hasArithOperand(cmp.Elts...) {
			return c.numCompare(cmp) // numeric.go
		}
		a, b := c.expr(cmp.Elts[0]), c.expr(cmp.Elts[1])
		op := cmp.Ops[0]
		return c.localCond(cmp, func(fr *Frame) bool { // localops.go
			x, y := a(fr), b(fr)
			if xi, ok := x.(Int); ok {
				if yi, ok := y.(Int); ok {
					switch op {
					case syntax.CmpLT:
						return xi < yi
					case syntax.CmpLE:
						return xi <= yi
					case syntax.CmpGT:
						return xi > yi
					case syntax.CmpGE:
						return xi >= yi
					case syntax.CmpEQ:
						return xi == yi
					case syntax.CmpNE:
						return xi != yi
					}
				}
			}
			if xf, ok := x.(Float); ok {
				if yf, ok := y.(Float); ok {
					if r, ok := compareFloats(op, float64(xf), float64(yf)); ok {
						return r
					}
				}
			}
			fr.pos = pos
			return compareOp(fr.th, op, x, y)
		})
	}
	switch x := e.(type) {
	case *syntax.BoolOp: // each operand's truth is taken once, as Python's jumps do
		a, b := c.cond(x.X), c.cond(x.Y)
		if x.Op == syntax.AND {
			return func(fr *Frame) bool { return a(fr) && b(fr) }
		}
		return func(fr *Frame) bool { return a(fr) || b(fr) }
	case *syntax.Unary:
		if x.Op == syntax.NOT {
			a := c.cond(x.X)
			return func(fr *Frame) bool { return !a(fr) }
		}
	}
	f := c.expr(e)
	return func(fr *Frame) bool {
		v := f(fr)
		if b, ok := v.(Bool); ok {
			return bool(b)
		}
		return Truth(fr.th, v)
	}
}

// compareFloats is an order or equality comparison of two floats (false for any
// order with a NaN, as in Python); ok is false for other operators (is, in).
func compareFloats(op syntax.CmpOp, x, y float64) (result, ok bool) {
	return compareOrdered(op, x, y)
}

// compareOrdered is an order or equality comparison of two ints or two floats;
// ok is false for other operators.
func compareOrdered[T int64 | float64](op syntax.CmpOp, x, y T) (result, ok bool) {
	switch op {
	case syntax.CmpLT:
		return x < y, true
	case syntax.CmpLE:
		return x <= y, true
	case syntax.CmpGT:
		return x > y, true
	case syntax.CmpGE:
		return x >= y, true
	case syntax.CmpEQ:
		return x == y, true
	case syntax.CmpNE:
		return x != y, true
	}
	return false, false
}

func (c *compiler) loop(body []syntax.Stmt) stmtFn {
	c.ctx.loopDepth++
	saved := c.ctx.inSwitch
	c.ctx.inSwitch = 0
	b := c.block(body)
	c.ctx.inSwitch = saved
	c.ctx.loopDepth--
	return b
}

func (c *compiler) whileStmt(x *syntax.While) stmtFn {
	cond := c.cond(x.Cond)
	body := c.loop(x.Body)
	var els stmtFn
	if x.Else != nil {
		els = c.block(x.Else)
	}
	return func(fr *Frame) ctrl {
		for cond(fr) {
			switch r := body(fr); r {
			case ctrlBreak:
				return ctrlNone
			case ctrlReturn, ctrlRaise:
				return r
			}
			fr.th.Poll()
		}
		if els != nil {
			return els(fr)
		}
		return ctrlNone
	}
}

func (c *compiler) forStmt(x *syntax.For) stmtFn {
	pos := x.P
	var iter exprFn
	ref, overRef := x.Iter.(*syntax.EdgeRef)
	var refs *refEval
	if overRef {
		refs = c.refEval(ref)
	} else {
		iter = c.iterSource(x.Iter)
	}
	var set func(*Frame, Value)
	slot := -1
	if id, ok := x.Target.(*syntax.Ident); ok {
		if b := c.lookup(id.Name); b.kind == bindLocal {
			slot = b.slot
		}
	}
	set = c.assignTo(x.Target)
	unpack := c.unpackTargetOf(x.Target) // unpackiter.go
	body := c.loop(x.Body)
	var els stmtFn
	if x.Else != nil {
		els = c.block(x.Else)
	}
	if refs != nil {
		return forEdgeRef(pos, refs, slot, set, body, els)
	}
	return func(fr *Frame) ctrl {
		fr.pos = pos
		seq := iter(fr)
		result := ctrlNone
		broke := false
		run := func() bool {
			switch r := body(fr); r {
			case ctrlBreak:
				broke = true
				return false
			case ctrlReturn, ctrlRaise:
				result = r
				return false
			}
			return true
		}
		step := func(v Value) bool {
			if slot >= 0 {
				fr.locals[slot] = v
			} else {
				set(fr, v)
			}
			return run()
		}
		switch s := seq.(type) {
		case *Range:
			n := s.Len()
			for i := int64(0); i < n; i++ {
				if !step(MakeInt(s.At(i))) {
					break
				}
				fr.th.Poll()
			}
		default:
			if unpack == nil || !iterateUnpacked(fr.th, seq, len(unpack.sets), func(vals []Value) bool {
				unpack.assign(fr, vals)
				return run()
			}) {
				Iterate(fr.th, seq, step)
			}
		}
		if result != ctrlNone {
			return result
		}
		if !broke && els != nil {
			return els(fr)
		}
		return ctrlNone
	}
}

func (c *compiler) forToStmt(x *syntax.ForTo) stmtFn {
	init := c.stmt(x.Init)
	cond := c.cond(x.Cond)
	step := c.stmt(x.Step)
	body := c.loop(x.Body)
	var els stmtFn
	if x.Else != nil {
		els = c.block(x.Else)
	}
	return func(fr *Frame) ctrl {
		if r := init(fr); r == ctrlRaise {
			return r
		}
		for cond(fr) {
			switch r := body(fr); r {
			case ctrlBreak:
				return ctrlNone
			case ctrlReturn, ctrlRaise:
				return r
			}
			if r := step(fr); r == ctrlRaise {
				return r
			}
			fr.th.Poll()
		}
		if els != nil {
			return els(fr)
		}
		return ctrlNone
	}
}

// protect runs fn, returning the Jac exception it raised (if any).
func protect(fr *Frame, fn stmtFn) (r ctrl, exc *Instance) {
	th := fr.th
	savedFrame, depth, nwalk, nhandled, nargs := th.frame, th.depth, len(th.walkers), len(th.handled), len(th.argStack)
	defer func() {
		if x := recover(); x != nil {
			exc = th.catch(x)
			th.frame, th.depth = savedFrame, depth
			if len(th.argStack) > nargs {
				clear(th.argStack[nargs:])
				th.argStack = th.argStack[:nargs]
			}
			if len(th.walkers) > nwalk {
				th.walkers = th.walkers[:nwalk]
			}
			if len(th.handled) > nhandled {
				th.handled = th.handled[:nhandled]
			}
		}
	}()
	return fn(fr), nil
}

type handler struct {
	typ  exprFn
	set  func(*Frame, Value)
	body stmtFn
}

func (c *compiler) tryStmt(x *syntax.Try) stmtFn {
	body := c.block(x.Body)
	var hs []handler
	for _, h := range x.Handlers {
		hd := handler{body: c.block(h.Body)}
		if h.Type != nil {
			hd.typ = c.expr(h.Type)
		}
		if h.Name != "" {
			hd.set = c.storeName(h.Name)
		}
		hs = append(hs, hd)
	}
	var els, fin stmtFn
	if x.Else != nil {
		els = c.block(x.Else)
	}
	if x.Finally != nil {
		fin = c.block(x.Finally)
	}
	run := func(fr *Frame) ctrl {
		r, exc := protect(fr, body)
		if r == ctrlRaise {
			exc = fr.th.takePending()
		}
		if exc == nil {
			if els != nil && r == ctrlNone {
				return els(fr)
			}
			return r
		}
		th := fr.th
		for _, h := range hs {
			if h.typ != nil && !excMatches(th, exc, h.typ(fr)) {
				continue
			}
			if h.set != nil {
				h.set(fr, exc)
			}
			th.handled = append(th.handled, exc)
			r := h.body(fr)
			th.handled = th.handled[:len(th.handled)-1]
			return r
		}
		return th.setPending(exc)
	}
	if fin == nil {
		return run
	}
	return func(fr *Frame) ctrl {
		if fr.gen != nil {
			defer finallyOnClose(fr, fin)
		}
		r, exc := protect(fr, run)
		if r == ctrlRaise {
			exc = fr.th.takePending()
		}
		ret := fr.ret
		if fr2 := fin(fr); fr2 != ctrlNone {
			return fr2
		}
		if exc != nil {
			return fr.th.setPending(exc)
		}
		fr.ret = ret
		return r
	}
}

// excMatches reports whether exc is an instance of the class (or tuple of classes) t.
func excMatches(th *Thread, exc *Instance, t Value) bool {
	switch x := t.(type) {
	case *Class:
		return exc.cls.IsSubclass(x)
	case Tuple:
		for _, e := range x {
			if excMatches(th, exc, e) {
				return true
			}
		}
		return false
	}
	th.TypeError("catching classes that do not inherit from BaseException is not allowed")
	return false
}

func (c *compiler) raiseStmt(x *syntax.Raise) stmtFn {
	pos := x.P
	if x.X == nil {
		return func(fr *Frame) ctrl {
			fr.pos = pos
			th := fr.th
			if n := len(th.handled); n > 0 {
				return th.setPending(th.handled[n-1])
			}
			th.Raise(RuntimeErrorClass, "No active exception to reraise")
			return ctrlNone
		}
	}
	e := c.expr(x.X)
	var cause exprFn
	if x.Cause != nil {
		cause = c.expr(x.Cause)
	}
	return func(fr *Frame) ctrl {
		fr.pos = pos
		th := fr.th
		exc := makeException(th, e(fr))
		if cause != nil {
			cv := cause(fr)
			rare := exc.excData().writeRare()
			rare.suppressContext = true
			if cv == None {
				rare.cause = nil
			} else {
				rare.cause = makeException(th, cv)
			}
		}
		exc.excData().trace = th.stack()
		th.prepareRaise(exc)
		return th.setPending(exc)
	}
}

// makeException turns a raised value (class or instance) into an exception instance.
func makeException(th *Thread, v Value) *Instance {
	switch x := v.(type) {
	case *Instance:
		if x.cls.isExc {
			return x
		}
	case *Class:
		if x.isExc {
			o, ok := th.construct(x, nil, nil).(*Instance)
			if ok {
				return o
			}
		}
	}
	th.TypeError("exceptions must derive from BaseException")
	return nil
}

func (c *compiler) withStmt(x *syntax.With) stmtFn {
	body := c.block(x.Body)
	for i := len(x.Items) - 1; i >= 0; i-- {
		it := x.Items[i]
		ctx := c.expr(it.X)
		var set func(*Frame, Value)
		if it.As != nil {
			set = c.assignTo(it.As)
		}
		inner := body
		pos := x.P
		body = func(fr *Frame) ctrl {
			fr.pos = pos
			th := fr.th
			mgr := ctx(fr)
			v := enterContext(th, mgr)
			if set != nil {
				set(fr, v)
			}
			r, exc := protect(fr, inner)
			if r == ctrlRaise {
				exc = th.takePending()
			}
			if exc != nil {
				if !exitContext(th, mgr, exc) {
					return th.setPending(exc)
				}
				return ctrlNone
			}
			exitContext(th, mgr, nil)
			return r
		}
	}
	return body
}

// ContextManager is implemented by library values usable in `with`.
type ContextManager interface {
	Enter(th *Thread) Value
	Exit(th *Thread, exc *Instance) bool
}

func enterContext(th *Thread, mgr Value) Value {
	if cm, ok := mgr.(ContextManager); ok {
		return cm.Enter(th)
	}
	if r, ok := th.CallMethod(mgr, "__enter__"); ok {
		return r
	}
	th.TypeError("'%s' object does not support the context manager protocol", TypeName(mgr))
	return nil
}

func exitContext(th *Thread, mgr Value, exc *Instance) bool {
	if cm, ok := mgr.(ContextManager); ok {
		return cm.Exit(th, exc)
	}
	var args []Value
	if exc == nil {
		args = []Value{None, None, None}
	} else {
		args = []Value{exc.cls, exc, None}
	}
	m, _ := mgr.Class().Lookup("__exit__")
	if m == nil {
		return false
	}
	return Truth(th, th.callMethod(mgr, m, args, nil))
}

func (c *compiler) visitStmt(x *syntax.Visit) stmtFn {
	pos := x.P
	var target exprFn
	ref, ok := x.X.(*syntax.EdgeRef)
	var refs *refEval
	switch {
	case ok && !ref.EdgesOnly:
		refs = c.refEval(ref)
	case ok:
		target = c.edgeRef(ref, true)
	default:
		target = c.expr(x.X)
	}
	var index exprFn
	if x.Index != nil {
		index = c.expr(x.Index)
	}
	var els stmtFn
	if x.HasElse {
		els = c.block(x.Else)
	}
	if refs != nil {
		return visitEdgeRef(refs, index, els, pos)
	}
	return func(fr *Frame) ctrl {
		fr.pos = pos
		var idx Value
		if index != nil {
			idx = index(fr)
		}
		added := fr.th.visit(target(fr), idx)
		if !added && els != nil {
			return els(fr)
		}
		return ctrlNone
	}
}

func (c *compiler) switchStmt(x *syntax.Switch) stmtFn {
	subj := c.expr(x.Subject)
	type swCase struct {
		vals  []exprFn
		isNil []syntax.Token
		deflt bool
		body  stmtFn
	}
	c.ctx.inSwitch++
	var cases []swCase
	for _, cs := range x.Cases {
		sc := swCase{deflt: cs.Default, body: c.block(cs.Body)}
		for _, v := range cs.Values {
			sc.vals = append(sc.vals, c.expr(v))
			k := syntax.ILLEGAL
			if cv, ok := v.(*syntax.Const); ok && (cv.Kind == syntax.NONE || cv.Kind == syntax.TRUE || cv.Kind == syntax.FALSE) {
				k = cv.Kind
			}
			sc.isNil = append(sc.isNil, k)
		}
		cases = append(cases, sc)
	}
	c.ctx.inSwitch--
	return func(fr *Frame) ctrl {
		v := subj(fr)
		running := false
		for _, cs := range cases {
			if !running {
				if cs.deflt {
					running = true
				} else {
					for i, f := range cs.vals {
						cv := f(fr)
						if cs.isNil[i] != syntax.ILLEGAL && Identical(v, cv) || cs.isNil[i] == syntax.ILLEGAL && Equal(fr.th, v, cv) {
							running = true
							break
						}
					}
				}
			}
			if running {
				switch r := cs.body(fr); r {
				case ctrlBreak:
					return ctrlNone
				case ctrlNone:
				default:
					return r
				}
			}
		}
		return ctrlNone
	}
}
