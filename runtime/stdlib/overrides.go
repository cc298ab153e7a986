package stdlib

// The modules below are registered by init (runtime/pylib no longer has its own).
func init() {
	registerJson()
	registerFunctools()
	registerTextwrap()
	registerFractions()
	registerItertools()
}

// RegisterOverrides registers this package's math and datetime modules, replacing
// runtime/pylib's (which other pylib modules still build on). Call it after both
// packages are initialised (the jac binary does, in cmd/jac/library.go).
func RegisterOverrides() {
	registerMath()
	registerDatetime()
}
