// Package runtimebin holds the runtime-only `jac` binaries that go into app images,
// embedded into the full CLI at `make` time: target runtime-embed writes
// out/jac-linux-amd64.gz and out/jac-linux-arm64.gz (built with -tags slim, CGO
// off, gzipped; uncompressed out/jac-OS-ARCH files work too), and `make build`
// compiles with -tags runtimeembed, which embeds out/. out/ is a build output,
// ignored by git. A plain `go build`, `go install` or `go test` embeds nothing, and
// Source then builds the runtime with the Go toolchain (Toolchain), or answers with
// an error that says exactly how to get one.
package runtimebin

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"io/fs"
	"slices"
	"sort"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/jacscale/jac/registry"
)

func fileName(p v1.Platform) string {
	n := embedDir + "/jac-" + p.OS + "-" + p.Architecture
	if p.Variant != "" {
		n += "-" + p.Variant
	}
	return n
}

// read returns the binary for p, from out/jac-OS-ARCH.gz (what make writes: the
// CLI stays ≈ 50 MB smaller) or an uncompressed out/jac-OS-ARCH.
func read(p v1.Platform) ([]byte, error) {
	r, err := Embedded(p)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// Embedded streams the embedded binary for p (decompressed), without holding it
// in memory; it fails if this CLI embeds none for p. Unlike Source it never
// builds one with the Go toolchain.
func Embedded(p v1.Platform) (io.ReadCloser, error) {
	if z, err := files.ReadFile(fileName(p) + ".gz"); err == nil {
		return gzip.NewReader(bytes.NewReader(z))
	}
	b, err := files.ReadFile(fileName(p))
	if err != nil {
		return nil, err
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

// Source is the embedded binaries as a registry.RuntimeSource; a CLI that embeds
// none (`go install`, `go build`) builds them with the Go toolchain (Toolchain).
var Source registry.RuntimeSource = registry.RuntimeFunc(func(ctx context.Context, p v1.Platform) ([]byte, error) {
	b, err := read(p)
	if err != nil {
		if len(Platforms()) == 0 {
			return Toolchain.Binary(ctx, p)
		}
		return nil, registry.Errorf(registry.KindInput, "runtime",
			"this jac embeds no runtime binary for %s (it has %s)", registry.PlatformString(p), strings.Join(Platforms(), ", "))
	}
	return b, nil
})

// Platforms lists the platforms embedded ("linux/amd64", ...), sorted.
func Platforms() []string {
	ents, err := fs.ReadDir(files, embedDir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if !strings.HasPrefix(n, "jac-") || e.IsDir() {
			continue
		}
		n = strings.TrimSuffix(strings.TrimPrefix(n, "jac-"), ".gz")
		if p := strings.ReplaceAll(n, "-", "/"); !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}
