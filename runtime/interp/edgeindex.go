package interp

import (
	"slices"
	"sort"

	"github.com/jacscale/jac/runtime/syntax"
)

// Typed edge references read only the edges they return.
//
// A store keeps each entry of a node's edge list with the edge's archetype, the
// node at the other end and that node's archetype (EdgeRef). A hop that names an
// edge type (`[->:E:->]`) or a node type (`[-->](?:T)`) picks the entries whose
// types it admits (subclasses included) and loads only those edges and nodes: a
// root with 10,000 Item children and one Profile loads one edge and one node for
// `[root -->](?:Profile)`. Untyped hops, and short lists already in memory, are
// filtered on the loaded edges as before.
//
// On the in-process graph tier a node keeps its stored list as an edgeIndex,
// grouped by (edge type, node type), so a hop looks at its groups, not at every
// entry; requests' edge changes are applied to it when they commit (Committed).
// On a request's own graph the filter is sent to the store, which returns the
// entries it admits (MongoDB filters in its index; bbolt from its cache).

// smallEdgeList is the size up to which a loaded edge list is filtered in
// memory rather than through the index.
const smallEdgeList = 32

// edgeIndex is a node's stored edge list grouped by archetypes.
type edgeIndex struct {
	groups []*edgeGroup
	next   int // position of the next entry
}

// edgeGroup holds the entries of one (edge type, node type) pair.
type edgeGroup struct {
	edgeType, nodeType string
	edgeCls, nodeCls   *Class // resolved on first use; nil: not a class of the program
	resolved           bool
	refs               []indexedRef
}

// indexedRef is an entry with its position in the node's list.
type indexedRef struct {
	EdgeRef
	pos int
}

func newEdgeIndex(refs []EdgeRef) *edgeIndex {
	ix := &edgeIndex{}
	for _, r := range refs {
		ix.add(r)
	}
	return ix
}

func (ix *edgeIndex) add(r EdgeRef) {
	g := ix.group(r.EdgeType, r.NodeType)
	g.refs = append(g.refs, indexedRef{EdgeRef: r, pos: ix.next})
	ix.next++
}

func (ix *edgeIndex) remove(edge ID) {
	for _, g := range ix.groups {
		for i, r := range g.refs {
			if r.Edge == edge {
				g.refs = slices.Delete(g.refs, i, i+1)
				return
			}
		}
	}
}

func (ix *edgeIndex) group(edgeType, nodeType string) *edgeGroup {
	for _, g := range ix.groups {
		if g.edgeType == edgeType && g.nodeType == nodeType {
			return g
		}
	}
	g := &edgeGroup{edgeType: edgeType, nodeType: nodeType}
	ix.groups = append(ix.groups, g)
	return g
}

// matching returns the entries of the groups keep admits that lead somewhere
// in direction dir, in list order.
func (ix *edgeIndex) matching(keep func(*edgeGroup) bool, dir syntax.EdgeDir) []EdgeRef {
	var out []EdgeRef
	var pos []int
	groups := 0
	for _, g := range ix.groups {
		if !keep(g) {
			continue
		}
		groups++
		for _, r := range g.refs {
			if r.crossable(dir) {
				out = append(out, r.EdgeRef)
				pos = append(pos, r.pos)
			}
		}
	}
	if groups > 1 {
		sort.Sort(byPos{out, pos})
	}
	return out
}

type byPos struct {
	refs []EdgeRef
	pos  []int
}

func (b byPos) Len() int           { return len(b.refs) }
func (b byPos) Less(i, j int) bool { return b.pos[i] < b.pos[j] }
func (b byPos) Swap(i, j int) {
	b.refs[i], b.refs[j] = b.refs[j], b.refs[i]
	b.pos[i], b.pos[j] = b.pos[j], b.pos[i]
}

// admits reports whether the group's archetypes pass h's type filters.
func (g *edgeGroup) admits(p *Program, h *Hop) bool {
	if g.edgeType == "" {
		return true // entries of unknown type: the loaded edge decides
	}
	if !g.resolved {
		g.edgeCls, g.nodeCls, g.resolved = p.ClassByName(g.edgeType), p.ClassByName(g.nodeType), true
	}
	return classAdmits(g.edgeCls, h.Type) && classAdmits(g.nodeCls, h.NodeType)
}

// crossable reports whether an entry leads somewhere in direction dir.
func (r EdgeRef) crossable(dir syntax.EdgeDir) bool {
	switch {
	case !r.Known():
		return true
	case dir == syntax.DirOut:
		return r.Out
	case dir == syntax.DirIn:
		return r.In
	}
	return true
}

// classAdmits reports whether instances of cls may pass the type filter t
// (nil: no filter; a class unknown to the program is left to the instance
// check).
func classAdmits(cls *Class, t Value) bool {
	if t == nil || cls == nil {
		return true
	}
	switch x := t.(type) {
	case *Class:
		return cls.IsSubclass(x)
	case *GenericAlias:
		return cls.IsSubclass(x.Origin)
	case Tuple:
		return slices.ContainsFunc(x, func(e Value) bool { return classAdmits(cls, e) })
	case *UnionType:
		return slices.ContainsFunc(x.Args, func(e Value) bool { return classAdmits(cls, e) })
	}
	return true
}

// edgesFor returns the edges of node a that hop h may cross (a superset: the
// caller still checks each one). Typed hops go through the index unless the
// list is short and already loaded.
func (a *Anchor) edgesFor(th *Thread, h *Hop) []*Instance {
	if h.Type == nil && h.NodeType == nil {
		return a.Edges(th)
	}
	s := a.indexedSession()
	if s == nil {
		return a.Edges(th)
	}
	hc := *h // the closures take a copy: h itself (often on its caller's stack) does not escape
	keep := func(g *edgeGroup) bool { return g.admits(s.Prog, &hc) }
	return s.typedEdges(th, a, keep, hc.Dir, func() *EdgeFilter { return s.Prog.edgeFilter(&hc) })
}

// OutEdgesNamed returns the edges leaving node a whose archetype, and that of
// the node they lead to, f names (nil sets: any), loading only those when the
// list is indexed. Entries of unknown type are included: the caller checks
// the edges it gets.
func (a *Anchor) OutEdgesNamed(th *Thread, f *EdgeFilter) []*Instance {
	s := a.indexedSession()
	if f == nil || s == nil {
		return a.Edges(th)
	}
	keep := func(g *edgeGroup) bool { return f.Admits(EdgeRef{EdgeType: g.edgeType, NodeType: g.nodeType}) }
	return s.typedEdges(th, a, keep, syntax.DirOut, func() *EdgeFilter { return f })
}

// indexedSession is the session that loads a's edges through the index, or
// nil when a's list is better filtered in memory (no store, or a short list
// already loaded).
func (a *Anchor) indexedSession() *Session {
	if a.graph == nil {
		return nil
	}
	s, ok := a.graph.loader.(*Session)
	if !ok || a.Loaded && (!a.graph.shared || len(a.edges) <= smallEdgeList) {
		return nil
	}
	return s
}

// typedEdges loads the edges of a whose index entries are in the groups keep
// admits and lead somewhere in direction dir, and adds the edges attached in
// this session. A request's own graph asks the store for the entries filter
// admits; the shared tier keeps a's whole list indexed.
func (s *Session) typedEdges(th *Thread, a *Anchor, keep func(*edgeGroup) bool, dir syntax.EdgeDir, filter func() *EdgeFilter) []*Instance {
	ix := a.index
	if ix == nil {
		var f *EdgeFilter
		if !s.graph.shared {
			f = filter()
		}
		refs, err := s.Store.EdgeRefs(s.Ctx, a.ID, f)
		if err != nil {
			s.fail(th, err)
		}
		ix = newEdgeIndex(refs)
		if s.graph.shared {
			a.index = ix
		}
	}
	refs := ix.matching(keep, dir)
	out := make([]*Instance, 0, len(refs)+len(a.added))
	for _, r := range refs {
		if a.detached(r.Edge) {
			continue
		}
		if e := s.LoadByID(th, r.Edge); e != nil && !e.anchor.Deleted {
			out = append(out, e)
		}
	}
	for _, e := range a.added {
		if !e.anchor.Deleted {
			out = append(out, e)
		}
	}
	return out
}

// detached reports whether this session removed the stored edge from a's list.
func (a *Anchor) detached(edge ID) bool {
	for _, e := range a.removed {
		if e.anchor.ID == edge {
			return true
		}
	}
	return false
}

// indexCommitted applies a's committed edge changes to its index.
func (a *Anchor) indexCommitted() {
	if a.index == nil {
		return
	}
	for _, e := range a.removed {
		a.index.remove(e.anchor.ID)
	}
	for _, e := range a.added {
		if !e.anchor.Deleted {
			a.index.add(edgeOp(a, e).Ref())
		}
	}
}

// edgeFilter is the store-side filter for hop h: the names of the program's
// archetypes its types admit.
func (p *Program) edgeFilter(h *Hop) *EdgeFilter {
	f := &EdgeFilter{EdgeTypes: p.admittedNames(h.Type), NodeTypes: p.admittedNames(h.NodeType)}
	if f.EdgeTypes == nil && f.NodeTypes == nil {
		return nil
	}
	return f
}

// admittedNames lists the node and edge archetypes of the program that the
// type filter t admits (nil: every name).
func (p *Program) admittedNames(t Value) []string {
	if t == nil {
		return nil
	}
	if c, ok := t.(*Class); ok {
		if names, ok := p.admitted[c]; ok {
			return names
		}
	}
	names := []string{}
	consider := func(c *Class) {
		if (c.Kind == KindNode || c.Kind == KindEdge) && classAdmits(c, t) && !slices.Contains(names, c.Name) {
			names = append(names, c.Name)
		}
	}
	consider(RootClass)
	consider(GenericEdgeClass)
	for _, m := range p.modules {
		for _, v := range m.globals {
			if c, ok := v.(*Class); ok {
				consider(c)
			}
		}
	}
	if c, ok := t.(*Class); ok {
		if p.admitted == nil {
			p.admitted = map[*Class][]string{}
		}
		p.admitted[c] = names
	}
	return names
}
