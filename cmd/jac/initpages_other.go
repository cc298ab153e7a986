//go:build !linux

package main

// releaseInitPages is a no-op outside Linux (see initpages_linux.go).
func releaseInitPages() {}
