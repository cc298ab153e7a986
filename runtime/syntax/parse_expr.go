package syntax

// Expressions, loosest first: lambda and ternary, walrus, pipes, boolean and
// comparison operators, arithmetic, spawn, postfix chains, atoms, displays and
// comprehensions.

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
