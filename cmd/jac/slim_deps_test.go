package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestSlimDependencies: the binary that goes into app images (-tags slim) links
// neither Pulumi nor a cloud SDK nor the image builder, and carries its own CA
// roots and time zone database (an image has no /etc/ssl or zoneinfo).
func TestSlimDependencies(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH")
	}
	out, err := exec.Command(gobin, "list", "-deps", "-tags", "slim", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := map[string]bool{}
	for _, p := range strings.Fields(string(out)) {
		deps[p] = true
		for _, banned := range []string{"github.com/pulumi/", "github.com/aws/", "cloud.google.com/",
			"google.golang.org/api", "github.com/google/go-containerregistry", "github.com/jacscale/jac/registry",
			"github.com/jacscale/jac/infra", "github.com/jacscale/jac/targets"} {
			if strings.HasPrefix(p, banned) {
				t.Errorf("slim build links %s", p)
			}
		}
	}
	for _, need := range []string{"time/tzdata", "golang.org/x/crypto/x509roots/fallback", "github.com/jacscale/jac/runtime/server"} {
		if !deps[need] {
			t.Errorf("slim build lacks %s", need)
		}
	}
}
