package server

import (
	"bytes"
	"net/http"

	"github.com/jacscale/jac/runtime/interp"
)

// handleTraverse is POST /traverse: a breadth-first walk over outgoing edges.
func (s *Server) handleTraverse(w http.ResponseWriter, r *http.Request) error {
	user, root, err := s.caller(r, true)
	if err != nil {
		return err
	}
	body := map[string]any{}
	if err := decodeBody(r, &body); err != nil {
		return err
	}
	depth := 1
	if v, ok := body["depth"]; ok {
		n, isNum := fromJSON(v).(interp.Int)
		if !isNum {
			return errValidation(validationItem{Type: "int_type", Loc: []any{"body", "depth"}, Msg: "Input should be a valid integer"})
		}
		depth = int(n)
	}
	detailed, _ := body["detailed"].(bool)
	source, _ := body["source"].(string)
	nodeTypes := stringSet(body["node_types"])
	edgeTypes := stringSet(body["edge_types"])
	var out []byte
	c := &call{root: root, user: user, target: source}
	c.run = func(th *interp.Thread, target interp.Value) (interp.Value, *interp.List) {
		t := &traversal{th: th, detailed: detailed, nodeTypes: nodeTypes, edgeTypes: edgeTypes}
		out = t.run(target.(*interp.Instance), depth)
		return interp.None, interp.NewList(nil)
	}
	if _, err := s.execute(r.Context(), c); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`{"ok":true,"type":"response","data":` + string(out) + `,"error":null}`))
	return nil
}

// traversal is one /traverse walk: breadth-first over outgoing edges from
// the source, depth hops. The type filters choose what is listed, not where
// the walk goes: an edge is listed when its type is in edge_types and its
// target's in node_types; a node when its type is in node_types and it was
// reached through a listed edge type. At the last hop only edges that would be
// listed are loaded (through the edge index: a node with 10,000 children of
// other types loads none of them).
type traversal struct {
	th                   *interp.Thread
	detailed             bool
	nodeTypes, edgeTypes map[string]bool // nil: any
	nodes, edges         bytes.Buffer
	nn, ne               int
}

func (t *traversal) run(start *interp.Instance, depth int) []byte {
	t.nodes.WriteByte('[')
	t.edges.WriteByte('[')
	seen := map[*interp.Instance]bool{start: true}
	listed := map[*interp.Instance]bool{}
	frontier := []*interp.Instance{start}
	for d := 0; d < depth && len(frontier) > 0; d++ {
		var filter *interp.EdgeFilter
		if d == depth-1 { // nothing beyond: load only what is listed
			filter = t.filter()
		}
		var next []*interp.Instance
		for _, n := range frontier {
			readableOutEdges(t.th, n, filter, func(e, dst *interp.Instance) {
				edgeOK := admits(t.edgeTypes, e.Class().Name)
				nodeOK := admits(t.nodeTypes, dst.Class().Name)
				if edgeOK && nodeOK {
					t.writeEdge(e, n, dst)
				}
				if edgeOK && nodeOK && !listed[dst] {
					listed[dst] = true
					t.writeNode(dst)
				}
				if !seen[dst] {
					seen[dst] = true
					next = append(next, dst)
				}
			})
		}
		frontier = next
	}
	t.nodes.WriteByte(']')
	t.edges.WriteByte(']')
	return []byte(`{"nodes":` + t.nodes.String() + `,"edges":` + t.edges.String() + `}`)
}

// filter is the edge index filter for the listed types (nil: no filter).
func (t *traversal) filter() *interp.EdgeFilter {
	if t.edgeTypes == nil && t.nodeTypes == nil {
		return nil
	}
	return &interp.EdgeFilter{EdgeTypes: setNames(t.edgeTypes), NodeTypes: setNames(t.nodeTypes)}
}

func setNames(set map[string]bool) []string {
	if set == nil {
		return nil
	}
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	return names
}

func admits(set map[string]bool, name string) bool { return set == nil || set[name] }

func stringSet(v any) map[string]bool {
	arr, ok := v.([]any)
	if !ok {
		return nil
	}
	out := map[string]bool{}
	for _, x := range arr {
		if s, ok := x.(string); ok {
			out[s] = true
		}
	}
	return out
}

func (t *traversal) writeEdge(e, src, dst *interp.Instance) {
	if t.ne > 0 {
		t.edges.WriteByte(',')
	}
	t.ne++
	full := encodeValue(t.th, e) // {"_jac_type":..,"_jac_id":..,"_jac_archetype":"edge",fields}
	t.edges.WriteString(`{"source":"` + src.Anchor().ID.Hex() + `","target":"` + dst.Anchor().ID.Hex() + `",`)
	t.edges.Write(full[1:])
}

// writeNode lists a node as a report serializes it; detailed adds its edge ids
// as "_jac_edges" and, unless the archetype has a field of that name, as
// "edges".
func (t *traversal) writeNode(n *interp.Instance) {
	if t.nn > 0 {
		t.nodes.WriteByte(',')
	}
	t.nn++
	full := encodeValue(t.th, n)
	if !t.detailed {
		t.nodes.Write(full)
		return
	}
	var ids bytes.Buffer
	ids.WriteByte('[')
	for i, e := range n.Anchor().Edges(t.th) {
		if i > 0 {
			ids.WriteByte(',')
		}
		ids.WriteString(`"` + e.Anchor().ID.Hex() + `"`)
	}
	ids.WriteByte(']')
	t.nodes.Write(full[:len(full)-1])
	t.nodes.WriteString(`,"_jac_edges":`)
	t.nodes.Write(ids.Bytes())
	if !hasField(n, "edges") {
		t.nodes.WriteString(`,"edges":`)
		t.nodes.Write(ids.Bytes())
	}
	t.nodes.WriteByte('}')
}

// hasField reports whether a serialized archetype has a field called name.
func hasField(o *interp.Instance, name string) bool {
	if o.Class().FieldIndex(name) >= 0 {
		return true
	}
	for _, kv := range o.ExtraAttrs() {
		if kv.Name == name {
			return true
		}
	}
	return false
}
