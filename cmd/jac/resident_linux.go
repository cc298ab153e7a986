package main

import (
	"os"
	"syscall"
)

// residentBytes is this process's resident set (the second field of
// /proc/self/statm, in pages).
func residentBytes() (uint64, bool) {
	f, err := os.Open("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	var buf [128]byte
	n, _ := f.Read(buf[:])
	return residentOfStatm(buf[:n], uint64(syscall.Getpagesize()))
}
