package server

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/jacscale/jac/runtime/interp"
)

// streamable reports whether a walker/function reported a generator.
func streamable(res *callResult) bool {
	if res.values == nil {
		return false
	}
	for _, v := range res.values.Elems() {
		if v.Class() == interp.GeneratorClass {
			return true
		}
	}
	return false
}

// stream sends the reported generator's items: Server-Sent Events when the client
// asks for text/event-stream, else the Python server's unframed stream.
func (s *Server) stream(w http.ResponseWriter, r *http.Request, res *callResult) error {
	sse := strings.Contains(r.Header.Get("Accept"), "text/event-stream")
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	if !sse {
		h.Set("Connection", "close")
	}
	streaming(w)
	w.WriteHeader(http.StatusOK)
	flush := func() {
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
	}
	th := res.th
	prog := th.Prog
	defer func() {
		// a generator ran after its request's writes were settled: what it
		// changed in the shared graph tier was never committed
		prog.Lock()
		if th.Graph == prog.Shared {
			prog.Shared = nil
		}
		prog.Unlock()
	}()
	for _, v := range res.values.Elems() {
		it, isGen := v.(interp.Iterator)
		if !isGen || v.Class() != interp.GeneratorClass {
			s.emit(w, th, v, sse)
			continue
		}
		for {
			var item interp.Value
			var more bool
			// each step runs under the execution deadline, and stops when the
			// client goes away
			step, cancelStep := s.executionContext(r.Context())
			th.SetContext(step)
			cancel := func() { th.StopWatching(); cancelStep() }
			if prog.LockContext(step) != nil {
				s.interruption(step, res.call) // counted
				cancel()
				return nil
			}
			err := th.Protect(func() { item, more = it.Next(th) })
			var data []byte
			if err == nil && more {
				err = th.Protect(func() { data = s.itemBytes(th, item, sse) })
			}
			th.Out.Flush()
			prog.Unlock()
			if err != nil || step.Err() != nil {
				code, msg := "EXECUTION_ERROR", ""
				var ie *apiError
				if errors.As(s.interruption(step, res.call), &ie) {
					code, msg = ie.code, ie.message
				} else if e, ok := err.(*interp.Exception); ok {
					msg = e.Message()
				} else {
					msg = err.Error()
				}
				cancel()
				if sse {
					fmt.Fprintf(w, "event: error\ndata: %s\n\n", jsonRaw(map[string]string{"code": code, "message": msg}))
					flush()
				}
				return nil
			}
			cancel()
			if !more {
				break
			}
			w.Write(data)
			flush()
		}
	}
	if sse {
		fmt.Fprint(w, "event: end\ndata: {}\n\n")
		flush()
	}
	return nil
}

func (s *Server) itemBytes(th *interp.Thread, v interp.Value, sse bool) []byte {
	if sse {
		return []byte("data: " + string(encodeValue(th, v)) + "\n\n")
	}
	if str, ok := v.(interp.Str); ok {
		return []byte(str)
	}
	return encodeValue(th, v)
}

func (s *Server) emit(w http.ResponseWriter, th *interp.Thread, v interp.Value, sse bool) {
	th.Prog.Lock()
	data := s.itemBytes(th, v, sse)
	th.Out.Flush()
	th.Prog.Unlock()
	w.Write(data)
}
