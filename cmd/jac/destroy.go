//go:build !slim

package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/jacscale/jac/infra/deploy"
	"github.com/jacscale/jac/infra/settings"
)

func init() { commands = append(commands, newDestroyCmd) }

func newDestroyCmd() *cobra.Command {
	var (
		target              string
		yes, js, deleteData bool
	)
	cmd := &cobra.Command{
		Use:   "destroy APP.jac [--delete-data] [--target kubernetes|aws|gcp] [--yes] [--json]",
		Short: "Delete everything `jac start --scale` deployed for the app (its Pulumi stack), keeping the data",
		Long: `Delete exactly the objects the app's stack holds (one stack per APP_NAME and
K8s_NAMESPACE, in the state backend jac start --scale used: PULUMI_BACKEND_URL or
~/.jac/pulumi/state), then the stack — except the data: the MongoDB and Redis
volume claims, and the namespace holding them, are kept (the result lists them),
and the next jac start --scale binds the same claims again. --delete-data deletes
them too; it asks for confirmation on a terminal and needs --yes elsewhere.

Exit status: 0 ok, 1 other, 2 bad configuration, 3 authentication, 4 no such
stack, 5 network, 6 destroy failed, 7 stack locked, 8 Pulumi CLI missing,
9 declined at the prompt.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			s, err := scaleSettings(cmd, args[0], target)
			if err != nil {
				return scaleFail(out, js, "jac destroy", err)
			}
			if s.Image == "" {
				s.Image = "unused-by-destroy" // the program runs only to make the provider
			}
			getenv := func(k string) string {
				if v := scaleEnv(k); v != "" {
					return v
				}
				return "unused-by-destroy"
			}
			req := stackRequest(cmd, s, yes, js)
			req.Getenv, req.DeleteData = getenv, deleteData
			if deleteData && !yes && !req.Interactive {
				return scaleFail(out, js, "jac destroy", fmt.Errorf("%w: --delete-data deletes the databases' volumes: give --yes too when not on a terminal", settings.ErrConfig))
			}
			if err := deploy.Destroy(commandContext(cmd), req); err != nil {
				return scaleFail(out, js, "jac destroy", err)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&target, "target", "kubernetes", "kubernetes, aws or gcp")
	f.BoolVar(&deleteData, "delete-data", false, "also delete the databases' volume claims (and their namespace)")
	f.BoolVar(&yes, "yes", false, "do not prompt")
	f.BoolVar(&js, "json", false, "one JSON event per line")
	return cmd
}
