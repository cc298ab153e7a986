package syntax

// Object-spatial expressions: connect and disconnect, edge references with
// their hops, and filter comprehensions.

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
