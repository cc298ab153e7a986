package syntax

// Statements: blocks, assignments, control flow, match/switch and patterns.

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
