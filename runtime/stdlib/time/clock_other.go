//go:build !linux

package time

import "github.com/jacscale/jac/runtime/interp"

// registerClocks adds nothing off Linux: the POSIX clock functions and
// CLOCK_* ids are Linux's (the runtime ships for Linux only).
func registerClocks(*interp.Module) {}
