package dataclasses

import (
	"strings"

	"github.com/jacscale/jac/runtime/interp"
)

// missingType is dataclasses.MISSING: the default of a field that has none.
type missingType struct{}

var missingClass = func() *interp.Class {
	c := interp.NewBuiltinClass("_MISSING_TYPE")
	c.Module = "dataclasses"
	return c
}()

func (missingType) Class() *interp.Class             { return missingClass }
func (missingType) ReprJac(th *interp.Thread) string { return "<dataclasses._MISSING_TYPE object>" }

var missing interp.Value = missingType{}

// fieldInfo is a dataclasses.Field, as fields() returns it.
type fieldInfo struct{ f *interp.Field }

var fieldClass = func() *interp.Class {
	c := interp.NewBuiltinClass("Field")
	c.Module = "dataclasses"
	return c
}()

func (fi *fieldInfo) Class() *interp.Class { return fieldClass }

func (fi *fieldInfo) ReprJac(th *interp.Thread) string {
	var b strings.Builder
	b.WriteString("Field(name=")
	b.WriteString(interp.Repr(th, interp.Str(fi.f.Name)))
	b.WriteString(",type=")
	b.WriteString(interp.Repr(th, fi.attr("type")))
	b.WriteString(",default=")
	b.WriteString(interp.Repr(th, fi.attr("default")))
	b.WriteString(")")
	return b.String()
}

func (fi *fieldInfo) attr(name string) interp.Value {
	// no thread: the values are plain (a type's repr, a stored default)
	f := fi.f
	switch name {
	case "name":
		return interp.Str(f.Name)
	case "type": // the annotation's text, as the reference's postponed annotations give it
		if f.TypeText != "" {
			return interp.Str(f.TypeText)
		}
		switch t := f.Type.(type) {
		case nil:
			return missing
		case *interp.Class:
			return interp.Str(t.Name)
		}
		return interp.Str(interp.Repr(nil, f.Type))
	case "default":
		if f.HasDefault && f.DefaultFn == nil {
			return f.Default
		}
		return missing
	case "default_factory":
		if f.DefaultFn != nil {
			return interp.NewBuiltin("default_factory", func(th *interp.Thread, _ []interp.Value, _ []interp.KV) interp.Value {
				return f.DefaultFn(th)
			})
		}
		return missing
	case "init", "repr", "compare":
		return interp.True
	case "hash":
		return interp.None
	case "kw_only":
		return interp.False
	case "metadata":
		return interp.NewDict()
	}
	return nil
}

func (fi *fieldInfo) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	v := fi.attr(name)
	return v, v != nil
}

// fields is dataclasses.fields(class_or_instance): the fields in order.
func fields(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	a := interp.ParseArgs(th, "fields", args, kw, "class_or_instance")
	cls, ok := a[0].(*interp.Class)
	if !ok {
		cls = a[0].Class()
	}
	if !cls.Kind.IsArchetype() {
		th.TypeError("must be called with a dataclass type or instance")
	}
	out := make(interp.Tuple, 0, len(cls.Fields))
	for _, f := range cls.Fields {
		if !f.PostInit {
			out = append(out, &fieldInfo{f: f})
		}
	}
	return out
}
