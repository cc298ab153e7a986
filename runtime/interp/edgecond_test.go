package interp

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

const edgeCondApp = `
node N { has i: int = 0; }
edge E { has w: any = 0; }
with entry {
    for w in [0, 1, 2, 3, 4, 2.5, True, 10 ** 20] { root +>:E(w=w):+> N(i=0); }
    print(len([root ->:E:w == 2:->]), len([root ->:E:w != 2:->]), len([root ->:E:w < 2:->]),
          len([root ->:E:w <= 2:->]), len([root ->:E:w > 2:->]), len([root ->:E:w >= 2:->]));
    print(len([root ->:E:w > 1, w < 4:->]), len([root ->:E:w == 1:->]), len([root ->:E:w > 2.4:->]));
}
`

// TestEdgeConditions: an edge reference's conditions compare as Python does,
// ints on the int fast path and floats, bools and big ints through compareOp.
func TestEdgeConditions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cond.jac")
	os.WriteFile(path, []byte(edgeCondApp), 0o600)
	var out bytes.Buffer
	th := NewRunThread(context.Background(), &out)
	if _, err := Load(th, path); err != nil {
		t.Fatal(err)
	}
	th.Out.Flush()
	// w values 0 1 2 3 4 2.5 True 10**20 (True == 1)
	want := "1 7 3 4 4 5\n3 2 4\n"
	if out.String() != want {
		t.Fatalf("got %q, want %q", out.String(), want)
	}
}
