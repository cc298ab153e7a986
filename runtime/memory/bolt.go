// Package memory holds the graph stores behind the interpreter's Store interface:
// the embedded bbolt store used when no database is configured, and (in tiered.go)
// the L1 in-process / L2 Redis / L3 MongoDB tiers.
package memory

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/jacscale/jac/runtime/interp"
)

var (
	graphBucket = []byte("graph")
	edgesBucket = []byte("edges") // node id + 8-byte sequence -> edge entry (edgeindex.go)
	kvBucket    = []byte("kv")
)

// Bolt is the embedded store: one bbolt file holding the graph and the server's
// key/value records (users, tokens).
//
// Graph commits are group-committed: one goroutine takes every transaction
// queued while the previous group was being written, checks each one's read
// versions on its own (a conflict fails only that transaction), appends the
// rest to the write-ahead log with one fsync (wal.go) and acknowledges them;
// an applier goroutine moves them into bbolt in updates of its own.
type Bolt struct {
	db *bolt.DB

	// The caches are read without a lock (requests run side by side, and a
	// read-locked mutex was a contended cache line: ~300 reads per 100-node
	// walk). mu serializes fills against commits; gen is bumped (under mu) by
	// every commit, and a fill is dropped when a commit happened since its read.
	mu    sync.Mutex
	gen   atomic.Uint64
	cache syncMap[interp.ID, *interp.Record]   // committed records, nil for absent ids (this process owns the file)
	edges syncMap[interp.ID, []interp.EdgeRef] // committed edge lists
	kv    syncMap[string, []byte]              // key/value records, nil for absent keys

	qmu     sync.Mutex
	queue   []*commitReq
	closed  bool
	wake    chan struct{}
	stopped chan struct{}

	// The write-ahead log and what it holds that bbolt does not yet (wal.go).
	// staged and stagedEdges are guarded by mu; log and toApply by lmu.
	log         *graphLog
	staged      map[interp.ID]stagedRec
	stagedEdges map[interp.ID][]stagedOp
	lmu         sync.Mutex
	toApply     []walEntry
	applyMu     sync.Mutex // held by each bbolt update of graph commits, so they land in order
	applyWake   chan struct{}
	applyStop   chan struct{} // closed by Close: apply what is logged now
	applyDone   chan struct{}

	// faults holds the last failures to write the log and to apply it to
	// bbolt, cleared by the next success (see Healthy).
	faults struct {
		mu         sync.Mutex
		log, apply error
	}
}

// Healthy reports whether the store can commit now: nil, or the error of the
// last failed log append or bbolt update (a full disk). Both are retried, by
// the next commit and by the applier: the store recovers by itself once the
// cause is gone.
func (b *Bolt) Healthy() error {
	b.faults.mu.Lock()
	defer b.faults.mu.Unlock()
	return errors.Join(b.faults.log, b.faults.apply)
}

func (b *Bolt) noteFault(which *error, err error) {
	b.faults.mu.Lock()
	*which = err
	b.faults.mu.Unlock()
}

// commitReq is one transaction waiting for the committer.
type commitReq struct {
	t    *interp.Tx
	done chan error
	bulk *boltBulk // t is the last part of this bulk commit (bulk.go)
}

// OpenBolt opens (creating) the store file at path.
func OpenBolt(path string) (*Bolt, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 5 * time.Second, InitialMmapSize: initialMmapSize()})
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{graphBucket, edgesBucket, kvBucket, metaBucket, stagedBucket} {
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
	log, err := openLog(path)
	if err != nil {
		db.Close()
		return nil, err
	}
	if _, err := log.recover(db); err != nil {
		log.close()
		db.Close()
		return nil, err
	}
	if err := dropStaged(db); err != nil {
		log.close()
		db.Close()
		return nil, err
	}
	if err := indexEdgeLists(db); err != nil {
		log.close()
		db.Close()
		return nil, err
	}
	b := &Bolt{db: db, wake: make(chan struct{}, 1), stopped: make(chan struct{}),
		log: log, staged: map[interp.ID]stagedRec{}, stagedEdges: map[interp.ID][]stagedOp{},
		applyWake: make(chan struct{}, 1), applyStop: make(chan struct{}), applyDone: make(chan struct{})}
	go b.committer()
	go b.applier()
	return b, nil
}

// initialMmapSize is the address space bbolt maps at open. It grows the map by
// doubling from 32 KB, and each time it does inside an update it copies every
// node the update has touched out of the old map: a 9,000-record first commit
// (testdata/bench/walk.jac) remapped eight times and copied 26 MB. Mapping
// 256 MB at once costs address space only (pages count in RSS when read), so
// a store stays on its first map until it outgrows that. On Windows bbolt
// resizes the file to the map, so there it keeps the default.
func initialMmapSize() int {
	if runtime.GOOS == "windows" || strconv.IntSize < 64 {
		return 0
	}
	return 256 << 20
}

// Close finishes the queued commits and closes the file.
func (b *Bolt) Close() error {
	b.qmu.Lock()
	if !b.closed {
		b.closed = true
		close(b.wake)
	}
	b.qmu.Unlock()
	<-b.stopped
	close(b.applyStop) // the committer has stopped: the applier drains and stops
	<-b.applyDone
	b.log.close()
	return b.db.Close()
}

// Get implements interp.Store.
func (b *Bolt) Get(ctx context.Context, id interp.ID) (*interp.Record, error) {
	if cached, ok := b.cache.load(id); ok {
		return cached, nil
	}
	b.mu.Lock()
	st, isStaged := b.staged[id]
	gen := b.gen.Load()
	b.mu.Unlock()
	if isStaged {
		return st.rec, nil
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
	if err == nil {
		b.mu.Lock()
		if b.gen.Load() == gen { // no commit since the read: rec is still current
			b.remember(id, rec)
		}
		b.mu.Unlock()
	}
	return rec, err
}

// remember caches a committed record (records are never mutated after), or
// that id is absent (rec nil: a guest root that never stores anything is
// looked up on every request); b.mu is held.
func (b *Bolt) remember(id interp.ID, rec *interp.Record) {
	b.cache.store(id, rec, 200000)
}

// Commit implements interp.Store: version-checked, atomic, durable (it returns
// after the log append holding t is fsynced).
func (b *Bolt) Commit(ctx context.Context, t *interp.Tx) error {
	return b.Enqueue(ctx, t)()
}

// Sequenced is a store that belongs to this process alone and applies commits
// in the order they were queued, so a caller may queue a transaction at once
// and wait for it later (outside a lock) while later transactions, queued
// after it, may already build on its writes.
type Sequenced interface {
	Enqueue(ctx context.Context, t *interp.Tx) (wait func() error)
}

var _ Sequenced = (*Bolt)(nil)

// Enqueue implements Sequenced: t is queued now; wait returns once it is in
// the log on disk, with Commit's result.
func (b *Bolt) Enqueue(ctx context.Context, t *interp.Tx) (wait func() error) {
	return b.enqueue(&commitReq{t: t, done: make(chan error, 1)})
}

func (b *Bolt) enqueue(req *commitReq) (wait func() error) {
	b.qmu.Lock()
	if b.closed {
		b.qmu.Unlock()
		return func() error { return berrors.ErrDatabaseNotOpen }
	}
	b.queue = append(b.queue, req)
	select { // under qmu: Close closes wake under qmu too
	case b.wake <- struct{}{}:
	default: // the committer is already due to look at the queue
	}
	b.qmu.Unlock()
	return func() error { return <-req.done }
}

// gatherWindow bounds how long the committer waits to fill a group. Writers
// whose transactions landed in one group all come back at about the same time;
// starting the next group with the first few of them would split them into two
// groups that then alternate (half the writers waiting for the other half's
// fsync: measured slower, 4,100 against 7,000 creates/s with four writers). So
// the committer aims at the number of writers it has seen active at once, and
// waits at most gatherWindow for them.
var gatherWindow = 300 * time.Microsecond

// committer logs queued transactions, all that are waiting in one group.
func (b *Bolt) committer() {
	defer close(b.stopped)
	take := func() []*commitReq {
		b.qmu.Lock()
		batch := b.queue
		b.queue = nil
		b.qmu.Unlock()
		return batch
	}
	target := 1 // writers seen active at once
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for open := true; open; {
		_, open = <-b.wake
		for {
			batch := take()
			if len(batch) == 0 {
				break
			}
			if open && len(batch) < target {
				timer.Reset(gatherWindow)
			gather:
				for len(batch) < target {
					select {
					case _, ok := <-b.wake:
						if !ok {
							open = false
							break gather
						}
						batch = append(batch, take()...)
					case <-timer.C:
						target = len(batch) // fewer writers now
						break gather
					}
				}
				timer.Stop()
			}
			b.commitBatch(batch)
			b.qmu.Lock()
			target = max(target, len(batch)+len(b.queue))
			b.qmu.Unlock()
		}
	}
}

// commitBatch checks each transaction of a group against the latest versions
// (staged, else stored), logs the ones that pass with one fsync, stages them
// for readers and the applier, and acknowledges them.
func (b *Bolt) commitBatch(batch []*commitReq) {
	errs := make([]error, len(batch))
	var ok []*interp.Tx
	var bulks []*boltBulk         // the bulk commits whose last parts passed
	vers := map[interp.ID]int64{} // versions written by earlier transactions of the group
	var err error
	for i, r := range batch {
		if r.t.Chain.Broken() {
			errs[i] = interp.ErrConflict // built on a transaction that failed
			continue
		}
		if errs[i] = b.check(r.t, vers); errs[i] == nil {
			ok = append(ok, r.t)
			if r.bulk != nil {
				bulks = append(bulks, r.bulk)
			}
		} else if errs[i] == interp.ErrConflict {
			r.t.Chain.Break()
		} else {
			err = errs[i]
			break
		}
	}
	if err == nil && len(ok) > 0 {
		if isLarge(ok) || len(bulks) > 0 {
			err = b.applyDirect(ok, bulks)
		} else {
			err = b.logAndStage(ok)
		}
	}
	for i, r := range batch {
		if err != nil && errs[i] == nil {
			errs[i] = err
		}
		if errs[i] != nil {
			r.t.Chain.Break()
		}
		r.done <- errs[i]
	}
}

// logAndStage appends a group of checked transactions to the log with one
// fsync and stages them for readers and the applier.
func (b *Bolt) logAndStage(txs []*interp.Tx) error {
	var entries []walEntry
	var err error
	b.lmu.Lock()
	if entries, err = b.log.append(txs); err != nil {
		err = fmt.Errorf("graph log: %w", err)
	} else {
		b.toApply = append(b.toApply, entries...)
	}
	b.lmu.Unlock()
	b.noteFault(&b.faults.log, err)
	if err != nil {
		return err
	}
	b.stage(entries)
	select {
	case b.applyWake <- struct{}{}:
	default:
	}
	return nil
}

// largeTxOps is the number of record and edge changes from which a group is
// written straight into bbolt rather than logged: logging it would write it
// twice and hold a second copy staged in memory until the applier is done,
// while one bbolt update costs two fsyncs whatever its size. A request
// writes a handful; the exit commit of a `jac run` that built a graph
// writes thousands (walk.jac: 9,000 records, 12,000 edge entries).
const largeTxOps = 1000

func isLarge(txs []*interp.Tx) bool {
	n := 0
	for _, t := range txs {
		n += len(t.Puts) + len(t.Deletes) + len(t.EdgeAdds) + len(t.EdgeDels)
	}
	return n >= largeTxOps
}

// applyDirect writes a group of checked transactions into bbolt in one
// update, after the logged ones still waiting for the applier (in the same
// update, in order). They take no lsn: the log's sequence stays unbroken,
// and a replay after a crash applies only later logged transactions, which
// were checked against these.
func (b *Bolt) applyDirect(txs []*interp.Tx, bulks []*boltBulk) error {
	b.applyMu.Lock()
	defer b.applyMu.Unlock()
	pending := b.takeWaiting()
	arena := &valueArena{}
	var staged []interp.ID
	err := b.db.Update(func(tx *bolt.Tx) error {
		if len(bulks) > 0 {
			releaseMapped(tx) // what the staged parts faulted in
		}
		if err := applyEntries(tx, pending, arena); err != nil {
			return err
		}
		for _, t := range txs {
			if err := applyLogged(tx, t, arena); err != nil {
				return err
			}
		}
		staged = staged[:0]
		for _, k := range bulks {
			ids, err := unstageParts(tx, k.id[:], false)
			if err != nil {
				return err
			}
			staged = append(staged, ids...)
		}
		return nil
	})
	b.noteFault(&b.faults.apply, err)
	if err != nil {
		b.lmu.Lock()
		b.toApply = append(pending, b.toApply...)
		b.lmu.Unlock()
		return err
	}
	b.appliedEntries(pending)
	b.mu.Lock()
	b.gen.Add(1)
	for _, t := range txs {
		b.dropCached(t)
		for _, r := range t.Puts {
			b.cache.delete(r.ID)
		}
	}
	b.dropCachedIDs(staged)
	b.mu.Unlock()
	return nil
}

// check verifies t's read versions against the latest ones and sets the
// version of each record it writes (versions of the group so far in vers).
func (b *Bolt) check(t *interp.Tx, vers map[interp.ID]int64) error {
	cur, err := b.latestVersions(t.Puts, vers)
	if err != nil {
		return err
	}
	for i, r := range t.Puts {
		v := cur[i]
		if want, ok := t.Reads[r.ID]; ok && want != v {
			if os.Getenv("JAC_DEBUG_CONFLICT") != "" {
				fmt.Fprintf(os.Stderr, "conflict %s %s read=%d cur=%d\n", r.Type, r.ID.Hex(), want, v)
			}
			return interp.ErrConflict
		}
	}
	for i, r := range t.Puts {
		// A record read at the version it was written over already carries the
		// next one (a sequenced caller relies on that before the commit lands);
		// only a record written blind gets its version here.
		if r.Version != cur[i]+1 {
			r.Version = cur[i] + 1
		}
		vers[r.ID] = r.Version
	}
	for _, id := range t.Deletes {
		vers[id] = 0
	}
	return nil
}

// latestVersions are the versions of the records puts writes over (0:
// absent): written earlier in the group (vers), else staged, else stored,
// read in one bbolt view. A staged entry leaves only after bbolt holds it,
// so one of the two always has it.
func (b *Bolt) latestVersions(puts []*interp.Record, vers map[interp.ID]int64) ([]int64, error) {
	cur := make([]int64, len(puts))
	var stored []int // indexes of puts neither in the group nor staged
	b.mu.Lock()
	for i, r := range puts {
		if v, ok := vers[r.ID]; ok {
			cur[i] = v
		} else if st, ok := b.staged[r.ID]; ok {
			if st.rec != nil {
				cur[i] = st.rec.Version
			}
		} else {
			stored = append(stored, i)
		}
	}
	b.mu.Unlock()
	if len(stored) == 0 {
		return cur, nil
	}
	err := b.db.View(func(tx *bolt.Tx) error {
		bk := tx.Bucket(graphBucket)
		for _, i := range stored {
			v, _, err := storedVersion(bk, puts[i].ID)
			if err != nil {
				return err
			}
			cur[i] = v
		}
		return nil
	})
	return cur, err
}

// stage makes logged transactions visible to readers before they reach bbolt.
func (b *Bolt) stage(entries []walEntry) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.gen.Add(1)
	for _, e := range entries {
		t := e.t
		for _, id := range t.Deletes {
			b.staged[id] = stagedRec{lsn: e.lsn}
			b.stagedEdges[id] = append(b.stagedEdges[id], stagedOp{lsn: e.lsn, clear: true})
		}
		for _, op := range t.EdgeAdds {
			b.stagedEdges[op.Node] = append(b.stagedEdges[op.Node], stagedOp{lsn: e.lsn, add: true, ref: op.Ref()})
		}
		for _, op := range t.EdgeDels {
			b.stagedEdges[op.Node] = append(b.stagedEdges[op.Node], stagedOp{lsn: e.lsn, ref: op.Ref()})
		}
		for _, r := range t.Puts {
			c := *r
			b.staged[r.ID] = stagedRec{lsn: e.lsn, rec: &c}
		}
		b.applied(t)
	}
}

// applyInterval is how long the applier lets logged transactions gather before
// it moves them into bbolt.
var applyInterval = 100 * time.Millisecond

// applier moves logged transactions into bbolt, all that are waiting in one
// update, and then drops them from the staged state.
func (b *Bolt) applier() {
	defer close(b.applyDone)
	for open := true; open; {
		select {
		case <-b.applyWake:
			// let transactions gather: each bbolt update costs two fsyncs
			// whatever it holds, and nothing waits for this one
			select {
			case <-time.After(applyInterval):
			case <-b.applyStop:
				open = false
			}
		case <-b.applyStop:
			open = false
		}
		for b.applyWaiting() {
		}
	}
}

// applyWaiting moves the logged transactions waiting now into bbolt, retrying
// while bbolt fails, and reports whether there were any (false also when
// the store closes during a retry: the replay of the next open applies them).
func (b *Bolt) applyWaiting() bool {
	b.applyMu.Lock()
	defer b.applyMu.Unlock()
	batch := b.takeWaiting()
	if len(batch) == 0 {
		return false
	}
	for {
		err := b.db.Update(func(tx *bolt.Tx) error { return applyEntries(tx, batch, &valueArena{}) })
		b.noteFault(&b.faults.apply, err)
		if err == nil {
			break
		}
		// the log holds them: keep serving from the staged state and
		// retry, or leave them to the replay of the next open
		slog.Error("embedded store: applying the graph log failed", "err", err)
		select {
		case <-b.applyStop:
			return false
		case <-time.After(100 * time.Millisecond):
		}
	}
	b.appliedEntries(batch)
	return true
}

// takeWaiting takes the logged transactions waiting for bbolt; b.applyMu is
// held, so they are applied before any taken later.
func (b *Bolt) takeWaiting() []walEntry {
	b.lmu.Lock()
	defer b.lmu.Unlock()
	batch := b.toApply
	b.toApply = nil
	return batch
}

// applyEntries writes logged transactions into a bbolt update, in order, with
// the lsn of the last.
func applyEntries(tx *bolt.Tx, entries []walEntry, arena *valueArena) error {
	if len(entries) == 0 {
		return nil
	}
	for _, e := range entries {
		if err := applyLogged(tx, e.t, arena); err != nil {
			return err
		}
	}
	return setApplied(tx, entries[len(entries)-1].lsn)
}

// appliedEntries drops from the staged state and the log's count what an
// update moved into bbolt.
func (b *Bolt) appliedEntries(entries []walEntry) {
	if len(entries) == 0 {
		return
	}
	b.unstage(entries)
	b.lmu.Lock()
	b.log.applied(entries)
	b.lmu.Unlock()
}

// unstage drops staged state that bbolt now holds (entries staged again by a
// later transaction stay).
func (b *Bolt) unstage(batch []walEntry) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.gen.Add(1)
	last := batch[len(batch)-1].lsn
	for _, e := range batch {
		t := e.t
		for _, r := range t.Puts {
			if st, ok := b.staged[r.ID]; ok && st.lsn <= last {
				delete(b.staged, r.ID)
			}
		}
		for _, id := range t.Deletes {
			if st, ok := b.staged[id]; ok && st.lsn <= last {
				delete(b.staged, id)
			}
		}
		for _, ops := range [][]interp.EdgeOp{t.EdgeAdds, t.EdgeDels} {
			for _, op := range ops {
				b.dropStagedEdges(op.Node, last)
			}
		}
		for _, id := range t.Deletes {
			b.dropStagedEdges(id, last)
		}
	}
}

// dropStagedEdges removes a node's staged edge changes up to lsn last; the
// cached list, merged from both, is dropped with them.
func (b *Bolt) dropStagedEdges(node interp.ID, last uint64) {
	ops, ok := b.stagedEdges[node]
	if !ok {
		return
	}
	i := 0
	for i < len(ops) && ops[i].lsn <= last {
		i++
	}
	if i == len(ops) {
		delete(b.stagedEdges, node)
	} else {
		b.stagedEdges[node] = ops[i:]
	}
	b.edges.delete(node)
}

// applied updates the caches after t reached the file; b.mu is held. Entries
// are dropped before the new records are stored, so a reader that sees a new
// record no longer sees the edge lists it replaced.
func (b *Bolt) applied(t *interp.Tx) {
	b.dropCached(t)
	for _, r := range t.Puts {
		c := *r
		b.remember(c.ID, &c)
	}
}

// dropCached drops what t changed from the caches; b.mu is held. A large
// transaction's records are dropped rather than cached (see largeTxOps):
// they are read back from bbolt when needed, and a copy of each is not kept
// for a process that is about to exit.
func (b *Bolt) dropCached(t *interp.Tx) {
	for _, id := range t.Deletes {
		b.cache.delete(id)
		b.edges.delete(id)
	}
	for _, op := range t.EdgeAdds {
		b.edges.delete(op.Node)
	}
	for _, op := range t.EdgeDels {
		b.edges.delete(op.Node)
	}
}

// KVGet reads a key of the key/value space (users, tokens, api keys). Values
// (and absent keys) are cached: every authenticated request reads its user and
// its token's revocation key.
func (b *Bolt) KVGet(ctx context.Context, key string) ([]byte, error) {
	if cached, ok := b.kv.load(key); ok {
		if cached == nil {
			return nil, nil
		}
		return bytes.Clone(cached), nil
	}
	gen := b.gen.Load()
	var out []byte
	err := b.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(kvBucket).Get([]byte(key)); v != nil {
			out = append([]byte(nil), v...)
		}
		return nil
	})
	if err == nil {
		b.mu.Lock()
		if b.gen.Load() == gen { // no write since the read
			b.kv.store(key, bytes.Clone(out), 100000)
		}
		b.mu.Unlock()
	}
	return out, err
}

// kvWritten drops a key from the cache after a write (and fails cache fills
// that read before it).
func (b *Bolt) kvWritten(key string) {
	b.mu.Lock()
	b.gen.Add(1)
	b.kv.delete(key)
	b.mu.Unlock()
}

// KVPut writes a key; with ifAbsent it fails with ErrExists when the key is taken.
func (b *Bolt) KVPut(ctx context.Context, key string, val []byte, ifAbsent bool) error {
	defer b.kvWritten(key)
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
	defer b.kvWritten(key)
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

// EdgeRefs implements interp.Store: a node's edge list in attach order, the
// entries f admits. Lists are cached whole until a commit changes them; callers
// must not modify the result.
func (b *Bolt) EdgeRefs(ctx context.Context, node interp.ID, f *interp.EdgeFilter) ([]interp.EdgeRef, error) {
	all, err := b.edgeList(node)
	if err != nil || f == nil {
		return all, err
	}
	var out []interp.EdgeRef
	for _, r := range all {
		if f.Admits(r) {
			out = append(out, r)
		}
	}
	return out, nil
}

// edgeList is a node's whole edge list: cached, else stored merged with the
// staged changes.
func (b *Bolt) edgeList(node interp.ID) ([]interp.EdgeRef, error) {
	if cached, ok := b.edges.load(node); ok {
		return cached, nil
	}
	for {
		b.mu.Lock()
		ops := b.stagedEdges[node]
		gen := b.gen.Load()
		b.mu.Unlock()
		var out []interp.EdgeRef
		var applied uint64 // the changes up to this lsn are in the list read
		err := b.db.View(func(tx *bolt.Tx) error {
			applied = appliedLSN(tx)
			c := tx.Bucket(edgesBucket).Cursor()
			for k, v := c.Seek(node[:]); k != nil && bytes.HasPrefix(k, node[:]); k, v = c.Next() {
				out = append(out, decodeEdgeEntry(v))
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		// an update may have moved some staged changes into bbolt since
		// they were read (they leave the staged state after it)
		for len(ops) > 0 && ops[0].lsn <= applied {
			ops = ops[1:]
		}
		if len(ops) > 0 {
			out = mergeEdges(out, ops)
		}
		b.mu.Lock()
		current := b.gen.Load() == gen // nothing staged or applied since the read
		if current {
			b.edges.store(node, out, 100000)
		}
		b.mu.Unlock()
		if current {
			return out, nil
		}
	}
}

// applyEdgeOps appends and removes single edges of node lists; they commute, so
// concurrent requests adding children to one node do not conflict.
func applyEdgeOps(bk *bolt.Bucket, t *interp.Tx, arena *valueArena) error {
	var key [24]byte // bbolt copies keys
	var scratch []byte
	for _, op := range t.EdgeAdds {
		seq, err := bk.NextSequence()
		if err != nil {
			return err
		}
		copy(key[:], op.Node[:])
		binary.BigEndian.PutUint64(key[16:], seq)
		scratch = appendEdgeEntry(scratch[:0], op)
		if err := bk.Put(key[:], arena.copy(scratch)); err != nil {
			return err
		}
	}
	for _, op := range t.EdgeDels {
		c := bk.Cursor()
		for k, v := c.Seek(op.Node[:]); k != nil && bytes.HasPrefix(k, op.Node[:]); k, v = c.Next() {
			if bytes.Equal(v[:16], op.Edge[:]) {
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

// syncMap is a typed sync.Map whose reads take no lock, dropped as a whole
// when a store finds it larger than a limit. Stores and deletes are made with
// Bolt.mu held.
type syncMap[K comparable, V any] struct {
	m sync.Map
	n atomic.Int64 // entries stored since the last clear (an upper bound)
}

func (s *syncMap[K, V]) load(k K) (V, bool) {
	v, ok := s.m.Load(k)
	if !ok {
		var zero V
		return zero, false
	}
	return v.(V), true
}

func (s *syncMap[K, V]) store(k K, v V, limit int64) {
	if s.n.Add(1) > limit {
		s.m.Clear()
		s.n.Store(1)
	}
	s.m.Store(k, v)
}

func (s *syncMap[K, V]) delete(k K) { s.m.Delete(k) }
