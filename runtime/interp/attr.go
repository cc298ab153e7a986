package interp

// AttrGetter is implemented by library values with attributes.
type AttrGetter interface {
	AttrJac(th *Thread, name string) (Value, bool)
}

// AttrSetter is implemented by library values with settable attributes.
type AttrSetter interface {
	SetAttrJac(th *Thread, name string, v Value) bool
}

// bindAttr binds a class attribute found for instance self.
func bindAttr(self Value, v Value) Value {
	switch f := v.(type) {
	case *Function:
		return &BoundMethod{Self: self, Fn: f}
	case *Builtin:
		if f.Method != nil && f.Self == nil {
			return &Builtin{Name: f.Name, Method: f.Method, Self: self}
		}
	case *StaticMethod:
		return f.Fn
	case *ClassMethod:
		return &BoundMethod{Self: self.Class(), Fn: f.Fn}
	}
	return v
}

// descriptorMethod returns the descriptor protocol method (__get__, __set__)
// that a class attribute's own class defines, when the attribute is an
// instance of a user class.
func descriptorMethod(attr Value, name string) (*Instance, Value) {
	d, ok := attr.(*Instance)
	if !ok || d.cls.Kind == KindBuiltin {
		return nil, nil
	}
	m, _ := d.cls.Lookup(name)
	return d, m
}

// GetAttr is Python's getattr(v, name) (raising AttributeError).
func GetAttr(th *Thread, v Value, name string) Value {
	if r, ok := LookupAttr(th, v, name); ok {
		return r
	}
	switch x := v.(type) {
	case *Class:
		th.Raise(AttributeErrorClass, "type object '%s' has no attribute '%s'", x.Name, name)
	case *Module:
		th.Raise(AttributeErrorClass, "module '%s' has no attribute '%s'", x.Name, name)
	}
	th.Raise(AttributeErrorClass, "'%s' object has no attribute '%s'", TypeName(v), name)
	return nil
}

// LookupAttr finds an attribute without raising.
func LookupAttr(th *Thread, v Value, name string) (Value, bool) {
	switch x := v.(type) {
	case *Instance:
		if i, ok := x.cls.fieldIndex[name]; ok {
			if f := x.fields[i]; f != nil {
				return f, true
			}
			if fd := x.cls.Fields[i]; fd.HasDefault && fd.DefaultFn == nil && fd.Default != nil {
				return fd.Default, true // unset by a custom init: the class default, as in Python
			}
		}
		if r, ok := x.getExtra(name); ok {
			return r, true
		}
		if m, _ := x.cls.Lookup(name); m != nil {
			if p, ok := m.(*Property); ok {
				self := [1]Value{x} // lent: callStack only reads it
				return th.callStack(p.Get, self[:]), true
			}
			if d, get := descriptorMethod(m, "__get__"); get != nil {
				return th.callMethod(d, get, []Value{x, x.cls}, nil), true
			}
			return bindAttr(x, m), true
		}
		if r, ok := specialInstanceAttr(th, x, name); ok {
			return r, true
		}
		if m, _ := x.cls.Lookup("__getattr__"); m != nil {
			return th.callMethod(x, m, []Value{Str(name)}, nil), true
		}
		return nil, false
	case *Class:
		return classAttr(th, x, name)
	case *Module:
		if r, ok := x.Get(name); ok {
			return r, true
		}
		if name == "__name__" {
			return Str(x.Name), true
		}
		return nil, false
	case *Function:
		switch name {
		case "__name__", "__qualname__":
			for _, a := range x.attrs {
				if a.name == name {
					return a.v, true
				}
			}
			if name == "__name__" {
				return Str(x.code.Name), true
			}
			return Str(x.code.QualName), true
		case "__doc__":
			if x.code.Doc == "" {
				return None, true
			}
			return Str(x.code.Doc), true
		case "__module__":
			return Str(x.module.Name), true
		case "restspec":
			if x.RestSpec != nil {
				return x.RestSpec, true
			}
		}
		for _, a := range x.attrs {
			if a.name == name {
				return a.v, true
			}
		}
		return nil, false
	case *BoundMethod:
		switch name {
		case "__self__":
			return x.Self, true
		case "__func__":
			return x.Fn, true
		}
		return LookupAttr(th, x.Fn, name)
	case *Builtin:
		if name == "__name__" {
			return Str(x.Name), true
		}
	case AttrGetter:
		if r, ok := x.AttrJac(th, name); ok {
			return r, true
		}
	}
	if name == "__class__" {
		return v.Class(), true
	}
	cls := v.Class()
	if m, _ := cls.Lookup(name); m != nil {
		return bindAttr(v, m), true
	}
	return dataAttr(v, name)
}

// dataAttr is a data attribute of a built-in value: the numbers' real, imag,
// numerator and denominator, a defaultdict's default_factory, a slice's start,
// stop and step.
func dataAttr(v Value, name string) (Value, bool) {
	switch x := v.(type) {
	case Int, *BigInt, Bool:
		n := v
		if b, ok := x.(Bool); ok {
			n = MakeInt(b2i(b))
		}
		switch name {
		case "real", "numerator":
			return n, true
		case "imag":
			return MakeInt(0), true
		case "denominator":
			return MakeInt(1), true
		}
	case Float:
		switch name {
		case "real":
			return x, true
		case "imag":
			return Float(0), true
		}
	case *Dict:
		if name == "default_factory" && x.Default != nil { // a collections.defaultdict
			return x.Default, true
		}
	case *SliceObj:
		switch name {
		case "start":
			return x.Start, true
		case "stop":
			return x.Stop, true
		case "step":
			return x.Step, true
		}
	}
	return nil, false
}

func specialInstanceAttr(th *Thread, x *Instance, name string) (Value, bool) {
	switch name {
	case "__class__":
		return x.cls, true
	case "__dict__":
		d := NewDict()
		for i, f := range x.cls.Fields {
			if x.fields[i] != nil {
				d.SetStr(f.Name, x.fields[i])
			}
		}
		for _, a := range x.extraAttrs() {
			d.SetStr(a.name, a.v)
		}
		return d, true
	}
	if x.cls.isExc {
		d := x.excData()
		switch name {
		case "args":
			return d.args, true
		case "__cause__":
			if c := d.readRare().cause; c != nil {
				return c, true
			}
			return None, true
		case "__context__":
			if d.context == nil {
				return None, true
			}
			return d.context, true
		case "__traceback__":
			return None, true
		case "__suppress_context__":
			return MakeBool(d.readRare().suppressContext), true
		case "__notes__":
			rare := d.readRare()
			if rare.notes == nil {
				return nil, false // as in CPython: set by the first add_note
			}
			notes := make([]Value, len(rare.notes))
			for i, n := range rare.notes {
				notes[i] = Str(n)
			}
			return NewList(notes), true
		}
		if x.cls.IsSubclass(OSErrorClass) {
			// OSError(errno, strerror[, filename])
			switch name {
			case "errno", "strerror":
				if len(d.args) < 2 {
					return None, true
				}
				if name == "errno" {
					return d.args[0], true
				}
				return d.args[1], true
			case "filename":
				if f := d.readRare().filename; f != nil {
					return f, true
				}
				if len(d.args) > 2 {
					return d.args[2], true
				}
				return None, true
			}
		}
		if x.cls.IsSubclass(StopIterationClass) && name == "value" {
			if len(d.args) > 0 {
				return d.args[0], true
			}
			return None, true
		}
	}
	return nil, false
}

func classAttr(th *Thread, c *Class, name string) (Value, bool) {
	if m, _ := c.Lookup(name); m != nil {
		switch f := m.(type) {
		case *StaticMethod:
			return f.Fn, true
		case *ClassMethod:
			return &BoundMethod{Self: c, Fn: f.Fn}, true
		}
		if d, get := descriptorMethod(m, "__get__"); get != nil {
			return th.callMethod(d, get, []Value{None, c}, nil), true
		}
		return m, true
	}
	switch name {
	case "__name__", "__qualname__":
		return Str(c.Name), true
	case "__module__":
		return Str(c.Module), true
	case "__mro__":
		t := make(Tuple, 0, len(c.MRO)+1)
		for _, k := range c.MRO {
			if k != ObjArchClass { // internal: the reference's obj classes derive from Archetype
				t = append(t, k)
			}
		}
		if c.MRO[len(c.MRO)-1] != ObjectClass {
			t = append(t, ObjectClass)
		}
		return t, true
	case "__bases__":
		t := make(Tuple, len(c.Bases))
		for i, k := range c.Bases {
			t[i] = k
		}
		if len(t) == 0 && c != ObjectClass {
			t = Tuple{ObjectClass}
		}
		return t, true
	case "__doc__":
		if c.Doc == "" {
			return None, true
		}
		return Str(c.Doc), true
	case "__members__":
		if c.Kind == KindEnum {
			d := NewDict()
			for _, m := range c.members {
				n, _ := m.getExtra("name")
				d.Set(th, n, m)
			}
			return d, true
		}
	case "__dict__":
		d := NewDict()
		for _, n := range c.order {
			d.SetStr(n, c.attrs[n])
		}
		return d, true
	case "__class__":
		return TypeClass, true
	}
	return nil, false
}

// SetAttr is Python's setattr.
func SetAttr(th *Thread, v Value, name string, val Value) {
	switch x := v.(type) {
	case *Instance:
		if x.cls.frozen != notFrozen && x.cls.frozenStore(name) {
			th.Raise(FrozenInstanceErrorClass, "cannot assign to field '%s'", name)
		}
		if i, ok := x.cls.fieldIndex[name]; ok {
			x.fields[i] = val
			if x.anchor != nil {
				x.anchor.touch(th)
			}
			return
		}
		if m, _ := x.cls.Lookup(name); m != nil {
			if p, ok := m.(*Property); ok && p.Set != nil {
				th.Call(p.Set, []Value{x, val}, nil)
				return
			}
			if d, set := descriptorMethod(m, "__set__"); set != nil {
				th.callMethod(d, set, []Value{x, val}, nil)
				return
			}
		}
		if m, _ := x.cls.Lookup("__setattr__"); m != nil {
			if _, builtin := m.(*Builtin); !builtin {
				th.callMethod(x, m, []Value{Str(name), val}, nil)
				return
			}
		}
		x.setExtra(name, val)
		if x.anchor != nil {
			x.anchor.touch(th)
		}
		return
	case *Class:
		if x.Kind == KindBuiltin {
			th.TypeError("cannot set '%s' attribute of immutable type '%s'", name, x.Name)
		}
		x.SetAttr(name, val)
		return
	case *Module:
		x.Set(name, val)
		return
	case *Function:
		for i := range x.attrs {
			if x.attrs[i].name == name {
				x.attrs[i].v = val
				return
			}
		}
		x.attrs = append(x.attrs, attrKV{name, val})
		return
	case AttrSetter:
		if x.SetAttrJac(th, name, val) {
			return
		}
	}
	th.Raise(AttributeErrorClass, "'%s' object has no attribute '%s'", TypeName(v), name)
}

// DelAttr is Python's delattr.
func DelAttr(th *Thread, v Value, name string) {
	if x, ok := v.(*Instance); ok {
		if x.cls.frozen != notFrozen && x.cls.frozenStore(name) {
			th.Raise(FrozenInstanceErrorClass, "cannot delete field '%s'", name)
		}
		if i, ok := x.cls.fieldIndex[name]; ok && x.fields[i] != nil {
			x.fields[i] = nil
			return
		}
		if x.delExtra(name) {
			return
		}
	}
	th.Raise(AttributeErrorClass, "'%s' object has no attribute '%s'", TypeName(v), name)
}

// fieldSite is an attribute read site's cache: where `name` lives on the class
// of the last instance read there.
type fieldSite struct {
	name string
	cls  *Class
	idx  int // the class's field slot of name, or -1: no declared field
}

// read returns inst.name when the cache answers it: a set field, or, on a
// class without such a field, an attribute set outside the fields (which
// LookupAttr also looks at before the class). ok is false for anything else.
func (s *fieldSite) read(inst *Instance) (Value, bool) {
	if inst.cls != s.cls {
		s.cls, s.idx = inst.cls, -1
		if i, ok := inst.cls.fieldIndex[s.name]; ok {
			s.idx = i
		}
	}
	if s.idx >= 0 {
		v := inst.fields[s.idx]
		return v, v != nil
	}
	return inst.getExtra(s.name)
}

// storeSite is an attribute assignment site's cache (`o.name = v`): the field
// slot of name on the last instance's class, or, for a class without one, that
// a store there is plain (no property setter, __set__ descriptor or user
// __setattr__ of that class as of classEpoch), so that it goes to the instance's
// own attributes as SetAttr would put it.
type storeSite struct {
	name  string
	cls   *Class
	epoch uint64
	idx   int // field slot, or -1
	plain bool
}

func (s *storeSite) store(th *Thread, o Value, val Value) {
	inst, ok := o.(*Instance)
	if !ok {
		SetAttr(th, o, s.name, val)
		return
	}
	if inst.cls != s.cls || s.idx < 0 && s.epoch != classEpoch.Load() {
		s.learn(inst.cls)
	}
	switch {
	case s.idx >= 0:
		inst.fields[s.idx] = val
	case s.plain:
		inst.setExtra(s.name, val)
	default:
		SetAttr(th, o, s.name, val)
		return
	}
	if inst.anchor != nil {
		inst.anchor.touch(th)
	}
}

func (s *storeSite) learn(cls *Class) {
	s.cls, s.epoch, s.idx, s.plain = cls, classEpoch.Load(), -1, true
	if cls.frozen != notFrozen { // SetAttr says which stores raise
		s.plain = false
		return
	}
	if i, ok := cls.fieldIndex[s.name]; ok {
		s.idx = i
		return
	}
	if m, _ := cls.Lookup(s.name); m != nil {
		if p, ok := m.(*Property); ok && p.Set != nil {
			s.plain = false
		} else if _, set := descriptorMethod(m, "__set__"); set != nil {
			s.plain = false
		}
	}
	if m, _ := cls.Lookup("__setattr__"); m != nil {
		if _, builtin := m.(*Builtin); !builtin {
			s.plain = false
		}
	}
}
