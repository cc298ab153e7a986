package interp

import (
	"fmt"
	"sort"
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
	}
	a.Dirty = true
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

func biPrintGraph(th *Thread, args []Value, kw []KV) Value {
	var start Value = th.root()
	if len(args) > 0 && args[0] != None {
		start = args[0]
	}
	var b strings.Builder
	b.WriteString("digraph {\n")
	seen := map[*Instance]int{}
	var order []*Instance
	queue := th.nodeList(start, "printgraph")
	for _, n := range queue {
		seen[n] = len(order)
		order = append(order, n)
	}
	var edges []string
	for i := 0; i < len(order); i++ {
		n := order[i]
		for _, e := range n.anchor.Edges(th) {
			if e.anchor.Source(th) != n {
				continue
			}
			d := e.anchor.Target(th)
			if _, ok := seen[d]; !ok {
				seen[d] = len(order)
				order = append(order, d)
			}
			edges = append(edges, fmt.Sprintf("%d -> %d [label=\"%s\"];", seen[n], seen[d], strings.ReplaceAll(Repr(th, e), "\"", "'")))
		}
	}
	for i, n := range order {
		fmt.Fprintf(&b, "%d [label=\"%s\"];\n", i, strings.ReplaceAll(Repr(th, n), "\"", "'"))
	}
	sort.Strings(edges)
	for _, e := range edges {
		b.WriteString(e + "\n")
	}
	b.WriteString("}")
	return Str(b.String())
}
