package main

import (
	"context"
	"log/slog"
	"path/filepath"

	"github.com/jacscale/jac/runtime/memory"
	"github.com/jacscale/jac/runtime/server"
)

// With MONGODB_URI and/or REDIS_URL the server uses the tiered store; with
// neither, the embedded bbolt store (server.New's default).
func init() {
	serverOptions = func(ctx context.Context, cfg server.Config) []server.Option {
		if cfg.MongoURI == "" && cfg.RedisURL == "" {
			return nil
		}
		o := memory.Options{MongoURI: cfg.MongoURI, RedisURL: cfg.RedisURL}
		if cfg.MongoURI == "" {
			b, err := memory.OpenBolt(filepath.Join(cfg.DataDir, "graph.db"))
			if err != nil {
				slog.Error("cannot open the embedded store", "err", err)
				return nil
			}
			o.Fallback = b
		}
		t, err := memory.Open(ctx, o)
		if err != nil {
			slog.Error("cannot open the tiered store", "err", err)
			return []server.Option{server.WithBackendError(err)}
		}
		return []server.Option{server.WithBackend(t)}
	}
}
