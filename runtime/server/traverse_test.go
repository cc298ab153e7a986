package server_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

const traverseApp = `
node City { has name: str; }
node Person { has name: str; }
node Shelf { has name: str; has edges: list = ["own field"]; }
edge Road { has km: int = 0; }
edge Lives {}
walker :pub build { can go with Root entry {
    oslo = City(name="Oslo"); bergen = City(name="Bergen"); ada = Person(name="Ada");
    here ++> oslo; oslo +>:Road(km=460):+> bergen; here ++> ada; ada +>:Lives:+> oslo;
    bergen ++> Shelf(name="Shelf");
    for i in range(50) { here ++> Person(name="p" + str(i)); }
    report 1;
} }
`

// traverseView is a /traverse answer as "nodes | edges", names sorted.
func traverseView(t *testing.T, s *server, body map[string]any) (string, []any) {
	t.Helper()
	r := s.do("POST", "/traverse", "", body)
	if r.status != 200 {
		t.Fatalf("%v: %d %s", body, r.status, r.raw)
	}
	data := r.body["data"].(map[string]any)
	nodes := data["nodes"].([]any)
	var names, edges []string
	for _, n := range nodes {
		if name := n.(map[string]any)["name"].(string); !strings.HasPrefix(name, "p") {
			names = append(names, name)
		} else if len(names) == 0 || names[len(names)-1] != "p*" {
			names = append(names, "p*")
		}
	}
	for _, e := range data["edges"].([]any) {
		edges = append(edges, e.(map[string]any)["_jac_type"].(string))
	}
	sort.Strings(names)
	sort.Strings(edges)
	edges = compact(edges)
	return strings.Join(names, ",") + " | " + strings.Join(edges, ","), nodes
}

func compact(s []string) []string {
	var out []string
	for _, x := range s {
		if len(out) == 0 || out[len(out)-1] != x {
			out = append(out, x)
		}
	}
	return out
}

// TestTraverseFilters checks /traverse for every combination of depth,
// node_types, edge_types and detailed: the filters choose what is listed
// (a node only when reached through a listed edge type), never where the
// walk goes, and detailed nodes keep every field (one named "edges" too).
func TestTraverseFilters(t *testing.T) {
	s := startApp(t, traverseApp)
	reports(t, s.do("POST", "/walker/build", "", map[string]any{}))
	cases := []struct {
		body map[string]any
		want string
	}{
		{map[string]any{}, "Ada,Oslo,p* | GenericEdge"},
		{map[string]any{"depth": 2}, "Ada,Bergen,Oslo,p* | GenericEdge,Lives,Road"},
		{map[string]any{"depth": 3}, "Ada,Bergen,Oslo,Shelf,p* | GenericEdge,Lives,Road"},
		{map[string]any{"depth": 3, "node_types": []string{"City"}}, "Bergen,Oslo | GenericEdge,Lives,Road"},
		{map[string]any{"depth": 3, "edge_types": []string{"Road"}}, "Bergen | Road"},
		{map[string]any{"depth": 1, "edge_types": []string{"Road"}}, " | "},
		{map[string]any{"depth": 2, "edge_types": []string{"Lives"}}, "Oslo | Lives"},
		{map[string]any{"depth": 3, "node_types": []string{"Shelf"}, "edge_types": []string{"GenericEdge"}}, "Shelf | GenericEdge"},
		{map[string]any{"depth": 3, "node_types": []string{"Person"}, "edge_types": []string{"Road"}}, " | "},
		{map[string]any{"depth": 1, "node_types": []string{"Person"}, "edge_types": []string{"GenericEdge"}}, "Ada,p* | GenericEdge"},
		{map[string]any{"depth": 0}, " | "},
	}
	for _, c := range cases {
		for _, detailed := range []bool{false, true} {
			body := map[string]any{"detailed": detailed}
			for k, v := range c.body {
				body[k] = v
			}
			got, nodes := traverseView(t, s, body)
			if got != c.want {
				t.Errorf("%v: %q, want %q", body, got, c.want)
			}
			for _, n := range nodes {
				n := n.(map[string]any)
				if n["name"] == nil || n["_jac_type"] == nil || n["_jac_id"] == nil {
					t.Errorf("%v: node without its fields: %v", body, n)
				}
				_, hasEdges := n["_jac_edges"]
				if hasEdges != detailed {
					t.Errorf("%v: edge ids listed %v: %v", body, hasEdges, n)
				}
				if n["_jac_type"] == "Shelf" && fmt.Sprint(n["edges"]) != "[own field]" {
					t.Errorf("%v: Shelf's own edges field lost: %v", body, n)
				}
			}
		}
	}
}
