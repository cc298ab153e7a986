package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/jacscale/jac/internal/loopback"
)

// traceSink is a running otlpsink (hack/otlpsink: the Collector's OTLP receiver).
type traceSink struct {
	otlp, query string
}

func startTraceSink(t *testing.T) traceSink {
	bin := os.Getenv("JAC_TEST_OTLPSINK")
	if bin == "" {
		t.Skip("needs JAC_TEST_OTLPSINK (hack/otlpsink.sh builds it; make test provides it)")
	}
	s := traceSink{otlp: fmt.Sprintf("127.0.0.1:%d", loopback.FreePort(t)), query: fmt.Sprintf("127.0.0.1:%d", loopback.FreePort(t))}
	cmd := exec.Command(bin, "-otlp", s.otlp, "-query", s.query)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for i := 0; ; i++ {
		if r, err := http.Get("http://" + s.query + "/api/spans"); err == nil {
			r.Body.Close()
			return s
		}
		if i > 500 {
			t.Fatal("otlpsink did not start")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

type sinkSpan struct {
	TraceID    string         `json:"trace_id"`
	SpanID     string         `json:"span_id"`
	ParentID   string         `json:"parent_span_id"`
	Name       string         `json:"name"`
	Kind       string         `json:"kind"`
	Service    string         `json:"service"`
	Attributes map[string]any `json:"attributes"`
}

// spans waits until the trace has at least n spans and returns them by name.
func (s traceSink) spans(t *testing.T, traceID string, n int) map[string]sinkSpan {
	out := map[string]sinkSpan{}
	for _, sp := range s.list(t, traceID, n) {
		out[sp.Name] = sp
	}
	return out
}

// list waits until the trace (every trace for "") has at least n spans.
func (s traceSink) list(t *testing.T, traceID string, n int) []sinkSpan {
	deadline := time.Now().Add(15 * time.Second)
	for {
		r, err := http.Get("http://" + s.query + "/api/spans?trace_id=" + traceID)
		if err != nil {
			t.Fatal(err)
		}
		var list []sinkSpan
		json.NewDecoder(r.Body).Decode(&list)
		r.Body.Close()
		if len(list) >= n || time.Now().After(deadline) {
			return list
		}
		time.Sleep(50 * time.Millisecond)
	}
}

const tracedApp = `
node Item { has n: int = 0; }
walker :pub grow {
    can go with Root entry { here ++> Item(n=1); here ++> Item(n=2); visit [-->]; }
    can step with Item entry { report here.n; }
}
walker :pub boom { can go with Root entry { x = 1 / 0; } }
@restspec(protocol=APIProtocol.WEBSOCKET)
walker :pub echo { has n: int; can go with Root entry { report self.n * 2; } }
`

// TestTracingSpans: a walker request continues the caller's W3C trace; the
// Collector's OTLP receiver gets its server span (route, status, hashed user),
// the walker run under it with the nodes visited, and the store commit under
// that; the trace id is in the error envelope and the log line of a failure.
func TestTracingSpans(t *testing.T) {
	sink := startTraceSink(t)
	s := startApp(t, tracedApp, "JWT_SECRET=trace", "OTEL_EXPORTER_OTLP_ENDPOINT=http://"+sink.otlp,
		"OTEL_SERVICE_NAME=traced-app", "OTEL_BSP_SCHEDULE_DELAY=50")
	tok, root := s.register("tess")
	const traceID, callerSpan = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
	header := http.Header{"Traceparent": {"00-" + traceID + "-" + callerSpan + "-01"}, "Authorization": {"Bearer " + tok}}
	if r, body := s.request("POST", "/walker/grow", "", header, "{}"); r.StatusCode != 200 {
		t.Fatalf("grow: %d %v", r.StatusCode, body)
	}
	spans := sink.spans(t, traceID, 3)
	server, walker, commit := spans["POST /walker/{name}"], spans["walker grow"], spans["store commit"]
	if server.SpanID == "" || walker.SpanID == "" || commit.SpanID == "" {
		t.Fatalf("spans of the trace: %+v", spans)
	}
	if server.ParentID != callerSpan || server.Kind != "Server" || server.Service != "traced-app" {
		t.Errorf("server span does not continue the caller's traceparent: %+v", server)
	}
	if server.Attributes["http.route"] != "/walker/{name}" || server.Attributes["http.response.status_code"] != float64(200) {
		t.Errorf("server span attributes: %v", server.Attributes)
	}
	if u, _ := server.Attributes["enduser.id"].(string); u == "" || strings.Contains(root, u) {
		t.Errorf("enduser.id %q: want the user's root id hashed", u)
	}
	if walker.ParentID != server.SpanID || walker.Attributes["jac.nodes_visited"] != float64(3) {
		t.Errorf("walker span: %+v (want a child of the server span, 3 nodes visited)", walker)
	}
	if commit.ParentID != walker.SpanID || commit.Attributes["db.system"] != "bbolt" {
		t.Errorf("store span: %+v (want a bbolt commit under the walker span)", commit)
	}

	// a failing request: the trace id is in the envelope and in the log line
	const failTrace = "0af7651916cd43dd8448eb211c80319c"
	r, body := s.request("POST", "/walker/boom", "", http.Header{"Traceparent": {"00-" + failTrace + "-b7ad6b7169203331-01"}}, "{}")
	if e, _ := body["error"].(map[string]any); r.StatusCode != 500 || e["trace_id"] != failTrace {
		t.Errorf("error envelope: %d %v, want trace_id %s", r.StatusCode, body, failTrace)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(s.log.String(), `"trace_id":"`+failTrace+`"`) {
		if time.Now().After(deadline) {
			t.Fatalf("no log line with the trace id:\n%s", s.log)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestTracingSampling: with a sample ratio of 0 new traces are not exported,
// but a caller's sampled traceparent is followed.
func TestTracingSampling(t *testing.T) {
	sink := startTraceSink(t)
	s := startApp(t, tracedApp, "OTEL_EXPORTER_OTLP_ENDPOINT=http://"+sink.otlp, "OTEL_TRACES_SAMPLER_ARG=0", "OTEL_BSP_SCHEDULE_DELAY=50")
	const sampled = "11111111111111111111111111111111"
	s.request("POST", "/walker/grow", "", nil, "{}")
	s.request("POST", "/walker/grow", "", http.Header{"Traceparent": {"00-" + sampled + "-2222222222222222-01"}}, "{}")
	if got := sink.spans(t, sampled, 3); len(got) < 3 {
		t.Fatalf("a sampled caller's trace was dropped: %v", got)
	}
	time.Sleep(500 * time.Millisecond) // ten export intervals
	if got := sink.list(t, "", 0); len(got) != 3 {
		t.Errorf("unsampled traces were exported: %d spans, want the sampled trace's 3", len(got))
	}
}

// TestTracingRedisSpans: on the tiered store the Redis commands of a request
// are client spans in its trace.
func TestTracingRedisSpans(t *testing.T) {
	port := startRedis(t)
	ok, spans := storeSpans(t, fmt.Sprintf("REDIS_URL=redis://127.0.0.1:%d/0", port), "5bf92f3577b34da6a3ce929d0e0e4737", func(spans []sinkSpan) bool {
		redisSpan, tieredCommit := false, false
		for _, sp := range spans {
			redisSpan = redisSpan || strings.HasPrefix(sp.Name, "redis ") && sp.Attributes["db.system"] == "redis" && sp.Kind == "Client"
			tieredCommit = tieredCommit || sp.Name == "store commit" && sp.Attributes["db.system"] == "jac-tiered"
		}
		return redisSpan && tieredCommit
	})
	if !ok {
		t.Fatalf("want a Redis span and a jac-tiered commit span in the trace: %+v", spans)
	}
}

// storeSpans serves tracedApp on the store that storeEnv selects, sends a
// walker request with a traceparent of traceID, and waits up to 15 s for its
// exported spans to satisfy want; it reports whether they did, and the last
// spans seen.
func storeSpans(t *testing.T, storeEnv, traceID string, want func([]sinkSpan) bool) (bool, []sinkSpan) {
	t.Helper()
	sink := startTraceSink(t)
	s := startApp(t, tracedApp, storeEnv, "OTEL_EXPORTER_OTLP_ENDPOINT=http://"+sink.otlp, "OTEL_BSP_SCHEDULE_DELAY=50")
	header := http.Header{"Traceparent": {"00-" + traceID + "-00f067aa0ba902b8-01"}}
	if r, body := s.request("POST", "/walker/grow", "", header, "{}"); r.StatusCode != 200 {
		t.Fatalf("grow: %d %v", r.StatusCode, body)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		spans := sink.list(t, traceID, 4)
		if want(spans) {
			return true, spans
		}
		if time.Now().After(deadline) {
			return false, spans
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestTracingWebSocket: each WebSocket message's walker run is a span in the
// trace of the upgrade request (which continues the caller's traceparent).
func TestTracingWebSocket(t *testing.T) {
	sink := startTraceSink(t)
	s := startApp(t, tracedApp, "OTEL_EXPORTER_OTLP_ENDPOINT=http://"+sink.otlp, "OTEL_BSP_SCHEDULE_DELAY=50")
	const traceID = "6bf92f3577b34da6a3ce929d0e0e4738"
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(s.url, "http")+"/ws/echo",
		&websocket.DialOptions{HTTPHeader: http.Header{"Traceparent": {"00-" + traceID + "-00f067aa0ba902b9-01"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	for i := 0; i < 2; i++ {
		c.Write(ctx, websocket.MessageText, []byte(`{"n":1}`))
		if _, _, err := c.Read(ctx); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	for _, sp := range sink.list(t, traceID, 2) {
		if sp.Name == "walker echo" && sp.Attributes["jac.nodes_visited"] == float64(1) {
			n++
		}
	}
	if n != 2 {
		t.Fatalf("%d walker spans for 2 messages", n)
	}
}

// TestTracingMongoSpans: with MongoDB as the durable tier its commands are
// client spans in the request's trace.
func TestTracingMongoSpans(t *testing.T) {
	port := startFerret(t)
	ok, spans := storeSpans(t, fmt.Sprintf("MONGODB_URI=mongodb://127.0.0.1:%d/", port), "7bf92f3577b34da6a3ce929d0e0e4739", func(spans []sinkSpan) bool {
		for _, sp := range spans {
			if strings.HasPrefix(sp.Name, "mongodb ") && sp.Attributes["db.system"] == "mongodb" && sp.Kind == "Client" {
				return true
			}
		}
		return false
	})
	if !ok {
		t.Fatalf("no MongoDB span in the trace: %+v", spans)
	}
}
