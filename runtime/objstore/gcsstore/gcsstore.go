// Package gcsstore is store()'s storage_type "gcs": Google Cloud Storage
// through cloud.google.com/go/storage with Application Default Credentials
// (Workload Identity on GKE). An explicit endpoint (an emulator) is used
// without authentication. Each HTTP request under a traced request is a
// client span (internal/httpspans).
package gcsstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"

	"cloud.google.com/go/storage"
	"google.golang.org/api/iterator"
	"google.golang.org/api/option"
	htransport "google.golang.org/api/transport/http"

	"github.com/jacscale/jac/internal/httpspans"
	"github.com/jacscale/jac/runtime/objstore"
)

func init() { objstore.Register("gcs", Open) }

// chunkSize bounds an upload's memory: the writer buffers one chunk.
const chunkSize = 8 << 20

type bucket struct {
	h *storage.BucketHandle
}

// Open connects to the bucket of cfg.
func Open(ctx context.Context, cfg objstore.Config) (objstore.Bucket, error) {
	hc, err := httpClient(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("gcs: %w", err)
	}
	opts := []option.ClientOption{option.WithHTTPClient(hc)}
	if cfg.Endpoint != "" {
		opts = append(opts, option.WithEndpoint(cfg.Endpoint), option.WithoutAuthentication())
	}
	c, err := storage.NewClient(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("gcs: %w", err)
	}
	return &bucket{h: c.Bucket(cfg.Bucket)}, nil
}

// httpClient is the client's HTTP client: each request of a traced run is a
// client span (internal/httpspans), under the Application Default
// Credentials' authentication (none for an emulator's endpoint).
func httpClient(ctx context.Context, cfg objstore.Config) (*http.Client, error) {
	base := httpspans.Transport(nil)
	if cfg.Endpoint != "" {
		return &http.Client{Transport: base}, nil
	}
	// (WithTelemetryDisabled: no second client span from the library's otelhttp)
	authed, err := htransport.NewTransport(ctx, base, option.WithScopes(storage.ScopeFullControl, cloudPlatformScope),
		option.WithTelemetryDisabled())
	if err != nil {
		return nil, err
	}
	return &http.Client{Transport: authed}, nil
}

// cloudPlatformScope is the second scope storage.NewClient asks for by default.
const cloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform"

func (b *bucket) Put(ctx context.Context, key string, r io.Reader) error {
	w := b.h.Object(key).NewWriter(ctx)
	w.ChunkSize = chunkSize
	if _, err := io.Copy(w, r); err != nil {
		w.Close()
		return wrap(err, key)
	}
	return wrap(w.Close(), key)
}

func (b *bucket) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	r, err := b.h.Object(key).NewReader(ctx)
	if err != nil {
		return nil, wrap(err, key)
	}
	return r, nil
}

func (b *bucket) Stat(ctx context.Context, key string) (objstore.Object, error) {
	a, err := b.h.Object(key).Attrs(ctx)
	if err != nil {
		return objstore.Object{}, wrap(err, key)
	}
	return objstore.Object{Key: key, Size: a.Size, Modified: a.Updated}, nil
}

func (b *bucket) List(ctx context.Context, prefix string) ([]objstore.Object, error) {
	var out []objstore.Object
	it := b.h.Objects(ctx, &storage.Query{Prefix: prefix})
	for {
		a, err := it.Next()
		if errors.Is(err, iterator.Done) {
			return out, nil // GCS lists in key order
		}
		if err != nil {
			return nil, wrap(err, prefix)
		}
		out = append(out, objstore.Object{Key: a.Name, Size: a.Size, Modified: a.Updated})
	}
}

func (b *bucket) Copy(ctx context.Context, src, dst string) error {
	_, err := b.h.Object(dst).CopierFrom(b.h.Object(src)).Run(ctx)
	return wrap(err, src)
}

func (b *bucket) Delete(ctx context.Context, key string) error {
	err := b.h.Object(key).Delete(ctx)
	if errors.Is(err, storage.ErrObjectNotExist) {
		return nil
	}
	return wrap(err, key)
}

// wrap turns GCS's "object does not exist" into fs.ErrNotExist.
func wrap(err error, key string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, storage.ErrObjectNotExist) {
		return &fs.PathError{Op: "open", Path: key, Err: fs.ErrNotExist}
	}
	return fmt.Errorf("gcs: %w", err)
}
