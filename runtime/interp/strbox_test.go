package interp

import (
	"runtime"
	"strconv"
	"testing"
)

// TestStrBlockSurvivesGC checks strs made in one block (strbox.go): their text
// is right, they compare and hash as any str, and a block stays alive through
// the Value and through a substring of it alone, across collections.
func TestStrBlockSurvivesGC(t *testing.T) {
	var vals []Value
	var tails []string
	for i := range 2000 {
		v := strValue("key", strconv.Itoa(i))
		vals = append(vals, v)
		tails = append(tails, string(intStrValue(int64(i)).(Str))[0:])
	}
	for round := range 3 {
		runtime.GC()
		for i, v := range vals {
			want := "key" + strconv.Itoa(i)
			s, ok := v.(Str)
			if !ok || string(s) != want || !Identical(v, Str(want)) || Hash(nil, v) != Hash(nil, Str(want)) {
				t.Fatalf("round %d: value %d is %#v, want %q", round, i, v, want)
			}
			if tails[i] != strconv.Itoa(i) {
				t.Fatalf("round %d: substring %d is %q", round, i, tails[i])
			}
		}
		vals = vals[:len(vals)/2] // drop some blocks; the tails keep theirs
	}
	if v := strValue("", ""); v != Str("") {
		t.Fatalf("empty: %#v", v)
	}
}
