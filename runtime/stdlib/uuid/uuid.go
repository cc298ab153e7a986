// Package uuid implements the part of Python's uuid module programs use: uuid4
// and the UUID class.
package uuid

import (
	"github.com/jacscale/jac/runtime/interp"
)

var class = interp.NewBuiltinClass("UUID", interp.ObjectClass)

type value struct{ id interp.ID }

func (*value) Class() *interp.Class { return class }

// StrJac is the dashed form.
func (u *value) StrJac(th *interp.Thread) string { return u.id.UUID() }

// ReprJac is UUID('...').
func (u *value) ReprJac(th *interp.Thread) string { return "UUID('" + u.id.UUID() + "')" }

// EqualJac compares ids.
func (u *value) EqualJac(th *interp.Thread, o interp.Value) (bool, bool) {
	x, ok := o.(*value)
	return ok && x.id == u.id, true
}

// HashJac hashes the id.
func (u *value) HashJac(th *interp.Thread) uint64 { return interp.Hash(th, interp.Str(u.id.Hex())) }

// AttrJac exposes hex and friends.
func (u *value) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	switch name {
	case "hex":
		return interp.Str(u.id.Hex()), true
	case "bytes":
		return interp.Bytes(u.id[:]), true
	case "version":
		return interp.MakeInt(int64(u.id[6] >> 4)), true
	}
	return nil, false
}

func init() {
	interp.RegisterModule("uuid", func() *interp.Module {
		m := interp.NewModule("uuid")
		m.Set("uuid4", interp.NewBuiltin("uuid4", func(*interp.Thread, []interp.Value, []interp.KV) interp.Value {
			return &value{id: interp.NewID()}
		}))
		m.Set("UUID", interp.NewBuiltin("UUID", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			id, ok := interp.ParseID(interp.ToStr(th, a[0]))
			if !ok {
				th.ValueError("badly formed hexadecimal UUID string")
			}
			return &value{id: id}
		}))
		return m
	})
}
