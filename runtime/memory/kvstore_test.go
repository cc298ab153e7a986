package memory

import (
	"bytes"
	"context"
	"testing"

	"github.com/jacscale/jac/runtime/interp"
	_ "github.com/jacscale/jac/runtime/pylib" // registers jac_scale.lib
)

// TestKVStore runs testdata/kvstore.jac against a real redis-server and
// FerretDB: the Redis and MongoDB halves of kvstore() and the
// NotImplementedError each raises for the other's methods.
func TestKVStore(t *testing.T) {
	rs, fs := startRedis(t), startFerret(t)
	t.Setenv("REDIS_URL", redisURL(rs))
	t.Setenv("MONGODB_URI", mongoURI(fs))
	var out bytes.Buffer
	th := interp.NewRunThread(context.Background(), &out)
	th.Graph = interp.NewGraph()
	th.Root = th.Graph.Root()
	if _, err := interp.Load(th, "testdata/kvstore.jac"); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	th.Out.Flush()
	want := "redis: find_one is NotImplementedError\nmongodb: incr is NotImplementedError\nok\n"
	if out.String() != want {
		t.Fatalf("output:\n%s\nwant:\n%s", out.String(), want)
	}
}
