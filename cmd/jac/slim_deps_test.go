package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// slimDeps lists the packages of the runtime binary built with tags.
func slimDeps(t *testing.T, tags string) map[string]bool {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH")
	}
	out, err := exec.Command(gobin, "list", "-deps", "-tags", tags, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := map[string]bool{}
	for _, p := range strings.Fields(string(out)) {
		deps[p] = true
	}
	return deps
}

func checkBanned(t *testing.T, tags string, deps map[string]bool, banned []string) {
	for p := range deps {
		for _, b := range banned {
			if strings.HasPrefix(p, b) {
				t.Errorf("-tags %q links %s", tags, p)
			}
		}
	}
}

// deploySide is what only `jac build` and `--scale` need.
var deploySide = []string{"github.com/pulumi/", "github.com/google/go-containerregistry",
	"github.com/jacscale/jac/registry", "github.com/jacscale/jac/infra", "github.com/jacscale/jac/targets",
	"github.com/aws/aws-sdk-go-v2/service/ecr", "github.com/aws/aws-sdk-go-v2/service/eks",
	"cloud.google.com/go/container", "cloud.google.com/go/artifactregistry",
	"google.golang.org/api/container", "google.golang.org/api/artifactregistry"}

// grpcStack is what the upstream OTLP exporters' protobuf package drags in.
var grpcStack = []string{"google.golang.org/grpc", "github.com/grpc-ecosystem/", "google.golang.org/genproto",
	"go.opentelemetry.io/proto/otlp/", "go.opentelemetry.io/otel/exporters/otlp/"}

// TestSlimDependencies: the binary that goes into app images (-tags slim) links
// neither Pulumi nor the deploy side's cloud SDKs nor the image builder, and
// carries its own CA roots and time zone database (an image has no /etc/ssl or
// zoneinfo). The S3 client is linked on purpose: store() needs it at run time
// (runtime/objstore, cmd/jac/objstores.go). The GCS client only with -tags gcs:
// its package inits nearly double an app's idle memory (docs/storage.md).
// Without the backends (-tags noobjstore) no cloud SDK is linked at all, which
// shows they come in through the storage backends alone. Traces go out through
// our own OTLP/HTTP exporter on the gRPC-free protobuf messages, so neither
// gRPC nor grpc-gateway nor genproto is linked (they cost ~6 MB of idle RSS).
func TestSlimDependencies(t *testing.T) {
	deps := slimDeps(t, "slim")
	checkBanned(t, "slim", deps, slices.Concat(deploySide, []string{"cloud.google.com/", "google.golang.org/api"}, grpcStack))
	for _, need := range []string{"time/tzdata", "golang.org/x/crypto/x509roots/fallback/bundle", "github.com/jacscale/jac/runtime/server",
		"github.com/jacscale/jac/runtime/objstore/s3store", "github.com/jacscale/jac/runtime/server/internal/otlphttp"} {
		if !deps[need] {
			t.Errorf("slim build lacks %s", need)
		}
	}
	if withGCS := slimDeps(t, "slim gcs"); !withGCS["github.com/jacscale/jac/runtime/objstore/gcsstore"] {
		t.Error("-tags slim,gcs lacks the GCS backend")
	}
	bare := slimDeps(t, "slim noobjstore")
	checkBanned(t, "slim noobjstore", bare, append(deploySide, "github.com/aws/", "cloud.google.com/", "google.golang.org/api"))
}
