package memory

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jacscale/jac/runtime/interp"
	_ "github.com/jacscale/jac/runtime/stdlib" // jac_scale.lib, which kvstore() extends
)

// TestKVStore runs testdata/kvstore.jac against a real redis-server and
// FerretDB: every method of both tables, the query operators, and the
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
	var want strings.Builder
	for _, m := range []string{"find_one", "find", "insert_one", "insert_many", "update_one", "update_many",
		"delete_one", "delete_many", "find_by_id", "update_by_id", "delete_by_id"} {
		fmt.Fprintf(&want, "redis %s: NotImplementedError\n", m)
	}
	for _, m := range []string{"set_with_ttl", "expire", "incr", "scan_keys"} {
		fmt.Fprintf(&want, "mongodb %s: NotImplementedError\n", m)
	}
	want.WriteString("ok\n")
	if out.String() != want.String() {
		t.Fatalf("output:\n%s\nwant:\n%s", out.String(), want.String())
	}
}
