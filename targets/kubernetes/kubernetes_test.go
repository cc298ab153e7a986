package kubernetes

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"

	"github.com/jacscale/jac/infra"
	"github.com/jacscale/jac/infra/settings"
)

const kubeconfig = `apiVersion: v1
kind: Config
current-context: kind-dev
clusters:
- name: kind-dev
  cluster: {server: "https://127.0.0.1:6443"}
- name: prod
  cluster: {server: "https://10.0.0.1"}
contexts:
- name: kind-dev
  context: {cluster: kind-dev, user: dev}
- name: prod
  context: {cluster: prod, user: dev}
users:
- name: dev
  user: {token: t}
`

func TestLoadAndProvider(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "config")
	os.WriteFile(p, []byte(kubeconfig), 0o600)
	env := map[string]string{"KUBECONFIG": filepath.Join(dir, "missing") + string(os.PathListSeparator) + p}
	getenv := func(k string) string { return env[k] }

	kc, err := Load(getenv, "")
	if err != nil || kc.Context != "kind-dev" || kc.Path != p {
		t.Fatalf("current context: %+v %v", kc, err)
	}
	if kc, err := Load(getenv, "prod"); err != nil || kc.Context != "prod" {
		t.Fatalf("K8s_CONTEXT=prod: %+v %v", kc, err)
	}
	if _, err := Load(getenv, "nope"); !errors.Is(err, settings.ErrConfig) || !strings.Contains(err.Error(), "kind-dev, prod") {
		t.Fatalf("unknown context: %v", err)
	}
	if _, err := Load(func(k string) string { return map[string]string{"KUBECONFIG": "/nonexistent"}[k] }, ""); !errors.Is(err, ErrAuth) {
		t.Fatalf("no kubeconfig: %v", err)
	}
	if _, err := Load(func(k string) string { return map[string]string{"HOME": dir}[k] }, ""); !errors.Is(err, ErrNoKubeconfig) {
		t.Fatalf("no ~/.kube/config: %v", err)
	}

	// The provider, under Pulumi's mocks: the kubeconfig (a secret) and the context.
	t.Setenv("KUBECONFIG", p)
	s := settings.Defaults()
	s.KubeContext = "prod"
	in, err := infra.ProviderInputs(s, Provider)
	if err != nil {
		t.Fatal(err)
	}
	if !in["kubeconfig"].IsSecret() || in["kubeconfig"].SecretValue().Element.StringValue() != kubeconfig {
		t.Errorf("kubeconfig input: %v", in["kubeconfig"])
	}
	if in["context"].StringValue() != "prod" {
		t.Errorf("context input: %v", in["context"])
	}
}

func TestTokenKubeconfig(t *testing.T) {
	s := TokenKubeconfig("eks-c1", "https://x.eks.amazonaws.com", []byte("-----BEGIN CERTIFICATE-----\n"), "k8s-aws-v1.abc")
	var f struct {
		Current  string `yaml:"current-context"`
		Clusters []struct {
			Cluster map[string]string `yaml:"cluster"`
		} `yaml:"clusters"`
		Users []struct {
			User map[string]string `yaml:"user"`
		} `yaml:"users"`
	}
	if err := yaml.Unmarshal([]byte(s), &f); err != nil {
		t.Fatal(err)
	}
	if f.Current != "eks-c1" || f.Clusters[0].Cluster["server"] != "https://x.eks.amazonaws.com" ||
		f.Clusters[0].Cluster["certificate-authority-data"] != "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==" ||
		f.Users[0].User["token"] != "k8s-aws-v1.abc" {
		t.Fatalf("%s", s)
	}
}
