package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/jacscale/jac/infra"
)

// TestProgram: what `pulumi up` from the repository root runs, under Pulumi's mocks:
// the app's jac.toml (jac-scale:app), then the environment, then stack config; the
// kubernetes target's provider from KUBECONFIG.
func TestProgram(t *testing.T) {
	kc := filepath.Join(t.TempDir(), "config")
	os.WriteFile(kc, []byte("apiVersion: v1\nkind: Config\ncurrent-context: c\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\n"), 0o600)
	t.Setenv("KUBECONFIG", kc)
	t.Setenv("K8s_REDIS", "true")
	t.Setenv("K8s_NODE_PORT", "30010")
	rec := &infra.Recorder{}
	cfg := func(info *pulumi.RunInfo) {
		info.Config = map[string]string{
			"jac-scale:app":       filepath.Join("testdata", "app.jac"),
			"jac-scale:jwtSecret": "s",
			"jac-scale:nodePort":  "30020",
		}
	}
	if err := pulumi.RunErr(program, pulumi.WithMocks(infra.Project, "dev", rec), cfg); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	var provider bool
	for _, r := range rec.Resources {
		if r.TypeToken == "pulumi:providers:kubernetes" {
			provider = r.Name == "kubernetes" && r.Inputs["context"].StringValue() == "c"
		}
	}
	for _, o := range rec.Objects() {
		n, _ := o.Meta()
		got[o.Kind()+"/"+n] = true
	}
	objs, _ := infra.YAML(rec.Objects())
	yaml := string(objs)
	for _, want := range []string{"Deployment/fromtoml", "StatefulSet/fromtoml-mongodb", "StatefulSet/fromtoml-redis"} {
		if !got[want] {
			t.Errorf("no %s in %v", want, got)
		}
	}
	if !provider {
		t.Error("no kubernetes target provider with the kubeconfig's context")
	}
	if !strings.Contains(yaml, "nodePort: 30020") {
		t.Error("the stack config's nodePort did not win over the environment's")
	}
}
