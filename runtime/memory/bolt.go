// Package memory holds the graph stores behind the interpreter's Store interface:
// the embedded bbolt store used when no database is configured, and (in tiered.go)
// the L1 in-process / L2 Redis / L3 MongoDB tiers.
package memory

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/jacscale/jac/runtime/interp"
)

var (
	graphBucket = []byte("graph")
	edgesBucket = []byte("edges") // node id + 8-byte sequence -> edge id
	kvBucket    = []byte("kv")
)

// Bolt is the embedded store: one bbolt file holding the graph and the server's
// key/value records (users, tokens). Commits go through bbolt's Batch, which
// coalesces concurrent transactions into one fsync.
type Bolt struct {
	db    *bolt.DB
	mu    sync.RWMutex
	cache map[interp.ID]*interp.Record // committed records (this process owns the file)
}

// OpenBolt opens (creating) the store file at path.
func OpenBolt(path string) (*Bolt, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.MaxBatchDelay = 2 * time.Millisecond
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{graphBucket, edgesBucket, kvBucket} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	return &Bolt{db: db, cache: map[interp.ID]*interp.Record{}}, nil
}

// Close closes the file.
func (b *Bolt) Close() error { return b.db.Close() }

// Get implements interp.Store.
func (b *Bolt) Get(ctx context.Context, id interp.ID) (*interp.Record, error) {
	b.mu.RLock()
	cached, ok := b.cache[id]
	b.mu.RUnlock()
	if ok {
		return cached, nil
	}
	var rec *interp.Record
	err := b.db.View(func(tx *bolt.Tx) error {
		data := tx.Bucket(graphBucket).Get(id[:])
		if data == nil {
			return nil
		}
		rec = &interp.Record{}
		return json.Unmarshal(data, rec)
	})
	if err == nil && rec != nil {
		b.remember(rec)
	}
	return rec, err
}

// remember caches a committed record (records are never mutated after).
func (b *Bolt) remember(rec *interp.Record) {
	b.mu.Lock()
	if len(b.cache) > 200000 {
		clear(b.cache)
	}
	b.cache[rec.ID] = rec
	b.mu.Unlock()
}

// Commit implements interp.Store: version-checked, atomic, durable.
func (b *Bolt) Commit(ctx context.Context, t *interp.Tx) error {
	err := b.db.Batch(func(tx *bolt.Tx) error {
		bk := tx.Bucket(graphBucket)
		for _, r := range t.Puts {
			cur := int64(0)
			if data := bk.Get(r.ID[:]); data != nil {
				var old interp.Record
				if err := json.Unmarshal(data, &old); err != nil {
					return err
				}
				cur = old.Version
			}
			if want, ok := t.Reads[r.ID]; ok && want != cur {
				if os.Getenv("JAC_DEBUG_CONFLICT") != "" {
					fmt.Fprintf(os.Stderr, "conflict %s %s read=%d cur=%d\n", r.Type, r.ID.Hex(), want, cur)
				}
				return interp.ErrConflict
			}
			r.Version = cur + 1
		}
		for _, r := range t.Puts {
			data, err := json.Marshal(r)
			if err != nil {
				return err
			}
			if err := bk.Put(r.ID[:], data); err != nil {
				return err
			}
		}
		for _, id := range t.Deletes {
			if err := bk.Delete(id[:]); err != nil {
				return err
			}
		}
		return applyEdgeOps(tx.Bucket(edgesBucket), t)
	})
	b.mu.Lock()
	for _, r := range t.Puts {
		delete(b.cache, r.ID)
	}
	for _, id := range t.Deletes {
		delete(b.cache, id)
	}
	b.mu.Unlock()
	if err == nil {
		for _, r := range t.Puts {
			c := *r
			b.remember(&c)
		}
	}
	return err
}

// KVGet reads a key of the key/value space (users, tokens, api keys).
func (b *Bolt) KVGet(ctx context.Context, key string) ([]byte, error) {
	var out []byte
	err := b.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(kvBucket).Get([]byte(key)); v != nil {
			out = append([]byte(nil), v...)
		}
		return nil
	})
	return out, err
}

// KVPut writes a key; with ifAbsent it fails with ErrExists when the key is taken.
func (b *Bolt) KVPut(ctx context.Context, key string, val []byte, ifAbsent bool) error {
	return b.db.Batch(func(tx *bolt.Tx) error {
		bk := tx.Bucket(kvBucket)
		if ifAbsent && bk.Get([]byte(key)) != nil {
			return ErrExists
		}
		return bk.Put([]byte(key), val)
	})
}

// KVDelete removes a key.
func (b *Bolt) KVDelete(ctx context.Context, key string) error {
	return b.db.Batch(func(tx *bolt.Tx) error { return tx.Bucket(kvBucket).Delete([]byte(key)) })
}

// KVKeys lists the keys that start with prefix, in byte order.
func (b *Bolt) KVKeys(ctx context.Context, prefix string) ([]string, error) {
	var keys []string
	err := b.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(kvBucket).Cursor()
		for k, _ := c.Seek([]byte(prefix)); k != nil && strings.HasPrefix(string(k), prefix); k, _ = c.Next() {
			keys = append(keys, string(k))
		}
		return nil
	})
	return keys, err
}

// ErrExists is returned by KVPut(ifAbsent) for a taken key.
var ErrExists = fmt.Errorf("memory: key exists")

// Backend is everything the server needs from a store: the graph (interp.Store)
// and a small key/value space for users, tokens and API keys.
type Backend interface {
	interp.Store
	KVGet(ctx context.Context, key string) ([]byte, error)
	KVPut(ctx context.Context, key string, val []byte, ifAbsent bool) error
	KVDelete(ctx context.Context, key string) error
	KVKeys(ctx context.Context, prefix string) ([]string, error)
	Close() error
}

var _ Backend = (*Bolt)(nil)

// Edges implements interp.Store: a node's edge ids in attach order.
func (b *Bolt) Edges(ctx context.Context, node interp.ID) ([]interp.ID, error) {
	var out []interp.ID
	err := b.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(edgesBucket).Cursor()
		for k, v := c.Seek(node[:]); k != nil && bytes.HasPrefix(k, node[:]); k, v = c.Next() {
			var id interp.ID
			copy(id[:], v)
			out = append(out, id)
		}
		return nil
	})
	return out, err
}

// applyEdgeOps appends and removes single edges of node lists; they commute, so
// concurrent requests adding children to one node do not conflict.
func applyEdgeOps(bk *bolt.Bucket, t *interp.Tx) error {
	for _, op := range t.EdgeAdds {
		seq, err := bk.NextSequence()
		if err != nil {
			return err
		}
		key := make([]byte, 24)
		copy(key, op.Node[:])
		binary.BigEndian.PutUint64(key[16:], seq)
		if err := bk.Put(key, op.Edge[:]); err != nil {
			return err
		}
	}
	for _, op := range t.EdgeDels {
		c := bk.Cursor()
		for k, v := c.Seek(op.Node[:]); k != nil && bytes.HasPrefix(k, op.Node[:]); k, v = c.Next() {
			if bytes.Equal(v, op.Edge[:]) {
				if err := c.Delete(); err != nil {
					return err
				}
				break
			}
		}
	}
	for _, id := range t.Deletes {
		c := bk.Cursor()
		for k, _ := c.Seek(id[:]); k != nil && bytes.HasPrefix(k, id[:]); k, _ = c.Seek(id[:]) {
			if err := c.Delete(); err != nil {
				return err
			}
		}
	}
	return nil
}
