// Package initpages keeps the pages of this binary's code and read-only data
// that only package initialisation touches out of the process's resident set.
//
// A jac binary links ~270 packages with init work (the server, Redis, MongoDB,
// S3, OpenTelemetry, Prometheus, the stdlib modules...). Their inits run once,
// spread over most of the 50 MB binary, and the kernel maps file pages 64 KB
// around each fault (fault-around), so by the end of initialisation ~17 MB of
// the binary is resident although `jac run` then needs a few MB of it. That
// init peak was the peak RSS of every small program.
//
// MADV_DONTNEED on the binary's private read-only mappings (r-xp text, r--p
// rodata and pclntab) only drops page table entries: the pages stay in the page
// cache, shared by every jac process, and those still needed fault back in at
// the cost of a minor fault. Writable mappings (.data, .bss, the heap) are never
// touched.
//
// The package's init starts a goroutine that releases them every
// releaseInterval while the other packages initialise, so the resident set never
// holds more than about one interval's worth of init pages; main calls Release
// once, which releases them a last time and ends the goroutine. The init runs
// early because the package imports little (the Go linker orders inits by
// import path among the packages whose imports are initialised), about the
// twentieth of ~270 (TestInitpagesImportsLittle keeps it so).
// JAC_KEEP_INIT_PAGES=1 turns all of it off (to measure it).
package initpages
