package syntax

import (
	"slices"
	"strings"
)

// Module-level elements: archetypes and their members, abilities and their
// signatures, enums, globals, impl blocks and imports.

func (p *parser) parseModule() *Module {
	m := &Module{File: p.file}
	if p.kind() == STRING && p.peekKind(1) != SEMI && p.peekKind(1) != DOT && p.peekKind(1) != LPAREN {
		m.Doc = p.next().Text
	}
	for p.kind() != EOF {
		m.Body = append(m.Body, p.parseElements()...)
	}
	return m
}

func (p *parser) parseElements() []Stmt {
	switch p.kind() {
	case SEMI:
		p.next()
		return nil
	case CL:
		// client code never runs on the server: parse and drop it.
		p.next()
		if p.got(LBRACE) {
			for p.kind() != RBRACE && p.kind() != EOF {
				p.parseElements()
			}
			p.expect(RBRACE)
			return nil
		}
		p.parseElements()
		return nil
	case SV, NA:
		p.next()
		if p.got(LBRACE) {
			var out []Stmt
			for p.kind() != RBRACE && p.kind() != EOF {
				out = append(out, p.parseElements()...)
			}
			p.expect(RBRACE)
			return out
		}
		return p.parseElements()
	}
	if s := p.parseElement(); s != nil {
		return []Stmt{s}
	}
	return nil
}

func (p *parser) parseElement() Stmt {
	doc := ""
	if p.kind() == STRING && (p.peekKind(1) != SEMI && p.peekKind(1) != DOT && p.peekKind(1) != LPAREN && p.peekKind(1) != LBRACK && p.peekKind(1) != STRING && p.peekKind(1) != PLUS && p.peekKind(1) != STAR && p.peekKind(1) != PERCENT) {
		doc = p.next().Text
	}
	decos := p.parseDecorators()
	start := p.pos()
	switch p.kind() {
	case IMPORT, INCLUDE:
		return p.parseImport()
	case OBJ, NODE, EDGE, WALKER, CLASS:
		a := p.parseArch(decos)
		a.Doc = doc
		return a
	case ASYNC:
		switch p.peekKind(1) {
		case OBJ, NODE, EDGE, WALKER, CLASS:
			p.next()
			a := p.parseArch(decos)
			a.Async = true
			a.Doc = doc
			return a
		}
		f := p.parseAbility(decos)
		f.Doc = doc
		return f
	case ENUM:
		e := p.parseEnum(decos)
		e.Doc = doc
		return e
	case DEF, CAN, STATIC, OVERRIDE:
		f := p.parseAbility(decos)
		f.Doc = doc
		return f
	case GLOB:
		return p.parseGlob()
	case IMPL:
		return p.parseImpl()
	case SEM:
		p.next()
		for p.kind() != SEMI && p.kind() != EOF {
			if p.kind() == STRING {
				p.next()
				break
			}
			p.next()
		}
		p.got(SEMI)
		return &Ignored{At{start}}
	case TEST:
		p.next()
		if p.kind() == NAME || p.kind() == STRING {
			p.next()
		}
		p.parseBlock()
		return &Ignored{At{start}}
	case WITH:
		if p.peekKind(1) == ENTRY {
			p.next()
			p.next()
			name := ""
			if p.got(COLON) {
				name = p.name()
			}
			return &EntryBlock{At: At{start}, Name: name, Body: p.parseBlock()}
		}
		if p.peekKind(1) == EXIT {
			p.errorf(start, "`with exit` is not allowed at module level")
		}
	case NAME:
		if p.tok().Text == "type" && p.peekKind(1) == NAME {
			// type alias: erased
			p.next()
			for p.kind() != SEMI && p.kind() != EOF {
				p.next()
			}
			p.semi()
			return &Ignored{At{start}}
		}
	}
	if len(decos) > 0 {
		p.errorf(start, "a decorator must precede a def, obj, node, edge, walker, class or enum")
	}
	// Statements at module level (Python-style free code) are accepted too.
	return p.parseStmt()
}

func (p *parser) parseDecorators() []Expr {
	var ds []Expr
	for p.kind() == AT {
		p.next()
		ds = append(ds, p.parsePostfix())
		p.got(SEMI)
	}
	return ds
}

func (p *parser) parseAccess() string {
	if p.kind() == COLON {
		switch p.peekKind(1) {
		case PUB, PRIV, PROTECT:
			p.next()
			return p.next().Text
		}
	}
	return ""
}

func (p *parser) parseArch(decos []Expr) *ArchDef {
	start := p.pos()
	kind := p.next().Kind
	a := &ArchDef{At: At{start}, Kind: kind, Decorators: decos}
	a.Access = p.parseAccess()
	a.Name = p.name()
	if p.kind() == LBRACK { // generic parameters are erased
		p.skipBalanced(LBRACK, RBRACK)
	}
	if p.got(LPAREN) {
		for p.kind() != RPAREN {
			a.Bases = append(a.Bases, p.parseExpr())
			if !p.got(COMMA) {
				break
			}
		}
		p.expect(RPAREN)
	}
	if p.got(SEMI) {
		a.Decl = true
		if p.archDecls != nil {
			p.archDecls[a.Name] = true
		}
		return a
	}
	a.Members = p.parseMembers()
	return a
}

// parseMembers parses { member... } of an archetype (or of its impl).
func (p *parser) parseMembers() []Stmt {
	var out []Stmt
	p.expect(LBRACE)
	for p.kind() != RBRACE && p.kind() != EOF {
		if m := p.parseMember(); m != nil {
			out = append(out, m)
		}
	}
	p.expect(RBRACE)
	return out
}

func (p *parser) skipBalanced(open, close Token) {
	depth := 0
	for {
		switch p.kind() {
		case open:
			depth++
		case close:
			depth--
		case EOF:
			p.errorf(p.pos(), "unexpected end of file")
		}
		p.next()
		if depth == 0 {
			return
		}
	}
}

func (p *parser) parseMember() Stmt {
	if p.got(SEMI) {
		return nil
	}
	doc := ""
	if p.kind() == STRING {
		doc = p.next().Text
	}
	decos := p.parseDecorators()
	start := p.pos()
	switch p.kind() {
	case HAS:
		return p.parseHas(false)
	case STATIC:
		if p.peekKind(1) == HAS {
			p.next()
			return p.parseHas(true)
		}
		f := p.parseAbility(decos)
		f.Doc = doc
		return f
	case DEF, CAN, OVERRIDE:
		f := p.parseAbility(decos)
		f.Doc = doc
		return f
	case ASYNC:
		switch p.peekKind(1) {
		case OBJ, NODE, EDGE, WALKER, CLASS:
			p.next()
			a := p.parseArch(decos)
			a.Async = true
			return a
		}
		f := p.parseAbility(decos)
		f.Doc = doc
		return f
	case OBJ, NODE, EDGE, WALKER, CLASS:
		a := p.parseArch(decos)
		a.Doc = doc
		return a
	case ENUM:
		return p.parseEnum(decos)
	case IMPL:
		return p.parseImpl()
	case SEM:
		return p.parseElement()
	case IMPORT, INCLUDE:
		return p.parseImport()
	case WITH:
		if p.peekKind(1) == ENTRY {
			p.next()
			p.next()
			return &EntryBlock{At: At{start}, Body: p.parseBlock()}
		}
	}
	p.errorf(start, "unexpected %s in archetype body", p.describe(p.tok()))
	return nil
}

func (p *parser) parseHas(static bool) *Has {
	start := p.expect(HAS).Pos
	h := &Has{At: At{start}, Static: static}
	h.Access = p.parseAccess()
	for {
		v := HasVar{P: p.pos()}
		v.Name = p.name()
		if p.got(COLON) {
			v.Type = p.parseTypeExpr()
		} else {
			p.errorf(p.pos(), "expected ':' and a type after field '%s'", v.Name)
		}
		if p.got(ASSIGN) {
			v.Default = p.parseExpr()
		} else if p.kind() == BY && p.peekKind(1) == POSTINIT {
			p.next()
			p.next()
			v.PostInit = true
		} else if p.kind() == POSTINIT {
			p.next()
			v.PostInit = true
		}
		h.Vars = append(h.Vars, v)
		if !p.got(COMMA) {
			break
		}
	}
	p.semi()
	return h
}

// parseTypeExpr parses a type annotation (an expression: names, subscripts, unions).
func (p *parser) parseTypeExpr() Expr { return p.parseBitOr() }

func (p *parser) parseAbility(decos []Expr) *FuncDef {
	f := &FuncDef{At: At{p.pos()}, Decorators: decos}
	for {
		switch p.kind() {
		case OVERRIDE:
			f.Override = true
			p.next()
			continue
		case STATIC:
			f.Static = true
			p.next()
			continue
		case ASYNC:
			f.Async = true
			p.next()
			continue
		}
		break
	}
	switch p.kind() {
	case DEF, CAN:
		p.next()
	default:
		p.errorf(p.pos(), "expected 'def' or 'can', found %s", p.describe(p.tok()))
	}
	f.Access = p.parseAccess()
	if p.kind() != LPAREN && p.kind() != WITH && p.kind() != LBRACE && p.kind() != ARROW {
		f.Name = p.name()
	}
	if p.kind() == LBRACK {
		p.skipBalanced(LBRACK, RBRACK)
	}
	if p.kind() == WITH {
		f.Ability = true
		f.Event = p.parseEvent()
	} else {
		f.HasSig = true
		f.Params, f.Ret = p.parseSig()
	}
	f.Body, f.Decl, f.ByExpr, f.IsGen = p.parseFuncBody()
	return f
}

func (p *parser) parseEvent() *EventClause {
	p.expect(WITH)
	ev := &EventClause{}
	if p.kind() != ENTRY && p.kind() != EXIT {
		t := p.parseBitOr()
		ev.Types = flattenTypes(t)
	}
	switch p.kind() {
	case ENTRY:
		p.next()
	case EXIT:
		ev.Exit = true
		p.next()
	default:
		p.errorf(p.pos(), "expected 'entry' or 'exit', found %s", p.describe(p.tok()))
	}
	return ev
}

func flattenTypes(t Expr) []Expr {
	switch t := t.(type) {
	case *Binary:
		if t.Op == PIPE {
			return append(flattenTypes(t.X), flattenTypes(t.Y)...)
		}
	case *TupleExpr:
		var out []Expr
		for _, e := range t.Elts {
			out = append(out, flattenTypes(e)...)
		}
		return out
	}
	return []Expr{t}
}

func (p *parser) parseSig() ([]*Param, Expr) {
	var params []*Param
	if p.got(LPAREN) {
		params = p.parseParams(RPAREN, true)
		p.expect(RPAREN)
	}
	var ret Expr
	if p.got(ARROW) {
		ret = p.parseTypeExpr()
	}
	return params, ret
}

// parseParams parses parameters up to (not including) end.
func (p *parser) parseParams(end Token, typed bool) []*Param {
	var params []*Param
	for p.kind() != end {
		prm := &Param{P: p.pos()}
		switch p.kind() {
		case STAR:
			p.next()
			if p.kind() == COMMA || p.kind() == end {
				prm.Kind = ParamKwMarker
			} else {
				prm.Kind = ParamVarArgs
				prm.Name = p.name()
			}
		case DSTAR:
			p.next()
			prm.Kind = ParamKwArgs
			prm.Name = p.name()
		case SLASH:
			p.next()
			prm.Kind = ParamPosMarker
		default:
			prm.Name = p.name()
		}
		if prm.Kind != ParamKwMarker && prm.Kind != ParamPosMarker {
			if typed && p.got(COLON) {
				prm.Type = p.parseTypeExpr()
			}
			if p.got(ASSIGN) {
				prm.Default = p.parseExpr()
			}
		}
		params = append(params, prm)
		if !p.got(COMMA) {
			break
		}
	}
	return params
}

// parseFuncBody parses `{...}`, `by expr;`, `;` or `abs;`.
func (p *parser) parseFuncBody() (body []Stmt, decl bool, by Expr, isGen bool) {
	switch p.kind() {
	case LBRACE:
		body, isGen = p.parseFuncBlock()
		return body, false, nil, isGen
	case BY:
		p.next()
		by = p.parseExpr()
		p.semi()
		return nil, true, by, false
	case ABS:
		p.next()
		p.semi()
		return nil, true, nil, false
	case SEMI:
		p.next()
		return nil, true, nil, false
	}
	p.errorf(p.pos(), "expected a body '{', found %s", p.describe(p.tok()))
	return
}

func (p *parser) parseFuncBlock() ([]Stmt, bool) {
	saved := p.inGen
	gen := false
	p.inGen = &gen
	body := p.parseBlock()
	p.inGen = saved
	return body, gen
}

func (p *parser) parseEnum(decos []Expr) *EnumDef {
	start := p.expect(ENUM).Pos
	e := &EnumDef{At: At{start}, Decorators: decos}
	e.Access = p.parseAccess()
	e.Name = p.name()
	if p.got(LPAREN) {
		for p.kind() != RPAREN {
			e.Bases = append(e.Bases, p.parseExpr())
			if !p.got(COMMA) {
				break
			}
		}
		p.expect(RPAREN)
	}
	if p.got(SEMI) {
		return e
	}
	p.expect(LBRACE)
	e.Members = p.parseEnumMembers()
	for p.kind() != RBRACE && p.kind() != EOF {
		if m := p.parseMember(); m != nil {
			e.Body = append(e.Body, m)
		}
	}
	p.expect(RBRACE)
	return e
}

func (p *parser) parseEnumMembers() []EnumMember {
	var ms []EnumMember
	for p.kind() == NAME || p.kind().IsKeyword() && softName(p.kind()) && p.kind() != CAN && p.kind() != HAS && p.kind() != STATIC && p.kind() != OVERRIDE {
		m := EnumMember{P: p.pos(), Name: p.name()}
		if p.got(ASSIGN) {
			m.Value = p.parseExpr()
		}
		ms = append(ms, m)
		if !p.got(COMMA) {
			break
		}
	}
	p.got(SEMI)
	return ms
}

func (p *parser) parseGlob() *Glob {
	start := p.expect(GLOB).Pos
	g := &Glob{At: At{start}}
	g.Access = p.parseAccess()
	for {
		v := GlobVar{P: p.pos(), Name: p.name()}
		if p.got(COLON) {
			v.Type = p.parseTypeExpr()
		}
		if p.got(ASSIGN) {
			// chained: glob a = b = 16 binds b, then a to b
			var chain []GlobVar
			for p.kind() == NAME && p.peekKind(1) == ASSIGN {
				chain = append(chain, GlobVar{P: p.pos(), Name: p.name()})
				p.next()
			}
			v.Value = p.parseExpr()
			for i := len(chain) - 1; i >= 0; i-- {
				chain[i].Value = v.Value
				g.Vars = append(g.Vars, chain[i])
				v.Value = &Ident{At: At{chain[i].P}, Name: chain[i].Name}
			}
		}
		g.Vars = append(g.Vars, v)
		if !p.got(COMMA) {
			break
		}
	}
	p.semi()
	return g
}

func (p *parser) parseImpl() *Impl {
	start := p.expect(IMPL).Pos
	im := &Impl{At: At{start}}
	im.Target = append(im.Target, p.name())
	for p.got(DOT) {
		im.Target = append(im.Target, p.attrName())
	}
	switch p.kind() {
	case WITH:
		im.Event = p.parseEvent()
	case LPAREN, ARROW:
		im.HasSig = true
		im.Params, im.Ret = p.parseSig()
	case LBRACE:
		// An archetype declared without a body: impl X { has ...; def ...; }.
		if len(im.Target) == 1 && p.archDecls[im.Target[0]] {
			im.IsArch = true
			im.Members = p.parseMembers()
			return im
		}
		// An enum impl lists members: impl E { A = 1, B = 2 }.
		if p.peekKind(1) == NAME && (p.peekKind(2) == ASSIGN || p.peekKind(2) == COMMA) && !p.braceHasStatements() {
			p.next()
			im.IsEnum = true
			im.EnumMembers = p.parseEnumMembers()
			p.expect(RBRACE)
			return im
		}
	}
	var decl bool
	im.Body, decl, im.ByExpr, im.IsGen = p.parseFuncBody()
	if decl && im.ByExpr == nil {
		p.errorf(start, "impl without a body")
	}
	return im
}

// braceHasStatements looks past the '{' at the current token: a ';' before the
// first ',' or the closing '}' (at that nesting level) means a code block, not
// a list of enum members.
func (p *parser) braceHasStatements() bool { return p.firstInBrace(SEMI, COMMA) == SEMI }

// firstInBrace scans the braces opened by the current token and returns the
// first of kinds met at their top nesting level, or RBRACE (or EOF) if none.
func (p *parser) firstInBrace(kinds ...Token) Token {
	depth := 0
	for j := p.i + 1; j < len(p.toks); j++ {
		k := p.toks[j].Kind
		switch k {
		case LPAREN, LBRACK, LBRACE:
			depth++
			continue
		case RPAREN, RBRACK:
			depth--
			continue
		case RBRACE:
			if depth == 0 {
				return RBRACE
			}
			depth--
			continue
		case EOF:
			return EOF
		}
		if depth == 0 && slices.Contains(kinds, k) {
			return k
		}
	}
	return EOF
}

func (p *parser) parseImport() Stmt {
	start := p.pos()
	include := p.next().Kind == INCLUDE
	im := &Import{At: At{start}, Include: include}
	// Dec-2025 `import:py` / `import:jac`.
	if p.kind() == COLON && p.peekKind(1) == NAME {
		p.next()
		p.next()
	}
	if include {
		im.Modules = append(im.Modules, ImportName{P: p.pos(), Name: p.dottedName()})
		p.semi()
		return im
	}
	if p.got(FROM) {
		for p.kind() == DOT || p.kind() == ELLIPSIS {
			if p.next().Kind == ELLIPSIS {
				im.Level += 3
			} else {
				im.Level++
			}
		}
		if p.kind() != LBRACE && p.kind() != COMMA {
			im.From = strings.Split(p.dottedName(), ".")
		}
		if p.got(LBRACE) {
			for p.kind() != RBRACE {
				if p.got(STAR) {
					im.Star = true
				} else {
					n := ImportName{P: p.pos(), Name: p.name()}
					if p.got(AS) {
						n.As = p.name()
					}
					im.Names = append(im.Names, n)
				}
				if !p.got(COMMA) {
					break
				}
			}
			p.expect(RBRACE)
			p.got(SEMI)
			return im
		}
		// Dec-2025: import:py from math, sqrt, pi;
		for p.got(COMMA) {
			n := ImportName{P: p.pos(), Name: p.name()}
			if p.got(AS) {
				n.As = p.name()
			}
			im.Names = append(im.Names, n)
		}
		p.semi()
		return im
	}
	for {
		n := ImportName{P: p.pos(), Name: p.dottedName()}
		if p.got(AS) {
			n.As = p.name()
		}
		im.Modules = append(im.Modules, n)
		if !p.got(COMMA) {
			break
		}
	}
	p.semi()
	return im
}

func (p *parser) dottedName() string {
	var b strings.Builder
	b.WriteString(p.name())
	for p.kind() == DOT {
		p.next()
		b.WriteByte('.')
		b.WriteString(p.attrName())
	}
	return b.String()
}

// ---- Statements ----
