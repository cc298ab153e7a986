package interp

import (
	"errors"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	"github.com/jacscale/jac/runtime/syntax"
)

func (c *compiler) exprs(xs []syntax.Expr) []exprFn {
	out := make([]exprFn, len(xs))
	for i, x := range xs {
		out[i] = c.expr(x)
	}
	return out
}

func (c *compiler) expr(e syntax.Expr) exprFn {
	pos := e.Start()
	switch x := e.(type) {
	case *syntax.Ident:
		return c.loadName(pos, x.Name)
	case *syntax.Const:
		v := c.constant(x)
		return func(*Frame) Value { return v }
	case *syntax.FString:
		return c.fstring(x.Parts)
	case *syntax.RootExpr:
		return func(fr *Frame) Value { return fr.th.root() }
	case *syntax.SuperExpr:
		self := c.loadName(pos, "self")
		return func(fr *Frame) Value {
			var owner *Class
			if fr.fn != nil {
				owner = fr.fn.Owner
			}
			if owner == nil {
				fr.th.Raise(RuntimeErrorClass, "super(): no class in this context")
			}
			return &Super{cls: owner, self: self(fr)}
		}
	case *syntax.ListExpr:
		return c.seqBuilder(x.Elts, func(_ *Thread, v []Value) Value { return newListOf(v) })
	case *syntax.TupleExpr:
		return c.seqBuilder(x.Elts, func(_ *Thread, v []Value) Value { return Tuple(v) })
	case *syntax.SetExpr:
		folded := len(x.Elts) > 2 && allConst(x.Elts)
		return c.seqBuilder(x.Elts, func(th *Thread, v []Value) Value {
			s := NewSet()
			for _, e := range v {
				s.Add(th, e) // th: an element's __hash__ may be Jac code
			}
			if folded {
				// CPython folds a display of 3+ constants into a frozenset constant;
				// the reference runs cached bytecode, and marshal writes a set's
				// elements sorted by their own marshal bytes, so the loaded constant
				// is built in that order. The new set is merged from it. With
				// collisions the slot order (which we print in, as CPython does)
				// depends on that insertion order.
				s = marshalOrdered(th, s)
				out := NewSet()
				out.merge(th, s)
				s = out
			}
			return s
		})
	case *syntax.DictExpr:
		return c.dictExpr(x)
	case *syntax.Starred:
		c.errorf(pos, "can't use starred expression here")
	case *syntax.Comp:
		return c.comp(x)
	case *syntax.Unary:
		return c.unary(x)
	case *syntax.Binary:
		return c.localBinary(x, c.binary(x))
	case *syntax.BoolOp:
		a, b := c.expr(x.X), c.expr(x.Y)
		if x.Op == syntax.AND {
			return func(fr *Frame) Value {
				v := a(fr)
				if !Truth(fr.th, v) {
					return v
				}
				return b(fr)
			}
		}
		return func(fr *Frame) Value {
			v := a(fr)
			if Truth(fr.th, v) {
				return v
			}
			return b(fr)
		}
	case *syntax.Compare:
		return c.compare(x)
	case *syntax.IfExpr:
		return ifValue(c.cond(x.Cond), c.expr(x.Then), c.expr(x.Else))
	case *syntax.Lambda:
		return c.lambda(x)
	case *syntax.FuncExpr:
		return c.funcDef(x.Def, 0, "")
	case *syntax.Call:
		return c.call(x)
	case *syntax.Attr:
		return c.attr(x)
	case *syntax.Index:
		obj, key := c.expr(x.X), c.expr(x.Index)
		if x.NullSafe {
			return func(fr *Frame) Value {
				o := obj(fr)
				if o == None {
					return None
				}
				return safeItem(fr.th, o, key(fr))
			}
		}
		generic := func(fr *Frame) Value {
			o, k := obj(fr), key(fr)
			if v, ok := listItem(o, k); ok {
				return v
			}
			fr.pos = pos
			return GetItem(fr.th, o, k)
		}
		return c.localIndex(x, generic) // localops.go
	case *syntax.Slice:
		lo, hi, st := c.optExpr(x.Lo), c.optExpr(x.Hi), c.optExpr(x.Step)
		return func(fr *Frame) Value { return &SliceObj{Start: lo(fr), Stop: hi(fr), Step: st(fr)} }
	case *syntax.Walrus:
		v := c.expr(x.X)
		store := c.storeName(x.Name)
		return func(fr *Frame) Value {
			r := v(fr)
			store(fr, r)
			return r
		}
	case *syntax.Await:
		v := c.expr(x.X)
		return func(fr *Frame) Value { return fr.th.Await(v(fr)) }
	case *syntax.YieldExpr:
		return c.yieldExpr(x)
	case *syntax.Spawn:
		a, b := c.expr(x.X), c.expr(x.Y)
		return func(fr *Frame) Value { fr.pos = pos; return fr.th.Spawn(a(fr), b(fr)) }
	case *syntax.Connect:
		return c.connect(x)
	case *syntax.EdgeRef:
		return c.edgeRef(x, false)
	case *syntax.Filter:
		return c.filter(x)
	case *syntax.AssignComp:
		obj := c.expr(x.X)
		names := make([]string, len(x.Args))
		vals := make([]exprFn, len(x.Args))
		for i, a := range x.Args {
			names[i] = a.Name
			vals[i] = c.expr(a.Value)
		}
		return func(fr *Frame) Value {
			o := obj(fr)
			for i, n := range names {
				v := vals[i](fr)
				Iterate(fr.th, o, func(it Value) bool { SetAttr(fr.th, it, n, v); return true })
			}
			return o
		}
	}
	c.errorf(pos, "unsupported expression %T", e)
	return nil
}

func (c *compiler) optExpr(e syntax.Expr) exprFn {
	if e == nil {
		return func(*Frame) Value { return None }
	}
	return c.expr(e)
}

func (c *compiler) constant(x *syntax.Const) Value {
	switch x.Kind {
	case syntax.INT:
		return parseIntLit(x.Text)
	case syntax.FLOAT:
		f, err := strconv.ParseFloat(strings.ReplaceAll(x.Text, "_", ""), 64)
		if err != nil {
			if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
				c.errorf(x.P, "invalid float literal %s", x.Text)
			}
		}
		return Float(f)
	case syntax.STRING:
		return Str(x.Text)
	case syntax.BYTES:
		return Bytes(x.Text)
	case syntax.TRUE:
		return True
	case syntax.FALSE:
		return False
	case syntax.NONE:
		return None
	case syntax.ELLIPSIS:
		return Ellipsis
	}
	return None
}

func parseIntLit(text string) Value {
	t := strings.ReplaceAll(text, "_", "")
	base := 10
	if len(t) > 1 && t[0] == '0' {
		switch t[1] | 0x20 {
		case 'x':
			base, t = 16, t[2:]
		case 'o':
			base, t = 8, t[2:]
		case 'b':
			base, t = 2, t[2:]
		}
	}
	if i, err := strconv.ParseInt(t, base, 64); err == nil {
		return MakeInt(i)
	}
	b, _ := new(big.Int).SetString(t, base)
	if b == nil {
		return MakeInt(0)
	}
	return MakeBigInt(b)
}

func (c *compiler) fstring(parts []syntax.FPart) exprFn {
	type piece struct {
		lit     string
		expr    exprFn
		conv    byte
		spec    exprFn
		literal string   // the spec when it has no expressions (the common {x:.2f})
		parsed  *fmtSpec // literal, parsed ahead (nil if invalid: raises when run)
		dbg     string
	}
	ps := make([]piece, len(parts))
	size := 0 // a first guess of the result's length
	for i, p := range parts {
		ps[i] = piece{lit: p.Lit, conv: p.Conv, dbg: p.Debug}
		size += len(p.Lit) + len(p.Debug)
		if p.Expr != nil {
			size += 8
			ps[i].expr = c.expr(p.Expr)
			if lit, ok := literalSpec(p.Spec); ok {
				ps[i].literal, ps[i].parsed = lit, parseSpecAhead(lit)
			} else {
				ps[i].spec = c.fstring(p.Spec)
			}
		}
	}
	return func(fr *Frame) Value {
		var small [64]byte
		b := small[:0]
		if size > len(small) {
			b = make([]byte, 0, size)
		}
		th := fr.th
		for _, p := range ps {
			if p.expr == nil {
				b = append(b, p.lit...)
				continue
			}
			b = append(b, p.dbg...)
			v := p.expr(fr)
			switch p.conv {
			case 'r':
				v = Str(Repr(th, v))
			case 's':
				v = Str(ToStr(th, v))
			case 'a':
				v = Str(asciiRepr(th, v))
			}
			spec, parsed := p.literal, p.parsed
			if p.spec != nil {
				spec, parsed = string(p.spec(fr).(Str)), nil
			}
			if spec != "" {
				b = appendFormatted(b, th, v, spec, parsed)
				continue
			}
			switch x := v.(type) {
			case Str:
				b = append(b, x...)
			case Int:
				b = strconv.AppendInt(b, int64(x), 10)
			default:
				b = append(b, ToStr(th, v)...)
			}
		}
		return strValue(unsafe.String(unsafe.SliceData(b), len(b)), "")
	}
}

// literalSpec returns an f-string format spec that has no expressions, as text.
func literalSpec(spec []syntax.FPart) (string, bool) {
	var lit strings.Builder
	for _, p := range spec {
		if p.Expr != nil {
			return "", false
		}
		lit.WriteString(p.Lit)
	}
	return lit.String(), true
}

// allConst reports whether every expression is one CPython's optimizer folds to
// a constant (literals, signs, arithmetic on them, tuples of them).
func allConst(es []syntax.Expr) bool {
	for _, e := range es {
		if !isConst(e) {
			return false
		}
	}
	return true
}

func isConst(e syntax.Expr) bool {
	switch x := e.(type) {
	case *syntax.Const:
		return true
	case *syntax.Unary:
		return x.Op != syntax.STAR && x.Op != syntax.AMP && isConst(x.X)
	case *syntax.Binary:
		return isConst(x.X) && isConst(x.Y)
	case *syntax.TupleExpr:
		return allConst(x.Elts)
	}
	return false
}

// safeItem is o?[k]: o[k], or None when there is no such item.
func safeItem(th *Thread, o, k Value) Value {
	var v Value
	err := th.Protect(func() { v = GetItem(th, o, k) })
	if err == nil {
		return v
	}
	var exc *Exception
	if errors.As(err, &exc) && (exc.Value.cls.IsSubclass(IndexErrorClass) || exc.Value.cls.IsSubclass(KeyErrorClass)) {
		return None
	}
	panic(err)
}

// seqBuilder compiles list/tuple/set displays with *unpacking.
func (c *compiler) seqBuilder(elts []syntax.Expr, mk func(*Thread, []Value) Value) exprFn {
	hasStar := false
	for _, e := range elts {
		if _, ok := e.(*syntax.Starred); ok {
			hasStar = true
		}
	}
	if !hasStar {
		fns := c.exprs(elts)
		return func(fr *Frame) Value {
			vals := make([]Value, len(fns))
			for i, f := range fns {
				vals[i] = f(fr)
			}
			return mk(fr.th, vals)
		}
	}
	type item struct {
		f    exprFn
		star bool
	}
	items := make([]item, len(elts))
	for i, e := range elts {
		if s, ok := e.(*syntax.Starred); ok {
			items[i] = item{c.expr(s.X), true}
		} else {
			items[i] = item{c.expr(e), false}
		}
	}
	return func(fr *Frame) Value {
		var vals []Value
		for _, it := range items {
			if it.star {
				vals = append(vals, ToSlice(fr.th, it.f(fr))...)
			} else {
				vals = append(vals, it.f(fr))
			}
		}
		if vals == nil {
			vals = []Value{}
		}
		return mk(fr.th, vals)
	}
}

func (c *compiler) dictExpr(x *syntax.DictExpr) exprFn {
	type item struct{ k, v exprFn }
	items := make([]item, len(x.Items))
	for i, it := range x.Items {
		if it.Key != nil {
			items[i].k = c.expr(it.Key)
		}
		items[i].v = c.expr(it.Value)
	}
	return func(fr *Frame) Value {
		d := NewDict()
		for _, it := range items {
			if it.k == nil {
				src := it.v(fr)
				mergeInto(fr.th, d, src)
				continue
			}
			k := it.k(fr)
			d.Set(fr.th, k, it.v(fr))
		}
		return d
	}
}

func mergeInto(th *Thread, d *Dict, src Value) {
	switch s := src.(type) {
	case *Dict:
		for _, kv := range s.Items() {
			d.Set(th, kv.Key, kv.Value)
		}
	default:
		keys, _ := th.CallMethod(src, "keys")
		if keys == nil {
			th.TypeError("'%s' object is not a mapping", TypeName(src))
		}
		Iterate(th, keys, func(k Value) bool { d.Set(th, k, GetItem(th, src, k)); return true })
	}
}

func (c *compiler) unary(x *syntax.Unary) exprFn {
	v := c.expr(x.X)
	pos := x.P
	switch x.Op {
	case syntax.NOT:
		return func(fr *Frame) Value { return MakeBool(!Truth(fr.th, v(fr))) }
	case syntax.AMP:
		return func(fr *Frame) Value { return fr.th.jobj(v(fr)) }
	case syntax.MINUS:
		if k, ok := x.X.(*syntax.Const); ok && (k.Kind == syntax.INT || k.Kind == syntax.FLOAT) {
			r := Unary(nil, syntax.MINUS, c.constant(k))
			return func(*Frame) Value { return r }
		}
	}
	op := x.Op
	return func(fr *Frame) Value {
		a := v(fr)
		if i, ok := a.(Int); ok && op == syntax.MINUS && i > -1<<62 {
			return MakeInt(-int64(i))
		}
		fr.pos = pos
		return Unary(fr.th, op, a)
	}
}

func (c *compiler) binary(x *syntax.Binary) exprFn {
	if fn := c.strChain(x); fn != nil { // strconcat.go
		return fn
	}
	if rawArithOp(x.Op) && (hasArithOperand(x.X, x.Y) || isItemRead(x.X) || isItemRead(x.Y)) {
		return c.numExpr(x) // numeric.go, listnum.go: one box for the whole tree
	}
	a, b := c.expr(x.X), c.expr(x.Y)
	op := x.Op
	pos := x.P
	switch op {
	case syntax.PLUS:
		return func(fr *Frame) Value {
			l, r := a(fr), b(fr)
			if li, ok := l.(Int); ok {
				if ri, ok := r.(Int); ok {
					s := li + ri
					if (s > li) == (ri > 0) {
						return MakeInt(int64(s))
					}
				}
			} else if ls, ok := l.(Str); ok {
				if rs, ok := r.(Str); ok {
					return fr.th.concat(ls, rs)
				}
			}
			if v, ok := floatArith(op, l, r); ok {
				return v
			}
			fr.pos = pos
			return Binary(fr.th, op, l, r)
		}
	case syntax.MINUS:
		return func(fr *Frame) Value {
			l, r := a(fr), b(fr)
			if li, ok := l.(Int); ok {
				if ri, ok := r.(Int); ok {
					s := li - ri
					if (s < li) == (ri > 0) {
						return MakeInt(int64(s))
					}
				}
			}
			if v, ok := floatArith(op, l, r); ok {
				return v
			}
			fr.pos = pos
			return Binary(fr.th, op, l, r)
		}
	}
	return func(fr *Frame) Value {
		l, r := a(fr), b(fr)
		if li, ok := l.(Int); ok {
			if ri, ok := r.(Int); ok {
				if v, ok := intOp(fr.th, op, int64(li), int64(ri)); ok {
					return v
				}
			}
		}
		if v, ok := floatArith(op, l, r); ok {
			return v
		}
		fr.pos = pos
		return Binary(fr.th, op, l, r)
	}
}

func compareOp(th *Thread, op syntax.CmpOp, a, b Value) bool {
	switch op {
	case syntax.CmpEQ:
		if _, ok := a.(*Instance); ok {
			return Equal(th, a, b) // == calls __eq__ even on the same object (a Decimal NaN)
		}
		return Identical(a, b) && !isNaN(a) || Equal(th, a, b)
	case syntax.CmpNE:
		if x, ok := a.(*Instance); ok {
			if m, _ := x.cls.Lookup("__ne__"); m != nil {
				return Truth(th, th.callMethod(x, m, []Value{b}, nil))
			}
		}
		if _, ok := a.(*Instance); ok {
			return !Equal(th, a, b)
		}
		return !(Identical(a, b) && !isNaN(a) || Equal(th, a, b))
	case syntax.CmpLT:
		return Compare(th, a, b, opLT)
	case syntax.CmpLE:
		return Compare(th, a, b, opLE)
	case syntax.CmpGT:
		return Compare(th, a, b, opGT)
	case syntax.CmpGE:
		return Compare(th, a, b, opGE)
	case syntax.CmpIn:
		return Contains(th, b, a)
	case syntax.CmpNotIn:
		return !Contains(th, b, a)
	case syntax.CmpIs:
		return Identical(a, b)
	case syntax.CmpIsNot:
		return !Identical(a, b)
	}
	return false
}

func isNaN(v Value) bool {
	f, ok := v.(Float)
	return ok && f != f
}

func (c *compiler) compare(x *syntax.Compare) exprFn {
	elts := c.exprs(x.Elts)
	ops := x.Ops
	pos := x.P
	if len(ops) == 1 {
		cond := c.cond(x)
		return func(fr *Frame) Value { return MakeBool(cond(fr)) }
	}
	return func(fr *Frame) Value {
		fr.pos = pos
		left := elts[0](fr)
		for i, op := range ops {
			right := elts[i+1](fr)
			if !compareOp(fr.th, op, left, right) {
				return False
			}
			left = right
		}
		return True
	}
}

// ---- Calls ----

type argSpec struct {
	pos    []exprFn
	star   []bool
	kwName []string
	kwVal  []exprFn
	kwStar []bool // **expr
	simple bool
}

func (c *compiler) args(args []syntax.Arg) *argSpec {
	s := &argSpec{simple: true}
	for _, a := range args {
		switch {
		case a.Star == 1:
			s.pos = append(s.pos, c.expr(a.Value))
			s.star = append(s.star, true)
			s.simple = false
		case a.Star == 2:
			s.kwName = append(s.kwName, "")
			s.kwVal = append(s.kwVal, c.expr(a.Value))
			s.kwStar = append(s.kwStar, true)
			s.simple = false
		case a.Name != "":
			s.kwName = append(s.kwName, a.Name)
			s.kwVal = append(s.kwVal, c.expr(a.Value))
			s.kwStar = append(s.kwStar, false)
		default:
			s.pos = append(s.pos, c.expr(a.Value))
			s.star = append(s.star, false)
		}
	}
	return s
}

func (s *argSpec) eval(fr *Frame) ([]Value, []KV) {
	var args []Value
	if s.simple {
		if len(s.pos) > 0 {
			args = make([]Value, len(s.pos))
			for i, f := range s.pos {
				args[i] = f(fr)
			}
		}
	} else {
		for i, f := range s.pos {
			if s.star[i] {
				args = append(args, ToSlice(fr.th, f(fr))...)
			} else {
				args = append(args, f(fr))
			}
		}
	}
	if len(s.kwName) == 0 {
		return args, nil
	}
	kw := make([]KV, 0, len(s.kwName))
	for i, f := range s.kwVal {
		if s.kwStar[i] {
			v := f(fr)
			d, ok := v.(*Dict)
			if !ok {
				fr.th.TypeError("argument after ** must be a mapping, not %s", TypeName(v))
			}
			for _, kv := range d.Items() {
				k, ok := kv.Key.(Str)
				if !ok {
					fr.th.TypeError("keywords must be strings")
				}
				kw = append(kw, KV{string(k), kv.Value})
			}
			continue
		}
		kw = append(kw, KV{s.kwName[i], f(fr)})
	}
	return args, kw
}

// maxStackArgs is the most positional arguments a call evaluates into a buffer on
// the Go stack instead of a heap slice.
const maxStackArgs = 8

// positionalOnly reports whether the call passes plain positional arguments that fit
// the stack buffer.
func (s *argSpec) positionalOnly() bool {
	return s.simple && len(s.kwName) == 0 && len(s.pos) <= maxStackArgs
}

// callStack calls f with args, which may live on the caller's stack: Jac functions
// read them into their frame; anything else gets a heap copy.
func (th *Thread) callStack(f Value, args []Value) Value {
	return th.valueOrThrow(th.invokeStack(f, args))
}

// invokeStack is callStack for a statement's call: a Jac callee's exception may
// come back as raisedValue (raise.go).
func (th *Thread) invokeStack(f Value, args []Value) Value {
	switch fn := f.(type) {
	case *Function:
		return fn.invokePositional(th, nil, args)
	case *BoundMethod:
		if uf, ok := fn.Fn.(*Function); ok {
			return uf.invokePositional(th, fn.Self, args)
		}
	case *Class:
		if o, ok := th.constructStack(fn, args); ok {
			return o
		}
		if borrowingConstructor(fn) {
			return th.constructLending(fn, args)
		}
	case *Builtin:
		if fn.borrowsArgs && fn.Method == nil {
			return th.callLending(fn, args)
		}
	}
	return th.Call(f, slices.Clone(args), nil)
}

// callBuiltinMethod calls a built-in method with arguments that may live on the
// caller's stack: a core type's method borrows them from the thread's argument
// stack (no allocation), any other gets a heap copy.
func (th *Thread) callBuiltinMethod(b *Builtin, self Value, args []Value) Value {
	if !b.borrowsArgs {
		return b.Method(th, self, slices.Clone(args), nil)
	}
	lent, base := th.lendArgs(args)
	r := b.Method(th, self, lent, nil)
	th.returnArgs(base)
	return r
}

// invokeMethodStack is callMethod for arguments that may live on the caller's stack.
// Like invokeStack, it returns raisedValue for a Jac method's exception.
func (th *Thread) invokeMethodStack(self Value, m Value, args []Value) Value {
	switch f := m.(type) {
	case *Function:
		return f.invokePositional(th, self, args)
	case *Builtin:
		if f.Method != nil {
			return th.callBuiltinMethod(f, self, args)
		}
	}
	return th.callMethod(self, m, slices.Clone(args), nil)
}

func (c *compiler) call(x *syntax.Call) exprFn { return c.compileCall(x, callMode{}) }

// callMode is what a call site does with its callee's outcome.
type callMode struct {
	// mayRaise: the caller is a statement, which takes a Jac callee's exception
	// as raisedValue instead of a panic (raise.go).
	mayRaise bool
	// ownsGen: the caller only iterates the value, so a generator that a
	// generator function creates right here is owned by it (see generator.owned).
	ownsGen bool
}

// compileCall compiles a call made in the given mode. Only calls with plain
// positional arguments take the mode into account; the others raise and own as
// any expression does.
func (c *compiler) compileCall(x *syntax.Call, mode callMode) exprFn {
	if fn := c.builtinOverGenExpr(x); fn != nil {
		return fn
	}
	pos := x.P
	if mode.mayRaise {
		if argFns, ok := c.raisingArgs(x.Args); ok { // raise.go
			return c.callPositional(x, argFns, mode)
		}
	}
	args := c.args(x.Args)
	if args.positionalOnly() {
		return c.callPositional(x, args.pos, mode)
	}
	if at, ok := x.Fn.(*syntax.Attr); ok && !at.NullSafe {
		recv := c.expr(at.X)
		site := &methodSite{name: at.Name}
		return func(fr *Frame) Value {
			r := recv(fr)
			fr.pos = pos
			f, self := fr.th.resolveMethod(r, site)
			a, kw := args.eval(fr)
			fr.pos = pos
			if self != nil {
				return fr.th.callMethod(self, f, a, kw)
			}
			return fr.th.Call(f, a, kw)
		}
	}
	fn := c.expr(x.Fn)
	return func(fr *Frame) Value {
		f := fn(fr)
		a, kw := args.eval(fr)
		fr.pos = pos
		return fr.th.Call(f, a, kw)
	}
}

// listItem is o[k] for a list o and an int index k in range (ok false otherwise).
func listItem(o, k Value) (Value, bool) {
	if l, ok := o.(*List); ok {
		if i, ok := k.(Int); ok {
			n := Int(l.Len())
			if i < 0 {
				i += n
			}
			if i >= 0 && i < n {
				return l.at(int(i)), true
			}
		}
	}
	return nil, false
}

// stmtIndex compiles o[k] as a statement's value: a plain dict's missing key is
// a KeyError returned as raisedValue, not a panic (the `try { v = d[k]; } except
// KeyError` idiom).
func (c *compiler) stmtIndex(x *syntax.Index) exprFn {
	obj, key, pos := c.expr(x.X), c.expr(x.Index), x.Start()
	return func(fr *Frame) Value {
		o, k := obj(fr), key(fr)
		if v, ok := listItem(o, k); ok {
			return v
		}
		fr.pos = pos
		if d, ok := o.(*Dict); ok && d.Default == nil && d.cls == nil {
			if v, ok := d.Get(fr.th, k); ok {
				return v
			}
			exc := keyError(fr.th, k)
			fr.th.prepareRaise(exc)
			fr.th.setPending(exc)
			return raisedValue
		}
		return GetItem(fr.th, o, k)
	}
}

// ifValue is a conditional expression: a when cond holds, else b.
func ifValue(cond func(*Frame) bool, a, b exprFn) exprFn {
	return func(fr *Frame) Value {
		if cond(fr) {
			return a(fr)
		}
		return b(fr)
	}
}

// iterSource compiles what a for loop or a builtin consumer only iterates: a
// generator that a generator function called right here creates, or a generator
// expression written here, is owned by the consumer, since nothing else can
// reach it (see generator.owned).
func (c *compiler) iterSource(e syntax.Expr) exprFn {
	switch x := e.(type) {
	case *syntax.Call:
		return c.compileCall(x, callMode{ownsGen: true})
	case *syntax.Comp:
		if x.Kind == syntax.LPAREN {
			gen := c.expr(x)
			return func(fr *Frame) Value {
				v := gen(fr)
				if g, ok := v.(*generator); ok {
					g.owned = true
				}
				return v
			}
		}
	}
	return c.expr(e)
}

// ownIfFresh marks v owned when it is the generator that callee, a generator
// function, has just created.
func ownIfFresh(callee Value, v Value) {
	g, ok := v.(*generator)
	if !ok || g.started {
		return
	}
	if bm, ok := callee.(*BoundMethod); ok {
		callee = bm.Fn
	}
	if f, ok := callee.(*Function); ok && f.code.IsGen {
		g.owned = true
	}
}

// callPositional compiles a call with only positional arguments: they are
// evaluated into a buffer on the Go stack, and a Jac callee copies them into its
// frame. The mode says how the result is handed back (callMode).
func (c *compiler) callPositional(x *syntax.Call, argFns []exprFn, mode callMode) exprFn {
	mayRaise, ownsGen := mode.mayRaise, mode.ownsGen
	pos := x.P
	n := len(argFns)
	if at, ok := x.Fn.(*syntax.Attr); ok && !at.NullSafe {
		var recv exprFn
		if mayRaise {
			recv = c.stmtValue(at.X) // raise.go
		} else {
			recv = c.expr(at.X)
		}
		site := &methodSite{name: at.Name}
		return func(fr *Frame) Value {
			r := recv(fr)
			if mayRaise && isRaised(r) {
				return r
			}
			fr.pos = pos
			f, self := fr.th.resolveMethod(r, site)
			if uf, ok := fastCallOf(f, n+1); ok && self != nil {
				callee := fr.th.newFrame(uf, uf.code)
				callee.locals[0] = self
				for i, e := range argFns {
					if callee.locals[i+1] = e(fr); mayRaise && isRaised(callee.locals[i+1]) {
						return fr.th.abandonCall(callee, callee.locals[i+1])
					}
				}
				fr.pos = pos
				return fastResult(fr.th, fr.th.invokeFast(callee), mayRaise)
			}
			var buf [maxStackArgs]Value
			a := buf[:n]
			done := 0 // arguments already evaluated into a
			if b, ok := f.(*Builtin); ok && self != nil && b.Method != nil {
				var v Value
				if v, done = callBuiltinFixed(fr, b, self, argFns, a, pos, mayRaise); v != nil { // methods_zfast.go
					return v
				}
			}
			for i := done; i < n; i++ {
				if a[i] = argFns[i](fr); mayRaise && isRaised(a[i]) {
					return a[i]
				}
			}
			fr.pos = pos
			var v Value
			if self != nil {
				v = fr.th.invokeMethodStack(self, f, a)
			} else {
				v = fr.th.invokeStack(f, a)
			}
			if !mayRaise && isRaised(v) {
				fr.th.throwPending()
			}
			if ownsGen {
				ownIfFresh(f, v)
			}
			return v
		}
	}
	fn := c.expr(x.Fn)
	return func(fr *Frame) Value {
		f := fn(fr)
		if uf, ok := fastCallOf(f, n); ok {
			callee := fr.th.newFrame(uf, uf.code)
			for i, e := range argFns {
				if callee.locals[i] = e(fr); mayRaise && isRaised(callee.locals[i]) {
					return fr.th.abandonCall(callee, callee.locals[i])
				}
			}
			fr.pos = pos
			return fastResult(fr.th, fr.th.invokeFast(callee), mayRaise)
		}
		if cls, ok := f.(*Class); ok {
			if o := storingConstructor(cls, n); o != nil {
				for i, e := range argFns { // straight into the new instance's fields
					if o.fields[i] = e(fr); mayRaise && isRaised(o.fields[i]) {
						return o.fields[i]
					}
				}
				return o.constructed(fr.th)
			}
		}
		var buf [maxStackArgs]Value
		a := buf[:n]
		for i, e := range argFns {
			if a[i] = e(fr); mayRaise && isRaised(a[i]) {
				return a[i]
			}
		}
		fr.pos = pos
		if mayRaise && n == 1 && f == Value(IntClass) {
			if v, ok := tryIntOfStr(fr.th, a[0]); ok {
				return v
			}
		}
		var v Value
		if fn, ok := f.(*Function); ok { // the common callee, without invokeStack's switch
			v = fn.invokePositional(fr.th, nil, a)
		} else {
			v = fr.th.invokeStack(f, a)
		}
		if !mayRaise && isRaised(v) {
			fr.th.throwPending()
		}
		if ownsGen {
			ownIfFresh(f, v)
		}
		return v
	}
}

// fastResult hands a fast call's result to its caller: in an expression
// (mayRaise false) a pending exception is raised as a panic here.
func fastResult(th *Thread, v Value, mayRaise bool) Value {
	if !mayRaise && isRaised(v) {
		th.throwPending()
	}
	return v
}

// methodSite is a method call site's cache: the class attribute recv.name(...)
// resolved to on the last receiver's class, and the slot of that class's field
// of the same name (-1: none), which shadows the method when it is set.
type methodSite struct {
	name     string
	cls      *Class
	m        Value
	epoch    uint64 // classEpoch when m was looked up: a class attribute set since voids it
	fieldCls *Class // the class field was looked up on
	field    int
}

// method returns the cached method for receiver x, if the cache holds for it.
func (s *methodSite) method(x *Instance) (Value, bool) {
	if !s.holds(x.cls) {
		return nil, false
	}
	if x.more != nil && len(x.more.attrs) != 0 {
		if _, shadowed := x.getExtra(s.name); shadowed { // an own attribute of the name
			return nil, false
		}
	}
	if s.fieldCls != s.cls {
		s.field = -1
		if i, ok := s.cls.fieldIndex[s.name]; ok {
			s.field = i
		}
		s.fieldCls = s.cls
	}
	if s.field >= 0 && x.fields[s.field] != nil {
		return nil, false
	}
	return s.m, true
}

// holds reports whether the cached method is still cls's attribute: the site
// learned it on cls and no class attribute was set since, or one was (anywhere:
// a class-level counter bumps the epoch on every update) and looking the name
// up again finds the same function.
func (s *methodSite) holds(cls *Class) bool {
	if cls != s.cls {
		return false
	}
	if e := classEpoch.Load(); s.epoch != e {
		m, _ := cls.Lookup(s.name)
		if !sameCallable(m, s.m) {
			return false
		}
		s.epoch = e
	}
	return true
}

// sameCallable reports whether a and b are the same Jac or built-in function.
// Other values are never the same here (they may not be comparable).
func sameCallable(a, b Value) bool {
	switch x := a.(type) {
	case *Function:
		y, ok := b.(*Function)
		return ok && x == y
	case *Builtin:
		y, ok := b.(*Builtin)
		return ok && x == y
	}
	return false
}

// learn caches m as the method of cls (a nil site caches nothing).
func (s *methodSite) learn(cls *Class, m Value) {
	if s != nil {
		s.cls, s.m, s.epoch = cls, m, classEpoch.Load()
	}
}

// callAttr calls v.name(args) without allocating a bound method when it can.
func (th *Thread) callAttr(v Value, name string, args []Value, kw []KV) Value {
	return th.callAttrCached(v, name, args, kw, nil)
}

func (th *Thread) callAttrCached(v Value, name string, args []Value, kw []KV, site *methodSite) Value {
	f, self := th.resolveMethodNamed(v, name, site)
	if self != nil {
		return th.callMethod(self, f, args, kw)
	}
	return th.Call(f, args, kw)
}

// resolveMethod is what a call v.name(...) calls, looked up before its
// arguments are evaluated (as CPython's LOAD_ATTR/LOAD_METHOD): a class
// attribute to call as a method of self (self non-nil; the site learns it), or
// any callable (self nil).
func (th *Thread) resolveMethod(v Value, site *methodSite) (f, self Value) {
	switch x := v.(type) {
	case *Instance:
		if m, ok := site.method(x); ok {
			return m, x
		}
	case *Class, *Module, *Super:
	default:
		if site.holds(v.Class()) {
			if b, ok := site.m.(*Builtin); ok {
				return b, v
			}
		}
	}
	return th.resolveMethodNamed(v, site.name, site)
}

// resolveMethodNamed is resolveMethod without the site's cached answer.
func (th *Thread) resolveMethodNamed(v Value, name string, site *methodSite) (f, self Value) {
	switch x := v.(type) {
	case *Instance:
		if i, ok := x.cls.fieldIndex[name]; ok && x.fields[i] != nil {
			return x.fields[i], nil
		}
		if f, ok := x.getExtra(name); ok {
			return f, nil
		}
		if m, _ := x.cls.Lookup(name); m != nil {
			_, isProp := m.(*Property)
			if _, get := descriptorMethod(m, "__get__"); !isProp && get == nil {
				site.learn(x.cls, m)
				return m, x
			}
		}
	case *Class, *Module, *Super, AttrGetter:
	default:
		if m, _ := v.Class().Lookup(name); m != nil {
			if b, ok := m.(*Builtin); ok && b.Method != nil {
				site.learn(v.Class(), m)
				return m, v
			}
		}
	}
	return GetAttr(th, v, name), nil
}

func (c *compiler) attr(x *syntax.Attr) exprFn {
	obj := c.expr(x.X)
	name := x.Name
	pos := x.P
	if x.NullSafe {
		return func(fr *Frame) Value {
			o := obj(fr)
			if o == None {
				return None
			}
			fr.pos = pos
			if v, ok := LookupAttr(fr.th, o, name); ok {
				return v
			}
			return None // x?.missing is None, as in the reference
		}
	}
	if slot, ok := c.localSlot(x.X); ok {
		return localFieldRead(slot, name, pos, obj) // localops.go: self.x
	}
	site := &fieldSite{name: name} // attr.go
	return func(fr *Frame) Value {
		o := obj(fr)
		if inst, ok := o.(*Instance); ok {
			if v, ok := site.read(inst); ok {
				return v
			}
		}
		fr.pos = pos
		return GetAttr(fr.th, o, name)
	}
}

// Super is the value of `super` inside a method.
type Super struct {
	cls  *Class
	self Value
}

func (*Super) Class() *Class { return SuperClass }

// AttrJac looks the name up after cls in self's MRO.
func (s *Super) AttrJac(th *Thread, name string) (Value, bool) {
	mro := s.self.Class().MRO
	if c, ok := s.self.(*Class); ok {
		mro = c.MRO
	}
	found := false
	for _, k := range mro {
		if !found {
			found = k == s.cls
			continue
		}
		if v, ok := ownAttrOrAlias(k, name); ok {
			if _, isCls := s.self.(*Class); isCls {
				return v, true
			}
			return bindAttr(s.self, v), true
		}
	}
	switch name {
	case "init", "__init__", "postinit", "__post_init__":
		return &Builtin{Name: name, Fn: func(th *Thread, args []Value, kw []KV) Value {
			if name == "init" || name == "__init__" {
				o, ok := s.self.(*Instance)
				switch {
				case ok && o.cls.isExc:
					o.excData().args = append(Tuple(nil), args...)
				case ok && o.cls.Kind.IsArchetype():
					// the base archetype's generated (dataclass) init
					if base := s.nextArchetype(); base != nil {
						th.dataclassInitOf(o, base, args, kw)
					}
				}
			}
			return None
		}}, true
	}
	return nil, false
}

// initAliases pairs the Jac and Python spellings of the constructor hooks: a
// `def init` is stored as "init", and `super().__init__(…)` must find it (and
// `super.init()` a base's `def __init__`).
var initAliases = map[string]string{
	"init": "__init__", "__init__": "init",
	"postinit": "__post_init__", "__post_init__": "postinit",
}

// ownAttrOrAlias is k's own attribute name, or, on a class written in Jac, its
// constructor-hook alias (a built-in's __init__ is not a `def init`: super.init
// past the user classes runs the generated init).
func ownAttrOrAlias(k *Class, name string) (Value, bool) {
	if v, ok := k.attrs[name]; ok {
		return v, true
	}
	if alias, ok := initAliases[name]; ok && k.Kind != KindBuiltin {
		v, ok := k.attrs[alias]
		return v, ok
	}
	return nil, false
}

// nextArchetype is the archetype after cls in self's MRO (whose generated init
// super.init runs), or nil.
func (s *Super) nextArchetype() *Class {
	found := false
	for _, k := range s.self.Class().MRO {
		if !found {
			found = k == s.cls
			continue
		}
		if k.Kind.IsArchetype() && len(k.Fields) > 0 {
			return k
		}
	}
	return nil
}

func (c *compiler) yieldExpr(x *syntax.YieldExpr) exprFn {
	if c.ctx != nil {
		c.ctx.yields++
	}
	var v exprFn
	if x.X != nil {
		v = c.expr(x.X)
	}
	if x.From {
		return func(fr *Frame) Value {
			src := v(fr)
			if g, ok := src.(*generator); ok {
				for {
					item, ok := g.next(fr.th)
					if !ok {
						return g.result() // the value of `yield from`
					}
					if sent := fr.yieldValue(item); sent != None {
						g.sent = sent // send() reaches the inner generator
					}
				}
			}
			Iterate(fr.th, src, func(item Value) bool { fr.yieldValue(item); return true })
			return None
		}
	}
	return func(fr *Frame) Value {
		var val Value = None
		if v != nil {
			val = v(fr)
		}
		if fr.gen == nil {
			fr.th.Raise(SyntaxErrorClass, "'yield' outside function")
		}
		return fr.yieldValue(val)
	}
}

// ---- Comprehensions ----

func (c *compiler) comp(x *syntax.Comp) exprFn {
	outer := c.sc
	firstIter := c.iterSource(x.Fors[0].Iter)
	cs := c.res.scopes[x]
	if x.Kind == syntax.LPAREN {
		return c.genExpr(x, cs, firstIter)
	}
	c.sc = cs
	cells := cellSlots(cs) // fresh cells on each evaluation, as Python's comprehension call
	// innermost action
	var action func(fr *Frame, acc Value) bool // adds one item; never stops the loops
	switch {
	case x.Kind == syntax.LBRACE && x.Value != nil:
		k, v := c.expr(x.Elt), c.expr(x.Value)
		action = func(fr *Frame, acc Value) bool { acc.(*Dict).Set(fr.th, k(fr), v(fr)); return true }
	case x.Kind == syntax.LBRACE:
		e := c.expr(x.Elt)
		action = func(fr *Frame, acc Value) bool { acc.(*Set).Add(fr.th, e(fr)); return true }
	default:
		e := c.expr(x.Elt)
		action = func(fr *Frame, acc Value) bool { acc.(*List).appendBuilding(e(fr)); return true }
	}
	loop := c.compLoops(x.Fors, 0, firstIter, action)
	c.sc = outer
	kind, isDict := x.Kind, x.Value != nil
	return func(fr *Frame) Value {
		var acc Value
		switch {
		case kind == syntax.LBRACE && isDict:
			acc = NewDict()
		case kind == syntax.LBRACE:
			acc = NewSet()
		default:
			acc = NewList(nil)
		}
		for _, slot := range cells {
			fr.locals[slot] = &Cell{}
		}
		loop(fr, acc)
		if d, ok := acc.(*Dict); ok {
			d.fitReserved()
		}
		return acc
	}
}

// compLoops builds nested for/if loops; body returns false to stop everything.
func (c *compiler) compLoops(fors []syntax.CompFor, i int, first exprFn, body func(*Frame, Value) bool) func(*Frame, Value) bool {
	f := fors[i]
	iter := first
	if i > 0 {
		iter = c.expr(f.Iter)
	}
	set := c.assignTo(f.Target)
	conds := make([]func(*Frame) bool, len(f.Ifs))
	for j, cond := range f.Ifs {
		conds[j] = c.cond(cond)
	}
	inner := body
	if i+1 < len(fors) {
		inner = c.compLoops(fors, i+1, nil, body)
	}
	cond := allConds(conds)
	slot, isLocal := c.localSlot(f.Target)
	unpack := c.unpackTargetOf(f.Target)                   // unpackiter.go
	presize := i == 0 && len(fors) == 1 && len(conds) == 0 // one item per source item
	return func(fr *Frame, acc Value) bool {
		cont := true
		src := iter(fr)
		if presize {
			switch acc := acc.(type) {
			case *List:
				acc.reserve(lenHint(src))
			case *Dict:
				acc.reserve(lenHint(src))
			}
		}
		if isLocal {
			if done, ok := compOverSequence(fr, src, slot, cond, inner, acc); done {
				return ok
			}
		}
		if unpack != nil && iterateUnpacked(fr.th, src, len(unpack.sets), func(vals []Value) bool {
			unpack.assign(fr, vals)
			if cond != nil && !cond(fr) {
				return true
			}
			if !inner(fr, acc) {
				cont = false
				return false
			}
			return true
		}) {
			return cont
		}
		Iterate(fr.th, src, func(v Value) bool {
			set(fr, v)
			if cond != nil && !cond(fr) {
				return true
			}
			if !inner(fr, acc) {
				cont = false
				return false
			}
			return true
		})
		return cont
	}
}

// compOverSequence runs one `for` of a comprehension whose target is the local
// in slot over a range or a list directly, without Iterate's callback: done
// reports that src was one of those, ok that the loops go on.
func compOverSequence(fr *Frame, src Value, slot int, cond func(*Frame) bool, inner func(*Frame, Value) bool, acc Value) (done, ok bool) {
	th := fr.th
	switch s := src.(type) {
	case *Range:
		n := s.Len()
		for i := int64(0); i < n; i++ {
			fr.locals[slot] = MakeInt(s.At(i))
			if (cond == nil || cond(fr)) && !inner(fr, acc) {
				return true, false
			}
			th.Poll()
		}
		return true, true
	case *List:
		for i := 0; i < s.Len(); i++ {
			fr.locals[slot] = s.at(i)
			if (cond == nil || cond(fr)) && !inner(fr, acc) {
				return true, false
			}
			th.Poll()
		}
		return true, true
	case *rangeIter: // a generator expression's source over a range
		for s.i < s.n {
			s.i++ // advanced first, as Next does: the iterator may be shared
			fr.locals[slot] = MakeInt(s.r.At(s.i - 1))
			if (cond == nil || cond(fr)) && !inner(fr, acc) {
				return true, false
			}
			th.Poll()
		}
		return true, true
	}
	return false, false
}

// allConds is a comprehension's `if`s as one condition (nil when there is none).
func allConds(conds []func(*Frame) bool) func(*Frame) bool {
	switch len(conds) {
	case 0:
		return nil
	case 1:
		return conds[0]
	}
	return func(fr *Frame) bool {
		for _, cond := range conds {
			if !cond(fr) {
				return false
			}
		}
		return true
	}
}

// maxPresize bounds a comprehension's presized list (1 MB of elements), so that
// presizing never allocates past what the memory checks see grow (limits.go);
// a longer result grows by append from there.
const maxPresize = 1 << 16

// lenHint is the number of items iterating v gives, when it is known without
// iterating (0 otherwise), at most maxPresize.
func lenHint(v Value) int {
	switch x := v.(type) {
	case *Range:
		return int(min(x.Len(), maxPresize))
	case *List:
		return min(x.Len(), maxPresize)
	case Tuple:
		return min(len(x), maxPresize)
	}
	return 0
}

func (c *compiler) genExpr(x *syntax.Comp, cs *scope, firstIter exprFn) exprFn {
	outer, outerCtx := c.sc, c.ctx
	c.sc = cs
	c.ctx = &fnContext{isGen: true}
	srcSlot := cs.bound[".0"]
	e := c.expr(x.Elt)
	// acc is nil on the coroutine, or the consumer when run inline (runInline)
	loop := c.compLoops(x.Fors, 0, func(fr *Frame) Value { return fr.locals[srcSlot] }, func(fr *Frame, acc Value) bool {
		if sink, ok := acc.(inlineSink); ok {
			return sink.fn(e(fr))
		}
		fr.yieldValue(e(fr))
		return true
	})
	code := &Code{Name: "<genexpr>", QualName: "<genexpr>", File: c.file, Pos: x.P, VarArgs: -1, KwArgs: -1,
		NLocals: cs.nslots, IsGen: true, NPos: 1, Params: []string{".0"}}
	code.CellSlots = cellSlots(cs)
	code.Body = func(fr *Frame) ctrl { loop(fr, nil); return ctrlNone }
	code.Resume = c.genExprResume(x.Fors, srcSlot, e)
	inline := func(fr *Frame, fn func(Value) bool) { loop(fr, inlineSink{fn}) }
	c.sc, c.ctx = outer, outerCtx
	closure := c.closureMaker(cs)
	mod := c.mod
	return func(fr *Frame) Value {
		src := GetIter(fr.th, firstIter(fr))
		fn := &Function{code: code, module: mod, closure: closure(fr)}
		gfr := fr.th.newFrame(fn, code)
		gfr.locals[srcSlot] = src
		fn.makeCells(gfr)
		g := newGenerator(fr.th, gfr)
		g.inline = inline
		return g
	}
}

// inlineConsumers are the builtins that only iterate their argument: called
// on a generator expression directly, nothing else can reach the generator,
// so Iterate runs its loop inline instead of on a coroutine.
var inlineConsumers = map[string]bool{"sum": true, "any": true, "all": true, "min": true,
	"max": true, "list": true, "tuple": true, "set": true, "dict": true, "sorted": true}

// builtinOverGenExpr compiles name(genexpr) for a name in inlineConsumers, and
// s.join(genexpr); the generator is marked owned only when the name is the
// builtin, or s a str, at run time.
func (c *compiler) builtinOverGenExpr(x *syntax.Call) exprFn {
	if len(x.Args) != 1 || x.Args[0].Name != "" || x.Args[0].Star != 0 {
		return nil
	}
	switch arg := x.Args[0].Value.(type) {
	case *syntax.Comp:
		if arg.Kind != syntax.LPAREN {
			return nil
		}
	case *syntax.Call:
	default:
		return nil
	}
	if at, ok := x.Fn.(*syntax.Attr); ok && at.Name == "join" && !at.NullSafe {
		return c.joinOverGenExpr(at, x)
	}
	name, ok := x.Fn.(*syntax.Ident)
	if !ok || !inlineConsumers[name.Name] {
		return nil
	}
	fn, arg, pos, builtin := c.expr(x.Fn), c.iterSource(x.Args[0].Value), x.P, builtins[name.Name]
	return func(fr *Frame) Value {
		f := fn(fr)
		a := arg(fr)
		keepOwned(a, f == builtin)
		fr.pos = pos
		return fr.th.Call(f, []Value{a}, nil)
	}
}

// keepOwned disowns a generator that iterSource made owned when the consumer
// turned out not to be the builtin that only iterates it.
func keepOwned(v Value, keep bool) {
	if g, ok := v.(*generator); ok && !keep {
		g.owned = false
	}
}

// joinOverGenExpr compiles s.join(genexpr): str.join only iterates its argument.
func (c *compiler) joinOverGenExpr(at *syntax.Attr, x *syntax.Call) exprFn {
	recv, arg, pos := c.expr(at.X), c.iterSource(x.Args[0].Value), x.P
	return func(fr *Frame) Value {
		r := recv(fr)
		a := arg(fr)
		_, isStr := r.(Str)
		keepOwned(a, isStr)
		fr.pos = pos
		return fr.th.callAttr(r, "join", []Value{a}, nil)
	}
}

// cellSlots lists the frame slots of the names bound in s that live in cells.
// A comprehension's own names are not included in its enclosing function's:
// each evaluation of the comprehension makes fresh cells for them.
func cellSlots(s *scope) []int {
	var out []int
	for name := range s.cells {
		if slot, ok := s.bound[name]; ok {
			out = append(out, slot)
		}
	}
	return out
}

// closureMaker returns a function collecting, from the defining frame, the cells a
// nested function scope needs.
func (c *compiler) closureMaker(fs *scope) func(*Frame) []*Cell {
	if len(fs.free) == 0 {
		return func(*Frame) []*Cell { return nil }
	}
	type src struct {
		local bool
		idx   int
	}
	srcs := make([]src, len(fs.free))
	for i, name := range fs.free {
		b := c.lookup(name)
		switch b.kind {
		case bindCell:
			srcs[i] = src{true, b.slot}
		case bindFree:
			srcs[i] = src{false, b.slot}
		default:
			c.errorf(syntax.Pos{}, "internal: free variable %s is not a cell", name)
		}
	}
	return func(fr *Frame) []*Cell {
		out := make([]*Cell, len(srcs))
		for i, s := range srcs {
			if s.local {
				out[i] = fr.locals[s.idx].(*Cell)
			} else {
				out[i] = fr.cells[s.idx]
			}
		}
		return out
	}
}

// ---- Object-spatial expressions ----

func (c *compiler) connect(x *syntax.Connect) exprFn {
	l, r := c.expr(x.Left), c.expr(x.Right)
	var edge exprFn
	if x.Edge != nil {
		edge = c.expr(x.Edge)
	}
	if len(x.Assign) > 0 {
		names := make([]string, len(x.Assign))
		vals := make([]exprFn, len(x.Assign))
		for i, a := range x.Assign {
			names[i], vals[i] = a.Name, c.expr(a.Value)
		}
		typ := edge
		edge = func(fr *Frame) Value {
			spec := &edgeSpec{edge: typ(fr), names: names}
			for _, v := range vals {
				spec.vals = append(spec.vals, v(fr))
			}
			return spec
		}
	}
	dir, disc, pos := x.Dir, x.Disconnect, x.P
	return func(fr *Frame) Value {
		a, b := l(fr), r(fr)
		var ev Value
		if edge != nil {
			ev = edge(fr)
		}
		fr.pos = pos
		if disc {
			return fr.th.Disconnect(a, b, dir, ev)
		}
		return fr.th.Connect(a, b, dir, ev)
	}
}

// implicitOrigin is the origin of [-->] without one: here in walker code, self in
// node and edge code.
func (c *compiler) implicitOrigin(pos syntax.Pos) exprFn {
	if c.ctx.archKind == KindWalker {
		return c.loadName(pos, "here")
	}
	return c.loadName(pos, "self")
}

type hopSpec struct {
	dir       syntax.EdgeDir
	typ       exprFn
	conds     []condSpec
	node      exprFn
	nodeType  exprFn
	nodeConds []condSpec
	// litConds and litNodeConds are conds and nodeConds built once, when every
	// value is a literal (`[->:Link:w > 2:->]`): no slice per evaluation.
	litConds, litNodeConds []Cond
}

type condSpec struct {
	field string
	op    syntax.CmpOp
	val   exprFn
}

func (c *compiler) conds(fs []syntax.FilterCond) []condSpec {
	out := make([]condSpec, len(fs))
	for i, f := range fs {
		out[i] = condSpec{f.Field, f.Op, c.expr(f.Value)}
	}
	return out
}

// evalConds evaluates the conditions' values in fr.
func evalConds(fr *Frame, specs []condSpec) []Cond {
	var out []Cond
	for _, cd := range specs {
		out = append(out, Cond{Field: cd.field, Op: cd.op, Value: cd.val(fr)})
	}
	return out
}

// literalConds returns the conditions with their values when every value is a
// literal, else nil. The slice is shared by every evaluation and never written.
func (c *compiler) literalConds(fs []syntax.FilterCond) []Cond {
	if len(fs) == 0 {
		return nil
	}
	out := make([]Cond, len(fs))
	for i, f := range fs {
		k, ok := f.Value.(*syntax.Const)
		if !ok {
			return nil
		}
		out[i] = Cond{Field: f.Field, Op: f.Op, Value: c.constant(k)}
	}
	return out
}

func (c *compiler) filter(x *syntax.Filter) exprFn {
	src := c.expr(x.X)
	var typ exprFn
	if x.Type != nil {
		typ = c.expr(x.Type)
	}
	conds := c.conds(x.Conds)
	pos := x.P
	return func(fr *Frame) Value {
		s := src(fr)
		fr.pos = pos
		var t Value
		if typ != nil {
			t = typ(fr)
		}
		cs := make([]Cond, len(conds))
		for i, cd := range conds {
			cs[i] = Cond{Field: cd.field, Op: cd.op, Value: cd.val(fr)}
		}
		var out []Value
		th := fr.th
		Iterate(th, s, func(v Value) bool {
			if t != nil && !IsInstance(th, v, t) {
				return true
			}
			if matchConds(th, v, cs) {
				out = append(out, v)
			}
			return true
		})
		return NewList(out)
	}
}

// Cond is one `field op value` filter predicate.
type Cond struct {
	Field string
	Op    syntax.CmpOp
	Value Value
}

func matchConds(th *Thread, v Value, cs []Cond) bool {
	for _, c := range cs {
		if !compareOp(th, c.Op, GetAttr(th, v, c.Field), c.Value) {
			return false
		}
	}
	return true
}
