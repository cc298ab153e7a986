package httpspans

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// TestClientSpans: a request under a traced context is a client span, child
// of the context's span, that lasts until the body is closed and whose
// traceparent reaches the server; the URL is recorded without its query or
// user info; an untraced request goes out unchanged.
func TestClientSpans(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Get("Traceparent"))
		if r.URL.Path == "/missing" {
			w.WriteHeader(http.StatusNotFound)
		}
		io.WriteString(w, "body")
	}))
	defer srv.Close()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	ctx, parent := tp.Tracer("test").Start(context.Background(), "request")
	client := Client()

	get := func(ctx context.Context, path string) {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, "GET", strings.Replace(srv.URL, "http://", "http://user:pw@", 1)+path+"?sig=secret", nil)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(rec.Ended()); n != 0 && path == "/ok" {
			t.Errorf("the span ended before the body was read (%d ended)", n)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if req.Header.Get("Traceparent") != "" {
			t.Error("the caller's request was modified")
		}
	}
	get(ctx, "/ok")
	get(ctx, "/missing")
	get(context.Background(), "/untraced")

	spans := rec.Ended()
	if len(spans) != 2 {
		t.Fatalf("%d spans, want 2 (the untraced request has none)", len(spans))
	}
	for i, sp := range spans {
		if sp.Parent().SpanID() != parent.SpanContext().SpanID() || sp.SpanKind() != trace.SpanKindClient || sp.Name() != "GET" {
			t.Errorf("span %d: parent %v kind %v name %q", i, sp.Parent().SpanID(), sp.SpanKind(), sp.Name())
		}
		if want := "00-" + sp.SpanContext().TraceID().String() + "-" + sp.SpanContext().SpanID().String() + "-01"; got[i] != want {
			t.Errorf("request %d carried traceparent %q, want %q", i, got[i], want)
		}
		attrs := attribute.NewSet(sp.Attributes()...)
		if u, _ := attrs.Value("url.full"); strings.Contains(u.AsString(), "secret") || strings.Contains(u.AsString(), "pw") {
			t.Errorf("url.full %q keeps the query or the user info", u.AsString())
		}
	}
	if spans[0].Status().Code == codes.Error || spans[1].Status().Code != codes.Error {
		t.Errorf("statuses %v, %v: want 200 unset and 404 an error", spans[0].Status(), spans[1].Status())
	}
	if got[2] != "" {
		t.Errorf("the untraced request carried traceparent %q", got[2])
	}
}
