package memory

import (
	"context"
	"os"

	"github.com/jacscale/jac/runtime/interp"
)

// LazyBolt is the embedded store of `jac run`: the file is opened only when a
// stored graph exists or when there is something to write, so a program that
// keeps nothing under root never creates .jac/data.
type LazyBolt struct {
	Path string
	db   *Bolt
	err  error
}

func (l *LazyBolt) open(create bool) (*Bolt, error) {
	if l.db == nil && l.err == nil {
		if _, err := os.Stat(l.Path); err != nil && !create {
			return nil, nil
		}
		l.db, l.err = OpenBolt(l.Path)
	}
	return l.db, l.err
}

// Get implements interp.Store.
func (l *LazyBolt) Get(ctx context.Context, id interp.ID) (*interp.Record, error) {
	db, err := l.open(false)
	if db == nil {
		return nil, err
	}
	return db.Get(ctx, id)
}

// EdgeRefs implements interp.Store.
func (l *LazyBolt) EdgeRefs(ctx context.Context, node interp.ID, f *interp.EdgeFilter) ([]interp.EdgeRef, error) {
	db, err := l.open(false)
	if db == nil {
		return nil, err
	}
	return db.EdgeRefs(ctx, node, f)
}

// Commit implements interp.Store, creating the file when needed.
func (l *LazyBolt) Commit(ctx context.Context, tx *interp.Tx) error {
	if len(tx.Puts) == 0 && len(tx.Deletes) == 0 && len(tx.EdgeAdds) == 0 && len(tx.EdgeDels) == 0 {
		return nil
	}
	db, err := l.open(true)
	if err != nil {
		return err
	}
	return db.Commit(ctx, tx)
}

// Close closes the file if it was opened.
func (l *LazyBolt) Close() error {
	if l.db != nil {
		return l.db.Close()
	}
	return nil
}

var _ interp.BulkStore = (*LazyBolt)(nil)

// BeginBulk implements interp.BulkStore, creating the file.
func (l *LazyBolt) BeginBulk(ctx context.Context) (interp.Bulk, error) {
	db, err := l.open(true)
	if err != nil {
		return nil, err
	}
	return db.BeginBulk(ctx)
}
