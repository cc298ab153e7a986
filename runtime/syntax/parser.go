package syntax

import (
	"fmt"
	"slices"
	"strings"
)

// Parse parses a Jac source file. The error, if any, is an *Error with the file,
// line and column of the first problem.
func Parse(file, src string) (mod *Module, err error) {
	return ParseAnnex(file, src, nil)
}

// ParseAnnex parses a file whose impl blocks may implement archetypes declared
// without a body elsewhere (`obj X;` in the main file): archDecls names them.
func ParseAnnex(file, src string, archDecls map[string]bool) (mod *Module, err error) {
	toks, err := Scan(file, src)
	if err != nil {
		return nil, err
	}
	p := &parser{file: file, toks: toks, archDecls: map[string]bool{}}
	for n := range archDecls {
		p.archDecls[n] = true
	}
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(*Error); ok {
				mod, err = nil, e
				return
			}
			panic(r)
		}
	}()
	return p.parseModule(), nil
}

// ParseExpr parses a single expression (used for f-string fields and by tests).
func ParseExpr(file, src string, at Pos) (x Expr, err error) {
	toks, err := Scan(file, src)
	if err != nil {
		return nil, err
	}
	for i := range toks {
		toks[i].Pos = shift(at, toks[i].Pos)
	}
	p := &parser{file: file, toks: toks}
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(*Error); ok {
				x, err = nil, e
				return
			}
			panic(r)
		}
	}()
	x = p.parseExpr()
	if p.tok().Kind != EOF {
		p.errorf(p.tok().Pos, "unexpected %s in expression", p.describe(p.tok()))
	}
	return x, nil
}

func shift(base, p Pos) Pos {
	if p.Line == 1 {
		return Pos{base.Line, base.Col + p.Col - 1}
	}
	return Pos{base.Line + p.Line - 1, p.Col}
}

type parser struct {
	file  string
	toks  []Tok
	i     int
	inGen *bool // set while parsing a function body: records a yield
	// archDecls are archetypes declared without a body (`obj X;`): an impl of
	// one lists members.
	archDecls map[string]bool
}

func (p *parser) tok() *Tok   { return &p.toks[p.i] }
func (p *parser) kind() Token { return p.toks[p.i].Kind }
func (p *parser) peekKind(n int) Token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n].Kind
	}
	return EOF
}
func (p *parser) pos() Pos { return p.toks[p.i].Pos }

func (p *parser) next() *Tok {
	t := &p.toks[p.i]
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

func (p *parser) got(k Token) bool {
	if p.kind() == k {
		p.next()
		return true
	}
	return false
}

func (p *parser) errorf(pos Pos, format string, args ...any) {
	panic(&Error{File: p.file, Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

func (p *parser) describe(t *Tok) string {
	switch t.Kind {
	case NAME:
		return fmt.Sprintf("name '%s'", t.Text)
	case INT, FLOAT:
		return fmt.Sprintf("number %s", t.Text)
	case STRING, FSTRING, BYTES:
		return "string literal"
	case EOF:
		return "end of file"
	}
	return fmt.Sprintf("'%s'", t.Kind)
}

func (p *parser) expect(k Token) *Tok {
	if p.kind() != k {
		what := fmt.Sprintf("'%s'", k)
		if k == NAME {
			what = "a name"
		}
		p.errorf(p.pos(), "expected %s, found %s", what, p.describe(p.tok()))
	}
	return p.next()
}

func (p *parser) semi() {
	if p.kind() != SEMI {
		p.errorf(p.pos(), "expected ';', found %s", p.describe(p.tok()))
	}
	p.next()
}

// name accepts a NAME, or any keyword where a plain name is unambiguous (after '.', as a
// parameter or field name with the keyword-escape already applied by the scanner).
func (p *parser) name() string {
	t := p.tok()
	if t.Kind == NAME || t.Kind.IsKeyword() && softName(t.Kind) {
		p.next()
		return t.Text
	}
	p.errorf(t.Pos, "expected a name, found %s", p.describe(t))
	return ""
}

// softName lists keywords that also serve as plain names in name positions.
func softName(k Token) bool {
	switch k {
	case INIT, POSTINIT, PROPS, ENTRY, EXIT, TEST, SEM, FLOW, WAIT, TO, BY, DEFAULT, CL, SV, NA,
		PUB, PRIV, PROTECT, ABS, SELF, HERE, VISITOR, ROOT, SUPER, OVERRIDE, STATIC, CAN, HAS,
		NODE, EDGE, WALKER, OBJ, ENUM, IMPL, GLOB, SKIP, REPORT, VISIT, SPAWN, DISENGAGE, MATCH,
		SWITCH, CASE:
		return true
	}
	return false
}

// attrName accepts any name or keyword after '.'.
func (p *parser) attrName() string {
	t := p.tok()
	if t.Kind == NAME || t.Kind.IsKeyword() {
		p.next()
		return t.Text
	}
	p.errorf(t.Pos, "expected an attribute name, found %s", p.describe(t))
	return ""
}

// ---- Module level ----

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

func (p *parser) parseBlock() []Stmt {
	p.expect(LBRACE)
	var body []Stmt
	for p.kind() != RBRACE {
		if p.kind() == EOF {
			p.errorf(p.pos(), "expected '}', found end of file")
		}
		if s := p.parseStmt(); s != nil {
			body = append(body, s)
		}
	}
	p.next()
	if body == nil {
		body = []Stmt{}
	}
	return body
}

func (p *parser) parseStmt() Stmt {
	start := p.pos()
	switch p.kind() {
	case SEMI:
		p.next()
		return nil
	case IF:
		return p.parseIf()
	case WHILE:
		p.next()
		w := &While{At: At{start}, Cond: p.parseExpr()}
		w.Body = p.parseBlock()
		if p.got(ELSE) {
			w.Else = p.parseBlock()
		}
		return w
	case FOR:
		return p.parseFor(false)
	case ASYNC:
		switch p.peekKind(1) {
		case FOR:
			p.next()
			return p.parseFor(true)
		case WITH:
			p.next()
			w := p.parseWith()
			w.(*With).Async = true
			return w
		case DEF, CAN:
			return p.parseAbility(nil)
		case OBJ, NODE, EDGE, WALKER, CLASS:
			p.next()
			a := p.parseArch(nil)
			a.Async = true
			return a
		}
	case TRY:
		return p.parseTry()
	case WITH:
		return p.parseWith()
	case MATCH:
		if p.peekKind(1) != ASSIGN && p.peekKind(1) != DOT && (p.peekKind(1) != LPAREN || p.parenThenBrace()) {
			return p.parseMatch()
		}
	case SWITCH:
		if p.peekKind(1) != ASSIGN && p.peekKind(1) != DOT {
			return p.parseSwitch()
		}
	case RETURN:
		p.next()
		r := &Return{At: At{start}}
		if p.kind() != SEMI {
			r.X = p.parseExprList()
		}
		p.semi()
		return r
	case YIELD:
		x := p.parseYield()
		p.semi()
		return &ExprStmt{At: At{start}, X: x}
	case RAISE:
		p.next()
		r := &Raise{At: At{start}}
		if p.kind() != SEMI {
			r.X = p.parseExpr()
			if p.got(FROM) {
				r.Cause = p.parseExpr()
			}
		}
		p.semi()
		return r
	case ASSERT:
		p.next()
		a := &Assert{At: At{start}, Cond: p.parseExpr()}
		if p.got(COMMA) {
			a.Msg = p.parseExpr()
		}
		p.semi()
		return a
	case DEL:
		p.next()
		d := &Del{At: At{start}}
		for {
			d.Targets = append(d.Targets, p.parseExpr())
			if !p.got(COMMA) {
				break
			}
		}
		p.semi()
		return d
	case GLOBAL, NONLOCAL:
		nonlocal := p.next().Kind == NONLOCAL
		g := &Global{At: At{start}, Nonlocal: nonlocal}
		for {
			g.Names = append(g.Names, p.name())
			if !p.got(COMMA) {
				break
			}
		}
		p.semi()
		return g
	case BREAK, CONTINUE, SKIP, DISENGAGE:
		k := p.next().Kind
		p.semi()
		return &Jump{At: At{start}, Kind: k}
	case REPORT:
		p.next()
		r := &Report{At: At{start}, X: p.parseExpr()}
		p.semi()
		return r
	case VISIT:
		return p.parseVisit()
	case DEF, CAN, STATIC, OVERRIDE:
		return p.parseAbility(nil)
	case AT:
		decos := p.parseDecorators()
		switch p.kind() {
		case OBJ, NODE, EDGE, WALKER, CLASS:
			return p.parseArch(decos)
		}
		return p.parseAbility(decos)
	case OBJ, NODE, EDGE, WALKER, CLASS:
		if p.peekKind(1) == NAME || p.peekKind(1) == COLON {
			return p.parseArch(nil)
		}
	case ENUM:
		return p.parseEnum(nil)
	case IMPORT, INCLUDE:
		return p.parseImport()
	case GLOB:
		return p.parseGlob()
	case HAS:
		p.errorf(start, "'has' is only allowed in an archetype body")
	case LBRACE:
		// a bare block
		if p.isBlockStart() {
			return &Block{At: At{start}, Body: p.parseBlock()}
		}
	}
	return p.parseSimpleStmt(true)
}

// parenThenBrace reports whether the parenthesised group after the current token is
// followed by '{' (so `match (a, b) {` is a statement, `match(x);` a call).
func (p *parser) parenThenBrace() bool {
	depth := 0
	for j := p.i + 1; j < len(p.toks); j++ {
		switch p.toks[j].Kind {
		case LPAREN, LBRACK, LBRACE:
			depth++
		case RPAREN, RBRACK, RBRACE:
			depth--
			if depth == 0 {
				return j+1 < len(p.toks) && p.toks[j+1].Kind == LBRACE
			}
		case EOF:
			return false
		}
	}
	return false
}

// isBlockStart guesses whether '{' at statement start opens a block (not a dict/set).
func (p *parser) isBlockStart() bool {
	switch p.peekKind(1) {
	case RBRACE:
		return false
	case IF, WHILE, FOR, TRY, RETURN, REPORT, VISIT, RAISE, LBRACE:
		return true
	}
	// `{ x = 1; }` vs `{x: 1}`: look for '=' or ';' before ':' at depth 0.
	k := p.firstInBrace(SEMI, ASSIGN, COLON, COMMA)
	return k == SEMI || k == ASSIGN
}

// parseSimpleStmt parses an expression statement or an assignment. With needSemi it
// consumes the terminating ';'.
func (p *parser) parseSimpleStmt(needSemi bool) Stmt {
	start := p.pos()
	x := p.parseExpr()
	var s Stmt
	switch k := p.kind(); k {
	case ASSIGN:
		a := &Assign{At: At{start}, Targets: []Expr{x}}
		for p.got(ASSIGN) {
			var v Expr
			if p.kind() == YIELD {
				v = p.parseYield()
			} else {
				v = p.parseExprList()
			}
			a.Targets = append(a.Targets, v)
		}
		a.Value = a.Targets[len(a.Targets)-1]
		a.Targets = a.Targets[:len(a.Targets)-1]
		for _, t := range a.Targets {
			p.checkTarget(t)
		}
		s = a
	case COLON:
		p.next()
		p.checkTarget(x)
		a := &Assign{At: At{start}, Targets: []Expr{x}, Type: p.parseTypeExpr()}
		if p.got(ASSIGN) {
			if p.kind() == YIELD {
				a.Value = p.parseYield()
			} else {
				a.Value = p.parseExprList()
			}
		}
		s = a
	case PLUS_EQ, MINUS_EQ, STAR_EQ, SLASH_EQ, DSLASH_EQ, PERCENT_EQ, DSTAR_EQ, AT_EQ, AMP_EQ,
		PIPE_EQ, CARET_EQ, LSHIFT_EQ, RSHIFT_EQ:
		p.next()
		p.checkTarget(x)
		var v Expr
		if p.kind() == YIELD {
			v = p.parseYield()
		} else {
			v = p.parseExpr()
		}
		s = &AugAssign{At: At{start}, Target: x, Op: augOps[k], Value: v}
	default:
		s = &ExprStmt{At: At{start}, X: x}
	}
	if needSemi {
		p.semi()
	}
	return s
}

var augOps = map[Token]Token{
	PLUS_EQ: PLUS, MINUS_EQ: MINUS, STAR_EQ: STAR, SLASH_EQ: SLASH, DSLASH_EQ: DSLASH,
	PERCENT_EQ: PERCENT, DSTAR_EQ: DSTAR, AT_EQ: AT, AMP_EQ: AMP, PIPE_EQ: PIPE, CARET_EQ: CARET,
	LSHIFT_EQ: LSHIFT, RSHIFT_EQ: RSHIFT,
}

func (p *parser) checkTarget(x Expr) {
	switch x := x.(type) {
	case *Ident, *Attr, *Index:
		return
	case *TupleExpr:
		for _, e := range x.Elts {
			p.checkTarget(e)
		}
		return
	case *ListExpr:
		for _, e := range x.Elts {
			p.checkTarget(e)
		}
		return
	case *Starred:
		p.checkTarget(x.X)
		return
	}
	p.errorf(x.Start(), "cannot assign to this expression")
}

func (p *parser) parseYield() Expr {
	start := p.expect(YIELD).Pos
	if p.inGen != nil {
		*p.inGen = true
	}
	y := &YieldExpr{At: At{start}}
	if p.got(FROM) {
		y.From = true
		y.X = p.parseExpr()
		return y
	}
	if p.kind() != SEMI && p.kind() != RPAREN {
		y.X = p.parseExprList()
	}
	return y
}

// parseExprList parses `e` or `e1, e2, ...` (a tuple without parentheses).
func (p *parser) parseExprList() Expr {
	start := p.pos()
	x := p.parseExpr()
	if p.kind() != COMMA {
		return x
	}
	elts := []Expr{x}
	for p.got(COMMA) {
		if p.kind() == SEMI || p.kind() == RPAREN {
			break
		}
		elts = append(elts, p.parseExpr())
	}
	return &TupleExpr{At: At{start}, Elts: elts}
}

func (p *parser) parseIf() Stmt {
	start := p.next().Pos
	s := &If{At: At{start}, Cond: p.parseExpr()}
	s.Body = p.parseBlock()
	switch p.kind() {
	case ELIF:
		s.Else = []Stmt{p.parseIf()}
	case ELSE:
		p.next()
		if p.kind() == IF { // `else if`
			s.Else = []Stmt{p.parseIf()}
		} else {
			s.Else = p.parseBlock()
		}
	}
	return s
}

func (p *parser) parseFor(async bool) Stmt {
	start := p.expect(FOR).Pos
	target := p.parseTarget()
	if p.got(ASSIGN) {
		init := &Assign{At: At{start}, Targets: []Expr{target}, Value: p.parseExpr()}
		p.checkTarget(target)
		p.expect(TO)
		f := &ForTo{At: At{start}, Init: init, Cond: p.parseExpr()}
		p.expect(BY)
		f.Step = p.parseSimpleStmt(false)
		f.Body = p.parseBlock()
		if p.got(ELSE) {
			f.Else = p.parseBlock()
		}
		return f
	}
	p.checkTarget(target)
	if p.kind() == COMMA {
		p.errorf(p.pos(), "a for loop over several targets needs parentheses: for (a, b) in ...")
	}
	p.expect(IN)
	f := &For{At: At{start}, Target: target, Iter: p.parseExpr(), Async: async}
	f.Body = p.parseBlock()
	if p.got(ELSE) {
		f.Else = p.parseBlock()
	}
	return f
}

// parseTarget parses an assignment target in for/comprehension headers (no comparisons).
func (p *parser) parseTarget() Expr {
	if p.kind() == STAR {
		start := p.next().Pos
		return &Starred{At: At{start}, X: p.parsePostfix()}
	}
	return p.parsePostfix()
}

func (p *parser) parseTry() Stmt {
	start := p.expect(TRY).Pos
	t := &Try{At: At{start}, Body: p.parseBlock()}
	for p.kind() == EXCEPT {
		c := ExceptClause{P: p.next().Pos}
		if p.kind() != LBRACE {
			c.Type = p.parseExpr()
			if p.got(AS) {
				c.Name = p.name()
			}
		}
		c.Body = p.parseBlock()
		t.Handlers = append(t.Handlers, c)
	}
	if p.got(ELSE) {
		t.Else = p.parseBlock()
	}
	if p.got(FINALLY) {
		t.Finally = p.parseBlock()
	}
	if t.Handlers == nil && t.Finally == nil {
		p.errorf(start, "try needs an except or a finally clause")
	}
	return t
}

func (p *parser) parseWith() Stmt {
	start := p.expect(WITH).Pos
	w := &With{At: At{start}}
	for {
		item := WithItem{X: p.parseExpr()}
		if p.got(AS) {
			item.As = p.parseTarget()
		}
		w.Items = append(w.Items, item)
		if !p.got(COMMA) {
			break
		}
	}
	w.Body = p.parseBlock()
	return w
}

func (p *parser) parseVisit() Stmt {
	start := p.expect(VISIT).Pos
	v := &Visit{At: At{start}}
	if p.got(COLON) {
		v.Index = p.parseExpr()
		p.expect(COLON)
	}
	v.X = p.parseExpr()
	if p.got(ELSE) {
		v.HasElse = true
		v.Else = p.parseBlock()
		return v
	}
	p.semi()
	return v
}

func (p *parser) parseCaseBody() []Stmt {
	body := []Stmt{}
	for p.kind() != CASE && p.kind() != DEFAULT && p.kind() != RBRACE && p.kind() != EOF {
		if s := p.parseStmt(); s != nil {
			body = append(body, s)
		}
	}
	return body
}

func (p *parser) parseMatch() Stmt {
	start := p.expect(MATCH).Pos
	m := &Match{At: At{start}, Subject: p.parseExprList()}
	p.expect(LBRACE)
	for p.kind() == CASE {
		c := MatchCase{P: p.next().Pos}
		c.Pattern = p.parsePatternTop()
		if p.got(IF) {
			c.Guard = p.parseExpr()
		}
		p.expect(COLON)
		c.Body = p.parseCaseBody()
		m.Cases = append(m.Cases, c)
	}
	p.expect(RBRACE)
	return m
}

func (p *parser) parseSwitch() Stmt {
	start := p.expect(SWITCH).Pos
	s := &Switch{At: At{start}, Subject: p.parseExpr()}
	p.expect(LBRACE)
	for p.kind() == CASE || p.kind() == DEFAULT {
		c := SwitchCase{P: p.pos()}
		if p.next().Kind == DEFAULT {
			c.Default = true
		} else {
			for {
				pat := p.parsePatternClosed()
				pv, ok := pat.(*PatValue)
				if !ok {
					p.errorf(pat.Start(), "switch cases take values, not capture patterns")
				}
				c.Values = append(c.Values, pv.X)
				if !p.got(PIPE) {
					break
				}
			}
		}
		p.expect(COLON)
		c.Body = p.parseCaseBody()
		s.Cases = append(s.Cases, c)
	}
	p.expect(RBRACE)
	return s
}

// ---- Patterns ----

func (p *parser) parsePatternTop() Pattern {
	start := p.pos()
	pat := p.parsePattern()
	if p.kind() == COMMA {
		elts := []Pattern{pat}
		for p.got(COMMA) {
			if p.kind() == COLON || p.kind() == IF {
				break
			}
			elts = append(elts, p.parsePattern())
		}
		return &PatSeq{At: At{start}, Elts: elts}
	}
	return pat
}

func (p *parser) parsePattern() Pattern {
	start := p.pos()
	pat := p.parsePatternClosed()
	if p.kind() == PIPE {
		alts := []Pattern{pat}
		for p.got(PIPE) {
			alts = append(alts, p.parsePatternClosed())
		}
		pat = &PatOr{At: At{start}, Alts: alts}
	}
	if p.got(AS) {
		pat = &PatAs{At: At{start}, Pat: pat, Name: p.name()}
	}
	return pat
}

func (p *parser) parsePatternClosed() Pattern {
	start := p.pos()
	switch p.kind() {
	case INT, FLOAT, STRING, BYTES, FSTRING, NONE, TRUE, FALSE, MINUS:
		return &PatValue{At: At{start}, X: p.parseArith()}
	case STAR:
		p.next()
		return &PatStar{At: At{start}, Name: p.name()}
	case LPAREN:
		p.next()
		if p.got(RPAREN) {
			return &PatSeq{At: At{start}}
		}
		pat := p.parsePattern()
		if p.kind() == COMMA {
			elts := []Pattern{pat}
			for p.got(COMMA) {
				if p.kind() == RPAREN {
					break
				}
				elts = append(elts, p.parsePattern())
			}
			p.expect(RPAREN)
			return &PatSeq{At: At{start}, Elts: elts}
		}
		p.expect(RPAREN)
		return pat
	case LBRACK:
		p.next()
		seq := &PatSeq{At: At{start}}
		for p.kind() != RBRACK {
			seq.Elts = append(seq.Elts, p.parsePattern())
			if !p.got(COMMA) {
				break
			}
		}
		p.expect(RBRACK)
		return seq
	case LBRACE:
		p.next()
		mp := &PatMapping{At: At{start}}
		for p.kind() != RBRACE {
			if p.got(DSTAR) {
				mp.Rest = p.name()
			} else {
				mp.Keys = append(mp.Keys, p.parseBitOr())
				p.expect(COLON)
				mp.Values = append(mp.Values, p.parsePattern())
			}
			if !p.got(COMMA) {
				break
			}
		}
		p.expect(RBRACE)
		return mp
	}
	// name, dotted name, or class pattern
	var x Expr = &Ident{At: At{start}, Name: p.name()}
	dotted := false
	for p.kind() == DOT {
		p.next()
		x = &Attr{At: At{start}, X: x, Name: p.attrName()}
		dotted = true
	}
	if p.got(LPAREN) {
		cp := &PatClass{At: At{start}, Cls: x}
		for p.kind() != RPAREN {
			if (p.kind() == NAME || p.kind().IsKeyword()) && p.peekKind(1) == ASSIGN {
				cp.KwNames = append(cp.KwNames, p.next().Text)
				p.next()
				cp.KwArgs = append(cp.KwArgs, p.parsePattern())
			} else {
				cp.Args = append(cp.Args, p.parsePattern())
			}
			if !p.got(COMMA) {
				break
			}
		}
		p.expect(RPAREN)
		return cp
	}
	if dotted {
		return &PatValue{At: At{start}, X: x}
	}
	return &PatCapture{At: At{start}, Name: x.(*Ident).Name}
}

// ---- Expressions ----

func (p *parser) parseExpr() Expr {
	start := p.pos()
	switch p.kind() {
	case LAMBDA:
		return p.parseLambda()
	case PIPE_FWD, A_PIPE_FWD, SPAWN:
		// a prefix pipe (or spawn) calls its operand with no arguments: :> f is f()
		p.next()
		return &Call{At: At{start}, Fn: p.parsePostfix()}
	case YIELD:
		return p.parseYield()
	}
	x := p.parseFlow()
	if p.kind() == IF {
		// ternary: only when an else follows the condition
		save := p.i
		p.next()
		cond := p.parseFlow()
		if p.got(ELSE) {
			return &IfExpr{At: At{start}, Cond: cond, Then: x, Else: p.parseExpr()}
		}
		p.i = save
	}
	return x
}

func (p *parser) parseFlow() Expr {
	start := p.pos()
	switch p.kind() {
	case FLOW:
		p.next()
		return &Call{At: At{start}, Fn: &Ident{At: At{start}, Name: "__jac_flow__"}, Args: []Arg{{Value: p.parseFlow()}}}
	case WAIT:
		p.next()
		return &Call{At: At{start}, Fn: &Ident{At: At{start}, Name: "__jac_wait__"}, Args: []Arg{{Value: p.parseFlow()}}}
	}
	return p.parseWalrus()
}

func (p *parser) parseWalrus() Expr {
	if p.kind() == NAME && p.peekKind(1) == WALRUS {
		start := p.pos()
		name := p.next().Text
		p.next()
		return &Walrus{At: At{start}, Name: name, X: p.parseExpr()}
	}
	return p.parsePipe()
}

func (p *parser) parsePipe() Expr     { return p.forwardPipe(PIPE_FWD, p.parseBackPipe) }
func (p *parser) parseBackPipe() Expr { return p.backwardPipe(PIPE_BKWD, p.parseOr) }

// forwardPipe parses x |> f |> g (left to right) over next.
func (p *parser) forwardPipe(op Token, next func() Expr) Expr {
	start := p.pos()
	x := next()
	for p.kind() == op {
		p.next()
		f := next()
		x = &Call{At: At{start}, Fn: f, Args: pipeArgs(x)}
	}
	return x
}

// pipeArgs is the argument list a pipe passes its operand as: a non-empty
// tuple display is spread into positional arguments (`(1, 2) |> f` is f(1, 2)),
// as in the reference; any other value, a tuple variable included, is one argument.
func pipeArgs(x Expr) []Arg {
	if t, ok := x.(*TupleExpr); ok && len(t.Elts) > 0 {
		return []Arg{{Value: x, Star: 1}}
	}
	return []Arg{{Value: x}}
}

// backwardPipe parses f <| x (right-associative) over next.
func (p *parser) backwardPipe(op Token, next func() Expr) Expr {
	start := p.pos()
	x := next()
	if p.kind() == op {
		p.next()
		arg := p.backwardPipe(op, next)
		return &Call{At: At{start}, Fn: x, Args: pipeArgs(arg)}
	}
	return x
}

func (p *parser) parseOr() Expr {
	start := p.pos()
	x := p.parseAnd()
	for p.kind() == OR || p.kind() == OR_OR {
		p.next()
		x = &BoolOp{At: At{start}, Op: OR, X: x, Y: p.parseAnd()}
	}
	return x
}

func (p *parser) parseAnd() Expr {
	start := p.pos()
	x := p.parseNot()
	for p.kind() == AND || p.kind() == AND_AND {
		p.next()
		x = &BoolOp{At: At{start}, Op: AND, X: x, Y: p.parseNot()}
	}
	return x
}

func (p *parser) parseNot() Expr {
	if p.kind() == NOT {
		start := p.next().Pos
		return &Unary{At: At{start}, Op: NOT, X: p.parseNot()}
	}
	return p.parseCompare()
}

func (p *parser) cmpOp() (CmpOp, bool) {
	switch p.kind() {
	case EQ:
		return CmpEQ, true
	case NE:
		return CmpNE, true
	case LT:
		return CmpLT, true
	case LE:
		return CmpLE, true
	case GT:
		return CmpGT, true
	case GE:
		return CmpGE, true
	case IN:
		return CmpIn, true
	case NOT:
		if p.peekKind(1) == IN {
			return CmpNotIn, true
		}
	case IS:
		if p.peekKind(1) == NOT {
			return CmpIsNot, true
		}
		return CmpIs, true
	}
	return 0, false
}

func (p *parser) takeCmpOp() (CmpOp, bool) {
	op, ok := p.cmpOp()
	if !ok {
		return 0, false
	}
	p.next()
	if op == CmpNotIn || op == CmpIsNot {
		p.next()
	}
	return op, true
}

func (p *parser) parseCompare() Expr {
	start := p.pos()
	x := p.parseBitOr()
	op, ok := p.takeCmpOp()
	if !ok {
		return x
	}
	c := &Compare{At: At{start}, Elts: []Expr{x}}
	for ok {
		c.Ops = append(c.Ops, op)
		c.Elts = append(c.Elts, p.parseBitOr())
		op, ok = p.takeCmpOp()
	}
	return c
}

func (p *parser) binLevel(next func() Expr, ops ...Token) Expr {
	start := p.pos()
	x := next()
	for {
		k := p.kind()
		found := false
		for _, o := range ops {
			if k == o {
				found = true
				break
			}
		}
		if !found {
			return x
		}
		p.next()
		x = &Binary{At: At{start}, Op: k, X: x, Y: next()}
	}
}

func (p *parser) parseBitOr() Expr  { return p.binLevel(p.parseBitXor, PIPE) }
func (p *parser) parseBitXor() Expr { return p.binLevel(p.parseBitAnd, CARET) }
func (p *parser) parseBitAnd() Expr { return p.binLevel(p.parseShift, AMP) }
func (p *parser) parseShift() Expr  { return p.binLevel(p.parseArith, LSHIFT, RSHIFT) }
func (p *parser) parseArith() Expr  { return p.binLevel(p.parseTerm, PLUS, MINUS) }
func (p *parser) parseTerm() Expr {
	return p.binLevel(p.parsePower, STAR, SLASH, DSLASH, PERCENT, AT)
}

// parsePower: ** is right-associative and binds looser than unary minus (Jac).
func (p *parser) parsePower() Expr {
	start := p.pos()
	x := p.parseUnary()
	if p.kind() == DSTAR {
		p.next()
		return &Binary{At: At{start}, Op: DSTAR, X: x, Y: p.parsePower()}
	}
	return x
}

func (p *parser) parseUnary() Expr {
	switch p.kind() {
	case MINUS, PLUS, TILDE:
		t := p.next()
		x := p.parseUnary()
		return &Unary{At: At{t.Pos}, Op: t.Kind, X: x}
	}
	return p.parseConnect()
}

func (p *parser) parseConnect() Expr {
	start := p.pos()
	x := p.parseAPipe()
	for {
		c := &Connect{At: At{start}, Left: x}
		switch p.kind() {
		case CARROW_R:
			p.next()
			c.Dir = DirOut
		case CARROW_L:
			p.next()
			c.Dir = DirIn
		case CARROW_BI:
			p.next()
			c.Dir = DirAny
		case CARROW_R_P1:
			p.next()
			c.Edge = p.parseConnEdge()
			c.Assign = p.parseConnAssign()
			p.expect(CARROW_R_P2)
			c.Dir = DirOut
		case CARROW_L_P1:
			p.next()
			c.Edge = p.parseConnEdge()
			c.Assign = p.parseConnAssign()
			if p.got(CARROW_R_P2) {
				c.Dir = DirAny
			} else {
				p.expect(CARROW_L_P2)
				c.Dir = DirIn
			}
		case DEL:
			if !isArrow(p.peekKind(1)) {
				return x
			}
			p.next()
			c.Disconnect = true
			hop := p.parseHop()
			c.Dir = hop.Dir
			c.Edge = hop.Type
		default:
			return x
		}
		c.Right = p.parseAPipe()
		x = c
	}
}

// parseConnEdge is the edge of a typed connect: E, E(...), or e := E(...).
func (p *parser) parseConnEdge() Expr {
	if p.kind() == NAME && p.peekKind(1) == WALRUS {
		start := p.pos()
		name := p.name()
		p.next()
		return &Walrus{At: At{start}, Name: name, X: p.parsePostfix()}
	}
	return p.parsePostfix()
}

// parseConnAssign parses the ": f=v, ..." of +>: E : f=v :+>.
func (p *parser) parseConnAssign() []Arg {
	if !p.got(COLON) {
		return nil
	}
	var out []Arg
	for {
		name := p.name()
		p.expect(ASSIGN)
		out = append(out, Arg{Name: name, Value: p.parseExpr()})
		if !p.got(COMMA) {
			return out
		}
	}
}

func isArrow(k Token) bool {
	switch k {
	case ARROW_R, ARROW_L, ARROW_BI, ARROW_R_P1, ARROW_L_P1:
		return true
	}
	return false
}

func (p *parser) parseAPipe() Expr     { return p.forwardPipe(A_PIPE_FWD, p.parseABackPipe) }
func (p *parser) parseABackPipe() Expr { return p.backwardPipe(A_PIPE_BKWD, p.parseSpawn) }

func (p *parser) parseSpawn() Expr {
	start := p.pos()
	x := p.parseRef()
	for p.kind() == SPAWN {
		p.next()
		x = &Spawn{At: At{start}, X: x, Y: p.parseRef()}
	}
	return x
}

func (p *parser) parseRef() Expr {
	start := p.pos()
	switch p.kind() {
	case AMP:
		p.next()
		return &Unary{At: At{start}, Op: AMP, X: p.parseRef()}
	case AWAIT:
		p.next()
		return &Await{At: At{start}, X: p.parseRef()}
	case STAR:
		p.next()
		return &Starred{At: At{start}, X: p.parseRef()}
	}
	return p.parsePostfix()
}

func (p *parser) parsePostfix() Expr {
	start := p.pos()
	x := p.parseAtom()
	for {
		switch p.kind() {
		case DOT:
			p.next()
			x = &Attr{At: At{start}, X: x, Name: p.attrName()}
		case QDOT:
			p.next()
			x = &Attr{At: At{start}, X: x, Name: p.attrName(), NullSafe: true}
		case LPAREN:
			switch p.peekKind(1) {
			case QUESTION:
				x = fuseNodeFilter(p.parseFilter(x).(*Filter))
			case ASSIGN:
				p.next()
				p.next()
				ac := &AssignComp{At: At{start}, X: x}
				ac.Args = p.parseArgs(RPAREN)
				p.expect(RPAREN)
				x = ac
			default:
				p.next()
				c := &Call{At: At{start}, Fn: x}
				c.Args = p.parseArgs(RPAREN)
				p.expect(RPAREN)
				x = c
			}
		case LBRACK:
			x = p.parseSubscript(x, start)
		case QUESTION:
			if p.peekKind(1) != LBRACK {
				return x
			}
			p.next()
			ix := p.parseSubscript(x, start)
			if i, ok := ix.(*Index); ok {
				i.NullSafe = true
			}
			x = ix
		default:
			return x
		}
	}
}

func (p *parser) parseSubscript(x Expr, start Pos) Expr {
	p.next()
	var elts []Expr
	for {
		elts = append(elts, p.parseSliceItem())
		if !p.got(COMMA) {
			break
		}
		if p.kind() == RBRACK {
			break
		}
	}
	p.expect(RBRACK)
	if len(elts) == 1 {
		return &Index{At: At{start}, X: x, Index: elts[0]}
	}
	return &Index{At: At{start}, X: x, Index: &TupleExpr{At: At{start}, Elts: elts}}
}

func (p *parser) parseSliceItem() Expr {
	start := p.pos()
	var lo Expr
	if p.kind() != COLON {
		lo = p.parseExpr()
		if p.kind() != COLON {
			return lo
		}
	}
	s := &Slice{At: At{start}, Lo: lo}
	p.expect(COLON)
	if p.kind() != COLON && p.kind() != RBRACK && p.kind() != COMMA {
		s.Hi = p.parseExpr()
	}
	if p.got(COLON) {
		if p.kind() != RBRACK && p.kind() != COMMA {
			s.Step = p.parseExpr()
		}
	}
	return s
}

func (p *parser) parseFilter(x Expr) Expr {
	start := p.pos()
	p.expect(LPAREN)
	p.expect(QUESTION)
	f := &Filter{At: At{start}, X: x}
	if p.got(COLON) {
		f.Type = p.parseBitOr()
		if !p.got(COMMA) {
			p.expect(RPAREN)
			return f
		}
	}
	f.Conds = p.parseFilterConds(RPAREN)
	p.expect(RPAREN)
	return f
}

func (p *parser) parseFilterConds(end Token) []FilterCond {
	var conds []FilterCond
	for p.kind() != end {
		c := FilterCond{P: p.pos(), Field: p.name()}
		op, ok := p.takeCmpOp()
		if !ok {
			p.errorf(p.pos(), "expected a comparison in filter, found %s", p.describe(p.tok()))
		}
		c.Op = op
		c.Value = p.parseBitOr()
		conds = append(conds, c)
		if !p.got(COMMA) {
			break
		}
	}
	return conds
}

func (p *parser) parseArgs(end Token) []Arg {
	var args []Arg
	for p.kind() != end {
		switch {
		case p.kind() == STAR:
			p.next()
			args = append(args, Arg{Value: p.parseExpr(), Star: 1})
		case p.kind() == DSTAR:
			p.next()
			args = append(args, Arg{Value: p.parseExpr(), Star: 2})
		case (p.kind() == NAME || p.kind().IsKeyword()) && p.peekKind(1) == ASSIGN:
			name := p.next().Text
			p.next()
			args = append(args, Arg{Name: name, Value: p.parseExpr()})
		default:
			start := p.pos()
			x := p.parseExpr()
			if p.kind() == FOR {
				x = p.parseCompTail(start, LPAREN, x, nil)
			}
			args = append(args, Arg{Value: x})
		}
		if !p.got(COMMA) {
			break
		}
	}
	return args
}

func (p *parser) parseLambda() Expr {
	start := p.expect(LAMBDA).Pos
	l := &Lambda{At: At{start}}
	if p.kind() == LPAREN {
		p.next()
		l.Params = p.parseParams(RPAREN, true)
		p.expect(RPAREN)
		if p.got(ARROW) {
			p.parseTypeExpr()
		}
		if p.kind() == LBRACE {
			l.Block, _ = p.parseFuncBlock()
			return l
		}
		p.expect(COLON)
		l.Body = p.parseExpr()
		return l
	}
	// Typed parameters first (lambda x: int, y: int : x + y); on failure, untyped
	// (lambda x, y: x - y).
	save := p.i
	if params, ok := p.tryTypedLambdaParams(); ok {
		l.Params = params
		if p.got(ARROW) {
			p.parseTypeExpr()
		}
		if p.kind() == LBRACE {
			l.Block, _ = p.parseFuncBlock()
			return l
		}
		p.expect(COLON)
		l.Body = p.parseExpr()
		return l
	}
	p.i = save
	l.Params = p.parseParams(COLON, false)
	p.expect(COLON)
	l.Body = p.parseExpr()
	return l
}

func (p *parser) tryTypedLambdaParams() (params []*Param, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, isErr := r.(*Error); !isErr {
				panic(r)
			}
			params, ok = nil, false
		}
	}()
	if p.kind() == COLON {
		return nil, true
	}
	params = p.parseParams(COLON, true)
	typed := false
	for _, prm := range params {
		if prm.Type != nil {
			typed = true
		}
	}
	switch p.kind() {
	case COLON, ARROW:
		return params, typed
	case LBRACE:
		return params, typed
	}
	return nil, false
}

func (p *parser) parseAtom() Expr {
	t := p.tok()
	start := t.Pos
	switch t.Kind {
	case NAME:
		p.next()
		return &Ident{At: At{start}, Name: t.Text}
	case SELF, HERE, VISITOR:
		p.next()
		return &Ident{At: At{start}, Name: t.Text}
	case ROOT:
		p.next()
		return &RootExpr{At{start}}
	case SUPER:
		p.next()
		if p.kind() == LPAREN && p.peekKind(1) == RPAREN {
			p.next()
			p.next()
		}
		return &SuperExpr{At{start}}
	case INT, FLOAT, TRUE, FALSE, NONE, ELLIPSIS:
		p.next()
		return &Const{At: At{start}, Kind: t.Kind, Text: t.Text}
	case STRING, BYTES, FSTRING:
		return p.parseStrings()
	case LPAREN:
		return p.parseParen()
	case LBRACK:
		return p.parseListOrEdgeRef()
	case LBRACE:
		return p.parseDictOrSet()
	case LAMBDA:
		return p.parseLambda()
	case PIPE_FWD, A_PIPE_FWD, SPAWN:
		// a prefix pipe (or spawn) calls its operand with no arguments: :> f is f()
		p.next()
		return &Call{At: At{start}, Fn: p.parsePostfix()}
	case ARROW_R, ARROW_L, ARROW_BI, ARROW_R_P1, ARROW_L_P1:
		p.errorf(start, "an edge reference needs brackets: [%s ...]", t.Kind)
	}
	if t.Kind.IsKeyword() && softName(t.Kind) {
		p.next()
		return &Ident{At: At{start}, Name: t.Text}
	}
	p.errorf(start, "unexpected %s", p.describe(t))
	return nil
}

func (p *parser) parseStrings() Expr {
	start := p.pos()
	var parts []FPart
	isF, isBytes, isStr := false, false, false
	for {
		t := p.tok()
		switch t.Kind {
		case STRING:
			isStr = true
			parts = append(parts, FPart{Lit: t.Text})
		case BYTES:
			isBytes = true
			parts = append(parts, FPart{Lit: t.Text})
		case FSTRING:
			isF = true
			parts = append(parts, p.parseFString(t)...)
		default:
			goto done
		}
		p.next()
	}
done:
	if isBytes && (isStr || isF) {
		p.errorf(start, "cannot mix bytes and nonbytes literals")
	}
	if !isF {
		var b strings.Builder
		for _, pt := range parts {
			b.WriteString(pt.Lit)
		}
		k := STRING
		if isBytes {
			k = BYTES
		}
		return &Const{At: At{start}, Kind: k, Text: b.String()}
	}
	return &FString{At: At{start}, Parts: mergeLits(parts)}
}

func mergeLits(parts []FPart) []FPart {
	var out []FPart
	for _, pt := range parts {
		if pt.Expr == nil && len(out) > 0 && out[len(out)-1].Expr == nil {
			out[len(out)-1].Lit += pt.Lit
			continue
		}
		if pt.Expr == nil && pt.Lit == "" {
			continue
		}
		out = append(out, pt)
	}
	return out
}

// parseFString splits an f-string body into literal parts and replacement fields.
func (p *parser) parseFString(t *Tok) []FPart {
	parts, err := splitFString(p.file, t.Text, t.Raw, t.Pos)
	if err != nil {
		panic(err)
	}
	return parts
}

func splitFString(file, body string, raw bool, at Pos) ([]FPart, *Error) {
	var parts []FPart
	var lit strings.Builder
	flush := func() error {
		if lit.Len() == 0 {
			return nil
		}
		s, err := Unquote(lit.String(), raw, false)
		if err != nil {
			return err
		}
		parts = append(parts, FPart{Lit: s})
		lit.Reset()
		return nil
	}
	fail := func(msg string) ([]FPart, *Error) {
		return nil, &Error{File: file, Pos: at, Msg: "f-string: " + msg}
	}
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == '\\' && i+1 < len(body) && !raw:
			lit.WriteByte(c)
			lit.WriteByte(body[i+1])
			i += 2
		case c == '{' && i+1 < len(body) && body[i+1] == '{':
			lit.WriteByte('{')
			i += 2
		case c == '}' && i+1 < len(body) && body[i+1] == '}':
			lit.WriteByte('}')
			i += 2
		case c == '}':
			return fail("single '}' is not allowed")
		case c == '{':
			if err := flush(); err != nil {
				return fail(err.Error())
			}
			end, field, ferr := scanField(body, i+1)
			if ferr != "" {
				return fail(ferr)
			}
			part, perr := parseField(file, field, raw, at)
			if perr != nil {
				return nil, perr
			}
			parts = append(parts, part)
			i = end + 1
		default:
			lit.WriteByte(c)
			i++
		}
	}
	if err := flush(); err != nil {
		return fail(err.Error())
	}
	return parts, nil
}

// scanField finds the '}' closing the replacement field starting at i.
func scanField(body string, i int) (int, string, string) {
	depth := 0
	start := i
	for i < len(body) {
		c := body[i]
		switch c {
		case '\'', '"':
			q := c
			i++
			for i < len(body) && body[i] != q {
				if body[i] == '\\' {
					i++
				}
				i++
			}
		case '(', '[', '{':
			depth++
		case ')', ']':
			depth--
		case '}':
			if depth == 0 {
				return i, body[start:i], ""
			}
			depth--
		}
		i++
	}
	return 0, "", "expecting '}'"
}

func parseField(file, field string, raw bool, at Pos) (FPart, *Error) {
	// split expr [=] [!conv] [:spec] at depth 0
	depth := 0
	exprEnd, conv, specStart := len(field), byte(0), -1
	debug := ""
	for i := 0; i < len(field); i++ {
		c := field[i]
		switch c {
		case '\'', '"':
			q := c
			i++
			for i < len(field) && field[i] != q {
				if field[i] == '\\' {
					i++
				}
				i++
			}
			continue
		case '(', '[', '{':
			depth++
			continue
		case ')', ']', '}':
			depth--
			continue
		}
		if depth != 0 {
			continue
		}
		if c == '!' && i+1 < len(field) && field[i+1] != '=' {
			exprEnd = min(exprEnd, i)
			conv = field[i+1]
			if i+2 < len(field) {
				if field[i+2] != ':' {
					return FPart{}, &Error{File: file, Pos: at, Msg: "f-string: invalid conversion character"}
				}
				specStart = i + 3
			}
			break
		}
		if c == '=' && i+1 < len(field) && (field[i+1] == '!' || field[i+1] == ':') || c == '=' && i+1 == len(field) {
			if i > 0 && strings.ContainsRune("=!<>", rune(field[i-1])) {
				continue
			}
			exprEnd = i
			debug = field[:i+1]
			if i+1 < len(field) && field[i+1] == '!' {
				if i+2 >= len(field) {
					return FPart{}, &Error{File: file, Pos: at, Msg: "f-string: missing conversion character"}
				}
				conv = field[i+2]
				if i+3 < len(field) && field[i+3] == ':' {
					specStart = i + 4
				}
			} else if i+1 < len(field) {
				specStart = i + 2
			}
			break
		}
		if c == ':' {
			exprEnd = i
			specStart = i + 1
			break
		}
	}
	if conv != 0 && conv != 'r' && conv != 's' && conv != 'a' {
		return FPart{}, &Error{File: file, Pos: at, Msg: "f-string: invalid conversion character: expected 's', 'r', or 'a'"}
	}
	src := field[:exprEnd]
	if strings.TrimSpace(src) == "" {
		return FPart{}, &Error{File: file, Pos: at, Msg: "f-string: empty expression not allowed"}
	}
	x, err := ParseExpr(file, "("+src+")", at)
	if err != nil {
		if e, ok := err.(*Error); ok {
			return FPart{}, e
		}
		return FPart{}, &Error{File: file, Pos: at, Msg: err.Error()}
	}
	part := FPart{Expr: x, Conv: conv, Debug: debug}
	if debug != "" && conv == 0 && specStart < 0 {
		part.Conv = 'r'
	}
	if specStart >= 0 {
		spec, perr := splitFString(file, field[specStart:], true, at)
		if perr != nil {
			return FPart{}, perr
		}
		if len(spec) == 0 {
			spec = []FPart{{Lit: ""}}
		}
		part.Spec = spec
	}
	return part, nil
}

func (p *parser) parseParen() Expr {
	start := p.expect(LPAREN).Pos
	if p.got(RPAREN) {
		return &TupleExpr{At: At{start}}
	}
	if p.kind() == YIELD {
		y := p.parseYield()
		p.expect(RPAREN)
		return y
	}
	if p.kind() == DEF || p.kind() == ASYNC && p.peekKind(1) == DEF {
		f := &FuncExpr{At: At{start}, Def: p.parseAbility(nil)}
		p.expect(RPAREN)
		return f
	}
	x := p.parseExpr()
	switch p.kind() {
	case FOR:
		c := p.parseCompTail(start, LPAREN, x, nil)
		p.expect(RPAREN)
		return c
	case COMMA:
		elts := []Expr{x}
		for p.got(COMMA) {
			if p.kind() == RPAREN {
				break
			}
			elts = append(elts, p.parseExpr())
		}
		p.expect(RPAREN)
		return &TupleExpr{At: At{start}, Elts: elts}
	}
	p.expect(RPAREN)
	return x
}

func (p *parser) parseCompTail(start Pos, kind Token, elt, value Expr) Expr {
	c := &Comp{At: At{start}, Kind: kind, Elt: elt, Value: value}
	for p.kind() == FOR || p.kind() == ASYNC && p.peekKind(1) == FOR {
		cf := CompFor{}
		if p.got(ASYNC) {
			cf.Async = true
		}
		p.expect(FOR)
		cf.Target = p.parseCompTarget()
		p.expect(IN)
		cf.Iter = p.parseOr()
		for p.kind() == IF {
			p.next()
			cf.Ifs = append(cf.Ifs, p.parseOrNoTernary())
		}
		c.Fors = append(c.Fors, cf)
	}
	return c
}

func (p *parser) parseOrNoTernary() Expr {
	if p.kind() == NAME && p.peekKind(1) == WALRUS {
		return p.parseWalrus()
	}
	return p.parseOr()
}

func (p *parser) parseCompTarget() Expr {
	start := p.pos()
	t := p.parseTarget()
	if p.kind() == COMMA {
		// Python allows `for k, v in` inside comprehensions.
		elts := []Expr{t}
		for p.got(COMMA) {
			elts = append(elts, p.parseTarget())
		}
		t = &TupleExpr{At: At{start}, Elts: elts}
	}
	p.checkTarget(t)
	return t
}

func (p *parser) parseListOrEdgeRef() Expr {
	start := p.expect(LBRACK).Pos
	if p.got(RBRACK) {
		return &ListExpr{At: At{start}, Elts: []Expr{}}
	}
	edgesOnly := false
	if (p.kind() == EDGE || p.kind() == NODE) && p.peekKind(1) != COMMA && p.peekKind(1) != RBRACK && p.peekKind(1) != DOT && p.peekKind(1) != FOR && p.peekKind(1) != ASSIGN {
		edgesOnly = p.next().Kind == EDGE
		if isArrow(p.kind()) {
			return p.parseEdgeRefTail(start, nil, edgesOnly)
		}
		origin := p.parseBitOr()
		return p.parseEdgeRefTail(start, origin, edgesOnly)
	}
	if isArrow(p.kind()) {
		return p.parseEdgeRefTail(start, nil, false)
	}
	x := p.parseExpr()
	if isArrow(p.kind()) {
		return p.parseEdgeRefTail(start, x, false)
	}
	if p.kind() == FOR {
		c := p.parseCompTail(start, LBRACK, x, nil)
		p.expect(RBRACK)
		return c
	}
	elts := []Expr{x}
	for p.got(COMMA) {
		if p.kind() == RBRACK {
			break
		}
		elts = append(elts, p.parseExpr())
	}
	p.expect(RBRACK)
	return &ListExpr{At: At{start}, Elts: elts}
}

func (p *parser) parseEdgeRefTail(start Pos, origin Expr, edgesOnly bool) Expr {
	r := &EdgeRef{At: At{start}, Origin: origin, EdgesOnly: edgesOnly}
	for isArrow(p.kind()) {
		h := p.parseHop()
		switch {
		case p.kind() == LPAREN && p.peekKind(1) == QUESTION:
			f := p.parseFilter(nil).(*Filter)
			h.NodeType, h.NodeConds = f.Type, f.Conds
		case !isArrow(p.kind()) && p.kind() != RBRACK:
			h.Node = p.parsePostfix()
		}
		r.Hops = append(r.Hops, h)
	}
	p.expect(RBRACK)
	return r
}

// parseHop parses one arrow: --> <-- <--> ->:T:-> <-:T:<- <-:T:-> with optional filters.
func (p *parser) parseHop() EdgeHop {
	var h EdgeHop
	switch p.next().Kind {
	case ARROW_R:
		h.Dir = DirOut
	case ARROW_L:
		h.Dir = DirIn
	case ARROW_BI:
		h.Dir = DirAny
	case ARROW_R_P1, ARROW_L_P1:
		opener := p.toks[p.i-1].Kind
		if p.kind() != COLON && p.kind() != ARROW_R_P2 && p.kind() != ARROW_L_P2 {
			h.Type = p.parsePostfix()
		}
		if p.got(COLON) {
			h.Conds = p.parseFilterConds(ARROW_R_P2)
		}
		switch p.kind() {
		case ARROW_R_P2:
			p.next()
			if opener == ARROW_R_P1 {
				h.Dir = DirOut
			} else {
				h.Dir = DirAny
			}
		case ARROW_L_P2:
			p.next()
			h.Dir = DirIn
		default:
			p.errorf(p.pos(), "expected ':->' or ':<-' to close the edge type, found %s", p.describe(p.tok()))
		}
	}
	return h
}

func (p *parser) parseDictOrSet() Expr {
	start := p.expect(LBRACE).Pos
	if p.got(RBRACE) {
		return &DictExpr{At: At{start}}
	}
	if p.got(DSTAR) {
		d := &DictExpr{At: At{start}}
		d.Items = append(d.Items, DictItem{Value: p.parseBitOr()})
		return p.finishDict(d)
	}
	x := p.parseExpr()
	if p.got(COLON) {
		v := p.parseExpr()
		if p.kind() == FOR {
			c := p.parseCompTail(start, LBRACE, x, v)
			p.expect(RBRACE)
			return c
		}
		d := &DictExpr{At: At{start}, Items: []DictItem{{Key: x, Value: v}}}
		return p.finishDict(d)
	}
	if p.kind() == FOR {
		c := p.parseCompTail(start, LBRACE, x, nil)
		p.expect(RBRACE)
		return c
	}
	s := &SetExpr{At: At{start}, Elts: []Expr{x}}
	for p.got(COMMA) {
		if p.kind() == RBRACE {
			break
		}
		s.Elts = append(s.Elts, p.parseExpr())
	}
	p.expect(RBRACE)
	return s
}

func (p *parser) finishDict(d *DictExpr) Expr {
	for p.got(COMMA) {
		if p.kind() == RBRACE {
			break
		}
		if p.got(DSTAR) {
			d.Items = append(d.Items, DictItem{Value: p.parseBitOr()})
			continue
		}
		k := p.parseExpr()
		p.expect(COLON)
		d.Items = append(d.Items, DictItem{Key: k, Value: p.parseExpr()})
	}
	p.expect(RBRACE)
	return d
}
