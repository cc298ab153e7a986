package server

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestHTTPLimitsConfig: the connection limits come from defaults, then
// [plugins.scale.server] in jac.toml, then the environment.
func TestHTTPLimitsConfig(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "app.jac"), nil, 0o644)
	os.WriteFile(filepath.Join(dir, "jac.toml"), []byte(`
[plugins.scale.server]
read_timeout = 7
write_timeout = 0
max_connections = 500
max_connections_per_client = 50
`), 0o644)
	t.Setenv("JAC_IDLE_TIMEOUT", "9")
	t.Setenv("JAC_MAX_CONNECTIONS_PER_CLIENT", "40")
	c, err := LoadConfig(filepath.Join(dir, "app.jac"))
	if err != nil {
		t.Fatal(err)
	}
	want := HTTPLimits{ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 7 * time.Second, WriteTimeout: 0,
		IdleTimeout: 9 * time.Second, MaxConns: 500, MaxConnsPerClient: 40}
	if c.HTTP != want {
		t.Errorf("limits = %+v, want %+v", c.HTTP, want)
	}
}
