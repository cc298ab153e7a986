//go:build !linux

package initpages

// Release does nothing outside Linux.
func Release() {}

// Trim does nothing outside Linux.
func Trim() {}
