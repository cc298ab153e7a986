package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	neturl "net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/jacscale/jac/runtime/memory"
	"github.com/jacscale/jac/runtime/server/internal/otlphttp"
)

// Tracing is [plugins.scale.tracing] and the standard OTEL_* variables:
// OpenTelemetry spans exported over OTLP/HTTP.
type Tracing struct {
	Enabled     bool
	Endpoint    string  // OTLP/HTTP base URL (spans go to Endpoint+"/v1/traces")
	TracesURL   string  // a full traces URL (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) wins over Endpoint
	ServiceName string  // resource service.name; the app file's name by default
	SampleRatio float64 // of new traces; a caller's sampled flag is followed
}

type tracingTOML struct {
	Enabled     *bool    `toml:"enabled"`
	Endpoint    string   `toml:"endpoint"`
	ServiceName string   `toml:"service_name"`
	SampleRatio *float64 `toml:"sample_ratio"`
}

func (t *Tracing) applyTOML(v tracingTOML) {
	if v.Enabled != nil {
		t.Enabled = *v.Enabled
	}
	setStr(&t.Endpoint, v.Endpoint)
	setStr(&t.ServiceName, v.ServiceName)
	if v.SampleRatio != nil {
		t.SampleRatio = *v.SampleRatio
	}
}

// applyEnv reads the OpenTelemetry SDK's variables: an OTLP endpoint turns
// tracing on, OTEL_SDK_DISABLED=true turns it off.
func (t *Tracing) applyEnv() {
	setStr(&t.Endpoint, os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT"))
	setStr(&t.TracesURL, os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))
	setStr(&t.ServiceName, os.Getenv("OTEL_SERVICE_NAME"))
	if t.Endpoint != "" || t.TracesURL != "" {
		t.Enabled = true
	}
	if f, err := strconv.ParseFloat(os.Getenv("OTEL_TRACES_SAMPLER_ARG"), 64); err == nil {
		t.SampleRatio = f
	}
	if strings.EqualFold(os.Getenv("OTEL_SDK_DISABLED"), "true") {
		t.Enabled = false
	}
}

// tracer is a server's tracing; a nil *tracer is tracing off, and every
// method is then a no-op that allocates nothing.
type tracer struct {
	provider *sdktrace.TracerProvider
	t        trace.Tracer
	prop     propagation.TextMapPropagator
	store    string // db.system of the graph store
}

func newTracer(cfg Tracing, appFile string, backend memory.Backend) (*tracer, error) {
	if !cfg.Enabled {
		return nil, nil
	}
	url := cfg.TracesURL
	if url == "" {
		if cfg.Endpoint == "" {
			cfg.Endpoint = "http://localhost:4318"
		}
		url = strings.TrimRight(cfg.Endpoint, "/") + "/v1/traces"
	}
	if u, err := neturl.Parse(url); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("tracing: the OTLP endpoint %q is not an http(s) URL", url)
	}
	exp := otlphttp.New(otlphttp.ConfigFromEnv(url))
	name := cfg.ServiceName
	if name == "" {
		name = strings.TrimSuffix(appFileBase(appFile), ".jac")
	}
	res := resource.NewSchemaless(semconv.ServiceName(name))
	ratio := min(max(cfg.SampleRatio, 0), 1)
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res),
		sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.TraceIDRatioBased(ratio))))
	t := &tracer{provider: tp, t: tp.Tracer("github.com/jacscale/jac/runtime/server"),
		prop: propagation.TraceContext{}, store: storeSystem(backend)}
	// instrumented libraries (the GCS client's own spans) join the requests' traces
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(t.prop)
	slog.SetDefault(slog.New(traceLogHandler{slog.Default().Handler()}))
	if r, ok := backend.(interface{ AddRedisHook(redis.Hook) }); ok {
		r.AddRedisHook(redisSpans{t})
	}
	if m, ok := backend.(interface{ ObserveMongo(memory.CommandObserver) }); ok {
		m.ObserveMongo(&mongoSpans{t: t})
	}
	return t, nil
}

func appFileBase(p string) string { return p[strings.LastIndexByte(p, '/')+1:] }

// storeSystem names the graph store for db.system.
func storeSystem(b memory.Backend) string {
	if _, ok := b.(memory.Sequenced); ok {
		return "bbolt"
	}
	return "jac-tiered" // L1 / Redis / MongoDB
}

// shutdown flushes the spans still queued.
func (t *tracer) shutdown(ctx context.Context) error {
	if t == nil {
		return nil
	}
	return t.provider.Shutdown(ctx)
}

// startRequest opens the server span of r, continuing the caller's trace
// (W3C traceparent).
func (t *tracer) startRequest(r *http.Request) (*http.Request, trace.Span) {
	ctx := t.prop.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
	ctx, span := t.t.Start(ctx, r.Method, trace.WithSpanKind(trace.SpanKindServer))
	if span.IsRecording() { // sampled: an unsampled request builds no attribute
		span.SetAttributes(semconv.HTTPRequestMethodKey.String(r.Method), semconv.URLPath(r.URL.Path))
	}
	return r.WithContext(ctx), span
}

// endRequest names the span by its route and records the status.
func (t *tracer) endRequest(span trace.Span, r *http.Request, status int) {
	if !span.IsRecording() {
		span.End()
		return
	}
	if status == 0 {
		status = http.StatusOK
	}
	route := requestLabel(r)
	name := route
	if !strings.HasPrefix(route, r.Method+" ") {
		name = r.Method + " " + route
	}
	span.SetName(name)
	span.SetAttributes(semconv.HTTPRoute(route), semconv.HTTPResponseStatusCode(status))
	if status >= 500 {
		span.SetStatus(codes.Error, http.StatusText(status))
	}
	span.End()
}

// setUser records the request's user on its server span, hashed.
func (t *tracer) setUser(ctx context.Context, u *User) {
	span := trace.SpanFromContext(ctx)
	if t == nil || u == nil || !span.IsRecording() {
		return
	}
	sum := sha256.Sum256([]byte(u.RootID))
	span.SetAttributes(attribute.String("enduser.id", hex.EncodeToString(sum[:8])))
}

// startWalker opens the span of one walker or function run; end records the
// number of locations walkers visited. A request that is not sampled gets
// no span under its server span (it would not be sampled either).
func (t *tracer) startWalker(ctx context.Context, ep *endpoint) (context.Context, trace.Span) {
	if t == nil || !trace.SpanFromContext(ctx).IsRecording() {
		return ctx, nil
	}
	kind := "function"
	if ep.walker != nil {
		kind = "walker"
	}
	return t.t.Start(ctx, kind+" "+ep.name, trace.WithAttributes(attribute.String("jac.kind", kind), attribute.String("jac.name", ep.name)))
}

func (t *tracer) endWalker(span trace.Span, res *callResult, err error) {
	if t == nil || span == nil {
		return
	}
	if res != nil && res.th != nil {
		span.SetAttributes(attribute.Int("jac.nodes_visited", res.th.Visits))
	}
	if err != nil {
		span.SetStatus(codes.Error, err.Error())
	}
	span.End()
}

// storeSpan records a graph store operation that took from start to now.
func (t *tracer) storeSpan(ctx context.Context, op string, start time.Time, err error) {
	if t == nil || !trace.SpanFromContext(ctx).IsRecording() {
		return
	}
	_, span := t.t.Start(ctx, "store "+op, trace.WithTimestamp(start), trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(semconv.DBSystemKey.String(t.store), attribute.String("db.operation.name", op)))
	if err != nil {
		span.SetStatus(codes.Error, err.Error())
	}
	span.End()
}

// redisSpans is a go-redis hook recording a client span per command and per
// pipeline of the tiered store, under the request's span (commands outside
// a traced request, like the invalidation subscription's pings, are not).
type redisSpans struct{ t *tracer }

func (h redisSpans) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h redisSpans) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		return h.record(ctx, cmd.Name(), func(ctx context.Context) error { return next(ctx, cmd) })
	}
}

func (h redisSpans) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		return h.record(ctx, "pipeline", func(ctx context.Context) error { return next(ctx, cmds) })
	}
}

func (h redisSpans) record(ctx context.Context, op string, run func(context.Context) error) error {
	if !trace.SpanFromContext(ctx).IsRecording() {
		return run(ctx)
	}
	ctx, span := h.t.t.Start(ctx, "redis "+op, trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(semconv.DBSystemKey.String("redis"), attribute.String("db.operation.name", op)))
	err := run(ctx)
	if err != nil && err != redis.Nil {
		span.SetStatus(codes.Error, err.Error())
	}
	span.End()
	return err
}

// mongoSpans records a client span per MongoDB command of the tiered store
// under the request's span (memory.CommandObserver).
type mongoSpans struct {
	t     *tracer
	spans sync.Map // request id -> trace.Span
}

func (m *mongoSpans) Started(ctx context.Context, requestID int64, command string) {
	if !trace.SpanFromContext(ctx).IsRecording() {
		return
	}
	_, span := m.t.t.Start(ctx, "mongodb "+command, trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(semconv.DBSystemKey.String("mongodb"), attribute.String("db.operation.name", command)))
	m.spans.Store(requestID, span)
}

func (m *mongoSpans) Finished(requestID int64, err error) {
	s, ok := m.spans.LoadAndDelete(requestID)
	if !ok {
		return
	}
	span := s.(trace.Span)
	if err != nil {
		span.SetStatus(codes.Error, err.Error())
	}
	span.End()
}

// traceID is the request's trace id, "" when it is not traced.
func traceID(ctx context.Context) string {
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		return sc.TraceID().String()
	}
	return ""
}

// traceLogHandler adds the trace and span ids of the record's context to
// every log line written with one (slog.InfoContext and friends).
type traceLogHandler struct{ slog.Handler }

func (h traceLogHandler) Handle(ctx context.Context, r slog.Record) error {
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		r.AddAttrs(slog.String("trace_id", sc.TraceID().String()), slog.String("span_id", sc.SpanID().String()))
	}
	return h.Handler.Handle(ctx, r)
}

func (h traceLogHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return traceLogHandler{h.Handler.WithAttrs(as)}
}

func (h traceLogHandler) WithGroup(name string) slog.Handler {
	return traceLogHandler{h.Handler.WithGroup(name)}
}
