package interp

import (
	"strings"

	"github.com/jacscale/jac/runtime/syntax"
)

func (c *compiler) importStmt(x *syntax.Import) stmtFn {
	pos := x.P
	mod := c.mod
	if x.Star && !x.Include {
		c.errorf(pos, "'import from ... { * }' is only allowed in client code")
	}
	if x.Include {
		name := x.Modules[0].Name
		return func(fr *Frame) ctrl {
			fr.pos = pos
			m := fr.th.importModule(mod, name, 0)
			for _, n := range m.Names() {
				if n == "__name__" {
					continue
				}
				v, _ := m.Get(n)
				mod.Set(n, v)
			}
			return ctrlNone
		}
	}
	if len(x.From) > 0 || x.Level > 0 {
		path := strings.Join(x.From, ".")
		type bind struct {
			name  string
			store func(*Frame, Value)
		}
		var binds []bind
		for _, n := range x.Names {
			as := n.Name
			if n.As != "" {
				as = n.As
			}
			binds = append(binds, bind{n.Name, c.storeName(as)})
		}
		level := x.Level
		return func(fr *Frame) ctrl {
			fr.pos = pos
			th := fr.th
			m := th.importModule(mod, path, level)
			for _, b := range binds {
				v, ok := m.Get(b.name)
				if !ok {
					// a submodule of a package
					if sub := tryImport(th, mod, path+"."+b.name, level); sub != nil {
						v, ok = sub, true
					}
				}
				if !ok {
					th.Raise(ImportErrorClass, "cannot import name '%s' from '%s'", b.name, path)
				}
				b.store(fr, v)
			}
			return ctrlNone
		}
	}
	var fns []stmtFn
	for _, n := range x.Modules {
		name := n.Name
		if n.As != "" {
			store := c.storeName(n.As)
			fns = append(fns, func(fr *Frame) ctrl {
				fr.pos = pos
				store(fr, fr.th.importModule(mod, name, 0))
				return ctrlNone
			})
			continue
		}
		first := firstPart(name)
		store := c.storeName(first)
		fns = append(fns, func(fr *Frame) ctrl {
			fr.pos = pos
			m := fr.th.importModule(mod, name, 0)
			if first != name {
				top := fr.th.importModule(mod, first, 0)
				store(fr, top)
				return ctrlNone
			}
			store(fr, m)
			return ctrlNone
		})
	}
	return c.seq(fns)
}

func tryImport(th *Thread, from *Module, name string, level int) (m *Module) {
	err := th.Protect(func() { m = th.importModule(from, name, level) })
	if err != nil {
		return nil
	}
	return m
}

// ---- match ----

type matcher func(fr *Frame, v Value) bool

func (c *compiler) matchStmt(x *syntax.Match) stmtFn {
	subj := c.expr(x.Subject)
	type mcase struct {
		m     matcher
		guard func(*Frame) bool
		body  stmtFn
	}
	var cases []mcase
	for _, cs := range x.Cases {
		mc := mcase{m: c.pattern(cs.Pattern), body: c.block(cs.Body)}
		if cs.Guard != nil {
			mc.guard = c.cond(cs.Guard)
		}
		cases = append(cases, mc)
	}
	pos := x.P
	return func(fr *Frame) ctrl {
		fr.pos = pos
		v := subj(fr)
		for _, cs := range cases {
			if cs.m(fr, v) && (cs.guard == nil || cs.guard(fr)) {
				return cs.body(fr)
			}
		}
		return ctrlNone
	}
}

func (c *compiler) pattern(p syntax.Pattern) matcher {
	switch x := p.(type) {
	case *syntax.PatValue:
		e := c.expr(x.X)
		byIdentity := false
		if k, ok := x.X.(*syntax.Const); ok && (k.Kind == syntax.NONE || k.Kind == syntax.TRUE || k.Kind == syntax.FALSE) {
			byIdentity = true
		}
		return func(fr *Frame, v Value) bool {
			want := e(fr)
			if byIdentity {
				return Identical(v, want)
			}
			return Equal(fr.th, v, want)
		}
	case *syntax.PatCapture:
		if x.Name == "_" {
			return func(*Frame, Value) bool { return true }
		}
		store := c.storeName(x.Name)
		return func(fr *Frame, v Value) bool { store(fr, v); return true }
	case *syntax.PatOr:
		alts := make([]matcher, len(x.Alts))
		for i, a := range x.Alts {
			alts[i] = c.pattern(a)
		}
		return func(fr *Frame, v Value) bool {
			for _, a := range alts {
				if a(fr, v) {
					return true
				}
			}
			return false
		}
	case *syntax.PatAs:
		inner := c.pattern(x.Pat)
		store := c.storeName(x.Name)
		return func(fr *Frame, v Value) bool {
			if inner(fr, v) {
				store(fr, v)
				return true
			}
			return false
		}
	case *syntax.PatSeq:
		return c.seqPattern(x)
	case *syntax.PatMapping:
		keys := c.exprs(x.Keys)
		vals := make([]matcher, len(x.Values))
		for i, v := range x.Values {
			vals[i] = c.pattern(v)
		}
		var rest func(*Frame, Value)
		if x.Rest != "" {
			rest = c.storeName(x.Rest)
		}
		return func(fr *Frame, v Value) bool {
			d, ok := v.(*Dict)
			if !ok {
				return false
			}
			used := make([]Value, len(keys))
			for i, k := range keys {
				kv := k(fr)
				used[i] = kv
				item, ok := d.Get(fr.th, kv)
				if !ok || !vals[i](fr, item) {
					return false
				}
			}
			if rest != nil {
				r := d.Copy()
				for _, k := range used {
					r.Delete(fr.th, k)
				}
				rest(fr, r)
			}
			return true
		}
	case *syntax.PatClass:
		cls := c.expr(x.Cls)
		args := make([]matcher, len(x.Args))
		for i, a := range x.Args {
			args[i] = c.pattern(a)
		}
		kws := make([]matcher, len(x.KwArgs))
		for i, a := range x.KwArgs {
			kws[i] = c.pattern(a)
		}
		names := x.KwNames
		return func(fr *Frame, v Value) bool {
			t := cls(fr)
			if !IsInstance(fr.th, v, t) {
				return false
			}
			if len(args) > 0 {
				k, _ := t.(*Class)
				if k != nil && k.Kind == KindBuiltin && len(args) == 1 {
					if !args[0](fr, v) {
						return false
					}
				} else {
					var fields []string
					if k != nil {
						if ma, _ := LookupAttr(fr.th, k, "__match_args__"); ma != nil {
							for _, f := range ToSlice(fr.th, ma) {
								fields = append(fields, ToStr(fr.th, f))
							}
						} else {
							for _, f := range k.Fields {
								fields = append(fields, f.Name)
							}
						}
					}
					if len(args) > len(fields) {
						fr.th.TypeError("%s() accepts %d positional sub-patterns (%d given)", TypeName(v), len(fields), len(args))
					}
					for i, a := range args {
						av, ok := LookupAttr(fr.th, v, fields[i])
						if !ok || !a(fr, av) {
							return false
						}
					}
				}
			}
			for i, n := range names {
				av, ok := LookupAttr(fr.th, v, n)
				if !ok || !kws[i](fr, av) {
					return false
				}
			}
			return true
		}
	case *syntax.PatStar:
		c.errorf(x.P, "starred pattern outside a sequence pattern")
	}
	c.errorf(p.Start(), "unsupported pattern")
	return nil
}

func (c *compiler) seqPattern(x *syntax.PatSeq) matcher {
	star := -1
	var starStore func(*Frame, Value)
	elems := make([]matcher, len(x.Elts))
	for i, e := range x.Elts {
		if s, ok := e.(*syntax.PatStar); ok {
			star = i
			if s.Name != "_" && s.Name != "" {
				starStore = c.storeName(s.Name)
			}
			continue
		}
		elems[i] = c.pattern(e)
	}
	n := len(x.Elts)
	return func(fr *Frame, v Value) bool {
		var items []Value
		switch s := v.(type) {
		case *List:
			items = s.items()
		case Tuple:
			items = s
		case *Range:
			items = ToSlice(fr.th, s)
		default:
			return false
		}
		if star < 0 {
			if len(items) != n {
				return false
			}
			for i, m := range elems {
				if !m(fr, items[i]) {
					return false
				}
			}
			return true
		}
		if len(items) < n-1 {
			return false
		}
		for i := 0; i < star; i++ {
			if !elems[i](fr, items[i]) {
				return false
			}
		}
		after := n - 1 - star
		for i := 0; i < after; i++ {
			if !elems[star+1+i](fr, items[len(items)-after+i]) {
				return false
			}
		}
		if starStore != nil {
			starStore(fr, NewList(append([]Value(nil), items[star:len(items)-after]...)))
		}
		return true
	}
}
