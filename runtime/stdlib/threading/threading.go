// Package threading implements the part of Python's threading module that
// single-threaded programs use: Lock and RLock.
package threading

import (
	"github.com/jacscale/jac/runtime/interp"
)

// Lock is threading.Lock (and RLock, asyncio.Lock): the interpreter runs one
// thread per request, so it only records whether it is held.
type Lock struct{ locked bool }

var lockClass = interp.NewBuiltinClass("lock")

func (*Lock) Class() *interp.Class { return lockClass }

func (l *Lock) Enter(th *interp.Thread) interp.Value { l.locked = true; return interp.True }

func (l *Lock) Exit(th *interp.Thread, exc *interp.Instance) bool { l.locked = false; return false }

func (l *Lock) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	switch name {
	case "acquire":
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			l.locked = true
			return interp.True
		}), true
	case "release":
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if !l.locked {
				th.Raise(interp.RuntimeErrorClass, "release unlocked lock")
			}
			l.locked = false
			return interp.None
		}), true
	case "locked":
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.MakeBool(l.locked)
		}), true
	}
	return nil, false
}

func init() {
	interp.RegisterModule("threading", func() *interp.Module {
		m := interp.NewModule("threading")
		lock := interp.NewBuiltin("Lock", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value { return &Lock{} })
		m.Set("Lock", lock)
		m.Set("RLock", lock)
		return m
	})
}
