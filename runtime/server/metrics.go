package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the Prometheus series of one server.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	walkers  *prometheus.HistogramVec
	storeOps *prometheus.HistogramVec
	// interrupts counts runs stopped by their context (limits.go)
	interrupts *prometheus.CounterVec
	walkerOn   bool
}

func newMetrics(cfg Monitoring) *metrics {
	ns := cfg.NamePrefix
	m := &metrics{reg: prometheus.NewRegistry(), walkerOn: cfg.WalkerMetrics}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "http_requests_total",
		Help: "HTTP requests by route, method and status."}, []string{"route", "method", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "http_request_duration_seconds",
		Help: "HTTP request latency by route.", Buckets: cfg.Buckets}, []string{"route", "method"})
	m.walkers = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "walker_duration_seconds",
		Help: "Walker and function run time (including store commit).", Buckets: cfg.Buckets}, []string{"walker"})
	m.storeOps = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "store_operation_duration_seconds",
		Help: "Graph store operations.", Buckets: cfg.Buckets}, []string{"op"})
	m.interrupts = newInterruptsCounter(ns)
	m.reg.MustRegister(m.requests, m.latency, m.walkers, m.storeOps, m.interrupts,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) request(route, method string, status int, d time.Duration) {
	if status == 0 {
		status = 200
	}
	method = methodLabel(method)
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route, method).Observe(d.Seconds())
}

// methodLabel keeps the standard methods and puts any other token (a client
// may send any) under one label.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return method
	}
	return "OTHER"
}

func (m *metrics) walker(name string, d time.Duration) {
	if m.walkerOn {
		m.walkers.WithLabelValues(name).Observe(d.Seconds())
	}
}

func (m *metrics) storeOp(op string, d time.Duration) {
	m.storeOps.WithLabelValues(op).Observe(d.Seconds())
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}
