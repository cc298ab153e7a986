package interp

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// loadSource runs src as a program's main module and returns the program and
// what it printed.
func loadSource(t *testing.T, src string) (*Program, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "main.jac")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	th := NewRunThread(context.Background(), &out)
	p, err := Load(th, path)
	if err != nil {
		t.Fatal(err)
	}
	th.Out.Flush()
	return p, out.String()
}

// TestResumableBodies checks which generator bodies compile resumable (no
// coroutine): yields as statements or assigned, in blocks, ifs and loops; not a
// yield inside try, with, or a larger expression.
func TestResumableBodies(t *testing.T) {
	src := `
def loop(n: int) { for i in range(n) { if i % 2 { yield i; } else { x = yield -i; } } }
def blocks() { yield 1; k = 0; while k < 3 { k += 1; yield from [k]; } for i = 0 to i < 2 by i += 1 { yield i; } }
def guarded() { try { yield 1; } finally { print("f"); } }
def inner() { print((yield 1) + 1); }
def plain_try() { try { x = 1; } except Exception { x = 2; } yield x; }
with entry {
    g = (x for x in range(3) for y in range(x) if y);
}
`
	p, _ := loadSource(t, src)
	want := map[string]bool{"loop": true, "blocks": true, "guarded": false, "inner": false, "plain_try": true}
	for name, resumable := range want {
		v, ok := p.Main.Get(name)
		if !ok {
			t.Fatalf("%s not defined", name)
		}
		if got := v.(*Function).code.Resume != nil; got != resumable {
			t.Errorf("%s: resumable %v, want %v", name, got, resumable)
		}
	}
	g, _ := p.Main.Get("g")
	if g.(*generator).fr.code.Resume == nil {
		t.Error("a generator expression is not resumable")
	}
}

// TestResumableGenerators runs generators driven by next(), zip, send, throw,
// close and nested loops, resumable and not, against CPython 3.11's output:
// StopIteration's value (only once), return values through yield from, an
// exception leaving the body (the generator is finished after it), else
// clauses, break out of a loop over a generator kept for later, and finally
// blocks run when a generator is closed or its loop breaks.
func TestResumableGenerators(t *testing.T) {
	_, got := loadSource(t, resumableProgram)
	if got != resumableWant {
		t.Fatalf("got:\n%s\nwant:\n%s", got, resumableWant)
	}
}

// TestGeneratorFramesRecycled checks what a finished generator's frame, given
// back to the frame pool, must not take with it: closures over the generator's
// locals, a method generator's self, and generators started with arguments
// lent from the caller's stack; and tuple unpacking that reads a tuple in
// place (the starred form still copies).
func TestGeneratorFramesRecycled(t *testing.T) {
	_, got := loadSource(t, recycledProgram)
	if got != recycledWant {
		t.Fatalf("got:\n%s\nwant:\n%s", got, recycledWant)
	}
}

const recycledProgram = `obj Bag {
    has items: list;
    def each() { for x in self.items { yield x * 10; } }
}
def make_closures() {
    fs = [];
    for i in range(3) { fs.append(lambda: i); yield fs; }
}
def other(a: int, b: int) -> int { return a + b; }
def pairs(n: int) { for i in range(n) { yield (i, -i); } }
with entry {
    b = Bag([1, 2, 3]);
    print(list(b.each()), [v for v in b.each()]);
    last = None;
    for fs in make_closures() { last = fs; }
    print(other(1, 2), other(3, 4), [f() for f in last]);
    t = (1, 2, 3);
    (p, q, r) = t;
    print(p, q, r);
    (x, *ys) = t;
    ys.append(9);
    print(x, ys, t);
    for (k, v) in zip("ab", [1, 2]) { print(k, v); }
    total = 0;
    for (i, j) in pairs(4) { total += i - j; }
    print(total);
    try { (u, w) = (1, 2, 3); } except ValueError as e { print("ValueError", e); }
    gs = [pairs(2), pairs(3)];
    print([list(g) for g in gs], [list(g) for g in gs]);
}
`

const recycledWant = `[10, 20, 30] [10, 20, 30]
3 7 [2, 2, 2]
1 2 3
1 [2, 3, 9] (1, 2, 3)
a 1
b 2
12
ValueError too many values to unpack (expected 2)
[[(0, 0), (1, -1)], [(0, 0), (1, -1), (2, -2)]] [[], []]
`

const resumableProgram = `
def count(n: int) {
    i = 0;
    while i < n { yield i; i += 1; }
    return "done";
}
def evens(it: any) {
    for v in it {
        if v % 2 == 0 { yield v; } else { continue; }
    }
}
def nested(n: int) {
    for i in range(n) {
        for j in range(i) {
            if j == 2 { break; }
            yield (i, j);
        }
        yield -i;
    }
}
def echo() {
    total = 0;
    while True {
        x = yield total;
        if x is None { return total; }
        total += x;
    }
}
def delegate() {
    r = yield from count(3);
    yield r;
    yield from [7, 8];
}
def raiser(n: int) {
    for i in range(n) {
        if i == 2 { raise ValueError("boom " + str(i)); }
        yield i;
    }
}
def forto() {
    for i = 0 to i < 5 by i += 2 { yield i * 10; }
    yield "end";
}
def with_else() {
    for i in range(2) { yield i; } else { print("for-else ran"); }
    k = 0;
    while k < 2 { yield k + 100; k += 1; } else { print("while-else ran"); }
}
def with_try() {
    try { yield 1; yield 2; } finally { print("finally ran"); }
}
def multi_block() {
    print("start");
    yield 1;
    print("middle");
    yield 2;
    if True { yield 3; print("in if"); yield 4; } else { yield 99; }
    print("end");
}
with entry {
    g = count(4);
    print(next(g), next(g));
    print(list(g));
    try { next(g); } except StopIteration as e { print("stop", e.value); }
    c = count(3);
    print(list(zip(c, "abc")));
    print(list(evens(count(10))));
    print(list(nested(5)));
    e = echo();
    print(next(e), e.send(5), e.send(10));
    try { e.send(None); } except StopIteration as s { print("echo returned", s.value); }
    print(list(delegate()));
    r = raiser(5);
    out = [];
    try { for v in r { out.append(v); } } except ValueError as err { print("caught", err, out); }
    print(next(r, "exhausted"));
    print(list(forto()));
    print(list(with_else()));
    t = with_try();
    print(next(t));
    t.close();
    print("closed");
    m = multi_block();
    print(next(m)); print(next(m)); print(next(m)); print(next(m));
    print(list(m));
    ge = (x * x for x in range(5) if x != 2);
    print(next(ge), next(ge), list(ge));
    ge2 = (i + j for i in range(3) for j in range(i) if j >= 0);
    print(" ".join(str(v) for v in ge2));
    it = count(5);
    for v in it { if v == 2 { break; } }
    print("after break", list(it));
    th = count(5);
    next(th);
    try { th.throw(KeyError("k")); } except KeyError as ke { print("thrown", ke); }
    print(list(th));
    pairs = zip(count(3), (x * 2 for x in range(10)));
    print(list(pairs));
    print(dict(zip(count(3), count(3))), sorted(count(4), reverse=True), max(count(7)));
    en = enumerate(evens(range(7)));
    print(list(en));
    for v in with_try() { print(v); break; }
    print("after loop");
}
`

const resumableWant = `0 1
[2, 3]
stop None
[(0, 'a'), (1, 'b'), (2, 'c')]
[0, 2, 4, 6, 8]
[0, (1, 0), -1, (2, 0), (2, 1), -2, (3, 0), (3, 1), -3, (4, 0), (4, 1), -4]
0 5 15
echo returned 15
[0, 1, 2, 'done', 7, 8]
caught boom 2 [0, 1]
exhausted
[0, 20, 40, 'end']
for-else ran
while-else ran
[0, 1, 100, 101]
1
finally ran
closed
start
1
middle
2
3
in if
4
end
[]
0 1 [9, 16]
1 2 3
after break [3, 4]
thrown 'k'
[]
[(0, 0), (1, 2), (2, 4)]
{0: 0, 1: 1, 2: 2} [3, 2, 1, 0] 6
[(0, 0), (1, 2), (2, 4), (3, 6)]
1
finally ran
after loop
`
