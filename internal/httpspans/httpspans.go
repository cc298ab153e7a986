// Package httpspans traces the runtime's outgoing HTTP calls (the object
// stores' SDKs, SSO's OpenID Connect provider): a request sent under a traced
// context gets an OpenTelemetry client span, child of the context's span, and
// carries the W3C traceparent header to the peer.
//
// Spans are started with the tracer provider of the span already in the
// request's context, so the package needs no global state and no setup: with
// tracing off, or outside a traced request, a request goes out unchanged.
package httpspans

import (
	"io"
	"net/http"
	"net/url"
	"strconv"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
	"go.opentelemetry.io/otel/trace"
)

// scope names the instrumentation in the spans it records.
const scope = "github.com/jacscale/jac/internal/httpspans"

// Doer sends a request: an *http.Client, or an SDK's HTTP client (the AWS
// SDK's aws.HTTPClient).
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// WrapDoer traces the requests next sends.
func WrapDoer(next Doer) Doer { return doer{next} }

type doer struct{ next Doer }

func (d doer) Do(req *http.Request) (*http.Response, error) { return send(req, d.next.Do) }

// Transport traces the requests next carries (nil: http.DefaultTransport).
func Transport(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return transport{next}
}

type transport struct{ next http.RoundTripper }

func (t transport) RoundTrip(req *http.Request) (*http.Response, error) {
	return send(req, t.next.RoundTrip)
}

// Client is an *http.Client whose requests are traced.
func Client() *http.Client { return &http.Client{Transport: Transport(nil)} }

// send records req as a client span around next, from the request until its
// response body is read to the end or closed.
func send(req *http.Request, next func(*http.Request) (*http.Response, error)) (*http.Response, error) {
	parent := trace.SpanFromContext(req.Context())
	if !parent.SpanContext().IsValid() {
		return next(req)
	}
	ctx, span := parent.TracerProvider().Tracer(scope).Start(req.Context(), req.Method,
		trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(requestAttributes(req.URL, req.Method)...))
	req = req.Clone(ctx) // a RoundTripper must not change its caller's request
	propagation.TraceContext{}.Inject(ctx, propagation.HeaderCarrier(req.Header))
	resp, err := next(req)
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
		span.End()
		return resp, err
	}
	span.SetAttributes(semconv.HTTPResponseStatusCode(resp.StatusCode))
	if resp.StatusCode >= 400 {
		span.SetStatus(codes.Error, http.StatusText(resp.StatusCode))
	}
	if resp.Body == nil || resp.Body == http.NoBody {
		span.End()
		return resp, nil
	}
	resp.Body = &spanBody{ReadCloser: resp.Body, span: span}
	return resp, nil
}

// requestAttributes are the span's HTTP client attributes. The URL is
// recorded without its query and user info (signatures, tokens).
func requestAttributes(u *url.URL, method string) []attribute.KeyValue {
	attrs := []attribute.KeyValue{semconv.HTTPRequestMethodKey.String(method),
		semconv.URLFull((&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()),
		semconv.ServerAddress(u.Hostname())}
	port := u.Port()
	switch {
	case port == "" && u.Scheme == "https":
		port = "443"
	case port == "":
		port = "80"
	}
	if n, err := strconv.Atoi(port); err == nil {
		attrs = append(attrs, semconv.ServerPort(n))
	}
	return attrs
}

// spanBody ends the request's span once its body is read to the end, fails
// or is closed.
type spanBody struct {
	io.ReadCloser
	span  trace.Span
	ended bool
}

func (b *spanBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil {
		if err != io.EOF {
			b.span.RecordError(err)
			b.span.SetStatus(codes.Error, err.Error())
		}
		b.end()
	}
	return n, err
}

func (b *spanBody) Close() error {
	b.end()
	return b.ReadCloser.Close()
}

func (b *spanBody) end() {
	if !b.ended {
		b.ended = true
		b.span.End()
	}
}
