package main

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// releaseInitPages unmaps the pages of this binary's code and read-only data
// that are mapped when main starts, so that those touched only by package
// initialisation stop counting in the process's resident set.
//
// The binary is ~50 MB, and the inits of its ~270 packages (the server, Redis,
// MongoDB, S3, OpenTelemetry, ... linked into every jac) touch code spread over
// most of it; the kernel maps file pages 64 KB around each fault (fault-around),
// so after init ~19 MB of the binary is resident (RssFile) although `jac run`
// then needs a few MB of it. MADV_DONTNEED on these private, never-written
// mappings only drops the page table entries: the pages stay in the page cache
// (shared by every jac process) and the ones still needed fault back in at the
// cost of a minor fault. Writable mappings (.data, .bss, the heap) are never
// touched. JAC_KEEP_INIT_PAGES=1 turns it off (to measure it).
func releaseInitPages() {
	if os.Getenv("JAC_KEEP_INIT_PAGES") != "" {
		return
	}
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		return
	}
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if lo, hi, ok := readOnlyMappingOf(sc.Text(), exe); ok {
			// raw: the range is no Go memory, so it takes no unsafe.Pointer
			syscall.Syscall(syscall.SYS_MADVISE, uintptr(lo), uintptr(hi-lo), syscall.MADV_DONTNEED)
		}
	}
}

// readOnlyMappingOf parses a line of /proc/self/maps and returns the address
// range of a private read-only (r--p) or read-execute (r-xp) mapping of file.
func readOnlyMappingOf(line, file string) (lo, hi uint64, ok bool) {
	fields := strings.Fields(line)
	if len(fields) != 6 || fields[5] != file || fields[1] != "r-xp" && fields[1] != "r--p" {
		return 0, 0, false
	}
	from, to, found := strings.Cut(fields[0], "-")
	if !found {
		return 0, 0, false
	}
	lo, err1 := strconv.ParseUint(from, 16, 64)
	hi, err2 := strconv.ParseUint(to, 16, 64)
	if err1 != nil || err2 != nil || hi <= lo {
		return 0, 0, false
	}
	return lo, hi, true
}
