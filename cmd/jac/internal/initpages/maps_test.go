package initpages

import "testing"

func TestReadOnlyMappingOf(t *testing.T) {
	const exe = "/usr/local/bin/jac"
	for _, c := range []struct {
		line   string
		lo, hi uint64
		ok     bool
	}{
		{"00400000-0102c000 r-xp 00000000 fe:00 9996270    /usr/local/bin/jac", 0x400000, 0x102c000, true},
		{"0102c000-027ef000 r--p 00c2c000 fe:00 9996270    /usr/local/bin/jac", 0x102c000, 0x27ef000, true},
		{"7f0000a000-7F0000B000 r--p 00000000 fe:00 1 /usr/local/bin/jac", 0x7f0000a000, 0x7f0000b000, true},
		{"027ef000-02899000 rw-p 023ef000 fe:00 9996270    /usr/local/bin/jac", 0, 0, false}, // written data: never
		{"7f00000000-7f00001000 r--p 00000000 fe:00 12    /usr/lib/libc.so.6", 0, 0, false},
		{"7f00000000-7f00001000 r--s 00000000 fe:00 12    /usr/local/bin/jac", 0, 0, false}, // shared
		{"3a995000-3a9b6000 rw-p 00000000 00:00 0          [heap]", 0, 0, false},
		{"3a995000-3a9b6000 r--p 00000000 00:00 0", 0, 0, false}, // anonymous
		{"00400000-0102c000 r-xp 00000000 fe:00 9996270    /usr/local/bin/jac (deleted)", 0, 0, false},
		{"0102c000-00400000 r--p 00000000 fe:00 9996270    /usr/local/bin/jac", 0, 0, false},
		{"0102g000-0102c000 r--p 00000000 fe:00 9996270    /usr/local/bin/jac", 0, 0, false},
		{"0102c000 r--p 00000000 fe:00 9996270    /usr/local/bin/jac", 0, 0, false},
		{"", 0, 0, false},
	} {
		lo, hi, ok := readOnlyMappingOf(c.line, exe)
		if lo != c.lo || hi != c.hi || ok != c.ok {
			t.Errorf("readOnlyMappingOf(%q) = %#x, %#x, %v; want %#x, %#x, %v", c.line, lo, hi, ok, c.lo, c.hi, c.ok)
		}
	}
	if _, _, ok := readOnlyMappingOf("00400000-0102c000 r-xp 00000000 fe:00 1 /opt/my apps/jac", "/opt/my apps/jac"); !ok {
		t.Error("a path with a space is not matched")
	}
}
