package memory

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"sort"

	bolt "go.etcd.io/bbolt"

	"github.com/jacscale/jac/runtime/interp"
)

// The embedded store's write-ahead log.
//
// A bbolt update costs two fsyncs of scattered pages (data, then meta). A
// graph commit instead appends its transactions to a log and syncs that one
// file, and is acknowledged then; an applier goroutine moves logged
// transactions into bbolt in large updates of its own, recording in the same
// update the sequence number (lsn) of the last one it applied. Until a
// transaction is in bbolt its records and edge changes are staged in memory
// (Bolt.staged, Bolt.stagedEdges), and reads see them there. A group of
// largeTxOps changes or more is not logged: it goes straight into bbolt, in
// one update that first applies the logged transactions still waiting
// (Bolt.applyDirect), and takes no lsn.
//
// The log is two files used in turn. When the active one has reached
// walFileSize and everything in the other has reached bbolt, the committer
// starts writing the other from its beginning, over the old records: once both
// files have been filled, an append changes no file size and its fdatasync
// writes no inode. At open, the records of each file are read from its start
// while their checksums hold and their lsns follow one another; those with an
// lsn above the applied one are replayed into bbolt in order. A torn record (a
// crash mid-append) ends its file: its commit was never acknowledged.

// walFileSize is the size at which the committer moves to the other file,
// about what a restart after a crash replays at most, and the size each file
// is given when it is created.
const walFileSize = 1 << 20

var (
	metaBucket = []byte("meta")
	appliedKey = []byte("graph_log_applied_lsn")
)

// walTx is a transaction as logged.
type walTx struct {
	Puts     []*interp.Record `json:"puts,omitempty"`
	Deletes  []interp.ID      `json:"deletes,omitempty"`
	EdgeAdds []interp.EdgeOp  `json:"edge_adds,omitempty"`
	EdgeDels []interp.EdgeOp  `json:"edge_dels,omitempty"`
}

// walEntry is a logged transaction: its sequence number, the file holding it.
type walEntry struct {
	lsn  uint64
	file int
	t    *interp.Tx
}

// graphLog is the pair of log files; the committer appends and the applier
// notes what it applied, both under Bolt.lmu.
type graphLog struct {
	files     [2]*os.File
	pos       [2]int64 // where the next record of each file goes
	unapplied [2]int   // entries of each file not yet in bbolt
	active    int
	lsn       uint64
	filled    [2]bool // preallocated (preallocate)

	// torn is set when an append failed (a full disk, an I/O error): bytes
	// of records never acknowledged may lie at pos[active]. They are cut off
	// (repair) before the next append.
	torn bool
}

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// walHeader is lsn (8 bytes), payload length (4), CRC-32C of lsn and payload (4).
const walHeader = 16

func openLog(dbPath string) (*graphLog, error) {
	l := &graphLog{}
	for i := range l.files {
		f, err := os.OpenFile(fmt.Sprintf("%s.log%d", dbPath, i), os.O_CREATE|os.O_RDWR, 0o600)
		if err != nil {
			l.close()
			return nil, err
		}
		l.files[i] = f
	}
	return l, nil
}

// zeros is what preallocate writes, a chunk at a time.
var zeros [64 << 10]byte

// preallocate fills a log file with zeros up to walFileSize before the first
// append to it, so that no append changes its size: an fdatasync that must
// also write the inode took 260 µs here, one that need not 160 µs. Zeros read
// back as the end of the log. A store that never logs (a `jac run` whose one
// commit is large) never fills them.
func (l *graphLog) preallocate(i int) error {
	if l.filled[i] {
		return nil
	}
	f := l.files[i]
	st, err := f.Stat()
	if err != nil {
		return err
	}
	for size := st.Size(); size < walFileSize; {
		n, err := f.WriteAt(zeros[:min(int64(len(zeros)), walFileSize-size)], size)
		if err != nil {
			return err
		}
		size += int64(n)
	}
	if st.Size() < walFileSize {
		if err := fdatasync(f); err != nil {
			return err
		}
	}
	l.filled[i] = true
	return nil
}

func (l *graphLog) close() {
	for _, f := range l.files {
		if f != nil {
			f.Close()
		}
	}
}

// append writes entries to the active file, followed by a zero header that
// ends the log there (the next append writes over it), and syncs it. On
// failure nothing is counted as written: the next append goes to the same
// place, after repair has cut off what this one may have left there. The
// terminator makes sure no record of a failed append that lies beyond the
// next append's end is ever read as following it.
func (l *graphLog) append(txs []*interp.Tx) ([]walEntry, error) {
	if l.torn {
		if err := l.repair(); err != nil {
			return nil, err
		}
	}
	if other := 1 - l.active; l.pos[l.active] >= walFileSize && l.unapplied[other] == 0 {
		l.active, l.pos[other] = other, 0
	}
	if err := l.preallocate(l.active); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	entries := make([]walEntry, len(txs))
	lsn := l.lsn
	for i, t := range txs {
		payload, err := json.Marshal(walTx{Puts: t.Puts, Deletes: t.Deletes, EdgeAdds: t.EdgeAdds, EdgeDels: t.EdgeDels})
		if err != nil {
			return nil, err
		}
		lsn++
		var h [walHeader]byte
		binary.BigEndian.PutUint64(h[:8], lsn)
		binary.BigEndian.PutUint32(h[8:12], uint32(len(payload)))
		binary.BigEndian.PutUint32(h[12:], crc32.Update(crc32.Checksum(h[:8], crcTable), crcTable, payload))
		buf.Write(h[:])
		buf.Write(payload)
		entries[i] = walEntry{lsn: lsn, file: l.active, t: t}
	}
	written := buf.Len()
	buf.Write(make([]byte, walHeader)) // the terminator
	f := l.files[l.active]
	_, err := f.WriteAt(buf.Bytes(), l.pos[l.active])
	if err == nil {
		err = fdatasync(f)
	}
	if err != nil {
		l.torn = true
		return nil, err
	}
	l.lsn = lsn
	l.pos[l.active] += int64(written)
	l.unapplied[l.active] += len(txs)
	return entries, nil
}

// repair ends the active file at pos[active] after a failed append: past the
// preallocated size the file is truncated there (which also gives back the
// space), inside it a zero header is written there; either way a reader stops
// at pos. Until it succeeds, no append is made.
func (l *graphLog) repair() error {
	f, pos := l.files[l.active], l.pos[l.active]
	var err error
	if pos >= walFileSize {
		err = f.Truncate(pos)
	} else {
		_, err = f.WriteAt(make([]byte, walHeader), pos)
	}
	if err == nil {
		err = f.Sync() // the size too, after a truncate
	}
	if err != nil {
		return fmt.Errorf("repairing after a failed append: %w", err)
	}
	l.torn = false
	return nil
}

// applied notes entries that reached bbolt.
func (l *graphLog) applied(entries []walEntry) {
	for _, e := range entries {
		l.unapplied[e.file]--
	}
}

// readLog returns the records at the start of one file whose checksums hold
// and whose lsns follow one another; those at or below applied are returned
// without their transaction (nothing to replay: bbolt holds them).
func readLog(f *os.File, applied uint64) ([]walEntry, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	r := bufio.NewReader(f)
	var out []walEntry
	for {
		var h [walHeader]byte
		if _, err := io.ReadFull(r, h[:]); err != nil {
			return out, nil // end, or a torn header
		}
		lsn, n := binary.BigEndian.Uint64(h[:8]), binary.BigEndian.Uint32(h[8:12])
		if n > 1<<30 || len(out) > 0 && lsn != out[len(out)-1].lsn+1 {
			return out, nil // older records from the file's previous round
		}
		payload := make([]byte, n)
		if _, err := io.ReadFull(r, payload); err != nil {
			return out, nil // torn payload
		}
		if crc32.Update(crc32.Checksum(h[:8], crcTable), crcTable, payload) != binary.BigEndian.Uint32(h[12:]) {
			return out, nil
		}
		if lsn <= applied {
			out = append(out, walEntry{lsn: lsn})
			continue
		}
		var w walTx
		if err := json.Unmarshal(payload, &w); err != nil {
			return nil, fmt.Errorf("graph log: %w", err)
		}
		t := &interp.Tx{Puts: w.Puts, Deletes: w.Deletes, EdgeAdds: w.EdgeAdds, EdgeDels: w.EdgeDels}
		out = append(out, walEntry{lsn: lsn, t: t})
	}
}

// recover replays into db, in order, the logged transactions it does not hold
// yet, and returns how many.
func (l *graphLog) recover(db *bolt.DB) (int, error) {
	var applied uint64
	if err := db.View(func(tx *bolt.Tx) error {
		applied = appliedLSN(tx)
		return nil
	}); err != nil {
		return 0, err
	}
	l.lsn = applied
	var todo []walEntry
	for _, f := range l.files {
		es, err := readLog(f, applied)
		if err != nil {
			return 0, err
		}
		for _, e := range es {
			l.lsn = max(l.lsn, e.lsn)
			if e.lsn > applied {
				todo = append(todo, e)
			}
		}
	}
	sort.Slice(todo, func(i, j int) bool { return todo[i].lsn < todo[j].lsn })
	if len(todo) > 0 {
		if err := db.Update(func(tx *bolt.Tx) error { return applyEntries(tx, todo, &valueArena{}) }); err != nil {
			return 0, fmt.Errorf("graph log replay: %w", err)
		}
	}
	// everything is in bbolt: the files are written again from their start
	return len(todo), nil
}

// appliedLSN is the lsn of the last logged transaction bbolt holds.
func appliedLSN(tx *bolt.Tx) uint64 {
	if v := tx.Bucket(metaBucket).Get(appliedKey); len(v) == 8 {
		return binary.BigEndian.Uint64(v)
	}
	return 0
}

// setApplied records in bbolt the lsn of the last logged transaction it holds.
func setApplied(tx *bolt.Tx, lsn uint64) error {
	var v [8]byte
	binary.BigEndian.PutUint64(v[:], lsn)
	return tx.Bucket(metaBucket).Put(appliedKey, v[:])
}

// applyLogged writes logged transactions into a bbolt update (their versions
// were checked when they were logged).
func applyLogged(tx *bolt.Tx, t *interp.Tx, arena *valueArena) error {
	bk := tx.Bucket(graphBucket)
	bk.FillPercent = appendFill
	var scratch []byte
	for _, r := range t.Puts {
		var err error
		if scratch, err = r.AppendJSON(scratch[:0]); err != nil {
			return err
		}
		if err := bk.Put(r.ID[:], arena.copy(scratch)); err != nil {
			return err
		}
	}
	for _, id := range t.Deletes {
		if err := bk.Delete(id[:]); err != nil {
			return err
		}
	}
	edges := tx.Bucket(edgesBucket)
	edges.FillPercent = appendFill
	return applyEdgeOps(edges, t, arena)
}

// appendFill is how full bbolt fills the pages it splits. Its default (half)
// suits keys inserted anywhere; graph records have time-ordered ids and
// edge entries sequence numbers, so most writes go after the last key of
// their range, and pages split half full would stay half empty: a graph
// written at once took twice the pages, and a commit twice the page buffers.
const appendFill = 0.9

func storedVersion(bk *bolt.Bucket, id interp.ID) (int64, bool, error) {
	data := bk.Get(id[:])
	if data == nil {
		return 0, false, nil
	}
	var old struct {
		Version int64 `json:"version"`
	}
	if err := json.Unmarshal(data, &old); err != nil {
		return 0, false, err
	}
	return old.Version, true, nil
}

// stagedOp is a logged edge change not yet in bbolt.
type stagedOp struct {
	lsn   uint64
	add   bool
	clear bool // the node was deleted
	ref   interp.EdgeRef
}

// stagedRec is a logged record (nil: deleted) not yet in bbolt.
type stagedRec struct {
	lsn uint64
	rec *interp.Record
}

// mergeEdges applies staged changes to a node's stored edge list.
func mergeEdges(base []interp.EdgeRef, ops []stagedOp) []interp.EdgeRef {
	out := append([]interp.EdgeRef(nil), base...)
	for _, op := range ops {
		switch {
		case op.clear:
			out = out[:0]
		case op.add:
			out = append(out, op.ref)
		default:
			for i, e := range out {
				if e.Edge == op.ref.Edge {
					out = append(out[:i], out[i+1:]...)
					break
				}
			}
		}
	}
	return out
}
