package interp

import (
	"slices"
	"sync/atomic"
)

// construct calls a class: Python's cls(*args, **kw).
func (th *Thread) construct(cls *Class, args []Value, kw []KV) Value {
	if cls.newFn != nil {
		return cls.newFn(th, cls, args, kw)
	}
	if cls.Kind == KindEnum {
		return enumLookup(th, cls, args)
	}
	plan := cls.constructorPlan()
	if plan.builtinNew != nil {
		// a subclass of a built-in container/value type
		return plan.builtinNew(th, cls, args, kw)
	}
	o := th.allocInstance(cls, args)
	if plan.init != nil {
		th.callMethod(o, plan.init, args, kw)
	} else if cls.Kind.IsArchetype() {
		th.dataclassInit(o, args, kw)
	} else if len(args) > 0 || len(kw) > 0 {
		if !cls.isExc {
			th.TypeError("%s() takes no arguments", cls.Name)
		}
	}
	if plan.postInit != nil {
		th.callMethod(o, plan.postInit, nil, nil)
	}
	return o
}

// allocInstance makes the instance construct initializes: with an exception's
// args, a walker's reports and a graph object's anchor.
func (th *Thread) allocInstance(cls *Class, args []Value) *Instance {
	if cls.Kind == KindNode || cls.Kind == KindEdge || cls.Kind == KindWalker {
		o := th.newArchetype(cls)
		if cls.Kind == KindWalker {
			o.setExtra("reports", NewList(nil))
		}
		return o
	}
	o := NewInstance(cls)
	if cls.isExc {
		o.excData().setArgs(args)
	}
	return o
}

// constructStack is construct for positional arguments that may live on the
// caller's stack, when the class's constructor only reads them: a Jac init
// (which copies them into its frame) or an archetype's generated one. ok is
// false for any other class (built-in constructors may keep the slice).
func (th *Thread) constructStack(cls *Class, args []Value) (v Value, ok bool) {
	if cls.newFn != nil || cls.Kind == KindEnum {
		return nil, false
	}
	plan := cls.constructorPlan()
	if plan.positionalFields > 0 && len(args) == plan.positionalFields {
		o := NewInstance(cls) // an obj whose generated init only stores its arguments
		copy(o.fields, args)
		return o, true
	}
	if plan.builtinNew != nil {
		return nil, false
	}
	init, isFn := plan.init.(*Function)
	switch {
	case plan.init != nil && !isFn:
		return nil, false
	case plan.init == nil && !cls.Kind.IsArchetype() && len(args) > 0:
		return nil, false // the TypeError of construct
	}
	o := th.allocInstance(cls, args)
	if init != nil {
		init.callPositional(th, o, args)
	} else if cls.Kind.IsArchetype() {
		th.dataclassInit(o, args, nil)
	}
	if plan.postInit != nil {
		th.callMethod(o, plan.postInit, nil, nil)
	}
	return o, true
}

// storingConstructor returns a new instance of cls when constructing it with n
// positional arguments only stores them in its fields (ctorPlan.positionalFields),
// for the caller to store the arguments into and finish with constructed; nil
// otherwise.
func storingConstructor(cls *Class, n int) *Instance {
	if cls.newFn != nil || cls.Kind == KindEnum {
		return nil
	}
	if plan := cls.constructorPlan(); plan.positionalFields == 0 || plan.positionalFields != n {
		return nil
	}
	return NewInstance(cls)
}

// constructed returns an instance of storingConstructor once its fields hold the
// arguments, or, when a class attribute was set while they were evaluated (the
// plan may have changed: an init added), the result of constructing it anew
// with them.
func (o *Instance) constructed(th *Thread) Value {
	if plan := o.cls.ctor.Load(); plan != nil && plan.epoch == classEpoch.Load() {
		return o
	}
	return th.construct(o.cls, slices.Clone(o.fields), nil)
}

// ctorPlan is what constructing an instance of a class runs, looked up along the
// MRO once instead of on every call.
type ctorPlan struct {
	epoch      uint64 // classEpoch when the plan was made
	builtinNew func(th *Thread, cls *Class, args []Value, kw []KV) Value
	init       Value // init / __init__, or nil
	postInit   Value // postinit / __post_init__ of an archetype, or nil
	// positionalFields is the number of fields of an obj archetype whose
	// construction with that many positional arguments only stores them (no
	// init, postinit or postinit field; not a graph object or an exception),
	// else 0.
	positionalFields int
}

// classEpoch counts class attribute assignments: a plan made before the last one
// may be stale (the attribute may have been set on a base class).
var classEpoch atomic.Uint64

// constructorPlan returns cls's current constructor plan.
func (cls *Class) constructorPlan() *ctorPlan {
	epoch := classEpoch.Load()
	if p := cls.ctor.Load(); p != nil && p.epoch == epoch {
		return p
	}
	p := &ctorPlan{epoch: epoch}
	for _, k := range cls.MRO {
		if k.newFn != nil && k.Kind == KindBuiltin && !k.isExc && k != ObjectClass {
			p.builtinNew = k.newFn
			break
		}
	}
	p.init, _ = lookupInit(cls)
	if cls.Kind.IsArchetype() {
		p.postInit, _ = lookupUser(cls, "postinit", "__post_init__")
	}
	if cls.Kind == KindObj && !cls.isExc && p.builtinNew == nil && p.init == nil && p.postInit == nil && !anyPostInit(cls.Fields) {
		p.positionalFields = len(cls.Fields)
	}
	cls.ctor.Store(p)
	return p
}

func lookupUser(cls *Class, names ...string) (Value, *Class) {
	for _, k := range cls.MRO {
		if k.Kind == KindBuiltin {
			continue
		}
		for _, n := range names {
			if v, ok := k.attrs[n]; ok {
				return v, k
			}
		}
	}
	return nil, nil
}

func lookupInit(cls *Class) (Value, *Class) { return lookupUser(cls, "init", "__init__") }

// dataclassInit is the generated constructor of an archetype.
func (th *Thread) dataclassInit(o *Instance, args []Value, kw []KV) {
	th.dataclassInitOf(o, o.cls, args, kw)
}

// dataclassInitOf is the generated __init__ of owner (o's class or, through
// super.init, a base): owner's fields from the arguments and defaults.
func (th *Thread) dataclassInitOf(o *Instance, owner *Class, args []Value, kw []KV) {
	cls := o.cls
	fields := owner.Fields
	if owner == cls && len(kw) == 0 && len(args) == len(fields) && len(o.fields) == len(fields) && !anyPostInit(fields) {
		copy(o.fields, args) // every field given by position: the common `Vec(x, y)`
		return
	}
	slot := func(i int) int {
		if owner == cls {
			return i
		}
		return cls.fieldIndex[fields[i].Name]
	}
	ai := 0
	nInit := 0
	for _, f := range fields {
		if !f.PostInit {
			nInit++
		}
	}
	if len(args) > nInit {
		th.TypeError("%s.__init__() takes %d positional argument%s but %d were given", owner.Name, nInit+1, plural(nInit+1), len(args)+1)
	}
	for i, f := range fields {
		if f.PostInit {
			continue
		}
		if ai < len(args) {
			o.fields[slot(i)] = args[ai]
			ai++
		}
	}
	for _, a := range kw {
		i, ok := owner.fieldIndex[a.Name]
		if !ok || fields[i].PostInit {
			th.TypeError("%s.__init__() got an unexpected keyword argument '%s'", cls.Name, a.Name)
		}
		if o.fields[slot(i)] != nil {
			th.TypeError("%s.__init__() got multiple values for argument '%s'", owner.Name, a.Name)
		}
		o.fields[slot(i)] = a.Value
	}
	var missing []string
	for i, f := range fields {
		if o.fields[slot(i)] != nil || f.PostInit {
			continue
		}
		switch {
		case f.DefaultFn != nil:
			o.fields[slot(i)] = f.DefaultFn(th)
		case f.HasDefault:
			o.fields[slot(i)] = f.Default
		default:
			missing = append(missing, f.Name)
		}
	}
	if len(missing) > 0 {
		th.TypeError("%s.__init__() missing %d required positional argument%s: %s", owner.Name, len(missing), plural(len(missing)), quoteList(missing))
	}
}

func enumLookup(th *Thread, cls *Class, args []Value) Value {
	if len(args) != 1 {
		th.TypeError("%s() takes exactly one argument", cls.Name)
	}
	for _, m := range cls.members {
		if v, _ := m.getExtra("value"); Equal(th, v, args[0]) {
			return m
		}
		if Value(m) == args[0] {
			return m
		}
	}
	if missing, _ := cls.Lookup("_missing_"); missing != nil { // Flag: pseudo-members
		if r := th.Call(missing, []Value{cls, args[0]}, nil); r != None {
			return r
		}
	}
	th.ValueError("%s is not a valid %s", Repr(th, args[0]), cls.Name)
	return nil
}

// IsInstance is Python's isinstance(v, t) with t a class or a tuple of classes.
func IsInstance(th *Thread, v Value, t Value) bool {
	switch x := t.(type) {
	case *Class:
		return isInstanceOf(v, x)
	case Tuple:
		for _, e := range x {
			if IsInstance(th, v, e) {
				return true
			}
		}
		return false
	case *GenericAlias:
		return isInstanceOf(v, x.Origin)
	case *UnionType:
		for _, e := range x.Args {
			if IsInstance(th, v, e) {
				return true
			}
		}
		return false
	case NoneType:
		return v == None
	}
	th.TypeError("isinstance() arg 2 must be a type, a tuple of types, or a union")
	return false
}

func isInstanceOf(v Value, c *Class) bool {
	if c == ObjectClass {
		return true
	}
	vc := v.Class()
	if vc == c {
		return true
	}
	if c == IntClass {
		if _, ok := v.(Bool); ok {
			return true
		}
	}
	return vc.IsSubclass(c)
}

// UnionType is `A | B` of types.
type UnionType struct{ Args []Value }

func (*UnionType) Class() *Class { return TypeClass }

func anyPostInit(fields []*Field) bool {
	for _, f := range fields {
		if f.PostInit {
			return true
		}
	}
	return false
}
