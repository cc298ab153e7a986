package initpages

import (
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// releaseInterval is how often the pages are released during initialisation
// (which lasts 10-40 ms): short enough that a few MB at most are mapped between
// two releases, long enough that the madvise calls cost nothing measurable.
const releaseInterval = time.Millisecond

var (
	mappings []mapping // the binary's read-only mappings, read once
	done     atomic.Bool
	finished = make(chan struct{})
	once     sync.Once
)

type mapping struct{ lo, hi uintptr }

func init() {
	if keep, _ := syscall.Getenv("JAC_KEEP_INIT_PAGES"); keep == "" {
		mappings = readOnlyMappings() // none without /proc: nothing to release
	}
	if len(mappings) == 0 {
		close(finished)
		return
	}
	go releaseWhileInitialising()
}

func releaseWhileInitialising() {
	defer close(finished)
	for !done.Load() {
		time.Sleep(releaseInterval)
		release()
	}
}

// Release drops the init pages a last time and stops the releases; main calls
// it first thing. Later calls do nothing.
func Release() {
	once.Do(func() {
		done.Store(true)
		<-finished
		release()
	})
}

func release() {
	for _, m := range mappings {
		// raw: the range is no Go memory, so it takes no unsafe.Pointer
		syscall.Syscall(syscall.SYS_MADVISE, m.lo, m.hi-m.lo, syscall.MADV_DONTNEED)
	}
}

// readOnlyMappings reads /proc/self/maps for the private read-only and
// read-execute mappings of this executable (by its path). It parses by hand so
// that the package imports nothing that initialises late.
func readOnlyMappings() []mapping {
	var buf [4096]byte
	n, err := syscall.Readlink("/proc/self/exe", buf[:])
	if err != nil || n <= 0 || n == len(buf) {
		return nil
	}
	exe := string(buf[:n])
	maps, err := readFile("/proc/self/maps")
	if err != nil {
		return nil
	}
	var found []mapping
	for len(maps) > 0 {
		line := maps
		if i := indexByte(maps, '\n'); i >= 0 {
			line, maps = maps[:i], maps[i+1:]
		} else {
			maps = ""
		}
		if lo, hi, ok := readOnlyMappingOf(line, exe); ok {
			found = append(found, mapping{uintptr(lo), uintptr(hi)})
		}
	}
	return found
}

func readFile(path string) (string, error) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return "", err
	}
	defer syscall.Close(fd)
	var out []byte
	var chunk [8192]byte
	for {
		n, err := syscall.Read(fd, chunk[:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return "", err
		}
		if n == 0 {
			return string(out), nil
		}
		out = append(out, chunk[:n]...)
	}
}

// Trim releases the pages again, for a long-lived process that wants its
// resident set to hold only the code and data it still uses (`jac run` calls it
// after GC cycles): the pages of what ran once (the compiler, module set-up)
// leave it, the others fault back in.
func Trim() {
	if done.Load() {
		release()
	}
}
