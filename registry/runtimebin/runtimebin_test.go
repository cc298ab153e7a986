package runtimebin

import (
	"context"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/jacscale/jac/registry"
)

func TestSource(t *testing.T) {
	ps := Platforms()
	t.Logf("embedded runtime binaries: %v", ps)
	_, err := Source.Binary(context.Background(), v1.Platform{OS: "linux", Architecture: "mips"})
	if err == nil {
		t.Fatal("want an error for a platform never embedded")
	}
	if got := registry.ExitCode(err); got != registry.ExitInput {
		t.Fatalf("exit code %d, want %d", got, registry.ExitInput)
	}
	for _, p := range ps {
		pl, err := registry.ParsePlatform(p)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Source.Binary(context.Background(), pl)
		if err != nil || len(b) < 4 || string(b[:4]) != "\x7fELF" {
			t.Fatalf("%s: %d bytes, %v", p, len(b), err)
		}
	}
}
