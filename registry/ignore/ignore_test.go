package ignore

import (
	"strings"
	"testing"
)

func TestMatch(t *testing.T) {
	m := New()
	if err := m.AddReader("", strings.NewReader(`
# comment
*.log
!keep.log
build/
/root-only.txt
docs/*.md
**/secret
assets/**
a/**/z
\#hash
file[0-9].txt
trailing   
`)); err != nil {
		t.Fatal(err)
	}
	m.Add("sub", "local.txt")
	cases := []struct {
		path string
		dir  bool
		want bool
	}{
		{"x.log", false, true},
		{"deep/x.log", false, true},
		{"keep.log", false, false},
		{"deep/keep.log", false, false},
		{"build", true, true},
		{"build", false, false}, // a file named build is not a directory
		{"src/build", true, true},
		{"root-only.txt", false, true},
		{"sub/root-only.txt", false, false},
		{"docs/a.md", false, true},
		{"docs/x/a.md", false, false},
		{"secret", false, true},
		{"x/y/secret", false, true},
		{"assets/img/a.png", false, true},
		{"assets", true, false},
		{"a/z", false, true},
		{"a/b/c/z", false, true},
		{"#hash", false, true},
		{"file3.txt", false, true},
		{"filex.txt", false, false},
		{"trailing", false, true},
		{"sub/local.txt", false, true},
		{"local.txt", false, false},
		{"other/sub/local.txt", false, false},
		{"app.jac", false, false},
	}
	for _, c := range cases {
		if got := m.Match(c.path, c.dir); got != c.want {
			t.Errorf("Match(%q, dir=%v) = %v, want %v", c.path, c.dir, got, c.want)
		}
	}
}

func TestNegationOrder(t *testing.T) {
	m := New(".env", "!.env")
	if m.Match(".env", false) {
		t.Fatal("a later !pattern must re-include")
	}
	m = New("!.env", ".env")
	if !m.Match(".env", false) {
		t.Fatal("a later pattern must win over an earlier negation")
	}
}
