package main

import (
	_ "github.com/jacscale/jac/runtime/pylib" // the Python library modules
	"github.com/jacscale/jac/runtime/stdlib"
)

// The library comes from two packages while they are being merged: pylib
// registers its modules on import, stdlib adds the modules pylib lacks on import
// and, here, its more complete json, math, functools, itertools, textwrap,
// fractions and datetime (each compared byte for byte with CPython in its tests).
func init() { stdlib.RegisterOverrides() }
