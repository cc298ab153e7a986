package server_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestOwnScenarios runs this repository's HTTP scenarios (testdata/scenarios:
// @restspec path templates, OpenAPI metadata) with the shared conformance
// runner, the same one TestConformanceServe uses for the shared apps.
func TestOwnScenarios(t *testing.T) {
	runner, _ := filepath.Abs("../../../shared/conformance/serve/run_all.sh")
	if _, err := os.Stat(runner); err != nil {
		t.Skip("shared/conformance/serve not beside the repository")
	}
	dir, _ := filepath.Abs(filepath.Join("testdata", "scenarios"))
	out, err := exec.Command("bash", runner, jacBin, dir).CombinedOutput()
	t.Logf("%s", out)
	if err != nil || !strings.Contains(string(out), " 0 failed") {
		t.Fatalf("scenarios failed")
	}
}
