package interp

import "strings"

// Core modules the interpreter itself depends on. runtime/stdlib may register
// fuller versions of the same names; the last registration wins.

// HTTPMethodClass is http.HTTPMethod.
var HTTPMethodClass = &Class{Name: "HTTPMethod", Module: "http", Kind: KindEnum, attrs: map[string]Value{}, enumBase: StrClass}

func init() {
	HTTPMethodClass.Bases = []*Class{StrEnumClass}
	HTTPMethodClass.computeMRO()
	for _, m := range []string{"CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE"} {
		addEnumMember(HTTPMethodClass, m, Str(m))
	}
	RegisterModule("http", func() *Module {
		m := NewModule("http")
		m.Set("HTTPMethod", HTTPMethodClass)
		return m
	})
	RegisterModule("enum", func() *Module {
		m := NewModule("enum")
		m.Set("Enum", EnumClass)
		m.Set("IntEnum", IntEnumClass)
		m.Set("StrEnum", StrEnumClass)
		m.Set("auto", NewBuiltin("auto", func(th *Thread, args []Value, kw []KV) Value { return &autoValue{} }))
		m.Set("unique", NewBuiltin("unique", func(th *Thread, args []Value, kw []KV) Value { return args[0] }))
		return m
	})
	for _, name := range []string{"typing", "asyncio", "dataclasses", "abc", "__future__"} {
		name := name
		RegisterModule(name, func() *Module { return inertModule(name) })
	}
}

// inertModule is a placeholder module whose every name is an identity-ish value,
// enough for annotations (`typing.Optional[int]`) and decorators that only mark.
func inertModule(name string) *Module {
	m := NewModule(name)
	ident := NewBuiltin("identity", func(th *Thread, args []Value, kw []KV) Value {
		if len(args) == 1 && len(kw) == 0 {
			return args[0]
		}
		return NewBuiltin("identity", func(th *Thread, a []Value, k []KV) Value {
			if len(a) > 0 {
				return a[0]
			}
			return None
		})
	})
	switch name {
	case "typing":
		for _, n := range []string{"Any", "Optional", "Union", "List", "Dict", "Tuple", "Set", "Callable", "Generator",
			"Iterator", "Iterable", "AsyncGenerator", "Literal", "ClassVar", "Type", "Sequence", "Mapping", "Awaitable"} {
			m.Set(n, &inertType{name: n})
		}
		m.Set("Coroutine", CoroutineClass)
		m.Set("TypeVar", ident)
		m.Set("cast", NewBuiltin("cast", func(th *Thread, args []Value, kw []KV) Value { return args[len(args)-1] }))
		m.Set("TYPE_CHECKING", False)
		m.Set("Protocol", ObjectClass)
	case "asyncio":
		asyncioModule(m)
	case "dataclasses", "abc":
		if name == "dataclasses" {
			m.Set("dataclass", NewBuiltin("dataclass", dataclassDecorator))
			m.Set("FrozenInstanceError", FrozenInstanceErrorClass)
		}
		m.Set("field", NewBuiltin("field", func(th *Thread, args []Value, kw []KV) Value {
			if d, ok := kwArg(kw, "default"); ok {
				return d
			}
			return None
		}))
		m.Set("abstractmethod", ident)
		m.Set("ABC", ObjectClass)
	}
	return m
}

// inertType stands for typing names: subscripting or calling it gives itself.
type inertType struct{ name string }

func (*inertType) Class() *Class { return TypeClass }

// GetItemJac makes Optional[int] work.
func (t *inertType) GetItemJac(th *Thread, k Value) Value {
	if t.name == "Optional" {
		return &UnionType{Args: []Value{k, None}}
	}
	return t
}

// ReprJac renders typing.X.
func (t *inertType) ReprJac(th *Thread) string { return "typing." + strings.TrimSpace(t.name) }
