package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/fsouza/fake-gcs-server/fakestorage"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

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

// traceparents records the traceparent header of each request a test peer
// receives, by method and path.
type traceparents struct {
	mu   sync.Mutex
	seen map[string][]string // "METHOD /path" -> traceparents
}

func (tp *traceparents) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tp.mu.Lock()
		if tp.seen == nil {
			tp.seen = map[string][]string{}
		}
		k := r.Method + " " + r.URL.Path
		tp.seen[k] = append(tp.seen[k], r.Header.Get("Traceparent"))
		tp.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

// sent reports whether a request carried the traceparent of span.
func (tp *traceparents) sent(span sinkSpan) bool {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	want := "00-" + span.TraceID + "-" + span.SpanID + "-01"
	for _, list := range tp.seen {
		for _, h := range list {
			if h == want {
				return true
			}
		}
	}
	return false
}

// clientSpans are the HTTP client spans (internal/httpspans) under parent.
func clientSpans(spans []sinkSpan, parent sinkSpan) []sinkSpan {
	var out []sinkSpan
	for _, sp := range spans {
		if sp.Kind == "Client" && sp.ParentID == parent.SpanID && sp.Attributes["http.request.method"] == sp.Name {
			out = append(out, sp)
		}
	}
	return out
}

// descendants are root and the spans below it.
func descendants(spans []sinkSpan, root sinkSpan) []sinkSpan {
	out := []sinkSpan{root}
	for i := 0; i < len(out); i++ {
		for _, sp := range spans {
			if sp.ParentID == out[i].SpanID && sp.SpanID != "" {
				out = append(out, sp)
			}
		}
	}
	return out
}

// byName finds the span called name.
func byName(spans []sinkSpan, name string) sinkSpan {
	for _, sp := range spans {
		if sp.Name == name {
			return sp
		}
	}
	return sinkSpan{}
}

// keepApp stores a file and reads it back.
const keepApp = `walker :pub keep { can go with Root entry { s = store(); s.upload(b"kept", "a.txt"); report s.download("a.txt"); } }`

// startFakeGCS serves fake-gcs-server with a bucket "jac" on loopback,
// recording the traceparents it receives; it returns its base URL.
func startFakeGCS(t *testing.T, seen *traceparents) string {
	var h http.Handler
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	addr := srv.Listener.Addr().String()
	fake, err := fakestorage.NewServerWithOptions(fakestorage.Options{NoListener: true, Scheme: "http",
		ExternalURL: "http://" + addr, PublicHost: addr, Writer: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	fake.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: "jac"})
	h = seen.wrap(fake.HTTPHandler())
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestTracingOutgoingCalls: the runtime's outgoing HTTP calls are client
// spans of the request that makes them, and carry its traceparent to the
// peer: store() on S3 (gofakes3 driven by aws-sdk-go-v2) and on GCS
// (fake-gcs-server driven by cloud.google.com/go/storage) from a walker, and
// the OpenID Connect discovery and code exchange of SSO (a local provider).
func TestTracingOutgoingCalls(t *testing.T) {
	sink := startTraceSink(t)
	var s3seen traceparents
	backend := s3mem.New()
	backend.CreateBucket("jac")
	s3srv := httptest.NewServer(s3seen.wrap(gofakes3.New(backend).Server()))
	defer s3srv.Close()
	prov := newOIDCProvider(t, "client-1")

	s := &server{t: t, dir: t.TempDir()}
	writeApp(t, s.dir, keepApp)
	s.port = loopback.FreePort(t)
	none := filepath.Join(t.TempDir(), "none")
	s.env = []string{"JWT_SECRET=trace", "OTEL_EXPORTER_OTLP_ENDPOINT=http://" + sink.otlp, "OTEL_BSP_SCHEDULE_DELAY=50",
		"JAC_STORAGE_TYPE=s3", "JAC_STORAGE_BUCKET=jac", "JAC_STORAGE_ENDPOINT=" + s3srv.URL, "JAC_STORAGE_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_CONFIG_FILE=" + none, "AWS_SHARED_CREDENTIALS_FILE=" + none,
		"AWS_EC2_METADATA_DISABLED=true",
		"SSO_HOST=http://127.0.0.1:" + itoaT(s.port), "SSO_TEST_CLIENT_ID=client-1", "SSO_TEST_CLIENT_SECRET=s", "SSO_TEST_ISSUER=" + prov.srv.URL}
	s.startOnPort()
	defer s.stop()

	const traceID = "8bf92f3577b34da6a3ce929d0e0e4740"
	header := http.Header{"Traceparent": {"00-" + traceID + "-00f067aa0ba902ba-01"}}
	if r, body := s.request("POST", "/walker/keep", "", header, "{}"); r.StatusCode != 200 {
		t.Fatalf("keep: %d %v", r.StatusCode, body)
	}
	var spans []sinkSpan
	if !loopback.Poll(func() bool {
		spans = sink.list(t, traceID, 0)
		methods := map[string]bool{}
		for _, sp := range clientSpans(spans, byName(spans, "walker keep")) {
			methods[sp.Name] = sp.Attributes["server.address"] == "127.0.0.1" && s3seen.sent(sp)
		}
		return methods["PUT"] && methods["GET"] // the upload, the download (each with its traceparent at the server)
	}) {
		t.Fatalf("want PUT and GET client spans under the walker span, their traceparents at the S3 server; the trace: %+v", spans)
	}

	// the same walker on GCS (fake-gcs-server, driven by cloud.google.com/go/storage)
	var gcsSeen traceparents
	gcs := startApp(t, keepApp, "OTEL_EXPORTER_OTLP_ENDPOINT=http://"+sink.otlp, "OTEL_BSP_SCHEDULE_DELAY=50",
		"JAC_STORAGE_TYPE=gcs", "JAC_STORAGE_BUCKET=jac", "JAC_STORAGE_ENDPOINT="+startFakeGCS(t, &gcsSeen)+"/storage/v1/")
	const gcsTrace = "8bf92f3577b34da6a3ce929d0e0e4741"
	if r, body := gcs.request("POST", "/walker/keep", "", http.Header{"Traceparent": {"00-" + gcsTrace + "-00f067aa0ba902bb-01"}}, "{}"); r.StatusCode != 200 {
		t.Fatalf("keep on GCS: %d %v", r.StatusCode, body)
	}
	if !loopback.Poll(func() bool {
		spans = sink.list(t, gcsTrace, 0)
		var calls []sinkSpan // under the walker span, or under the GCS client's own spans below it
		for _, parent := range descendants(spans, byName(spans, "walker keep")) {
			calls = append(calls, clientSpans(spans, parent)...)
		}
		methods := map[string]bool{}
		for _, sp := range calls {
			methods[sp.Name] = gcsSeen.sent(sp)
		}
		return methods["POST"] && methods["GET"] // the upload, the download (each with its traceparent at the server)
	}) {
		t.Fatalf("want the upload (POST) and the download (GET) as client spans under the walker span, their traceparents at the server; the trace: %+v", spans)
	}

	if code, body := ssoFlow(t, s, "/sso/test/register"); code != 200 {
		t.Fatalf("SSO register: %d %v", code, body)
	}
	var all []sinkSpan
	if !loopback.Poll(func() bool {
		all = sink.list(t, "", 0)
		start, callback := byName(all, "GET /sso/{platform}/{mode}"), byName(all, "GET /sso/{platform}/{mode}/callback")
		discovery, exchange := clientSpans(all, start), clientSpans(all, callback)
		return len(discovery) == 1 && discovery[0].Name == "GET" && prov.seen.sent(discovery[0]) &&
			len(exchange) == 1 && exchange[0].Name == "POST" && prov.seen.sent(exchange[0])
	}) {
		t.Fatalf("want the discovery GET under the SSO start and the token POST under the callback, each with its traceparent at the provider:\nspans: %+v\nprovider saw: %v",
			all, prov.seen.seen)
	}
}
