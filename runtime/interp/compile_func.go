package interp

import (
	"github.com/jacscale/jac/runtime/syntax"
)

// funcParts is what makeFunc needs to build a function value.
type funcParts struct {
	name, qual string
	pos        syntax.Pos
	node       syntax.Node // key of the resolver scope
	implicit   []string
	params     []*syntax.Param
	body       []syntax.Stmt
	exprBody   syntax.Expr
	isGen      bool
	isAsync    bool
	ctx        *fnContext
	doc        string
	access     string
	decl       *syntax.FuncDef
	// returnLocals: the call returns the frame's locals as a dict (a class body)
	returnLocals bool
}

// makeFunc compiles a function body and returns a constructor of function values
// (evaluating defaults and capturing cells in the defining frame).
func (c *compiler) makeFunc(p funcParts) func(fr *Frame) *Function {
	fs := c.res.scopes[p.node]
	if fs == nil {
		c.errorf(p.pos, "internal: no scope for %s", p.name)
	}
	seen := map[string]bool{}
	for _, n := range p.implicit {
		seen[n] = true
	}
	for _, prm := range p.params {
		if seen[prm.Name] {
			c.errorf(p.pos, "duplicate argument '%s' in function definition", prm.Name)
		}
		seen[prm.Name] = true
	}
	code := &Code{Name: p.name, QualName: p.qual, File: c.file, Pos: p.pos, VarArgs: -1, KwArgs: -1,
		IsGen: p.isGen, IsAsync: p.isAsync, Doc: p.doc, Access: p.access, Decl: p.decl}
	code.Params = append(code.Params, p.implicit...)
	code.NPos = len(p.implicit)
	code.PosOnly = 0
	var posDefaults []exprFn
	kwDefaults := map[string]exprFn{}
	var annots []exprFn // parameter annotations, evaluated when the def runs
	star := false
	sawPosMarker := false
	for _, prm := range orderedParams(p.params) {
		switch prm.Kind {
		case syntax.ParamVarArgs:
			code.VarArgs = fs.bound[prm.Name]
		case syntax.ParamKwArgs:
			code.KwArgs = fs.bound[prm.Name]
		}
	}
	for _, prm := range p.params {
		switch prm.Kind {
		case syntax.ParamPosMarker:
			code.PosOnly = code.NPos
			sawPosMarker = true
		case syntax.ParamKwMarker, syntax.ParamVarArgs:
			star = true
		case syntax.ParamNormal:
			if star {
				code.NKwOnly++
				if prm.Default != nil {
					kwDefaults[prm.Name] = c.expr(prm.Default)
				}
			} else {
				code.NPos++
				if prm.Default != nil {
					posDefaults = append(posDefaults, c.expr(prm.Default))
				} else if len(posDefaults) > 0 {
					c.errorf(prm.P, "parameter without a default follows parameter with a default")
				}
			}
			code.ParamTypes = append(code.ParamTypes, prm.Type)
			code.ParamDefaults = append(code.ParamDefaults, prm.Default)
			if prm.Type != nil {
				annots = append(annots, c.expr(prm.Type))
			} else {
				annots = append(annots, nil)
			}
		}
	}
	_ = sawPosMarker
	for _, prm := range orderedParams(p.params) {
		if prm.Kind == syntax.ParamNormal {
			code.Params = append(code.Params, prm.Name)
		}
	}
	// Reorder: positional params first then keyword-only is already the slot order.
	outer, outerCtx := c.sc, c.ctx
	c.sc, c.ctx = fs, p.ctx
	switch ret := singleReturn(p.body); {
	case p.exprBody != nil:
		e := c.expr(p.exprBody)
		code.retExpr = e
		code.Body = func(fr *Frame) ctrl { fr.ret = e(fr); return ctrlReturn }
	case ret != nil && !p.returnLocals && !p.isGen && !p.isAsync:
		e, pos := c.stmtValue(ret.X), ret.Start()
		code.retExpr, code.retPos = e, pos
		code.Body = func(fr *Frame) ctrl { // the return statement's closure
			fr.pos = pos
			v := e(fr)
			if isRaised(v) {
				return ctrlRaise
			}
			fr.ret = v
			return ctrlReturn
		}
	default:
		code.Body = c.block(p.body)
		if p.isGen && !p.isAsync {
			code.Resume = c.resumableBody(p.body)
		}
	}
	code.NLocals = fs.nslots
	code.LocalNames = localNames(fs)
	if p.returnLocals {
		inner := code.Body
		code.Body = func(fr *Frame) ctrl {
			if inner(fr) == ctrlRaise {
				return ctrlRaise
			}
			fr.ret = localsOf(fr)
			return ctrlReturn
		}
	}
	code.CellSlots = cellSlots(fs)
	code.NoRecycle = definesClass(p.body)
	code.fastCall = !code.IsGen && !code.IsAsync && code.VarArgs < 0 && code.KwArgs < 0 &&
		code.NKwOnly == 0 && code.NLocals <= len(Frame{}.small)
	c.sc, c.ctx = outer, outerCtx
	closure := c.closureMaker(fs)
	mod := c.mod
	return func(fr *Frame) *Function {
		f := &Function{code: code, module: mod, closure: closure(fr)}
		if len(posDefaults) > 0 {
			f.defaults = make([]Value, len(posDefaults))
			for i, d := range posDefaults {
				f.defaults[i] = d(fr)
			}
		}
		if len(kwDefaults) > 0 {
			f.kwDefaults = make(map[string]Value, len(kwDefaults))
			for n, d := range kwDefaults {
				f.kwDefaults[n] = d(fr)
			}
		}
		if len(annots) > 0 && fr.code != nil && fr.code.Name == "<module>" {
			f.annotations = make([]Value, len(annots))
			for i, a := range annots {
				if a != nil {
					f.annotations[i] = lazyType(fr.th, a, fr)
				}
			}
		}
		return f
	}
}

// funcDef compiles a def/can; archKind is the enclosing archetype kind (0: none).
func (c *compiler) funcDef(x *syntax.FuncDef, archKind ClassKind, className string) exprFn {
	mk := c.methodDef(x, archKind, className, nil)
	return func(fr *Frame) Value { return mk(fr, nil) }
}

// methodDef compiles a def/can declared in a class body to a constructor that
// gets the class being built. A decorator whose attribute chain starts at a name
// in classNames (the methods declared before it: `@balance.setter` after
// `def balance`) reads that name from the class, as Python's class namespace does.
func (c *compiler) methodDef(x *syntax.FuncDef, archKind ClassKind, className string, classNames map[string]bool) func(*Frame, *Class) Value {
	parts := c.funcPartsOf(x, archKind, className)
	mk := c.makeFunc(parts)
	decos := make([]func(*Frame, *Class) Value, len(x.Decorators))
	for i, d := range x.Decorators {
		decos[i] = c.decorator(d, classNames)
	}
	static := x.Static
	return func(fr *Frame, cls *Class) Value {
		f := mk(fr)
		var v Value = f
		for i := len(decos) - 1; i >= 0; i-- {
			d := decos[i](fr, cls)
			if b, ok := d.(*Builtin); ok && (b.Name == "staticmethod") {
				static = true
				continue
			}
			v = fr.th.Call(d, []Value{v}, nil)
		}
		if static && archKind != 0 {
			if _, ok := v.(*StaticMethod); !ok {
				v = &StaticMethod{Fn: v}
			}
		}
		return v
	}
}

// decorator compiles one decorator expression of a function; see methodDef.
func (c *compiler) decorator(d syntax.Expr, classNames map[string]bool) func(*Frame, *Class) Value {
	var attrs []string
	root := d
	for {
		a, ok := root.(*syntax.Attr)
		if !ok || a.NullSafe {
			break
		}
		attrs = append(attrs, a.Name)
		root = a.X
	}
	if id, ok := root.(*syntax.Ident); ok && classNames[id.Name] {
		return func(fr *Frame, cls *Class) Value {
			v, _ := cls.OwnAttr(id.Name)
			for i := len(attrs) - 1; i >= 0; i-- {
				v = GetAttr(fr.th, v, attrs[i])
			}
			return v
		}
	}
	e := c.expr(d)
	return func(fr *Frame, _ *Class) Value { return e(fr) }
}

func (c *compiler) funcPartsOf(x *syntax.FuncDef, archKind ClassKind, className string) funcParts {
	kindTok := syntax.Token(0)
	switch archKind {
	case KindClass:
		kindTok = syntax.CLASS
	case KindObj, KindEnum:
		kindTok = syntax.OBJ
	case KindNode:
		kindTok = syntax.NODE
	case KindEdge:
		kindTok = syntax.EDGE
	case KindWalker:
		kindTok = syntax.WALKER
	}
	qual := x.Name
	if className != "" {
		qual = className + "." + x.Name
	}
	p := funcParts{name: x.Name, qual: qual, pos: x.P, node: x, implicit: implicitParams(x, kindTok),
		params: x.Params, body: x.Body, isGen: x.IsGen, isAsync: x.Async, doc: x.Doc, access: x.Access, decl: x,
		ctx: &fnContext{archKind: archKind, ability: x.Ability, isGen: x.IsGen, className: className}}
	if x.Decl {
		key := x.Name
		if className != "" {
			key = className + "." + x.Name
		}
		im := c.impls[key]
		if im == nil {
			if x.ByExpr != nil {
				c.errorf(x.P, "'by' abilities (LLM calls) are not supported")
			}
			// an abstract declaration: calling it raises
			p.body = []syntax.Stmt{&syntax.Raise{At: syntax.At{P: x.P}, X: &syntax.Call{At: syntax.At{P: x.P},
				Fn:   &syntax.Ident{At: syntax.At{P: x.P}, Name: "NotImplementedError"},
				Args: []syntax.Arg{{Value: &syntax.Const{At: syntax.At{P: x.P}, Kind: syntax.STRING, Text: qual + " has no implementation"}}}}}}
			p.node = x
			return p
		}
		p.node = im
		p.body = im.Body
		p.isGen = im.IsGen
		p.ctx.isGen = im.IsGen
		if im.HasSig {
			p.params = im.Params
		}
		p.pos = im.P
	}
	return p
}

func (c *compiler) lambda(x *syntax.Lambda) exprFn {
	mk := c.makeFunc(funcParts{name: "<lambda>", qual: "<lambda>", pos: x.P, node: x, params: x.Params,
		body: x.Block, exprBody: x.Body, ctx: &fnContext{archKind: c.ctx.archKind}})
	return func(fr *Frame) Value { return mk(fr) }
}

// singleReturn returns the body's statement when it is the only one and a
// `return` with a value (the body of fib-like functions).
func singleReturn(body []syntax.Stmt) *syntax.Return {
	if len(body) != 1 {
		return nil
	}
	r, ok := body[0].(*syntax.Return)
	if !ok || r.X == nil {
		return nil
	}
	return r
}

// definesClass reports whether a body declares an archetype or enum (their lazily
// evaluated annotations keep a reference to the defining frame).
func definesClass(body []syntax.Stmt) bool {
	for _, st := range body {
		switch x := st.(type) {
		case *syntax.ArchDef, *syntax.EnumDef:
			return true
		case *syntax.If:
			if definesClass(x.Body) || definesClass(x.Else) {
				return true
			}
		case *syntax.Block:
			if definesClass(x.Body) {
				return true
			}
		case *syntax.Try:
			if definesClass(x.Body) {
				return true
			}
		}
	}
	return false
}
