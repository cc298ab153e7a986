//go:build !slim

package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/jacscale/jac/registry"
	"github.com/jacscale/jac/registry/jacbuild"
)

func init() { commands = append(commands, newBuildCmd) }

func newBuildCmd() *cobra.Command {
	var req jacbuild.Request
	cmd := &cobra.Command{
		Use:   "build APP.jac --image REF [--push] [--platform linux/amd64,linux/arm64] [--tarball FILE]",
		Short: "Build the app's OCI image (no Docker daemon) and push it or write it as a tar",
		Long: `Build a reproducible multi-platform OCI image of a Jac app: the runtime-only jac
binary (embedded in this CLI at make time, or --runtime files, or a --base image)
and the app's directory under /app (.gitignore and .jacignore honoured). The
entrypoint is "jac start /app/APP.jac --host 0.0.0.0 --port 8000" as user 65532.

--push sends it with the registry's own auth: dockerhub (DOCKER_USERNAME /
DOCKER_PASSWORD or the docker config), ecr (AWS default credential chain; the
repository is created if missing), gcr (Google application default credentials;
the Artifact Registry repository is created if missing), or any other registry
through the docker config keychain. Without --push or --tarball the image is only
built and its digest printed.

Exit status: 0 ok, 1 other error, 2 bad input, 3 authentication or permission,
4 not found, 5 network.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				req.App = args[0]
			}
			req.Version = version
			req.Stdout, req.Stderr = cmd.OutOrStdout(), cmd.ErrOrStderr()
			if _, err := jacbuild.Run(cmd.Context(), req); err != nil {
				return exitWith(registry.ExitCode(err), fmt.Errorf("jac build: %w", err))
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&req.Image, "image", "i", "", "image reference (REGISTRY/NAME[:TAG]); a bare NAME is completed per --registry")
	f.BoolVar(&req.Push, "push", false, "push the image")
	f.StringVar(&req.Platforms, "platform", "linux/amd64,linux/arm64", "comma-separated platforms of the image index")
	f.StringVar(&req.Tarball, "tarball", "", "write the image as an OCI layout tar to this file")
	f.StringVar(&req.Registry, "registry", "", "dockerhub, ecr, gcr or other (default: guessed from --image, else dockerhub)")
	f.StringVar(&req.Base, "base", "", "build on this runtime image (from jac build --runtime-only) instead of the embedded binaries")
	f.StringArrayVar(&req.Runtime, "runtime", nil, "runtime binary for a platform, PLATFORM=PATH (repeatable)")
	f.BoolVar(&req.RuntimeOnly, "runtime-only", false, "build the runtime image alone (no app), to publish as a --base")
	f.StringVar(&req.Tag, "tag", "latest", "tag when --image has none")
	f.StringVar(&req.Source, "source", "", "org.opencontainers.image.source label (default: git remote origin)")
	f.StringVar(&req.Revision, "revision", "", "org.opencontainers.image.revision label (default: git HEAD)")
	f.IntVar(&req.Port, "port", 8000, "port the image's server listens on")
	f.BoolVar(&req.JSON, "json", false, "one JSON event per line on stdout")
	f.BoolVar(&req.Insecure, "insecure", false, "allow a plain-http registry")
	f.BoolVar(&req.NoCreate, "no-create", false, "never create the ECR or Artifact Registry repository")
	return cmd
}
