// Command pulumi-program is the root Pulumi.yaml's program: `pulumi up` runs the
// same infra.Program as `jac start --scale`, configured by stack config keys that
// mirror the environment variables (jac-scale:nodePort for K8s_NODE_PORT, ...;
// docs/deploy.md lists them). Settings come from defaults, then the app's jac.toml
// (config key jac-scale:app, the entry .jac file), then the environment, then the
// stack config.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/jacscale/jac/infra"
	"github.com/jacscale/jac/infra/settings"
	"github.com/jacscale/jac/targets"
)

func main() { pulumi.Run(program) }

func program(ctx *pulumi.Context) error {
	app, _ := ctx.GetConfig(ctx.Project() + ":" + infra.ConfigApp)
	s, err := settings.Load(app, nil)
	if err != nil {
		return err
	}
	return infra.Program(infra.Options{Settings: s, Provider: targets.Provider})(ctx)
}
