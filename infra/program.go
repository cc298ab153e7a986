package infra

import (
	"errors"
	"fmt"
	"os"
	"sort"

	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/jacscale/jac/infra/settings"
)

// Project is the Pulumi project name: the namespace of the config keys
// (jac-scale:nodePort, ...), shared by the root Pulumi.yaml and the Automation API.
const Project = "jac-scale"

// Stack config keys that are not settings: secrets generated once per stack and
// kept in its encrypted config.
const (
	ConfigJWTSecret       = "jwtSecret"
	ConfigGrafanaPassword = "grafanaAdminPassword"
	ConfigApp             = "app" // root Pulumi.yaml: the app's entry file (for its jac.toml)
)

// Placeholder stands for a secret that a dry run does not have.
const Placeholder = "[secret]"

// ProviderFunc makes the Kubernetes provider of a target (targets/...). The
// components only receive its result.
type ProviderFunc func(ctx *pulumi.Context, s settings.Settings) (*kubernetes.Provider, error)

// Options configure Program.
type Options struct {
	// Settings are the settings from defaults, jac.toml and the environment;
	// the stack's config keys (jac-scale:KEY) override them.
	Settings settings.Settings
	// Provider makes the target's provider; nil uses the default provider
	// (the ambient kubeconfig; under mocks, the mock).
	Provider ProviderFunc
	// Getenv resolves ${ENV_VAR} in [plugins.scale.secrets] (default os.Getenv).
	Getenv func(string) string
	// DeleteData lets `jac destroy --delete-data` delete the databases' volume
	// claims and the namespace holding them; by default both are retained
	// (Pulumi RetainOnDelete) and bound again by the next deploy.
	DeleteData bool
	// DryRun renders without stack secrets: the JWT secret and Grafana password,
	// when the stack has none, are placeholders, and ${ENV_VAR} need not be set.
	DryRun bool
}

// Settings returns o.Settings with the stack's config keys applied.
func (o Options) settingsFor(ctx *pulumi.Context) (settings.Settings, error) {
	s := o.Settings
	if s.Secrets != nil {
		m := make(map[string]string, len(s.Secrets))
		for k, v := range s.Secrets {
			m[k] = v
		}
		s.Secrets = m
	}
	for _, sp := range settings.Specs {
		if v, ok := ctx.GetConfig(ctx.Project() + ":" + sp.Pulumi); ok {
			if err := sp.Set(&s, v); err != nil {
				return s, fmt.Errorf("%w: config %s:%s: %w", settings.ErrConfig, ctx.Project(), sp.Pulumi, err)
			}
		}
	}
	return s, s.Validate()
}

// Outputs are the stack outputs Program exports.
const (
	OutputURL           = "url"
	OutputNamespace     = "namespace"
	OutputAppName       = "appName"
	OutputGrafanaURL    = "grafanaUrl"
	OutputPrometheusURL = "prometheusUrl"
)

// Program is the deployment of one app: namespace, databases, the app, monitoring.
func Program(o Options) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		s, err := o.settingsFor(ctx)
		if err != nil {
			return err
		}
		if s.Image == "" {
			return fmt.Errorf("%w: no image: pass --build, or set JAC_IMAGE (or [plugins.scale.kubernetes] image, or the stack config %s:image) to an image built by `jac build`", settings.ErrConfig, ctx.Project())
		}
		getenv := o.Getenv
		if getenv == nil {
			getenv = os.Getenv
		}
		secret := func(key, fromSettings string) (pulumi.StringInput, error) {
			if fromSettings != "" {
				return pulumi.ToSecret(pulumi.String(fromSettings)).(pulumi.StringOutput), nil
			}
			if v, ok := ctx.GetConfig(ctx.Project() + ":" + key); ok && v != "" {
				return pulumi.ToSecret(pulumi.String(v)).(pulumi.StringOutput), nil
			}
			if o.DryRun {
				return pulumi.ToSecret(pulumi.String(Placeholder)).(pulumi.StringOutput), nil
			}
			return nil, fmt.Errorf("%w: the stack has no %s: `pulumi config set --secret %s \"$(openssl rand -hex 32)\"` (jac start --scale generates it)", settings.ErrConfig, key, key)
		}

		var opts []pulumi.ResourceOption
		if o.Provider != nil {
			p, err := o.Provider(ctx, s)
			if err != nil {
				return err
			}
			opts = append(opts, pulumi.Providers(p))
		}
		var nsDep []pulumi.Resource
		if s.Namespace != "default" {
			// Deleting a namespace deletes the claims in it: it is retained with them.
			keep := (s.MongoDB || s.Redis) && !o.DeleteData
			ns, err := corev1.NewNamespace(ctx, "namespace", &corev1.NamespaceArgs{
				Metadata: meta(s.Namespace, "", map[string]string{LabelPartOf: s.AppName, LabelManagedBy: ManagedBy}),
			}, append(opts, pulumi.RetainOnDelete(keep))...)
			if err != nil {
				return err
			}
			nsDep = append(nsDep, ns)
		}
		cOpts := append(append([]pulumi.ResourceOption{}, opts...), pulumi.DependsOn(nsDep))

		env := map[string]string{"JAC_DATA_DIR": "/data"}
		var dbs []pulumi.Resource
		for _, db := range []struct {
			on          bool
			engine      Engine
			image, size string
		}{{s.MongoDB, MongoDB, s.MongoImage, s.MongoStorage}, {s.Redis, Redis, s.RedisImage, s.RedisStorage}} {
			if !db.on {
				continue
			}
			d, err := NewDatabase(ctx, string(db.engine), &DatabaseArgs{
				App: s.AppName, Namespace: s.Namespace, Engine: db.engine, Image: db.image,
				Storage: db.size, StorageClass: s.StorageClass, DeleteData: o.DeleteData,
			}, cOpts...)
			if err != nil {
				return err
			}
			env[d.EnvVar] = d.URL
			dbs = append(dbs, d)
		}

		jwt, err := secret(ConfigJWTSecret, "")
		if err != nil {
			return err
		}
		// Kept as a secret output too, so that a workspace without the stack's
		// settings file (a CI job) restores the same secret (deploy.ensureSecret).
		ctx.Export(ConfigJWTSecret, jwt)
		var resolved map[string]string
		if o.DryRun {
			resolved = map[string]string{}
			for k := range s.Secrets {
				resolved[k] = Placeholder
			}
		} else if resolved, err = s.ResolveSecrets(getenv); err != nil {
			return err
		}
		for k, v := range s.Storage.Env() {
			env[k] = v
		}
		if resolved == nil {
			resolved = map[string]string{}
		}
		for k, v := range s.Storage.Credentials(getenv) {
			if o.DryRun {
				v = Placeholder
			}
			resolved[k] = v // into the app's Secret with [plugins.scale.secrets]
		}
		userSecrets := map[string]pulumi.StringInput{}
		keys := make([]string, 0, len(resolved))
		for k := range resolved {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if k == "JWT_SECRET" {
				return fmt.Errorf("%w: [plugins.scale.secrets] JWT_SECRET: the JWT secret is generated per stack (set the stack config %s to choose it)", settings.ErrConfig, ConfigJWTSecret)
			}
			userSecrets[k] = pulumi.ToSecret(pulumi.String(resolved[k])).(pulumi.StringOutput)
		}

		metricsPath := ""
		if s.Monitoring {
			metricsPath = s.MetricsPath
			// the trace backend deployed with monitoring (tracing.go)
			env["OTEL_EXPORTER_OTLP_ENDPOINT"] = TraceEndpoint(s.AppName, s.Namespace)
			env["OTEL_SERVICE_NAME"] = s.AppName
		}
		app, err := NewApp(ctx, "app", &AppArgs{
			Name: s.AppName, Namespace: s.Namespace, Instance: s.AppName,
			Image: s.Image, ImagePullPolicy: s.ImagePullPolicy, Port: s.ContainerPort,
			ServiceType: s.EffectiveServiceType(), NodePort: s.NodePort,
			Replicas: s.Replicas, MinReplicas: s.MinReplicas, MaxReplicas: s.MaxReplicas,
			TargetCPUUtilization: s.TargetCPU, PDBMaxUnavailable: s.PDBMaxUnavail,
			Resources: Resources{CPURequest: s.CPURequest, CPULimit: s.CPULimit, MemoryRequest: s.MemoryRequest, MemoryLimit: s.MemoryLimit},
			Readiness: Probe{InitialDelay: s.ReadinessInitialDelay, Period: s.ReadinessPeriod},
			Liveness:  Probe{InitialDelay: s.LivenessInitialDelay, Period: s.LivenessPeriod, FailureThreshold: s.LivenessFailureTh},
			JWTSecret: jwt, Secrets: userSecrets, Env: env, MetricsPath: metricsPath,
		}, append(cOpts, pulumi.DependsOn(append(append([]pulumi.Resource{}, nsDep...), dbs...)))...)
		if err != nil {
			return err
		}
		ctx.Export(OutputURL, app.URL)
		ctx.Export(OutputNamespace, pulumi.String(s.Namespace))
		ctx.Export(OutputAppName, pulumi.String(s.AppName))

		if s.Monitoring {
			pw, err := settings.ResolveValue(s.GrafanaAdminPassword, getenv)
			if err != nil && !o.DryRun {
				return err
			}
			gpw, err := secret(ConfigGrafanaPassword, pw)
			if err != nil {
				return err
			}
			m, err := NewMonitoring(ctx, "monitoring", &MonitoringArgs{
				App: s.AppName, Namespace: s.Namespace, AppPort: s.ContainerPort,
				MetricsPath: s.MetricsPath, MetricsPrefix: s.MetricsPrefix,
				PrometheusImage: s.PrometheusImage, PrometheusNodePort: s.PrometheusNodePort,
				GrafanaImage: s.GrafanaImage, GrafanaNodePort: s.GrafanaNodePort,
				GrafanaAdminPassword: gpw,
			}, cOpts...)
			if err != nil {
				return err
			}
			ctx.Export(OutputGrafanaURL, m.GrafanaURL)
			if pw == "" {
				ctx.Export(ConfigGrafanaPassword, gpw)
			}
			ctx.Export(OutputPrometheusURL, m.PrometheusURL)
		}
		return nil
	}
}

// IsConfigError reports whether err is a bad-configuration error.
func IsConfigError(err error) bool { return errors.Is(err, settings.ErrConfig) }
