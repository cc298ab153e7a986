// Package server is `jac start`: it serves a Jac program's walkers and functions
// over net/http (ServeMux method patterns, a middleware chain, handlers that
// return errors mapped to status codes in one place), with users and JWTs,
// OpenAPI and docs pages, health and metrics.
package server

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	toml "github.com/pelletier/go-toml/v2"

	"github.com/jacscale/jac/internal/project"
)

// Config is the server configuration: defaults, then jac.toml, then environment.
type Config struct {
	Host    string
	Port    int
	AppFile string
	DataDir string

	JWTSecret    string
	JWTAlgorithm string
	JWTExpDays   int

	CORSOrigins     []string
	ResponseHeaders map[string]string
	BodyLimit       int64
	WebhookLimit    int64

	MongoURI string
	RedisURL string

	APIKeyExpiryDays       int
	WebhookKeyHeader       string
	WebhookSignatureHeader string
	WebhookVerifySignature bool
	// WebhookReplayWindow, when positive, requires WebhookTimestampHeader (unix
	// seconds, within the window of now) and signs "<timestamp>.<body>".
	WebhookReplayWindow    time.Duration
	WebhookTimestampHeader string
	WebhookSecret          string // accepted for compatibility; keys are random and stored hashed, so no signing secret is needed

	StrictPermissions bool
	Monitoring        Monitoring
	RateLimit         RateLimit
	Tracing           Tracing
	HTTP              HTTPLimits

	// Isolates is how many instances of the program run requests' Jac code at
	// once (see isolates.go); 0 means GOMAXPROCS.
	Isolates int

	// ExecutionTimeout bounds one request's Jac run (0 = none); ExecutionMemory
	// is the per-request memory budget in bytes (0 = derived from GOMEMLIMIT).
	ExecutionTimeout time.Duration
	ExecutionMemory  int64
	// ShutdownTimeout bounds a graceful shutdown (SIGTERM).
	ShutdownTimeout time.Duration

	// Dev mode (introspection routes).
	Dev bool
}

// Monitoring is [plugins.scale.monitoring].
type Monitoring struct {
	Enabled       bool
	Path          string
	NamePrefix    string
	WalkerMetrics bool
	Buckets       []float64
}

// tomlFile is the part of jac.toml the server reads.
type tomlFile struct {
	Database struct {
		MongoURI string `toml:"mongodb_uri"`
		RedisURL string `toml:"redis_url"`
	} `toml:"database"`
	Environments struct {
		Response struct {
			Headers map[string]string `toml:"headers"`
		} `toml:"response"`
	} `toml:"environments"`
	Plugins struct {
		Scale struct {
			JWT struct {
				Secret    string `toml:"secret"`
				Algorithm string `toml:"algorithm"`
				ExpDays   int    `toml:"exp_delta_days"`
			} `toml:"jwt"`
			Webhook struct {
				SignatureHeader string `toml:"signature_header"`
				VerifySignature *bool  `toml:"verify_signature"`
				APIKeyExpiry    *int   `toml:"api_key_expiry_days"`
				Secret          string `toml:"secret"`
				ReplayWindow    *int   `toml:"replay_window_seconds"`
				TimestampHeader string `toml:"timestamp_header"`
			} `toml:"webhook"`
			CORS struct {
				AllowOrigins []string `toml:"allow_origins"`
			} `toml:"cors"`
			Server struct {
				BodyLimit int64  `toml:"max_body_size"`
				DataDir   string `toml:"data_dir"`
				executionLimitsTOML
				httpLimitsTOML
			} `toml:"server"`
			Monitoring struct {
				Enabled       *bool     `toml:"enabled"`
				Path          string    `toml:"metrics_path"`
				NamePrefix    string    `toml:"namespace"`
				WalkerMetrics *bool     `toml:"walker_metrics"`
				Buckets       []float64 `toml:"histogram_buckets"`
			} `toml:"monitoring"`
			RateLimit rateLimitTOML `toml:"rate_limit"`
			Tracing   tracingTOML   `toml:"tracing"`
		} `toml:"scale"`
	} `toml:"plugins"`
}

// LoadConfig builds the configuration for the app file.
func LoadConfig(appFile string) (Config, error) {
	abs, err := filepath.Abs(appFile)
	if err != nil {
		return Config{}, err
	}
	dir := filepath.Dir(abs)
	c := Config{
		Host: "0.0.0.0", Port: 8000, AppFile: abs, DataDir: filepath.Join(dir, ".jac", "data"),
		JWTAlgorithm: "HS256", JWTExpDays: 7, CORSOrigins: []string{"*"},
		BodyLimit: 10 << 20, WebhookLimit: 1 << 20,
		ExecutionTimeout: defaultExecutionTimeout, ShutdownTimeout: defaultShutdownTimeout,
		APIKeyExpiryDays: 365, WebhookKeyHeader: "X-API-Key", WebhookSignatureHeader: "X-Webhook-Signature",
		WebhookTimestampHeader: "X-Webhook-Timestamp",
		WebhookVerifySignature: true,
		Monitoring: Monitoring{Enabled: true, Path: "/metrics", NamePrefix: "jac", WalkerMetrics: true,
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}},
		RateLimit: defaultRateLimit,
		Tracing:   Tracing{SampleRatio: 1},
		HTTP:      defaultHTTPLimits(),
	}
	if p := project.FindTOML(dir); p != "" {
		data, err := os.ReadFile(p)
		if err != nil {
			return c, err
		}
		var t tomlFile
		if err := toml.Unmarshal(data, &t); err != nil {
			return c, fmt.Errorf("%s: %w", p, err)
		}
		c.applyTOML(&t, filepath.Dir(p))
		c.Tracing.applyTOML(t.Plugins.Scale.Tracing)
		if err := c.RateLimit.applyTOML(t.Plugins.Scale.RateLimit); err != nil {
			return c, fmt.Errorf("%s: %w", p, err)
		}
	}
	c.applyEnv()
	c.Tracing.applyEnv()
	if err := c.RateLimit.applyEnv(); err != nil {
		return c, err
	}
	return c, nil
}

func (c *Config) applyTOML(t *tomlFile, dir string) {
	s := t.Plugins.Scale
	setStr(&c.JWTSecret, s.JWT.Secret)
	setStr(&c.JWTAlgorithm, s.JWT.Algorithm)
	if s.JWT.ExpDays > 0 {
		c.JWTExpDays = s.JWT.ExpDays
	}
	if len(s.CORS.AllowOrigins) > 0 {
		c.CORSOrigins = s.CORS.AllowOrigins
	}
	if s.Server.BodyLimit > 0 {
		c.BodyLimit = s.Server.BodyLimit
	}
	if s.Server.DataDir != "" {
		c.DataDir = filepath.Join(dir, s.Server.DataDir)
	}
	c.applyLimitsTOML(s.Server.executionLimitsTOML)
	c.HTTP.applyTOML(s.Server.httpLimitsTOML)
	setStr(&c.WebhookSignatureHeader, s.Webhook.SignatureHeader)
	setStr(&c.WebhookSecret, s.Webhook.Secret)
	if s.Webhook.VerifySignature != nil {
		c.WebhookVerifySignature = *s.Webhook.VerifySignature
	}
	setStr(&c.WebhookTimestampHeader, s.Webhook.TimestampHeader)
	if s.Webhook.ReplayWindow != nil {
		c.WebhookReplayWindow = time.Duration(*s.Webhook.ReplayWindow) * time.Second
	}
	if s.Webhook.APIKeyExpiry != nil {
		c.APIKeyExpiryDays = *s.Webhook.APIKeyExpiry
	}
	setStr(&c.MongoURI, t.Database.MongoURI)
	setStr(&c.RedisURL, t.Database.RedisURL)
	c.ResponseHeaders = t.Environments.Response.Headers
	m := s.Monitoring
	if m.Enabled != nil {
		c.Monitoring.Enabled = *m.Enabled
	}
	setStr(&c.Monitoring.Path, m.Path)
	setStr(&c.Monitoring.NamePrefix, m.NamePrefix)
	if m.WalkerMetrics != nil {
		c.Monitoring.WalkerMetrics = *m.WalkerMetrics
	}
	if len(m.Buckets) > 0 {
		c.Monitoring.Buckets = m.Buckets
	}
}

func (c *Config) applyEnv() {
	setStr(&c.JWTSecret, os.Getenv("JWT_SECRET"))
	setStr(&c.JWTAlgorithm, os.Getenv("JWT_ALGORITHM"))
	if n, err := strconv.Atoi(os.Getenv("JWT_EXP_DELTA_DAYS")); err == nil && n > 0 {
		c.JWTExpDays = n
	}
	setStr(&c.WebhookSecret, os.Getenv("WEBHOOK_SECRET"))
	if n, err := strconv.Atoi(os.Getenv("WEBHOOK_REPLAY_WINDOW")); err == nil && n >= 0 {
		c.WebhookReplayWindow = time.Duration(n) * time.Second
	}
	setStr(&c.MongoURI, os.Getenv("MONGODB_URI"))
	setStr(&c.RedisURL, os.Getenv("REDIS_URL"))
	setStr(&c.DataDir, os.Getenv("JAC_DATA_DIR"))
	if v := os.Getenv("JAC_CORS_ORIGINS"); v != "" {
		c.CORSOrigins = strings.Split(v, ",")
	}
	if v := os.Getenv("JAC_STRICT_PERMISSIONS"); v == "1" || strings.EqualFold(v, "true") {
		c.StrictPermissions = true
	}
	c.applyLimitsEnv()
	c.HTTP.applyEnv()
}

func setStr(dst *string, v string) {
	if v != "" {
		*dst = v
	}
}

// isolates is the size of the isolate pool.
func (c *Config) isolates() int {
	if c.Isolates > 0 {
		return c.Isolates
	}
	return runtime.GOMAXPROCS(0)
}
