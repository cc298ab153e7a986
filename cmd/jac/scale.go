//go:build !slim

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/jacscale/jac/infra"
	"github.com/jacscale/jac/infra/deploy"
	"github.com/jacscale/jac/infra/settings"
	"github.com/jacscale/jac/registry"
	"github.com/jacscale/jac/registry/jacbuild"
	"github.com/jacscale/jac/targets"
)

func init() { scaleHook = runScale }

// scaleEnv is the environment the deploy reads (tests replace it).
var scaleEnv = os.Getenv

// isTerminal reports whether f is a terminal (prompts only then).
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// scaleSettings loads the settings of the app and applies the command's flags.
func scaleSettings(cmd *cobra.Command, app, target string) (settings.Settings, error) {
	s, err := settings.Load(app, scaleEnv)
	if err != nil {
		return s, err
	}
	if cmd.Flags().Changed("target") {
		sp, _ := settings.Lookup("JAC_TARGET")
		if err := sp.Set(&s, target); err != nil {
			return s, fmt.Errorf("%w: --target: %w", settings.ErrConfig, err)
		}
		if err := s.Validate(); err != nil {
			return s, err
		}
	}
	return s, nil
}

// scaleFail turns err into the command's exit status (and a JSON error event).
func scaleFail(w io.Writer, asJSON bool, prefix string, err error) error {
	code := deploy.ExitCode(err)
	if _, ok := err.(*deploy.Error); !ok && asJSON {
		deploy.NewRenderer(w, true).Error(err)
	}
	return exitWith(code, fmt.Errorf("%s: %w", prefix, err))
}

func runScale(cmd *cobra.Command, req ScaleRequest) error {
	out := cmd.OutOrStdout()
	s, err := scaleSettings(cmd, req.App, req.Target)
	if err != nil {
		return scaleFail(out, req.JSON, "jac start --scale", err)
	}
	if req.DryRun {
		if s.Image == "" && req.Build {
			s.Image = "IMAGE_BUILT_BY_--build"
		}
		if s.Image == "" {
			if s.Image, err = localImage(commandContext(cmd), req, s); err != nil {
				return exitWith(buildExitCode(err), fmt.Errorf("jac start --scale --dry-run: no image configured, and building one failed: %w", err))
			}
		}
		objs, err := infra.Render(infra.Options{Settings: s, Getenv: scaleEnv}, deploy.StackName(s))
		if err != nil {
			return scaleFail(out, req.JSON, "jac start --scale --dry-run", err)
		}
		var b []byte
		switch req.Output {
		case "yaml", "":
			b, err = infra.YAML(objs)
		case "json":
			b, err = infra.JSON(objs)
		default:
			return exitWith(deploy.ExitConfig, fmt.Errorf("jac start --scale --dry-run: --output %q: yaml or json", req.Output))
		}
		if err != nil {
			return err
		}
		_, err = out.Write(b)
		return err
	}
	ctx := commandContext(cmd)
	if req.Build && req.Preview {
		// A preview changes nothing: no image is built or pushed.
		if s.Image == "" {
			s.Image = "IMAGE_BUILT_BY_--build"
		}
		fmt.Fprintln(cmd.ErrOrStderr(), "jac start --scale --preview: --build skipped (a preview builds and pushes nothing)")
	} else if req.Build {
		registryName := req.Registry
		if !cmd.Flags().Changed("registry") {
			registryName = targets.DefaultRegistry(s.Target)
		}
		img, err := buildImage(ctx, cmd, req, s, registryName)
		if err != nil {
			return err
		}
		s.Image = img
	}
	dreq := stackRequest(cmd, s, req.Yes, req.JSON)
	if req.Preview {
		if _, err := deploy.Preview(ctx, dreq); err != nil {
			return scaleFail(out, req.JSON, "jac start --scale --preview", err)
		}
		return nil
	}
	if _, err := deploy.Up(ctx, dreq); err != nil {
		return scaleFail(out, req.JSON, "jac start --scale", err)
	}
	return nil
}

// stackRequest is a deploy request for the app's stack from a command: the
// target's provider, the command's streams, prompts only on a terminal.
func stackRequest(cmd *cobra.Command, s settings.Settings, yes, asJSON bool) *deploy.Request {
	return &deploy.Request{
		Settings: s, Provider: targets.Provider, Getenv: scaleEnv,
		Yes: yes, Interactive: isTerminal(osStdin()) && isTerminal(osStdout()), JSON: asJSON,
		Stdout: cmd.OutOrStdout(), Stderr: cmd.ErrOrStderr(), Stdin: cmd.InOrStdin(),
	}
}

// commandContext is the command's context (Background when cobra has none).
func commandContext(cmd *cobra.Command) context.Context {
	if ctx := cmd.Context(); ctx != nil {
		return ctx
	}
	return context.Background()
}

// buildImage is the --build step: jac build --push with the registry's own auth
// (registry/jacbuild); the deploy then pins the pushed image by digest.
func buildImage(ctx context.Context, cmd *cobra.Command, req ScaleRequest, s settings.Settings, registryName string) (string, error) {
	// The image's name: JAC_IMAGE without a digest it may be pinned to (the build
	// makes a new one), or "" for the app's name.
	imageName, _, _ := strings.Cut(s.Image, "@")
	breq := jacbuild.Request{
		App: req.App, Image: imageName, Push: true, Registry: registryName, Port: s.ContainerPort,
		JSON: req.JSON, Version: version, Stdout: cmd.OutOrStdout(), Stderr: cmd.ErrOrStderr(),
	}
	if buildRequestHook != nil {
		buildRequestHook(&breq)
	}
	res, err := jacbuild.Run(ctx, breq)
	if err != nil {
		return "", exitWith(buildExitCode(err), fmt.Errorf("jac start --scale --build: %w", err))
	}
	if res.Ref == "" {
		return "", exitWith(1, fmt.Errorf("jac start --scale --build: the image was not pushed"))
	}
	return res.Ref, nil
}

// localImage is the image `jac build` makes of the app, built here and pushed
// nowhere: NAME@sha256:DIGEST, the digest being the one `jac build` (and --build)
// would produce, since the build is reproducible. A dry run without an image
// renders with it.
func localImage(ctx context.Context, req ScaleRequest, s settings.Settings) (string, error) {
	breq := jacbuild.Request{
		App: req.App, Port: s.ContainerPort, Version: version,
		Stdout: io.Discard, Stderr: io.Discard,
	}
	if buildRequestHook != nil {
		buildRequestHook(&breq)
	}
	res, err := jacbuild.Run(ctx, breq)
	if err != nil {
		return "", err
	}
	return registry.AppName(req.App) + "@" + res.Digest, nil
}

// buildRequestHook lets tests adjust the build (runtime binaries, transport).
var buildRequestHook func(*jacbuild.Request)

// buildExitCode is the --build step's exit status: jac build's (bad input 2,
// authentication 3, not found 4, network 5 — the same meanings as the deploy's).
func buildExitCode(err error) int { return registry.ExitCode(err) }

func osStdin() *os.File  { return os.Stdin }
func osStdout() *os.File { return os.Stdout }
