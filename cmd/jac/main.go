// Command jac runs Jac programs, serves them as HTTP services (jac start) and, in the
// full build, builds their images and deploys them (jac build, jac start --scale,
// jac destroy). Built with -tags slim it is the runtime-only binary that goes into
// app images: no Pulumi, no cloud SDKs.
package main

import (
	"os"

	"github.com/jacscale/jac/cmd/jac/internal/initpages"
)

func main() {
	if beforeCommand != nil {
		beforeCommand(os.Args[1:])
	}
	initpages.Release()
	os.Exit(execute(os.Args[1:]))
}

// beforeCommand may hand the command to another program (runtime_exec.go).
var beforeCommand func(args []string)
