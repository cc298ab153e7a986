package initpages

import (
	"go/build"
	"reflect"
	"slices"
	"testing"
	"unsafe"
)

// TestMappingsHoldTheCode: the mappings found at init cover this binary's code
// (a function's address) and its read-only data (a string literal's).
func TestMappingsHoldTheCode(t *testing.T) {
	if len(mappings) == 0 {
		t.Fatal("no read-only mapping of the executable found")
	}
	code := reflect.ValueOf(readOnlyMappings).Pointer()
	literal := uintptr(unsafe.Pointer(unsafe.StringData("a literal in rodata")))
	for _, addr := range []uintptr{code, literal} {
		if !covered(addr) {
			t.Errorf("%#x is in none of %v", addr, mappings)
		}
	}
}

func covered(addr uintptr) bool {
	return slices.ContainsFunc(mappings, func(m mapping) bool { return m.lo <= addr && addr < m.hi })
}

// TestRelease ends the releases made during initialisation and leaves a
// process whose code and read-only data still work (they fault back in).
func TestRelease(t *testing.T) {
	Release()
	select {
	case <-finished:
	default:
		t.Fatal("the release goroutine still runs after Release")
	}
	Release() // a second call does nothing
	table := map[string]int{"a": 1, "b": 2}
	if table["b"] != 2 || indexByte("released", 'l') != 2 {
		t.Fatal("the process misbehaves after releasing its read-only pages")
	}
}

// TestInitpagesImportsLittle keeps this package's init among the first: each
// import it adds must be initialised before it, and the releases only help
// once they run.
func TestInitpagesImportsLittle(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	allowed := []string{"sync", "sync/atomic", "syscall", "time"}
	for _, imp := range pkg.Imports {
		if !slices.Contains(allowed, imp) {
			t.Errorf("initpages imports %s; only %v keep its init ahead of the others", imp, allowed)
		}
	}
}
