package stdlib

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jacscale/jac/runtime/interp"
)

// FuzzValues builds a Jac value from the fuzzer's bytes (nesting, sharing,
// cycles through lists, dicts, tuples and objects, huge ints), runs repr, str,
// ==, <, hash, json.dumps, copy.deepcopy and persistence on it under the
// server's limits (a memory budget, a deadline), and requires that each ends
// with a value or a Python exception: never a Go panic turned SystemError,
// and never the death of the process (a Go stack overflow would be one).
func FuzzValues(f *testing.F) {
	for _, seed := range []string{"\x00\x05", "\x02\x05", "\x06\xff\x07", "\x08\x04\x0a", "\x01\x03\x06\x10\x07\x07\x07",
		"\x09\xff", "\x02\x05\x05\x06\xff\x06\xff", "\x0a\x05\x04\x08"} {
		f.Add([]byte(seed))
	}
	interp.SetMemoryBudget(256 << 20)
	f.Fuzz(func(t *testing.T, program []byte) {
		src := valueProgram(program)
		// the deadline is 3 s: a run much longer than that is a hang
		watchdog := time.AfterFunc(30*time.Second, func() { panic("FuzzValues: a run ignored its deadline:\n" + src) })
		out, err := runValueProgram(t, src)
		watchdog.Stop()
		var exc *interp.Exception
		if !strings.HasPrefix(out, "[") && !(errors.As(err, &exc) && slices.Contains([]string{"TimeoutError", "MemoryError"}, exc.Type())) {
			t.Fatalf("the program neither reported nor stopped at a limit:\n%s\n--- output:\n%s\n--- error: %v", src, out, err)
		}
		for _, bad := range []string{"SystemError", "internal error"} {
			if strings.Contains(out, bad) || err != nil && strings.Contains(err.Error(), bad) {
				t.Fatalf("%s\n--- output:\n%s\n--- error: %v", src, out, err)
			}
		}
	})
}

// valueProgram translates fuzz bytes into a Jac program: each byte picks a
// step that builds the next value on a stack from the ones before it.
func valueProgram(program []byte) string {
	var b strings.Builder
	b.WriteString("import copy;\nimport json;\nnode Holder { has data: any = None; }\nobj Box { has items: list; }\nwith entry {\n    s = [0, \"a\"];\n")
	shares := 0
	for i := 0; i+1 < len(program) && i < 128; i += 2 {
		op, arg := program[i]%11, int(program[i+1])
		switch op {
		case 0:
			fmt.Fprintf(&b, "    s.append(%d);\n", arg)
		case 1:
			fmt.Fprintf(&b, "    s.append(\"s%d\");\n", arg)
		case 2:
			fmt.Fprintf(&b, "    s.append(s[-%d:]);\n", arg%4+1)
		case 3:
			fmt.Fprintf(&b, "    s.append(tuple(s[-%d:]));\n", arg%4+1)
		case 4:
			fmt.Fprintf(&b, "    s.append({\"k%d\": s[-1], %d: s[-2]});\n", arg, arg)
		case 5:
			b.WriteString("    x = s[-1]; if isinstance(x, list) { x.append(x); } elif isinstance(x, dict) { x[\"self\"] = x; } elif isinstance(x, Box) { x.items.append(x); }\n")
		case 6:
			fmt.Fprintf(&b, "    x = s[-1]; for _ in range(%d) { x = [x]; } s.append(x);\n", arg*40)
		case 7:
			if shares < 24 {
				shares++
				b.WriteString("    s.append([s[-1], s[-1]]);\n")
			}
		case 8:
			fmt.Fprintf(&b, "    x = s[-1]; for _ in range(%d) { x = (x,); } s.append(x);\n", arg*40)
		case 9:
			fmt.Fprintf(&b, "    s.append(10 ** %d);\n", arg*20)
		case 10:
			b.WriteString("    s.append(Box(items=[s[-1]]));\n")
		}
	}
	b.WriteString(`    v = s[-1]; w = s[-2];
    r = [];
    for op in [lambda : len(repr(v)), lambda : len(str(v)), lambda : len(f"{v}"), lambda : v == w, lambda : v == v,
               lambda : v < w, lambda : hash(v), lambda : len(json.dumps(v)), lambda : copy.deepcopy(v) is v,
               lambda : v in [w, v], lambda : len({v: 1})] {
        try { r.append(op()); } except Exception as e { r.append(type(e).__name__ + ": " + str(e)[:200]); }
    }
    print(r);
    root ++> Holder(data=v);
}
`)
	return b.String()
}

var valueProgramDir = sync.OnceValue(func() string {
	dir, err := os.MkdirTemp("", "fuzzvalues")
	if err != nil {
		panic(err)
	}
	return dir
})

// runValueProgram runs src as a server request would: under a deadline, then
// persists what it wrote. It returns the printed output.
func runValueProgram(t *testing.T, src string) (string, error) {
	file := filepath.Join(valueProgramDir(), "values.jac")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	var out strings.Builder
	th := interp.NewRunThread(ctx, &out)
	th.Graph = interp.NewGraph()
	var sess *interp.Session
	_, err := interp.LoadWith(th, file, func(p *interp.Program) error {
		s, err := interp.NewSession(ctx, memStore{}, p, th.Graph, interp.ID{})
		sess = s
		th.Root = th.Graph.Root()
		return err
	})
	th.Out.Flush()
	if err == nil {
		_, err = sess.Changes(th)
	}
	return out.String(), err
}

// memStore is an empty store that accepts every commit.
type memStore struct{}

func (memStore) Get(context.Context, interp.ID) (*interp.Record, error) { return nil, nil }
func (memStore) EdgeRefs(context.Context, interp.ID, *interp.EdgeFilter) ([]interp.EdgeRef, error) {
	return nil, nil
}
func (memStore) Commit(context.Context, *interp.Tx) error { return nil }
