package settings

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefaultsMatchTheReference(t *testing.T) {
	s := Defaults()
	// The Python jac-scale's table.
	if s.AppName != "jaseci" || s.Namespace != "default" || s.NodePort != 30001 ||
		s.CPURequest != "" || s.CPULimit != "" || s.MemoryRequest != "" || s.MemoryLimit != "" ||
		s.ReadinessInitialDelay != 10 || s.ReadinessPeriod != 20 || s.LivenessInitialDelay != 10 ||
		s.LivenessPeriod != 20 || s.LivenessFailureTh != 80 || s.MongoDB || s.Redis {
		t.Fatalf("defaults: %+v", s)
	}
	seen := map[string]bool{}
	for _, sp := range Specs {
		for _, k := range []string{"env:" + sp.Env, "toml:" + sp.TOML, "pulumi:" + sp.Pulumi} {
			if seen[k] {
				t.Errorf("duplicate %s", k)
			}
			seen[k] = true
		}
		if sp.Doc == "" || !strings.Contains(sp.TOML, ".") {
			t.Errorf("%s: doc or toml key missing", sp.Env)
		}
	}
}

func TestTOMLThenEnv(t *testing.T) {
	dir := t.TempDir()
	app := filepath.Join(dir, "sub", "app.jac")
	os.MkdirAll(filepath.Dir(app), 0o755)
	os.WriteFile(app, []byte("with entry {}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "jac.toml"), []byte(`
[plugins.scale.kubernetes]
app_name = "todo"
node_port = 30005
mongodb = true
cpu_request = "250m"
readiness_period = 7
[plugins.scale.monitoring]
enabled = true
grafana_node_port = 30400
[plugins.scale.secrets]
API_KEY = "${MY_KEY}"
`), 0o644)
	env := map[string]string{"K8s_NODE_PORT": "30006", "K8s_REDIS": "1"}
	s, err := Load(app, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if s.AppName != "todo" || s.NodePort != 30006 || !s.MongoDB || !s.Redis || s.CPURequest != "250m" ||
		s.ReadinessPeriod != 7 || !s.Monitoring || s.GrafanaNodePort != 30400 || s.Secrets["API_KEY"] != "${MY_KEY}" {
		t.Fatalf("%+v", s)
	}
	got, err := s.ResolveSecrets(func(k string) string { return map[string]string{"MY_KEY": "v"}[k] })
	if err != nil || got["API_KEY"] != "v" {
		t.Fatalf("resolve: %v %v", got, err)
	}
	if _, err := s.ResolveSecrets(func(string) string { return "" }); !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "MY_KEY") {
		t.Fatalf("unset: %v", err)
	}
}

func TestBadValues(t *testing.T) {
	for env, v := range map[string]string{
		"K8s_NODE_PORT": "99999", "K8s_NAMESPACE": "Bad_NS", "K8s_CPU_REQUEST": "lots", "K8s_MONGODB": "maybe",
		"K8s_READINESS_PERIOD": "x", "JAC_TARGET": "azure", "K8s_IMAGE_PULL_POLICY": "Sometimes",
	} {
		_, err := Load("", func(k string) string {
			if k == env {
				return v
			}
			return ""
		})
		if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), env) {
			t.Errorf("%s=%s: %v", env, v, err)
		}
	}
	_, err := Load("", func(k string) string { return map[string]string{"K8s_MIN_REPLICAS": "5", "K8s_MAX_REPLICAS": "2"}[k] })
	if !errors.Is(err, ErrConfig) {
		t.Errorf("min > max: %v", err)
	}
	_, err = Load("", func(k string) string { return map[string]string{"JAC_TARGET": "aws"}[k] })
	if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "JAC_CLUSTER") {
		t.Errorf("aws without cluster: %v", err)
	}
	var s Settings = Defaults()
	if err := s.ApplyTOML([]byte("[plugins.scale.kubernetes]\nnode_port = \"x\"\n")); !errors.Is(err, ErrConfig) {
		t.Errorf("toml: %v", err)
	}
}

// TestDocumented: docs/deploy.md lists every setting with its three names and default.
func TestDocumented(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "deploy.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, sp := range Specs {
		sec, key, _ := strings.Cut(sp.TOML, ".")
		row := "| `" + sp.Env + "` | `[plugins.scale." + sec + "] " + key + "` | `" + sp.Pulumi + "` | "
		if !strings.Contains(doc, row) {
			t.Errorf("docs/deploy.md has no row %q", row)
			continue
		}
		if sp.Default != "" && !strings.Contains(doc, row+"`"+sp.Default+"`") {
			t.Errorf("docs/deploy.md: %s default is not `%s`", sp.Env, sp.Default)
		}
	}
}
