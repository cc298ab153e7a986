package native

import (
	"math/big"

	"github.com/jacscale/jac/runtime/interp"
)

// BigInt is the integer v (int or bool), or TypeError.
func BigInt(th *interp.Thread, v interp.Value) *big.Int {
	switch x := v.(type) {
	case interp.Int:
		return big.NewInt(int64(x))
	case interp.Bool:
		if x {
			return big.NewInt(1)
		}
		return big.NewInt(0)
	case *interp.BigInt:
		return new(big.Int).Set(x.Value())
	}
	th.TypeError("'%s' object cannot be interpreted as an integer", interp.TypeName(v))
	return nil
}

// IsInt reports whether v is an int or a bool.
func IsInt(v interp.Value) bool {
	switch v.(type) {
	case interp.Int, interp.Bool, *interp.BigInt:
		return true
	}
	return false
}
