package interp

import (
	"github.com/jacscale/jac/runtime/syntax"
	"slices"
)

// The resolver runs before compilation over a whole module. It builds the tree of
// scopes, allocates a frame slot to every local, and decides which locals live in
// cells because a nested function captures them, so that the compiler emits direct
// slot accesses: no name lookups at run time for locals.

type scopeKind uint8

const (
	scopeModule scopeKind = iota
	scopeFunc
	scopeComp // a list/set/dict comprehension: own names, slots in the enclosing frame
)

type scope struct {
	kind      scopeKind
	parent    *scope
	frame     *scope // the scope owning the frame (itself unless a comprehension)
	bound     map[string]int
	globals   map[string]bool
	nonlocals map[string]bool
	uses      []useRef
	cells     map[string]bool
	free      []string
	freeIdx   map[string]int
	nslots    int
	children  []*scope
	node      syntax.Node
	genexp    bool // a generator expression: a function scope, but := binds outside it
}

type useRef struct {
	name string
}

func newScope(kind scopeKind, parent *scope, node syntax.Node) *scope {
	s := &scope{kind: kind, parent: parent, node: node, bound: map[string]int{}, globals: map[string]bool{},
		nonlocals: map[string]bool{}, cells: map[string]bool{}, freeIdx: map[string]int{}}
	if kind == scopeComp {
		s.frame = parent.frame
	} else {
		s.frame = s
	}
	if parent != nil {
		parent.children = append(parent.children, s)
	}
	return s
}

// bind declares name as local to s (unless declared global/nonlocal).
func (s *scope) bind(name string) {
	if s.globals[name] || s.nonlocals[name] {
		return
	}
	if s.kind == scopeModule {
		s.bound[name] = -1
		return
	}
	if _, ok := s.bound[name]; !ok {
		s.bound[name] = s.frame.nslots
		s.frame.nslots++
	}
}

func (s *scope) use(name string) { s.uses = append(s.uses, useRef{name}) }

type resolver struct {
	scopes map[syntax.Node]*scope
	mod    *scope
	decls  map[string]declRef // "Arch.member" and "func" -> declaration (for impl)
	// archKinds: archetypes declared without a body, whose impl lists members
	archKinds map[string]syntax.Token
}

type declRef struct {
	fn   *syntax.FuncDef
	kind syntax.Token // the enclosing archetype kind (0 for a free function)
}

func (r *resolver) findDecl(target []string) (*syntax.FuncDef, syntax.Token) {
	d := r.decls[joinDots(target)]
	return d.fn, d.kind
}

func joinDots(parts []string) string {
	s := ""
	for i, p := range parts {
		if i > 0 {
			s += "."
		}
		s += p
	}
	return s
}

// indexDecls records every function and archetype member by dotted name.
func indexDecls(out map[string]declRef, prefix string, kind syntax.Token, body []syntax.Stmt) {
	for _, st := range body {
		switch x := st.(type) {
		case *syntax.FuncDef:
			if x.Name != "" {
				out[prefix+x.Name] = declRef{x, kind}
			}
		case *syntax.ArchDef:
			indexDecls(out, prefix+x.Name+".", x.Kind, x.Members)
		case *syntax.EnumDef:
			indexDecls(out, prefix+x.Name+".", syntax.OBJ, x.Body)
		}
	}
}

func resolveModule(m *syntax.Module) *resolver {
	r := &resolver{scopes: map[syntax.Node]*scope{}, decls: map[string]declRef{}, archKinds: map[string]syntax.Token{}}
	indexDecls(r.decls, "", 0, m.Body)
	r.mod = newScope(scopeModule, nil, nil)
	r.stmts(r.mod, m.Body)
	r.finish(r.mod)
	return r
}

// finish resolves every use: captured locals become cells, and functions between
// the use and the binding get the name as a free variable.
func (r *resolver) finish(s *scope) {
	for _, u := range s.uses {
		r.resolveUse(s, u.name)
	}
	for _, c := range s.children {
		r.finish(c)
	}
}

func (r *resolver) resolveUse(s *scope, name string) {
	var path []*scope
	for cur := s; cur != nil; cur = cur.parent {
		if cur.kind == scopeModule || cur.globals[name] {
			return
		}
		if _, ok := cur.bound[name]; ok && !cur.nonlocals[name] {
			if cur.frame == s.frame {
				return
			}
			cur.cells[name] = true
			for _, p := range path {
				if _, ok := p.freeIdx[name]; !ok {
					p.freeIdx[name] = len(p.free)
					p.free = append(p.free, name)
				}
			}
			return
		}
		if cur.kind == scopeFunc {
			path = append(path, cur)
		}
	}
}

func (r *resolver) stmts(s *scope, body []syntax.Stmt) {
	// declarations first so that `global x` anywhere in the body applies
	for _, st := range body {
		if g, ok := st.(*syntax.Global); ok {
			for _, n := range g.Names {
				if g.Nonlocal {
					s.nonlocals[n] = true
				} else {
					s.globals[n] = true
				}
			}
		}
	}
	for _, st := range body {
		r.stmt(s, st)
	}
}

func (r *resolver) stmt(s *scope, st syntax.Stmt) {
	switch x := st.(type) {
	case *syntax.ExprStmt:
		r.expr(s, x.X)
	case *syntax.Assign:
		if x.Value != nil {
			r.expr(s, x.Value)
		}
		if x.Type != nil && s.kind != scopeModule {
			// local annotations are not evaluated
		} else if x.Type != nil {
			r.expr(s, x.Type)
		}
		for _, t := range x.Targets {
			r.target(s, t)
		}
	case *syntax.AugAssign:
		r.expr(s, x.Value)
		r.expr(s, x.Target)
		r.target(s, x.Target)
	case *syntax.If:
		r.expr(s, x.Cond)
		r.stmts(s, x.Body)
		r.stmts(s, x.Else)
	case *syntax.While:
		r.expr(s, x.Cond)
		r.stmts(s, x.Body)
		r.stmts(s, x.Else)
	case *syntax.For:
		r.expr(s, x.Iter)
		r.target(s, x.Target)
		r.stmts(s, x.Body)
		r.stmts(s, x.Else)
	case *syntax.ForTo:
		r.stmt(s, x.Init)
		r.expr(s, x.Cond)
		r.stmt(s, x.Step)
		r.stmts(s, x.Body)
		r.stmts(s, x.Else)
	case *syntax.Try:
		r.stmts(s, x.Body)
		for _, h := range x.Handlers {
			if h.Type != nil {
				r.expr(s, h.Type)
			}
			if h.Name != "" {
				s.bind(h.Name)
			}
			r.stmts(s, h.Body)
		}
		r.stmts(s, x.Else)
		r.stmts(s, x.Finally)
	case *syntax.With:
		for _, it := range x.Items {
			r.expr(s, it.X)
			if it.As != nil {
				r.target(s, it.As)
			}
		}
		r.stmts(s, x.Body)
	case *syntax.Return:
		if x.X != nil {
			r.expr(s, x.X)
		}
	case *syntax.Raise:
		if x.X != nil {
			r.expr(s, x.X)
		}
		if x.Cause != nil {
			r.expr(s, x.Cause)
		}
	case *syntax.Assert:
		r.expr(s, x.Cond)
		if x.Msg != nil {
			r.expr(s, x.Msg)
		}
	case *syntax.Del:
		for _, t := range x.Targets {
			r.expr(s, t)
			if id, ok := t.(*syntax.Ident); ok {
				s.bind(id.Name)
			}
		}
	case *syntax.Report:
		r.expr(s, x.X)
	case *syntax.Visit:
		if x.Index != nil {
			r.expr(s, x.Index)
		}
		r.expr(s, x.X)
		r.stmts(s, x.Else)
	case *syntax.Match:
		r.expr(s, x.Subject)
		for _, c := range x.Cases {
			r.pattern(s, c.Pattern)
			if c.Guard != nil {
				r.expr(s, c.Guard)
			}
			r.stmts(s, c.Body)
		}
	case *syntax.Switch:
		r.expr(s, x.Subject)
		for _, c := range x.Cases {
			for _, v := range c.Values {
				r.expr(s, v)
			}
			r.stmts(s, c.Body)
		}
	case *syntax.Block:
		r.stmts(s, x.Body)
	case *syntax.FuncDef:
		for _, d := range x.Decorators {
			r.expr(s, d)
		}
		r.function(s, x, nil, x.Params, x.Body, nil)
		if x.Name != "" {
			s.bind(x.Name)
		}
	case *syntax.ArchDef:
		if x.Decl {
			r.archKinds[x.Name] = x.Kind
		}
		r.arch(s, x)
		s.bind(x.Name)
	case *syntax.EnumDef:
		for _, d := range x.Decorators {
			r.expr(s, d)
		}
		for _, b := range x.Bases {
			r.expr(s, b)
		}
		for _, m := range x.Members {
			if m.Value != nil {
				r.expr(s, m.Value)
			}
		}
		for _, m := range x.Body {
			r.member(s, m, syntax.OBJ)
		}
		s.bind(x.Name)
	case *syntax.Impl:
		if x.IsArch {
			kind := r.archKinds[x.Target[0]]
			for _, m := range x.Members {
				r.member(s, m, kind)
			}
			return
		}
		params := x.Params
		if !x.HasSig && x.Event == nil {
			if d, _ := r.findDecl(x.Target); d != nil {
				params = d.Params
			}
		}
		r.function(s, x, r.implImplicit(x), params, x.Body, nil)
		for _, m := range x.EnumMembers {
			if m.Value != nil {
				r.expr(s, m.Value)
			}
		}
	case *syntax.Glob:
		for _, v := range x.Vars {
			if v.Value != nil {
				r.expr(s, v.Value)
			}
			s.bind(v.Name)
		}
	case *syntax.EntryBlock:
		r.stmts(s, x.Body)
	case *syntax.Import:
		for _, n := range x.Names {
			if n.As != "" {
				s.bind(n.As)
			} else {
				s.bind(n.Name)
			}
		}
		for _, n := range x.Modules {
			switch {
			case n.As != "":
				s.bind(n.As)
			default:
				s.bind(firstPart(n.Name))
			}
		}
	case *syntax.Global, *syntax.Jump, *syntax.Ignored, *syntax.Has:
	}
}

func firstPart(dotted string) string {
	for i := 0; i < len(dotted); i++ {
		if dotted[i] == '.' {
			return dotted[:i]
		}
	}
	return dotted
}

// function resolves a def, ability, impl or lambda: its own scope with params.
func (r *resolver) function(s *scope, node syntax.Node, implicit []string, params []*syntax.Param, body []syntax.Stmt, exprBody syntax.Expr) *scope {
	for _, p := range params {
		if p.Default != nil {
			r.expr(s, p.Default)
		}
	}
	fs := newScope(scopeFunc, s, node)
	r.scopes[node] = fs
	// implicit parameters (self; here and visitor for abilities) take the first slots
	for _, n := range implicit {
		fs.bind(n)
	}
	for _, p := range orderedParams(params) {
		fs.bind(p.Name)
	}
	if body != nil {
		r.stmts(fs, body)
	}
	if exprBody != nil {
		r.expr(fs, exprBody)
	}
	return fs
}

func (r *resolver) arch(s *scope, a *syntax.ArchDef) {
	for _, d := range a.Decorators {
		r.expr(s, d)
	}
	for _, b := range a.Bases {
		r.expr(s, b)
	}
	for _, m := range a.Members {
		r.member(s, m, a.Kind)
	}
}

// implicitParams are the parameters a member gets without declaring them.
func implicitParams(f *syntax.FuncDef, kind syntax.Token) []string {
	switch {
	case f.Ability:
		return abilityImplicit
	case f.Static || kind == syntax.CLASS || kind == 0 || decoratedWith(f, "staticmethod", "classmethod"):
		// @staticmethod / @classmethod: the parameters are as written (the
		// reference still adds self, so the call fails; we do what Python does)
		return nil
	}
	return methodImplicit
}

// decoratedWith reports whether f has one of the named plain decorators.
func decoratedWith(f *syntax.FuncDef, names ...string) bool {
	for _, d := range f.Decorators {
		if id, ok := d.(*syntax.Ident); ok && slices.Contains(names, id.Name) {
			return true
		}
	}
	return false
}

var (
	abilityImplicit = []string{"self", "here", "visitor"}
	methodImplicit  = []string{"self"}
)

func (r *resolver) implImplicit(im *syntax.Impl) []string {
	if im.Event != nil {
		return abilityImplicit
	}
	if decl, kind := r.findDecl(im.Target); decl != nil {
		return implicitParams(decl, kind)
	}
	if len(im.Target) > 1 {
		return methodImplicit
	}
	return nil
}

func (r *resolver) member(s *scope, m syntax.Stmt, kind syntax.Token) {
	switch x := m.(type) {
	case *syntax.Has:
		for _, v := range x.Vars {
			if v.Default != nil {
				// defaults are evaluated per instance in a scope of their own
				r.function(s, v.Default, nil, nil, nil, v.Default)
			}
		}
	case *syntax.FuncDef:
		for _, d := range x.Decorators {
			r.expr(s, d)
		}
		r.function(s, x, implicitParams(x, kind), x.Params, x.Body, nil)
	case *syntax.ArchDef:
		r.arch(s, x)
	case *syntax.EnumDef, *syntax.Impl:
		r.stmt(s, m)
	case *syntax.EntryBlock:
		// a class body's code: its names become class attributes
		r.function(s, x, nil, nil, x.Body, nil)
	}
}

// target binds the names an assignment target introduces.
func (r *resolver) target(s *scope, t syntax.Expr) {
	switch x := t.(type) {
	case *syntax.Ident:
		s.bind(x.Name)
	case *syntax.TupleExpr:
		for _, e := range x.Elts {
			r.target(s, e)
		}
	case *syntax.ListExpr:
		for _, e := range x.Elts {
			r.target(s, e)
		}
	case *syntax.Starred:
		r.target(s, x.X)
	case *syntax.Attr:
		r.expr(s, x.X)
	case *syntax.Index:
		r.expr(s, x.X)
		r.expr(s, x.Index)
	}
}

func (r *resolver) pattern(s *scope, p syntax.Pattern) {
	switch x := p.(type) {
	case *syntax.PatValue:
		r.expr(s, x.X)
	case *syntax.PatCapture:
		if x.Name != "_" {
			s.bind(x.Name)
		}
	case *syntax.PatOr:
		for _, a := range x.Alts {
			r.pattern(s, a)
		}
	case *syntax.PatAs:
		r.pattern(s, x.Pat)
		s.bind(x.Name)
	case *syntax.PatSeq:
		for _, e := range x.Elts {
			r.pattern(s, e)
		}
	case *syntax.PatStar:
		if x.Name != "_" && x.Name != "" {
			s.bind(x.Name)
		}
	case *syntax.PatMapping:
		for _, k := range x.Keys {
			r.expr(s, k)
		}
		for _, v := range x.Values {
			r.pattern(s, v)
		}
		if x.Rest != "" {
			s.bind(x.Rest)
		}
	case *syntax.PatClass:
		r.expr(s, x.Cls)
		for _, a := range x.Args {
			r.pattern(s, a)
		}
		for _, a := range x.KwArgs {
			r.pattern(s, a)
		}
	}
}

func (r *resolver) exprs(s *scope, xs []syntax.Expr) {
	for _, x := range xs {
		r.expr(s, x)
	}
}

func (r *resolver) expr(s *scope, e syntax.Expr) {
	switch x := e.(type) {
	case nil:
	case *syntax.Ident:
		s.use(x.Name)
	case *syntax.Const, *syntax.RootExpr:
	case *syntax.SuperExpr:
		s.use("self")
	case *syntax.FString:
		r.fparts(s, x.Parts)
	case *syntax.ListExpr:
		r.exprs(s, x.Elts)
	case *syntax.TupleExpr:
		r.exprs(s, x.Elts)
	case *syntax.SetExpr:
		r.exprs(s, x.Elts)
	case *syntax.DictExpr:
		for _, it := range x.Items {
			r.expr(s, it.Key)
			r.expr(s, it.Value)
		}
	case *syntax.Starred:
		r.expr(s, x.X)
	case *syntax.Comp:
		r.comp(s, x)
	case *syntax.Unary:
		r.expr(s, x.X)
	case *syntax.Binary:
		r.expr(s, x.X)
		r.expr(s, x.Y)
	case *syntax.BoolOp:
		r.expr(s, x.X)
		r.expr(s, x.Y)
	case *syntax.Compare:
		r.exprs(s, x.Elts)
	case *syntax.IfExpr:
		r.expr(s, x.Cond)
		r.expr(s, x.Then)
		r.expr(s, x.Else)
	case *syntax.Lambda:
		r.function(s, x, nil, x.Params, x.Block, x.Body)
	case *syntax.FuncExpr:
		for _, d := range x.Def.Decorators {
			r.expr(s, d)
		}
		r.function(s, x.Def, nil, x.Def.Params, x.Def.Body, nil)
	case *syntax.Call:
		r.expr(s, x.Fn)
		for _, a := range x.Args {
			r.expr(s, a.Value)
		}
	case *syntax.Attr:
		r.expr(s, x.X)
	case *syntax.Index:
		r.expr(s, x.X)
		r.expr(s, x.Index)
	case *syntax.Slice:
		r.expr(s, x.Lo)
		r.expr(s, x.Hi)
		r.expr(s, x.Step)
	case *syntax.Walrus:
		r.expr(s, x.X)
		t := s
		for t.kind == scopeComp || t.genexp { // PEP 572: the enclosing non-comprehension scope
			t = t.parent
		}
		t.bind(x.Name)
		s.use(x.Name)
	case *syntax.Await:
		r.expr(s, x.X)
	case *syntax.YieldExpr:
		r.expr(s, x.X)
	case *syntax.Spawn:
		r.expr(s, x.X)
		r.expr(s, x.Y)
	case *syntax.Connect:
		r.expr(s, x.Left)
		r.expr(s, x.Right)
		r.expr(s, x.Edge)
	case *syntax.EdgeRef:
		if x.Origin != nil {
			r.expr(s, x.Origin)
		} else {
			s.use("self")
			s.use("here")
		}
		for _, h := range x.Hops {
			r.expr(s, h.Type)
			for _, c := range h.Conds {
				r.expr(s, c.Value)
			}
		}
	case *syntax.Filter:
		r.expr(s, x.X)
		r.expr(s, x.Type)
		for _, c := range x.Conds {
			r.expr(s, c.Value)
		}
	case *syntax.AssignComp:
		r.expr(s, x.X)
		for _, a := range x.Args {
			r.expr(s, a.Value)
		}
	}
}

func (r *resolver) fparts(s *scope, parts []syntax.FPart) {
	for _, p := range parts {
		if p.Expr != nil {
			r.expr(s, p.Expr)
		}
		r.fparts(s, p.Spec)
	}
}

func (r *resolver) comp(s *scope, c *syntax.Comp) {
	// The first iterable is evaluated in the enclosing scope.
	r.expr(s, c.Fors[0].Iter)
	kind := scopeComp
	if c.Kind == syntax.LPAREN {
		kind = scopeFunc
	}
	cs := newScope(kind, s, c)
	cs.genexp = kind == scopeFunc
	r.scopes[c] = cs
	if kind == scopeFunc {
		cs.bind(".0")
	}
	for i, f := range c.Fors {
		if i > 0 {
			r.expr(cs, f.Iter)
		}
		r.target(cs, f.Target)
		for _, cond := range f.Ifs {
			r.expr(cs, cond)
		}
	}
	r.expr(cs, c.Elt)
	r.expr(cs, c.Value)
}

// orderedParams orders named parameters as frame slots: positional, keyword-only,
// then *args and **kwargs.
func orderedParams(params []*syntax.Param) []*syntax.Param {
	var pos, kwonly, rest []*syntax.Param
	star := false
	var va, kw *syntax.Param
	for _, p := range params {
		switch p.Kind {
		case syntax.ParamNormal:
			if star {
				kwonly = append(kwonly, p)
			} else {
				pos = append(pos, p)
			}
		case syntax.ParamVarArgs:
			star = true
			va = p
		case syntax.ParamKwMarker:
			star = true
		case syntax.ParamKwArgs:
			kw = p
		}
	}
	rest = append(pos, kwonly...)
	if va != nil {
		rest = append(rest, va)
	}
	if kw != nil {
		rest = append(rest, kw)
	}
	return rest
}

// localNames maps the frame slots of s to the names bound in s itself.
func localNames(s *scope) []string {
	names := make([]string, s.nslots)
	for name, slot := range s.bound {
		if slot >= 0 && slot < len(names) {
			names[slot] = name
		}
	}
	return names
}
