//go:build !slim

package main

import (
	"os"
	"runtime"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/jacscale/jac/cmd/jac/internal/runtimeexec"
	"github.com/jacscale/jac/registry/runtimebin"
)

// The full CLI runs and serves with the runtime binary it embeds (see
// runtimeexec). runtimeexec's init has already exec'd an unpacked one; here the
// first `jac run` or `jac start` unpacks it, and a build without embedded runtimes
// (`go build`: it never builds one with the toolchain here) runs in this process.
func init() { beforeCommand = execRuntime }

func execRuntime(args []string) {
	if !runtimeexec.Wanted(args) {
		return
	}
	path, err := runtimeexec.Path()
	if err != nil {
		return
	}
	if _, err := os.Stat(path); err == nil {
		return // unpacked already, and runtimeexec's init could not exec it
	}
	bin, err := runtimebin.Embedded(v1.Platform{OS: runtime.GOOS, Architecture: runtime.GOARCH})
	if err != nil {
		return // no embedded runtime for this platform
	}
	defer bin.Close()
	if runtimeexec.Unpack(path, bin) == nil {
		runtimeexec.Exec(path, args)
	}
}
