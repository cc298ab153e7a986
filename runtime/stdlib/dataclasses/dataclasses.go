// Package dataclasses adds asdict, astuple, field, fields, is_dataclass, replace
// and MISSING to the core's dataclasses module (the decorator is the core's:
// runtime/interp/dataclass.go).
package dataclasses

import (
	"github.com/jacscale/jac/runtime/interp"
)

// Extensions of the core's placeholder modules (dataclasses, asyncio).

func dataclassInstance(v interp.Value) (*interp.Instance, bool) {
	o, ok := v.(*interp.Instance)
	if !ok || !o.Class().Kind.IsArchetype() {
		return nil, false
	}
	return o, true
}

func convert(th *interp.Thread, v interp.Value, tuple bool) interp.Value {
	if o, ok := dataclassInstance(v); ok {
		fields := o.Class().Fields
		if tuple {
			out := make(interp.Tuple, 0, len(fields))
			for i := range fields {
				if f := o.Field(i); f != nil {
					out = append(out, convert(th, f, tuple))
				}
			}
			return out
		}
		d := interp.NewDict()
		for i, f := range fields {
			if val := o.Field(i); val != nil {
				d.SetStr(f.Name, convert(th, val, tuple))
			}
		}
		return d
	}
	switch x := v.(type) {
	case *interp.List:
		out := make([]interp.Value, len(x.Elems()))
		for i, e := range x.Elems() {
			out[i] = convert(th, e, tuple)
		}
		return interp.NewList(out)
	case interp.Tuple:
		out := make(interp.Tuple, len(x))
		for i, e := range x {
			out[i] = convert(th, e, tuple)
		}
		return out
	case *interp.Dict:
		d := interp.NewDict()
		for _, it := range x.Items() {
			d.Set(th, convert(th, it.Key, tuple), convert(th, it.Value, tuple))
		}
		return d
	}
	return v
}

func init() {
	interp.ExtendModule("dataclasses", func(m *interp.Module) {
		m.Set("fields", interp.NewBuiltin("fields", fields))
		m.Set("MISSING", missing)
		m.Set("asdict", interp.NewBuiltin("asdict", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) != 1 {
				th.TypeError("asdict() takes 1 positional argument but %d were given", len(args))
			}
			if _, ok := dataclassInstance(args[0]); !ok {
				th.TypeError("asdict() should be called on dataclass instances")
			}
			return convert(th, args[0], false)
		}))
		m.Set("astuple", interp.NewBuiltin("astuple", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) != 1 {
				th.TypeError("astuple() takes 1 positional argument but %d were given", len(args))
			}
			if _, ok := dataclassInstance(args[0]); !ok {
				th.TypeError("astuple() should be called on dataclass instances")
			}
			return convert(th, args[0], true)
		}))
		m.Set("is_dataclass", interp.NewBuiltin("is_dataclass", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if c, ok := args[0].(*interp.Class); ok {
				return interp.MakeBool(c.Kind.IsArchetype())
			}
			_, ok := dataclassInstance(args[0])
			return interp.MakeBool(ok)
		}))
		m.Set("field", interp.NewBuiltin("field", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			for _, a := range kw {
				if a.Name == "default_factory" {
					return th.Call(a.Value, nil, nil)
				}
			}
			for _, a := range kw {
				if a.Name == "default" {
					return a.Value
				}
			}
			return interp.None
		}))
		m.Set("replace", interp.NewBuiltin("replace", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			o, ok := dataclassInstance(args[0])
			if !ok {
				th.TypeError("replace() should be called on dataclass instances")
			}
			var ckw []interp.KV
			for i, f := range o.Class().Fields {
				v := o.Field(i)
				for _, a := range kw {
					if a.Name == f.Name {
						v = a.Value
					}
				}
				if v != nil {
					ckw = append(ckw, interp.KV{Name: f.Name, Value: v})
				}
			}
			return th.Call(o.Class(), nil, ckw)
		}))
	})
}
