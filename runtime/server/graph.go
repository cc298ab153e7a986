package server

import (
	"net/http"
	"strings"

	"github.com/jacscale/jac/runtime/interp"
)

// handleGraphData is GET /graph/data: the caller's graph (guest without a valid
// token) as {"version", "nodes", "edges"}; nodes the caller may not read are left
// out with their edges.
func (s *Server) handleGraphData(w http.ResponseWriter, r *http.Request) error {
	user, root, _ := s.caller(r, true)
	type node struct {
		ID    string `json:"id"`
		Label string `json:"label"`
	}
	type edge struct {
		From  string `json:"from"`
		To    string `json:"to"`
		Label string `json:"label,omitempty"`
	}
	var nodes []node
	var edges []edge
	c := &call{root: root, user: user}
	c.run = func(th *interp.Thread, target interp.Value) (interp.Value, *interp.List) {
		start := target.(*interp.Instance)
		nodes = append(nodes, node{ID: start.Anchor().ID.Hex(), Label: "root"})
		seen := map[*interp.Instance]bool{start: true}
		queue := []*interp.Instance{start}
		for len(queue) > 0 {
			n := queue[0]
			queue = queue[1:]
			readableOutEdges(th, n, nil, func(e, dst *interp.Instance) {
				ed := edge{From: n.Anchor().ID.Hex(), To: dst.Anchor().ID.Hex()}
				if e.Class() != interp.GenericEdgeClass {
					ed.Label = interp.Repr(th, e)
				}
				edges = append(edges, ed)
				if !seen[dst] {
					seen[dst] = true
					queue = append(queue, dst)
					nodes = append(nodes, node{ID: dst.Anchor().ID.Hex(), Label: interp.Repr(th, dst)})
				}
			})
		}
		return interp.None, interp.NewList(nil)
	}
	if _, err := s.execute(r.Context(), c); err != nil {
		return err
	}
	if edges == nil {
		edges = []edge{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"version": "1.0", "nodes": nodes, "edges": edges})
	return nil
}

func (s *Server) handleGraphPage(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(strings.TrimSpace(graphPage)))
	return nil
}

// graphPage draws /graph/data with a small force layout on a canvas (no CDN).
const graphPage = `
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Jac graph</title>
<style>body{margin:0;font-family:system-ui,sans-serif}#info{position:fixed;top:8px;left:8px;background:#fffc;padding:4px 8px;border-radius:4px}canvas{display:block}</style>
</head><body><div id="info">loading /graph/data...</div><canvas id="c"></canvas>
<script>
const token = new URLSearchParams(location.search).get("token") || localStorage.getItem("jac_token");
const headers = token ? {"Authorization": "Bearer " + token} : {};
fetch("/graph/data", {headers}).then(r => r.json()).then(g => {
  const cv = document.getElementById("c"), ctx = cv.getContext("2d");
  cv.width = innerWidth; cv.height = innerHeight;
  const W = cv.width, H = cv.height, idx = {};
  const nodes = g.nodes.map((n, i) => (idx[n.id] = i, {...n, x: W/2 + 200*Math.cos(i), y: H/2 + 200*Math.sin(i), vx: 0, vy: 0}));
  const edges = g.edges.filter(e => e.from in idx && e.to in idx);
  document.getElementById("info").textContent = nodes.length + " nodes, " + edges.length + " edges";
  document.body.dataset.nodes = nodes.length;
  for (let it = 0; it < 300; it++) {
    for (const a of nodes) for (const b of nodes) if (a !== b) {
      const dx = a.x - b.x, dy = a.y - b.y, d2 = dx*dx + dy*dy + 0.01, f = 2000 / d2;
      a.vx += dx * f / Math.sqrt(d2); a.vy += dy * f / Math.sqrt(d2);
    }
    for (const e of edges) {
      const a = nodes[idx[e.from]], b = nodes[idx[e.to]], dx = b.x - a.x, dy = b.y - a.y;
      a.vx += dx * 0.01; a.vy += dy * 0.01; b.vx -= dx * 0.01; b.vy -= dy * 0.01;
    }
    for (const n of nodes) { n.vx += (W/2 - n.x) * 0.002; n.vy += (H/2 - n.y) * 0.002;
      n.x += n.vx * 0.5; n.y += n.vy * 0.5; n.vx *= 0.6; n.vy *= 0.6; }
  }
  ctx.strokeStyle = "#999"; ctx.fillStyle = "#333"; ctx.font = "12px sans-serif";
  for (const e of edges) { const a = nodes[idx[e.from]], b = nodes[idx[e.to]];
    ctx.beginPath(); ctx.moveTo(a.x, a.y); ctx.lineTo(b.x, b.y); ctx.stroke();
    if (e.label) ctx.fillText(e.label, (a.x + b.x)/2, (a.y + b.y)/2); }
  for (const n of nodes) { ctx.beginPath(); ctx.fillStyle = n.label === "root" ? "#d55" : "#58c";
    ctx.arc(n.x, n.y, 10, 0, 7); ctx.fill(); ctx.fillStyle = "#222"; ctx.fillText(n.label, n.x + 12, n.y + 4); }
});
</script></body></html>`
