package registry

import (
	"context"
	"os"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// RuntimeSource gives the runtime-only `jac` binary (built with -tags slim,
// CGO_ENABLED=0) for a linux platform.
type RuntimeSource interface {
	Binary(ctx context.Context, p v1.Platform) ([]byte, error)
}

// RuntimeFunc adapts a function to RuntimeSource.
type RuntimeFunc func(ctx context.Context, p v1.Platform) ([]byte, error)

func (f RuntimeFunc) Binary(ctx context.Context, p v1.Platform) ([]byte, error) { return f(ctx, p) }

// RuntimeFiles reads the binary of each platform from a file: keys are
// "linux/amd64", "linux/arm64" (as PlatformString prints them).
type RuntimeFiles map[string]string

func (r RuntimeFiles) Binary(_ context.Context, p v1.Platform) ([]byte, error) {
	f, ok := r[PlatformString(p)]
	if !ok {
		return nil, Errorf(KindInput, "runtime", "no runtime binary given for %s", PlatformString(p))
	}
	b, err := os.ReadFile(f)
	if err != nil {
		return nil, Wrap(KindInput, "runtime", err)
	}
	return b, nil
}

// ParseRuntimeFiles parses "linux/amd64=PATH,linux/arm64=PATH".
func ParseRuntimeFiles(specs []string) (RuntimeFiles, error) {
	r := RuntimeFiles{}
	for _, s := range specs {
		for _, part := range strings.Split(s, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			k, v, ok := strings.Cut(part, "=")
			if !ok {
				return nil, Errorf(KindInput, "runtime", "%q: want PLATFORM=PATH", part)
			}
			p, err := ParsePlatform(k)
			if err != nil {
				return nil, err
			}
			r[PlatformString(p)] = v
		}
	}
	return r, nil
}

// DefaultPlatforms are the platforms of an image when none are asked for.
var DefaultPlatforms = []v1.Platform{{OS: "linux", Architecture: "amd64"}, {OS: "linux", Architecture: "arm64"}}

// ParsePlatform parses "linux/amd64" or "linux/arm64" (or "linux/arm/v7", "os/arch/variant").
func ParsePlatform(s string) (v1.Platform, error) {
	parts := strings.Split(strings.TrimSpace(s), "/")
	if len(parts) < 2 || len(parts) > 3 || parts[0] == "" || parts[1] == "" {
		return v1.Platform{}, Errorf(KindInput, "platform", "%q: want OS/ARCH[/VARIANT]", s)
	}
	if parts[0] != "linux" {
		return v1.Platform{}, Errorf(KindInput, "platform", "%q: images are linux only", s)
	}
	p := v1.Platform{OS: parts[0], Architecture: parts[1]}
	if len(parts) == 3 {
		p.Variant = parts[2]
	}
	return p, nil
}

// ParsePlatforms parses a comma-separated list ("" gives DefaultPlatforms).
func ParsePlatforms(s string) ([]v1.Platform, error) {
	if strings.TrimSpace(s) == "" {
		return append([]v1.Platform(nil), DefaultPlatforms...), nil
	}
	var out []v1.Platform
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		p, err := ParsePlatform(part)
		if err != nil {
			return nil, err
		}
		if k := PlatformString(p); !seen[k] {
			seen[k] = true
			out = append(out, p)
		}
	}
	return out, nil
}

// PlatformString prints p as OS/ARCH[/VARIANT].
func PlatformString(p v1.Platform) string {
	s := p.OS + "/" + p.Architecture
	if p.Variant != "" {
		s += "/" + p.Variant
	}
	return s
}

func errNoRuntime(p v1.Platform) error {
	return Errorf(KindInput, "runtime", "no runtime binary for %s", PlatformString(p))
}
