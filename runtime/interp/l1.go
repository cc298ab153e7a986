package interp

import "context"

// The in-process tier (L1): a shared graph that outlives requests.
//
// A server whose store belongs to it alone (the embedded store) keeps the
// archetypes its requests loaded in one shared Graph, so a request walks nodes
// that are already in memory instead of building them again from stored
// records. Requests use it one at a time (under the program lock); each one
// opens a session on it with ResumeSession and ends with Settle or, when it
// fails, the graph is dropped as a whole.
//
// What keeps the shared graph equal to the store:
//
//   - Between requests the graph holds only stored archetypes whose fields are
//     immutable scalars (None, bool, int, float, str). Such an archetype can
//     change only through attribute assignment, edge changes, permission
//     changes or deletion, and each of those notes the anchor in
//     Graph.touched; Changes looks at the touched anchors and at those loaded
//     by the request instead of walking the whole graph.
//   - Archetypes holding containers, objects or references (which change in
//     place, unseen) are evicted at the end of every request that loaded them,
//     as are archetypes created but not stored. A pointer to an evicted
//     archetype held by another one (an edge's endpoint, a node's edge list)
//     is reloaded on its next use.
//   - After Changes the request's writes are applied to the graph at once
//     (Committed); the caller queues the commit in the same order as the
//     requests ran, so every read version a later request records is the one
//     its commit will find. If a commit fails, or a request raises after
//     writing, the caller replaces the shared graph with a new one.

// sharedGraphLimit bounds the archetypes a shared graph keeps; past it the
// graph is dropped at the end of a request (and refilled by the next ones).
const sharedGraphLimit = 200000

// NewSharedGraph creates an empty in-process tier.
func NewSharedGraph() *Graph {
	return &Graph{byID: make(map[ID]*Instance, 1024), shared: true, chain: &CommitChain{}}
}

// Forget drops from a shared graph what a transaction committed by another
// writer of the store (another isolate of the server) changed: the records it
// wrote or deleted, and the edge lists it changed, are read again from the
// store when next used. Called between requests.
func (g *Graph) Forget(tx *Tx) {
	for _, r := range tx.Puts {
		g.forgetID(r.ID)
	}
	for _, id := range tx.Deletes {
		g.forgetID(id)
	}
	for _, ops := range [2][]EdgeOp{tx.EdgeAdds, tx.EdgeDels} {
		for _, op := range ops {
			if n, ok := g.byID[op.Node]; ok {
				n.anchor.Loaded, n.anchor.edges, n.anchor.index = false, nil, nil
			}
		}
	}
}

func (g *Graph) forgetID(id ID) {
	if o, ok := g.byID[id]; ok {
		if o == g.root {
			g.root = nil
		}
		g.evict(o.anchor)
	}
}

// Overfull reports whether a shared graph holds more than it should keep.
func (g *Graph) Overfull() bool { return len(g.byID) > sharedGraphLimit }

// noteChange records that the current request changed a; shared graphs list
// such anchors for Changes.
func (a *Anchor) noteChange() {
	if g := a.graph; g != nil && g.shared && a.changeMark != g.epoch {
		a.changeMark = g.epoch
		g.touched = append(g.touched, a)
	}
}

// ResumeSession opens a request's session on a shared graph: the root with id
// rootID is taken from the graph, or loaded (or created) as NewSession does.
func ResumeSession(ctx context.Context, st Store, prog *Program, g *Graph, rootID ID) (*Session, error) {
	g.epoch++
	g.touched = g.touched[:0]
	g.Created, g.Deleted = nil, nil
	if o, ok := g.byID[rootID]; ok && o.cls == RootClass {
		s := &Session{Store: st, Prog: prog, Ctx: ctx, graph: g, loaded: make([]*Anchor, 0, 8)}
		g.SetLoader(s)
		g.root = o
		s.loaded = append(s.loaded, o.anchor)
		return s, nil
	}
	return NewSession(ctx, st, prog, g, rootID)
}

// Settle ends a successful request on a shared graph, after Changes and
// Committed: archetypes that may change unseen, and new ones that were not
// stored, leave the graph.
func (s *Session) Settle() {
	g := s.graph
	for _, a := range g.Created {
		if !a.stored {
			g.evict(a)
		}
	}
	for _, a := range s.scope {
		if a.mutable || !a.Deleted && holdsMutable(a.Obj) {
			g.evict(a)
		}
	}
	for _, a := range g.Deleted {
		a.evicted = true
	}
	g.touched = g.touched[:0]
	g.Created, g.Deleted = nil, nil
	// the loader and root stay until the next request: a reported generator
	// may still run (see Server.stream, which drops the graph afterwards)
}

// holdsMutable reports whether an archetype has a field that can change in
// place (anything but None, bool, int, float and str).
func holdsMutable(o *Instance) bool {
	for _, v := range o.fields {
		switch v.(type) {
		case nil, NoneType, Bool, Int, Float, Str:
		default:
			return true
		}
	}
	for _, at := range o.extraAttrs() {
		switch at.v.(type) {
		case NoneType, Bool, Int, Float, Str:
		default:
			return true
		}
	}
	return false
}

// evict drops a from the shared graph. Nodes' lists that hold an evicted edge
// are reloaded on next use; an edge whose endpoint was evicted reloads it.
func (g *Graph) evict(a *Anchor) {
	if a.evicted {
		return
	}
	a.evicted = true
	if o, ok := g.byID[a.ID]; ok && o.anchor == a {
		delete(g.byID, a.ID)
	}
	if a.Obj.cls.Kind != KindEdge {
		return
	}
	for _, id := range [2]ID{a.SrcID, a.DstID} {
		if n, ok := g.byID[id]; ok {
			n.anchor.Loaded, n.anchor.edges = false, nil
		}
	}
}

// Discard ends a request on a shared graph that failed or was refused, before
// any of its writes were applied. It reports whether the graph is still good:
// when the request changed nothing in it, what it loaded that may have changed
// in place and what it created leave the graph; otherwise the caller must drop
// the graph.
func (s *Session) Discard() bool {
	g := s.graph
	if len(g.touched) > 0 || len(g.Deleted) > 0 {
		return false
	}
	for _, a := range g.Created {
		g.evict(a)
	}
	for _, a := range s.loaded {
		if a.mutable {
			g.evict(a)
		}
	}
	g.Created = nil
	return true
}
