//go:build !linux

package memory

import "os"

// fdatasync flushes a file (fsync where there is no fdatasync).
func fdatasync(f *os.File) error { return f.Sync() }
