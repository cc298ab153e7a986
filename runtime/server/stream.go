package server

import (
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
			prog.Lock()
			err := th.Protect(func() { item, more = it.Next(th) })
			var data []byte
			if err == nil && more {
				err = th.Protect(func() { data = s.itemBytes(th, item, sse) })
			}
			th.Out.Flush()
			prog.Unlock()
			if err != nil {
				if sse {
					msg := err.Error()
					if e, ok := err.(*interp.Exception); ok {
						msg = e.Message()
					}
					fmt.Fprintf(w, "event: error\ndata: %s\n\n", jsonRaw(map[string]string{"code": "EXECUTION_ERROR", "message": msg}))
					flush()
				}
				return nil
			}
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
	th.Prog.Unlock()
	w.Write(data)
}
