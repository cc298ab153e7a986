// Package settings is the configuration of a deployment: every setting of the
// Python jac-scale's Kubernetes tables (and the ones this port adds), each with
// its environment variable, its jac.toml key under [plugins.scale.*], its Pulumi
// config key and its default. Precedence, lowest first: default, jac.toml,
// environment, Pulumi stack config (the last only inside a Pulumi program).
//
// The table (Specs) is the single source: Load, ApplyPulumi, the docs and the
// tests all read it.
package settings

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	toml "github.com/pelletier/go-toml/v2"

	"github.com/jacscale/jac/internal/project"
)

// Settings is one deployment's configuration.
type Settings struct {
	Target    string // kubernetes | aws | gcp
	AppName   string // APP_NAME: name of every object and their app.kubernetes.io/name label
	Namespace string // K8s_NAMESPACE

	Image           string // the app's image; pin it by digest (repo@sha256:...) for reproducible deploys
	ImagePullPolicy string
	ContainerPort   int
	NodePort        int    // K8s_NODE_PORT (NodePort services only)
	ServiceType     string // "" = NodePort on kubernetes, LoadBalancer on aws/gcp
	Replicas        int
	MinReplicas     int
	MaxReplicas     int
	TargetCPU       int // HPA target average CPU utilization (%)
	PDBMaxUnavail   int // PodDisruptionBudget maxUnavailable

	CPURequest, CPULimit       string
	MemoryRequest, MemoryLimit string

	ReadinessInitialDelay, ReadinessPeriod                  int
	LivenessInitialDelay, LivenessPeriod, LivenessFailureTh int

	MongoDB, Redis             bool
	MongoImage, RedisImage     string
	MongoStorage, RedisStorage string
	StorageClass               string

	Monitoring           bool
	MetricsPath          string
	MetricsPrefix        string
	PrometheusNodePort   int
	GrafanaNodePort      int
	GrafanaAdminPassword string // "" = generated and kept in the stack's encrypted config
	PrometheusImage      string
	GrafanaImage         string

	// Cluster selection (targets).
	KubeContext string // kubernetes: kubeconfig context ("" = current)
	Cluster     string // aws: EKS cluster name; gcp: GKE cluster name
	Region      string // aws: region ("" = the default chain's); gcp: location of the cluster
	Project     string // gcp: project ("" = the credentials' project)

	// Secrets are [plugins.scale.secrets]: NAME = "value" or "${ENV_VAR}", resolved by
	// ResolveSecrets at deploy time.
	Secrets map[string]string

	// Storage is store()'s cloud backend for the pods (storage.go).
	Storage Storage
}

// Spec is one setting.
type Spec struct {
	Env     string // environment variable
	TOML    string // key under [plugins.scale], dotted: "kubernetes.node_port"
	Pulumi  string // Pulumi config key (project jac-scale): "nodePort"
	Default string // as text; "" means none
	Doc     string
	set     func(*Settings, string) error
	get     func(*Settings) string
}

// Name is how a setting is named in messages.
func (s Spec) Name() string { return s.Env }

// Get returns the setting's current value as text.
func (s Spec) Get(st *Settings) string { return s.get(st) }

// Set parses v into the setting.
func (s Spec) Set(st *Settings, v string) error {
	if err := s.set(st, v); err != nil {
		return &Error{Setting: s.Env, Err: err}
	}
	return nil
}

// Error is a bad setting value.
type Error struct {
	Setting string
	Err     error
}

func (e *Error) Error() string { return e.Setting + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// ErrConfig marks configuration errors (bad values, missing required settings).
var ErrConfig = errors.New("bad configuration")

func str(env, tomlKey, pkey, def, doc string, f func(*Settings) *string) Spec {
	return Spec{Env: env, TOML: tomlKey, Pulumi: pkey, Default: def, Doc: doc,
		set: func(s *Settings, v string) error { *f(s) = v; return nil },
		get: func(s *Settings) string { return *f(s) }}
}

func integer(env, tomlKey, pkey, def, doc string, min, max int, f func(*Settings) *int) Spec {
	return Spec{Env: env, TOML: tomlKey, Pulumi: pkey, Default: def, Doc: doc,
		set: func(s *Settings, v string) error {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				return fmt.Errorf("%q is not an integer", v)
			}
			if n < min || n > max {
				return fmt.Errorf("%d is out of range [%d, %d]", n, min, max)
			}
			*f(s) = n
			return nil
		},
		get: func(s *Settings) string { return strconv.Itoa(*f(s)) }}
}

func boolean(env, tomlKey, pkey, def, doc string, f func(*Settings) *bool) Spec {
	return Spec{Env: env, TOML: tomlKey, Pulumi: pkey, Default: def, Doc: doc,
		set: func(s *Settings, v string) error {
			switch strings.ToLower(strings.TrimSpace(v)) {
			case "1", "true", "yes", "on":
				*f(s) = true
			case "0", "false", "no", "off", "":
				*f(s) = false
			default:
				return fmt.Errorf("%q is not a boolean", v)
			}
			return nil
		},
		get: func(s *Settings) string { return strconv.FormatBool(*f(s)) }}
}

func oneOf(env, tomlKey, pkey, def, doc string, allowed []string, f func(*Settings) *string) Spec {
	sp := str(env, tomlKey, pkey, def, doc, f)
	sp.set = func(s *Settings, v string) error {
		for _, a := range allowed {
			if v == a {
				*f(s) = v
				return nil
			}
		}
		return fmt.Errorf("%q is not one of %s", v, strings.Join(allowed, ", "))
	}
	return sp
}

var (
	dnsLabel  = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	quantity  = regexp.MustCompile(`^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$`)
	secretKey = regexp.MustCompile(`^[-._a-zA-Z0-9]+$`)
	envName   = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

func name(env, tomlKey, pkey, def, doc string, f func(*Settings) *string) Spec {
	sp := str(env, tomlKey, pkey, def, doc, f)
	sp.set = func(s *Settings, v string) error {
		if len(v) > 53 || !dnsLabel.MatchString(v) {
			return fmt.Errorf("%q is not a DNS label (lower case letters, digits, '-', at most 53 characters)", v)
		}
		*f(s) = v
		return nil
	}
	return sp
}

func qty(env, tomlKey, pkey, doc string, f func(*Settings) *string) Spec {
	sp := str(env, tomlKey, pkey, "", doc, f)
	sp.set = func(s *Settings, v string) error {
		if v != "" && !quantity.MatchString(v) {
			return fmt.Errorf("%q is not a Kubernetes quantity (e.g. 250m, 1, 512Mi)", v)
		}
		*f(s) = v
		return nil
	}
	return sp
}

// Specs lists every setting, in documentation order.
var Specs = []Spec{
	oneOf("JAC_TARGET", "kubernetes.target", "target", "kubernetes", "where to deploy: kubernetes (current kubeconfig context), aws (EKS), gcp (GKE); `--target` overrides", []string{"kubernetes", "aws", "gcp"}, func(s *Settings) *string { return &s.Target }),
	name("APP_NAME", "kubernetes.app_name", "appName", "jaseci", "name of the app's objects and their `app.kubernetes.io/name` label", func(s *Settings) *string { return &s.AppName }),
	name("K8s_NAMESPACE", "kubernetes.namespace", "namespace", "default", "namespace (created, and deleted by `jac destroy`, unless it is `default`)", func(s *Settings) *string { return &s.Namespace }),
	str("JAC_IMAGE", "kubernetes.image", "image", "", "the app's image (from `jac build`); pin it by digest, `REPO@sha256:...` (this replaces `plugin_versions`); set by `--build`", func(s *Settings) *string { return &s.Image }),
	oneOf("K8s_IMAGE_PULL_POLICY", "kubernetes.image_pull_policy", "imagePullPolicy", "IfNotPresent", "image pull policy", []string{"IfNotPresent", "Always", "Never"}, func(s *Settings) *string { return &s.ImagePullPolicy }),
	integer("K8s_CONTAINER_PORT", "kubernetes.container_port", "containerPort", "8000", "port the app's server listens on in the container", 1, 65535, func(s *Settings) *int { return &s.ContainerPort }),
	integer("K8s_NODE_PORT", "kubernetes.node_port", "nodePort", "30001", "external NodePort (NodePort services)", 30000, 32767, func(s *Settings) *int { return &s.NodePort }),
	oneOf("K8s_SERVICE_TYPE", "kubernetes.service_type", "serviceType", "", "service type (default NodePort on kubernetes, LoadBalancer on aws and gcp)", []string{"", "NodePort", "LoadBalancer", "ClusterIP"}, func(s *Settings) *string { return &s.ServiceType }),
	integer("K8s_REPLICAS", "kubernetes.replicas", "replicas", "1", "initial replicas of the app", 1, 1000, func(s *Settings) *int { return &s.Replicas }),
	integer("K8s_MIN_REPLICAS", "kubernetes.min_replicas", "minReplicas", "1", "HorizontalPodAutoscaler minimum", 1, 1000, func(s *Settings) *int { return &s.MinReplicas }),
	integer("K8s_MAX_REPLICAS", "kubernetes.max_replicas", "maxReplicas", "3", "HorizontalPodAutoscaler maximum", 1, 1000, func(s *Settings) *int { return &s.MaxReplicas }),
	integer("K8s_TARGET_CPU_UTILIZATION", "kubernetes.target_cpu_utilization", "targetCpuUtilization", "70", "HorizontalPodAutoscaler target average CPU utilization, % of the CPU request", 1, 1000, func(s *Settings) *int { return &s.TargetCPU }),
	integer("K8s_PDB_MAX_UNAVAILABLE", "kubernetes.pdb_max_unavailable", "pdbMaxUnavailable", "1", "PodDisruptionBudget maxUnavailable", 0, 1000, func(s *Settings) *int { return &s.PDBMaxUnavail }),
	qty("K8s_CPU_REQUEST", "kubernetes.cpu_request", "cpuRequest", "CPU resource request (none by default; the autoscaler needs one)", func(s *Settings) *string { return &s.CPURequest }),
	qty("K8s_CPU_LIMIT", "kubernetes.cpu_limit", "cpuLimit", "CPU resource limit", func(s *Settings) *string { return &s.CPULimit }),
	qty("K8s_MEMORY_REQUEST", "kubernetes.memory_request", "memoryRequest", "memory resource request", func(s *Settings) *string { return &s.MemoryRequest }),
	qty("K8s_MEMORY_LIMIT", "kubernetes.memory_limit", "memoryLimit", "memory resource limit", func(s *Settings) *string { return &s.MemoryLimit }),
	integer("K8s_READINESS_INITIAL_DELAY", "kubernetes.readiness_initial_delay", "readinessInitialDelay", "10", "readiness probe (`/healthz/ready`) initial delay, seconds", 0, 3600, func(s *Settings) *int { return &s.ReadinessInitialDelay }),
	integer("K8s_READINESS_PERIOD", "kubernetes.readiness_period", "readinessPeriod", "20", "readiness probe period, seconds", 1, 3600, func(s *Settings) *int { return &s.ReadinessPeriod }),
	integer("K8s_LIVENESS_INITIAL_DELAY", "kubernetes.liveness_initial_delay", "livenessInitialDelay", "10", "liveness probe (`/healthz/live`) initial delay, seconds", 0, 3600, func(s *Settings) *int { return &s.LivenessInitialDelay }),
	integer("K8s_LIVENESS_PERIOD", "kubernetes.liveness_period", "livenessPeriod", "20", "liveness probe period, seconds", 1, 3600, func(s *Settings) *int { return &s.LivenessPeriod }),
	integer("K8s_LIVENESS_FAILURE_THRESHOLD", "kubernetes.liveness_failure_threshold", "livenessFailureThreshold", "80", "liveness failures before a restart", 1, 10000, func(s *Settings) *int { return &s.LivenessFailureTh }),
	boolean("K8s_MONGODB", "kubernetes.mongodb", "mongodb", "false", "deploy MongoDB (StatefulSet) and set the app's `MONGODB_URI`", func(s *Settings) *bool { return &s.MongoDB }),
	boolean("K8s_REDIS", "kubernetes.redis", "redis", "false", "deploy Redis (StatefulSet) and set the app's `REDIS_URL`", func(s *Settings) *bool { return &s.Redis }),
	str("K8s_MONGODB_IMAGE", "kubernetes.mongodb_image", "mongodbImage", "mongo:7.0", "MongoDB image", func(s *Settings) *string { return &s.MongoImage }),
	str("K8s_REDIS_IMAGE", "kubernetes.redis_image", "redisImage", "redis:7.2-alpine", "Redis image", func(s *Settings) *string { return &s.RedisImage }),
	qty("K8s_MONGODB_STORAGE", "kubernetes.mongodb_storage", "mongodbStorage", "MongoDB volume claim size", func(s *Settings) *string { return &s.MongoStorage }),
	qty("K8s_REDIS_STORAGE", "kubernetes.redis_storage", "redisStorage", "Redis volume claim size", func(s *Settings) *string { return &s.RedisStorage }),
	str("K8s_STORAGE_CLASS", "kubernetes.storage_class", "storageClass", "", "storage class of the volume claims (default: the cluster's default)", func(s *Settings) *string { return &s.StorageClass }),
	boolean("JAC_MONITORING", "monitoring.enabled", "monitoring", "false", "deploy Prometheus (scraping the app's metrics) and Grafana with the app's dashboard", func(s *Settings) *bool { return &s.Monitoring }),
	str("JAC_METRICS_PATH", "monitoring.metrics_path", "metricsPath", "/metrics", "path Prometheus scrapes on the app", func(s *Settings) *string { return &s.MetricsPath }),
	str("JAC_METRICS_PREFIX", "monitoring.namespace", "metricsPrefix", "jac", "prefix of the app's metric names (the server's [plugins.scale.monitoring] namespace)", func(s *Settings) *string { return &s.MetricsPrefix }),
	integer("K8s_PROMETHEUS_NODE_PORT", "monitoring.prometheus_node_port", "prometheusNodePort", "30090", "Prometheus NodePort", 30000, 32767, func(s *Settings) *int { return &s.PrometheusNodePort }),
	integer("K8s_GRAFANA_NODE_PORT", "monitoring.grafana_node_port", "grafanaNodePort", "30300", "Grafana NodePort", 30000, 32767, func(s *Settings) *int { return &s.GrafanaNodePort }),
	str("GRAFANA_ADMIN_PASSWORD", "monitoring.grafana_admin_password", "grafanaAdminPassword", "", "Grafana admin password (`${ENV_VAR}` allowed; default: generated, kept in the stack's encrypted config)", func(s *Settings) *string { return &s.GrafanaAdminPassword }),
	str("K8s_PROMETHEUS_IMAGE", "monitoring.prometheus_image", "prometheusImage", "prom/prometheus:v3.5.0", "Prometheus image", func(s *Settings) *string { return &s.PrometheusImage }),
	str("K8s_GRAFANA_IMAGE", "monitoring.grafana_image", "grafanaImage", "grafana/grafana:12.1.1", "Grafana image", func(s *Settings) *string { return &s.GrafanaImage }),
	str("K8s_CONTEXT", "kubernetes.context", "kubeContext", "", "kubernetes target: kubeconfig context (default: the current one; the file is `KUBECONFIG` or ~/.kube/config)", func(s *Settings) *string { return &s.KubeContext }),
	str("JAC_CLUSTER", "kubernetes.cluster", "cluster", "", "aws / gcp targets: EKS or GKE cluster name", func(s *Settings) *string { return &s.Cluster }),
	str("JAC_CLUSTER_REGION", "kubernetes.region", "region", "", "aws: region (default: the AWS default chain's); gcp: the cluster's location (default `GOOGLE_CLOUD_REGION`, then us-central1)", func(s *Settings) *string { return &s.Region }),
	str("JAC_GCP_PROJECT", "kubernetes.project", "project", "", "gcp: project (default `GOOGLE_CLOUD_PROJECT`, then the credentials' project)", func(s *Settings) *string { return &s.Project }),
}

func init() {
	// Storage sizes have defaults that qty() does not take.
	for i := range Specs {
		switch Specs[i].Env {
		case "K8s_MONGODB_STORAGE", "K8s_REDIS_STORAGE":
			Specs[i].Default = "1Gi"
		}
	}
}

// Lookup returns the spec of an environment variable name.
func Lookup(env string) (Spec, bool) {
	for _, s := range Specs {
		if s.Env == env {
			return s, true
		}
	}
	return Spec{}, false
}

// Defaults returns the settings with every default.
func Defaults() Settings {
	var s Settings
	for _, sp := range Specs {
		if err := sp.set(&s, sp.Default); err != nil {
			panic("settings: default of " + sp.Env + ": " + err.Error())
		}
	}
	return s
}

// Load returns the settings for the app file: defaults, then the nearest jac.toml's
// [plugins.scale.*], then the environment (getenv; nil means os.Getenv). appFile may
// be "" (no jac.toml).
func Load(appFile string, getenv func(string) string) (Settings, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	s := Defaults()
	tomlPath := ""
	if appFile != "" {
		abs, err := filepath.Abs(appFile)
		if err != nil {
			return s, err
		}
		if p := project.FindTOML(filepath.Dir(abs)); p != "" {
			if err := s.applyTOMLFile(p); err != nil {
				return s, err
			}
			tomlPath = p
		}
	}
	s.Storage = loadStorage(tomlPath, getenv)
	for _, sp := range Specs {
		if v, ok := lookupEnv(getenv, sp.Env); ok {
			if err := sp.Set(&s, v); err != nil {
				return s, fmt.Errorf("%w: %w", ErrConfig, err)
			}
		}
	}
	return s, s.Validate()
}

func lookupEnv(getenv func(string) string, k string) (string, bool) {
	v := getenv(k)
	return v, v != ""
}

func (s *Settings) applyTOMLFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := s.ApplyTOML(data); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// ApplyTOML applies a jac.toml's [plugins.scale.*] settings and secrets.
func (s *Settings) ApplyTOML(data []byte) error {
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("%w: %w", ErrConfig, err)
	}
	scale, _ := dig(doc, "plugins", "scale").(map[string]any)
	if scale == nil {
		return nil
	}
	for _, sp := range Specs {
		section, key, _ := strings.Cut(sp.TOML, ".")
		v := dig(scale, section, key)
		if v == nil {
			continue
		}
		if err := sp.Set(s, tomlText(v)); err != nil {
			return fmt.Errorf("%w: [plugins.scale.%s] %s: %w", ErrConfig, section, key, err)
		}
	}
	if sec, ok := scale["secrets"].(map[string]any); ok {
		s.Secrets = map[string]string{}
		for k, v := range sec {
			s.Secrets[k] = tomlText(v)
		}
	}
	return nil
}

func dig(m map[string]any, path ...string) any {
	var cur any = m
	for _, p := range path {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[p]
	}
	return cur
}

func tomlText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	default:
		return fmt.Sprint(x)
	}
}

// Validate checks the settings as a whole.
func (s *Settings) Validate() error {
	var errs []error
	if s.MinReplicas > s.MaxReplicas {
		errs = append(errs, fmt.Errorf("K8s_MIN_REPLICAS (%d) is greater than K8s_MAX_REPLICAS (%d)", s.MinReplicas, s.MaxReplicas))
	}
	if s.Monitoring {
		ports := map[int]string{}
		for _, p := range []struct {
			n    int
			name string
		}{{s.NodePort, "K8s_NODE_PORT"}, {s.PrometheusNodePort, "K8s_PROMETHEUS_NODE_PORT"}, {s.GrafanaNodePort, "K8s_GRAFANA_NODE_PORT"}} {
			if other, dup := ports[p.n]; dup {
				errs = append(errs, fmt.Errorf("%s and %s are both %d", other, p.name, p.n))
			}
			ports[p.n] = p.name
		}
	}
	if !strings.HasPrefix(s.MetricsPath, "/") {
		errs = append(errs, fmt.Errorf("JAC_METRICS_PATH %q must start with /", s.MetricsPath))
	}
	keys := make([]string, 0, len(s.Secrets))
	for k := range s.Secrets {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !envName.MatchString(k) || !secretKey.MatchString(k) {
			errs = append(errs, fmt.Errorf("[plugins.scale.secrets] %q is not an environment variable name", k))
		}
	}
	if (s.Target == "aws" || s.Target == "gcp") && s.Cluster == "" {
		errs = append(errs, fmt.Errorf("JAC_CLUSTER: the %s target needs the cluster's name", s.Target))
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %w", ErrConfig, errors.Join(errs...))
	}
	return nil
}

// EffectiveServiceType is the service type: the setting, else NodePort on
// kubernetes and LoadBalancer on the clouds.
func (s *Settings) EffectiveServiceType() string {
	if s.ServiceType != "" {
		return s.ServiceType
	}
	if s.Target == "aws" || s.Target == "gcp" {
		return "LoadBalancer"
	}
	return "NodePort"
}

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// ResolveSecrets returns [plugins.scale.secrets] with every ${ENV_VAR} replaced by
// the variable's value. A referenced variable that is unset is an error (a deploy
// with an empty secret is worse than none).
func (s *Settings) ResolveSecrets(getenv func(string) string) (map[string]string, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	out := make(map[string]string, len(s.Secrets))
	var missing []string
	for k, v := range s.Secrets {
		out[k] = envRef.ReplaceAllStringFunc(v, func(m string) string {
			name := envRef.FindStringSubmatch(m)[1]
			val := getenv(name)
			if val == "" {
				missing = append(missing, name)
			}
			return val
		})
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("%w: [plugins.scale.secrets] refers to unset environment variables: %s", ErrConfig, strings.Join(missing, ", "))
	}
	return out, nil
}

// ResolveValue resolves ${ENV_VAR} references in one value (Grafana's password).
func ResolveValue(v string, getenv func(string) string) (string, error) {
	s := Settings{Secrets: map[string]string{"V": v}}
	m, err := s.ResolveSecrets(getenv)
	if err != nil {
		return "", err
	}
	return m["V"], nil
}
