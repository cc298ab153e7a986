// Package types implements Python's types module: namespace and the names
// of the built-in types.
package types

import (
	"strings"

	"github.com/jacscale/jac/runtime/interp"
)

type namespace struct {
	names []string
	vals  map[string]interp.Value
}

var namespaceClass = func() *interp.Class { c := interp.NewBuiltinClass("SimpleNamespace"); c.Module = "types"; return c }()

func (*namespace) Class() *interp.Class { return namespaceClass }

func (n *namespace) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	if v, ok := n.vals[name]; ok {
		return v, true
	}
	if name == "__dict__" {
		d := interp.NewDict()
		for _, k := range n.names {
			d.SetStr(k, n.vals[k])
		}
		return d, true
	}
	return nil, false
}

func (n *namespace) SetAttrJac(th *interp.Thread, name string, v interp.Value) bool {
	if _, ok := n.vals[name]; !ok {
		n.names = append(n.names, name)
	}
	n.vals[name] = v
	return true
}

func (n *namespace) ReprJac(th *interp.Thread) string {
	parts := make([]string, len(n.names))
	for i, k := range n.names {
		parts[i] = k + "=" + interp.Repr(th, n.vals[k])
	}
	return "namespace(" + strings.Join(parts, ", ") + ")"
}

func (n *namespace) EqualJac(th *interp.Thread, o interp.Value) (bool, bool) {
	m, ok := o.(*namespace)
	if !ok {
		return false, true
	}
	if len(m.vals) != len(n.vals) {
		return false, true
	}
	for k, v := range n.vals {
		w, ok := m.vals[k]
		if !ok || !interp.Equal(th, v, w) {
			return false, true
		}
	}
	return true, true
}

// NewNamespace is types.SimpleNamespace(**fields), for modules that return
// one (time.get_clock_info).
func NewNamespace(fields ...interp.KV) interp.Value {
	n := &namespace{vals: map[string]interp.Value{}}
	for _, f := range fields {
		n.SetAttrJac(nil, f.Name, f.Value)
	}
	return n
}

func init() {
	interp.RegisterModule("types", func() *interp.Module {
		m := interp.NewModule("types")
		m.Set("SimpleNamespace", namespaceClass)
		m.Set("FunctionType", interp.FunctionClass)
		m.Set("BuiltinFunctionType", interp.BuiltinFunctionClass)
		m.Set("MethodType", interp.MethodClass)
		m.Set("ModuleType", interp.ModuleClass)
		m.Set("GeneratorType", interp.GeneratorClass)
		m.Set("CoroutineType", interp.CoroutineClass)
		m.Set("NoneType", interp.NoneClass)
		return m
	})
	interp.SetConstructor(namespaceClass, func(th *interp.Thread, cls *interp.Class, args []interp.Value, kw []interp.KV) interp.Value {
		n := NewNamespace().(*namespace)
		if len(args) > 1 {
			th.TypeError("SimpleNamespace expected at most 1 argument, got %d", len(args))
		}
		if len(args) == 1 {
			if d, ok := args[0].(*interp.Dict); ok {
				for _, it := range d.Items() {
					n.SetAttrJac(th, interp.ToStr(th, it.Key), it.Value)
				}
			}
		}
		for _, a := range kw {
			n.SetAttrJac(th, a.Name, a.Value)
		}
		return n
	})
}
