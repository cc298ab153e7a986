package server

import (
	"net/http"
	"time"
)

// HTTPLimits bound what one connection or client can hold of the server
// (docs/security.md lists each with its key and what a client sees).
type HTTPLimits struct {
	ReadHeaderTimeout time.Duration // the request line and headers
	ReadTimeout       time.Duration // the whole request, body included
	WriteTimeout      time.Duration // from the end of the headers to the end of the response (not SSE or WebSocket)
	IdleTimeout       time.Duration // a keep-alive connection between requests
	MaxConns          int           // open connections (0: no bound)
	MaxConnsPerClient int           // open connections from one IP (0: no bound)
}

func defaultHTTPLimits() HTTPLimits {
	maxConns := defaultMaxConns()
	return HTTPLimits{
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxConns:          maxConns,
		MaxConnsPerClient: maxConns / 2,
	}
}

// httpLimitsTOML is [plugins.scale.server]'s part for HTTPLimits (seconds).
type httpLimitsTOML struct {
	ReadHeaderTimeout *int `toml:"read_header_timeout"`
	ReadTimeout       *int `toml:"read_timeout"`
	WriteTimeout      *int `toml:"write_timeout"`
	IdleTimeout       *int `toml:"idle_timeout"`
	MaxConns          *int `toml:"max_connections"`
	MaxConnsPerClient *int `toml:"max_connections_per_client"`
}

func (l *HTTPLimits) applyTOML(t httpLimitsTOML) {
	for _, d := range []struct {
		dst *time.Duration
		v   *int
	}{{&l.ReadHeaderTimeout, t.ReadHeaderTimeout}, {&l.ReadTimeout, t.ReadTimeout},
		{&l.WriteTimeout, t.WriteTimeout}, {&l.IdleTimeout, t.IdleTimeout}} {
		if d.v != nil && *d.v >= 0 {
			*d.dst = time.Duration(*d.v) * time.Second
		}
	}
	for _, n := range []struct {
		dst *int
		v   *int
	}{{&l.MaxConns, t.MaxConns}, {&l.MaxConnsPerClient, t.MaxConnsPerClient}} {
		if n.v != nil && *n.v >= 0 {
			*n.dst = *n.v
		}
	}
}

func (l *HTTPLimits) applyEnv() {
	for name, dst := range map[string]*time.Duration{
		"JAC_READ_HEADER_TIMEOUT": &l.ReadHeaderTimeout, "JAC_READ_TIMEOUT": &l.ReadTimeout,
		"JAC_WRITE_TIMEOUT": &l.WriteTimeout, "JAC_IDLE_TIMEOUT": &l.IdleTimeout,
	} {
		if n, ok := envInt(name); ok {
			*dst = time.Duration(n) * time.Second
		}
	}
	for name, dst := range map[string]*int{"JAC_MAX_CONNECTIONS": &l.MaxConns, "JAC_MAX_CONNECTIONS_PER_CLIENT": &l.MaxConnsPerClient} {
		if n, ok := envInt(name); ok {
			*dst = n
		}
	}
}

// httpServer is the net/http server with the configured timeouts.
func (s *Server) httpServer() *http.Server {
	l := s.cfg.HTTP
	return &http.Server{Handler: s.handler, ReadHeaderTimeout: l.ReadHeaderTimeout, ReadTimeout: l.ReadTimeout,
		WriteTimeout: l.WriteTimeout, IdleTimeout: l.IdleTimeout, MaxHeaderBytes: 1 << 20}
}

// streaming lifts the read and write deadlines of a response that lasts as
// long as its client wants (an SSE stream, a WebSocket): the connection's
// timeouts are for requests, not for these.
func streaming(w http.ResponseWriter) {
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Time{})
	rc.SetWriteDeadline(time.Time{})
}

// storeFault is the store's report of why it cannot commit now (nil: it can).
func (s *Server) storeFault() error {
	if h, ok := s.backend.(interface{ Healthy() error }); ok {
		return h.Healthy()
	}
	return nil
}
