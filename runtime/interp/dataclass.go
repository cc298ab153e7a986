package interp

// dataclasses.dataclass: @dataclass and @dataclass(eq=..., order=..., frozen=...,
// unsafe_hash=...) on a Python-style class or on an archetype.
//
// A `class` declares its `has` as class attributes (classFields keeps them);
// @dataclass makes them its fields, as an obj's, with the generated __init__
// and repr an obj has. An obj is already a dataclass with eq=False; @dataclass
// on it gives it the methods its options ask for, as the reference's
// re-application of dataclass does: value equality by default, ordering,
// freezing and hashing.

// FrozenInstanceErrorClass is dataclasses.FrozenInstanceError.
var FrozenInstanceErrorClass = func() *Class {
	c := newClass("FrozenInstanceError", AttributeErrorClass)
	c.Module = "dataclasses"
	return c
}()

// frozenKind says which attribute stores of a class's instances raise
// FrozenInstanceError: every one on a frozen dataclass, only those of its fields
// on a subclass of one (as Python's generated __setattr__ checks
// `type(self) is cls or name in fields`).
type frozenKind uint8

const (
	notFrozen frozenKind = iota
	frozenAll
	frozenFields
)

// frozenStore reports whether storing or deleting name on an instance of c raises.
func (c *Class) frozenStore(name string) bool {
	switch c.frozen {
	case frozenAll:
		return true
	case frozenFields:
		_, field := c.fieldIndex[name]
		return field
	}
	return false
}

// inheritFrozen makes a subclass of a frozen dataclass frozen for its fields.
func (c *Class) inheritFrozen() {
	for _, b := range c.MRO[1:] {
		if b.frozen != notFrozen {
			c.frozen = frozenFields
			return
		}
	}
}

type dataclassOptions struct {
	eq, order, frozen, unsafeHash bool
}

// dataclassDecorator is dataclasses.dataclass.
func dataclassDecorator(th *Thread, args []Value, kw []KV) Value {
	opts := dataclassOptions{eq: true}
	for _, a := range kw {
		switch a.Name {
		case "eq":
			opts.eq = Truth(th, a.Value)
		case "order":
			opts.order = Truth(th, a.Value)
		case "frozen":
			opts.frozen = Truth(th, a.Value)
		case "unsafe_hash":
			opts.unsafeHash = Truth(th, a.Value)
		case "init", "repr", "match_args", "kw_only", "slots", "weakref_slot":
		default:
			th.TypeError("dataclass() got an unexpected keyword argument '%s'", a.Name)
		}
	}
	if opts.order && !opts.eq {
		th.ValueError("eq must be true if order is true")
	}
	switch len(args) {
	case 0:
		return NewBuiltin("dataclass", func(th *Thread, args []Value, kw []KV) Value {
			if len(args) != 1 || len(kw) != 0 {
				th.TypeError("dataclass() takes exactly one class")
			}
			return makeDataclass(th, args[0], opts)
		})
	case 1:
		return makeDataclass(th, args[0], opts)
	}
	th.TypeError("dataclass() takes 1 positional argument but %d were given", len(args))
	return nil
}

func makeDataclass(th *Thread, v Value, opts dataclassOptions) Value {
	cls, ok := v.(*Class)
	if !ok || cls.Kind == KindBuiltin {
		th.TypeError("dataclass() should be called on a class")
	}
	if cls.Kind == KindClass {
		classToDataclass(th, cls)
	}
	_, ownHash := cls.attrs["__hash__"]
	if opts.eq {
		cls.SetAttr("__eq__", dataclassMethod("__eq__", func(th *Thread, a, b []Value) Value {
			return MakeBool(Equal(th, Tuple(a), Tuple(b)))
		}))
	}
	if opts.order {
		for name, op := range map[string]cmpKind{"__lt__": opLT, "__le__": opLE, "__gt__": opGT, "__ge__": opGE} {
			cls.SetAttr(name, dataclassMethod(name, func(th *Thread, a, b []Value) Value {
				return MakeBool(Compare(th, Tuple(a), Tuple(b), op))
			}))
		}
	}
	switch {
	case opts.unsafeHash || opts.eq && opts.frozen:
		cls.SetAttr("__hash__", &Builtin{Name: "__hash__", Method: func(th *Thread, self Value, _ []Value, _ []KV) Value {
			return MakeInt(int64(Hash(th, Tuple(fieldValues(self.(*Instance))))))
		}})
	case opts.eq && !ownHash:
		cls.SetAttr("__hash__", None)
	}
	if opts.frozen {
		cls.frozen = frozenAll
		classEpoch.Add(1) // store sites relearn the class
	}
	return cls
}

// classToDataclass makes a class's `has` its fields: a field without a default or
// with one evaluated per instance leaves the class attributes, as in Python.
func classToDataclass(th *Thread, cls *Class) {
	cls.Kind = KindObj
	cls.Fields = inheritedFields(cls)
	for _, f := range cls.classFields {
		cls.Fields = mergeField(cls.Fields, f)
		if !f.HasDefault || f.DefaultFn != nil {
			cls.delOwnAttr(f.Name)
		}
	}
	cls.fieldIndex = make(map[string]int, len(cls.Fields))
	seenDefault := false
	for i, f := range cls.Fields {
		cls.fieldIndex[f.Name] = i
		if f.HasDefault {
			seenDefault = true
		} else if seenDefault && !hasCustomInit(cls) {
			th.TypeError("non-default argument '%s' follows default argument", f.Name)
		}
	}
	classEpoch.Add(1)
}

// dataclassMethod makes a comparison method over the fields of two instances of
// the same class (NotImplemented for anything else, as the generated ones do).
func dataclassMethod(name string, cmp func(th *Thread, a, b []Value) Value) *Builtin {
	return &Builtin{Name: name, Method: func(th *Thread, self Value, args []Value, _ []KV) Value {
		if len(args) != 1 {
			th.TypeError("%s() takes exactly one argument (%d given)", name, len(args))
		}
		x, _ := self.(*Instance)
		y, ok := args[0].(*Instance)
		if x == nil || !ok || x.cls != y.cls {
			return NotImplemented
		}
		return cmp(th, fieldValues(x), fieldValues(y))
	}}
}

func fieldValues(o *Instance) []Value {
	vals := make([]Value, len(o.cls.Fields))
	for i := range vals {
		if v := o.fields[i]; v != nil {
			vals[i] = v
		} else {
			vals[i] = None
		}
	}
	return vals
}

// delOwnAttr removes an attribute defined on c itself.
func (c *Class) delOwnAttr(name string) {
	if _, ok := c.attrs[name]; !ok {
		return
	}
	delete(c.attrs, name)
	for i, n := range c.order {
		if n == name {
			c.order = append(c.order[:i:i], c.order[i+1:]...)
			break
		}
	}
	classEpoch.Add(1)
}
