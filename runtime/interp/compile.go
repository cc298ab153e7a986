package interp

import (
	"fmt"

	"github.com/jacscale/jac/runtime/syntax"
)

type (
	exprFn func(fr *Frame) Value
	stmtFn func(fr *Frame) ctrl
	ctrl   uint8
)

const (
	ctrlNone ctrl = iota
	ctrlBreak
	ctrlContinue
	ctrlReturn
	ctrlRaise // an exception is pending on the thread (raise.go)
	ctrlYield // a resumable generator body suspends (resume.go)
)

// compiler turns one module's syntax tree into closures.
type compiler struct {
	prog  *Program
	mod   *Module
	file  string
	res   *resolver
	sc    *scope
	ctx   *fnContext
	impls map[string]*syntax.Impl
}

// fnContext describes the function being compiled.
type fnContext struct {
	archKind  ClassKind // kind of the enclosing archetype (0: none)
	ability   bool
	isGen     bool
	yields    int // yield expressions compiled so far (resume.go)
	className string
	loopDepth int
	inSwitch  int
}

func (c *compiler) errorf(pos syntax.Pos, format string, args ...any) {
	panic(&syntax.Error{File: c.file, Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// binding is how a name is reached from the current scope.
type binding struct {
	kind bindKind
	slot int
	name string
}

type bindKind uint8

const (
	bindLocal bindKind = iota
	bindCell
	bindFree
	bindGlobal
)

func (c *compiler) lookup(name string) binding {
	for cur := c.sc; cur != nil; cur = cur.parent {
		if cur.kind == scopeModule || cur.globals[name] {
			return binding{kind: bindGlobal, slot: c.mod.slot(name), name: name}
		}
		if slot, ok := cur.bound[name]; ok && !cur.nonlocals[name] {
			if cur.frame == c.sc.frame {
				if cur.cells[name] {
					return binding{kind: bindCell, slot: slot, name: name}
				}
				return binding{kind: bindLocal, slot: slot, name: name}
			}
			idx, ok := c.sc.frame.freeIdx[name]
			if !ok {
				c.errorf(syntax.Pos{}, "internal: unresolved free variable %s", name)
			}
			return binding{kind: bindFree, slot: idx, name: name}
		}
	}
	return binding{kind: bindGlobal, slot: c.mod.slot(name), name: name}
}

func (c *compiler) loadName(pos syntax.Pos, name string) exprFn {
	b := c.lookup(name)
	switch b.kind {
	case bindLocal:
		slot := b.slot
		return func(fr *Frame) Value {
			if v := fr.locals[slot]; v != nil {
				return v
			}
			fr.pos = pos
			return unboundLocal(fr, name)
		}
	case bindCell:
		slot := b.slot
		return func(fr *Frame) Value {
			if v := fr.locals[slot].(*Cell).V; v != nil {
				return v
			}
			fr.pos = pos
			return unboundLocal(fr, name)
		}
	case bindFree:
		idx := b.slot
		return func(fr *Frame) Value {
			if v := fr.cells[idx].V; v != nil {
				return v
			}
			fr.pos = pos
			fr.th.Raise(NameErrorClass, "cannot access free variable '%s' where it is not associated with a value in enclosing scope", name)
			return nil
		}
	}
	mod, slot := c.mod, b.slot
	if _, boundHere := c.res.mod.bound[name]; !boundHere {
		if bv, ok := builtins[name]; ok {
			return func(fr *Frame) Value {
				if v := mod.globals[slot]; v != nil {
					return v
				}
				return bv
			}
		}
	}
	return func(fr *Frame) Value {
		if v := mod.globals[slot]; v != nil {
			return v
		}
		if bv, ok := builtins[name]; ok {
			return bv
		}
		fr.pos = pos
		fr.th.Raise(NameErrorClass, "name '%s' is not defined", name)
		return nil
	}
}

func unboundLocal(fr *Frame, name string) Value {
	switch name {
	case "self":
		fr.th.Raise(NameErrorClass, "name 'self' is not defined")
	case "here", "visitor":
		fr.th.Raise(NameErrorClass, "name '%s' is not defined", name)
	}
	fr.th.Raise(UnboundLocalErrorClass, "cannot access local variable '%s' where it is not associated with a value", name)
	return nil
}

// storeName returns a setter for a name.
func (c *compiler) storeName(name string) func(fr *Frame, v Value) {
	b := c.lookup(name)
	switch b.kind {
	case bindLocal:
		slot := b.slot
		return func(fr *Frame, v Value) { fr.locals[slot] = v }
	case bindCell:
		slot := b.slot
		return func(fr *Frame, v Value) { fr.locals[slot].(*Cell).V = v }
	case bindFree:
		idx := b.slot
		return func(fr *Frame, v Value) { fr.cells[idx].V = v }
	}
	mod, slot := c.mod, b.slot
	return func(fr *Frame, v Value) { mod.globals[slot] = v }
}

// ---- Module compilation ----

// compileModule compiles a module body into its top-level code.
func (c *compiler) compileModule(m *syntax.Module) *Code {
	c.res = resolveModule(m)
	c.sc = c.res.mod
	c.ctx = &fnContext{}
	c.impls = map[string]*syntax.Impl{}
	collectImpls(c.impls, m.Body)
	body := c.block(m.Body)
	code := &Code{Name: "<module>", QualName: "<module>", File: c.file, VarArgs: -1, KwArgs: -1}
	code.Body = body
	code.NLocals = c.res.mod.nslots
	return code
}

func collectImpls(out map[string]*syntax.Impl, body []syntax.Stmt) {
	for _, st := range body {
		if im, ok := st.(*syntax.Impl); ok {
			out[joinDots(im.Target)] = im
		}
	}
}

// block compiles a statement list.
func (c *compiler) block(body []syntax.Stmt) stmtFn {
	var fns []stmtFn
	for _, s := range body {
		if f := c.stmt(s); f != nil {
			fns = append(fns, f)
		}
	}
	switch len(fns) {
	case 0:
		return func(*Frame) ctrl { return ctrlNone }
	case 1:
		return fns[0]
	case 2:
		a, b := fns[0], fns[1]
		return func(fr *Frame) ctrl {
			if r := a(fr); r != ctrlNone {
				return r
			}
			return b(fr)
		}
	}
	return func(fr *Frame) ctrl {
		for _, f := range fns {
			if r := f(fr); r != ctrlNone {
				return r
			}
		}
		return ctrlNone
	}
}
