//go:build !runtimeembed

package runtimebin

import "embed"

// files is empty: this build embeds no runtime binaries (see the package doc).
var files embed.FS

const embedDir = "out"
