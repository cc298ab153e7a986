package stdlib

// RegisterOverrides registers this package's json, math, functools, textwrap,
// fractions, itertools and datetime modules, replacing any registered earlier
// (runtime/pylib has its own). They are not registered by init so that
// importing this package together with pylib is deterministic; call this after
// both packages are initialised (e.g. first thing in main) to opt in.
func RegisterOverrides() {
	registerJson()
	registerMath()
	registerFunctools()
	registerTextwrap()
	registerFractions()
	registerItertools()
	registerDatetime()
}
