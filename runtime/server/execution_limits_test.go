package server

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestExecutionLimitsConfig: the limits on Jac code come from defaults, then
// [plugins.scale.server] in jac.toml, then the environment.
func TestExecutionLimitsConfig(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "app.jac"), nil, 0o644)
	c, err := LoadConfig(filepath.Join(dir, "app.jac"))
	if err != nil {
		t.Fatal(err)
	}
	if c.ExecutionTimeout != 60*time.Second || c.ExecutionMemory != 0 || c.shutdownBound() != 30*time.Second {
		t.Errorf("defaults: timeout %v, memory %d, shutdown %v", c.ExecutionTimeout, c.ExecutionMemory, c.shutdownBound())
	}
	os.WriteFile(filepath.Join(dir, "jac.toml"), []byte(`
[plugins.scale.server]
execution_timeout = 2.5
execution_memory_mb = 64
shutdown_timeout = 10
`), 0o644)
	t.Setenv("JAC_EXECUTION_MEMORY_MB", "128")
	if c, err = LoadConfig(filepath.Join(dir, "app.jac")); err != nil {
		t.Fatal(err)
	}
	if c.ExecutionTimeout != 2500*time.Millisecond || c.ExecutionMemory != 128<<20 || c.shutdownBound() != 10*time.Second {
		t.Errorf("configured: timeout %v, memory %d, shutdown %v", c.ExecutionTimeout, c.ExecutionMemory, c.shutdownBound())
	}
	t.Setenv("JAC_EXECUTION_TIMEOUT", "0")
	if c, err = LoadConfig(filepath.Join(dir, "app.jac")); err != nil || c.ExecutionTimeout != 0 {
		t.Errorf("JAC_EXECUTION_TIMEOUT=0: timeout %v (%v), want none", c.ExecutionTimeout, err)
	}
}
