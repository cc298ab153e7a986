package memory

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/jacscale/jac/runtime/interp"
)

// ErrUnavailable wraps failures of the durable tier (the server answers 503).
var ErrUnavailable = errors.New("memory: durable store unavailable")

// Mongo is the L3 tier: graph records, edge lists and the key/value space in
// MongoDB (or any MongoDB-wire server). It needs no multi-document transactions:
// every record write is conditional on the version the request read.
type Mongo struct {
	client *mongo.Client
	graph  *mongo.Collection
	edges  *mongo.Collection
	kv     *mongo.Collection
	seq    atomic.Int64
	mu     sync.Mutex // serializes this process's commits (see Commit)
	events commandEvents
}

// edgeDoc is one entry of a node's edge list. Entries written before the
// list carried types have no etype; EdgeRefs fills them in when it meets them.
type edgeDoc struct {
	Node  string `bson:"node"`
	Seq   int64  `bson:"seq"`
	Edge  string `bson:"edge"`
	Other string `bson:"other,omitempty"`
	EType string `bson:"etype,omitempty"`
	NType string `bson:"ntype,omitempty"`
	Out   bool   `bson:"out,omitempty"`
	In    bool   `bson:"in,omitempty"`
}

func newEdgeDoc(op interp.EdgeOp, seq int64) edgeDoc {
	d := edgeDoc{Node: op.Node.Hex(), Seq: seq, Edge: op.Edge.Hex(), EType: op.EdgeType, NType: op.NodeType, Out: op.Out, In: op.In}
	if op.EdgeType != "" {
		d.Other = op.Other.Hex()
	}
	return d
}

func (d edgeDoc) ref() (interp.EdgeRef, bool) {
	edge, ok := interp.ParseID(d.Edge)
	if !ok {
		return interp.EdgeRef{}, false
	}
	r := interp.EdgeRef{Edge: edge, EdgeType: d.EType, NodeType: d.NType, Out: d.Out, In: d.In}
	r.Other, _ = interp.ParseID(d.Other)
	return r, true
}

type kvDoc struct {
	ID string `bson:"_id"`
	V  []byte `bson:"v"`
}

// OpenMongo connects to uri and uses database db.
func OpenMongo(ctx context.Context, uri, db string) (*Mongo, error) {
	m := &Mongo{}
	client, err := mongo.Connect(options.Client().ApplyURI(uri).SetServerSelectionTimeout(5 * time.Second).
		SetMonitor(m.events.monitor()))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	if err := client.Ping(ctx, nil); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	d := client.Database(db)
	m.client, m.graph, m.edges, m.kv = client, d.Collection("graph"), d.Collection("edges"), d.Collection("kv")
	m.seq.Store(time.Now().UnixNano())
	m.edges.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: bson.D{{Key: "node", Value: 1}, {Key: "seq", Value: 1}}})
	m.edges.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: bson.D{{Key: "node", Value: 1}, {Key: "etype", Value: 1}, {Key: "ntype", Value: 1}, {Key: "seq", Value: 1}}})
	m.graph.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: bson.D{{Key: "rid", Value: 1}, {Key: "v", Value: -1}}})
	return m, nil
}

func unavailable(err error) error {
	if err == nil || errors.Is(err, interp.ErrConflict) || errors.Is(err, ErrExists) {
		return err
	}
	return fmt.Errorf("%w: %v", ErrUnavailable, err)
}

// Close disconnects.
func (m *Mongo) Close() error { return m.client.Disconnect(context.Background()) }

// Get implements interp.Store: the newest version of the record.
func (m *Mongo) Get(ctx context.Context, id interp.ID) (*interp.Record, error) {
	var d versionDoc
	err := m.graph.FindOne(ctx, bson.D{{Key: "rid", Value: id.Hex()}},
		options.FindOne().SetSort(bson.D{{Key: "v", Value: -1}})).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, unavailable(err)
	}
	if d.Deleted {
		return nil, nil
	}
	rec := &interp.Record{}
	if err := json.Unmarshal([]byte(d.Rec), rec); err != nil {
		return nil, err
	}
	rec.Version = d.V
	return rec, nil
}

// EdgeRefs implements interp.Store. A filter is applied by MongoDB, on the
// (node, etype, ntype) index; entries without types (written by an older
// version) are always returned, and given their types on the way.
func (m *Mongo) EdgeRefs(ctx context.Context, node interp.ID, f *interp.EdgeFilter) ([]interp.EdgeRef, error) {
	query := bson.D{{Key: "node", Value: node.Hex()}}
	if f != nil {
		typed := bson.D{}
		if f.EdgeTypes != nil {
			typed = append(typed, bson.E{Key: "etype", Value: bson.D{{Key: "$in", Value: f.EdgeTypes}}})
		}
		if f.NodeTypes != nil {
			typed = append(typed, bson.E{Key: "ntype", Value: bson.D{{Key: "$in", Value: f.NodeTypes}}})
		}
		query = append(query, bson.E{Key: "$or", Value: bson.A{typed, bson.D{{Key: "etype", Value: bson.D{{Key: "$exists", Value: false}}}}}})
	}
	cur, err := m.edges.Find(ctx, query, options.Find().SetSort(bson.D{{Key: "seq", Value: 1}}))
	if err != nil {
		return nil, unavailable(err)
	}
	defer cur.Close(ctx)
	var out []interp.EdgeRef
	for cur.Next(ctx) {
		var d edgeDoc
		if err := cur.Decode(&d); err != nil {
			return nil, err
		}
		r, ok := d.ref()
		if !ok {
			continue
		}
		if !r.Known() {
			r = m.indexEntry(ctx, node, d)
		}
		if f.Admits(r) {
			out = append(out, r)
		}
	}
	return out, unavailable(cur.Err())
}

// indexEntry gives an untyped entry its types from the edge's record and the
// other node's, and stores them; it returns the entry untyped when they
// cannot be read.
func (m *Mongo) indexEntry(ctx context.Context, node interp.ID, d edgeDoc) interp.EdgeRef {
	r, _ := d.ref()
	rec, err := m.Get(ctx, r.Edge)
	if err != nil || rec == nil {
		return r
	}
	op := interp.EdgeOp{Node: node, Edge: r.Edge, EdgeType: rec.Type, Out: rec.Src == node, In: rec.Dst == node, Other: rec.Dst}
	if !op.Out {
		op.Other = rec.Src
	}
	other, err := m.Get(ctx, op.Other)
	if err != nil || other == nil {
		return r
	}
	op.NodeType = other.Type
	nd := newEdgeDoc(op, d.Seq)
	m.edges.UpdateOne(ctx, bson.D{{Key: "node", Value: d.Node}, {Key: "edge", Value: d.Edge}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "other", Value: nd.Other}, {Key: "etype", Value: nd.EType},
			{Key: "ntype", Value: nd.NType}, {Key: "out", Value: nd.Out}, {Key: "in", Value: nd.In}}}})
	return op.Ref()
}

// Commit implements interp.Store. Records are stored as one document per version
// (_id "id@version"): writing version v+1 is an insert, which a unique _id makes
// atomic on every MongoDB-wire server, so of two requests that read version v
// exactly one can write. Versions are checked first so that a conflicting
// transaction usually writes nothing; a conflict found after some inserts is
// rolled back by deleting them.
//
// Not every MongoDB-wire server makes concurrent inserts of one _id atomic
// (FerretDB 1.x on SQLite does not), so commits of one process are serialized
// here, and Tiered adds per-record Redis locks across processes.
func (m *Mongo) Commit(ctx context.Context, t *interp.Tx) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range t.Puts {
		cur, err := m.Get(ctx, r.ID)
		if err != nil {
			return err
		}
		have := int64(0)
		if cur != nil {
			have = cur.Version
		}
		if have != t.Reads[r.ID] {
			if debugConflicts {
				slog.Info("conflict", "id", r.ID.Hex(), "type", r.Type, "read", t.Reads[r.ID], "have", have)
			}
			return interp.ErrConflict
		}
	}
	var written []string
	rollback := func() {
		for _, vid := range written {
			m.graph.DeleteOne(ctx, bson.D{{Key: "_id", Value: vid}})
		}
	}
	for _, r := range t.Puts {
		want := t.Reads[r.ID]
		r.Version = want + 1
		data, err := json.Marshal(r)
		if err != nil {
			rollback()
			return err
		}
		vid := versionID(r.ID, want+1)
		_, err = m.graph.InsertOne(ctx, versionDoc{ID: vid, RID: r.ID.Hex(), V: want + 1, Rec: string(data)})
		if mongo.IsDuplicateKeyError(err) {
			rollback()
			return interp.ErrConflict
		}
		if err != nil {
			rollback()
			return unavailable(err)
		}
		written = append(written, vid)
	}
	for _, r := range t.Puts {
		if r.Version > 1 { // older versions are no longer read
			m.graph.DeleteMany(ctx, bson.D{{Key: "rid", Value: r.ID.Hex()}, {Key: "v", Value: bson.D{{Key: "$lt", Value: r.Version}}}})
		}
	}
	for _, id := range t.Deletes {
		if _, err := m.graph.DeleteMany(ctx, bson.D{{Key: "rid", Value: id.Hex()}}); err != nil {
			return unavailable(err)
		}
		if _, err := m.edges.DeleteMany(ctx, bson.D{{Key: "node", Value: id.Hex()}}); err != nil {
			return unavailable(err)
		}
	}
	for _, op := range t.EdgeAdds {
		if _, err := m.edges.InsertOne(ctx, newEdgeDoc(op, m.seq.Add(1))); err != nil {
			return unavailable(err)
		}
	}
	for _, op := range t.EdgeDels {
		if _, err := m.edges.DeleteOne(ctx, bson.D{{Key: "node", Value: op.Node.Hex()}, {Key: "edge", Value: op.Edge.Hex()}}); err != nil {
			return unavailable(err)
		}
	}
	return nil
}

var debugConflicts = os.Getenv("JAC_DEBUG_CONFLICTS") != ""

type versionDoc struct {
	ID      string `bson:"_id"`
	RID     string `bson:"rid"`
	V       int64  `bson:"v"`
	Rec     string `bson:"rec"`
	Deleted bool   `bson:"deleted,omitempty"`
}

func versionID(id interp.ID, v int64) string { return id.Hex() + "@" + strconv.FormatInt(v, 10) }

// KVGet reads a key.
func (m *Mongo) KVGet(ctx context.Context, key string) ([]byte, error) {
	var d kvDoc
	err := m.kv.FindOne(ctx, bson.D{{Key: "_id", Value: key}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, unavailable(err)
	}
	if d.V == nil {
		d.V = []byte{}
	}
	return d.V, nil
}

// KVPut writes a key; with ifAbsent a taken key is ErrExists.
func (m *Mongo) KVPut(ctx context.Context, key string, val []byte, ifAbsent bool) error {
	if ifAbsent {
		_, err := m.kv.InsertOne(ctx, kvDoc{ID: key, V: val})
		if mongo.IsDuplicateKeyError(err) {
			return ErrExists
		}
		return unavailable(err)
	}
	_, err := m.kv.ReplaceOne(ctx, bson.D{{Key: "_id", Value: key}}, kvDoc{ID: key, V: val}, options.Replace().SetUpsert(true))
	return unavailable(err)
}

// KVDelete removes a key.
func (m *Mongo) KVDelete(ctx context.Context, key string) error {
	_, err := m.kv.DeleteOne(ctx, bson.D{{Key: "_id", Value: key}})
	return unavailable(err)
}

// KVKeys lists the keys that start with prefix, in byte order.
func (m *Mongo) KVKeys(ctx context.Context, prefix string) ([]string, error) {
	filter := bson.D{{Key: "_id", Value: bson.D{{Key: "$regex", Value: "^" + regexp.QuoteMeta(prefix)}}}}
	cur, err := m.kv.Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, unavailable(err)
	}
	var docs []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, unavailable(err)
	}
	keys := make([]string, len(docs))
	for i, d := range docs {
		keys[i] = d.ID
	}
	return keys, nil
}

var _ Backend = (*Mongo)(nil)
