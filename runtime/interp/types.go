package interp

// newClass creates a built-in class with single inheritance (nil base: object).
func newClass(name string, base *Class) *Class {
	c := &Class{Name: name, Module: "builtins", Kind: KindBuiltin, attrs: map[string]Value{}}
	if base != nil {
		c.Bases = []*Class{base}
		c.MRO = append([]*Class{c}, base.MRO...)
		c.isExc = base.isExc
	} else {
		c.MRO = []*Class{c}
	}
	return c
}

var (
	ObjectClass          = newClass("object", nil)
	TypeClass            = newClass("type", ObjectClass)
	NoneClass            = newClass("NoneType", ObjectClass)
	IntClass             = newClass("int", ObjectClass)
	BoolClass            = newClass("bool", IntClass)
	FloatClass           = newClass("float", ObjectClass)
	ComplexClass         = newClass("complex", ObjectClass)
	StrClass             = newClass("str", ObjectClass)
	BytesClass           = newClass("bytes", ObjectClass)
	ListClass            = newClass("list", ObjectClass)
	TupleClass           = newClass("tuple", ObjectClass)
	DictClass            = newClass("dict", ObjectClass)
	SetClass             = newClass("set", ObjectClass)
	FrozenSetClass       = newClass("frozenset", ObjectClass)
	RangeClass           = newClass("range", ObjectClass)
	SliceClass           = newClass("slice", ObjectClass)
	FunctionClass        = newClass("function", ObjectClass)
	BuiltinFunctionClass = newClass("builtin_function_or_method", ObjectClass)
	MethodClass          = newClass("method", ObjectClass)
	ModuleClass          = newClass("module", ObjectClass)
	GeneratorClass       = newClass("generator", ObjectClass)
	IteratorClass        = newClass("iterator", ObjectClass)
	CellClass            = newClass("cell", ObjectClass)
	EllipsisClass        = newClass("ellipsis", ObjectClass)
	NotImplementedClass  = newClass("NotImplementedType", ObjectClass)
	PropertyClass        = newClass("property", ObjectClass)
	StaticMethodClass    = newClass("staticmethod", ObjectClass)
	ClassMethodClass     = newClass("classmethod", ObjectClass)
	SuperClass           = newClass("super", ObjectClass)
	DictKeysClass        = newClass("dict_keys", ObjectClass)
	DictValuesClass      = newClass("dict_values", ObjectClass)
	DictItemsClass       = newClass("dict_items", ObjectClass)
	CoroutineClass       = newClass("coroutine", ObjectClass)
	FileClass            = newClass("TextIOWrapper", ObjectClass)

	// Archetype roots.
	ArchetypeClass  = newClass("Archetype", ObjectClass)
	NodeArchClass   = newClass("NodeArchetype", ArchetypeClass)
	EdgeArchClass   = newClass("EdgeArchetype", ArchetypeClass)
	WalkerArchClass = newClass("WalkerArchetype", ArchetypeClass)
	ObjArchClass    = newClass("ObjectArchetype", ArchetypeClass)
	EnumClass       = newClass("Enum", ObjectClass)
	IntEnumClass    = newClass("IntEnum", IntClass)
	StrEnumClass    = newClass("StrEnum", StrClass)

	// Exceptions.
	BaseExceptionClass = func() *Class {
		c := newClass("BaseException", ObjectClass)
		c.isExc = true
		c.isBaseExc = true
		return c
	}()
	ExceptionClass           = newClass("Exception", BaseExceptionClass)
	SystemExitClass          = newClass("SystemExit", BaseExceptionClass)
	KeyboardInterruptClass   = newClass("KeyboardInterrupt", BaseExceptionClass)
	GeneratorExitClass       = newClass("GeneratorExit", BaseExceptionClass)
	ArithmeticErrorClass     = newClass("ArithmeticError", ExceptionClass)
	ZeroDivisionErrorClass   = newClass("ZeroDivisionError", ArithmeticErrorClass)
	OverflowErrorClass       = newClass("OverflowError", ArithmeticErrorClass)
	LookupErrorClass         = newClass("LookupError", ExceptionClass)
	KeyErrorClass            = newClass("KeyError", LookupErrorClass)
	IndexErrorClass          = newClass("IndexError", LookupErrorClass)
	ValueErrorClass          = newClass("ValueError", ExceptionClass)
	UnicodeErrorClass        = newClass("UnicodeError", ValueErrorClass)
	UnicodeDecodeErrorClass  = newClass("UnicodeDecodeError", UnicodeErrorClass)
	UnicodeEncodeErrorClass  = newClass("UnicodeEncodeError", UnicodeErrorClass)
	TypeErrorClass           = newClass("TypeError", ExceptionClass)
	AttributeErrorClass      = newClass("AttributeError", ExceptionClass)
	NameErrorClass           = newClass("NameError", ExceptionClass)
	UnboundLocalErrorClass   = newClass("UnboundLocalError", NameErrorClass)
	RuntimeErrorClass        = newClass("RuntimeError", ExceptionClass)
	RecursionErrorClass      = newClass("RecursionError", RuntimeErrorClass)
	NotImplementedErrorClass = newClass("NotImplementedError", RuntimeErrorClass)
	StopIterationClass       = newClass("StopIteration", ExceptionClass)
	StopAsyncIterationClass  = newClass("StopAsyncIteration", ExceptionClass)
	AssertionErrorClass      = newClass("AssertionError", ExceptionClass)
	ImportErrorClass         = newClass("ImportError", ExceptionClass)
	ModuleNotFoundErrorClass = newClass("ModuleNotFoundError", ImportErrorClass)
	OSErrorClass             = newClass("OSError", ExceptionClass)
	FileNotFoundErrorClass   = newClass("FileNotFoundError", OSErrorClass)
	FileExistsErrorClass     = newClass("FileExistsError", OSErrorClass)
	PermissionErrorClass     = newClass("PermissionError", OSErrorClass)
	IsADirectoryErrorClass   = newClass("IsADirectoryError", OSErrorClass)
	NotADirectoryErrorClass  = newClass("NotADirectoryError", OSErrorClass)
	TimeoutErrorClass        = newClass("TimeoutError", OSErrorClass)
	ConnectionErrorClass     = newClass("ConnectionError", OSErrorClass)
	EOFErrorClass            = newClass("EOFError", ExceptionClass)
	MemoryErrorClass         = newClass("MemoryError", ExceptionClass)
	SyntaxErrorClass         = newClass("SyntaxError", ExceptionClass)
	SystemErrorClass         = newClass("SystemError", ExceptionClass)
	BufferErrorClass         = newClass("BufferError", ExceptionClass)
	WarningClass             = newClass("Warning", ExceptionClass)
	UserWarningClass         = newClass("UserWarning", WarningClass)
	DeprecationWarningClass  = newClass("DeprecationWarning", WarningClass)
	ExceptionGroupClass      = newClass("ExceptionGroup", ExceptionClass)
)

// exceptionClasses are the built-in exception names.
var exceptionClasses = []*Class{
	BaseExceptionClass, ExceptionClass, SystemExitClass, KeyboardInterruptClass, GeneratorExitClass,
	ArithmeticErrorClass, ZeroDivisionErrorClass, OverflowErrorClass, LookupErrorClass, KeyErrorClass,
	IndexErrorClass, ValueErrorClass, UnicodeErrorClass, UnicodeDecodeErrorClass, UnicodeEncodeErrorClass,
	TypeErrorClass, AttributeErrorClass, NameErrorClass, UnboundLocalErrorClass, RuntimeErrorClass,
	RecursionErrorClass, NotImplementedErrorClass, StopIterationClass, StopAsyncIterationClass,
	AssertionErrorClass, ImportErrorClass, ModuleNotFoundErrorClass, OSErrorClass, FileNotFoundErrorClass,
	FileExistsErrorClass, PermissionErrorClass, IsADirectoryErrorClass, NotADirectoryErrorClass,
	TimeoutErrorClass, ConnectionErrorClass, EOFErrorClass, MemoryErrorClass, SyntaxErrorClass,
	SystemErrorClass, BufferErrorClass, WarningClass, UserWarningClass, DeprecationWarningClass,
	ExceptionGroupClass,
}

func init() {
	for _, c := range exceptionClasses {
		c.isExc = true
	}
	ObjectClass.MRO = []*Class{ObjectClass}
}
