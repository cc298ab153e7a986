package main

import (
	_ "github.com/jacscale/jac/runtime/pylib" // the Python library modules
	"github.com/jacscale/jac/runtime/stdlib"
)

// The library comes from two packages while they are being merged: each
// registers its modules on import; stdlib's math and datetime (more complete,
// compared byte for byte with CPython in its tests) replace pylib's here.
func init() { stdlib.RegisterOverrides() }
