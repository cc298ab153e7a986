package syntax

import (
	"fmt"
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

func (p *parser) tok() *Tok { return &p.toks[p.i] }

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
