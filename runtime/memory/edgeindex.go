package memory

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/jacscale/jac/runtime/interp"
)

// Edge list entries of the embedded store.
//
// An entry of a node's list (key: node id + 8-byte sequence) is the edge id,
// the id of the node at the edge's other end, a flags byte (1: the node is the
// edge's source, 2: its target), then the edge's and the other node's
// archetype names, each preceded by its length (uvarint). Files written before
// entries carried types hold only the 16-byte edge id; indexEdgeLists rewrites
// them once, when the file is opened, from the edge and node records.

const (
	flagOut = 1 << iota
	flagIn
)

// edgeIndexKey in the meta bucket marks a file whose every entry is typed.
var edgeIndexKey = []byte("edge_index_v1")

func encodeEdgeEntry(op interp.EdgeOp) []byte {
	return appendEdgeEntry(make([]byte, 0, 33+2+len(op.EdgeType)+len(op.NodeType)), op)
}

func appendEdgeEntry(v []byte, op interp.EdgeOp) []byte {
	if op.EdgeType == "" {
		return append(v, op.Edge[:]...) // untyped (a transaction logged by an older version)
	}
	v = append(v, op.Edge[:]...)
	v = append(v, op.Other[:]...)
	var flags byte
	if op.Out {
		flags |= flagOut
	}
	if op.In {
		flags |= flagIn
	}
	v = append(v, flags)
	v = binary.AppendUvarint(v, uint64(len(op.EdgeType)))
	v = append(v, op.EdgeType...)
	v = binary.AppendUvarint(v, uint64(len(op.NodeType)))
	return append(v, op.NodeType...)
}

func decodeEdgeEntry(v []byte) interp.EdgeRef {
	var r interp.EdgeRef
	copy(r.Edge[:], v)
	if len(v) < 33 {
		return r // untyped
	}
	copy(r.Other[:], v[16:32])
	r.Out, r.In = v[32]&flagOut != 0, v[32]&flagIn != 0
	rest := v[33:]
	name := func() string {
		n, k := binary.Uvarint(rest)
		if k <= 0 || uint64(len(rest)-k) < n {
			rest = nil
			return ""
		}
		s := string(rest[k : k+int(n)])
		rest = rest[k+int(n):]
		return s
	}
	r.EdgeType = name()
	r.NodeType = name()
	return r
}

// indexEdgeLists gives every untyped entry its types, from the edge's record
// and the other node's; an entry whose edge record is gone stays untyped (its
// readers skip it, as they always did). It runs at open, after the log replay,
// and once per file: a file it finished is marked.
func indexEdgeLists(db *bolt.DB) error {
	done := false
	if err := db.View(func(tx *bolt.Tx) error {
		done = tx.Bucket(metaBucket).Get(edgeIndexKey) != nil
		return nil
	}); err != nil || done {
		return err
	}
	return db.Update(func(tx *bolt.Tx) error {
		graph, edges := tx.Bucket(graphBucket), tx.Bucket(edgesBucket)
		type fix struct{ key, val []byte }
		var fixes []fix
		c := edges.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if len(v) != 16 || len(k) < 16 {
				continue
			}
			var node, edge interp.ID
			copy(node[:], k)
			copy(edge[:], v)
			op, ok, err := typedEdgeOp(graph, node, edge)
			if err != nil {
				return err
			}
			if ok {
				fixes = append(fixes, fix{bytes.Clone(k), encodeEdgeEntry(op)})
			}
		}
		for _, f := range fixes {
			if err := edges.Put(f.key, f.val); err != nil {
				return err
			}
		}
		return tx.Bucket(metaBucket).Put(edgeIndexKey, []byte{1})
	})
}

// typedEdgeOp builds node's entry for edge from the stored records.
func typedEdgeOp(graph *bolt.Bucket, node, edge interp.ID) (interp.EdgeOp, bool, error) {
	rec, err := storedRecord(graph, edge)
	if err != nil || rec == nil {
		return interp.EdgeOp{}, false, err
	}
	op := interp.EdgeOp{Node: node, Edge: edge, EdgeType: rec.Type, Out: rec.Src == node, In: rec.Dst == node}
	op.Other = rec.Dst
	if !op.Out {
		op.Other = rec.Src
	}
	other, err := storedRecord(graph, op.Other)
	if err != nil {
		return interp.EdgeOp{}, false, err
	}
	if other == nil {
		return interp.EdgeOp{}, false, nil
	}
	op.NodeType = other.Type
	return op, true, nil
}

func storedRecord(bk *bolt.Bucket, id interp.ID) (*interp.Record, error) {
	data := bk.Get(id[:])
	if data == nil {
		return nil, nil
	}
	rec := &interp.Record{}
	if err := json.Unmarshal(data, rec); err != nil {
		return nil, fmt.Errorf("record %s: %w", id.Hex(), err)
	}
	return rec, nil
}
