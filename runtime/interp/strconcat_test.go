package interp

import (
	"strings"
	"testing"
)

// TestConcatStrKeepsEveryResult extends one long str in place and checks that
// earlier results, and a second extension of the same prefix, are unchanged.
func TestConcatStrKeepsEveryResult(t *testing.T) {
	th := &Thread{}
	s := Str(strings.Repeat("a", minGrowConcat))
	var seen []Str
	for i := 0; i < 200; i++ {
		s = th.concatStr(s, Str(string(rune('b'+i%20))))
		seen = append(seen, s)
	}
	branch := th.concatStr(seen[150], "X") // not the buffer's end: copies
	again := th.concatStr(seen[len(seen)-1], "Y")
	for i, v := range seen {
		want := strings.Repeat("a", minGrowConcat)
		for j := 0; j <= i; j++ {
			want += string(rune('b' + j%20))
		}
		if string(v) != want {
			t.Fatalf("result %d changed: %q", i, v)
		}
	}
	if string(branch) != string(seen[150])+"X" || string(again) != string(seen[len(seen)-1])+"Y" {
		t.Fatalf("branch %q / again %q", branch[len(branch)-3:], again[len(again)-3:])
	}
}
