package interp

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jacscale/jac/runtime/syntax"
)

// ID is the identity of a node, edge or walker.
type ID [16]byte

// NewID returns a random (version 4) UUID.
func NewID() ID {
	var id ID
	rand.Read(id[:])
	id[6] = id[6]&0x0f | 0x40
	id[8] = id[8]&0x3f | 0x80
	return id
}

// NewOrderedID returns a time-ordered (version 7) UUID: 48 bits of Unix
// milliseconds, then 74 random bits. Graph archetypes get these so that records
// created together sit together in a store's key order (the embedded store
// writes one B+tree leaf for a group of new records, not one leaf each).
func NewOrderedID() ID {
	var id ID
	rand.Read(id[6:])
	ms := uint64(time.Now().UnixMilli())
	for i := 5; i >= 0; i-- {
		id[i] = byte(ms)
		ms >>= 8
	}
	id[6] = id[6]&0x0f | 0x70
	id[8] = id[8]&0x3f | 0x80
	return id
}

// MarshalText encodes the id as 32 hex characters (compact stored records).
func (id ID) MarshalText() ([]byte, error) { return []byte(id.Hex()), nil }

// UnmarshalText decodes the hex or dashed form.
func (id *ID) UnmarshalText(b []byte) error {
	v, ok := ParseID(string(b))
	if !ok {
		return fmt.Errorf("invalid id %q", b)
	}
	*id = v
	return nil
}

// Hex is the 32-character hex form used in URLs and serialized archetypes.
func (id ID) Hex() string { return hex.EncodeToString(id[:]) }

// UUID is the dashed form.
func (id ID) UUID() string {
	h := id.Hex()
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// ParseID accepts the 32-hex or dashed UUID form.
func ParseID(s string) (ID, bool) {
	var id ID
	s = strings.ReplaceAll(s, "-", "")
	if len(s) != 32 {
		return id, false
	}
	if _, err := hex.Decode(id[:], []byte(s)); err != nil {
		return id, false
	}
	return id, true
}

// Anchor is the graph identity and wiring of a node, edge or walker. The
// fields an edge reference reads for every edge it crosses (an edge's ends,
// the graph that says whether they may need loading, a node's edge list and
// its flags) come first, in one cache line; the persistence bookkeeping after.
type Anchor struct {
	// edges: endpoints
	src, dst *Instance
	graph    *Graph

	Loaded     bool // edges resolved from the store
	Undirected bool
	evicted    bool // dropped from a shared graph: holders of a pointer to it reload it
	Deleted    bool
	// Persistence bookkeeping (used by stores).
	Persistent bool // reachable from a root: saved at commit
	Dirty      bool
	mutable    bool // a loaded field holds a container that may change in place
	stored     bool // read from the store (at version readVer) or committed by this session

	edges []*Instance // nodes: incident edges in creation order (nil until loaded)
	hops  *hopList    // nodes: edges with their other ends, for hops (hoplist.go); beside edges, read with it

	ID      ID
	Obj     *Instance
	added   []*Instance // nodes: edges attached in this session (not yet stored)
	removed []*Instance // nodes: stored edges detached in this session
	index   *edgeIndex  // nodes on a shared graph: the stored list by archetypes (edgeindex.go)

	SrcID      ID
	DstID      ID
	Owner      ID // the root that owns it
	Access     *Access
	Version    int64
	orig       []byte // stored field encoding, to detect in-place changes
	readVer    int64
	mark       uint64 // last Changes walk that visited it
	changeMark uint64 // last request of a shared graph that changed it (see Graph.touched)
	ownAccess  bool   // Access is this anchor's own copy (not shared with a stored record)
}

// Access is the permission record of an anchor.
type Access struct {
	Public int        // level others get (-1 none, 0 read, 1 connect, 2 write)
	Roots  map[ID]int // per-root grants
}

// Edges returns a node's incident edges (loading them when needed).
func (a *Anchor) Edges(th *Thread) []*Instance {
	if !a.Loaded && a.graph != nil && a.graph.loader != nil {
		a.graph.loader.LoadEdges(th, a)
	}
	if !a.Loaded {
		a.Loaded = true
		a.edges = append(a.edges, a.added...)
	}
	return a.edges
}

// SetEdges replaces a node's edge list (used by stores when loading).
func (a *Anchor) SetEdges(es []*Instance) { a.edges = es; a.Loaded = true }

// Source and Target are an edge's endpoints.
func (a *Anchor) Source(th *Thread) *Instance { a.resolveEnds(th); return a.src }
func (a *Anchor) Target(th *Thread) *Instance { a.resolveEnds(th); return a.dst }

// SetEnds sets an edge's endpoints.
func (a *Anchor) SetEnds(src, dst *Instance) { a.src, a.dst = src, dst }

// resolveEnds loads an edge's endpoints when they are not in memory or were
// evicted. The graph (one object, hot in cache) is asked first: only a shared
// graph evicts (l1.go), so on any other the endpoints' anchors, each a cache
// miss on a large graph, are never read.
func (a *Anchor) resolveEnds(th *Thread) {
	g := a.graph
	if g == nil || g.loader == nil {
		return
	}
	if a.src == nil || g.shared && (a.src.anchor.evicted || a.dst != nil && a.dst.anchor.evicted) {
		g.loader.LoadEnds(th, a)
	}
}

// ends resolves an edge's endpoints once and returns both.
func (a *Anchor) ends(th *Thread) (src, dst *Instance) {
	a.resolveEnds(th)
	return a.src, a.dst
}

func (a *Anchor) touch(th *Thread) {
	a.Dirty = true
	a.noteChange()
}

// Loader resolves lazily stored graph parts.
type Loader interface {
	LoadEdges(th *Thread, a *Anchor)
	LoadEnds(th *Thread, a *Anchor)
	LoadByID(th *Thread, id ID) *Instance
}

// Graph holds the anchors a thread has touched. A request's graph normally
// lives as long as the request; a shared graph (NewSharedGraph) is the server's
// in-process tier and outlives them (see l1.go).
type Graph struct {
	byID   map[ID]*Instance
	root   *Instance
	loader Loader
	// Created lists anchors created during this run (for persistence).
	Created []*Anchor
	Deleted []*Anchor

	shared  bool
	epoch   uint64    // the current request on a shared graph
	touched []*Anchor // anchors changed by the current request (shared graphs)
	chain   *CommitChain
}

// NewGraph creates an empty in-memory graph.
func NewGraph() *Graph {
	return &Graph{byID: make(map[ID]*Instance, graphSizeHint.Load())}
}

// graphSizeHint is how many anchors the last store session's graph held: a new
// graph's map starts at that size instead of growing through every power of two
// on each request of a walk-heavy server.
var graphSizeHint atomic.Int64

// SetLoader installs a store-backed loader.
func (g *Graph) SetLoader(l Loader) { g.loader = l }

// Session returns the store session installed as the graph's loader (nil
// when the graph is not backed by a store).
func (g *Graph) Session() *Session { s, _ := g.loader.(*Session); return s }

// Register adds an instance loaded from a store.
func (g *Graph) Register(o *Instance) {
	o.anchor.graph = g
	g.byID[o.anchor.ID] = o
}

// Lookup finds an instance by id (loading it when needed).
func (g *Graph) Lookup(th *Thread, id ID) *Instance {
	if o, ok := g.byID[id]; ok {
		return o
	}
	if g.loader != nil {
		if o := g.loader.LoadByID(th, id); o != nil {
			return o
		}
	}
	return nil
}

// SetRoot sets the root node of the graph.
func (g *Graph) SetRoot(r *Instance) { g.root = r; g.Register(r) }

// Root returns the graph's root node (creating an in-memory one if none).
func (g *Graph) Root() *Instance {
	if g.root == nil {
		r := NewInstance(RootClass)
		r.anchor = &Anchor{ID: ID{}, Obj: r, Loaded: true, Persistent: true, graph: g}
		g.root = r
		g.byID[r.anchor.ID] = r
	}
	return g.root
}

// Anchors returns every anchor the graph holds.
func (g *Graph) Anchors() []*Anchor {
	out := make([]*Anchor, 0, len(g.byID))
	for _, o := range g.byID {
		out = append(out, o.anchor)
	}
	return out
}

var (
	RootClass        = newArchClass("Root", KindNode, NodeArchClass)
	GenericEdgeClass = newArchClass("GenericEdge", KindEdge, EdgeArchClass)
)

func newArchClass(name string, kind ClassKind, base *Class) *Class {
	c := newClass(name, base)
	c.Kind = kind
	c.fieldIndex = map[string]int{}
	return c
}

func (th *Thread) graph() *Graph {
	if th.Graph == nil {
		th.Graph = NewGraph()
	}
	return th.Graph
}

func (th *Thread) root() Value {
	if th.Root == nil {
		th.Root = th.graph().Root()
	}
	return th.Root
}

// newArchetypeBlock allocates a graph archetype's instance, its anchor and its
// field slots (when few) in one block, sized to the class: an edge reference
// crossing an edge reads the instance and the anchor's first fields in two
// adjacent cache lines (the instance is 80 bytes) instead of two scattered
// objects. Only o.cls and o.fields are set.
func newArchetypeBlock(cls *Class) (o *Instance, a *Anchor) {
	switch n := len(cls.Fields); {
	case n > 0 && n <= 2:
		l := &struct {
			o     Instance
			a     Anchor
			slots [2]Value
		}{}
		o, a = &l.o, &l.a
		o.fields = l.slots[:n:n]
	case n <= 4:
		l := &struct {
			o     Instance
			a     Anchor
			slots [4]Value
		}{}
		o, a = &l.o, &l.a
		o.fields = l.slots[:n:n]
	default: // no fields (an edge without fields needs no slots), or many
		l := &struct {
			o Instance
			a Anchor
		}{}
		o, a = &l.o, &l.a
		if n > 0 {
			o.fields = make([]Value, n)
		}
	}
	o.cls = cls
	return o, a
}

// newArchetype is a new node, edge or walker instance with its anchor.
func (th *Thread) newArchetype(cls *Class) *Instance {
	o, a := newArchetypeBlock(cls)
	th.initAnchor(o, a)
	return o
}

func (th *Thread) newAnchor(o *Instance) { th.initAnchor(o, new(Anchor)) }

// initAnchor gives o the new anchor a.
func (th *Thread) initAnchor(o *Instance, a *Anchor) {
	g := th.graph()
	*a = Anchor{ID: NewOrderedID(), Obj: o, Loaded: true, graph: g}
	if th.Root != nil && th.Root.anchor != nil {
		a.Owner = th.Root.anchor.ID
	}
	o.anchor = a
	if o.cls.Kind != KindWalker {
		g.byID[a.ID] = o
		g.Created = append(g.Created, a)
	}
}

// IsNode reports whether v is a node archetype instance.
func IsNode(v Value) bool {
	o, ok := v.(*Instance)
	return ok && o.cls.Kind == KindNode && o.anchor != nil
}

// IsEdge reports whether v is an edge archetype instance.
func IsEdge(v Value) bool {
	o, ok := v.(*Instance)
	return ok && o.cls.Kind == KindEdge && o.anchor != nil
}

func (th *Thread) nodeList(v Value, what string) []*Instance {
	switch x := v.(type) {
	case *Instance:
		if x.cls.Kind == KindNode {
			return []*Instance{x}
		}
	case *List, Tuple:
		var out []*Instance
		for _, e := range ToSlice(th, x) {
			o, ok := e.(*Instance)
			if !ok || o.cls.Kind != KindNode {
				th.TypeError("%s: expected a node, got %s", what, TypeName(e))
			}
			out = append(out, o)
		}
		return out
	}
	th.TypeError("%s: expected a node or a list of nodes, got %s", what, TypeName(v))
	return nil
}

// Connect implements ++> and friends; the value is the list of the head nodes.
func (th *Thread) Connect(a, b Value, dir syntax.EdgeDir, edge Value) Value {
	lefts := th.nodeList(a, "connect")
	rights := th.nodeList(b, "connect")
	if dir == syntax.DirIn {
		lefts, rights = rights, lefts
	}
	first := true
	for _, l := range lefts {
		for _, r := range rights {
			if !th.canConnect(l) || !th.canConnect(r) {
				th.Warn(fmt.Sprintf("connect denied: no CONNECT access to %s %s", r.cls.Name, r.anchor.ID.Hex()))
				continue
			}
			e := th.makeEdge(edge, first)
			first = false
			th.attachEdge(e, l, r, dir == syntax.DirAny)
		}
	}
	out := make([]Value, 0, len(rights))
	seen := map[*Instance]bool{}
	for _, r := range rights {
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return NewList(out)
}

// edgeSpec is an edge type with fields to set on each new edge (+>: E : f=v :+>).
type edgeSpec struct {
	edge  Value
	names []string
	vals  []Value
}

func (*edgeSpec) Class() *Class { return ObjectClass }

func (th *Thread) makeEdge(edge Value, first bool) *Instance {
	switch x := edge.(type) {
	case *edgeSpec:
		e := th.makeEdge(x.edge, first)
		for i, name := range x.names {
			if _, ok := LookupAttr(th, e, name); !ok {
				th.ValueError("Invalid attribute: %s", name)
			}
			SetAttr(th, e, name, x.vals[i])
		}
		return e
	case nil, NoneType:
		return th.construct(GenericEdgeClass, nil, nil).(*Instance)
	case *Class:
		if x.Kind != KindEdge {
			th.TypeError("'%s' is not an edge archetype", x.Name)
		}
		return th.construct(x, nil, nil).(*Instance)
	case *Instance:
		if x.cls.Kind != KindEdge {
			th.TypeError("'%s' is not an edge", x.cls.Name)
		}
		if first && x.anchor.src == nil {
			return x
		}
		c := &Instance{cls: x.cls, fields: append([]Value(nil), x.fields...)}
		for _, a := range x.extraAttrs() {
			c.setExtra(a.name, a.v)
		}
		th.newAnchor(c)
		return c
	}
	th.TypeError("connect: expected an edge archetype, got %s", TypeName(edge))
	return nil
}

func (th *Thread) attachEdge(e, src, dst *Instance, undirected bool) {
	a := e.anchor
	a.src, a.dst, a.Undirected = src, dst, undirected
	a.SrcID, a.DstID = src.anchor.ID, dst.anchor.ID
	src.anchor.addEdge(e)
	if dst != src {
		dst.anchor.addEdge(e)
	}
	a.touch(th)
}

// Disconnect implements `a del --> b`.
func (th *Thread) Disconnect(a, b Value, dir syntax.EdgeDir, edgeType Value) Value {
	lefts := th.nodeList(a, "disconnect")
	rights := th.nodeList(b, "disconnect")
	in := func(n *Instance) bool {
		for _, r := range rights {
			if r == n {
				return true
			}
		}
		return false
	}
	done := false
	for _, l := range lefts {
		for _, e := range append([]*Instance(nil), l.anchor.Edges(th)...) {
			if edgeType != nil && !IsInstance(th, e, edgeType) {
				continue
			}
			ea := e.anchor
			src, dst := ea.Source(th), ea.Target(th)
			if (dir == syntax.DirOut || dir == syntax.DirAny) && src == l && in(dst) ||
				(dir == syntax.DirIn || dir == syntax.DirAny) && dst == l && in(src) {
				th.destroy(e)
				done = true
			}
		}
	}
	return MakeBool(done)
}

// destroy removes a node (with its edges) or an edge from the graph.
func (th *Thread) destroy(o *Instance) {
	a := o.anchor
	if a == nil || a.Deleted {
		return
	}
	switch o.cls.Kind {
	case KindEdge:
		for _, n := range []*Instance{a.Source(th), a.Target(th)} {
			if n == nil {
				continue
			}
			n.anchor.removeEdge(th, o)
		}
	case KindNode:
		for _, e := range append([]*Instance(nil), a.Edges(th)...) {
			th.destroy(e)
		}
	}
	a.Deleted = true
	g := th.graph()
	delete(g.byID, a.ID)
	g.Deleted = append(g.Deleted, a)
}

// Hop is one arrow of an edge reference.
type Hop struct {
	Dir   syntax.EdgeDir
	Type  Value
	Conds []Cond
	// Node restricts the nodes reached (the reference's node filter): a node,
	// a list of nodes, or a predicate; NodeType and NodeConds come from (?...).
	Node      Value
	NodeType  Value
	NodeConds []Cond
	// site is the compiled reference's cache for this hop (edgeref.go); nil
	// for a hop built elsewhere
	site *hopSite
}

// reaches reports whether the hop may arrive at n.
func (h *Hop) reaches(th *Thread, n *Instance) bool {
	if h.NodeType != nil && !IsInstance(th, n, h.NodeType) {
		return false
	}
	if len(h.NodeConds) > 0 && !matchConds(th, n, h.NodeConds) {
		return false
	}
	if h.Node == nil || !Truth(th, h.Node) {
		return true // as the reference: no filter, or an empty one
	}
	switch f := h.Node.(type) {
	case *List:
		for _, e := range f.items() {
			if Equal(th, e, n) {
				return true
			}
		}
		return false
	case *Class:
		return true // callable: the reference calls it; any instance is truthy
	case *Instance:
		if f.cls.Kind == KindNode {
			return Equal(th, f, n)
		}
	}
	if IsCallable(h.Node) {
		return Truth(th, th.Call(h.Node, []Value{n}, nil))
	}
	return Equal(th, h.Node, n)
}

// EdgeRef evaluates [origin hops...] into a new list.
func (th *Thread) EdgeRef(origin Value, hops []Hop, edgesOnly bool) Value {
	return NewList(th.gatherRef(origin, hops, edgesOnly, nil))
}

// edgesWithNodes is `visit [edge ...]`: the path's last hop yields each edge
// and then the node at its other end (each once, in order).
func (th *Thread) edgesWithNodes(origin Value, hops []Hop) Value {
	cur := origin
	if len(hops) > 1 {
		cur = th.EdgeRef(origin, hops[:len(hops)-1], false)
	}
	h := hops[len(hops)-1]
	var out []Value
	seen := map[*Instance]bool{}
	add := func(o *Instance) {
		if !seen[o] {
			seen[o] = true
			out = append(out, o)
		}
	}
	var conds condSlots
	for _, n := range th.nodeList(cur, "edge reference") {
		for _, e := range n.anchor.edgesFor(th, &h) {
			if h.Type != nil && !IsInstance(th, e, h.Type) || len(h.Conds) > 0 && !conds.match(th, e, h.Conds) {
				continue
			}
			src, dst := e.anchor.ends(th)
			if src == nil || dst == nil {
				continue
			}
			if (h.Dir == syntax.DirOut || h.Dir == syntax.DirAny) && src == n && th.canRead(dst) && h.reaches(th, dst) {
				add(e)
				add(dst)
			}
			if (h.Dir == syntax.DirIn || h.Dir == syntax.DirAny) && dst == n && th.canRead(src) && h.reaches(th, src) {
				add(e)
				add(src)
			}
		}
	}
	return NewList(out)
}

// condSlots matches a hop's edge conditions (`[->:E:w > 2:->]`) against the
// edges of one reference. The fields they name are found in each edge
// class once, not by name per edge; a field without a value (or a name that
// is no declared field) is looked up as any attribute.
type condSlots struct {
	cls *Class
	idx [4]int // field index of each condition, -1: not a declared field
}

func (s *condSlots) match(th *Thread, e *Instance, cs []Cond) bool {
	if len(cs) > len(s.idx) {
		return matchConds(th, e, cs)
	}
	if e.cls != s.cls {
		s.cls = e.cls
		for i, c := range cs {
			s.idx[i] = e.cls.FieldIndex(c.Field)
		}
	}
	for i, c := range cs {
		var v Value
		if j := s.idx[i]; j >= 0 {
			v = e.fields[j]
		}
		if v == nil {
			v = GetAttr(th, e, c.Field)
		}
		if held, ok := compareInts(c.Op, v, c.Value); ok {
			if !held {
				return false
			}
		} else if !compareOp(th, c.Op, v, c.Value) {
			return false
		}
	}
	return true
}

// compareInts is compareOp for two ints (the usual edge condition, w > 2);
// ok is false for any other operands or operator.
func compareInts(op syntax.CmpOp, a, b Value) (held, ok bool) {
	x, ok1 := a.(Int)
	y, ok2 := b.(Int)
	if !ok1 || !ok2 {
		return false, false
	}
	return compareOrdered(op, int64(x), int64(y))
}

// hasNode reports whether n is in list, then counts it as added: short lists
// are scanned, longer ones get a set (*seen) built on first need.
func hasNode(list []*Instance, n *Instance, seen *map[*Instance]bool) bool {
	if *seen == nil {
		if len(list) < 16 {
			return slices.Contains(list, n)
		}
		*seen = make(map[*Instance]bool, 2*len(list))
		for _, x := range list {
			(*seen)[x] = true
		}
	}
	if (*seen)[n] {
		return true
	}
	(*seen)[n] = true
	return false
}

// hasEdge is hasNode for a list of values (edges, or the nodes of a result).
func hasEdge(list []Value, e *Instance, seen *map[*Instance]bool) bool {
	if *seen == nil {
		if len(list) < 16 {
			for _, x := range list {
				if x == Value(e) {
					return true
				}
			}
			return false
		}
		*seen = make(map[*Instance]bool, 2*len(list))
		for _, x := range list {
			(*seen)[x.(*Instance)] = true
		}
	}
	if (*seen)[e] {
		return true
	}
	(*seen)[e] = true
	return false
}

// canRead is the permission hook for traversal (the server installs a policy).
func (th *Thread) canRead(n *Instance) bool {
	if th.Prog != nil && th.Prog.Policy != nil {
		return th.Prog.Policy.CanRead(th, n)
	}
	return true
}

// Policy decides graph permissions (installed by the server).
type Policy interface {
	CanRead(th *Thread, n *Instance) bool
	CanConnect(th *Thread, n *Instance) bool
	CanWrite(th *Thread, a *Anchor) bool
}

// Warn records a permission denial of the running request.
func (th *Thread) Warn(msg string) { th.Warnings = append(th.Warnings, msg) }

func (th *Thread) canConnect(n *Instance) bool {
	if th.Prog != nil && th.Prog.Policy != nil {
		return th.Prog.Policy.CanConnect(th, n)
	}
	return true
}

// jobj resolves &id / jobj(id): None for an unknown id or one the caller
// may not read.
func (th *Thread) jobj(v Value) Value {
	s, ok := v.(Str)
	if !ok {
		return v
	}
	id, ok := ParseID(strings.TrimPrefix(string(s), "n::"))
	if !ok {
		return None
	}
	if o := th.graph().Lookup(th, id); o != nil && th.canRead(o) {
		return o // the same read permission as traversal
	}
	return None
}

// ---- Walkers ----

type walkState struct {
	w *Instance
	// queue holds the locations still to enter from queue[head] on: taking
	// one advances head, and the entries before it are reused when the
	// array is full, so a breadth-first walk does not reallocate as its
	// queue slides along
	queue      []Value
	head       int
	disengaged bool
	here       Value // the last location entered
}

// Spawn runs a walker from a location: `loc spawn W()` or `W() spawn loc`.
func (th *Thread) Spawn(a, b Value) Value {
	w, target := a, b
	if !isWalker(w) {
		w, target = b, a
	}
	wi, ok := w.(*Instance)
	if !ok || !isWalker(wi) {
		th.TypeError("spawn needs a walker instance, got %s and %s", TypeName(a), TypeName(b))
	}
	if wi.cls.Async {
		// an async walker walks when the coroutine is awaited
		return &Coroutine{th: th, run: func(th *Thread) Value { return th.walk(wi, target) }}
	}
	return th.walk(wi, target)
}

func isWalker(v Value) bool {
	o, ok := v.(*Instance)
	return ok && o.cls.Kind == KindWalker
}

func (th *Thread) walk(w *Instance, target Value) Value {
	// the queue's array is the last finished walk's (a nested walk takes its own)
	ws := &walkState{w: w}
	ws.queue = th.expandLocations(th.walkQueue[:0], target)
	th.walkQueue = nil
	outermost := len(th.walkers) == 0
	var prevReports *List
	if outermost {
		prevReports = th.reports
		th.reports = NewList(nil)
	}
	th.walkers = append(th.walkers, ws)
	defer func() {
		th.walkers = th.walkers[:len(th.walkers)-1]
		if outermost {
			w.setExtra("reports", th.reports)
			th.reports = prevReports
		}
	}()
	abilities := w.cls.Abilities
	if len(ws.queue) > 0 {
		ws.here = ws.queue[ws.head]
	} else {
		ws.here = target
	}
	for _, ab := range abilities {
		if !ab.Exit && ab.Untyped(th) {
			th.callAbility(ab, w, ws.here, w)
		}
		if ws.disengaged {
			return w
		}
	}
	// the locations entered, for their exits: the last walk's array is reused
	// (a walk over n nodes grows it to n; a nested walk takes its own). Only
	// locations with an exit to run are kept: a request's walk runs on a
	// fresh thread, and the stack of a walk without exits was a third of the
	// bytes it allocated.
	stack := th.walkStack
	th.walkStack = nil
	walkerExits := hasExit(w.cls)
	stopped := false
	for !stopped {
		if loc, ok := ws.next(); ok {
			ws.here = loc
			th.Visits++
			if !th.entries(ws, loc) {
				stopped = true
				break
			}
			if lo, ok := loc.(*Instance); walkerExits || ok && hasExit(lo.cls) {
				stack = append(stack, loc)
			}
			continue
		}
		if len(stack) == 0 {
			break
		}
		loc := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !th.exits(ws, loc) {
			stopped = true
		}
	}
	clear(stack[:cap(stack)])
	th.walkStack = stack[:0]
	clear(ws.queue[:cap(ws.queue)])
	th.walkQueue = ws.queue[:0]
	for _, ab := range abilities {
		if ab.Exit && ab.Untyped(th) {
			th.callAbility(ab, w, ws.here, w)
		}
		if ws.disengaged {
			break
		}
	}
	return w
}

// hasExit reports whether c has an exit ability.
func hasExit(c *Class) bool {
	for _, ab := range c.Abilities {
		if ab.Exit {
			return true
		}
	}
	return false
}

// next takes the location to enter next.
func (ws *walkState) next() (Value, bool) {
	if ws.head == len(ws.queue) {
		return nil, false
	}
	loc := ws.queue[ws.head]
	ws.queue[ws.head] = nil
	ws.head++
	if ws.head == len(ws.queue) {
		ws.queue, ws.head = ws.queue[:0], 0
	}
	return loc, true
}

// push queues items after the locations waiting, moving those to the front
// of the array first when it has no room left.
func (ws *walkState) push(items []Value) {
	if ws.head > 0 && len(ws.queue)+len(items) > cap(ws.queue) {
		n := copy(ws.queue, ws.queue[ws.head:])
		clear(ws.queue[n:])
		ws.queue, ws.head = ws.queue[:n], 0
	}
	ws.queue = append(ws.queue, items...)
}

// expandLocations appends to out the locations a spawn at v starts from.
func (th *Thread) expandLocations(out []Value, v Value) []Value {
	add := func(x Value) {
		if o, ok := x.(*Instance); ok && o.cls.Kind == KindEdge && o.anchor != nil {
			out = append(out, o)
			if t := o.anchor.Target(th); t != nil {
				out = append(out, t)
			}
			return
		}
		out = append(out, x)
	}
	switch x := v.(type) {
	case *List:
		for _, e := range x.items() {
			add(e)
		}
	case Tuple:
		for _, e := range x {
			add(e)
		}
	default:
		add(v)
	}
	return out
}

// visitLocations is what `visit x` queues: x (appended to buf), or the items of
// a list (an edge is visited as itself; only `visit [edge ...]` adds the nodes
// beyond). The result is only read: the caller copies it into the queue.
func visitLocations(v Value, buf []Value) []Value {
	switch x := v.(type) {
	case *List:
		return x.items()
	case Tuple:
		return x
	}
	return append(buf, v)
}

func matchesTypes(v Value, types []Value) bool {
	for _, t := range types {
		if c, ok := t.(*Class); ok && isInstanceOf(v, c) {
			return true
		}
		if u, ok := t.(*UnionType); ok && matchesTypes(v, u.Args) {
			return true
		}
	}
	return false
}

func (th *Thread) entries(ws *walkState, loc Value) bool {
	w := ws.w
	for _, ab := range w.cls.Abilities {
		if !ab.Exit && !ab.Untyped(th) && matchesTypes(loc, ab.types(th)) {
			th.callAbility(ab, w, loc, w)
			if ws.disengaged {
				return false
			}
		}
	}
	lo, ok := loc.(*Instance)
	if !ok {
		return true
	}
	for _, ab := range lo.cls.Abilities {
		if !ab.Exit && ab.Untyped(th) {
			th.callAbility(ab, lo, lo, w)
			if ws.disengaged {
				return false
			}
		}
	}
	for _, ab := range lo.cls.Abilities {
		if !ab.Exit && !ab.Untyped(th) && matchesTypes(w, ab.types(th)) {
			th.callAbility(ab, lo, lo, w)
			if ws.disengaged {
				return false
			}
		}
	}
	return true
}

func (th *Thread) exits(ws *walkState, loc Value) bool {
	w := ws.w
	if lo, ok := loc.(*Instance); ok {
		for _, ab := range lo.cls.Abilities {
			if ab.Exit && !ab.Untyped(th) && matchesTypes(w, ab.types(th)) {
				th.callAbility(ab, lo, lo, w)
				if ws.disengaged {
					return false
				}
			}
		}
		for _, ab := range lo.cls.Abilities {
			if ab.Exit && ab.Untyped(th) {
				th.callAbility(ab, lo, lo, w)
				if ws.disengaged {
					return false
				}
			}
		}
	}
	for _, ab := range w.cls.Abilities {
		if ab.Exit && !ab.Untyped(th) && matchesTypes(loc, ab.types(th)) {
			th.callAbility(ab, w, loc, w)
			if ws.disengaged {
				return false
			}
		}
	}
	return true
}

func (th *Thread) callAbility(ab *Ability, self, here, visitor Value) {
	fn := ab.Fn
	fr := th.newFrame(fn, fn.code)
	fr.locals[0], fr.locals[1], fr.locals[2] = self, here, visitor
	fn.makeCells(fr)
	if fn.code.IsGen {
		g := newGenerator(th, fr)
		for {
			if _, ok := g.next(th); !ok {
				break
			}
		}
		return
	}
	r := th.runFrame(fr)
	if co, ok := r.(*Coroutine); ok {
		co.Await(th)
		return
	}
	if !fn.code.NoRecycle {
		th.recycle(fr)
	}
}

func (th *Thread) currentWalk() *walkState {
	if len(th.walkers) == 0 {
		return nil
	}
	return th.walkers[len(th.walkers)-1]
}

// visit queues locations for the current walker; it reports whether any were added.
func (th *Thread) visit(target Value, index Value) bool {
	var one [1]Value
	return th.visitItems(visitLocations(target, one[:0]), index)
}

// visitItems queues the locations of a visit (before the location at index
// when it is not nil); it reports whether any were added.
func (th *Thread) visitItems(items []Value, index Value) bool {
	ws := th.currentWalk()
	if ws == nil {
		th.Raise(RuntimeErrorClass, "visit outside a walker")
	}
	if len(items) == 0 {
		return false
	}
	if index == nil {
		ws.push(items)
		return true
	}
	waiting := ws.queue[ws.head:]
	n := int64(len(waiting))
	i := toInt64(th, index)
	if i < 0 {
		i = n + i + 1
		if i < 0 {
			i = 0
		}
	}
	if i > n {
		i = n
	}
	q := make([]Value, 0, len(waiting)+len(items))
	q = append(q, waiting[:i]...)
	q = append(q, items...)
	q = append(q, waiting[i:]...)
	ws.queue, ws.head = q, 0
	return true
}

func (th *Thread) disengage() {
	if ws := th.currentWalk(); ws != nil {
		ws.disengaged = true
	}
}

// report records a value for the outermost walker (and prints it under `jac run`).
func (th *Thread) report(v Value) {
	if th.PrintReports {
		th.Out.WriteString(ToStr(th, v))
		th.Out.WriteByte('\n')
	}
	if th.reports != nil {
		th.reports.Append(v)
	}
}

// SetReports installs the list that collects reports (the server, for functions).
func (th *Thread) SetReports(l *List) { th.reports = l }

// Reports returns the current report list.
func (th *Thread) Reports() *List { return th.reports }

// Untyped reports whether the ability fires for any location (or walker).
func (a *Ability) Untyped(th *Thread) bool { return a.typeFns == nil && a.Types == nil }

// types resolves the ability's event types on first use (they may name archetypes
// declared after it).
func (a *Ability) types(th *Thread) []Value {
	if a.Types == nil && a.typeFns != nil {
		for _, f := range a.typeFns {
			a.Types = append(a.Types, f())
		}
	}
	return a.Types
}

// addEdge appends an edge without loading a stored edge list.
func (a *Anchor) addEdge(e *Instance) {
	if a.Loaded {
		a.edges = append(a.edges, e)
	}
	a.added = append(a.added, e)
	a.noteChange()
}

// removeEdge detaches an edge from a node's list.
func (a *Anchor) removeEdge(th *Thread, e *Instance) {
	es := a.Edges(th)
	for i, x := range es {
		if x == e {
			a.edges = append(es[:i:i], es[i+1:]...)
			break
		}
	}
	for i, x := range a.added {
		if x == e {
			a.added = append(a.added[:i:i], a.added[i+1:]...)
			return
		}
	}
	a.removed = append(a.removed, e)
	a.noteChange()
}
