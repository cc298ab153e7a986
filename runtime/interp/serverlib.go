package interp

import (
	"fmt"
	"html"
	"maps"
	"os"
	"slices"

	"strings"
)

// This file holds the names Jac apps use to talk to the server runtime:
// @restspec, APIProtocol, UploadFile, access levels and graph-permission calls.
// They behave as in jaclang 0.11 under `jac run`; the server reads them.

// RestSpec is the record @restspec attaches to a walker class or function.
type RestSpec struct {
	Method    string // "" = POST
	Path      string
	Protocol  string // http | webhook | websocket
	Broadcast bool
}

func (*RestSpec) Class() *Class { return RestSpecClass }

// AttrJac exposes the options.
func (r *RestSpec) AttrJac(th *Thread, name string) (Value, bool) {
	switch name {
	case "method":
		return Str(r.Method), true
	case "path":
		return Str(r.Path), true
	case "protocol":
		return apiProtocolMember(r.Protocol), true
	case "broadcast":
		return MakeBool(r.Broadcast), true
	case "webhook":
		return MakeBool(r.Protocol == "webhook"), true
	}
	return nil, false
}

// ReprJac renders the record.
func (r *RestSpec) ReprJac(th *Thread) string {
	return fmt.Sprintf("RestSpec(method=%q, path=%q, protocol=%q, broadcast=%v)", r.Method, r.Path, r.Protocol, r.Broadcast)
}

var (
	RestSpecClass    = newClass("RestSpec", ObjectClass)
	APIProtocolClass = &Class{Name: "APIProtocol", Module: "jaclang.runtimelib.builtin", Kind: KindEnum,
		attrs: map[string]Value{}, enumBase: StrClass}
	AccessLevelClass = &Class{Name: "AccessLevel", Module: "jaclang.runtimelib.builtin", Kind: KindEnum,
		attrs: map[string]Value{}, enumBase: IntClass}
	// UploadFileClass is an uploaded multipart file (fields filename, content_type, size, file).
	UploadFileClass = newClass("UploadFile", ObjectClass)
)

func apiProtocolMember(p string) Value {
	for _, m := range APIProtocolClass.members {
		if v, _ := m.getExtra("value"); v == Value(Str(p)) {
			return m
		}
	}
	return Str(p)
}

func addEnumMember(cls *Class, name string, v Value) *Instance {
	m := &Instance{cls: cls}
	m.setExtra("name", Str(name))
	m.setExtra("value", v)
	cls.members = append(cls.members, m)
	cls.SetAttr(name, m)
	return m
}

// RestSpecOf returns the @restspec record of a walker class or function (nil: none).
func RestSpecOf(v Value) *RestSpec {
	switch x := v.(type) {
	case *Class:
		if r, ok := x.attrs["restspec"].(*RestSpec); ok {
			return r
		}
	case *Function:
		if r, ok := x.RestSpec.(*RestSpec); ok {
			return r
		}
	}
	return nil
}

func init() {
	APIProtocolClass.Bases = []*Class{StrEnumClass}
	APIProtocolClass.computeMRO()
	for _, p := range []string{"HTTP", "WEBHOOK", "WEBSOCKET"} {
		addEnumMember(APIProtocolClass, p, Str(strings.ToLower(p)))
	}
	AccessLevelClass.Bases = []*Class{IntEnumClass}
	AccessLevelClass.computeMRO()
	levels := []struct {
		name  string
		level int64
	}{{"NO_ACCESS", -1}, {"READ", 0}, {"CONNECT", 1}, {"WRITE", 2}}
	for _, l := range levels {
		addEnumMember(AccessLevelClass, l.name, MakeInt(l.level))
	}
	builtins["APIProtocol"] = APIProtocolClass
	builtins["AccessLevel"] = AccessLevelClass
	builtins["NoPerm"] = MakeInt(-1)
	builtins["ReadPerm"] = MakeInt(0)
	builtins["ConnectPerm"] = MakeInt(1)
	builtins["WritePerm"] = MakeInt(2)
	builtins["restspec"] = NewBuiltin("restspec", biRestspec)
	builtins["UploadFile"] = UploadFileClass

	def("grant", func(th *Thread, args []Value, kw []KV) Value {
		a := ParseArgs(th, "grant", args, kw, "obj", "level?")
		level := int64(0)
		if a[1] != nil {
			level = accessLevel(th, a[1])
		}
		anchorOf(th, a[0], "grant").access().Public = int(level)
		return None
	})
	builtins["perm_grant"] = builtins["grant"]
	def("revoke", func(th *Thread, args []Value, kw []KV) Value {
		a := ParseArgs(th, "revoke", args, kw, "obj")
		anchorOf(th, a[0], "revoke").access().Public = -1
		return None
	})
	builtins["perm_revoke"] = builtins["revoke"]
	def("allow_root", func(th *Thread, args []Value, kw []KV) Value {
		a := ParseArgs(th, "allow_root", args, kw, "obj", "root_id", "level?")
		level := int64(0)
		if a[2] != nil {
			level = accessLevel(th, a[2])
		}
		an := anchorOf(th, a[0], "allow_root")
		acc := an.access()
		if acc.Roots == nil {
			acc.Roots = map[ID]int{}
		}
		acc.Roots[rootIDOf(th, a[1])] = int(level)
		an.touch(th)
		return None
	})
	def("disallow_root", func(th *Thread, args []Value, kw []KV) Value {
		a := ParseArgs(th, "disallow_root", args, kw, "obj", "root_id", "level?")
		an := anchorOf(th, a[0], "disallow_root")
		delete(an.access().Roots, rootIDOf(th, a[1]))
		an.touch(th)
		return None
	})
	def("allroots", func(th *Thread, args []Value, kw []KV) Value {
		if th.Prog != nil && th.Prog.AllRoots != nil {
			return th.Prog.AllRoots(th)
		}
		return NewList([]Value{th.root()})
	})
	def("commit", func(th *Thread, args []Value, kw []KV) Value {
		// The calling run's own session: each request (or jac run) has one.
		if sess := th.graph().Session(); sess != nil {
			if err := sess.Commit(th); err != nil {
				th.Raise(RuntimeErrorClass, "commit failed: %v", err)
			}
		}
		return None
	})
	def("save", func(th *Thread, args []Value, kw []KV) Value {
		if len(args) == 1 {
			if o, ok := args[0].(*Instance); ok && o.anchor != nil {
				o.anchor.Persistent = true
				o.anchor.touch(th)
			}
		}
		return None
	})
	def("printgraph", biPrintGraph)

	RegisterModule("jaclang.runtimelib.builtin", func() *Module {
		m := NewModule("jaclang.runtimelib.builtin")
		for _, n := range []string{"restspec", "APIProtocol", "AccessLevel", "NoPerm", "ReadPerm", "ConnectPerm",
			"WritePerm", "grant", "revoke", "allroots", "commit", "save", "printgraph", "jid", "jobj"} {
			m.Set(n, builtins[n])
		}
		return m
	})
	ExtendModule("http", func(m *Module) { m.Set("UploadFile", UploadFileClass) })
	RegisterModule("fastapi", func() *Module {
		m := NewModule("fastapi")
		m.Set("UploadFile", UploadFileClass)
		return m
	})
}

func biRestspec(th *Thread, args []Value, kw []KV) Value {
	if len(args) > 0 {
		th.TypeError("restspec() takes keyword arguments only")
	}
	r := &RestSpec{Protocol: "http"}
	webhookSet, protoSet := false, false
	for _, a := range kw {
		switch a.Name {
		case "method":
			r.Method = strings.ToUpper(enumText(th, a.Value))
		case "path":
			r.Path = ToStr(th, a.Value)
		case "protocol":
			p := strings.ToLower(enumText(th, a.Value))
			if p != "http" && p != "webhook" && p != "websocket" {
				th.ValueError("restspec: unknown protocol %s", Repr(th, a.Value))
			}
			r.Protocol = p
			protoSet = true
		case "broadcast":
			r.Broadcast = Truth(th, a.Value)
		case "webhook":
			webhookSet = Truth(th, a.Value)
		default:
			th.TypeError("restspec() got an unexpected keyword argument '%s'", a.Name)
		}
	}
	if webhookSet {
		if protoSet && r.Protocol != "webhook" {
			th.ValueError("restspec: webhook=True conflicts with protocol=%s", r.Protocol)
		}
		r.Protocol = "webhook"
	}
	return NewBuiltin("restspec_decorator", func(th *Thread, args []Value, kw []KV) Value {
		checkArgs(th, "restspec", args, 1, 1)
		switch x := args[0].(type) {
		case *Class:
			x.SetAttr("restspec", r)
		case *Function:
			x.RestSpec = r
		}
		return args[0]
	})
}

// enumText is the value of an enum member (HTTPMethod.GET → "GET") or the string.
func enumText(th *Thread, v Value) string {
	if o, ok := v.(*Instance); ok && o.cls.Kind == KindEnum {
		if val, ok := o.getExtra("value"); ok {
			return ToStr(th, val)
		}
	}
	if s, ok := LookupAttr(th, v, "value"); ok {
		return ToStr(th, s)
	}
	return ToStr(th, v)
}

func accessLevel(th *Thread, v Value) int64 {
	if o, ok := v.(*Instance); ok && o.cls.Kind == KindEnum {
		val, _ := o.getExtra("value")
		return toInt64(th, val)
	}
	if s, ok := v.(Str); ok {
		switch strings.ToUpper(string(s)) {
		case "NO_ACCESS":
			return -1
		case "READ":
			return 0
		case "CONNECT":
			return 1
		case "WRITE":
			return 2
		}
	}
	return toInt64(th, v)
}

func anchorOf(th *Thread, v Value, fn string) *Anchor {
	o, ok := v.(*Instance)
	if !ok || o.anchor == nil {
		th.TypeError("%s() needs a node or an edge, got %s", fn, TypeName(v))
	}
	return o.anchor
}

func (a *Anchor) access() *Access {
	if a.Access == nil {
		a.Access = &Access{Public: -1}
	} else if !a.ownAccess {
		// the record's Access may be shared with a store's cache: copy on write
		c := &Access{Public: a.Access.Public, Roots: maps.Clone(a.Access.Roots)}
		a.Access = c
	}
	a.ownAccess = true
	a.Dirty = true
	a.noteChange()
	return a.Access
}

func rootIDOf(th *Thread, v Value) ID {
	if o, ok := v.(*Instance); ok && o.anchor != nil {
		return o.anchor.ID
	}
	if id, ok := ParseID(ToStr(th, v)); ok {
		return id
	}
	th.ValueError("not a root id: %s", Repr(th, v))
	return ID{}
}

// graphColors colour nodes by depth in printgraph's DOT output (the reference's).
var graphColors = []string{"#FFE9E9", "#F0FFF0", "#F5E5FF", "#FFFFE0", "#D2FEFF", "#E8FFD7", "#FFDEAD",
	"#FFF0F5", "#F5FFFA", "#FFC0CB", "#7FFFD4", "#C0C0C0", "#ADD8E6", "#FFFAF0", "#f4f3f7", "#f5efff",
	"#b5d7fd", "#ffc0cb", "#FFC0CB", "#e1d4c0", "#FCDFFF", "#F0FFFF", "#F0F8FF", "#F8F8FF", "#F0FFFF"}

// graphWalk is printgraph's traversal, as the reference does it: nodes in visit
// order with their depths, and the connections found.
type graphWalk struct {
	th        *Thread
	depth     int
	traverse  bool
	skipTypes []string
	bfs       bool
	edgeLimit int
	nodeLimit int
	visited   []*Instance
	index     map[*Instance]int
	depths    map[*Instance]int
	conns     [][3]*Instance // source, target, edge
	queue     []graphStep
}

type graphStep struct {
	n     *Instance
	depth int
}

func (g *graphWalk) visit(n *Instance, depth int) {
	if _, seen := g.index[n]; seen {
		return
	}
	g.index[n] = len(g.visited)
	g.visited = append(g.visited, n)
	g.expand(n, depth)
}

func (g *graphWalk) hasConn(c [3]*Instance) bool {
	for _, x := range g.conns {
		if x == c {
			return true
		}
	}
	return false
}

// expand is the reference's traverse_graph for one node.
func (g *graphWalk) expand(n *Instance, cur int) {
	th := g.th
	for _, e := range n.anchor.Edges(th) {
		src, dst := e.anchor.Source(th), e.anchor.Target(th)
		isIn := dst == n
		if g.traverse && isIn || slices.Contains(g.skipTypes, e.cls.Name) || src == dst {
			continue
		}
		other := dst
		if isIn {
			other = src
		}
		if other == nil {
			continue
		}
		conn := [3]*Instance{n, other, e}
		if isIn {
			conn = [3]*Instance{other, n, e}
		}
		if d, ok := g.depths[n]; ok {
			if od, ok := g.depths[other]; ok {
				g.depths[n] = min(cur, d, od+1)
				g.depths[other] = min(cur+1, g.depths[n]+1, od)
			} else {
				g.depths[other] = min(cur+1, d+1)
			}
		}
		if g.hasConn(conn) {
			continue
		}
		if (g.depth < 0 || min(g.depths[n], g.depths[other])+1 <= g.depth) &&
			g.nodeLimit > len(g.visited) && g.edgeLimit > len(g.conns) {
			g.conns = append(g.conns, conn)
			if g.bfs {
				g.queue = append(g.queue, graphStep{other, cur + 1})
			} else {
				g.visit(other, cur+1)
			}
		}
	}
}

// biPrintGraph is printgraph(nd=root, depth=-1, traverse=False, edge_type=None,
// bfs=True, edge_limit=512, node_limit=512, file=None, format='dot'), with the
// reference's traversal and DOT / Mermaid text.
func biPrintGraph(th *Thread, args []Value, kw []KV) Value {
	p := ParseArgs(th, "printgraph", args, kw, "nd?", "depth?", "traverse?", "edge_type?", "bfs?",
		"edge_limit?", "node_limit?", "file?", "format?")
	start, _ := th.root().(*Instance)
	if p[0] != nil && p[0] != None {
		nodes := th.nodeList(p[0], "printgraph")
		if len(nodes) == 0 {
			th.TypeError("printgraph needs a node")
		}
		start = nodes[0]
	}
	intArg := func(v Value, def int) int {
		if v == nil || v == None {
			return def
		}
		return int(toInt64(th, v))
	}
	g := &graphWalk{th: th, depth: intArg(p[1], -1), bfs: true, edgeLimit: intArg(p[5], 512), nodeLimit: intArg(p[6], 512),
		index: map[*Instance]int{}, depths: map[*Instance]int{start: 0}}
	if p[2] != nil {
		g.traverse = Truth(th, p[2])
	}
	if p[3] != nil && p[3] != None {
		for _, t := range ToSlice(th, p[3]) {
			g.skipTypes = append(g.skipTypes, ToStr(th, t))
		}
	}
	if p[4] != nil {
		g.bfs = Truth(th, p[4])
	}
	format := "dot"
	if p[8] != nil && p[8] != None {
		format = strings.ToLower(ToStr(th, p[8]))
	}
	if g.bfs {
		g.queue = []graphStep{{start, 0}}
		for len(g.queue) > 0 {
			step := g.queue[0]
			g.queue = g.queue[1:]
			if _, seen := g.index[step.n]; !seen {
				g.index[step.n] = len(g.visited)
				g.visited = append(g.visited, step.n)
				g.expand(step.n, step.depth)
			}
		}
	} else {
		g.visit(start, 0)
	}
	out := g.render(format)
	if p[7] != nil && p[7] != None {
		name := ToStr(th, p[7])
		if err := os.WriteFile(name, []byte(out), 0o644); err != nil {
			th.raiseOSError(err, name)
		}
	}
	return Str(out)
}

func (g *graphWalk) render(format string) string {
	th := g.th
	var dot, mermaid strings.Builder
	dot.WriteString("digraph {\nnode [style=\"filled\", shape=\"ellipse\", fillcolor=\"invis\", fontcolor=\"black\"];\n")
	mermaid.WriteString("flowchart LR\n")
	for _, c := range g.conns {
		label := html.EscapeString(ToStr(th, c[2]))
		s, t := g.index[c[0]], g.index[c[1]]
		generic := strings.Contains(label, "GenericEdge")
		dotLabel := label
		if generic {
			dotLabel = ""
		}
		fmt.Fprintf(&dot, "%d -> %d [label=\"%s\"];\n", s, t, dotLabel)
		if generic || strings.TrimSpace(label) == "" {
			fmt.Fprintf(&mermaid, "%d -->%d\n", s, t)
		} else {
			fmt.Fprintf(&mermaid, "%d -->|\"%s\"| %d\n", s, label, t)
		}
	}
	for i, n := range g.visited {
		color := graphColors[min(g.depths[n], 24)]
		label := html.EscapeString(ToStr(th, n))
		fmt.Fprintf(&dot, "%d [label=\"%s\"fillcolor=\"%s\"];\n", i, label, color)
		fmt.Fprintf(&mermaid, "%d[\"%s\"]\n", i, label)
	}
	if format == "dot" {
		return dot.String() + "}"
	}
	return mermaid.String()
}
