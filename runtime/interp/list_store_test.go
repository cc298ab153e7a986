package interp

import "testing"

// TestListStoreTransitions checks which store a list is in as it changes: typed
// while its elements are all ints or all bools, generic for good after another
// kind, re-picked when empty, and moved to the generic store once reads of
// large ints (each one a new box) outnumber its elements.
func TestListStoreTransitions(t *testing.T) {
	ints := newListOf([]Value{MakeInt(1), MakeInt(2)})
	if ints.kind != listInts {
		t.Fatalf("[1, 2]: kind %d, want ints", ints.kind)
	}
	ints.Append(True)
	if ints.kind != listValues || ints.at(2) != True || ints.at(0) != MakeInt(1) {
		t.Fatalf("[1, 2] + True: kind %d, items %v", ints.kind, ints.items())
	}
	ints.Append(MakeInt(3))
	if ints.kind != listValues {
		t.Fatal("a generalised list went back to a typed store while not empty")
	}
	ints.clear()
	ints.Append(False)
	if ints.kind != listBools || ints.Len() != 1 {
		t.Fatalf("cleared list + False: kind %d", ints.kind)
	}

	empty := NewList(nil)
	empty.reserve(100)
	empty.Append(Str("a"))
	if empty.kind != listValues || cap(empty.vals) < 100 {
		t.Fatalf("reserved list + str: kind %d cap %d, want generic with the reserved room", empty.kind, cap(empty.vals))
	}

	large := newIntList([]int64{1 << 40, 2 << 40, 3 << 40})
	for i := range 3 {
		if large.at(i) != Int(int64(i+1)<<40) {
			t.Fatalf("large[%d] = %v", i, large.at(i))
		}
	}
	if large.kind != listInts {
		t.Fatal("generalised before its reads outnumbered its elements")
	}
	if large.at(0) != Int(1<<40) || large.kind != listValues {
		t.Fatalf("after 4 large reads of 3 elements: kind %d, want generic", large.kind)
	}
	small := newIntList([]int64{1, 2})
	for range 10 {
		small.at(0)
	}
	if small.kind != listInts {
		t.Fatal("reads of small ints (no box) moved the list to the generic store")
	}

	outside := newListOf([]Value{MakeInt(5)})
	if outside.Elems()[0] != MakeInt(5) || outside.kind != listValues {
		t.Fatal("Elems did not generalise the list")
	}
}
