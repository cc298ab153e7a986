//go:build !slim

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/jacscale/jac/infra/deploy"
	"github.com/jacscale/jac/infra/settings"
	"github.com/jacscale/jac/targets/kubernetes"
)

func init() { commands = append(commands, newStatusCmd) }

func newStatusCmd() *cobra.Command {
	var (
		target string
		js     bool
	)
	cmd := &cobra.Command{
		Use:   "status APP.jac [--target kubernetes|aws|gcp] [--json]",
		Short: "Show the app's deployment: stack, revision, image, replicas, URL, last update",
		Long: `Show what jac start --scale deployed for the app (its stack, chosen by APP_NAME
and K8s_NAMESPACE as for jac destroy): the newest revision of the stack history and
its result, the revision serving, the app's image, its replicas ready / desired
(read from the cluster on the kubernetes target; as the last update left them
otherwise, or when the cluster cannot be read), the URL and when the stack was
last updated.

Exit status: 0 ok, 1 other, 2 bad configuration, 4 no such stack, 8 Pulumi CLI missing.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			s, err := scaleSettings(cmd, args[0], target)
			if err != nil {
				return scaleFail(out, js, "jac status", err)
			}
			ctx := commandContext(cmd)
			st, err := deploy.StatusOf(ctx, stackRequest(cmd, s, true, js), liveGetter(s))
			if err != nil {
				return scaleFail(out, js, "jac status", err)
			}
			if js {
				return json.NewEncoder(out).Encode(st)
			}
			return printStatus(out, st)
		},
	}
	f := cmd.Flags()
	f.StringVar(&target, "target", "kubernetes", "kubernetes, aws or gcp")
	f.BoolVar(&js, "json", false, "print one JSON object")
	return cmd
}

// liveGetter reads objects from the cluster of the kubernetes target (nil for the
// cloud targets, whose credentials only their provider makes).
func liveGetter(s settings.Settings) deploy.Getter {
	if s.Target != "" && s.Target != "kubernetes" {
		return nil
	}
	return func(ctx context.Context, path string, v any) error {
		kc, err := kubernetes.Load(scaleEnv, s.KubeContext)
		if err != nil {
			return err
		}
		c, err := kubernetes.NewClient(kc)
		if err != nil {
			return err
		}
		return c.Get(ctx, path, v)
	}
}

func printStatus(w io.Writer, st *deploy.Status) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	source := "as of the last update"
	if st.Live {
		source = "live"
	}
	fmt.Fprintf(tw, "Stack:\t%s\n", st.Stack)
	fmt.Fprintf(tw, "Revision:\t%d (%s); serving revision %d\n", st.Revision, st.Result, st.Deployed)
	fmt.Fprintf(tw, "Image:\t%s\n", st.Image)
	fmt.Fprintf(tw, "Replicas:\t%d/%d ready, %d up to date (%s)\n", st.Ready, st.Desired, st.Updated, source)
	fmt.Fprintf(tw, "URL:\t%s\n", st.URL)
	fmt.Fprintf(tw, "Last update:\t%s\n", st.LastUpdate)
	fmt.Fprintf(tw, "Objects:\t%d\n", st.Objects)
	return tw.Flush()
}
