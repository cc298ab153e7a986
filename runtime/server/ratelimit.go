package server

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"
)

// RateLimit is [plugins.scale.rate_limit]: token buckets per client address,
// per authenticated user, for login and register, and for WebSocket messages.
// A quota with PerMinute 0 is off.
type RateLimit struct {
	Enabled        bool
	IP             Quota // every protected request, per client address
	User           Quota // walkers, functions and webhooks, per authenticated user
	Auth           Quota // login and register, per client address (on top of IP)
	WSMessage      Quota // each WebSocket message, per client address
	TrustedProxies []netip.Prefix
}

// Quota is a token bucket: PerMinute tokens a minute refill a bucket of Burst.
type Quota struct {
	PerMinute int
	Burst     int
}

// defaultRateLimit: a person clicking through an app, or a page firing a few
// dozen calls at once, never meets these; a script hammering one endpoint does.
var defaultRateLimit = RateLimit{
	Enabled:   true,
	IP:        Quota{PerMinute: 600, Burst: 120},
	User:      Quota{PerMinute: 600, Burst: 120},
	Auth:      Quota{PerMinute: 10, Burst: 10},
	WSMessage: Quota{PerMinute: 600, Burst: 120},
}

// rateLimitTOML is the [plugins.scale.rate_limit] table.
type rateLimitTOML struct {
	Enabled        *bool    `toml:"enabled"`
	PerMinute      *int     `toml:"requests_per_minute"`
	Burst          *int     `toml:"burst"`
	UserPerMinute  *int     `toml:"user_requests_per_minute"`
	UserBurst      *int     `toml:"user_burst"`
	AuthPerMinute  *int     `toml:"auth_requests_per_minute"`
	AuthBurst      *int     `toml:"auth_burst"`
	WSPerMinute    *int     `toml:"ws_messages_per_minute"`
	WSBurst        *int     `toml:"ws_burst"`
	TrustedProxies []string `toml:"trusted_proxies"`
}

func (rl *RateLimit) applyTOML(t rateLimitTOML) error {
	if t.Enabled != nil {
		rl.Enabled = *t.Enabled
	}
	for _, f := range []struct {
		dst *int
		src *int
	}{
		{&rl.IP.PerMinute, t.PerMinute}, {&rl.IP.Burst, t.Burst},
		{&rl.User.PerMinute, t.UserPerMinute}, {&rl.User.Burst, t.UserBurst},
		{&rl.Auth.PerMinute, t.AuthPerMinute}, {&rl.Auth.Burst, t.AuthBurst},
		{&rl.WSMessage.PerMinute, t.WSPerMinute}, {&rl.WSMessage.Burst, t.WSBurst},
	} {
		if f.src != nil && *f.src >= 0 {
			*f.dst = *f.src
		}
	}
	if t.TrustedProxies != nil {
		return rl.setTrustedProxies(t.TrustedProxies)
	}
	return nil
}

// applyEnv reads JAC_RATE_LIMIT_* and JAC_TRUSTED_PROXIES (comma-separated
// addresses or CIDR prefixes).
func (rl *RateLimit) applyEnv() error {
	if v := os.Getenv("JAC_RATE_LIMIT_ENABLED"); v != "" {
		rl.Enabled = v == "1" || strings.EqualFold(v, "true")
	}
	for name, dst := range map[string]*int{
		"JAC_RATE_LIMIT_PER_MINUTE": &rl.IP.PerMinute, "JAC_RATE_LIMIT_BURST": &rl.IP.Burst,
		"JAC_RATE_LIMIT_USER_PER_MINUTE": &rl.User.PerMinute, "JAC_RATE_LIMIT_USER_BURST": &rl.User.Burst,
		"JAC_RATE_LIMIT_AUTH_PER_MINUTE": &rl.Auth.PerMinute, "JAC_RATE_LIMIT_AUTH_BURST": &rl.Auth.Burst,
		"JAC_RATE_LIMIT_WS_PER_MINUTE": &rl.WSMessage.PerMinute, "JAC_RATE_LIMIT_WS_BURST": &rl.WSMessage.Burst,
	} {
		if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n >= 0 {
			*dst = n
		}
	}
	if v := os.Getenv("JAC_TRUSTED_PROXIES"); v != "" {
		return rl.setTrustedProxies(strings.Split(v, ","))
	}
	return nil
}

func (rl *RateLimit) setTrustedProxies(list []string) error {
	rl.TrustedProxies = nil
	for _, s := range list {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				return fmt.Errorf("rate_limit.trusted_proxies: %q is neither an address nor a CIDR prefix", s)
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		rl.TrustedProxies = append(rl.TrustedProxies, p.Masked())
	}
	return nil
}

// bucketStore takes one token from the bucket named key; a positive wait
// means the bucket is empty and says when the next token comes.
type bucketStore interface {
	take(ctx context.Context, key bucketKey, q Quota) (wait time.Duration, err error)
	close() error
}

// bucketKey names a bucket: the quota, and the client address or the user
// (root id) it counts. A comparable struct, so that looking a bucket up in
// this process builds no string.
type bucketKey struct {
	quota string
	addr  netip.Addr // the per-address quotas
	user  string     // the per-user quota
}

// String is the bucket's name in a shared store ("ip:10.0.0.7", "user:<root id>").
func (k bucketKey) String() string {
	if k.user != "" {
		return k.quota + ":" + k.user
	}
	return k.quota + ":" + k.addr.String()
}

// rateLimiter applies the quotas of one server.
type rateLimiter struct {
	cfg     RateLimit
	buckets bucketStore
	limited *prometheus.CounterVec
	errors  prometheus.Counter
}

// newRateLimiter returns nil when rate limiting is off. With a Redis URL the
// buckets live in Redis and every process shares them.
func newRateLimiter(cfg RateLimit, redisURL string, reg prometheus.Registerer, namespace string) (*rateLimiter, error) {
	if !cfg.Enabled {
		return nil, nil
	}
	l := &rateLimiter{cfg: cfg}
	if redisURL != "" {
		opt, err := redis.ParseURL(redisURL)
		if err != nil {
			return nil, fmt.Errorf("rate limit: REDIS_URL: %w", err)
		}
		rdb := redis.NewClient(opt)
		l.buckets = &redisBuckets{rdb: rdb, limiter: redis_rate.NewLimiter(rdb)}
	} else {
		l.buckets = &localBuckets{buckets: map[bucketKey]*rate.Limiter{}}
	}
	l.limited = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: "rate_limited_requests_total",
		Help: "Requests and WebSocket messages refused with 429, by quota."}, []string{"quota"})
	l.errors = prometheus.NewCounter(prometheus.CounterOpts{Namespace: namespace, Name: "rate_limit_errors_total",
		Help: "Rate limit checks that failed (the request was let through)."})
	reg.MustRegister(l.limited, l.errors)
	return l, nil
}

func (l *rateLimiter) close() error {
	if l == nil {
		return nil
	}
	return l.buckets.close()
}

// check takes a token from the quota's bucket key; it returns a 429 error
// when the bucket is empty. A failing store lets the request through.
func (l *rateLimiter) check(ctx context.Context, key bucketKey, q Quota) *apiError {
	if l == nil || q.PerMinute <= 0 {
		return nil
	}
	wait, err := l.buckets.take(ctx, key, q)
	if err != nil {
		l.errors.Inc()
		slog.Warn("rate limit check failed; letting the request through", "quota", key.quota, "err", err)
		return nil
	}
	if wait <= 0 {
		return nil
	}
	l.limited.WithLabelValues(key.quota).Inc()
	return errRateLimited(key.quota, wait)
}

// errRateLimited is the 429 answer: Retry-After in whole seconds, rounded up,
// so that a client waiting that long finds a token.
func errRateLimited(quota string, wait time.Duration) *apiError {
	secs := int(math.Ceil(wait.Seconds()))
	e := envelopeErr(http.StatusTooManyRequests, "RATE_LIMITED",
		fmt.Sprintf("too many requests; retry after %d s", secs))
	e.details = map[string]any{"quota": quota, "retry_after": secs}
	e.header = http.Header{"Retry-After": {strconv.Itoa(secs)}}
	return e
}

// checkRequest applies the per-address quotas to a request: every protected
// route takes from the IP bucket, login and register also from the auth one.
func (l *rateLimiter) checkRequest(r *http.Request, metricsPath string) *apiError {
	if l == nil || !protectedRoute(r.URL.Path, metricsPath) {
		return nil
	}
	ip := l.clientIP(r)
	if err := l.check(r.Context(), bucketKey{quota: "ip", addr: ip}, l.cfg.IP); err != nil {
		return err
	}
	if r.Method == http.MethodPost && (r.URL.Path == "/user/login" || r.URL.Path == "/user/register") {
		return l.check(r.Context(), bucketKey{quota: "auth", addr: ip}, l.cfg.Auth)
	}
	return nil
}

// checkUser applies the per-user quota.
func (l *rateLimiter) checkUser(ctx context.Context, u *User) *apiError {
	if l == nil || u == nil {
		return nil
	}
	return l.check(ctx, bucketKey{quota: "user", user: u.RootID}, l.cfg.User)
}

// clientAddr is the request's client for the per-address quotas.
func (l *rateLimiter) clientAddr(r *http.Request) netip.Addr {
	if l == nil {
		return netip.Addr{}
	}
	return l.clientIP(r)
}

// checkMessage applies the WebSocket message quota to the connection's address.
func (l *rateLimiter) checkMessage(ctx context.Context, ip netip.Addr) *apiError {
	if l == nil {
		return nil
	}
	return l.check(ctx, bucketKey{quota: "ws", addr: ip}, l.cfg.WSMessage)
}

// protectedRoute: everything that runs Jac code or touches users; health,
// metrics, API docs and static assets are neither counted nor traced.
func protectedRoute(path, metricsPath string) bool {
	switch {
	case path == metricsPath, path == "/openapi.json", path == "/docs", path == "/redoc", path == "/graph":
		return false
	case strings.HasPrefix(path, "/healthz"), strings.HasPrefix(path, "/docs/"),
		strings.HasPrefix(path, "/static/"), strings.HasPrefix(path, "/cl/"):
		return false
	}
	return true
}

// clientIP is the peer address, or, when the peer is a trusted proxy, the
// right-most X-Forwarded-For address that is not a trusted proxy.
func (l *rateLimiter) clientIP(r *http.Request) netip.Addr {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}
	}
	ip := peer.Addr().Unmap()
	if !l.trusted(ip) {
		return ip
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		ip = a.Unmap()
		if !l.trusted(ip) {
			break
		}
	}
	return ip
}

func (l *rateLimiter) trusted(ip netip.Addr) bool {
	for _, p := range l.cfg.TrustedProxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// localBuckets are this process's token buckets (golang.org/x/time/rate).
type localBuckets struct {
	mu        sync.Mutex
	buckets   map[bucketKey]*rate.Limiter
	lastSweep time.Time
}

// sweepEvery bounds the memory of buckets: full buckets are forgotten (a new
// one starts full, so nothing changes for their owner).
const sweepEvery = time.Minute

func (b *localBuckets) take(_ context.Context, key bucketKey, q Quota) (time.Duration, error) {
	now := time.Now()
	b.mu.Lock()
	defer b.mu.Unlock()
	if now.Sub(b.lastSweep) > sweepEvery {
		b.sweep(now)
	}
	lim := b.buckets[key]
	if lim == nil {
		lim = rate.NewLimiter(rate.Limit(float64(q.PerMinute)/60), max(q.Burst, 1))
		b.buckets[key] = lim
	}
	res := lim.ReserveN(now, 1)
	if wait := res.DelayFrom(now); wait > 0 {
		res.CancelAt(now) // a refused request does not spend a future token
		return wait, nil
	}
	return 0, nil
}

func (b *localBuckets) sweep(now time.Time) {
	b.lastSweep = now
	for k, lim := range b.buckets {
		if lim.TokensAt(now) >= float64(lim.Burst()) {
			delete(b.buckets, k)
		}
	}
}

func (b *localBuckets) close() error { return nil }

// redisBuckets are buckets in Redis shared by every process
// (go-redis/redis_rate: GCRA in one Lua script, atomic across clients).
type redisBuckets struct {
	rdb     *redis.Client
	limiter *redis_rate.Limiter
}

func (b *redisBuckets) take(ctx context.Context, key bucketKey, q Quota) (time.Duration, error) {
	res, err := b.limiter.Allow(ctx, "jac:"+key.String(), redis_rate.Limit{Rate: q.PerMinute, Burst: max(q.Burst, 1), Period: time.Minute})
	if err != nil {
		return 0, err
	}
	if res.Allowed > 0 {
		return 0, nil
	}
	return res.RetryAfter, nil
}

func (b *redisBuckets) close() error { return b.rdb.Close() }
