package kubetest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
)

// kubernetesSDK is the module whose version the engine asks the provider plugin at.
const kubernetesSDK = "github.com/pulumi/pulumi-kubernetes/sdk/v4"

// PulumiEnv is the environment of a Pulumi CLI that deploys to a test cluster
// offline: PATH starting with the CLI's directory, a fresh PULUMI_HOME in dir holding
// the Kubernetes provider plugin (installed from JAC_TEST_PULUMI_KUBERNETES with
// `pulumi plugin install resource kubernetes vVERSION -f PATH`, VERSION being the
// pulumi-kubernetes SDK this binary links), no update checks and no plugin downloads.
// It reports ErrNoAssets when JAC_TEST_PULUMI or JAC_TEST_PULUMI_KUBERNETES is unset.
func PulumiEnv(dir string) (map[string]string, error) {
	cli := os.Getenv(EnvPulumi)
	if cli == "" {
		return nil, fmt.Errorf("%w: %s is unset (make test builds the Pulumi CLI with hack/pulumi-cli.sh)", ErrNoAssets, EnvPulumi)
	}
	plugin := os.Getenv(EnvPulumiKubernetes)
	if plugin == "" {
		return nil, fmt.Errorf("%w: %s is unset (make test builds the provider plugin with hack/pulumi-kubernetes.sh; over an hour cold on 2 cores, see docs/deploy.md)", ErrNoAssets, EnvPulumiKubernetes)
	}
	if _, err := os.Stat(plugin); err != nil {
		return nil, fmt.Errorf("%s: %w (re-run hack/pulumi-kubernetes.sh)", EnvPulumiKubernetes, err)
	}
	version, err := linkedVersion(kubernetesSDK)
	if err != nil {
		return nil, err
	}
	env := map[string]string{
		"PATH":                     filepath.Dir(cli) + string(os.PathListSeparator) + os.Getenv("PATH"),
		"PULUMI_HOME":              filepath.Join(dir, "pulumi-home"),
		"PULUMI_SKIP_UPDATE_CHECK": "true",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
		"PULUMI_ACCESS_TOKEN":                         "",
		"DO_NOT_TRACK":                                "1",
	}
	cmd := exec.Command(cli, "plugin", "install", "resource", "kubernetes", version, "-f", plugin)
	cmd.Env = os.Environ()
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("pulumi plugin install resource kubernetes %s -f %s: %w\n%s", version, plugin, err, out)
	}
	return env, nil
}

// linkedVersion is the version of module path this binary links, with a leading v.
func linkedVersion(path string) (string, error) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "", fmt.Errorf("kubetest: no build info")
	}
	for _, m := range bi.Deps {
		if m.Path == path {
			if m.Replace != nil {
				m = m.Replace
			}
			return "v" + strings.TrimPrefix(m.Version, "v"), nil
		}
	}
	return "", fmt.Errorf("kubetest: this binary does not link %s", path)
}
