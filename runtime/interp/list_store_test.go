package interp

import (
	"math"
	"testing"
)

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

// TestAppendBuilding checks the growth of a list that a comprehension builds:
// doubled while short, append's own growth past maxPresize, and a change of
// store half-way keeping every element.
func TestAppendBuilding(t *testing.T) {
	l := NewList(nil)
	for i := 0; i < 1000; i++ {
		l.appendBuilding(MakeInt(int64(i)))
		if n := l.Len(); n >= 8 && cap(l.words) > 2*n {
			t.Fatalf("%d ints: capacity %d, more than doubled", n, cap(l.words))
		}
	}
	if cap(l.words) != 1024 {
		t.Errorf("1000 ints: capacity %d, want 1024 (doubling)", cap(l.words))
	}
	l.appendBuilding(Str("x"))
	if l.kind != listValues || l.Len() != 1001 || l.at(999) != MakeInt(999) || l.at(1000) != Str("x") {
		t.Fatalf("after a str: kind %d, len %d", l.kind, l.Len())
	}
	big := NewList(nil)
	for i := 0; i <= maxPresize; i++ {
		big.appendBuilding(MakeInt(int64(i)))
	}
	if c := cap(big.words); c >= 2*maxPresize {
		t.Errorf("%d ints: capacity %d, doubled past maxPresize", big.Len(), c)
	}
}

// TestFloatListStore checks the float store's transitions: floats from a
// display, `[0.0] * n` and appends stay unboxed; an int stored generalises (the
// int kept an int); an empty list re-picks; boxed reads outnumbering the
// elements move the list to the generic store, unboxed writes (setNum) do not.
func TestFloatListStore(t *testing.T) {
	fl := newListOf([]Value{Float(0.5), Float(math.Copysign(0, -1))})
	if fl.kind != listFloats {
		t.Fatalf("[0.5, -0.0]: kind %d, want floats", fl.kind)
	}
	rep := fl.repeated(nil, 3)
	rep.Append(Float(math.NaN()))
	if rep.kind != listFloats || rep.Len() != 7 || !math.Signbit(rep.reals[5]) || !math.IsNaN(rep.reals[6]) {
		t.Fatalf("[0.5, -0.0] * 3 + nan: kind %d, reals %v", rep.kind, rep.reals)
	}
	if !rep.setNum(0, floatNum(2)) || rep.setNum(0, intNum(2)) {
		t.Fatal("setNum: a float must be stored, an int refused")
	}
	rep.setAt(1, MakeInt(3))
	if rep.kind != listValues || rep.at(1) != MakeInt(3) || rep.at(0) != Float(2) {
		t.Fatalf("float list after storing 3: kind %d, items %v", rep.kind, rep.items())
	}
	rep.clear()
	rep.Append(Float(1))
	if rep.kind != listFloats {
		t.Fatalf("cleared list + 1.0: kind %d", rep.kind)
	}
	for range 3 {
		fl.at(0)
	}
	if fl.kind != listValues || fl.at(0) != Float(0.5) {
		t.Fatalf("after 3 boxed reads of 2 floats: kind %d, want generic", fl.kind)
	}
}
