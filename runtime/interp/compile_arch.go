package interp

import (
	"maps"

	"github.com/jacscale/jac/runtime/syntax"
)

var archKinds = map[syntax.Token]ClassKind{
	syntax.OBJ: KindObj, syntax.NODE: KindNode, syntax.EDGE: KindEdge, syntax.WALKER: KindWalker,
	syntax.CLASS: KindClass,
}

type fieldSpec struct {
	v       syntax.HasVar
	static  bool
	access  string
	typ     exprFn
	def     exprFn                 // constant or class-level value
	defFn   func(*Frame) *Function // per-instance default
	literal bool
	// classField: a `has` of a Python-style class (not `static`), a class
	// attribute that @dataclass turns into a field (dataclass.go)
	classField bool
}

type methodSpec struct {
	name    string
	mk      func(*Frame, *Class) Value
	ability *syntax.FuncDef
	fnMk    func(*Frame) *Function
}

// archDef compiles an archetype declaration to a constructor of its class.
func (c *compiler) archDef(x *syntax.ArchDef) exprFn {
	kind := archKinds[x.Kind]
	bases := c.exprs(x.Bases)
	decos := c.exprs(x.Decorators)
	var fields []fieldSpec
	var methods []methodSpec
	var nested []struct {
		name string
		mk   exprFn
	}
	var bodies []func(*Frame) *Function
	members := x.Members
	if im, ok := c.impls[x.Name]; ok && x.Decl && im.IsArch {
		members = append(append([]syntax.Stmt(nil), members...), im.Members...)
	}
	c.checkFieldOrder(x.Kind, members)
	declared := map[string]bool{} // the methods declared so far: names a decorator may use
	for _, m := range members {
		switch mm := m.(type) {
		case *syntax.Has:
			for _, v := range mm.Vars {
				fs := fieldSpec{v: v, static: mm.Static || kind == KindClass, access: mm.Access,
					classField: kind == KindClass && !mm.Static}
				if v.Type != nil {
					fs.typ = c.expr(v.Type)
				}
				if v.Default != nil {
					_, literal := v.Default.(*syntax.Const)
					if literal || fs.static {
						fs.literal = literal
						fs.def = c.expr(v.Default)
					}
					if !literal && (!fs.static || fs.classField) {
						fs.defFn = c.makeFunc(funcParts{name: v.Name, qual: x.Name + "." + v.Name, pos: v.P,
							node: v.Default, exprBody: v.Default, ctx: &fnContext{}})
					}
				}
				fields = append(fields, fs)
			}
		case *syntax.FuncDef:
			ms := methodSpec{name: mm.Name}
			if mm.Ability {
				ms.ability = mm
				parts := c.funcPartsOf(mm, kind, x.Name)
				ms.fnMk = c.makeFunc(parts)
			} else {
				ms.mk = c.methodDef(mm, kind, x.Name, maps.Clone(declared))
			}
			declared[mm.Name] = true
			methods = append(methods, ms)
		case *syntax.ArchDef:
			nested = append(nested, struct {
				name string
				mk   exprFn
			}{mm.Name, c.archDef(mm)})
		case *syntax.EnumDef:
			nested = append(nested, struct {
				name string
				mk   exprFn
			}{mm.Name, c.enumDef(mm)})
		case *syntax.EntryBlock:
			bodies = append(bodies, c.classBody(mm, x.Name))
		}
	}
	abilityTypes := map[*syntax.FuncDef][]exprFn{}
	for _, m := range methods {
		if m.ability != nil && m.ability.Event != nil {
			var ts []exprFn
			for _, t := range m.ability.Event.Types {
				if id, ok := t.(*syntax.Ident); ok && id.Name == "root" {
					ts = append(ts, func(*Frame) Value { return RootClass })
					continue
				}
				ts = append(ts, c.expr(t))
			}
			abilityTypes[m.ability] = ts
		}
	}
	name, doc, access, pos, mod, async := x.Name, x.Doc, x.Access, x.P, c.mod, x.Async
	return func(fr *Frame) Value {
		th := fr.th
		fr.pos = pos
		cls := &Class{Name: name, Module: moduleDisplayName(mod), Kind: kind, Doc: doc, Access: access, Async: async,
			attrs: map[string]Value{}, SourceFile: mod.File}
		for _, b := range bases {
			bv := b(fr)
			bc, ok := bv.(*Class)
			if !ok {
				th.TypeError("bases must be classes, not %s", TypeName(bv))
			}
			cls.Bases = append(cls.Bases, bc)
		}
		cls.Bases = withArchBase(kind, cls.Bases)
		if err := cls.computeMRO(); err != nil {
			th.TypeError("%s", err.Error())
		}
		if kind == KindClass {
			for _, b := range cls.Bases {
				if b.Kind.IsArchetype() {
					cls.Kind = b.Kind
				}
			}
		}
		cls.inheritFrozen()
		// fields
		cls.Fields = inheritedFields(cls)
		for _, f := range fields {
			if f.static {
				var v Value = None
				if f.def != nil {
					v = f.def(fr)
				} else if f.defFn != nil {
					v = th.Call(f.defFn(fr), nil, nil)
				}
				cls.SetAttr(f.v.Name, v)
				if f.classField {
					cls.classFields = append(cls.classFields, f.field(th, fr, cls, v))
				}
				continue
			}
			cls.Fields = mergeField(cls.Fields, f.field(th, fr, cls, nil))
		}
		cls.fieldIndex = make(map[string]int, len(cls.Fields))
		seenDefault := ""
		for i, f := range cls.Fields {
			cls.fieldIndex[f.Name] = i
			if f.PostInit {
				continue
			}
			if f.HasDefault {
				seenDefault = f.Name
			} else if seenDefault != "" && !hasCustomInit(cls) {
				th.TypeError("non-default argument '%s' follows default argument", f.Name)
			}
		}
		// methods and abilities
		cls.Abilities = inheritedAbilities(cls)
		for _, m := range methods {
			if m.ability != nil {
				fn := m.fnMk(fr)
				fn.Owner = cls
				ab := &Ability{Name: m.name, Exit: m.ability.Event.Exit, Fn: fn, Owner: cls}
				for _, t := range abilityTypes[m.ability] {
					t := t
					ab.typeFns = append(ab.typeFns, func() Value { return t(fr) })
				}
				cls.Abilities = mergeAbility(cls.Abilities, ab)
				if m.name != "" {
					cls.SetAttr(m.name, fn)
				}
				continue
			}
			v := m.mk(fr, cls)
			setOwner(v, cls)
			cls.SetAttr(m.name, v)
		}
		for _, n := range nested {
			cls.SetAttr(n.name, n.mk(fr))
		}
		runClassBodies(th, fr, cls, bodies)
		var out Value = cls
		for i := len(decos) - 1; i >= 0; i-- {
			out = th.Call(decos[i](fr), []Value{out}, nil)
		}
		return out
	}
}

// checkFieldOrder rejects, at compile time as the reference does, a field
// without a default after one with a default in the same archetype.
func (c *compiler) checkFieldOrder(kind syntax.Token, members []syntax.Stmt) {
	if kind == syntax.CLASS {
		return
	}
	seenDefault := false
	for _, m := range members {
		h, ok := m.(*syntax.Has)
		if !ok || h.Static {
			continue
		}
		for _, v := range h.Vars {
			switch {
			case v.PostInit:
			case v.Default != nil:
				seenDefault = true
			case seenDefault:
				c.errorf(v.P, "Non default attribute '%s' follows default attribute", v.Name)
			}
		}
	}
}

// classBody compiles a `with entry { ... }` inside an archetype or enum: code run
// once when the class is created, whose names become class attributes.
func (c *compiler) classBody(x *syntax.EntryBlock, className string) func(*Frame) *Function {
	return c.makeFunc(funcParts{name: "<class body>", qual: className + ".<class body>", pos: x.P, node: x,
		body: x.Body, ctx: &fnContext{}, returnLocals: true})
}

func runClassBodies(th *Thread, fr *Frame, cls *Class, bodies []func(*Frame) *Function) {
	for _, mk := range bodies {
		names, _ := th.Call(mk(fr), nil, nil).(*Dict)
		if names == nil {
			continue
		}
		for _, it := range names.Items() {
			v := it.Value
			setOwner(v, cls)
			cls.SetAttr(ToStr(th, it.Key), v)
		}
	}
}

func moduleDisplayName(m *Module) string {
	if m.Name == "" {
		return "__main__"
	}
	return m.Name
}

func setOwner(v Value, cls *Class) {
	switch f := v.(type) {
	case *Function:
		if f.Owner == nil {
			f.Owner = cls
		}
	case *StaticMethod:
		setOwner(f.Fn, cls)
	case *ClassMethod:
		setOwner(f.Fn, cls)
	}
}

// lazyType evaluates a field annotation; a name defined later resolves on first use.
func lazyType(th *Thread, f exprFn, fr *Frame) Value {
	var v Value
	err := th.Protect(func() { v = f(fr) })
	if err != nil {
		return &LazyType{fn: f, fr: fr}
	}
	return v
}

// LazyType is a field annotation that could not be evaluated at class creation.
type LazyType struct {
	fn  exprFn
	fr  *Frame
	val Value
}

func (*LazyType) Class() *Class { return TypeClass }

// Resolve evaluates the annotation now.
func (l *LazyType) Resolve(th *Thread) Value {
	if l.val == nil {
		_ = th.Protect(func() { l.val = l.fn(l.fr) })
		if l.val == nil {
			l.val = None
		}
	}
	return l.val
}

func withArchBase(kind ClassKind, bases []*Class) []*Class {
	var root *Class
	switch kind {
	case KindObj:
		root = ObjArchClass
	case KindNode:
		root = NodeArchClass
	case KindEdge:
		root = EdgeArchClass
	case KindWalker:
		root = WalkerArchClass
	default:
		return bases
	}
	for _, b := range bases {
		if b.IsSubclass(root) || b.Kind.IsArchetype() {
			return bases
		}
	}
	if len(bases) > 0 {
		return bases
	}
	return []*Class{root}
}

// field makes the Field of a `has`. classValue is the value a class's `has`
// already got as a class attribute: a literal default is that value.
func (f *fieldSpec) field(th *Thread, fr *Frame, cls *Class, classValue Value) *Field {
	fd := &Field{Name: f.v.Name, PostInit: f.v.PostInit, Access: f.access, Owner: cls}
	if f.typ != nil {
		fd.Type = lazyType(th, f.typ, fr)
		fd.TypeText = annotationText(f.v.Type)
	}
	switch {
	case f.literal && classValue != nil:
		fd.HasDefault = true
		fd.Default = classValue
	case f.defFn != nil:
		fd.HasDefault = true
		fn := f.defFn(fr)
		fd.DefaultFn = func(th *Thread) Value { return fn.call(th, nil, nil, nil) }
	case f.def != nil:
		fd.HasDefault = true
		fd.Default = f.def(fr)
	}
	return fd
}

func hasCustomInit(cls *Class) bool {
	for _, k := range cls.MRO {
		if k.Kind == KindBuiltin {
			continue
		}
		if _, ok := k.attrs["init"]; ok {
			return true
		}
		if _, ok := k.attrs["__init__"]; ok {
			return true
		}
	}
	return false
}

// inheritedFields merges base-class fields in dataclass order (reverse MRO).
func inheritedFields(cls *Class) []*Field {
	var out []*Field
	for i := len(cls.MRO) - 1; i >= 1; i-- {
		k := cls.MRO[i]
		for _, f := range k.Fields {
			if f.Owner == k {
				out = mergeField(out, f)
			}
		}
	}
	return out
}

func mergeField(fields []*Field, f *Field) []*Field {
	for i, g := range fields {
		if g.Name == f.Name {
			out := append([]*Field(nil), fields...)
			out[i] = f
			return out
		}
	}
	return append(fields, f)
}

func inheritedAbilities(cls *Class) []*Ability {
	var out []*Ability
	for i := len(cls.MRO) - 1; i >= 1; i-- {
		k := cls.MRO[i]
		for _, a := range k.Abilities {
			if a.Owner == k {
				out = mergeAbility(out, a)
			}
		}
	}
	return out
}

func mergeAbility(abs []*Ability, a *Ability) []*Ability {
	if a.Name != "" {
		for i, b := range abs {
			if b.Name == a.Name {
				out := append([]*Ability(nil), abs...)
				out[i] = a
				return out
			}
		}
	}
	return append(append([]*Ability(nil), abs...), a)
}

// enumDef compiles an enum declaration.
func (c *compiler) enumDef(x *syntax.EnumDef) exprFn {
	bases := c.exprs(x.Bases)
	decos := c.exprs(x.Decorators)
	members := x.Members
	if im, ok := c.impls[x.Name]; ok && im.IsEnum {
		members = append(append([]syntax.EnumMember(nil), members...), im.EnumMembers...)
	}
	vals := make([]exprFn, len(members))
	for i, m := range members {
		if m.Value != nil {
			vals[i] = c.expr(m.Value)
		}
	}
	var methods []methodSpec
	var bodies []func(*Frame) *Function
	for _, m := range x.Body {
		switch f := m.(type) {
		case *syntax.FuncDef:
			methods = append(methods, methodSpec{name: f.Name, mk: c.methodDef(f, KindEnum, x.Name, nil)})
		case *syntax.EntryBlock:
			bodies = append(bodies, c.classBody(f, x.Name))
		}
	}
	name, mod := x.Name, c.mod
	return func(fr *Frame) Value {
		th := fr.th
		cls := &Class{Name: name, Module: moduleDisplayName(mod), Kind: KindEnum, attrs: map[string]Value{},
			enumValue: map[string]*Instance{}}
		for _, b := range bases {
			bc, ok := b(fr).(*Class)
			if !ok {
				th.TypeError("enum bases must be classes")
			}
			switch {
			case bc == IntClass || bc == IntEnumClass:
				cls.enumBase = IntClass
				cls.Bases = append(cls.Bases, IntEnumClass)
			case bc == StrClass || bc == StrEnumClass:
				cls.enumBase = StrClass
				cls.Bases = append(cls.Bases, StrEnumClass)
			case bc == EnumClass:
			default:
				cls.Bases = append(cls.Bases, bc)
			}
		}
		if len(cls.Bases) == 0 {
			cls.Bases = []*Class{EnumClass}
		}
		cls.computeMRO()
		for _, m := range methods {
			v := m.mk(fr, cls)
			setOwner(v, cls)
			cls.SetAttr(m.name, v)
		}
		runClassBodies(th, fr, cls, bodies)
		next := int64(1)
		gen, _ := cls.Lookup("_generate_next_value_") // Flag: powers of two
		var lastValues []Value
		autoValueOf := func(name string) Value {
			if gen != nil {
				return th.Call(gen, []Value{Str(name), MakeInt(1), MakeInt(int64(len(lastValues))), NewList(lastValues)}, nil)
			}
			return MakeInt(next)
		}
		for i, m := range members {
			var v Value
			if vals[i] != nil {
				v = vals[i](fr)
				if _, isAuto := v.(*autoValue); isAuto {
					v = autoValueOf(m.Name)
				}
			} else {
				v = autoValueOf(m.Name)
			}
			lastValues = append(lastValues, v)
			if iv, ok := v.(Int); ok {
				next = int64(iv) + 1
			}
			// aliases: a repeated value names the existing member
			var member *Instance
			for _, ex := range cls.members {
				if ev, _ := ex.getExtra("value"); Equal(th, ev, v) {
					member = ex
				}
			}
			if member == nil {
				member = &Instance{cls: cls}
				member.setExtra("name", Str(m.Name))
				member.setExtra("value", v)
				member.setExtra("_name_", Str(m.Name))
				member.setExtra("_value_", v)
				cls.members = append(cls.members, member)
			}
			cls.SetAttr(m.Name, member)
		}
		var out Value = cls
		for i := len(decos) - 1; i >= 0; i-- {
			out = th.Call(decos[i](fr), []Value{out}, nil)
		}
		return out
	}
}

// autoValue is enum.auto().
type autoValue struct{}

func (*autoValue) Class() *Class { return ObjectClass }
