package otlphttp

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	collectorpb "go.opentelemetry.io/proto/slim/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/slim/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/slim/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

// collector is a loopback OTLP/HTTP receiver that answers the first
// len(refusals) requests with those statuses and records the rest.
type collector struct {
	mu       sync.Mutex
	refusals []int
	attempts int
	requests []*collectorpb.ExportTraceServiceRequest
	headers  []http.Header
}

func (c *collector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.attempts++
	if r.URL.Path != "/v1/traces" || r.Header.Get("Content-Type") != "application/x-protobuf" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	if len(c.refusals) > 0 {
		w.WriteHeader(c.refusals[0])
		c.refusals = c.refusals[1:]
		return
	}
	body, _ := io.ReadAll(r.Body)
	var req collectorpb.ExportTraceServiceRequest
	if err := proto.Unmarshal(body, &req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	c.requests = append(c.requests, &req)
	c.headers = append(c.headers, r.Header.Clone())
	out, _ := proto.Marshal(&collectorpb.ExportTraceServiceResponse{})
	w.Header().Set("Content-Type", "application/x-protobuf")
	w.Write(out)
}

var fastRetry = Retry{Initial: 10 * time.Millisecond, Max: 20 * time.Millisecond, MaxElapsed: 2 * time.Second}

// recordSpans makes a server span with a child through a real SDK provider
// and returns what the provider handed to its exporter.
func recordSpans(t *testing.T) []sdktrace.ReadOnlySpan {
	rec := &spanRecorder{}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(rec),
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", "todo"))))
	tr := tp.Tracer("github.com/jacscale/jac/runtime/server")
	ctx, parent := tr.Start(context.Background(), "GET /walker/list", trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(attribute.Int("http.response.status_code", 200), attribute.StringSlice("tags", []string{"a", "b"})))
	_, child := tr.Start(ctx, "walker list", trace.WithAttributes(attribute.Int64("jac.nodes_visited", 3),
		attribute.Bool("ok", true), attribute.Float64("ratio", 0.5)))
	child.AddEvent("visited", trace.WithAttributes(attribute.String("node", "Todo")))
	child.SetStatus(codes.Error, "boom")
	child.End()
	parent.End()
	if err := tp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	return rec.spans
}

type spanRecorder struct{ spans []sdktrace.ReadOnlySpan }

func (r *spanRecorder) ExportSpans(_ context.Context, s []sdktrace.ReadOnlySpan) error {
	r.spans = append(r.spans, s...)
	return nil
}
func (r *spanRecorder) Shutdown(context.Context) error { return nil }

func TestExportSpansAfterTransientRefusals(t *testing.T) {
	c := &collector{refusals: []int{http.StatusServiceUnavailable, http.StatusTooManyRequests}}
	srv := httptest.NewServer(c)
	defer srv.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer%20abc,x-tenant=one")
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "x-tenant=two")
	cfg := ConfigFromEnv(srv.URL + "/v1/traces")
	cfg.Retry = fastRetry
	spans := recordSpans(t)
	if err := New(cfg).ExportSpans(context.Background(), spans); err != nil {
		t.Fatal(err)
	}
	if c.attempts != 3 || len(c.requests) != 1 {
		t.Fatalf("attempts %d, accepted %d; want 3 and 1", c.attempts, len(c.requests))
	}
	if h := c.headers[0]; h.Get("Authorization") != "Bearer abc" || h.Get("X-Tenant") != "two" {
		t.Errorf("headers %v", h)
	}
	rs := c.requests[0].GetResourceSpans()
	if len(rs) != 1 || len(rs[0].GetScopeSpans()) != 1 {
		t.Fatalf("want one resource and one scope: %v", rs)
	}
	if kv := rs[0].GetResource().GetAttributes(); len(kv) != 1 || kv[0].GetValue().GetStringValue() != "todo" {
		t.Errorf("resource %v", kv)
	}
	ss := rs[0].GetScopeSpans()[0]
	if ss.GetScope().GetName() != "github.com/jacscale/jac/runtime/server" || len(ss.GetSpans()) != 2 {
		t.Fatalf("scope spans %v", ss)
	}
	checkSpans(t, spans, ss.GetSpans())
}

// checkSpans compares the protobuf spans with the SDK's (child first, as ended).
func checkSpans(t *testing.T, want []sdktrace.ReadOnlySpan, got []*tracepb.Span) {
	child, parent := got[0], got[1]
	if child.GetName() != "walker list" || parent.GetName() != "GET /walker/list" {
		t.Fatalf("names %q %q", child.GetName(), parent.GetName())
	}
	wantTrace := want[0].SpanContext().TraceID()
	wantParent := want[1].SpanContext().SpanID()
	if string(child.GetTraceId()) != string(wantTrace[:]) || string(child.GetParentSpanId()) != string(wantParent[:]) {
		t.Error("child's trace or parent id differs from the SDK's")
	}
	if len(parent.GetParentSpanId()) != 0 || parent.GetKind() != tracepb.Span_SPAN_KIND_SERVER ||
		child.GetKind() != tracepb.Span_SPAN_KIND_INTERNAL {
		t.Errorf("parent %v / child kind %v", parent, child.GetKind())
	}
	if child.GetStatus().GetCode() != tracepb.Status_STATUS_CODE_ERROR || child.GetStatus().GetMessage() != "boom" {
		t.Errorf("status %v", child.GetStatus())
	}
	if child.GetStartTimeUnixNano() == 0 || child.GetEndTimeUnixNano() < child.GetStartTimeUnixNano() {
		t.Errorf("times %d..%d", child.GetStartTimeUnixNano(), child.GetEndTimeUnixNano())
	}
	if child.GetFlags()&0xff != 1 {
		t.Errorf("flags %x: want sampled", child.GetFlags())
	}
	attrs := map[string]*commonpb.AnyValue{}
	for _, kv := range append(child.GetAttributes(), parent.GetAttributes()...) {
		attrs[kv.GetKey()] = kv.GetValue()
	}
	for k, v := range map[string]*commonpb.AnyValue{
		"jac.nodes_visited":         {Value: &commonpb.AnyValue_IntValue{IntValue: 3}},
		"ok":                        {Value: &commonpb.AnyValue_BoolValue{BoolValue: true}},
		"ratio":                     {Value: &commonpb.AnyValue_DoubleValue{DoubleValue: 0.5}},
		"http.response.status_code": {Value: &commonpb.AnyValue_IntValue{IntValue: 200}},
	} {
		if !proto.Equal(attrs[k], v) {
			t.Errorf("attribute %s = %v, want %v", k, attrs[k], v)
		}
	}
	if len(parent.GetAttributes()[1].GetValue().GetArrayValue().GetValues()) != 2 {
		t.Errorf("string slice attribute %v", parent.GetAttributes()[1])
	}
	if ev := child.GetEvents(); len(ev) != 1 || ev[0].GetName() != "visited" || len(ev[0].GetAttributes()) != 1 {
		t.Errorf("events %v", ev)
	}
}

func TestExportSpansDoesNotRetryARejection(t *testing.T) {
	c := &collector{refusals: []int{http.StatusBadRequest}}
	srv := httptest.NewServer(c)
	defer srv.Close()
	err := New(Config{URL: srv.URL + "/v1/traces", Retry: fastRetry}).ExportSpans(context.Background(), recordSpans(t))
	if err == nil || c.attempts != 1 {
		t.Fatalf("err %v after %d attempts; want an error after 1", err, c.attempts)
	}
}

func TestExportSpansGivesUpAfterTheRetryBudget(t *testing.T) {
	c := &collector{refusals: make([]int, 1000)}
	for i := range c.refusals {
		c.refusals[i] = http.StatusServiceUnavailable
	}
	srv := httptest.NewServer(c)
	defer srv.Close()
	retry := Retry{Initial: 10 * time.Millisecond, Max: 20 * time.Millisecond, MaxElapsed: 100 * time.Millisecond}
	err := New(Config{URL: srv.URL + "/v1/traces", Retry: retry}).ExportSpans(context.Background(), recordSpans(t))
	var te *transientError
	if !errors.As(err, &te) || c.attempts < 2 {
		t.Fatalf("err %v after %d attempts; want a transient error after several", err, c.attempts)
	}
}

func TestExportSpansAfterShutdownSendsNothing(t *testing.T) {
	c := &collector{}
	srv := httptest.NewServer(c)
	defer srv.Close()
	exp := New(Config{URL: srv.URL + "/v1/traces"})
	if err := exp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := exp.ExportSpans(context.Background(), recordSpans(t)); err != nil || c.attempts != 0 {
		t.Fatalf("err %v, %d attempts after shutdown", err, c.attempts)
	}
}
