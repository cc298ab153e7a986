//go:build runtimeembed

package runtimebin

import "embed"

// files are the binaries `make runtime-embed` wrote to out/.
//
//go:embed out
var files embed.FS

const embedDir = "out"
