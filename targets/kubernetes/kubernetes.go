// Package kubernetes is the plain-cluster target: the current kubeconfig context
// (or K8s_CONTEXT), from KUBECONFIG or ~/.kube/config. It also holds what the
// cloud targets share: a kubeconfig for an endpoint, a CA and a bearer token, and
// the Pulumi provider made from a kubeconfig.
package kubernetes

import (
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	k8s "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	yaml "go.yaml.in/yaml/v3"

	"github.com/jacscale/jac/infra/settings"
)

// ErrNoKubeconfig is returned when there is no kubeconfig to read.
var ErrNoKubeconfig = fmt.Errorf("%w: no kubeconfig", ErrAuth)

// Kubeconfig is a kubeconfig file's contents and where it came from.
type Kubeconfig struct {
	Path    string
	Data    []byte
	Context string // the context to use (the file's current-context unless asked)
}

type kubeconfigFile struct {
	CurrentContext string `yaml:"current-context"`
	Contexts       []struct {
		Name string `yaml:"name"`
	} `yaml:"contexts"`
}

// Load reads the kubeconfig: the first file of KUBECONFIG, else ~/.kube/config,
// and checks that the context (context, or the file's current-context) exists.
func Load(getenv func(string) string, context string) (*Kubeconfig, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	var path string
	if kc := getenv("KUBECONFIG"); kc != "" {
		for _, p := range filepath.SplitList(kc) {
			if _, err := os.Stat(p); err == nil {
				path = p
				break
			}
		}
		if path == "" {
			return nil, fmt.Errorf("%w: KUBECONFIG=%s: no such file", ErrNoKubeconfig, kc)
		}
	} else {
		home := getenv("HOME")
		if home == "" {
			home, _ = os.UserHomeDir()
		}
		path = filepath.Join(home, ".kube", "config")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoKubeconfig, err)
	}
	var f kubeconfigFile
	if err := yaml.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", settings.ErrConfig, path, err)
	}
	if context == "" {
		context = f.CurrentContext
	}
	if context == "" {
		return nil, fmt.Errorf("%w: %s has no current-context; set K8s_CONTEXT", settings.ErrConfig, path)
	}
	var names []string
	for _, c := range f.Contexts {
		if c.Name == context {
			return &Kubeconfig{Path: path, Data: data, Context: context}, nil
		}
		names = append(names, c.Name)
	}
	return nil, fmt.Errorf("%w: %s has no context %q (it has: %s)", settings.ErrConfig, path, context, strings.Join(names, ", "))
}

// TokenKubeconfig is a kubeconfig for one cluster reached with a bearer token.
func TokenKubeconfig(name, server string, caPEM []byte, token string) string {
	cfg := map[string]any{
		"apiVersion":      "v1",
		"kind":            "Config",
		"current-context": name,
		"clusters": []any{map[string]any{"name": name, "cluster": map[string]any{
			"server": server, "certificate-authority-data": base64.StdEncoding.EncodeToString(caPEM),
		}}},
		"users":    []any{map[string]any{"name": name, "user": map[string]any{"token": token}}},
		"contexts": []any{map[string]any{"name": name, "context": map[string]any{"cluster": name, "user": name}}},
	}
	b, _ := yaml.Marshal(cfg)
	return string(b)
}

// NewProvider registers the Pulumi Kubernetes provider for a kubeconfig (kept as a
// secret in the state).
func NewProvider(ctx *pulumi.Context, name, kubeconfig, context string) (*k8s.Provider, error) {
	args := &k8s.ProviderArgs{
		Kubeconfig:            pulumi.ToSecret(pulumi.String(kubeconfig)).(pulumi.StringOutput),
		EnableServerSideApply: pulumi.Bool(true),
	}
	if context != "" {
		args.Context = pulumi.String(context)
	}
	return k8s.NewProvider(ctx, name, args)
}

// Provider is the kubernetes target's provider: the kubeconfig's context.
func Provider(ctx *pulumi.Context, s settings.Settings) (*k8s.Provider, error) {
	kc, err := Load(nil, s.KubeContext)
	if err != nil {
		return nil, err
	}
	return NewProvider(ctx, "kubernetes", string(kc.Data), kc.Context)
}

// ErrAuth marks authentication and permission failures of a target (no or bad
// credentials, access denied).
var ErrAuth = errors.New("authentication failed")
