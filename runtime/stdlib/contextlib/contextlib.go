// Package contextlib implements Python's contextlib module: contextmanager,
// suppress and nullcontext.
package contextlib

import (
	"github.com/jacscale/jac/runtime/interp"
)

type suppress struct{ types []interp.Value }

var suppressClass = interp.NewBuiltinClass("suppress")

func (*suppress) Class() *interp.Class { return suppressClass }

func (s *suppress) Enter(th *interp.Thread) interp.Value { return interp.None }

func (s *suppress) Exit(th *interp.Thread, exc *interp.Instance) bool {
	if exc == nil {
		return false
	}
	for _, t := range s.types {
		if interp.IsInstance(th, exc, t) {
			return true
		}
	}
	return false
}

type nullContext struct{ v interp.Value }

var nullContextClass = interp.NewBuiltinClass("nullcontext")

func (*nullContext) Class() *interp.Class { return nullContextClass }

func (n *nullContext) Enter(th *interp.Thread) interp.Value { return n.v }

func (n *nullContext) Exit(th *interp.Thread, exc *interp.Instance) bool { return false }

// generatorCM is the context manager made by a @contextmanager function: the
// generator runs to its yield on enter and to its end on exit. An exception in
// the with body is not thrown into the generator (it propagates after cleanup).
type generatorCM struct{ it interp.Iterator }

var generatorCMClass = interp.NewBuiltinClass("_GeneratorContextManager")

func (*generatorCM) Class() *interp.Class { return generatorCMClass }

func (g *generatorCM) Enter(th *interp.Thread) interp.Value {
	v, ok := g.it.Next(th)
	if !ok {
		th.Raise(interp.RuntimeErrorClass, "generator didn't yield")
	}
	return v
}

func (g *generatorCM) Exit(th *interp.Thread, exc *interp.Instance) bool {
	if _, ok := g.it.Next(th); ok && exc == nil {
		th.Raise(interp.RuntimeErrorClass, "generator didn't stop")
	}
	return false
}

func init() {
	interp.RegisterModule("contextlib", func() *interp.Module {
		m := interp.NewModule("contextlib")
		m.Set("suppress", interp.NewBuiltin("suppress", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return &suppress{types: append([]interp.Value{}, args...)}
		}))
		m.Set("nullcontext", interp.NewBuiltin("nullcontext", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "nullcontext", args, kw, "enter_result?")
			if a[0] == nil {
				return &nullContext{v: interp.None}
			}
			return &nullContext{v: a[0]}
		}))
		m.Set("contextmanager", interp.NewBuiltin("contextmanager", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) != 1 {
				th.TypeError("contextmanager() takes exactly one argument")
			}
			f := args[0]
			return interp.NewBuiltin("helper", func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value {
				return &generatorCM{it: interp.GetIter(th, th.Call(f, a, k))}
			})
		}))
		return m
	})
}
