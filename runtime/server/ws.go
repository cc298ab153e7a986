package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/jacscale/jac/runtime/interp"
)

// maxWSConns bounds the WebSocket connections of one process.
const maxWSConns = 10000

// Each WebSocket connection has a bounded queue of outgoing messages and one
// writer goroutine with a deadline per message: a member that does not read
// is dropped (queue full, or a write past its deadline) and a broadcast goes
// on to the others without waiting for it.
const (
	wsSendQueue    = 256
	wsWriteTimeout = 10 * time.Second
)

// wsConn is one WebSocket client of a walker.
type wsConn struct {
	c      *websocket.Conn
	authed atomic.Bool // has shown a valid token (receives private broadcasts); read by other members' broadcasts
	out    chan []byte
	done   chan struct{}
	once   sync.Once
}

func newWSConn(c *websocket.Conn) *wsConn {
	w := &wsConn{c: c, out: make(chan []byte, wsSendQueue), done: make(chan struct{})}
	go w.writeLoop()
	return w
}

// send queues v; a client whose queue is full is dropped.
func (w *wsConn) send(v []byte) {
	select {
	case w.out <- v:
	case <-w.done:
	default:
		w.drop()
	}
}

func (w *wsConn) writeLoop() {
	for {
		select {
		case v := <-w.out:
			ctx, cancel := context.WithTimeout(context.Background(), wsWriteTimeout)
			err := w.c.Write(ctx, websocket.MessageText, v)
			cancel()
			if err != nil {
				w.drop()
				return
			}
		case <-w.done:
			return
		}
	}
}

// drop closes the connection at once (its reader then ends the handler).
func (w *wsConn) drop() {
	w.once.Do(func() {
		close(w.done)
		w.c.CloseNow()
	})
}

// wsHub tracks open connections per walker, for broadcasts and shutdown.
type wsHub struct {
	mu    sync.Mutex
	conns map[string]map[*wsConn]bool
	n     int
}

func (h *wsHub) add(name string, c *wsConn) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.n >= maxWSConns {
		return false
	}
	if h.conns == nil {
		h.conns = map[string]map[*wsConn]bool{}
	}
	if h.conns[name] == nil {
		h.conns[name] = map[*wsConn]bool{}
	}
	h.conns[name][c] = true
	h.n++
	return true
}

func (h *wsHub) remove(name string, c *wsConn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.conns[name][c] {
		delete(h.conns[name], c)
		h.n--
	}
}

func (h *wsHub) peers(name string) []*wsConn {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]*wsConn, 0, len(h.conns[name]))
	for c := range h.conns[name] {
		out = append(out, c)
	}
	return out
}

// closeAll closes every connection (SIGTERM drain).
func (h *wsHub) closeAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, set := range h.conns {
		for c := range set {
			c.c.Close(websocket.StatusGoingAway, "server shutting down")
		}
	}
}

func wsError(code, msg string, details any) []byte {
	b, _ := json.Marshal(envelope{OK: false, Type: "error", Error: &envelopeError{Code: code, Message: msg, Details: details}})
	return b
}

// handleWS is GET /ws/{name}: the upgrade is accepted without a token; every text
// frame is one walker call answered on the same connection (or broadcast).
func (s *Server) handleWS(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("name")
	streaming(w) // the hijacked connection keeps no request deadline
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		return nil // Accept already answered
	}
	s.mu.RLock()
	ep := s.walkers[name]
	s.mu.RUnlock()
	if ep == nil {
		c.Close(4004, fmt.Sprintf("walker '%s' not found", name))
		return nil
	}
	if ep.protocol != "websocket" {
		c.Close(4000, fmt.Sprintf("walker '%s' is not a WebSocket walker; use %s", name, ep.path))
		return nil
	}
	conn := newWSConn(c)
	defer conn.drop()
	if !s.ws.add(name, conn) {
		c.Close(websocket.StatusTryAgainLater, "too many connections")
		return nil
	}
	defer s.ws.remove(name, conn)
	upgradeTok := r.URL.Query().Get("token")
	if upgradeTok == "" {
		upgradeTok = r.Header.Get("Authorization")
	}
	if upgradeTok != "" {
		if info, err := s.auth.verify(r.Context(), upgradeTok); err == nil && info != nil {
			conn.authed.Store(true)
		}
	}
	ctx := r.Context()
	client := s.limits.clientAddr(r)
	for {
		typ, data, err := c.Read(ctx)
		if err != nil {
			var ce websocket.CloseError
			if errors.As(err, &ce) {
				return nil
			}
			c.CloseNow()
			return nil
		}
		if err := s.limits.checkMessage(ctx, client); err != nil {
			conn.send(wsError(err.code, err.message, err.details))
			continue
		}
		if typ != websocket.MessageText {
			conn.send(wsError("VALIDATION_ERROR", "frames must be JSON text", nil))
			continue
		}
		reply, broadcast := s.wsCall(ctx, ep, conn, data, upgradeTok)
		if !broadcast {
			conn.send(reply)
			continue
		}
		for _, peer := range s.ws.peers(name) {
			if ep.public || peer.authed.Load() || peer == conn {
				peer.send(reply)
			}
		}
	}
}

// wsCall runs one message; it reports whether the reply is a broadcast.
func (s *Server) wsCall(ctx context.Context, ep *endpoint, conn *wsConn, data []byte, upgradeTok string) ([]byte, bool) {
	body := map[string]any{}
	if err := decodeJSONObject(data, &body); err != nil {
		var ae *apiError
		errors.As(err, &ae)
		return wsError("VALIDATION_ERROR", "message must be a JSON object", ae.plain.(map[string]any)["detail"]), false
	}
	tok := upgradeTok
	if v, ok := body["token"]; ok {
		hasField := false
		for _, p := range ep.params {
			if p.name == "token" {
				hasField = true
			}
		}
		if !ep.public || !hasField {
			delete(body, "token")
			if s, ok := v.(string); ok {
				tok = s
			}
		}
	}
	root := guestRoot
	var user *User
	if tok != "" {
		if info, err := s.auth.verify(ctx, tok); err == nil && info != nil {
			user, root = info.user, info.user.Root()
			conn.authed.Store(true)
		} else if !ep.public {
			return wsError("UNAUTHORIZED", "Invalid or missing token", nil), false
		}
	} else if !ep.public {
		return wsError("UNAUTHORIZED", "Invalid or missing token", nil), false
	}
	if err := s.limits.checkUser(ctx, user); err != nil {
		return wsError(err.code, err.message, err.details), false
	}
	c := &call{root: root, user: user, collect: true, ep: ep}
	c.run = func(th *interp.Thread, target interp.Value) (interp.Value, *interp.List) {
		ep := c.endpoint()
		var kws []interp.KV
		var problems []validationItem
		for _, p := range ep.params {
			raw, ok := body[p.name]
			if !ok {
				if p.required {
					problems = append(problems, missing("body", p.name))
				}
				continue
			}
			v, bad := coerce(th, raw, p.typ, []any{"body", p.name})
			if bad != nil {
				problems = append(problems, *bad)
				continue
			}
			kws = append(kws, interp.KV{Name: p.name, Value: v})
		}
		if len(problems) > 0 {
			c.bindErr = errValidation(problems...)
			return interp.None, interp.NewList(nil)
		}
		return spawnWalker(th, ep.walker, kws, target)
	}
	runCtx, span := s.tracing.startWalker(ctx, ep)
	res, err := s.execute(runCtx, c)
	s.tracing.endWalker(span, res, err)
	if c.bindErr != nil {
		var ae *apiError
		errors.As(c.bindErr, &ae)
		return wsError("VALIDATION_ERROR", "invalid message fields", ae.plain.(map[string]any)["detail"]), false
	}
	if err != nil {
		var ae *apiError
		if errors.As(err, &ae) {
			return wsError(ae.code, ae.message, ae.details), false
		}
		return wsError("EXECUTION_ERROR", err.Error(), nil), false
	}
	return responseBody(res.head.Bytes(), nil), ep.broadcast
}
