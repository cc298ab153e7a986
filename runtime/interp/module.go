package interp

// Module is a loaded Jac module (or a built-in library module).
type Module struct {
	Name    string
	File    string
	index   map[string]int
	names   []string
	globals []Value
	prog    *Program
	loaded  bool
}

func (*Module) Class() *Class { return ModuleClass }

// NewModule creates an empty module.
func NewModule(name string) *Module {
	return &Module{Name: name, index: map[string]int{}}
}

func (m *Module) slot(name string) int {
	if i, ok := m.index[name]; ok {
		return i
	}
	i := len(m.names)
	m.index[name] = i
	m.names = append(m.names, name)
	m.globals = append(m.globals, nil)
	return i
}

// Get returns a module global.
func (m *Module) Get(name string) (Value, bool) {
	if i, ok := m.index[name]; ok && m.globals[i] != nil {
		return m.globals[i], true
	}
	return nil, false
}

// Set sets a module global.
func (m *Module) Set(name string, v Value) { m.globals[m.slot(name)] = v }

// Names lists the module's defined globals in definition order.
func (m *Module) Names() []string {
	var out []string
	for i, n := range m.names {
		if m.globals[i] != nil {
			out = append(out, n)
		}
	}
	return out
}
