package interp

import (
	"slices"

	"github.com/jacscale/jac/runtime/syntax"
)

// Edge references without intermediate lists.
//
// An edge reference (`[-->]`, `[edge -->]`, `[->:Link:w > 2:->]`) gathers its
// results into a slice the caller gives it (gatherRef). Where the result is
// only read once, that slice is one of the thread's reusable buffers
// (takeRefBuf): `for x in [...]` loops over it, `visit [...]` copies it into
// the walk's queue. Only a reference used as a value gets a list of its own.
// Per edge, a hop reads the edge's class, its fields for conditions and its
// anchor for the ends; what does not change from edge to edge (the type test
// of the last class seen, the read policy, whether the hop filters nodes at
// all) is worked out once per hop (hopFilter).

// refEval is a compiled edge reference: its origin and hops, evaluated afresh
// at each use (a type or a condition value may be any expression).
type refEval struct {
	origin    exprFn
	hops      []hopSpec
	sites     []hopSite // one per hop
	edgesOnly bool
	pos       syntax.Pos
}

func (c *compiler) refEval(x *syntax.EdgeRef) *refEval {
	r := &refEval{edgesOnly: x.EdgesOnly, pos: x.P}
	if x.Origin != nil {
		r.origin = c.expr(x.Origin)
	} else {
		r.origin = c.implicitOrigin(x.P)
	}
	r.hops = make([]hopSpec, len(x.Hops))
	r.sites = make([]hopSite, len(x.Hops))
	for i, h := range x.Hops {
		r.hops[i] = hopSpec{dir: h.Dir, conds: c.conds(h.Conds), nodeConds: c.conds(h.NodeConds),
			litConds: c.literalConds(h.Conds), litNodeConds: c.literalConds(h.NodeConds)}
		if h.Type != nil {
			r.hops[i].typ = c.expr(h.Type)
		}
		if h.Node != nil {
			r.hops[i].node = c.expr(h.Node)
		}
		if h.NodeType != nil {
			r.hops[i].nodeType = c.expr(h.NodeType)
		}
	}
	return r
}

// edgeRef compiles [origin --> ...] used as a value: a new list. forVisit is
// set when the reference is the target of `visit [edge ...]`, which yields
// each edge followed by the node at its other end, as the reference's visit
// does.
func (c *compiler) edgeRef(x *syntax.EdgeRef, forVisit bool) exprFn {
	r := c.refEval(x)
	if forVisit && r.edgesOnly {
		return func(fr *Frame) Value {
			o := r.origin(fr)
			fr.pos = r.pos
			var one [1]Hop
			return fr.th.edgesWithNodes(o, r.evalHops(fr, one[:]))
		}
	}
	return func(fr *Frame) Value {
		var buf [16]Value // the usual short result, gathered on the stack
		return listOf(r.gather(fr, buf[:0]))
	}
}

// listOf is a new list of a copy of vals. A short one (most references
// return a few nodes) is one allocation with its items, not two.
func listOf(vals []Value) *List {
	switch n := len(vals); {
	case n == 0:
		return NewList(nil)
	case n <= 2:
		x := new(struct {
			l List
			a [2]Value
		})
		x.l.vals = append(x.a[:0], vals...)
		return &x.l
	case n <= 4:
		x := new(struct {
			l List
			a [4]Value
		})
		x.l.vals = append(x.a[:0], vals...)
		return &x.l
	case n <= 8:
		x := new(struct {
			l List
			a [8]Value
		})
		x.l.vals = append(x.a[:0], vals...)
		return &x.l
	}
	return NewList(slices.Clone(vals))
}

// gather appends the reference's results to out.
func (r *refEval) gather(fr *Frame, out []Value) []Value {
	o := r.origin(fr)
	fr.pos = r.pos
	var one [1]Hop // the usual single hop, without a heap slice
	return fr.th.gatherRef(o, r.evalHops(fr, one[:]), r.edgesOnly, out)
}

// evalHops evaluates the hops' types and conditions into one (its room for a
// single hop) or a new slice.
func (r *refEval) evalHops(fr *Frame, one []Hop) []Hop {
	rh := one
	if len(r.hops) != len(one) {
		rh = make([]Hop, len(r.hops))
	}
	for i := range r.hops {
		h := &r.hops[i]
		hp := &rh[i]
		*hp = Hop{Dir: h.dir, site: &r.sites[i], Conds: h.litConds, NodeConds: h.litNodeConds}
		if h.typ != nil {
			hp.Type = h.typ(fr)
		}
		if h.litConds == nil && len(h.conds) > 0 {
			hp.Conds = evalConds(fr, h.conds)
		}
		if h.node != nil {
			hp.Node = h.node(fr)
		}
		if h.nodeType != nil {
			hp.NodeType = h.nodeType(fr)
		}
		if h.litNodeConds == nil && len(h.nodeConds) > 0 {
			hp.NodeConds = evalConds(fr, h.nodeConds)
		}
	}
	return rh
}

// forEdgeRef is `for target in [...]`: the loop runs over a buffer the
// reference fills before the first iteration (a snapshot, as the list would
// be: the body may connect or delete edges), with no list and no callback.
func forEdgeRef(pos syntax.Pos, r *refEval, slot int, set func(*Frame, Value), body, els stmtFn) stmtFn {
	return func(fr *Frame) ctrl {
		fr.pos = pos
		th := fr.th
		items := r.gather(fr, th.takeRefBuf())
		for _, v := range items {
			if slot >= 0 {
				fr.locals[slot] = v
			} else {
				set(fr, v)
			}
			switch res := body(fr); res {
			case ctrlBreak:
				th.putRefBuf(items)
				return ctrlNone
			case ctrlReturn, ctrlRaise:
				th.putRefBuf(items)
				return res
			}
			th.Poll()
		}
		th.putRefBuf(items)
		if els != nil {
			return els(fr)
		}
		return ctrlNone
	}
}

// visitEdgeRef is `visit [...]` (not `[edge ...]`): the nodes go from a
// buffer straight into the walk's queue.
func visitEdgeRef(r *refEval, index exprFn, els stmtFn, pos syntax.Pos) stmtFn {
	return func(fr *Frame) ctrl {
		fr.pos = pos
		var idx Value
		if index != nil {
			idx = index(fr)
		}
		th := fr.th
		items := r.gather(fr, th.takeRefBuf())
		added := th.visitItems(items, idx)
		th.putRefBuf(items)
		if !added && els != nil {
			return els(fr)
		}
		return ctrlNone
	}
}

// maxPooledRefBuf is the largest buffer kept for reuse: a reference that
// returned a huge list does not pin its array for the rest of the run.
const maxPooledRefBuf = 1 << 12

// takeRefBuf returns an empty buffer for a reference's results, owned by the
// caller until putRefBuf (nested loops each take their own).
func (th *Thread) takeRefBuf() []Value {
	n := len(th.refBufs)
	if n == 0 {
		return nil
	}
	b := th.refBufs[n-1]
	th.refBufs[n-1] = nil
	th.refBufs = th.refBufs[:n-1]
	return b
}

// putRefBuf gives a buffer back, its items cleared so that it holds no node
// alive.
func (th *Thread) putRefBuf(b []Value) {
	if cap(b) == 0 || cap(b) > maxPooledRefBuf {
		return
	}
	clear(b)
	th.refBufs = append(th.refBufs, b[:0])
}

// hopSite is what a compiled reference's hop learns from one evaluation
// for the next: the result of the type test for the last edge class seen,
// and the field slots of its conditions (condSlots). Both depend only on the
// edge's class (and the type tested), not on the edge.
type hopSite struct {
	typ     *Class // the type the last test was against
	typeCls *Class // the edge class it tested
	typeOK  bool   // its result
	conds   condSlots
	// the same for the node type filter (?:T) and the nodes reached
	nodeTyp, nodeCls *Class
	nodeOK           bool
}

// hopFilter is what one hop checks on each edge and node, with what does not
// change between them worked out once.
type hopFilter struct {
	site      *hopSite
	policy    Policy // the read policy, nil when all nodes may be read
	nodeCheck bool   // the hop filters the nodes it reaches
}

func newHopFilter(th *Thread, h *Hop) hopFilter {
	f := hopFilter{site: h.site, nodeCheck: h.NodeType != nil || len(h.NodeConds) > 0 || h.Node != nil}
	if f.site == nil {
		f.site = new(hopSite)
	}
	if th.Prog != nil {
		f.policy = th.Prog.Policy
	}
	return f
}

// admitsEdge reports whether e has hop h's edge type and meets its
// conditions. A class's type test is done once per class. (The hop is not
// kept in f: escape analysis does not tell fields apart, and the policy f
// holds goes to the heap.)
func (f *hopFilter) admitsEdge(th *Thread, h *Hop, e *Instance) bool {
	return f.admitsClassEdge(th, h, e, e.cls)
}

// admitsClassEdge is admitsEdge for an edge whose class cls is known: e is
// read only for its conditions.
func (f *hopFilter) admitsClassEdge(th *Thread, h *Hop, e *Instance, cls *Class) bool {
	if h.Type != nil {
		s := f.site
		if c, ok := h.Type.(*Class); ok {
			if cls != s.typeCls || c != s.typ {
				s.typ, s.typeCls, s.typeOK = c, cls, isInstanceOf(e, c)
			}
			if !s.typeOK {
				return false
			}
		} else if !IsInstance(th, e, h.Type) {
			return false
		}
	}
	return len(h.Conds) == 0 || f.site.conds.match(th, e, h.Conds)
}

// reaches reports whether the hop may arrive at n (read permission, then the
// node filter).
func (f *hopFilter) reaches(th *Thread, h *Hop, n *Instance) bool {
	if f.policy != nil && !f.policy.CanRead(th, n) {
		return false
	}
	if !f.nodeCheck {
		return true
	}
	if c, ok := h.NodeType.(*Class); ok {
		s := f.site
		if n.cls != s.nodeCls || c != s.nodeTyp {
			s.nodeTyp, s.nodeCls, s.nodeOK = c, n.cls, isInstanceOf(n, c)
		}
		if !s.nodeOK {
			return false
		}
		if len(h.NodeConds) == 0 && h.Node == nil {
			return true
		}
	}
	return h.reaches(th, n)
}

// gatherRef appends to out the results of [origin hops...]: the nodes the last
// hop reaches, each once and in edge order, or its edges when edgesOnly.
func (th *Thread) gatherRef(origin Value, hops []Hop, edgesOnly bool, out []Value) []Value {
	var one [1]*Instance
	var cur []*Instance
	if o, ok := origin.(*Instance); ok && o.cls.Kind == KindNode {
		one[0] = o
		cur = one[:]
	} else {
		cur = th.nodeList(origin, "edge reference")
	}
	for i := range hops {
		h := &hops[i] // a Hop is large: no copy per hop
		acc := hopResults{last: i == len(hops)-1, edgesOnly: edgesOnly, out: out, start: len(out)}
		f := newHopFilter(th, h)
		for _, n := range cur {
			if entries, ok := hopEntries(th, n, h); ok {
				acc.crossList(th, &f, h, n, entries)
			} else {
				acc.crossEdges(th, &f, h, n, n.anchor.edgesFor(th, h))
			}
		}
		if acc.last {
			return acc.out
		}
		cur = acc.next
	}
	for _, n := range cur { // no hops: the origin's nodes
		out = append(out, n)
	}
	return out
}

// hopResults gathers what one hop reaches: the next hop's nodes, or the
// reference's results (out[start:]) at the last hop.
type hopResults struct {
	last, edgesOnly bool
	next            []*Instance
	seen            map[*Instance]bool // built once the list is long
	out             []Value
	start           int
}

// hopWants is the set of directions in which hop h crosses an edge.
func hopWants(h *Hop) hopDirs {
	switch h.Dir {
	case syntax.DirOut:
		return hopOut
	case syntax.DirIn:
		return hopIn
	}
	return hopOut | hopIn
}

// crossList crosses the edges of n's hop list. An edge in a direction the
// hop does not go is skipped unread when the edge filter cannot have an
// effect (no conditions, and a class or no type to test); otherwise the
// filter runs first, as it does on the edges themselves.
func (r *hopResults) crossList(th *Thread, f *hopFilter, h *Hop, n *Instance, entries []hopEdge) {
	want := hopWants(h)
	pure := len(h.Conds) == 0
	if pure && h.Type != nil {
		_, pure = h.Type.(*Class)
	}
	for i := range entries {
		x := &entries[i]
		if x.other == nil {
			if !f.admitsEdge(th, h, x.e) {
				continue
			}
			x.resolve(th, n)
			if x.other == nil {
				continue
			}
		} else if x.dirs&want == 0 && pure || !f.admitsClassEdge(th, h, x.e, x.cls) {
			continue
		}
		if d := x.dirs & want; d != 0 {
			r.add(th, f, h, x.e, x.other)
			if d == hopOut|hopIn { // a self-loop, crossed both ways
				r.add(th, f, h, x.e, x.other)
			}
		}
	}
}

// crossEdges crosses edges es of n, reading each edge's ends.
func (r *hopResults) crossEdges(th *Thread, f *hopFilter, h *Hop, n *Instance, es []*Instance) {
	goesOut := h.Dir == syntax.DirOut || h.Dir == syntax.DirAny
	goesIn := h.Dir == syntax.DirIn || h.Dir == syntax.DirAny
	for _, e := range es {
		if !f.admitsEdge(th, h, e) {
			continue
		}
		src, dst := e.anchor.ends(th)
		if src == nil || dst == nil {
			continue
		}
		if goesOut && src == n {
			r.add(th, f, h, e, dst)
		}
		if goesIn && dst == n {
			r.add(th, f, h, e, src)
		}
	}
}

// add counts the crossing of edge e to node other, when the hop may reach it.
func (r *hopResults) add(th *Thread, f *hopFilter, h *Hop, e, other *Instance) {
	if !f.reaches(th, h, other) {
		return
	}
	switch {
	case !r.last:
		if !hasNode(r.next, other, &r.seen) {
			r.next = append(r.next, other)
		}
	case r.edgesOnly:
		if !hasEdge(r.out[r.start:], e, &r.seen) {
			r.out = append(r.out, e)
		}
	default:
		if !hasEdge(r.out[r.start:], other, &r.seen) {
			r.out = append(r.out, other)
		}
	}
}
