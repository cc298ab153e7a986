//go:build !slim

package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/jacscale/jac/infra/deploy"
)

func init() { commands = append(commands, newRollbackCmd) }

func newRollbackCmd() *cobra.Command {
	var (
		target  string
		to      int
		yes, js bool
	)
	cmd := &cobra.Command{
		Use:   "rollback APP.jac [--to REVISION] [--target kubernetes|aws|gcp] [--yes] [--json]",
		Short: "Deploy an earlier revision's image and settings again, as a new revision",
		Long: `Deploy again the image and settings of an earlier revision of the app's stack,
as they are recorded in the stack history (jac status shows the revisions' numbers;
so does pulumi stack history): by default the successful deploy before the one
serving now, or --to REVISION. The rollback is an update like any other: a new
revision, a rolling update of the app, awaited. Secrets ([plugins.scale.secrets],
GRAFANA_ADMIN_PASSWORD) are not recorded in the history and are resolved now.

Exit status: as jac start --scale (2: no such revision or nothing to roll back to,
4: no such stack, 6: the update failed).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			s, err := scaleSettings(cmd, args[0], target)
			if err != nil {
				return scaleFail(out, js, "jac rollback", err)
			}
			ctx := commandContext(cmd)
			req := stackRequest(cmd, s, yes, js)
			h, err := deploy.History(ctx, req)
			if err != nil {
				return scaleFail(out, js, "jac rollback", err)
			}
			rev, err := deploy.RollbackTarget(h, to)
			if err != nil {
				return scaleFail(out, js, "jac rollback", err)
			}
			if err := rev.Apply(&req.Settings); err != nil {
				return scaleFail(out, js, "jac rollback", err)
			}
			req.Headline = fmt.Sprintf("jac rollback to revision %d (%s)", rev.Number, rev.Image())
			if _, err := deploy.Up(ctx, req); err != nil {
				return scaleFail(out, js, "jac rollback", err)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&target, "target", "kubernetes", "kubernetes, aws or gcp")
	f.IntVar(&to, "to", 0, "the revision to deploy again (default: the one before the serving revision)")
	f.BoolVar(&yes, "yes", false, "do not prompt")
	f.BoolVar(&js, "json", false, "one JSON event per line")
	return cmd
}
