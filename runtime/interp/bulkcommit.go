package interp

import "context"

// A large commit in bounded memory.
//
// The exit commit of a `jac run` that built a graph writes every archetype at
// once (testdata/bench/walk.jac: 9,000 records and 12,000 edge-list entries).
// As one transaction, every record, its encoding and the store's own copy of
// it are live until the end: the commit set the process's peak memory. A
// store that implements BulkStore takes such a commit in parts instead. The
// archetypes never stored before (fresh) go first, a part at a time; nothing
// stored refers to them yet, so no reader can reach them. The rest (the root,
// stored archetypes that changed, edges added to stored nodes, deletions) is
// the last part, committed atomically like any transaction: it is what makes
// the fresh records reachable. A failure or a crash before it leaves the
// previous graph as it was, and the store drops the parts it holds.

// BulkStore is a Store that can take a commit in parts.
type BulkStore interface {
	Store
	// BeginBulk starts a commit in parts.
	BeginBulk(ctx context.Context) (Bulk, error)
}

// Bulk is one commit in parts.
type Bulk interface {
	// Stage writes the records of fresh archetypes (ids no stored record or
	// edge list refers to) and the entries of their own edge lists (EdgeAdds
	// of fresh nodes). The store keeps nothing of part after it returns:
	// the caller reuses its records.
	Stage(part *Tx) error
	// Commit commits the last part as Store.Commit does, atomically with
	// every part staged before.
	Commit(last *Tx) error
	// Abort drops the staged parts (after a failed Stage or Commit).
	Abort() error
}

const (
	// bulkMin is the number of fresh archetypes from which a commit goes in
	// parts; below it one transaction costs little.
	bulkMin = 2048
	// bulkPart bounds a staged part: its records, and its records plus
	// edge-list entries twice that.
	bulkPart = 1024
)

// freshCount is the number of anchors that would be staged: never stored,
// not the root (the graph's entry point is written last).
func (s *Session) freshCount(anchors []*Anchor) int {
	n := 0
	for _, a := range anchors {
		if s.isFresh(a) {
			n++
		}
	}
	return n
}

func (s *Session) isFresh(a *Anchor) bool { return !a.stored && a != s.graph.root.anchor }

// commitBulk writes anchors (from changedAnchors) in parts: the fresh ones
// staged bulkPart records at a time, in records and buffers reused from part
// to part, then the rest as the last part.
func (s *Session) commitBulk(th *Thread, bs BulkStore, anchors []*Anchor, rootOnly bool, fresh int) error {
	bulk, err := bs.BeginBulk(s.Ctx)
	if err != nil {
		return err
	}
	staged, last, err := s.stageFresh(th, bulk, anchors, fresh)
	if err == nil {
		var tx *Tx
		if tx, err = s.changesOf(th, last, rootOnly); err == nil {
			err = bulk.Commit(tx)
		}
		if err == nil {
			s.Committed(tx)
			s.committedFresh(staged)
			return nil
		}
	}
	if aerr := bulk.Abort(); aerr != nil {
		th.Warn("store: dropping a failed commit's parts: " + aerr.Error())
	}
	return err
}

// stageFresh stages the fresh anchors and returns them, and the others.
func (s *Session) stageFresh(th *Thread, bulk Bulk, anchors []*Anchor, fresh int) (staged, rest []*Anchor, err error) {
	staged = make([]*Anchor, 0, fresh)
	recs := make([]Record, min(fresh, bulkPart))
	part := &Tx{Puts: make([]*Record, 0, len(recs)), EdgeAdds: make([]EdgeOp, 0, 2*bulkPart)}
	var scratch, arena []byte
	flush := func() error {
		if len(part.Puts) == 0 {
			return nil
		}
		err := bulk.Stage(part)
		part.Puts, part.EdgeAdds, part.EdgeDels = part.Puts[:0], part.EdgeAdds[:0], part.EdgeDels[:0]
		arena = arena[:0]
		return err
	}
	for _, a := range anchors {
		if !s.isFresh(a) {
			rest = append(rest, a)
			continue
		}
		rec := &recs[len(part.Puts)]
		if err := s.fillRecord(th, a, rec, &scratch); err != nil {
			return nil, nil, err
		}
		start := len(arena)
		arena = append(arena, scratch...)
		rec.Fields = arena[start:len(arena):len(arena)]
		addEdgeOps(part, a)
		part.Puts = append(part.Puts, rec)
		staged = append(staged, a)
		if len(part.Puts) == len(recs) || len(part.Puts)+len(part.EdgeAdds)+len(part.EdgeDels) >= 2*bulkPart {
			if err := flush(); err != nil {
				return nil, nil, err
			}
		}
	}
	return staged, rest, flush()
}

// committedFresh records that the staged anchors are stored (Committed does
// it for the last part's). Their encodings were not kept: a later commit of
// this session compares nothing and writes a changed one again.
func (s *Session) committedFresh(staged []*Anchor) {
	for _, a := range staged {
		a.Dirty = false
		a.Version++
		a.readVer = a.Version
		a.orig = nil
		a.stored = true
		a.added, a.removed = nil, nil
	}
	s.loaded = append(s.loaded, staged...)
}
