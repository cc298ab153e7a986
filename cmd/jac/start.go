package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// ScaleRequest is what `jac start --scale` asks of the deployer.
type ScaleRequest struct {
	App      string // path of the app's entry .jac file
	Build    bool   // build and push the image first
	Target   string // kubernetes | aws | gcp
	Registry string // dockerhub | ecr | gcr
	Preview  bool   // show the plan only
	DryRun   bool   // render objects under mocks, no cluster
	Output   string // yaml | json (with DryRun)
	Yes      bool   // never prompt
	JSON     bool   // one JSON event per line
}

// scaleHook deploys an app; set by scale.go in the full build, nil with -tags slim.
var scaleHook func(cmd *cobra.Command, req ScaleRequest) error

type startOptions struct {
	port     int
	host     string
	workers  int
	reload   bool
	dev      bool
	apiPort  int
	noClient bool
	scale    ScaleRequest
	doScale  bool
}

func newStartCmd() *cobra.Command {
	var o startOptions
	cmd := &cobra.Command{
		Use:   "start APP.jac",
		Short: "Serve a Jac app over HTTP (or deploy it with --scale)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.doScale {
				if scaleHook == nil {
					return exitWith(2, errors.New("jac: --scale needs the full jac CLI (this binary was built with -tags slim)"))
				}
				o.scale.App = args[0]
				return scaleHook(cmd, o.scale)
			}
			return runServer(cmd, args[0], o)
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.port, "port", 8000, "port to listen on")
	f.StringVar(&o.host, "host", "0.0.0.0", "address to bind")
	f.IntVar(&o.workers, "workers", 1, "number of worker processes")
	f.BoolVar(&o.reload, "reload", false, "reload the program when a .jac file changes")
	f.BoolVar(&o.dev, "dev", false, "development mode: reload on change, /introspect routes, API on --api-port (default port+1)")
	f.IntVar(&o.apiPort, "api-port", 0, "with --dev: the API port")
	f.BoolVar(&o.noClient, "no-client", false, "with --dev: no client dev server; the API uses --port")
	f.BoolVar(&o.doScale, "scale", false, "deploy to a cluster instead of serving locally")
	f.BoolVarP(&o.scale.Build, "build", "b", false, "with --scale: build and push the image first")
	f.StringVar(&o.scale.Target, "target", "kubernetes", "with --scale: kubernetes, aws or gcp")
	f.StringVar(&o.scale.Registry, "registry", "dockerhub", "with --scale --build: dockerhub, ecr or gcr")
	f.BoolVar(&o.scale.Preview, "preview", false, "with --scale: show the plan, change nothing")
	f.BoolVar(&o.scale.DryRun, "dry-run", false, "with --scale: render every object, no cluster")
	f.StringVar(&o.scale.Output, "output", "yaml", "with --dry-run: yaml or json")
	f.BoolVar(&o.scale.Yes, "yes", false, "with --scale: do not prompt")
	f.BoolVar(&o.scale.JSON, "json", false, "with --scale: one JSON event per line")
	return cmd
}
