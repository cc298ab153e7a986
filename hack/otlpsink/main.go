// Command otlpsink is the trace receiver of the server tests: the OpenTelemetry
// Collector's own OTLP receiver (go.opentelemetry.io/collector/receiver/otlpreceiver,
// OTLP/HTTP) keeping every span in memory, with a query API:
//
//	otlpsink -otlp 127.0.0.1:4318 -query 127.0.0.1:16686
//	GET /api/spans[?trace_id=HEX]   -> JSON list of spans
//
// It prints "ready" once both listen. hack/otlpsink.sh builds and caches it.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configgrpc"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/receiver/otlpreceiver"
	"go.opentelemetry.io/collector/receiver/receivertest"
)

// span is what the query API returns for one span.
type span struct {
	TraceID    string         `json:"trace_id"`
	SpanID     string         `json:"span_id"`
	ParentID   string         `json:"parent_span_id"`
	Name       string         `json:"name"`
	Kind       string         `json:"kind"`
	Service    string         `json:"service"`
	Attributes map[string]any `json:"attributes"`
}

type store struct {
	mu    sync.Mutex
	spans []span
}

func (s *store) consume(_ context.Context, td ptrace.Traces) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, rs := range td.ResourceSpans().All() {
		svc, _ := rs.Resource().Attributes().Get("service.name")
		for _, ss := range rs.ScopeSpans().All() {
			for _, sp := range ss.Spans().All() {
				s.spans = append(s.spans, span{TraceID: sp.TraceID().String(), SpanID: sp.SpanID().String(),
					ParentID: sp.ParentSpanID().String(), Name: sp.Name(), Kind: sp.Kind().String(),
					Service: svc.AsString(), Attributes: sp.Attributes().AsRaw()})
			}
		}
	}
	return nil
}

func (s *store) query(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []span{}
	for _, sp := range s.spans {
		if id := r.URL.Query().Get("trace_id"); id == "" || id == sp.TraceID {
			out = append(out, sp)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}

func main() {
	otlpAddr := flag.String("otlp", "127.0.0.1:4318", "OTLP/HTTP listen address")
	queryAddr := flag.String("query", "127.0.0.1:16686", "query API listen address")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	st := &store{}
	next, err := consumer.NewTraces(st.consume)
	if err != nil {
		log.Fatal(err)
	}
	factory := otlpreceiver.NewFactory()
	cfg := factory.CreateDefaultConfig().(*otlpreceiver.Config)
	httpCfg := *cfg.Protocols.HTTP.GetOrInsertDefault()
	httpCfg.ServerConfig.NetAddr.Endpoint = *otlpAddr
	cfg.Protocols.HTTP = configoptional.Some(httpCfg)
	cfg.Protocols.GRPC = configoptional.None[configgrpc.ServerConfig]()
	recv, err := factory.CreateTraces(ctx, receivertest.NewNopSettings(factory.Type()), cfg, next)
	if err != nil {
		log.Fatal(err)
	}
	if err := recv.Start(ctx, componenttest.NewNopHost()); err != nil {
		log.Fatal(err)
	}
	defer recv.Shutdown(context.Background())

	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/spans", st.query)
	srv := &http.Server{Addr: *queryAddr, Handler: mux}
	go func() {
		if err := srv.ListenAndServe(); err != http.ErrServerClosed {
			log.Fatal(err)
		}
	}()
	fmt.Println("ready")
	<-ctx.Done()
	srv.Close()
}
