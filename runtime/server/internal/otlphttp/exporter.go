// Package otlphttp is a small OTLP/HTTP trace exporter: an
// sdktrace.SpanExporter that POSTs ExportTraceServiceRequest messages as
// application/x-protobuf to a collector's /v1/traces.
//
// It replaces go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp
// because that exporter builds on go.opentelemetry.io/proto/otlp, whose
// collector packages carry gRPC service stubs, so gRPC, grpc-gateway and
// genproto were linked into the slim runtime for an HTTP exporter. This one
// uses the gRPC-free go.opentelemetry.io/proto/slim/otlp messages.
package otlphttp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	collectorpb "go.opentelemetry.io/proto/slim/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
)

// Config is where and how spans are sent. Zero fields take the OTLP
// exporter's defaults.
type Config struct {
	URL     string            // full traces URL, e.g. http://collector:4318/v1/traces
	Headers map[string]string // sent with every request
	Timeout time.Duration     // of one attempt; 10 s by default
	Retry   Retry
	Client  *http.Client
}

// Retry is the backoff for answers a collector marks as transient (429, 502,
// 503, 504) and for failed connections: exponential from Initial to Max,
// giving up after MaxElapsed. A Retry-After header lengthens the wait.
type Retry struct {
	Initial, Max, MaxElapsed time.Duration
}

// DefaultRetry is the upstream OTLP exporters' backoff.
var DefaultRetry = Retry{Initial: 5 * time.Second, Max: 30 * time.Second, MaxElapsed: time.Minute}

// Exporter sends spans over OTLP/HTTP protobuf.
type Exporter struct {
	cfg     Config
	stopped atomic.Bool
}

var _ sdktrace.SpanExporter = (*Exporter)(nil)

// New returns an exporter for cfg, with the defaults filled in.
func New(cfg Config) *Exporter {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Retry == (Retry{}) {
		cfg.Retry = DefaultRetry
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Transport: http.DefaultTransport}
	}
	return &Exporter{cfg: cfg}
}

// ConfigFromEnv reads the headers and timeout of the OpenTelemetry SDK's
// variables, the signal-specific ones winning: OTEL_EXPORTER_OTLP_HEADERS /
// OTEL_EXPORTER_OTLP_TRACES_HEADERS (comma-separated key=value, values
// URL-encoded) and OTEL_EXPORTER_OTLP_TIMEOUT / OTEL_EXPORTER_OTLP_TRACES_TIMEOUT
// (milliseconds).
func ConfigFromEnv(tracesURL string) Config {
	cfg := Config{URL: tracesURL, Headers: map[string]string{}}
	for _, name := range []string{"OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS"} {
		for k, v := range parseHeaders(os.Getenv(name)) {
			cfg.Headers[k] = v
		}
	}
	for _, name := range []string{"OTEL_EXPORTER_OTLP_TIMEOUT", "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT"} {
		if ms, err := strconv.Atoi(os.Getenv(name)); err == nil && ms > 0 {
			cfg.Timeout = time.Duration(ms) * time.Millisecond
		}
	}
	return cfg
}

// parseHeaders reads the W3C-baggage-like list of the OTLP specification;
// malformed entries are skipped.
func parseHeaders(s string) map[string]string {
	out := map[string]string{}
	for _, item := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(item, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			continue
		}
		if dec, err := url.PathUnescape(strings.TrimSpace(v)); err == nil {
			out[k] = dec
		}
	}
	return out
}

// ExportSpans sends one batch, retrying transient failures until ctx ends or
// the retry budget is spent.
func (e *Exporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	if e.stopped.Load() || len(spans) == 0 {
		return nil
	}
	body, err := proto.Marshal(exportRequest(spans))
	if err != nil {
		return fmt.Errorf("otlphttp: marshal: %w", err)
	}
	deadline := time.Now().Add(e.cfg.Retry.MaxElapsed)
	wait := e.cfg.Retry.Initial
	for {
		retryAfter, err := e.post(ctx, body)
		var t *transientError
		if err == nil || !errors.As(err, &t) {
			return err
		}
		pause := max(wait, retryAfter)
		if time.Now().Add(pause).After(deadline) {
			return fmt.Errorf("otlphttp: giving up after retries: %w", err)
		}
		select {
		case <-ctx.Done():
			return errors.Join(ctx.Err(), err)
		case <-time.After(pause):
		}
		wait = min(2*wait, e.cfg.Retry.Max)
	}
}

// transientError is a failure worth another attempt.
type transientError struct{ err error }

func (t *transientError) Error() string { return t.err.Error() }
func (t *transientError) Unwrap() error { return t.err }

// post makes one attempt; a transient failure comes with the wait the
// collector asked for, if any.
func (e *Exporter) post(ctx context.Context, body []byte) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, e.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("otlphttp: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-protobuf")
	for k, v := range e.cfg.Headers {
		req.Header.Set(k, v)
	}
	resp, err := e.cfg.Client.Do(req)
	if err != nil {
		if ctx.Err() != nil && ctx.Err() != context.DeadlineExceeded {
			return 0, fmt.Errorf("otlphttp: %w", err)
		}
		return 0, &transientError{fmt.Errorf("otlphttp: %w", err)}
	}
	defer resp.Body.Close()
	reply, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		reportPartialSuccess(reply)
		return 0, nil
	case isTransient(resp.StatusCode):
		return retryAfter(resp.Header.Get("Retry-After")),
			&transientError{fmt.Errorf("otlphttp: collector answered %s", resp.Status)}
	}
	return 0, fmt.Errorf("otlphttp: collector answered %s: %s", resp.Status, bytes.TrimSpace(reply))
}

func isTransient(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryAfter reads a Retry-After header given in seconds.
func retryAfter(h string) time.Duration {
	if s, err := strconv.Atoi(strings.TrimSpace(h)); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	return 0
}

// reportPartialSuccess hands spans the collector rejected to the global
// OpenTelemetry error handler, as the upstream exporter does.
func reportPartialSuccess(reply []byte) {
	var resp collectorpb.ExportTraceServiceResponse
	if len(reply) == 0 || proto.Unmarshal(reply, &resp) != nil {
		return
	}
	if p := resp.GetPartialSuccess(); p != nil && (p.GetRejectedSpans() > 0 || p.GetErrorMessage() != "") {
		otel.Handle(fmt.Errorf("otlphttp: collector rejected %d spans: %s", p.GetRejectedSpans(), p.GetErrorMessage()))
	}
}

// Shutdown stops exporting; later batches are dropped.
func (e *Exporter) Shutdown(context.Context) error {
	e.stopped.Store(true)
	return nil
}
