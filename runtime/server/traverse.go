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
		start := target.(*interp.Instance)
		var nodes, edges bytes.Buffer
		nodes.WriteByte('[')
		edges.WriteByte('[')
		seen := map[*interp.Instance]bool{start: true}
		frontier := []*interp.Instance{start}
		nn, ne := 0, 0
		for d := 0; d < depth && len(frontier) > 0; d++ {
			var next []*interp.Instance
			for _, n := range frontier {
				readableOutEdges(th, n, func(e, dst *interp.Instance) {
					if edgeTypes == nil || edgeTypes[e.Class().Name] {
						if ne > 0 {
							edges.WriteByte(',')
						}
						ne++
						writeEdge(th, &edges, e, n, dst)
					}
					if seen[dst] {
						return
					}
					seen[dst] = true
					next = append(next, dst)
					if nodeTypes == nil || nodeTypes[dst.Class().Name] {
						if nn > 0 {
							nodes.WriteByte(',')
						}
						nn++
						writeTraverseNode(th, &nodes, dst, detailed)
					}
				})
			}
			frontier = next
		}
		nodes.WriteByte(']')
		edges.WriteByte(']')
		out = []byte(`{"nodes":` + nodes.String() + `,"edges":` + edges.String() + `}`)
		return interp.None, interp.NewList(nil)
	}
	if _, err := s.execute(r.Context(), c); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`{"ok":true,"type":"response","data":` + string(out) + `,"error":null}`))
	return nil
}

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

func writeEdge(th *interp.Thread, b *bytes.Buffer, e, src, dst *interp.Instance) {
	full := encodeValue(th, e) // {"_jac_type":..,"_jac_id":..,"_jac_archetype":"edge",fields}
	b.WriteString(`{"source":"` + src.Anchor().ID.Hex() + `","target":"` + dst.Anchor().ID.Hex() + `",`)
	b.Write(full[1:])
}

func writeTraverseNode(th *interp.Thread, b *bytes.Buffer, n *interp.Instance, detailed bool) {
	full := encodeValue(th, n)
	if !detailed {
		b.Write(full)
		return
	}
	b.Write(full[:len(full)-1])
	b.WriteString(`,"edges":[`)
	for i, e := range n.Anchor().Edges(th) {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + e.Anchor().ID.Hex() + `"`)
	}
	b.WriteString("]}")
}
