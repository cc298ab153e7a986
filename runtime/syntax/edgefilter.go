package syntax

// fuseNodeFilter turns `[a -->](?:T, c)` into `[a -->(?:T, c)]`: a filter on
// the nodes an edge reference returns is the last hop's node filter, which
// the runtime applies to the edge list's index before it loads anything (a
// node with 10,000 children of other types loads none of them). The two
// forms return the same list in the same order. References to edges (whose
// `visit [edge ...]` form visits each edge and then its node) and ones whose
// last hop already has a node filter are left as they are.
func fuseNodeFilter(f *Filter) Expr {
	r, ok := f.X.(*EdgeRef)
	if !ok || r.EdgesOnly || len(r.Hops) == 0 {
		return f
	}
	last := &r.Hops[len(r.Hops)-1]
	if last.NodeType != nil || len(last.NodeConds) > 0 || last.Node != nil {
		return f
	}
	last.NodeType, last.NodeConds = f.Type, f.Conds
	return r
}
