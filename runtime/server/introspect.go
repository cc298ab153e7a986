package server

import (
	"net/http"

	"github.com/jacscale/jac/runtime/interp"
)

// Development-mode routes (jac start --dev): what the program serves, with types.

func (s *Server) introspectParams(th *interp.Thread, ep *endpoint) map[string]any {
	out := map[string]any{}
	for _, p := range ep.params {
		f := map[string]any{"type": schemaOf(th, p.typ), "required": p.required}
		if p.def != nil {
			var d interp.Value
			if th.Protect(func() { d = p.def(th) }) == nil {
				f["default"] = encodeValue(th, d)
			}
		}
		out[p.name] = f
	}
	return out
}

func (s *Server) withThread(r *http.Request, f func(th *interp.Thread)) {
	s.mu.RLock()
	prog := s.prog
	s.mu.RUnlock()
	prog.Lock()
	defer prog.Unlock()
	f(interp.NewThread(r.Context(), prog, s.out))
}

func (s *Server) handleIntrospectWalkers(w http.ResponseWriter, r *http.Request) error {
	out := map[string]any{}
	s.withThread(r, func(th *interp.Thread) {
		for _, ep := range s.endpoints {
			if ep.walker != nil {
				out[ep.name] = map[string]any{"fields": s.introspectParams(th, ep), "requires_auth": !ep.public,
					"method": ep.method, "path": ep.path, "protocol": ep.protocol}
			}
		}
	})
	writeJSON(w, http.StatusOK, map[string]any{"walkers": out})
	return nil
}

func (s *Server) handleIntrospectFunctions(w http.ResponseWriter, r *http.Request) error {
	out := map[string]any{}
	s.withThread(r, func(th *interp.Thread) {
		for _, ep := range s.endpoints {
			if ep.fn != nil {
				out[ep.name] = map[string]any{"parameters": s.introspectParams(th, ep), "requires_auth": !ep.public,
					"method": ep.method, "path": ep.path}
			}
		}
	})
	writeJSON(w, http.StatusOK, map[string]any{"functions": out})
	return nil
}

func (s *Server) handleIntrospectWalker(w http.ResponseWriter, r *http.Request) error {
	s.mu.RLock()
	ep := s.walkers[r.PathValue("name")]
	s.mu.RUnlock()
	if ep == nil {
		return errNotFound
	}
	var out map[string]any
	s.withThread(r, func(th *interp.Thread) {
		out = map[string]any{"name": ep.name, "fields": s.introspectParams(th, ep), "requires_auth": !ep.public,
			"method": ep.method, "path": ep.path, "protocol": ep.protocol, "doc": ep.doc}
	})
	writeJSON(w, http.StatusOK, out)
	return nil
}
