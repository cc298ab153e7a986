package server

import (
	"sort"
	"strings"

	"github.com/jacscale/jac/runtime/interp"
)

// endpoint is a walker or function served over HTTP.
type endpoint struct {
	name      string
	walker    *interp.Class    // set for walkers
	fn        *interp.Function // set for functions
	method    string
	path      string   // route path ("/walker/W", "/function/f", or the restspec path)
	pathVars  []string // the "{name}" segments of path
	protocol  string   // http | webhook | websocket
	broadcast bool     // websocket: replies go to every connection of the walker
	public    bool
	access    string
	params    []param
	doc       string
}

// hasPathParam reports whether the route path binds name from a "{name}" segment.
func (e *endpoint) hasPathParam(name string) bool {
	for _, v := range e.pathVars {
		if v == name {
			return true
		}
	}
	return false
}

func (e *endpoint) kind() string {
	if e.walker != nil {
		return "walker"
	}
	return "function"
}

// discover lists the endpoints of the program's main module.
func discover(prog *interp.Program) []*endpoint {
	var out []*endpoint
	mod := prog.Main
	for _, name := range mod.Names() {
		v, _ := mod.Get(name)
		switch x := v.(type) {
		case *interp.Class:
			if x.Kind != interp.KindWalker || x.Name != name {
				continue
			}
			imported := x.SourceFile != mod.File
			if imported && x.Access == "priv" {
				continue // :priv walkers imported from another module are not served
			}
			out = append(out, walkerEndpoint(x))
		case *interp.Function:
			if x.Module() != mod || x.Name() != name || strings.HasPrefix(name, "_") || x.Owner != nil {
				continue
			}
			out = append(out, funcEndpoint(x))
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].kind() != out[j].kind() {
			return out[i].kind() == "walker"
		}
		return false
	})
	return out
}

func applySpec(e *endpoint, spec *interp.RestSpec, defaultPath string) {
	e.method, e.path, e.protocol = "POST", defaultPath, "http"
	if spec == nil {
		return
	}
	if spec.Method != "" {
		e.method = spec.Method
	}
	if spec.Path != "" {
		e.path = "/" + strings.TrimLeft(spec.Path, "/")
	}
	if e.walker != nil && spec.Protocol != "" {
		e.protocol = spec.Protocol
		e.broadcast = spec.Broadcast
	}
	switch e.protocol {
	case "webhook":
		e.method, e.path = "POST", "/webhook/"+e.name
	case "websocket":
		e.method, e.path = "GET", "/ws/"+e.name
	}
	e.pathVars = templateParams(e.path)
}

func walkerEndpoint(c *interp.Class) *endpoint {
	e := &endpoint{name: c.Name, walker: c, access: c.Access, public: c.Access == "pub", doc: c.Doc}
	applySpec(e, interp.RestSpecOf(c), "/walker/"+c.Name)
	for _, f := range c.Fields {
		if f.PostInit {
			continue
		}
		p := param{name: f.Name, typ: f.Type, required: !f.HasDefault}
		if f.HasDefault {
			f := f
			p.def = func(th *interp.Thread) interp.Value {
				if f.DefaultFn != nil {
					return f.DefaultFn(th)
				}
				return f.Default
			}
		}
		e.params = append(e.params, p)
	}
	return e
}

func funcEndpoint(fn *interp.Function) *endpoint {
	code := fn.Code()
	e := &endpoint{name: fn.Name(), fn: fn, access: code.Access, public: code.Access == "pub", doc: code.Doc}
	applySpec(e, interp.RestSpecOf(fn), "/function/"+fn.Name())
	e.protocol = "http"
	annots := fn.ParamAnnotations()
	defaults := fn.Defaults()
	firstDefault := code.NPos - len(defaults)
	for i := 0; i < code.NPos+code.NKwOnly && i < len(code.Params); i++ {
		p := param{name: code.Params[i], required: true}
		if i < len(annots) {
			p.typ = annots[i]
		}
		if i < code.NPos && i >= firstDefault {
			d := defaults[i-firstDefault]
			p.required, p.def = false, func(*interp.Thread) interp.Value { return d }
		} else if i >= code.NPos {
			if d, ok := fn.KwDefaults()[p.name]; ok {
				p.required, p.def = false, func(*interp.Thread) interp.Value { return d }
			}
		}
		e.params = append(e.params, p)
	}
	return e
}
