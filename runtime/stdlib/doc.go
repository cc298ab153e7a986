// Package stdlib implements, in Go, the Python standard-library modules Jac
// programs import (json, math, re, datetime, collections, ...). Each module
// registers itself with interp.RegisterModule from an init function; a binary
// enables them all with a blank import of this package.
package stdlib
