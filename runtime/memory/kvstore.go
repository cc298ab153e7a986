package memory

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync"
	"time"

	toml "github.com/pelletier/go-toml/v2"
	"github.com/redis/go-redis/v9"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/jacscale/jac/runtime/interp"
)

// kvstore(db_name='jac_db', db_type='mongodb'|'redis', uri=None): direct database
// access for Jac code (jac_scale.lib). The URI is the explicit one, else
// MONGODB_URI / REDIS_URL, else [database] in jac.toml.

var kvStoreClass = interp.NewBuiltinClass("KVStore", interp.ObjectClass)
var kvResultClass = interp.NewBuiltinClass("Result", interp.ObjectClass)

type kvStore struct {
	kind  string // mongodb | redis
	db    string
	mongo *mongo.Database
	rdb   *redis.Client
}

func (*kvStore) Class() *interp.Class { return kvStoreClass }

// kvClients keeps one client (and its connection pool) per server address for
// the life of the process: kvstore() may be called in every request.
var kvClients = clientPool{mongos: map[string]*mongo.Client{}, redises: map[string]*redis.Client{}}

type clientPool struct {
	mu      sync.Mutex
	mongos  map[string]*mongo.Client
	redises map[string]*redis.Client
}

func (p *clientPool) mongo(uri string) (*mongo.Client, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c := p.mongos[uri]; c != nil {
		return c, nil
	}
	c, err := mongo.Connect(options.Client().ApplyURI(uri).SetServerSelectionTimeout(5 * time.Second))
	if err == nil {
		p.mongos[uri] = c
	}
	return c, err
}

func (p *clientPool) redis(uri string) (*redis.Client, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c := p.redises[uri]; c != nil {
		return c, nil
	}
	opt, err := redis.ParseURL(uri)
	if err != nil {
		return nil, err
	}
	c := redis.NewClient(opt)
	p.redises[uri] = c
	return c, nil
}

// tomlURI reads [database] key from the nearest jac.toml at or above the
// working directory ("" when there is none).
func tomlURI(key string) string {
	dir, _ := os.Getwd()
	for d := dir; ; d = filepath.Dir(d) {
		if data, err := os.ReadFile(filepath.Join(d, "jac.toml")); err == nil {
			var t struct {
				Database map[string]any `toml:"database"`
			}
			toml.Unmarshal(data, &t)
			v, _ := t.Database[key].(string)
			return v
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// connectionURI picks the server address: the uri argument, else the
// environment variable, else [database] key in the nearest jac.toml.
func connectionURI(th *interp.Thread, uri, env, key string) string {
	if uri == "" {
		uri = os.Getenv(env)
	}
	if uri == "" {
		uri = tomlURI(key)
	}
	if uri == "" {
		th.ValueError("kvstore: no server address (pass uri=, set %s or [database] %s in jac.toml)", env, key)
	}
	return uri
}

func newKVStore(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	a := interp.ParseArgs(th, "kvstore", args, kw, "db_name?", "db_type?", "uri?")
	s := &kvStore{db: "jac_db", kind: "mongodb"}
	if a[0] != nil && a[0] != interp.None {
		s.db = interp.ToStr(th, a[0])
	}
	if a[1] != nil && a[1] != interp.None {
		s.kind = interp.ToStr(th, a[1])
	}
	uri := ""
	if a[2] != nil && a[2] != interp.None {
		uri = interp.ToStr(th, a[2])
	}
	ctx := th.Ctx
	switch s.kind {
	case "mongodb":
		uri = connectionURI(th, uri, "MONGODB_URI", "mongodb_uri")
		c, err := kvClients.mongo(uri)
		if err != nil {
			th.Raise(interp.ConnectionErrorClass, "kvstore: %v", err)
		}
		s.mongo = c.Database(s.db)
	case "redis":
		uri = connectionURI(th, uri, "REDIS_URL", "redis_url")
		rdb, err := kvClients.redis(uri)
		if err != nil {
			th.ValueError("kvstore: %v", err)
		}
		if err := rdb.Ping(ctx).Err(); err != nil {
			th.Raise(interp.ConnectionErrorClass, "kvstore: %v", err)
		}
		s.rdb = rdb
	default:
		th.ValueError("kvstore: db_type must be 'mongodb' or 'redis', not %s", interp.QuoteStr(s.kind))
	}
	return s
}

// ---- value conversion ----

func toGo(th *interp.Thread, v interp.Value) any {
	switch x := v.(type) {
	case interp.NoneType:
		return nil
	case interp.Bool:
		return bool(x)
	case interp.Int:
		return int64(x)
	case interp.Float:
		return float64(x)
	case interp.Str:
		return string(x)
	case *interp.List:
		out := make([]any, x.Len())
		for i, e := range x.Elems() {
			out[i] = toGo(th, e)
		}
		return out
	case interp.Tuple:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = toGo(th, e)
		}
		return out
	case *interp.Dict:
		d := bson.D{}
		for _, it := range x.Items() {
			d = append(d, bson.E{Key: interp.ToStr(th, it.Key), Value: toGo(th, it.Value)})
		}
		return d
	}
	return interp.ToStr(th, v)
}

func fromGo(v any) interp.Value {
	switch x := v.(type) {
	case nil:
		return interp.None
	case bool:
		return interp.MakeBool(x)
	case int32:
		return interp.MakeInt(int64(x))
	case int64:
		return interp.MakeInt(x)
	case int:
		return interp.MakeInt(int64(x))
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return interp.Float(x)
		}
		return interp.Float(x)
	case string:
		return interp.Str(x)
	case bson.ObjectID:
		return interp.Str(x.Hex())
	case bson.DateTime:
		return interp.Str(x.Time().UTC().Format(time.RFC3339Nano))
	case bson.D:
		d := interp.NewDict()
		for _, e := range x {
			d.SetStr(e.Key, fromGo(e.Value))
		}
		return d
	case bson.M:
		d := interp.NewDict()
		for k, e := range x {
			d.SetStr(k, fromGo(e))
		}
		return d
	case bson.A:
		out := make([]interp.Value, len(x))
		for i, e := range x {
			out[i] = fromGo(e)
		}
		return interp.NewList(out)
	case []any:
		out := make([]interp.Value, len(x))
		for i, e := range x {
			out[i] = fromGo(e)
		}
		return interp.NewList(out)
	case map[string]any:
		d := interp.NewDict()
		for k, e := range x {
			d.SetStr(k, fromGo(e))
		}
		return d
	}
	return interp.Str(fmt.Sprint(v))
}

// result is an InsertResult / UpdateResult / DeleteResult.
type result struct{ attrs map[string]interp.Value }

func (*result) Class() *interp.Class { return kvResultClass }

// AttrJac exposes the result fields.
func (r *result) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	v, ok := r.attrs[name]
	return v, ok
}

// ReprJac renders the result.
func (r *result) ReprJac(th *interp.Thread) string {
	d := interp.NewDict()
	for k, v := range r.attrs {
		d.SetStr(k, v)
	}
	return "Result(" + interp.Repr(th, d) + ")"
}

// ---- methods ----

var mongoOnly = map[string]bool{"find_one": true, "find": true, "insert_one": true, "insert_many": true,
	"update_one": true, "update_many": true, "delete_one": true, "delete_many": true,
	"find_by_id": true, "update_by_id": true, "delete_by_id": true}
var redisOnly = map[string]bool{"set_with_ttl": true, "expire": true, "incr": true, "scan_keys": true}

// AttrJac implements the kvstore methods of both tables.
func (s *kvStore) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	switch {
	case mongoOnly[name] && s.kind != "mongodb", redisOnly[name] && s.kind != "redis":
		other := "MongoDB"
		if redisOnly[name] {
			other = "Redis"
		}
		return interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			th.Raise(interp.NotImplementedErrorClass, "%s() is a %s operation; this kvstore is %s (use kvstore(db_type=%s))",
				name, other, s.kind, interp.QuoteStr(map[string]string{"MongoDB": "mongodb", "Redis": "redis"}[other]))
			return nil
		}), true
	case mongoOnly[name] || redisOnly[name] || name == "get" || name == "set" || name == "delete" || name == "exists":
		return interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			if s.kind == "redis" {
				return s.redisCall(th, name, a, kw)
			}
			return s.mongoCall(th, name, a, kw)
		}), true
	case name == "db_name":
		return interp.Str(s.db), true
	case name == "db_type":
		return interp.Str(s.kind), true
	}
	return nil, false
}

func (s *kvStore) check(th *interp.Thread, err error) {
	if err != nil {
		th.Raise(interp.ConnectionErrorClass, "kvstore: %v", err)
	}
}

func dictArg(th *interp.Thread, v interp.Value) bson.D {
	if v == nil || v == interp.None {
		return bson.D{}
	}
	d, ok := toGo(th, v).(bson.D)
	if !ok {
		th.TypeError("expected a dict, got %s", interp.TypeName(v))
	}
	return d
}

func idFilter(id string) bson.D {
	if oid, err := bson.ObjectIDFromHex(id); err == nil {
		return bson.D{{Key: "_id", Value: oid}}
	}
	return bson.D{{Key: "_id", Value: id}}
}

func updateDoc(th *interp.Thread, v interp.Value) bson.D {
	u := dictArg(th, v)
	for _, e := range u {
		if len(e.Key) > 0 && e.Key[0] == '$' {
			return u
		}
	}
	return bson.D{{Key: "$set", Value: u}}
}

func (s *kvStore) mongoCall(th *interp.Thread, name string, a []interp.Value, kw []interp.KV) interp.Value {
	ctx := context.Background()
	col := func(v interp.Value) *mongo.Collection { return s.mongo.Collection(interp.ToStr(th, v)) }
	updRes := func(r *mongo.UpdateResult, err error) interp.Value {
		s.check(th, err)
		up := interp.Value(interp.None)
		if r.UpsertedID != nil {
			up = fromGo(r.UpsertedID)
		}
		return &result{attrs: map[string]interp.Value{"matched_count": interp.MakeInt(r.MatchedCount),
			"modified_count": interp.MakeInt(r.ModifiedCount), "upserted_id": up, "acknowledged": interp.True}}
	}
	delRes := func(r *mongo.DeleteResult, err error) interp.Value {
		s.check(th, err)
		return &result{attrs: map[string]interp.Value{"deleted_count": interp.MakeInt(r.DeletedCount), "acknowledged": interp.True}}
	}
	findOne := func(c *mongo.Collection, f bson.D) interp.Value {
		var doc bson.D
		err := c.FindOne(ctx, f).Decode(&doc)
		if err == mongo.ErrNoDocuments {
			return interp.None
		}
		s.check(th, err)
		return fromGo(doc)
	}
	switch name {
	case "get", "set", "delete", "exists":
		p := interp.ParseArgs(th, name, a, kw, "key", "value?", "col_name?")
		if name != "set" {
			p = interp.ParseArgs(th, name, a, kw, "key", "col_name?")
			p = []interp.Value{p[0], nil, p[1]}
		}
		colName := "default"
		if p[2] != nil && p[2] != interp.None {
			colName = interp.ToStr(th, p[2])
		}
		c := s.mongo.Collection(colName)
		key := interp.ToStr(th, p[0])
		f := bson.D{{Key: "_id", Value: key}}
		switch name {
		case "get":
			v := findOne(c, f)
			if d, ok := v.(*interp.Dict); ok {
				d.Delete(th, interp.Str("_id"))
			}
			return v
		case "set":
			doc := append(bson.D{{Key: "_id", Value: key}}, dictArg(th, p[1])...)
			_, err := c.ReplaceOne(ctx, f, doc, options.Replace().SetUpsert(true))
			s.check(th, err)
			return interp.Str(key)
		case "delete":
			r, err := c.DeleteOne(ctx, f)
			s.check(th, err)
			return interp.MakeInt(r.DeletedCount)
		}
		n, err := c.CountDocuments(ctx, f)
		s.check(th, err)
		return interp.MakeBool(n > 0)
	case "find_one":
		p := interp.ParseArgs(th, name, a, kw, "col_name", "filter?")
		return findOne(col(p[0]), dictArg(th, p[1]))
	case "find":
		p := interp.ParseArgs(th, name, a, kw, "col_name", "filter?")
		cur, err := col(p[0]).Find(ctx, dictArg(th, p[1]))
		s.check(th, err)
		var docs []bson.D
		s.check(th, cur.All(ctx, &docs))
		out := make([]interp.Value, len(docs))
		for i, d := range docs {
			out[i] = fromGo(d)
		}
		return interp.NewList(out)
	case "insert_one":
		p := interp.ParseArgs(th, name, a, kw, "col_name", "document")
		r, err := col(p[0]).InsertOne(ctx, dictArg(th, p[1]))
		s.check(th, err)
		return &result{attrs: map[string]interp.Value{"inserted_id": fromGo(r.InsertedID), "acknowledged": interp.True}}
	case "insert_many":
		p := interp.ParseArgs(th, name, a, kw, "col_name", "documents")
		var docs []any
		for _, d := range interp.ToSlice(th, p[1]) {
			docs = append(docs, dictArg(th, d))
		}
		r, err := col(p[0]).InsertMany(ctx, docs)
		s.check(th, err)
		ids := make([]interp.Value, len(r.InsertedIDs))
		for i, id := range r.InsertedIDs {
			ids[i] = fromGo(id)
		}
		return &result{attrs: map[string]interp.Value{"inserted_ids": interp.NewList(ids), "acknowledged": interp.True}}
	case "update_one", "update_many":
		p := interp.ParseArgs(th, name, a, kw, "col_name", "filter", "update_data", "upsert_mode?")
		opt := options.UpdateOne().SetUpsert(p[3] != nil && interp.Truth(th, p[3]))
		if name == "update_one" {
			return updRes(col(p[0]).UpdateOne(ctx, dictArg(th, p[1]), updateDoc(th, p[2]), opt))
		}
		return updRes(col(p[0]).UpdateMany(ctx, dictArg(th, p[1]), updateDoc(th, p[2]),
			options.UpdateMany().SetUpsert(p[3] != nil && interp.Truth(th, p[3]))))
	case "delete_one":
		p := interp.ParseArgs(th, name, a, kw, "col_name", "filter")
		return delRes(col(p[0]).DeleteOne(ctx, dictArg(th, p[1])))
	case "delete_many":
		p := interp.ParseArgs(th, name, a, kw, "col_name", "filter")
		return delRes(col(p[0]).DeleteMany(ctx, dictArg(th, p[1])))
	case "find_by_id":
		p := interp.ParseArgs(th, name, a, kw, "col_name", "id")
		return findOne(col(p[0]), idFilter(interp.ToStr(th, p[1])))
	case "update_by_id":
		p := interp.ParseArgs(th, name, a, kw, "col_name", "id", "update_data", "upsert_mode?")
		return updRes(col(p[0]).UpdateOne(ctx, idFilter(interp.ToStr(th, p[1])), updateDoc(th, p[2]),
			options.UpdateOne().SetUpsert(p[3] != nil && interp.Truth(th, p[3]))))
	case "delete_by_id":
		p := interp.ParseArgs(th, name, a, kw, "col_name", "id")
		return delRes(col(p[0]).DeleteOne(ctx, idFilter(interp.ToStr(th, p[1]))))
	}
	return interp.None
}

func (s *kvStore) redisKey(th *interp.Thread, key interp.Value, col interp.Value) string {
	c := "default"
	if col != nil && col != interp.None {
		c = interp.ToStr(th, col)
	}
	return s.db + ":" + c + ":" + interp.ToStr(th, key)
}

func (s *kvStore) redisCall(th *interp.Thread, name string, a []interp.Value, kw []interp.KV) interp.Value {
	ctx := context.Background()
	switch name {
	case "get":
		p := interp.ParseArgs(th, name, a, kw, "key", "col_name?")
		data, err := s.rdb.Get(ctx, s.redisKey(th, p[0], p[1])).Bytes()
		if err == redis.Nil {
			return interp.None
		}
		s.check(th, err)
		var v any
		if json.Unmarshal(data, &v) != nil {
			return interp.Str(data)
		}
		return fromGo(v)
	case "set", "set_with_ttl":
		names := []string{"key", "value", "col_name?"}
		if name == "set_with_ttl" {
			names = []string{"key", "value", "ttl", "col_name?"}
		}
		p := interp.ParseArgs(th, name, a, kw, names...)
		data, _ := json.Marshal(jsonable(toGo(th, p[1])))
		ttl := time.Duration(0)
		col := p[2]
		if name == "set_with_ttl" {
			ttl = time.Duration(interp.ToInt64(th, p[2])) * time.Second
			col = p[3]
		}
		s.check(th, s.rdb.Set(ctx, s.redisKey(th, p[0], col), data, ttl).Err())
		if name == "set_with_ttl" {
			return interp.True
		}
		return interp.Str(interp.ToStr(th, p[0]))
	case "delete":
		p := interp.ParseArgs(th, name, a, kw, "key", "col_name?")
		n, err := s.rdb.Del(ctx, s.redisKey(th, p[0], p[1])).Result()
		s.check(th, err)
		return interp.MakeInt(n)
	case "exists":
		p := interp.ParseArgs(th, name, a, kw, "key", "col_name?")
		n, err := s.rdb.Exists(ctx, s.redisKey(th, p[0], p[1])).Result()
		s.check(th, err)
		return interp.MakeBool(n > 0)
	case "expire":
		p := interp.ParseArgs(th, name, a, kw, "key", "seconds", "col_name?")
		ok, err := s.rdb.Expire(ctx, s.redisKey(th, p[0], p[2]), time.Duration(interp.ToInt64(th, p[1]))*time.Second).Result()
		s.check(th, err)
		return interp.MakeBool(ok)
	case "incr":
		p := interp.ParseArgs(th, name, a, kw, "key", "col_name?")
		n, err := s.rdb.Incr(ctx, s.redisKey(th, p[0], p[1])).Result()
		s.check(th, err)
		return interp.MakeInt(n)
	case "scan_keys":
		p := interp.ParseArgs(th, name, a, kw, "pattern", "col_name?")
		prefix := s.redisKey(th, interp.Str(""), p[1])
		var out []interp.Value
		iter := s.rdb.Scan(ctx, 0, prefix+interp.ToStr(th, p[0]), 100).Iterator()
		for iter.Next(ctx) {
			out = append(out, interp.Str(iter.Val()[len(prefix):]))
		}
		s.check(th, iter.Err())
		return interp.NewList(out)
	}
	return interp.None
}

// jsonable turns bson documents into plain maps for JSON.
func jsonable(v any) any {
	switch x := v.(type) {
	case bson.D:
		m := map[string]any{}
		for _, e := range x {
			m[e.Key] = jsonable(e.Value)
		}
		return m
	case []any:
		for i := range x {
			x[i] = jsonable(x[i])
		}
	}
	return v
}

func init() {
	kv := interp.NewBuiltin("kvstore", newKVStore)
	interp.ExtendModule("jac_scale.lib", func(m *interp.Module) { m.Set("kvstore", kv) })
}
