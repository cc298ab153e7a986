package server_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/jacscale/jac/internal/loopback"
)

const rateLimitApp = `
walker :pub ping { can go with Root entry { report 1; } }
walker mine { can go with Root entry { report 2; } }
def :pub add(a: int) -> int { return a + 1; }
@restspec(webhook=True)
walker hook { has n: int; can go with Root entry { report self.n; } }
@restspec(protocol=APIProtocol.WEBSOCKET)
walker :pub echo { has n: int; can go with Root entry { report self.n * 2; } }
`

// limited turns rate limiting on (startApp turns it off) with the given settings.
func limited(env ...string) []string {
	return append([]string{"JWT_SECRET=rl", "JAC_RATE_LIMIT_ENABLED=true"}, env...)
}

// request sends one request from the client address xff (through a proxy on
// loopback when xff is set) and returns the response with its body read.
func (s *server) request(method, path, xff string, header http.Header, body string) (*http.Response, map[string]any) {
	s.t.Helper()
	req, _ := http.NewRequest(method, s.url+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header[k] = v
	}
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer r.Body.Close()
	var out map[string]any
	data, _ := io.ReadAll(r.Body)
	json.Unmarshal(data, &out)
	return r, out
}

// expectBurst: the first n requests are not refused, the next one is 429 with
// the envelope error of the quota and a Retry-After within [lo, hi] seconds.
func expectBurst(t *testing.T, surface string, n int, quota string, lo, hi int, send func() (*http.Response, map[string]any)) {
	t.Helper()
	start := time.Now()
	for i := 0; i < n; i++ {
		if r, body := send(); r.StatusCode == http.StatusTooManyRequests || r.StatusCode >= 500 {
			t.Fatalf("%s: request %d of a burst of %d: %d %v", surface, i+1, n, r.StatusCode, body)
		}
	}
	r, body := send()
	if r.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("%s: request %d: %d %v, want 429", surface, n+1, r.StatusCode, body)
	}
	// the bucket refilled for as long as the burst took (register hashes passwords)
	lo = max(1, min(lo, hi-int(time.Since(start).Seconds())-1))
	checkLimited(t, surface, r.Header.Get("Retry-After"), body, quota, lo, hi)
}

func checkLimited(t *testing.T, surface, retryAfter string, body map[string]any, quota string, lo, hi int) {
	t.Helper()
	secs, err := strconv.Atoi(retryAfter)
	if err != nil || secs < lo || secs > hi {
		t.Errorf("%s: Retry-After %q, want %d..%d", surface, retryAfter, lo, hi)
	}
	e, _ := body["error"].(map[string]any)
	if body["ok"] != false || e["code"] != "RATE_LIMITED" {
		t.Fatalf("%s: body %v, want the RATE_LIMITED envelope error", surface, body)
	}
	if d, _ := e["details"].(map[string]any); d["quota"] != quota || d["retry_after"] != float64(secs) {
		t.Errorf("%s: details %v, want quota %s retry_after %d", surface, e["details"], quota, secs)
	}
}

// TestRateLimitSurfaces: on every protected surface a burst up to the limit
// passes and the next request is 429 with Retry-After and the envelope error;
// each client address behind the trusted proxy has its own buckets.
func TestRateLimitSurfaces(t *testing.T) {
	// 6 a minute: one token every 10 s, so Retry-After is 10 (9 on a slow machine)
	s := startApp(t, rateLimitApp, limited("JAC_RATE_LIMIT_PER_MINUTE=6", "JAC_RATE_LIMIT_BURST=5",
		"JAC_RATE_LIMIT_USER_PER_MINUTE=0", "JAC_RATE_LIMIT_AUTH_PER_MINUTE=6", "JAC_RATE_LIMIT_AUTH_BURST=2",
		"JAC_RATE_LIMIT_WS_PER_MINUTE=6", "JAC_RATE_LIMIT_WS_BURST=3", "JAC_TRUSTED_PROXIES=127.0.0.1/32,::1")...)
	post := func(path, xff, body string) func() (*http.Response, map[string]any) {
		return func() (*http.Response, map[string]any) { return s.request("POST", path, xff, nil, body) }
	}
	expectBurst(t, "walker", 5, "ip", 9, 10, post("/walker/ping", "203.0.113.1", "{}"))
	expectBurst(t, "function", 5, "ip", 9, 10, post("/function/add", "203.0.113.2", `{"a":1}`))
	expectBurst(t, "refresh-token", 5, "ip", 9, 10, post("/user/refresh-token", "203.0.113.3", `{"token":"x"}`))
	// login and register are stricter: 2 per address
	expectBurst(t, "login", 2, "auth", 9, 10, post("/user/login", "203.0.113.4", `{"username":"a","password":"b"}`))
	expectBurst(t, "register", 2, "auth", 9, 10, func() (*http.Response, map[string]any) {
		return s.request("POST", "/user/register", "203.0.113.5", nil, fmt.Sprintf(`{"username":"u%d","password":"pw"}`, time.Now().UnixNano()))
	})
	// the walker's bucket of 203.0.113.1 is still empty; health and metrics are not counted
	if r, _ := s.request("POST", "/walker/ping", "203.0.113.1", nil, "{}"); r.StatusCode != 429 {
		t.Errorf("an empty bucket refilled early: %d", r.StatusCode)
	}
	if r, _ := s.request("GET", "/healthz", "203.0.113.1", nil, ""); r.StatusCode != 200 {
		t.Errorf("/healthz is rate limited: %d", r.StatusCode)
	}

	// webhooks: the key's owner registers from one address, the caller is another
	_, reg := s.request("POST", "/user/register", "203.0.113.6", nil, `{"username":"hook","password":"pw"}`)
	tok := reg["data"].(map[string]any)["token"].(string)
	_, created := s.request("POST", "/api-key/create", "203.0.113.6", http.Header{"Authorization": {"Bearer " + tok}}, `{"name":"ci","expiry_days":0}`)
	key := created["data"].(map[string]any)["api_key"].(string)
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte(`{"n":7}`))
	hookHeader := http.Header{"X-Api-Key": {key}, "X-Webhook-Signature": {hex.EncodeToString(mac.Sum(nil))}}
	expectBurst(t, "webhook", 5, "ip", 9, 10, func() (*http.Response, map[string]any) {
		r, body := s.request("POST", "/webhook/hook", "203.0.113.7", hookHeader, `{"n":7}`)
		if r.StatusCode != 200 && r.StatusCode != 429 {
			t.Fatalf("webhook: %d %v", r.StatusCode, body)
		}
		return r, body
	})

	// WebSocket messages: 3 per address; the upgrade takes one IP token
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(s.url, "http")+"/ws/echo",
		&websocket.DialOptions{HTTPHeader: http.Header{"X-Forwarded-For": {"203.0.113.8"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	for i := 1; i <= 4; i++ {
		c.Write(ctx, websocket.MessageText, []byte(`{"n":1}`))
		_, data, err := c.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var msg map[string]any
		json.Unmarshal(data, &msg)
		if i <= 3 && msg["ok"] != true {
			t.Fatalf("message %d: %s", i, data)
		}
		if i == 4 {
			e, _ := msg["error"].(map[string]any)
			d, _ := e["details"].(map[string]any)
			checkLimited(t, "websocket", fmt.Sprint(d["retry_after"]), msg, "ws", 9, 10)
		}
	}

	// every refusal is counted by quota
	r, err := http.Get(s.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(r.Body)
	r.Body.Close()
	for _, want := range []string{`jac_rate_limited_requests_total{quota="ip"} 5`, `jac_rate_limited_requests_total{quota="auth"} 2`,
		`jac_rate_limited_requests_total{quota="ws"} 1`} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// TestRateLimitUntrustedForwardedFor: without trusted proxies a client cannot
// escape its bucket by sending X-Forwarded-For.
func TestRateLimitUntrustedForwardedFor(t *testing.T) {
	s := startApp(t, rateLimitApp, limited("JAC_RATE_LIMIT_PER_MINUTE=6", "JAC_RATE_LIMIT_BURST=3")...)
	i := 0
	expectBurst(t, "spoofed walker", 3, "ip", 9, 10, func() (*http.Response, map[string]any) {
		i++
		return s.request("POST", "/walker/ping", fmt.Sprintf("198.51.100.%d", i), nil, "{}")
	})
}

// TestRateLimitPerUser: each authenticated user has a bucket of their own,
// whatever address they call from; waiting Retry-After gets a token.
func TestRateLimitPerUser(t *testing.T) {
	// 60 a minute: one token a second
	s := startApp(t, rateLimitApp, limited("JAC_RATE_LIMIT_PER_MINUTE=0", "JAC_RATE_LIMIT_USER_PER_MINUTE=60", "JAC_RATE_LIMIT_USER_BURST=3")...)
	ann, _ := s.register("ann")
	bob, _ := s.register("bob")
	as := func(tok string) func() (*http.Response, map[string]any) {
		return func() (*http.Response, map[string]any) {
			return s.request("POST", "/walker/mine", "", http.Header{"Authorization": {"Bearer " + tok}}, "{}")
		}
	}
	expectBurst(t, "ann", 3, "user", 1, 1, as(ann))
	if r, body := as(bob)(); r.StatusCode != 200 {
		t.Fatalf("another user is limited by ann's bucket: %d %v", r.StatusCode, body)
	}
	time.Sleep(time.Second)
	if r, body := as(ann)(); r.StatusCode != 200 {
		t.Fatalf("after Retry-After: %d %v", r.StatusCode, body)
	}
}

// startRedis runs a redis-server on a free loopback port and returns the port.
func startRedis(t *testing.T) int {
	redisBin, _ := exec.LookPath("redis-server")
	if v := os.Getenv("JAC_TEST_REDIS_SERVER"); v != "" {
		redisBin = v
	}
	if redisBin == "" {
		t.Skip("needs redis-server (make test provides it)")
	}
	port := loopback.FreePort(t)
	redis := exec.Command(redisBin, "--bind", "127.0.0.1", "--port", fmt.Sprint(port), "--save", "", "--appendonly", "no")
	if err := redis.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { redis.Process.Kill(); redis.Wait() })
	loopback.WaitTCP(t, port)
	return port
}

// TestRateLimitSharedRedis: two processes on one Redis enforce one budget.
func TestRateLimitSharedRedis(t *testing.T) {
	port := startRedis(t)
	env := limited(fmt.Sprintf("REDIS_URL=redis://127.0.0.1:%d/0", port), "JAC_RATE_LIMIT_PER_MINUTE=60", "JAC_RATE_LIMIT_BURST=6")
	a := startApp(t, rateLimitApp, env...)
	b := startApp(t, rateLimitApp, env...)
	i := 0
	expectBurst(t, "two processes", 6, "ip", 1, 1, func() (*http.Response, map[string]any) {
		i++
		if i%2 == 0 {
			return b.request("POST", "/walker/ping", "", nil, "{}")
		}
		return a.request("POST", "/walker/ping", "", nil, "{}")
	})
	if r, _ := b.request("POST", "/walker/ping", "", nil, "{}"); r.StatusCode != 429 {
		t.Fatalf("the other process did not see the shared budget: %d", r.StatusCode)
	}
	time.Sleep(time.Second)
	if r, body := b.request("POST", "/walker/ping", "", nil, "{}"); r.StatusCode != 200 {
		t.Fatalf("after Retry-After: %d %v", r.StatusCode, body)
	}
}
