package interp

import "unsafe"

// Hop lists: a node's edges with their other ends beside them.
//
// A hop ([-->], [<--], [->:E:w > 2:->]) needs, for each edge of a node, the
// node at the edge's other end and the edge's direction from the node. Read
// from the edge, that is three objects per edge (the edge, its anchor, and
// through it the ends), each a cache miss on a graph larger than the cache,
// and for an edge in the wrong direction all three are read only to be
// skipped. A node's hop list keeps, next to each edge of its list, the other
// end, the directions in which the edge leaves the node and the edge's class,
// so that a hop reads one contiguous slice and touches an edge only when it
// is returned or a condition on its fields is evaluated.
//
// The list is derived from the node's edge list (Anchor.edges, which stays
// what stores, loaders and persistence read and write) and rebuilt when that
// list changes: every change replaces the list or appends to it (attaching an
// edge appends; detaching one copies the rest into a new array; loading sets
// a new list; nothing writes an element in place), so the list's array and
// length tell whether the hop list is current, and an append only extends it.
// An edge's ends never change once set on a graph that is not shared; an
// edge whose ends are not loaded yet keeps no other end, and the hop resolves
// it as before. A shared graph (l1.go), which evicts and reloads ends, does
// not use hop lists.

// hopEdge is one entry of a hop list.
type hopEdge struct {
	e     *Instance
	other *Instance // the edge's other end; nil while its ends are not loaded
	cls   *Class    // e's class
	dirs  hopDirs   // the directions in which e leaves the node
}

// hopDirs are the directions in which an edge leaves a node: out (the node
// is its source), in (its target), or both (a self-loop).
type hopDirs uint8

const (
	hopOut hopDirs = 1 << iota
	hopIn
)

// hopList is a node's hop list with the edge list it was built from.
type hopList struct {
	entries []hopEdge
	base    **Instance // the edge list's array (kept alive, so never reused)
	n       int        // the edge list's length
}

// hopOnce marks the hop list of a node that was hopped from once: the list
// is made at its second hop, so that a node left behind by a single walk
// (or created during one) costs no list. It is never written.
var hopOnce hopList

// hopEntries returns node n's hop list for hop h, or ok false when the hop
// must read the edges themselves: at the node's first hop, on a shared graph,
// or when a typed hop loads only the edges it may cross through the store's
// index (edgesFor).
func hopEntries(th *Thread, n *Instance, h *Hop) (entries []hopEdge, ok bool) {
	a := n.anchor
	if g := a.graph; g != nil && g.shared {
		return nil, false
	}
	if (h.Type != nil || h.NodeType != nil) && a.indexedSession() != nil {
		return nil, false
	}
	es := a.Edges(th)
	if len(es) == 0 {
		return nil, true
	}
	base := unsafe.SliceData(es)
	hl := a.hops
	switch {
	case hl == nil:
		a.hops = &hopOnce // a node hopped from once (a walk's usual node) gets no list
		return nil, false
	case hl == &hopOnce:
		hl = new(hopList)
		a.hops = hl
	case hl.base == base && hl.n == len(es):
		return hl.entries, true
	case hl.base == base && hl.n < len(es):
		// edges appended: the entries so far still hold
	default:
		hl.entries, hl.n = hl.entries[:0], 0
	}
	if cap(hl.entries) < len(es) { // one array of the list's size, not a doubling series
		hl.entries = append(make([]hopEdge, 0, len(es)), hl.entries...)
	}
	for _, e := range es[hl.n:] {
		hl.entries = append(hl.entries, hopEntry(n, e))
	}
	hl.base, hl.n = base, len(es)
	return hl.entries, true
}

// hopEntry is the hop list entry of edge e of node n. Ends not loaded yet
// are left to the hop.
func hopEntry(n, e *Instance) hopEdge {
	x := hopEdge{e: e, cls: e.cls}
	src, dst := e.anchor.src, e.anchor.dst
	if src == nil || dst == nil {
		return x
	}
	if src == n {
		x.dirs |= hopOut
		x.other = dst
	}
	if dst == n {
		x.dirs |= hopIn
		x.other = src
	}
	return x
}

// resolve fills in an entry whose edge's ends were not loaded when it was
// made, loading them now; other stays nil when they cannot be loaded.
func (x *hopEdge) resolve(th *Thread, n *Instance) {
	x.e.anchor.resolveEnds(th)
	*x = hopEntry(n, x.e)
}
