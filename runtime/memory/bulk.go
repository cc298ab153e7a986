package memory

import (
	"bytes"
	"context"
	"encoding/binary"

	bolt "go.etcd.io/bbolt"

	"github.com/jacscale/jac/runtime/interp"
)

// Commits in parts (interp.BulkStore).
//
// Each staged part is one bbolt update: its records and edge-list entries,
// and under stagedBucket the key bulk id + part number holding the ids of
// the part's records. The last part goes through the committer like any
// transaction (version check, in order with the others) and is written
// directly into bbolt, in the update that deletes the bulk's keys from
// stagedBucket: from then on its parts are ordinary records. A bulk aborted,
// or cut short by a crash, leaves its keys behind; Abort, or the next open
// (dropStaged), deletes the records they name and those records' edge lists.
// The parts hold only fresh archetypes, which nothing stored refers to until
// the last part lands, so until then readers see the previous graph.

var stagedBucket = []byte("staged") // bulk id + 8-byte part number -> ids of the part's records

// boltBulk is one commit in parts into a Bolt.
type boltBulk struct {
	b     *Bolt
	id    interp.ID
	parts uint64
	arena valueArena // the values of one part, reused by the next
}

var _ interp.BulkStore = (*Bolt)(nil)

// BeginBulk implements interp.BulkStore.
func (b *Bolt) BeginBulk(ctx context.Context) (interp.Bulk, error) {
	return &boltBulk{b: b, id: interp.NewID()}, nil
}

// Stage implements interp.Bulk: one bbolt update, after the logged
// transactions waiting for one (applyMu: bbolt updates of graph commits land
// in order).
func (k *boltBulk) Stage(part *interp.Tx) error {
	b := k.b
	b.applyMu.Lock()
	defer b.applyMu.Unlock()
	k.arena.reset()
	var key [24]byte
	copy(key[:], k.id[:])
	binary.BigEndian.PutUint64(key[16:], k.parts)
	err := b.db.Update(func(tx *bolt.Tx) error {
		releaseMapped(tx)
		ids := k.arena.alloc(len(part.Puts) * len(interp.ID{}))
		for i, r := range part.Puts {
			copy(ids[i*len(r.ID):], r.ID[:])
		}
		if err := tx.Bucket(stagedBucket).Put(key[:], ids); err != nil {
			return err
		}
		return applyLogged(tx, part, &k.arena)
	})
	b.noteFault(&b.faults.apply, err)
	if err == nil {
		k.parts++
	}
	return err
}

// Commit implements interp.Bulk.
func (k *boltBulk) Commit(last *interp.Tx) error {
	return k.b.enqueue(&commitReq{t: last, done: make(chan error, 1), bulk: k})()
}

// Abort implements interp.Bulk.
func (k *boltBulk) Abort() error {
	b := k.b
	b.applyMu.Lock()
	defer b.applyMu.Unlock()
	var dropped []interp.ID
	err := b.db.Update(func(tx *bolt.Tx) error {
		var err error
		dropped, err = unstageParts(tx, k.id[:], true)
		return err
	})
	if err == nil {
		b.mu.Lock()
		b.gen.Add(1)
		b.dropCachedIDs(dropped)
		b.mu.Unlock()
	}
	return err
}

// dropStaged deletes what bulk commits cut short left in the file; it runs
// at open.
func dropStaged(db *bolt.DB) error {
	return db.Update(func(tx *bolt.Tx) error {
		_, err := unstageParts(tx, nil, true)
		return err
	})
}

// unstageParts deletes the stagedBucket keys that start with prefix (every
// key for nil) and returns the ids they hold; with drop it deletes those
// records and their edge lists too.
func unstageParts(tx *bolt.Tx, prefix []byte, drop bool) ([]interp.ID, error) {
	st := tx.Bucket(stagedBucket)
	var ids []interp.ID
	c := st.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Seek(prefix) {
		for ; len(v) >= len(interp.ID{}); v = v[len(interp.ID{}):] {
			ids = append(ids, interp.ID(v))
		}
		if err := c.Delete(); err != nil {
			return nil, err
		}
	}
	if !drop || len(ids) == 0 {
		return ids, nil
	}
	return ids, applyLogged(tx, &interp.Tx{Deletes: ids}, &valueArena{})
}

// dropCachedIDs drops ids from the record and edge-list caches; b.mu is held.
func (b *Bolt) dropCachedIDs(ids []interp.ID) {
	for _, id := range ids {
		b.cache.delete(id)
		b.edges.delete(id)
	}
}

// valueArena hands out the values of one bbolt update. bbolt keeps a value
// until the update commits, so each needs bytes of its own; they are carved
// from chunks that grow, and reset keeps the last (largest) chunk for the
// next update.
type valueArena struct{ buf []byte }

const arenaChunk = 32 << 10

// alloc returns n bytes of the arena.
func (a *valueArena) alloc(n int) []byte {
	if cap(a.buf)-len(a.buf) < n {
		a.buf = make([]byte, 0, max(arenaChunk, 2*cap(a.buf), n))
	}
	start := len(a.buf)
	a.buf = a.buf[:start+n]
	return a.buf[start : start+n : start+n]
}

// copy returns a copy of v in the arena.
func (a *valueArena) copy(v []byte) []byte {
	out := a.alloc(len(v))
	copy(out, v)
	return out
}

// reset makes the arena's memory free for the next update; the values it
// handed out must no longer be in use.
func (a *valueArena) reset() { a.buf = a.buf[:0] }
