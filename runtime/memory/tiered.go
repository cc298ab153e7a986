package memory

import (
	"container/list"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/jacscale/jac/runtime/interp"
)

// Tiered puts an in-process L1 (bounded LRU) and a Redis L2 in front of a durable
// L3 (MongoDB, or the embedded store when only Redis is configured). Commits go
// to L3 first; then the written ids are dropped from Redis and published on a
// channel every process subscribes to, so no process serves a stale L1 entry.
// While the Redis connection is down the L1 is cleared and bypassed, and reads go
// to L3; when it comes back the caches fill again.
type Tiered struct {
	l3     Backend
	rdb    *redis.Client
	l1     *lru
	l1OK   atomic.Bool
	cancel context.CancelFunc

	L1Hits, L1Misses, L2Hits, L2Misses atomic.Int64
}

const (
	invalidationChannel = "jac:invalidate"
	l2Prefix            = "jac:rec:"
	l2TTL               = 10 * time.Minute
)

// Options selects the tiers.
type Options struct {
	MongoURI string
	MongoDB  string // database name (default "jac_scale")
	RedisURL string
	L1Size   int   // records kept in process (default 10000)
	Fallback *Bolt // durable store when there is no MongoDB
}

// Open builds the store the options describe.
func Open(ctx context.Context, o Options) (*Tiered, error) {
	t := &Tiered{l1: newLRU(max(o.L1Size, 10000))}
	if o.MongoURI != "" {
		db := o.MongoDB
		if db == "" {
			db = "jac_scale"
		}
		m, err := OpenMongo(ctx, o.MongoURI, db)
		if err != nil {
			return nil, err
		}
		t.l3 = m
	} else {
		t.l3 = o.Fallback
	}
	if o.RedisURL != "" {
		opt, err := redis.ParseURL(o.RedisURL)
		if err != nil {
			return nil, err
		}
		opt.MaxRetries = 1
		opt.DialTimeout, opt.ReadTimeout, opt.WriteTimeout = time.Second, time.Second, time.Second
		t.rdb = redis.NewClient(opt)
		sctx, cancel := context.WithCancel(context.Background())
		t.cancel = cancel
		go t.subscribe(sctx)
	} else {
		t.l1OK.Store(true) // one process: nothing else writes behind the L1's back
	}
	return t, nil
}

// AddRedisHook instruments the Redis tier's commands (the server's traces);
// without a Redis tier it does nothing.
func (t *Tiered) AddRedisHook(h redis.Hook) {
	if t.rdb != nil {
		t.rdb.AddHook(h)
	}
}

// subscribe keeps the invalidation subscription; L1 is used only while it holds.
func (t *Tiered) subscribe(ctx context.Context) {
	for ctx.Err() == nil {
		ps := t.rdb.Subscribe(ctx, invalidationChannel)
		for ctx.Err() == nil {
			msg, err := ps.ReceiveTimeout(ctx, 2*time.Second)
			if err != nil {
				if isTimeout(err) {
					if t.rdb.Ping(ctx).Err() == nil {
						continue
					}
				}
				if t.l1OK.Swap(false) {
					slog.Warn("redis unavailable: L1 cache off, reading through to the durable store", "err", err)
				}
				t.l1.clear()
				break
			}
			switch m := msg.(type) {
			case *redis.Subscription:
				t.l1.clear()
				if !t.l1OK.Swap(true) {
					slog.Info("redis connected: caches on")
				}
			case *redis.Message:
				for _, id := range strings.Split(m.Payload, ",") {
					t.l1.remove(id)
				}
			}
		}
		ps.Close()
		select {
		case <-ctx.Done():
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func isTimeout(err error) bool {
	type timeout interface{ Timeout() bool }
	te, ok := err.(timeout)
	return ok && te.Timeout()
}

// Close stops the subscription and closes the tiers.
func (t *Tiered) Close() error {
	if t.cancel != nil {
		t.cancel()
	}
	if t.rdb != nil {
		t.rdb.Close()
	}
	return t.l3.Close()
}

// Stats returns cache counters.
func (t *Tiered) Stats() map[string]int64 {
	return map[string]int64{"l1_hits": t.L1Hits.Load(), "l1_misses": t.L1Misses.Load(),
		"l2_hits": t.L2Hits.Load(), "l2_misses": t.L2Misses.Load()}
}

// Get implements interp.Store through L1, L2 and L3.
func (t *Tiered) Get(ctx context.Context, id interp.ID) (*interp.Record, error) {
	key := id.Hex()
	useL1 := t.l1OK.Load()
	if useL1 {
		if v, ok := t.l1.get(key); ok {
			t.L1Hits.Add(1)
			return v.(*interp.Record), nil
		}
		t.L1Misses.Add(1)
	}
	if t.rdb != nil && useL1 {
		data, err := t.rdb.Get(ctx, l2Prefix+key).Bytes()
		if err == nil {
			rec := &interp.Record{}
			if json.Unmarshal(data, rec) == nil {
				t.L2Hits.Add(1)
				t.l1.put(key, rec)
				return rec, nil
			}
		}
		t.L2Misses.Add(1)
	}
	rec, err := t.l3.Get(ctx, id)
	if err != nil || rec == nil {
		return rec, err
	}
	if useL1 {
		t.l1.put(key, rec)
	}
	return rec, nil
}

// EdgeRefs implements interp.Store (edge lists are read from L3, which filters
// them by type: appends commute and are not versioned, so caching them would
// need their own invalidation).
func (t *Tiered) EdgeRefs(ctx context.Context, node interp.ID, f *interp.EdgeFilter) ([]interp.EdgeRef, error) {
	return t.l3.EdgeRefs(ctx, node, f)
}

// Commit writes L3, then invalidates L2 and every process's L1.
func (t *Tiered) Commit(ctx context.Context, tx *interp.Tx) error {
	unlock, err := t.lock(ctx, tx)
	if err != nil {
		return err
	}
	defer unlock()
	if err := t.l3.Commit(ctx, tx); err != nil {
		if errors.Is(err, interp.ErrConflict) {
			// what this request read is stale: drop it from both caches so the
			// re-run reads L3
			t.forget(ctx, tx)
		}
		return err
	}
	t.forget(ctx, tx)
	// Only committers fill L2, under the record locks and in version order, so a
	// slow reader can never put an old version back.
	if t.rdb != nil && t.l1OK.Load() {
		for _, r := range tx.Puts {
			if data, err := json.Marshal(r); err == nil {
				t.rdb.Set(ctx, l2Prefix+r.ID.Hex(), data, l2TTL)
			}
		}
	}
	return nil
}

// forget drops the records a transaction wrote (or read stale) from L2 and every
// process's L1.
func (t *Tiered) forget(ctx context.Context, tx *interp.Tx) {
	ids := make([]string, 0, len(tx.Puts)+len(tx.Deletes))
	for _, r := range tx.Puts {
		ids = append(ids, r.ID.Hex())
	}
	for _, id := range tx.Deletes {
		ids = append(ids, id.Hex())
	}
	for _, id := range ids {
		t.l1.remove(id)
	}
	if t.rdb != nil && len(ids) > 0 {
		keys := make([]string, len(ids))
		for i, id := range ids {
			keys[i] = l2Prefix + id
		}
		if err := t.rdb.Del(ctx, keys...).Err(); err != nil {
			t.l1OK.Store(false) // cannot tell the others: stop trusting caches
			t.l1.clear()
		}
		t.rdb.Publish(ctx, invalidationChannel, strings.Join(ids, ","))
	}
}

// KVGet reads the key/value space from L3 (users, tokens: never stale).
func (t *Tiered) KVGet(ctx context.Context, key string) ([]byte, error) { return t.l3.KVGet(ctx, key) }

// KVPut writes the key/value space.
func (t *Tiered) KVPut(ctx context.Context, key string, val []byte, ifAbsent bool) error {
	return t.l3.KVPut(ctx, key, val, ifAbsent)
}

// KVDelete removes a key.
func (t *Tiered) KVDelete(ctx context.Context, key string) error { return t.l3.KVDelete(ctx, key) }

// KVKeys lists the keys that start with prefix (from L3).
func (t *Tiered) KVKeys(ctx context.Context, prefix string) ([]string, error) {
	return t.l3.KVKeys(ctx, prefix)
}

var _ Backend = (*Tiered)(nil)

// lru is a bounded least-recently-used map.
type lru struct {
	mu    sync.Mutex
	max   int
	ll    *list.List
	items map[string]*list.Element
}

type lruEntry struct {
	key string
	val any
}

func newLRU(n int) *lru { return &lru{max: n, ll: list.New(), items: map[string]*list.Element{}} }

func (c *lru) get(k string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		c.ll.MoveToFront(e)
		return e.Value.(*lruEntry).val, true
	}
	return nil, false
}

func (c *lru) put(k string, v any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		e.Value.(*lruEntry).val = v
		c.ll.MoveToFront(e)
		return
	}
	c.items[k] = c.ll.PushFront(&lruEntry{k, v})
	for c.ll.Len() > c.max {
		last := c.ll.Back()
		c.ll.Remove(last)
		delete(c.items, last.Value.(*lruEntry).key)
	}
}

func (c *lru) remove(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		c.ll.Remove(e)
		delete(c.items, k)
	}
}

func (c *lru) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ll.Init()
	c.items = map[string]*list.Element{}
}

// lock takes a short Redis lock on every record the transaction writes, in id
// order, so that version check and write are atomic across processes whatever
// the durable store guarantees. Without Redis (or with Redis down) it is a no-op.
func (t *Tiered) lock(ctx context.Context, tx *interp.Tx) (func(), error) {
	if t.rdb == nil || len(tx.Puts) == 0 || !t.l1OK.Load() {
		return func() {}, nil
	}
	ids := make([]string, 0, len(tx.Puts))
	for _, r := range tx.Puts {
		ids = append(ids, r.ID.Hex())
	}
	sort.Strings(ids)
	token := strconv.FormatInt(time.Now().UnixNano(), 36)
	var held []string
	release := func() {
		for _, id := range held {
			t.rdb.Eval(context.Background(), unlockScript, []string{"jac:lock:" + id}, token)
		}
	}
	for _, id := range ids {
		deadline := time.Now().Add(3 * time.Second)
		for {
			ok, err := t.rdb.SetNX(ctx, "jac:lock:"+id, token, 5*time.Second).Result()
			if err != nil {
				release()
				return func() {}, nil // Redis unavailable: the durable store decides alone
			}
			if ok {
				held = append(held, id)
				break
			}
			if time.Now().After(deadline) {
				release()
				return nil, interp.ErrConflict
			}
			time.Sleep(time.Millisecond)
		}
	}
	return release, nil
}

const unlockScript = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`
