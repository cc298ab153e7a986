package server

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"go.opentelemetry.io/otel/trace"

	"github.com/jacscale/jac/runtime/interp"
)

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	h := func(f func(http.ResponseWriter, *http.Request) error) http.Handler { return handlerFunc(f) }
	mux.Handle("/walker/{name}", h(s.handleWalker))
	mux.Handle("/walker/{name}/{node_id}", h(s.handleWalker))
	mux.Handle("/function/{name}", h(s.handleFunction))
	mux.Handle("POST /user/register", h(s.handleRegister))
	mux.Handle("POST /user/login", h(s.handleLogin))
	mux.Handle("POST /user/refresh-token", h(s.handleRefresh))
	mux.Handle("POST /user/logout", h(s.handleLogout))
	mux.Handle("PUT /user/password", h(s.handlePassword))
	mux.Handle("PUT /user/username", h(s.handleUsername))
	mux.Handle("POST /traverse", h(s.handleTraverse))
	mux.Handle("GET /sso/{platform}/{mode}", h(s.handleSSOStart))
	mux.Handle("GET /sso/{platform}/{mode}/callback", h(s.handleSSOCallback))
	mux.Handle("POST /api-key/create", h(s.handleAPIKeyCreate))
	mux.Handle("GET /api-key/list", h(s.handleAPIKeyList))
	mux.Handle("DELETE /api-key/{id}", h(s.handleAPIKeyDelete))
	mux.Handle("GET /healthz", h(func(w http.ResponseWriter, r *http.Request) error {
		writeJSON(w, 200, map[string]string{"status": "ok"})
		return nil
	}))
	mux.Handle("GET /healthz/live", h(func(w http.ResponseWriter, r *http.Request) error {
		writeJSON(w, 200, map[string]string{"status": "alive"})
		return nil
	}))
	mux.Handle("GET /healthz/ready", h(func(w http.ResponseWriter, r *http.Request) error {
		if !s.ready.Load() || s.draining.Load() {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
			return nil
		}
		if err := s.storeFault(); err != nil {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": "the store cannot commit: " + err.Error()})
			return nil
		}
		writeJSON(w, 200, map[string]string{"status": "ready"})
		return nil
	}))
	mux.Handle("GET /ws/{name}", h(s.handleWS))
	mux.Handle("GET /static/", h(s.handleStatic))
	mux.Handle("GET /cl/", h(s.handleClientPage))
	mux.Handle("GET /graph", h(s.handleGraphPage))
	mux.Handle("GET /graph/data", h(s.handleGraphData))
	mux.Handle("GET /openapi.json", h(s.handleOpenAPI))
	mux.Handle("GET /docs", h(s.handleDocs))
	mux.Handle("GET /docs/", h(s.handleDocsAssets))
	mux.Handle("GET /redoc", h(s.handleRedoc))
	if s.cfg.Dev {
		mux.Handle("GET /introspect/walkers", h(s.handleIntrospectWalkers))
		mux.Handle("GET /introspect/functions", h(s.handleIntrospectFunctions))
		mux.Handle("GET /introspect/walker/{name}", h(s.handleIntrospectWalker))
	}
	if s.cfg.Monitoring.Enabled {
		mux.Handle("GET "+s.cfg.Monitoring.Path, s.metrics.handler())
	}
	mux.Handle("/", h(s.handleCustom))
	return s.middleware(mux)
}

// statusWriter records the status for metrics and logs.
type statusWriter struct {
	http.ResponseWriter
	status int
	s      *Server
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
		for k, v := range w.s.cfg.ResponseHeaders {
			w.Header()[k] = []string{v}
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(p)
}

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// middleware: recovery, CORS, custom headers, body limit, metrics, access log.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		w := &statusWriter{ResponseWriter: rw, s: s}
		if s.tracing != nil && protectedRoute(r.URL.Path, s.cfg.Monitoring.Path) { // not probes, metrics or assets
			var span trace.Span
			r, span = s.tracing.startRequest(r)
			defer func() { s.tracing.endRequest(span, r, w.status) }()
		}
		defer func() {
			if rec := recover(); rec != nil {
				slog.ErrorContext(r.Context(), "panic serving request", "path", r.URL.Path, "panic", fmt.Sprint(rec), "stack", string(debug.Stack()))
				if w.status == 0 {
					serveError(w, r, envelopeErr(500, "INTERNAL_ERROR", "internal server error"))
				}
			}
			s.metrics.request(requestLabel(r), r.Method, w.status, time.Since(start))
			if w.status >= 500 {
				slog.WarnContext(r.Context(), "request failed", "method", r.Method, "route", requestLabel(r), "status", w.status)
			}
		}()
		if s.cors(w, r) {
			return
		}
		limit := s.cfg.BodyLimit
		if strings.HasPrefix(r.URL.Path, "/webhook/") {
			limit = s.cfg.WebhookLimit
		}
		if r.ContentLength < 0 || r.ContentLength > limit {
			// a body of a declared length within the limit is already
			// bounded by net/http to that length
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		if err := s.limits.checkRequest(r, s.cfg.Monitoring.Path); err != nil {
			serveError(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	allowed := false
	for _, o := range s.cfg.CORSOrigins {
		if o == "*" || o == origin {
			allowed = true
		}
	}
	if !allowed {
		return false
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Allow-Credentials", "true")
	h.Add("Vary", "Origin")
	if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
		h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS")
		reqH := r.Header.Get("Access-Control-Request-Headers")
		if reqH == "" {
			reqH = "Authorization, Content-Type"
		}
		h.Set("Access-Control-Allow-Headers", reqH)
		h.Set("Access-Control-Max-Age", "600")
		w.WriteHeader(http.StatusNoContent)
		return true
	}
	return false
}

func methodNotAllowed(allow ...string) error {
	return &apiError{status: http.StatusMethodNotAllowed, plain: map[string]any{"detail": "Method Not Allowed"},
		header: http.Header{"Allow": {strings.Join(allow, ", ")}}}
}

func (s *Server) handleWalker(w http.ResponseWriter, r *http.Request) error {
	s.mu.RLock()
	ep := s.walkers[r.PathValue("name")]
	s.mu.RUnlock()
	if ep == nil || ep.protocol != "http" || ep.path != "/walker/"+ep.name {
		return errNotFound
	}
	if r.Method != ep.method {
		return methodNotAllowed(ep.method)
	}
	return s.serveEndpoint(w, r, ep, r.PathValue("node_id"))
}

func (s *Server) handleFunction(w http.ResponseWriter, r *http.Request) error {
	s.mu.RLock()
	ep := s.functions[r.PathValue("name")]
	s.mu.RUnlock()
	if ep == nil || ep.path != "/function/"+ep.name {
		return errNotFound
	}
	if r.Method != ep.method {
		return methodNotAllowed(ep.method)
	}
	return s.serveEndpoint(w, r, ep, "")
}

// handleCustom serves @restspec paths, their "{name}" wildcards and the
// /{node_id} form of walkers; the rest is an asset or 404.
func (s *Server) handleCustom(w http.ResponseWriter, r *http.Request) error {
	ep, m, allow := s.matchCustom(r.Method, pathSegments(r.URL.EscapedPath()))
	if ep == nil {
		if len(allow) > 0 {
			return methodNotAllowed(allow...)
		}
		if r.Method == http.MethodGet && s.serveAsset(w, r) {
			return nil
		}
		return errNotFound
	}
	for name, v := range m.values {
		r.SetPathValue(name, v)
	}
	if ep.protocol == "webhook" {
		return s.serveWebhook(w, r, ep)
	}
	return s.serveEndpoint(w, r, ep, m.node)
}

// matchCustom finds the most specific endpoint whose path template matches
// segs for method; when only other methods match it returns them, sorted.
func (s *Server) matchCustom(method string, segs []string) (*endpoint, routeMatch, []string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var best *endpoint
	var bestMatch routeMatch
	allowed := map[string]bool{}
	for _, ep := range s.endpoints {
		if ep.protocol == "websocket" {
			continue
		}
		m, ok := matchTemplate(ep.path, segs, ep.walker != nil && ep.protocol == "http")
		if !ok {
			continue
		}
		if ep.method != method {
			allowed[ep.method] = true
			continue
		}
		if best == nil || m.wildcards() < bestMatch.wildcards() {
			best, bestMatch = ep, m
		}
	}
	if best != nil {
		return best, bestMatch, nil
	}
	allow := make([]string, 0, len(allowed))
	for m := range allowed {
		allow = append(allow, m)
	}
	sort.Strings(allow)
	return nil, routeMatch{}, allow
}

// form is a multipart request's fields and files.
type form struct {
	fields map[string]string
	files  map[string]*uploadFile
}

// bindParams binds fields from path, multipart form, query (GET) and JSON body.
func (s *Server) bindParams(th *interp.Thread, r *http.Request, ep *endpoint, body map[string]any, mf *form) ([]interp.KV, error) {
	var kws []interp.KV
	var problems []validationItem
	for _, p := range ep.params {
		var v interp.Value
		var bad *validationItem
		switch {
		case ep.hasPathParam(p.name) && r.PathValue(p.name) != "":
			v, bad = coerceQuery(th, r.PathValue(p.name), p.typ, []any{"path", p.name})
		case mf != nil:
			if isUploadType(p.typ) {
				f, ok := mf.files[p.name]
				if !ok {
					problems = append(problems, missing("body", p.name))
					continue
				}
				v = f
				break
			}
			raw, ok := mf.fields[p.name]
			if !ok {
				if p.required {
					problems = append(problems, missing("body", p.name))
				}
				continue
			}
			v, bad = coerceQuery(th, raw, p.typ, []any{"body", p.name})
		case r.Method == http.MethodGet:
			q, ok := r.URL.Query()[p.name]
			if !ok {
				if p.required {
					problems = append(problems, validationItem{Type: "missing", Loc: []any{"query", p.name}, Msg: "Field required"})
				}
				continue
			}
			v, bad = coerceQuery(th, q[0], p.typ, []any{"query", p.name})
		default:
			raw, ok := body[p.name]
			if !ok {
				if p.required {
					problems = append(problems, missing("body", p.name))
				}
				continue
			}
			v, bad = coerce(th, raw, p.typ, []any{"body", p.name})
		}
		if bad != nil {
			problems = append(problems, *bad)
			continue
		}
		kws = append(kws, interp.KV{Name: p.name, Value: v})
	}
	if len(problems) > 0 {
		return nil, errValidation(problems...)
	}
	return kws, nil
}

func (s *Server) serveEndpoint(w http.ResponseWriter, r *http.Request, ep *endpoint, nodeID string) error {
	user, root, err := s.caller(r, ep.public)
	if err != nil {
		return err
	}
	return s.runEndpoint(w, r, ep, nodeID, user, root)
}

// runEndpoint binds the request and runs a walker or function on root.
func (s *Server) runEndpoint(w http.ResponseWriter, r *http.Request, ep *endpoint, nodeID string, user *User, root interp.ID) error {
	if err := s.limits.checkUser(r.Context(), user); err != nil {
		return err
	}
	var body map[string]any // nil: {} or no body
	var mf *form
	switch {
	case isMultipart(r):
		fields, files, err := s.multipartBody(r)
		if err != nil {
			return err
		}
		mf = &form{fields: fields, files: files}
		defer mf.close()
	case r.Method != http.MethodGet:
		if err := decodeBody(r, &body); err != nil {
			return err
		}
	}
	s.tracing.setUser(r.Context(), user)
	c := &call{root: root, user: user, target: nodeID, ep: ep}
	start := time.Now()
	c.run = func(th *interp.Thread, target interp.Value) (interp.Value, *interp.List) {
		ep := c.endpoint()
		kws, err := s.bindParams(th, r, ep, body, mf)
		if err != nil {
			c.bindErr = err
			return interp.None, interp.NewList(nil)
		}
		if ep.walker != nil {
			return spawnWalker(th, ep.walker, kws, target)
		}
		reports := interp.NewList(nil)
		th.SetReports(reports)
		res := th.Await(th.Call(ep.fn, nil, kws))
		return res, reports
	}
	ctx, span := s.tracing.startWalker(r.Context(), ep)
	res, err := s.execute(ctx, c)
	s.tracing.endWalker(span, res, err)
	if c.bindErr != nil {
		return c.bindErr
	}
	if ep.walker != nil {
		s.metrics.walker(ep.name, time.Since(start))
	}
	if err != nil {
		return err
	}
	if streamable(res) {
		return s.stream(w, r, res)
	}
	w.Header()["Content-Type"] = jsonContentType
	w.WriteHeader(http.StatusOK)
	w.Write(responseBody(res.head.Bytes(), res.warnings))
	return nil
}

func jsonRaw(v any) json.RawMessage { b, _ := json.Marshal(v); return b }

// spawnWalker builds a walker from keyword arguments, spawns it on target and
// returns its result with the list of its reports.
func spawnWalker(th *interp.Thread, walker interp.Value, kws []interp.KV, target interp.Value) (interp.Value, *interp.List) {
	wk := th.Call(walker, nil, kws)
	th.Await(th.Spawn(wk, target)) // an async walker's spawn is a coroutine
	rep, _ := interp.LookupAttr(th, wk, "reports")
	l, _ := rep.(*interp.List)
	if l == nil {
		l = interp.NewList(nil)
	}
	return th.Await(wk), l
}
