// Package objstore is the narrow interface between store() (runtime/stdlib/storage)
// and the cloud object stores (s3store, gcsstore): a bucket of objects under
// slash-separated keys. The backends register themselves by storage_type, so
// the interpreter's packages link no cloud SDK; cmd/jac links the backends.
package objstore

import (
	"context"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"
)

// Bucket is an object store. Missing objects are reported with an error
// wrapping fs.ErrNotExist.
type Bucket interface {
	// Put streams r into the object at key (no whole-object buffering).
	Put(ctx context.Context, key string, r io.Reader) error
	// Get opens the object at key for reading.
	Get(ctx context.Context, key string) (io.ReadCloser, error)
	// Stat describes the object at key.
	Stat(ctx context.Context, key string) (Object, error)
	// List returns every object whose key starts with prefix, in key order.
	List(ctx context.Context, prefix string) ([]Object, error)
	// Copy copies the object at src to dst inside the bucket.
	Copy(ctx context.Context, src, dst string) error
	// Delete removes the object at key; a missing object is not an error.
	Delete(ctx context.Context, key string) error
}

// Object describes one stored object.
type Object struct {
	Key      string
	Size     int64
	Modified time.Time
}

// Config is where a backend's objects are: [storage] in jac.toml, then
// JAC_STORAGE_* variables. Credentials come from each SDK's usual chain.
type Config struct {
	Bucket   string
	Region   string
	Endpoint string // an S3-compatible or GCS-emulator endpoint; empty = the cloud's own
}

// Opener connects to a backend.
type Opener func(ctx context.Context, cfg Config) (Bucket, error)

var (
	mu      sync.RWMutex
	openers = map[string]Opener{}
)

// Register makes a backend available as storage_type kind.
func Register(kind string, open Opener) {
	mu.Lock()
	defer mu.Unlock()
	openers[kind] = open
}

// Open connects to the backend registered as kind.
func Open(ctx context.Context, kind string, cfg Config) (Bucket, error) {
	mu.RLock()
	open := openers[kind]
	mu.RUnlock()
	if open == nil {
		return nil, fmt.Errorf("storage_type %q is not available (known: %v)", kind, Kinds())
	}
	if cfg.Bucket == "" {
		return nil, fmt.Errorf("storage_type %q needs a bucket ([storage] bucket or JAC_STORAGE_BUCKET)", kind)
	}
	return open(context.WithoutCancel(ctx), cfg) // the connection outlives the request that opens it
}

// Kinds lists the registered backends.
func Kinds() []string {
	mu.RLock()
	defer mu.RUnlock()
	var out []string
	for k := range openers {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
