package interp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Store is where graph archetypes live between runs and requests. Implementations
// (the embedded bbolt store, the tiered Redis/MongoDB store) live outside this
// package; the interpreter only sees records.
type Store interface {
	// Get returns the record with the given id (nil, nil when absent).
	Get(ctx context.Context, id ID) (*Record, error)
	// EdgeRefs returns a node's edge list in the order the edges were attached:
	// each edge with the node at its other end and both archetypes. With a
	// filter only the entries it admits need be returned (entries of unknown
	// type are always returned); a nil filter asks for all of them.
	EdgeRefs(ctx context.Context, node ID, f *EdgeFilter) ([]EdgeRef, error)
	// Commit applies a transaction atomically: puts and deletes take effect only if
	// every record in reads still has the version that was read (0: absent). Edge
	// list changes commute (appends and removals of single edges), so they do not
	// take part in the version check: two requests adding children to one node
	// never conflict.
	Commit(ctx context.Context, tx *Tx) error
}

// Tx is one unit of writes.
type Tx struct {
	Puts     []*Record
	Deletes  []ID
	Reads    map[ID]int64
	EdgeAdds []EdgeOp // append edge to node's list
	EdgeDels []EdgeOp // remove edge from node's list
	// Chain links the transactions of one in-process graph tier (see
	// CommitChain); nil for a request's own graph.
	Chain *CommitChain
}

// CommitChain is the sequence of transactions queued from one in-process graph
// tier. Each was computed on a graph holding the writes of the ones before it,
// so once one fails, a later one may have read versions that never landed (and
// match another writer's by number): a store that sequences commits fails
// every transaction of a broken chain with ErrConflict.
type CommitChain struct{ broken atomic.Bool }

// Break marks the chain failed.
func (c *CommitChain) Break() {
	if c != nil {
		c.broken.Store(true)
	}
}

// Broken reports whether an earlier transaction of the chain failed.
func (c *CommitChain) Broken() bool { return c != nil && c.broken.Load() }

// EdgeOp names an edge in a node's edge list. The edge's entry (Ref) carries
// what a typed edge reference filters on; transactions logged before the
// index existed have only Node and Edge.
type EdgeOp struct {
	Node, Edge ID
	Other      ID     `json:",omitempty"`
	EdgeType   string `json:",omitempty"`
	NodeType   string `json:",omitempty"`
	Out        bool   `json:",omitempty"`
	In         bool   `json:",omitempty"`
}

// Ref is the entry op adds to the node's edge list.
func (op EdgeOp) Ref() EdgeRef {
	return EdgeRef{Edge: op.Edge, Other: op.Other, EdgeType: op.EdgeType, NodeType: op.NodeType, Out: op.Out, In: op.In}
}

// EdgeRef is one entry of a node's edge list: the edge, the node at its other
// end, and both archetypes' names, so that a typed edge reference picks the
// edges it returns without loading the others. An entry written before the
// index existed has no types (EdgeType ""): it matches every filter, and the
// loaded edge decides.
type EdgeRef struct {
	Edge, Other        ID
	EdgeType, NodeType string
	Out, In            bool // the node is the edge's source, its target
}

// Known reports whether the entry carries its types and direction.
func (r EdgeRef) Known() bool { return r.EdgeType != "" }

// EdgeFilter selects entries of an edge list by archetype name; a nil set
// admits every name.
type EdgeFilter struct {
	EdgeTypes, NodeTypes []string
}

// Admits reports whether the filter keeps r.
func (f *EdgeFilter) Admits(r EdgeRef) bool {
	if f == nil || !r.Known() {
		return true
	}
	return (f.EdgeTypes == nil || slices.Contains(f.EdgeTypes, r.EdgeType)) &&
		(f.NodeTypes == nil || slices.Contains(f.NodeTypes, r.NodeType))
}

// edgeOp is the edge-list change that attaching or detaching e makes to a.
func edgeOp(a *Anchor, e *Instance) EdgeOp {
	ea := e.anchor
	src, dst := ea.src, ea.dst
	op := EdgeOp{Node: a.ID, Edge: ea.ID, EdgeType: e.cls.Name}
	op.Out = src != nil && src.anchor == a || src == nil && ea.SrcID == a.ID
	op.In = dst != nil && dst.anchor == a || dst == nil && ea.DstID == a.ID
	other := dst
	op.Other = ea.DstID
	if !op.Out {
		other, op.Other = src, ea.SrcID
	}
	if other != nil {
		op.Other = other.anchor.ID
		op.NodeType = other.cls.Name
	}
	return op
}

// ErrConflict is returned by Store.Commit when a read version changed.
var ErrConflict = fmt.Errorf("store: write conflict")

// Record is the stored form of a node, edge or object archetype.
type Record struct {
	ID      ID              `json:"id"`
	Kind    string          `json:"kind"` // node | edge
	Type    string          `json:"type"`
	Fields  json.RawMessage `json:"fields"`
	Src     ID              `json:"src,omitempty"`
	Dst     ID              `json:"dst,omitempty"`
	Undir   bool            `json:"undir,omitempty"`
	Owner   ID              `json:"owner"`
	Access  *Access         `json:"access,omitempty"`
	Version int64           `json:"version"`

	decoded unsafe.Pointer // *fieldsEntry: Fields decoded (for one class)
}

// Session connects a thread's graph to a store: it loads archetypes lazily and
// writes what changed at Commit.
type Session struct {
	Store  Store
	Prog   *Program
	Ctx    context.Context
	graph  *Graph
	loaded []*Anchor // anchors read from the store (or written by this session)
	scope  []*Anchor // what the last Changes looked at
}

// NewSession creates a session and installs it as the graph's loader. The root
// node with id rootID is loaded or created.
func NewSession(ctx context.Context, st Store, prog *Program, g *Graph, rootID ID) (*Session, error) {
	s := &Session{Store: st, Prog: prog, Ctx: ctx, graph: g, loaded: make([]*Anchor, 0, max(graphSizeHint.Load(), 4))}
	g.SetLoader(s)
	rec, err := st.Get(ctx, rootID)
	if err != nil {
		return nil, err
	}
	r := NewInstance(RootClass)
	r.anchor = &Anchor{ID: rootID, Obj: r, Persistent: true, graph: g, Owner: rootID}
	r.anchor.stored = true
	s.loaded = append(s.loaded, r.anchor)
	if rec == nil {
		r.anchor.Loaded = true
		r.anchor.Dirty = true
	} else {
		r.anchor.readVer = rec.Version
		r.anchor.Version = rec.Version
		r.anchor.Access = rec.Access
		r.anchor.orig = rec.Fields
	}
	g.SetRoot(r)
	return s, nil
}

func (s *Session) fail(th *Thread, err error) {
	th.Raise(RuntimeErrorClass, "store: %v", err)
}

// LoadByID loads an archetype by id.
func (s *Session) LoadByID(th *Thread, id ID) *Instance {
	if o, ok := s.graph.byID[id]; ok {
		return o
	}
	rec, err := s.Store.Get(s.Ctx, id)
	if err != nil {
		s.fail(th, err)
	}
	if rec == nil {
		return nil
	}
	return s.materialize(th, rec)
}

func (s *Session) materialize(th *Thread, rec *Record) *Instance {
	cls := s.Prog.ClassByName(rec.Type)
	if cls == nil {
		switch rec.Kind {
		case "edge":
			cls = GenericEdgeClass
		default:
			cls = RootClass
		}
	}
	o, a := newArchetypeBlock(cls)
	o.cls = cls
	a.ID, a.Obj, a.Persistent, a.SrcID, a.DstID = rec.ID, o, true, rec.Src, rec.Dst
	a.Undirected, a.Owner, a.Access, a.Version, a.graph = rec.Undir, rec.Owner, rec.Access, rec.Version, s.graph
	o.anchor = a
	a.stored, a.readVer = true, rec.Version
	s.loaded = append(s.loaded, a)
	a.orig = rec.Fields
	s.graph.Register(o)
	for _, f := range decodedFields(rec, cls) {
		v := f.v
		if v == nil {
			v = s.decode(th, f.raw)
			switch v.(type) {
			case *List, *Dict, *Set, *Instance:
				a.mutable = true
			}
		}
		if f.idx >= 0 {
			o.fields[f.idx] = v
		} else {
			o.setExtra(f.name, v)
		}
	}
	for i, f := range cls.Fields {
		if o.fields[i] == nil && f.HasDefault {
			if f.DefaultFn != nil {
				o.fields[i] = f.DefaultFn(th)
			} else {
				o.fields[i] = f.Default
			}
		}
	}
	return o
}

// storedField is one field of a stored record, decoded once per record version:
// immutable scalars are kept as values and shared by every request that loads
// the record; anything else (containers, objects, references, tagged values)
// is kept as parsed JSON and decoded afresh for each session.
type storedField struct {
	name string
	idx  int   // index in the class's fields, -1 for an extra attribute
	v    Value // shared scalar, or nil
	raw  any
}

type fieldsKey struct {
	id  ID
	cls *Class
}

type fieldsEntry struct {
	cls  *Class
	data []byte // the encoding the fields were decoded from
	fs   []storedField
}

// fieldsCache holds decoded fields by (record id, class), valid while the
// record's stored encoding is byte-for-byte the one they were decoded from. It
// is dropped when it grows large.
var fieldsCache = struct {
	sync.Mutex
	m map[fieldsKey]*fieldsEntry
}{m: map[fieldsKey]*fieldsEntry{}}

func decodedFields(rec *Record, cls *Class) []storedField {
	// a store that hands out the same *Record for a version (the embedded
	// one) keeps the decoded form on the record itself
	if e := (*fieldsEntry)(atomic.LoadPointer(&rec.decoded)); e != nil && e.cls == cls && bytes.Equal(e.data, rec.Fields) {
		return e.fs
	}
	key := fieldsKey{rec.ID, cls}
	fieldsCache.Lock()
	e, ok := fieldsCache.m[key]
	fieldsCache.Unlock()
	if ok && bytes.Equal(e.data, rec.Fields) {
		atomic.StorePointer(&rec.decoded, unsafe.Pointer(e))
		return e.fs
	}
	var fields map[string]any
	if len(rec.Fields) > 0 {
		json.Unmarshal(rec.Fields, &fields)
	}
	fs := make([]storedField, 0, len(fields))
	for name, raw := range fields {
		f := storedField{name: name, idx: cls.FieldIndex(name), raw: raw}
		switch x := raw.(type) {
		case nil:
			f.v = None
		case bool:
			f.v = MakeBool(x)
		case float64:
			if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
				f.v = MakeInt(int64(x))
			} else {
				f.v = Float(x)
			}
		case string:
			f.v = Str(x)
		}
		fs = append(fs, f)
	}
	fieldsCache.Lock()
	if len(fieldsCache.m) > 100000 {
		clear(fieldsCache.m)
	}
	e = &fieldsEntry{cls: cls, data: bytes.Clone(rec.Fields), fs: fs}
	fieldsCache.m[key] = e
	fieldsCache.Unlock()
	atomic.StorePointer(&rec.decoded, unsafe.Pointer(e))
	return fs
}

// LoadEdges resolves a node's edge ids.
func (s *Session) LoadEdges(th *Thread, a *Anchor) {
	if a.Loaded {
		return
	}
	a.Loaded = true
	refs, err := s.Store.EdgeRefs(s.Ctx, a.ID, nil)
	if err != nil {
		s.fail(th, err)
	}
	edges := make([]*Instance, 0, len(refs)+len(a.added))
	for _, r := range refs {
		if e := s.LoadByID(th, r.Edge); e != nil {
			edges = append(edges, e)
		}
	}
	a.edges = append(edges, a.added...)
}

// LoadEnds resolves an edge's endpoints.
func (s *Session) LoadEnds(th *Thread, a *Anchor) {
	a.src = s.LoadByID(th, a.SrcID)
	a.dst = s.LoadByID(th, a.DstID)
}

// changesEpoch numbers Changes walks; an anchor visited by the current walk
// carries its number (no per-walk set to allocate).
var changesEpoch atomic.Uint64

// Changes computes the transaction for everything written in this session:
// new or changed anchors reachable from the root, and deleted ones.
func (s *Session) Changes(th *Thread) (*Tx, error) {
	anchors, rootOnly := s.changedAnchors()
	return s.changesOf(th, anchors, rootOnly)
}

// changedAnchors visits the session's scope (s.scope afterwards) and returns,
// in id order, the anchors that may have something to write; rootOnly is true
// when the scope is the root alone.
func (s *Session) changedAnchors() (anchors []*Anchor, rootOnly bool) {
	size := len(s.graph.byID)
	if s.graph.shared {
		size = len(s.loaded) + len(s.graph.touched) + len(s.graph.Created)
	} else {
		graphSizeHint.Store(int64(min(size, 4096)))
	}
	epoch := changesEpoch.Add(1)
	all := make([]*Anchor, 0, size+1) // every anchor visited
	visit := func(a *Anchor) bool {
		if a.mark == epoch {
			return false
		}
		a.mark = epoch
		all = append(all, a)
		return true
	}
	if s.graph.shared {
		s.sharedScope(visit)
	} else {
		s.requestScope(visit)
	}
	s.scope = all
	for _, a := range all {
		if a.Deleted || a.stored && !a.Dirty && !a.mutable && len(a.added) == 0 && len(a.removed) == 0 {
			continue
		}
		anchors = append(anchors, a)
	}
	sort.Slice(anchors, func(i, j int) bool { return string(anchors[i].ID[:]) < string(anchors[j].ID[:]) })
	return anchors, len(all) == 1
}

// changesOf is the transaction writing anchors (from changedAnchors) and the
// session's deletions.
func (s *Session) changesOf(th *Thread, anchors []*Anchor, rootOnly bool) (*Tx, error) {
	tx := &Tx{Reads: map[ID]int64{}, Chain: s.graph.chain}
	root := s.graph.root
	var scratch []byte
	for _, a := range anchors {
		if a == root.anchor && rootOnly && len(a.added) == 0 && a.Access == nil {
			if !a.stored || a.readVer == 0 {
				continue // an empty new root with no grants: nothing worth storing
			}
		}
		addEdgeOps(tx, a)
		wasRead := a.stored
		if wasRead && !a.Dirty && !a.mutable {
			continue // only scalar fields, none assigned: unchanged
		}
		rec := &Record{}
		if err := s.fillRecord(th, a, rec, &scratch); err != nil {
			return nil, err
		}
		rec.Fields = bytes.Clone(scratch)
		if wasRead && bytes.Equal(rec.Fields, a.orig) && !a.Dirty {
			continue
		}
		if wasRead && th.Prog != nil && th.Prog.Policy != nil && !th.Prog.Policy.CanWrite(th, a) {
			th.Warn(fmt.Sprintf("write denied: no WRITE access to %s %s", a.Obj.cls.Name, a.ID.Hex()))
			continue
		}
		if wasRead {
			tx.Reads[a.ID] = a.readVer
		}
		tx.Puts = append(tx.Puts, rec)
	}
	for _, a := range s.graph.Deleted {
		if a.stored {
			if th.Prog != nil && th.Prog.Policy != nil && !th.Prog.Policy.CanWrite(th, a) {
				th.Warn(fmt.Sprintf("delete denied: no WRITE access to %s %s", a.Obj.cls.Name, a.ID.Hex()))
				continue
			}
			tx.Reads[a.ID] = a.readVer
			tx.Deletes = append(tx.Deletes, a.ID)
		}
	}
	return tx, nil
}

// addEdgeOps adds the changes of a's edge list to tx.
func addEdgeOps(tx *Tx, a *Anchor) {
	for _, e := range a.added {
		if !e.anchor.Deleted {
			tx.EdgeAdds = append(tx.EdgeAdds, edgeOp(a, e))
		}
	}
	for _, e := range a.removed {
		tx.EdgeDels = append(tx.EdgeDels, edgeOp(a, e))
	}
}

// requestScope visits what a request's own graph may have changed: everything
// reachable from the root through loaded edges, and the stored anchors loaded
// by id. New anchors reached are marked Persistent.
func (s *Session) requestScope(visit func(*Anchor) bool) {
	root := s.graph.root
	visit(root.anchor)
	reach([]*Anchor{root.anchor}, func(a *Anchor) []*Instance {
		if a.Loaded {
			return a.edges
		}
		return a.added
	}, visit)
	// stored anchors loaded by this session (reached by id, not from the root)
	for _, a := range s.loaded {
		if !visit(a) || a.Obj.cls.Kind != KindNode {
			continue
		}
		edges := a.added
		if a.Loaded {
			edges = a.edges
		}
		for _, e := range edges {
			if visit(e.anchor) {
				e.anchor.Persistent = true
			}
			for _, end := range [2]*Instance{e.anchor.src, e.anchor.dst} {
				if end != nil && visit(end.anchor) {
					end.anchor.Persistent = true
				}
			}
		}
	}
}

// sharedScope visits what a request on a shared graph may have changed: the
// anchors it loaded or changed, and the new anchors hanging off them through
// edges it added (marked Persistent). The rest of the graph was settled by
// earlier requests.
func (s *Session) sharedScope(visit func(*Anchor) bool) {
	var queue []*Anchor
	seed := func(a *Anchor) {
		if (a.stored || a == s.graph.root.anchor) && visit(a) && a.Obj.cls.Kind == KindNode {
			queue = append(queue, a)
		}
	}
	for _, a := range s.loaded {
		seed(a)
	}
	for _, a := range s.graph.touched {
		seed(a)
	}
	reach(queue, func(a *Anchor) []*Instance { return a.added }, visit)
}

// reach visits the edges of each queued node (as edgesOf lists them) and the
// edges' ends, marking what it reaches Persistent; nodes reached are queued.
func reach(queue []*Anchor, edgesOf func(*Anchor) []*Instance, visit func(*Anchor) bool) {
	for len(queue) > 0 {
		a := queue[0]
		queue = queue[1:]
		for _, e := range edgesOf(a) {
			ea := e.anchor
			if visit(ea) {
				ea.Persistent = true
			}
			for _, end := range [2]*Instance{ea.src, ea.dst} {
				if end != nil && visit(end.anchor) {
					end.anchor.Persistent = true
					queue = append(queue, end.anchor)
				}
			}
		}
	}
}

// Commit writes the session's changes. A store that takes a transaction in
// parts (BulkStore) gets a large one so (commitBulk).
func (s *Session) Commit(th *Thread) error {
	anchors, rootOnly := s.changedAnchors()
	if bs, ok := s.Store.(BulkStore); ok && !s.graph.shared && s.graph.chain == nil {
		if fresh := s.freshCount(anchors); fresh >= bulkMin {
			return s.commitBulk(th, bs, anchors, rootOnly, fresh)
		}
	}
	tx, err := s.changesOf(th, anchors, rootOnly)
	if err != nil {
		return err
	}
	if len(tx.Puts) == 0 && len(tx.Deletes) == 0 {
		return nil
	}
	if err := s.Store.Commit(s.Ctx, tx); err != nil {
		return err
	}
	s.Committed(tx)
	return nil
}

// Committed records that tx reached the store (versions advance, pending edge
// changes are done).
func (s *Session) Committed(tx *Tx) {
	for _, r := range tx.Puts {
		if o, ok := s.graph.byID[r.ID]; ok {
			o.anchor.Dirty = false
			o.anchor.Version = r.Version
			o.anchor.orig = r.Fields
			if !o.anchor.stored {
				o.anchor.stored = true
				s.loaded = append(s.loaded, o.anchor)
			}
			o.anchor.readVer = r.Version
		}
	}
	if s.graph.shared {
		for _, a := range s.scope {
			a.indexCommitted()
			a.added, a.removed = nil, nil
			a.ownAccess = false // the stored record now shares it
		}
		return
	}
	for _, o := range s.graph.byID {
		o.anchor.added, o.anchor.removed = nil, nil
	}
}

// fillRecord sets rec to a's stored form, except its Fields: they are
// encoded in *scratch (one buffer for a whole transaction).
func (s *Session) fillRecord(th *Thread, a *Anchor, rec *Record, scratch *[]byte) error {
	o := a.Obj
	*rec = Record{ID: a.ID, Type: o.cls.Name, Owner: a.Owner, Access: a.Access, Version: a.Version + 1}
	if o == s.graph.root {
		rec.Type = "Root"
	}
	var err error
	depth := th.depth
	func() {
		defer func() {
			if r := recover(); r != nil {
				th.depth = depth
				if exc, ok := r.(*Instance); ok {
					r = exc.exceptionLine(th)
				}
				err = fmt.Errorf("cannot store %s: %v", o.cls.Name, r)
			}
		}()
		*scratch = s.appendFields(th, (*scratch)[:0], o)
	}()
	if err != nil {
		return err
	}
	switch o.cls.Kind {
	case KindEdge:
		rec.Kind = "edge"
		if a.src != nil {
			rec.Src = a.src.anchor.ID
		} else {
			rec.Src = a.SrcID
		}
		if a.dst != nil {
			rec.Dst = a.dst.anchor.ID
		} else {
			rec.Dst = a.DstID
		}
		rec.Undir = a.Undirected
	default:
		rec.Kind = "node"
	}
	return nil
}

// encode turns a field value into JSON-compatible data; non-JSON types are
// tagged. A value nested deeper than the recursion limit (or cyclic) raises
// RecursionError.
func (s *Session) encode(th *Thread, v Value) any {
	switch v.(type) {
	case *List, Tuple, *Set, *Dict, *Instance:
		th.EnterNested(" while storing a value")
		defer th.LeaveNested()
	}
	switch x := v.(type) {
	case NoneType:
		return nil
	case Bool:
		return bool(x)
	case Int:
		return int64(x)
	case *BigInt:
		return map[string]any{"$int": x.v.String()} // not str(): no digit limit
	case Float:
		f := float64(x)
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return map[string]any{"$float": FormatFloat(f)}
		}
		if f == math.Trunc(f) && math.Abs(f) < 1e15 {
			return map[string]any{"$float": FormatFloat(f)}
		}
		return f
	case Str:
		return string(x)
	case Bytes:
		return map[string]any{"$bytes": []byte(x)}
	case *List:
		items := x.items()
		out := make([]any, len(items))
		for i, e := range items {
			out[i] = s.encode(th, e)
		}
		return out
	case Tuple:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = s.encode(th, e)
		}
		return map[string]any{"$tuple": out}
	case *Set:
		el := x.Elems()
		out := make([]any, len(el))
		for i, e := range el {
			out[i] = s.encode(th, e)
		}
		return map[string]any{"$set": out}
	case *Dict:
		items := x.Items()
		keys := make([]any, len(items))
		vals := make([]any, len(items))
		for i, it := range items {
			keys[i] = s.encode(th, it.Key)
			vals[i] = s.encode(th, it.Value)
		}
		return map[string]any{"$dict": []any{keys, vals}}
	case *Instance:
		if x.anchor != nil && (x.cls.Kind == KindNode || x.cls.Kind == KindEdge) {
			return map[string]any{"$ref": x.anchor.ID.Hex()}
		}
		if x.cls.Kind == KindEnum {
			n, _ := x.getExtra("name")
			return map[string]any{"$enum": x.cls.Name, "name": string(n.(Str))}
		}
		fields := map[string]any{}
		for i, f := range x.cls.Fields {
			if fv := x.fields[i]; fv != nil {
				fields[f.Name] = s.encode(th, fv)
			}
		}
		for _, at := range x.extraAttrs() {
			fields[at.name] = s.encode(th, at.v)
		}
		return map[string]any{"$obj": x.cls.Name, "fields": fields}
	}
	if e, ok := v.(Encoder); ok {
		return e.EncodeJac(th)
	}
	panic(fmt.Sprintf("values of type %s cannot be stored", TypeName(v)))
}

// Encoder lets library values choose their stored form.
type Encoder interface {
	EncodeJac(th *Thread) any
}

func (s *Session) decode(th *Thread, raw any) Value {
	switch x := raw.(type) {
	case nil:
		return None
	case bool:
		return MakeBool(x)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return MakeInt(int64(x))
		}
		return Float(x)
	case string:
		return Str(x)
	case []any:
		out := make([]Value, len(x))
		for i, e := range x {
			out[i] = s.decode(th, e)
		}
		return newListOf(out) // a list of ints or bools loads unboxed
	case map[string]any:
		switch {
		case x["$int"] != nil:
			return parseIntLit(x["$int"].(string))
		case x["$float"] != nil:
			return newFloat(th, FloatClass, []Value{Str(x["$float"].(string))}, nil)
		case x["$bytes"] != nil:
			b, _ := json.Marshal(x["$bytes"])
			var bs []byte
			json.Unmarshal(b, &bs)
			return Bytes(bs)
		case x["$tuple"] != nil:
			return Tuple(s.decode(th, x["$tuple"]).(*List).items())
		case x["$set"] != nil:
			st := NewSet()
			for _, e := range s.decode(th, x["$set"]).(*List).items() {
				st.Add(th, e)
			}
			return st
		case x["$dict"] != nil:
			kv := x["$dict"].([]any)
			d := NewDict()
			keys, vals := kv[0].([]any), kv[1].([]any)
			for i := range keys {
				d.Set(th, s.decode(th, keys[i]), s.decode(th, vals[i]))
			}
			return d
		case x["$ref"] != nil:
			id, _ := ParseID(x["$ref"].(string))
			if o := s.LoadByID(th, id); o != nil {
				return o
			}
			return None
		case x["$enum"] != nil:
			if cls := s.Prog.ClassByName(x["$enum"].(string)); cls != nil {
				if v, ok := cls.OwnAttr(x["name"].(string)); ok {
					return v
				}
			}
			return None
		case x["$obj"] != nil:
			cls := s.Prog.ClassByName(x["$obj"].(string))
			if cls == nil {
				return None
			}
			o := NewInstance(cls)
			for name, fv := range x["fields"].(map[string]any) {
				o.SetFieldByName(name, s.decode(th, fv))
			}
			return o
		}
		d := NewDict()
		for k, v := range x {
			d.SetStr(k, s.decode(th, v))
		}
		return d
	}
	return None
}

// ClassByName finds an archetype or enum declared in any loaded module.
func (p *Program) ClassByName(name string) *Class {
	if name == "Root" {
		return RootClass
	}
	if name == "GenericEdge" {
		return GenericEdgeClass
	}
	if p.Main != nil {
		if v, ok := p.Main.Get(name); ok {
			if c, ok := v.(*Class); ok {
				return c
			}
		}
	}
	for _, m := range p.modules {
		if v, ok := m.Get(name); ok {
			if c, ok := v.(*Class); ok {
				return c
			}
		}
	}
	return nil
}
