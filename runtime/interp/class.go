package interp

import (
	"fmt"
	"sort"
	"sync/atomic"
)

// ClassKind tells what declared a class.
type ClassKind uint8

const (
	KindBuiltin ClassKind = iota // a built-in type (int, str, list, exceptions, ...)
	KindClass                    // a Python-style `class`
	KindObj                      // obj (a dataclass)
	KindNode
	KindEdge
	KindWalker
	KindEnum
)

func (k ClassKind) String() string {
	return [...]string{"builtin", "class", "obj", "node", "edge", "walker", "enum"}[k]
}

// IsArchetype reports whether instances are dataclass-like archetypes.
func (k ClassKind) IsArchetype() bool { return k >= KindObj && k <= KindWalker }

// Class is a type: built-in or declared in Jac.
type Class struct {
	Name   string
	Module string
	Kind   ClassKind
	Async  bool // an async walker: spawning it gives a coroutine
	// library: made by a library package (NewBuiltinClass), whose dunder
	// methods (__repr__, __str__, __format__) are used like a Jac class's
	library bool
	Bases   []*Class
	MRO     []*Class
	Doc     string
	Access  string // "pub", "priv", "protect" or ""

	attrs map[string]Value
	order []string

	// Archetype fields (inherited first), for obj/node/edge/walker.
	Fields     []*Field
	fieldIndex map[string]int
	// classFields are the `has` of a Python-style class, in order: class
	// attributes until @dataclass makes them its fields (dataclass.go).
	classFields []*Field
	frozen      frozenKind // @dataclass(frozen=True) and its subclasses (dataclass.go)

	// Abilities in firing order (inherited first, overrides keep the parent's slot).
	Abilities []*Ability

	// newFn constructs instances of a built-in type.
	newFn func(th *Thread, cls *Class, args []Value, kw []KV) Value

	isExc     bool // derives from BaseException
	isBaseExc bool

	// Enum members in declaration order.
	members   []*Instance
	enumBase  *Class
	enumValue map[string]*Instance

	// Set by the server: walker/function endpoint data lives on the class.
	Decorators []Value
	// Annotations of archetype fields by name, for the server's request binding.
	SourceFile string

	ctor atomic.Pointer[ctorPlan] // see constructorPlan

	// attrHint is the largest number (up to 8) of attributes set outside the
	// declared fields seen on one instance: new instances get room for them.
	attrHint atomic.Int32
}

// Field is an archetype field declared with `has`.
type Field struct {
	Name       string
	Type       Value  // evaluated annotation (a *Class, a GenericAlias, ...) or nil
	TypeText   string // the annotation as written
	HasDefault bool
	Default    Value               // a constant default
	DefaultFn  func(*Thread) Value // evaluated per instance (non-literal defaults)
	PostInit   bool
	Access     string
	Owner      *Class
}

// Ability is an entry/exit ability of a walker, node or edge.
type Ability struct {
	Name  string
	Exit  bool
	Types []Value // nil: untyped
	Fn    *Function
	Owner *Class

	typeFns []func() Value // lazily evaluated event types
}

func (*Class) Class() *Class { return TypeClass }

// NewBuiltinClass creates a built-in type with the given bases.
func NewBuiltinClass(name string, bases ...*Class) *Class {
	c := &Class{Name: name, Module: "builtins", Kind: KindBuiltin, Bases: bases, attrs: map[string]Value{}, library: true}
	c.computeMRO()
	return c
}

// SetAttr sets a class attribute.
func (c *Class) SetAttr(name string, v Value) {
	if c.attrs == nil {
		c.attrs = map[string]Value{}
	}
	if _, ok := c.attrs[name]; !ok {
		c.order = append(c.order, name)
	}
	c.attrs[name] = v
	classEpoch.Add(1)
}

// OwnAttr returns an attribute defined on c itself.
func (c *Class) OwnAttr(name string) (Value, bool) {
	v, ok := c.attrs[name]
	return v, ok
}

// Lookup finds an attribute along the MRO. A `def init` is the class's
// __init__ (and `def postinit` its __post_init__), so `Base.__init__(self, …)`
// finds it under either spelling.
func (c *Class) Lookup(name string) (Value, *Class) {
	for _, k := range c.MRO {
		if v, ok := k.attrs[name]; ok {
			return v, k
		}
		if name == "__init__" || name == "__post_init__" {
			if v, ok := ownAttrOrAlias(k, name); ok {
				return v, k
			}
		}
	}
	return nil, nil
}

// FieldIndex returns the slot of an archetype field, or -1.
func (c *Class) FieldIndex(name string) int {
	if i, ok := c.fieldIndex[name]; ok {
		return i
	}
	return -1
}

// Members returns an enum's members in declaration order.
func (c *Class) Members() []*Instance { return c.members }

// IsException reports whether c derives from BaseException.
func (c *Class) IsException() bool { return c.isExc }

// IsSubclass reports whether c is sub (or equal to) of other.
func (c *Class) IsSubclass(other *Class) bool {
	if c == other || other == ObjectClass {
		return true
	}
	for _, k := range c.MRO {
		if k == other {
			return true
		}
	}
	return false
}

func (c *Class) computeMRO() error {
	if len(c.Bases) == 0 {
		if c == ObjectClass {
			c.MRO = []*Class{c}
		} else {
			c.MRO = []*Class{c, ObjectClass}
		}
		return nil
	}
	var seqs [][]*Class
	for _, b := range c.Bases {
		seqs = append(seqs, append([]*Class(nil), b.MRO...))
	}
	seqs = append(seqs, append([]*Class(nil), c.Bases...))
	mro := []*Class{c}
	for {
		nonEmpty := false
		for _, s := range seqs {
			if len(s) > 0 {
				nonEmpty = true
			}
		}
		if !nonEmpty {
			break
		}
		var cand *Class
		for _, s := range seqs {
			if len(s) == 0 {
				continue
			}
			h := s[0]
			inTail := false
			for _, t := range seqs {
				for _, x := range t[min(1, len(t)):] {
					if x == h {
						inTail = true
					}
				}
			}
			if !inTail {
				cand = h
				break
			}
		}
		if cand == nil {
			//lint:ignore ST1005 CPython's exact message
			return fmt.Errorf("Cannot create a consistent method resolution order (MRO) for bases")
		}
		mro = append(mro, cand)
		for i, s := range seqs {
			if len(s) > 0 && s[0] == cand {
				seqs[i] = s[1:]
			}
		}
	}
	c.MRO = mro
	for _, k := range mro {
		if k == BaseExceptionClass {
			c.isExc = true
		}
	}
	return nil
}

// sortedAttrNames lists class attribute names (for dir()).
func (c *Class) sortedAttrNames() []string {
	seen := map[string]bool{}
	var out []string
	for _, k := range c.MRO {
		for n := range k.attrs {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	sort.Strings(out)
	return out
}

// Instance is an object of a Jac-declared class (or of an exception class).
type Instance struct {
	cls    *Class
	fields []Value   // archetype fields by slot (nil = unset)
	anchor *Anchor   // graph identity for node/edge/walker archetypes
	more   *instMore // what few instances have; nil until one is set
}

// instMore holds an instance's rarely used parts out of line, so that a plain
// instance is 48 bytes before its fields (a 2-field obj is one 80-byte block).
type instMore struct {
	attrs []attrKV // attributes set outside the declared fields
	exc   *excInfo // exception details
	oid   *ID      // identity of an obj archetype, made when first asked for
}

// moreOf returns o's out-of-line part, making it on first use.
func (o *Instance) moreOf() *instMore {
	if o.more == nil {
		o.more = &instMore{}
	}
	return o.more
}

// extraAttrs returns the attributes set outside the declared fields.
func (o *Instance) extraAttrs() []attrKV {
	if o.more == nil {
		return nil
	}
	return o.more.attrs
}

// excInfo returns the exception details, nil when none were made.
func (o *Instance) excInfo() *excInfo {
	if o.more == nil {
		return nil
	}
	return o.more.exc
}

// ID returns the archetype's id: the anchor's for graph objects, otherwise one
// made on first use and stable for the object's lifetime.
func (o *Instance) ID() ID {
	if o.anchor != nil {
		return o.anchor.ID
	}
	m := o.moreOf()
	if m.oid == nil {
		id := NewID()
		m.oid = &id
	}
	return *m.oid
}

type attrKV struct {
	name string
	v    Value
}

func (o *Instance) Class() *Class { return o.cls }

// Anchor returns the graph anchor of a node, edge or walker (nil otherwise).
func (o *Instance) Anchor() *Anchor { return o.anchor }

// Field returns the value of a field slot.
func (o *Instance) Field(i int) Value { return o.fields[i] }

// SetField sets a field slot.
func (o *Instance) SetField(i int, v Value) { o.fields[i] = v }

// NewInstance allocates an instance with unset fields.
func NewInstance(cls *Class) *Instance {
	if cls.isExc && len(cls.Fields) == 0 {
		return newExcInstance(cls)
	}
	// An instance with a few fields is one allocation, not two: the fields'
	// array is allocated in the same struct as the instance.
	switch len(cls.Fields) {
	case 0:
		if h := cls.attrHint.Load(); h > 0 {
			return newWithAttrRoom(cls, int(h))
		}
		return &Instance{cls: cls}
	case 1:
		x := new(struct {
			o Instance
			f [1]Value
		})
		return x.o.withFields(cls, x.f[:])
	case 2:
		x := new(struct {
			o Instance
			f [2]Value
		})
		return x.o.withFields(cls, x.f[:])
	case 3:
		x := new(struct {
			o Instance
			f [3]Value
		})
		return x.o.withFields(cls, x.f[:])
	case 4:
		x := new(struct {
			o Instance
			f [4]Value
		})
		return x.o.withFields(cls, x.f[:])
	}
	return &Instance{cls: cls, fields: make([]Value, len(cls.Fields))}
}

// newWithAttrRoom allocates an instance of a class whose instances get their
// attributes set outside declared fields (a Python-style class's self.x = x in
// __init__): the instance, its instMore and room for n attributes are one block.
func newWithAttrRoom(cls *Class, n int) *Instance {
	switch {
	case n <= 2:
		x := new(struct {
			o Instance
			m instMore
			a [2]attrKV
		})
		return x.o.withAttrRoom(cls, &x.m, x.a[:0])
	case n <= 4:
		x := new(struct {
			o Instance
			m instMore
			a [4]attrKV
		})
		return x.o.withAttrRoom(cls, &x.m, x.a[:0])
	default:
		x := new(struct {
			o Instance
			m instMore
			a [8]attrKV
		})
		return x.o.withAttrRoom(cls, &x.m, x.a[:0])
	}
}

func (o *Instance) withAttrRoom(cls *Class, m *instMore, attrs []attrKV) *Instance {
	o.cls, o.more, m.attrs = cls, m, attrs
	return o
}

// withFields makes o an instance of cls whose fields are stored in fields.
func (o *Instance) withFields(cls *Class, fields []Value) *Instance {
	o.cls, o.fields = cls, fields
	return o
}

func (o *Instance) getExtra(name string) (Value, bool) {
	attrs := o.extraAttrs()
	for i := range attrs {
		if attrs[i].name == name {
			return attrs[i].v, true
		}
	}
	return nil, false
}

func (o *Instance) setExtra(name string, v Value) {
	attrs := o.extraAttrs()
	for i := range attrs {
		if attrs[i].name == name {
			attrs[i].v = v
			return
		}
	}
	m := o.moreOf()
	m.attrs = append(m.attrs, attrKV{name, v})
	if n := int32(len(m.attrs)); n > o.cls.attrHint.Load() && n <= 8 {
		o.cls.attrHint.Store(n) // the next instances get room for as many
	}
}

func (o *Instance) delExtra(name string) bool {
	attrs := o.extraAttrs()
	for i := range attrs {
		if attrs[i].name == name {
			o.more.attrs = append(attrs[:i], attrs[i+1:]...)
			return true
		}
	}
	return false
}

// ExtraAttrs lists attributes set outside the declared fields, in order.
func (o *Instance) ExtraAttrs() []KV {
	attrs := o.extraAttrs()
	out := make([]KV, len(attrs))
	for i, a := range attrs {
		out[i] = KV{a.name, a.v}
	}
	return out
}

// GetField returns a declared field or extra attribute by name.
func (o *Instance) GetField(name string) (Value, bool) {
	if i := o.cls.FieldIndex(name); i >= 0 {
		v := o.fields[i]
		return v, v != nil
	}
	return o.getExtra(name)
}

// SetFieldByName sets a declared field or an extra attribute.
func (o *Instance) SetFieldByName(name string, v Value) {
	if i := o.cls.FieldIndex(name); i >= 0 {
		o.fields[i] = v
		return
	}
	o.setExtra(name, v)
}

// CopyInstance makes a copy of an archetype or class instance (copy module);
// graph objects keep their identity (they are not copied).
// made, when not nil, is told of the copy before each runs on its fields (a
// deep copy's memo, so that a field referring back to o gets the copy).
func CopyInstance(th *Thread, o *Instance, made func(Value), each func(Value) Value) Value {
	if o.anchor != nil || o.cls.Kind == KindEnum {
		return o
	}
	n := &Instance{cls: o.cls}
	if e := o.excInfo(); e != nil {
		n.moreOf().exc = e
	}
	if made != nil {
		made(n)
	}
	if o.fields != nil {
		n.fields = make([]Value, len(o.fields))
		for i, f := range o.fields {
			if f != nil {
				n.fields[i] = each(f)
			}
		}
	}
	for _, a := range o.extraAttrs() {
		n.setExtra(a.name, each(a.v))
	}
	return n
}
