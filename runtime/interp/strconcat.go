package interp

import (
	"slices"
	"unsafe"

	"github.com/jacscale/jac/runtime/syntax"
)

// minGrowConcat is the shortest result of s + t that is built in a buffer with
// room to grow; shorter results are plain Go concatenations.
const minGrowConcat = 64

// concat is s + t as a Value: a short result in one allocation (strValue), a
// long one by concatStr.
func (th *Thread) concat(s, t Str) Value {
	if n := len(s) + len(t); n < minGrowConcat && len(s) > 0 && len(t) > 0 {
		return strValue(string(s), string(t))
	}
	return th.concatStr(s, t)
}

// concatStr is s + t. Repeated `s += t` is linear, not quadratic: the result of a
// long concatenation is a prefix of a buffer with spare capacity (the thread's last
// such buffer), and when s is exactly that prefix, t is appended in place. Only
// bytes past every string handed out so far are written, so no str ever changes.
func (th *Thread) concatStr(s, t Str) Str {
	if len(t) == 0 {
		return s
	}
	n := len(s) + len(t)
	if th == nil || n < minGrowConcat {
		return s + t
	}
	b := th.concatBuf
	if len(b) == len(s) && len(s) > 0 && unsafe.StringData(string(s)) == unsafe.SliceData(b) && cap(b)-len(b) >= len(t) {
		b = append(b, t...)
	} else {
		b = make([]byte, n, 2*n)
		copy(b, s)
		copy(b[len(s):], t)
	}
	th.concatBuf = b
	return Str(unsafe.String(unsafe.SliceData(b), len(b)))
}

// A chain of + down the left (`"id" + str(i)`, `a + ":" + b + "\n"`) whose
// operands include a str literal, an f-string or a str(x) call is compiled as a
// whole (strChain): the operands are evaluated in order and, while they are all
// strs, only collected; the result is built once, in one allocation. str(x) of
// an int is written as digits into that result without a str of its own. As
// soon as an operand is not a str, the strs so far are joined and the chain goes
// on as Python's left-to-right + would (binaryValues), so any other types,
// __add__/__radd__ and errors behave as before.

// chainLeaf is one operand of a str chain: an expression, or a call of the name
// str on one positional argument.
type chainLeaf struct {
	expr   exprFn // the operand (nil for a str(...) call)
	callee exprFn // str(arg): what the name str is at run time
	arg    exprFn
	call   syntax.Pos // of the str(...) call
	pos    syntax.Pos // of the + that adds this operand
}

// maxChainParts is how many operands a str chain collects on the stack, and
// maxChainDigits how many bytes of str(int) digits (the Go stack zeroes both
// on every evaluation, so they are kept small).
const (
	maxChainParts  = 8
	maxChainDigits = 64
)

// strChain compiles x as a str chain, or returns nil when x is not one.
func (c *compiler) strChain(x *syntax.Binary) exprFn {
	if x.Op != syntax.PLUS {
		return nil
	}
	var nodes []*syntax.Binary
	for e := syntax.Expr(x); ; {
		b, ok := e.(*syntax.Binary)
		if !ok || b.Op != syntax.PLUS {
			break
		}
		nodes = append(nodes, b)
		e = b.X
	}
	operands := make([]syntax.Expr, 0, len(nodes)+1)
	operands = append(operands, nodes[len(nodes)-1].X)
	for i := len(nodes) - 1; i >= 0; i-- {
		operands = append(operands, nodes[i].Y)
	}
	if len(operands) > maxChainParts || !slices.ContainsFunc(operands, isStrOperand) {
		return nil
	}
	leaves := make([]chainLeaf, len(operands))
	for i, e := range operands {
		if i > 0 {
			leaves[i].pos = nodes[len(nodes)-i].P
		}
		if call, ok := strCall(e); ok {
			leaves[i].callee, leaves[i].arg, leaves[i].call = c.expr(call.Fn), c.expr(call.Args[0].Value), call.P
			continue
		}
		leaves[i].expr = c.expr(e)
	}
	return func(fr *Frame) Value { return fr.th.runStrChain(fr, leaves) }
}

// isStrOperand reports whether e certainly or very likely gives a str: a str
// literal, an f-string or a str(x) call.
func isStrOperand(e syntax.Expr) bool {
	switch x := e.(type) {
	case *syntax.Const:
		return x.Kind == syntax.STRING
	case *syntax.FString:
		return true
	}
	_, ok := strCall(e)
	return ok
}

// strCall returns e as a call of the name str with one positional argument.
func strCall(e syntax.Expr) (*syntax.Call, bool) {
	call, ok := e.(*syntax.Call)
	if !ok || len(call.Args) != 1 || call.Args[0].Star != 0 || call.Args[0].Name != "" {
		return nil, false
	}
	id, ok := call.Fn.(*syntax.Ident)
	return call, ok && id.Name == "str"
}

// runStrChain evaluates a str chain's operands in order.
func (th *Thread) runStrChain(fr *Frame, leaves []chainLeaf) Value {
	var (
		partBuf [maxChainParts]string
		digits  [maxChainDigits]byte
		acc     Value // the value so far, once the operands stopped being strs
	)
	np, used := 0, 0 // parts collected, bytes of digits taken
	for i := range leaves {
		l := &leaves[i]
		var v Value
		if l.expr != nil {
			v = l.expr(fr)
		} else {
			f, a := l.callee(fr), l.arg(fr)
			if n, ok := a.(Int); ok && acc == nil && f == Value(StrClass) && used+20 <= maxChainDigits {
				k := putDecimal(digits[used:], int64(n))
				partBuf[np] = unsafe.String(&digits[used], k)
				np++
				used += k
				continue
			}
			args := [1]Value{a}
			fr.pos = l.call
			if v = th.invokeStack(f, args[:]); isRaised(v) {
				th.throwPending()
			}
		}
		if acc == nil {
			if s, ok := v.(Str); ok {
				partBuf[np] = string(s)
				np++
				continue
			}
			if i == 0 {
				acc = v
				continue
			}
			acc = th.joinChain(partBuf[:np])
		}
		fr.pos = l.pos
		acc = binaryValues(th, syntax.PLUS, acc, v)
	}
	if acc != nil {
		return acc
	}
	return th.joinChain(partBuf[:np])
}

// putDecimal writes n in decimal at the start of b (room for 20 bytes) and
// returns its length.
func putDecimal(b []byte, n int64) int {
	var tmp [20]byte
	i := len(tmp)
	u := uint64(n)
	if n < 0 {
		u = uint64(-n)
	}
	for u >= 10 {
		i--
		tmp[i] = byte('0' + u%10)
		u /= 10
	}
	i--
	tmp[i] = byte('0' + u)
	if n < 0 {
		i--
		tmp[i] = '-'
	}
	return copy(b, tmp[i:])
}

// joinChain is the concatenation of a str chain's parts as a new str; the
// parts may point into the caller's stack, and the result never does. A long
// result is built as concatStr builds one, in the thread's buffer with room to
// grow, so that `s = s + t + u` in a loop appends in place as `s += t` does.
func (th *Thread) joinChain(parts []string) Value {
	size := 0
	for _, p := range parts {
		size += len(p)
	}
	if size == 0 {
		return Str("")
	}
	if size < minGrowConcat {
		v, b := newStrBlock(size)
		w := 0
		for _, p := range parts {
			w += copy(b[w:], p)
		}
		return v
	}
	b := th.concatBuf
	if first := parts[0]; len(first) == 0 || len(b) != len(first) || unsafe.StringData(first) != unsafe.SliceData(b) || cap(b)-len(b) < size-len(first) {
		b = make([]byte, 0, 2*size)
	} else {
		parts = parts[1:] // s is the buffer's contents: append the rest in place
	}
	for _, p := range parts {
		b = append(b, p...)
	}
	th.concatBuf = b
	return Str(unsafe.String(unsafe.SliceData(b), len(b)))
}
