package interp_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runTextCase runs testdata/text/NAME.jac and compares its output with
// NAME.expected, which CPython 3.11 printed for the same program in Python.
func runTextCase(t *testing.T, name string) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "text", name+".jac"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("testdata", "text", name+".expected"))
	if err != nil {
		t.Fatal(err)
	}
	if got := runJacSource(t, string(src)); got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("line %d:\n got %s\nwant %s", i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("got %d lines, want %d", len(gl), len(wl))
	}
}

// TestStrCursor indexes, slices and searches long ASCII and non-ASCII strs
// forwards, backwards and alternately (the thread's str cursor, strindex.go),
// including a str that is a prefix of another (same bytes, other length).
func TestStrCursor(t *testing.T) { runTextCase(t, "str_cursor") }

// TestStrChain runs chains of + with str literals and str(x) calls (strChain,
// strconcat.go): digits written in place, other types, __radd__, a str
// subclass, evaluation order, errors part-way, a shadowed str, and long
// results that grow in place.
func TestStrChain(t *testing.T) { runTextCase(t, "str_chain") }

// TestStrKeys looks str keys up in small and indexed dicts and in sets
// (findStr, dict.go and set.go) next to instances whose __hash__ and __eq__
// match a str, and checks that an int from __hash__ is the hash itself, as in
// CPython (so an object hashing as hash(s) finds s).
func TestStrKeys(t *testing.T) { runTextCase(t, "str_keys") }

// TestRaiseInExpression raises from calls nested in a statement's value (call
// arguments and receivers, arithmetic operands, tuple and list items, the
// branches of a conditional expression, int() in a tuple, a dict subscript in
// arithmetic) and checks what was evaluated before the exception, as CPython
// prints it (stmtValue, raise.go).
func TestRaiseInExpression(t *testing.T) { runTextCase(t, "raise_in_expr") }

// TestIntOfStr converts strs with spaces, signs, underscores, 18 and 19
// digits and Unicode decimal digits to int, and rejects invalid ones, as
// CPython does (tryParseIntStr, ctors.go).
func TestIntOfStr(t *testing.T) { runTextCase(t, "int_of_str") }

// TestSplitSmall splits into zero to five parts (splitList: up to four in one
// allocation) and then changes, grows, sorts and unpacks the lists, as CPython
// prints them.
func TestSplitSmall(t *testing.T) { runTextCase(t, "split_small") }

// TestStrJoin joins lists (grown and changed), tuples, generators, dict keys
// and items that are not strs (joinParts: lists and tuples without Iterate),
// with CPython's errors.
func TestStrJoin(t *testing.T) { runTextCase(t, "str_join") }

// TestMethodFixed calls str, list and dict methods through the fixed-arity
// entries (methods_zfast.go) and through every fallback: non-str arguments,
// the empty pattern, wrong argument counts, str/list/dict subclasses, a user
// class's method of the same name, the unbound form, raising arguments, keys
// with their own __eq__/__hash__. The expected output is CPython 3.11's.
func TestMethodFixed(t *testing.T) { runTextCase(t, "method_fixed") }

// TestMethodFixedColl covers the fixed-arity entries of dict.setdefault/pop,
// set.add/discard and str.join, with keys whose __hash__/__eq__ print (each
// is called as often as in CPython), a dict subclass and the error cases.
func TestMethodFixedColl(t *testing.T) { runTextCase(t, "method_fixed_coll") }
