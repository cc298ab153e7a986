package native

import "github.com/jacscale/jac/runtime/interp"

// Method is the signature of a method, written in Go, of a class-kind class.
type Method = func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value

// NewClass makes a class-kind class of module, so that Jac subclasses can
// override its dunder methods (the library class reaches them through self).
func NewClass(name, module string) *interp.Class {
	c := interp.NewBuiltinClass(name, interp.ObjectClass)
	c.Module = module
	c.Kind = interp.KindClass
	return c
}

// SetAttr sets an attribute of self, an instance of a class made by NewClass.
func SetAttr(self interp.Value, name string, v interp.Value) {
	self.(*interp.Instance).SetExtraAttr(name, v)
}

// CallMethod calls method name of self (so that a subclass override is used).
func CallMethod(th *interp.Thread, self interp.Value, name string, args ...interp.Value) interp.Value {
	return th.Call(interp.GetAttr(th, self, name), args, nil)
}
