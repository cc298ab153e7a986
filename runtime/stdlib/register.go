package stdlib

// Modules whose files have no init of their own.
func init() {
	registerJson()
	registerFunctools()
	registerTextwrap()
	registerFractions()
	registerItertools()
	registerMath()
	registerDatetime()
}
