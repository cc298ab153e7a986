package infra

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/jacscale/jac/infra/settings"
)

// objects renders s and indexes the objects by "Kind/name".
func objects(t *testing.T, s settings.Settings) map[string]map[string]any {
	t.Helper()
	objs, err := Render(Options{Settings: s}, "test")
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	m := map[string]map[string]any{}
	for _, o := range objs {
		name, _ := o.Meta()
		key := o.Kind() + "/" + name
		if _, dup := m[key]; dup {
			t.Fatalf("two objects %s", key)
		}
		m[key] = o.Body
	}
	return m
}

// dig follows a path of map keys and slice indexes.
func dig(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("at %v: not a map: %v", p, v)
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				t.Fatalf("at %v: not a list of %d: %v", p, k+1, v)
			}
			v = a[k]
		}
	}
	return v
}

func eq(t *testing.T, what string, got, want any) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func base() settings.Settings {
	s := settings.Defaults()
	s.Image = "registry.example/app@sha256:" + strings.Repeat("ab", 32)
	return s
}

func env(t *testing.T, obj map[string]any) map[string]any {
	t.Helper()
	out := map[string]any{}
	for _, e := range dig(t, obj, "spec", "template", "spec", "containers", 0, "env").([]any) {
		m := e.(map[string]any)
		if v, ok := m["value"]; ok {
			out[m["name"].(string)] = v
		} else {
			out[m["name"].(string)] = m["valueFrom"]
		}
	}
	return out
}

func TestAppDefaults(t *testing.T) {
	m := objects(t, base())
	var kinds []string
	for k := range m {
		kinds = append(kinds, k)
	}
	want := []string{"Deployment/jaseci", "HorizontalPodAutoscaler/jaseci", "PodDisruptionBudget/jaseci", "Secret/jaseci-secrets", "Service/jaseci"}
	if len(m) != len(want) {
		t.Fatalf("objects %v, want %v", kinds, want)
	}
	d := m["Deployment/jaseci"]
	if d == nil {
		t.Fatalf("no Deployment: %v", kinds)
	}
	eq(t, "apiVersion", d["apiVersion"], "apps/v1")
	eq(t, "namespace", dig(t, d, "metadata", "namespace"), "default")
	labels := dig(t, d, "metadata", "labels").(map[string]any)
	for k, v := range map[string]string{LabelName: "jaseci", LabelInstance: "jaseci", LabelComponent: "server", LabelPartOf: "jaseci", LabelManagedBy: "jac-scale"} {
		eq(t, "label "+k, labels[k], v)
	}
	sel := dig(t, d, "spec", "selector", "matchLabels").(map[string]any)
	tmpl := dig(t, d, "spec", "template", "metadata", "labels").(map[string]any)
	for k, v := range sel {
		eq(t, "template label "+k, tmpl[k], v)
	}
	c := dig(t, d, "spec", "template", "spec", "containers", 0)
	eq(t, "image", dig(t, c, "image"), base().Image)
	eq(t, "port", dig(t, c, "ports", 0, "containerPort"), 8000)
	eq(t, "readiness path", dig(t, c, "readinessProbe", "httpGet", "path"), "/healthz/ready")
	eq(t, "readiness delay", dig(t, c, "readinessProbe", "initialDelaySeconds"), 10)
	eq(t, "readiness period", dig(t, c, "readinessProbe", "periodSeconds"), 20)
	eq(t, "liveness path", dig(t, c, "livenessProbe", "httpGet", "path"), "/healthz/live")
	eq(t, "liveness delay", dig(t, c, "livenessProbe", "initialDelaySeconds"), 10)
	eq(t, "liveness period", dig(t, c, "livenessProbe", "periodSeconds"), 20)
	eq(t, "liveness threshold", dig(t, c, "livenessProbe", "failureThreshold"), 80)
	eq(t, "resources", dig(t, c, "resources"), map[string]any{})
	e := env(t, d)
	eq(t, "JAC_DATA_DIR", e["JAC_DATA_DIR"], "/data")
	eq(t, "JWT_SECRET from", dig(t, e["JWT_SECRET"], "secretKeyRef", "name"), "jaseci-secrets")
	if _, ok := e["MONGODB_URI"]; ok {
		t.Error("MONGODB_URI without K8s_MONGODB")
	}
	svc := m["Service/jaseci"]
	eq(t, "service type", dig(t, svc, "spec", "type"), "NodePort")
	eq(t, "nodePort", dig(t, svc, "spec", "ports", 0, "nodePort"), 30001)
	eq(t, "service selector", dig(t, svc, "spec", "selector"), sel)
	hpa := m["HorizontalPodAutoscaler/jaseci"]
	eq(t, "hpa apiVersion", hpa["apiVersion"], "autoscaling/v2")
	eq(t, "hpa target", dig(t, hpa, "spec", "scaleTargetRef", "name"), "jaseci")
	eq(t, "hpa min", dig(t, hpa, "spec", "minReplicas"), 1)
	eq(t, "hpa max", dig(t, hpa, "spec", "maxReplicas"), 3)
	eq(t, "hpa cpu", dig(t, hpa, "spec", "metrics", 0, "resource", "target", "averageUtilization"), 70)
	pdb := m["PodDisruptionBudget/jaseci"]
	eq(t, "pdb apiVersion", pdb["apiVersion"], "policy/v1")
	eq(t, "pdb maxUnavailable", dig(t, pdb, "spec", "maxUnavailable"), 1)
	eq(t, "pdb selector", dig(t, pdb, "spec", "selector", "matchLabels"), sel)
	sec := m["Secret/jaseci-secrets"]
	eq(t, "secret data", dig(t, sec, "stringData"), map[string]any{"JWT_SECRET": Placeholder})
}

func TestDatabasesWired(t *testing.T) {
	s := base()
	s.MongoDB, s.Redis, s.Namespace = true, true, "prod"
	s.StorageClass = "fast"
	m := objects(t, s)
	if m["Namespace/prod"] == nil {
		t.Fatal("no Namespace for a non-default namespace")
	}
	e := env(t, m["Deployment/jaseci"])
	eq(t, "MONGODB_URI", e["MONGODB_URI"], "mongodb://jaseci-mongodb-0.jaseci-mongodb.prod.svc.cluster.local:27017/")
	eq(t, "REDIS_URL", e["REDIS_URL"], "redis://jaseci-redis-0.jaseci-redis.prod.svc.cluster.local:6379/0")
	for _, db := range []struct {
		name  string
		port  int
		mount string
	}{{"jaseci-mongodb", 27017, "/data/db"}, {"jaseci-redis", 6379, "/data"}} {
		svc, ss := m["Service/"+db.name], m["StatefulSet/"+db.name]
		if svc == nil || ss == nil {
			t.Fatalf("%s: service %v statefulset %v", db.name, svc != nil, ss != nil)
		}
		eq(t, db.name+" headless", dig(t, svc, "spec", "clusterIP"), "None")
		eq(t, db.name+" port", dig(t, svc, "spec", "ports", 0, "port"), db.port)
		eq(t, db.name+" serviceName", dig(t, ss, "spec", "serviceName"), db.name)
		eq(t, db.name+" selector", dig(t, ss, "spec", "selector", "matchLabels"), dig(t, svc, "spec", "selector"))
		eq(t, db.name+" claim", dig(t, ss, "spec", "volumeClaimTemplates", 0, "spec", "resources", "requests", "storage"), "1Gi")
		eq(t, db.name+" class", dig(t, ss, "spec", "volumeClaimTemplates", 0, "spec", "storageClassName"), "fast")
		eq(t, db.name+" mount", dig(t, ss, "spec", "template", "spec", "containers", 0, "volumeMounts", 0, "mountPath"), db.mount)
		eq(t, db.name+" part-of", dig(t, ss, "metadata", "labels", LabelPartOf), "jaseci")
		// The claim the controller would make for pod 0 is the stack's own, the same.
		pvc := m["PersistentVolumeClaim/data-"+db.name+"-0"]
		if pvc == nil {
			t.Fatalf("%s: no PersistentVolumeClaim data-%s-0", db.name, db.name)
		}
		eq(t, db.name+" claim namespace", dig(t, pvc, "metadata", "namespace"), "prod")
		eq(t, db.name+" claim spec", dig(t, pvc, "spec"), dig(t, ss, "spec", "volumeClaimTemplates", 0, "spec"))
	}
}

// TestDataRetainedUnlessDeleteData: the databases' claims and the namespace holding
// them are RetainOnDelete (jac destroy keeps them), unless DeleteData; without
// databases the namespace is not retained.
func TestDataRetainedUnlessDeleteData(t *testing.T) {
	retained := func(s settings.Settings, deleteData bool) map[string]bool {
		rec := &Recorder{}
		withJWT := func(info *pulumi.RunInfo) { info.Config = map[string]string{"jac-scale:jwtSecret": "x"} }
		if err := pulumi.RunErr(Program(Options{Settings: s, DeleteData: deleteData}), pulumi.WithMocks(Project, "t", rec), withJWT); err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, r := range rec.Resources {
			if strings.HasPrefix(r.TypeToken, "kubernetes:") && r.RegisterRPC.GetRetainOnDelete() {
				out[r.TypeToken+" "+r.Name] = true
			}
		}
		return out
	}
	s := base()
	s.MongoDB, s.Redis, s.Namespace = true, true, "prod"
	want := map[string]bool{
		"kubernetes:core/v1:Namespace namespace":                 true,
		"kubernetes:core/v1:PersistentVolumeClaim mongodb-claim": true,
		"kubernetes:core/v1:PersistentVolumeClaim redis-claim":   true,
	}
	eq(t, "retained", retained(s, false), want)
	eq(t, "retained with DeleteData", retained(s, true), map[string]bool{})
	s.MongoDB, s.Redis = false, false
	eq(t, "retained without databases", retained(s, false), map[string]bool{})
}

func TestSecretsAndMonitoring(t *testing.T) {
	s := base()
	s.Secrets = map[string]string{"OPENAI_API_KEY": "${OPENAI_API_KEY}", "MODE": "prod-${STAGE}"}
	s.Monitoring = true
	s.GrafanaAdminPassword = "${GRAFANA_PW}"
	rec := &Recorder{}
	getenv := func(k string) string {
		return map[string]string{"OPENAI_API_KEY": "sk-test", "STAGE": "eu", "GRAFANA_PW": "pw"}[k]
	}
	withJWT := func(info *pulumi.RunInfo) { info.Config = map[string]string{"jac-scale:jwtSecret": "jwt-from-config"} }
	err := pulumi.RunErr(Program(Options{Settings: s, Getenv: getenv}), pulumi.WithMocks(Project, "t", rec), withJWT)
	if err != nil {
		t.Fatal(err)
	}
	var secret, grafana map[string]any
	for _, r := range rec.Resources {
		if r.TypeToken != "kubernetes:core/v1:Secret" {
			continue
		}
		// The values reach the provider as Pulumi secrets (encrypted in the state).
		sd := r.Inputs["stringData"]
		if !sd.ContainsSecrets() {
			t.Errorf("%s: stringData is not a Pulumi secret", r.Name)
		}
		raw := map[string]any{}
		for k, v := range sd.SecretValue().Element.ObjectValue() {
			raw[string(k)] = v.StringValue()
		}
		if strings.Contains(r.Name, "grafana") {
			grafana = raw
		} else {
			secret = raw
		}
	}
	eq(t, "app secret", secret, map[string]any{"JWT_SECRET": "jwt-from-config", "OPENAI_API_KEY": "sk-test", "MODE": "prod-eu"})
	eq(t, "grafana secret", grafana, map[string]any{"admin-password": "pw"})

	m := objects(t, s)
	e := env(t, m["Deployment/jaseci"])
	for _, k := range []string{"JWT_SECRET", "OPENAI_API_KEY", "MODE"} {
		eq(t, k+" from", dig(t, e[k], "secretKeyRef"), map[string]any{"name": "jaseci-secrets", "key": k})
	}
	ann := dig(t, m["Deployment/jaseci"], "spec", "template", "metadata", "annotations").(map[string]any)
	eq(t, "scrape", ann["prometheus.io/scrape"], "true")
	eq(t, "scrape path", ann["prometheus.io/path"], "/metrics")
	for _, k := range []string{"ServiceAccount/jaseci-prometheus", "Role/jaseci-prometheus", "RoleBinding/jaseci-prometheus",
		"ConfigMap/jaseci-prometheus", "Deployment/jaseci-prometheus", "Service/jaseci-prometheus",
		"Secret/jaseci-grafana", "ConfigMap/jaseci-grafana", "Deployment/jaseci-grafana", "Service/jaseci-grafana"} {
		if m[k] == nil {
			t.Errorf("no %s", k)
		}
	}
	eq(t, "prometheus nodePort", dig(t, m["Service/jaseci-prometheus"], "spec", "ports", 0, "nodePort"), 30090)
	eq(t, "grafana nodePort", dig(t, m["Service/jaseci-grafana"], "spec", "ports", 0, "nodePort"), 30300)
	cfg := dig(t, m["ConfigMap/jaseci-prometheus"], "data", "prometheus.yml").(string)
	for _, want := range []string{"metrics_path: /metrics", "names: [default]", "regex: jaseci;server", "replacement: ${1}:8000"} {
		if !strings.Contains(cfg, want) {
			t.Errorf("prometheus.yml lacks %q:\n%s", want, cfg)
		}
	}
	var dash map[string]any
	if err := json.Unmarshal([]byte(dig(t, m["ConfigMap/jaseci-grafana"], "data", "jac-app.json").(string)), &dash); err != nil {
		t.Fatal(err)
	}
	var exprs []string
	for _, p := range dash["panels"].([]any) {
		for _, tg := range p.(map[string]any)["targets"].([]any) {
			exprs = append(exprs, tg.(map[string]any)["expr"].(string))
		}
	}
	all := strings.Join(exprs, "\n")
	for _, want := range []string{"jac_http_requests_total", "jac_http_request_duration_seconds_bucket", `status=~"5.."`, "jac_walker_duration_seconds_bucket"} {
		if !strings.Contains(all, want) {
			t.Errorf("dashboard lacks %s", want)
		}
	}
	eq(t, "grafana password from", dig(t, m["Deployment/jaseci-grafana"], "spec", "template", "spec", "containers", 0, "env", 1, "valueFrom", "secretKeyRef", "name"), "jaseci-grafana")
}

func TestMissingSecretEnvIsConfigError(t *testing.T) {
	s := base()
	s.Secrets = map[string]string{"K": "${NOT_SET_ANYWHERE}"}
	withJWT := func(info *pulumi.RunInfo) { info.Config = map[string]string{"jac-scale:jwtSecret": "x"} }
	err := pulumi.RunErr(Program(Options{Settings: s, Getenv: func(string) string { return "" }}), pulumi.WithMocks(Project, "t", &Recorder{}), withJWT)
	if !IsConfigError(err) || !strings.Contains(err.Error(), "NOT_SET_ANYWHERE") {
		t.Fatalf("err = %v", err)
	}
	// Without a JWT secret in the stack config (and not a dry run): a config error.
	err = pulumi.RunErr(Program(Options{Settings: base()}), pulumi.WithMocks(Project, "t", &Recorder{}))
	if !IsConfigError(err) || !strings.Contains(err.Error(), ConfigJWTSecret) {
		t.Fatalf("no jwtSecret: err = %v", err)
	}
	// No image.
	s = settings.Defaults()
	_, err = Render(Options{Settings: s}, "t")
	if !IsConfigError(err) || !strings.Contains(err.Error(), "no image") {
		t.Fatalf("no image: err = %v", err)
	}
}

// TestPulumiConfigOverrides: the stack config keys (the root Pulumi.yaml's way of
// configuring) override the settings.
func TestPulumiConfigOverrides(t *testing.T) {
	rec := &Recorder{}
	cfg := func(info *pulumi.RunInfo) {
		info.Config = map[string]string{"jac-scale:jwtSecret": "x", "jac-scale:nodePort": "30555", "jac-scale:appName": "todo",
			"jac-scale:redis": "true", "jac-scale:cpuRequest": "250m"}
	}
	if err := pulumi.RunErr(Program(Options{Settings: base()}), pulumi.WithMocks(Project, "t", rec), cfg); err != nil {
		t.Fatal(err)
	}
	m := map[string]map[string]any{}
	for _, o := range rec.Objects() {
		n, _ := o.Meta()
		m[o.Kind()+"/"+n] = o.Body
	}
	eq(t, "nodePort", dig(t, m["Service/todo"], "spec", "ports", 0, "nodePort"), 30555)
	eq(t, "cpu", dig(t, m["Deployment/todo"], "spec", "template", "spec", "containers", 0, "resources", "requests", "cpu"), "250m")
	if m["StatefulSet/todo-redis"] == nil {
		t.Error("jac-scale:redis did not add Redis")
	}
	bad := func(info *pulumi.RunInfo) {
		info.Config = map[string]string{"jac-scale:jwtSecret": "x", "jac-scale:nodePort": "99999"}
	}
	err := pulumi.RunErr(Program(Options{Settings: base()}), pulumi.WithMocks(Project, "t", &Recorder{}), bad)
	if !IsConfigError(err) {
		t.Fatalf("nodePort 99999: %v", err)
	}
}

// TestEverySetting: each environment variable, set to a non-default value, changes
// the rendered objects where it should (or, for cluster selection, only the provider).
func TestEverySetting(t *testing.T) {
	values := map[string]string{
		"JAC_TARGET": "aws", "APP_NAME": "todo", "K8s_NAMESPACE": "team-a", "JAC_IMAGE": "r.example/x:1",
		"K8s_IMAGE_PULL_POLICY": "Always", "K8s_CONTAINER_PORT": "9000", "K8s_NODE_PORT": "30002",
		"K8s_SERVICE_TYPE": "ClusterIP", "K8s_REPLICAS": "2", "K8s_MIN_REPLICAS": "2", "K8s_MAX_REPLICAS": "7",
		"K8s_TARGET_CPU_UTILIZATION": "55", "K8s_PDB_MAX_UNAVAILABLE": "0",
		"K8s_CPU_REQUEST": "250m", "K8s_CPU_LIMIT": "1", "K8s_MEMORY_REQUEST": "256Mi", "K8s_MEMORY_LIMIT": "1Gi",
		"K8s_READINESS_INITIAL_DELAY": "3", "K8s_READINESS_PERIOD": "4", "K8s_LIVENESS_INITIAL_DELAY": "5",
		"K8s_LIVENESS_PERIOD": "6", "K8s_LIVENESS_FAILURE_THRESHOLD": "7",
		"K8s_MONGODB": "true", "K8s_REDIS": "true", "K8s_MONGODB_IMAGE": "mongo:8", "K8s_REDIS_IMAGE": "redis:8",
		"K8s_MONGODB_STORAGE": "5Gi", "K8s_REDIS_STORAGE": "2Gi", "K8s_STORAGE_CLASS": "ssd",
		"JAC_MONITORING": "true", "JAC_METRICS_PATH": "/m", "JAC_METRICS_PREFIX": "app",
		"K8s_PROMETHEUS_NODE_PORT": "30091", "K8s_GRAFANA_NODE_PORT": "30301", "GRAFANA_ADMIN_PASSWORD": "pw",
		"K8s_PROMETHEUS_IMAGE": "prom/prometheus:v9", "K8s_GRAFANA_IMAGE": "grafana/grafana:99",
		"K8s_CONTEXT": "kind-x", "JAC_CLUSTER": "c1", "JAC_CLUSTER_REGION": "eu-west-1", "JAC_GCP_PROJECT": "p1",
	}
	providerOnly := map[string]bool{"K8s_CONTEXT": true, "JAC_CLUSTER": true, "JAC_CLUSTER_REGION": true, "JAC_GCP_PROJECT": true}
	for _, sp := range settings.Specs {
		if _, ok := values[sp.Env]; !ok {
			t.Errorf("no test value for %s", sp.Env)
		}
	}
	// Monitoring, databases on in the base, so their settings show.
	baseEnv := map[string]string{"JAC_IMAGE": base().Image, "K8s_MONGODB": "true", "K8s_REDIS": "true", "JAC_MONITORING": "true", "JAC_CLUSTER": "c0"}
	render := func(extra map[string]string) string {
		getenv := func(k string) string {
			if v, ok := extra[k]; ok {
				return v
			}
			return baseEnv[k]
		}
		s, err := settings.Load("", getenv)
		if err != nil {
			t.Fatalf("%v: %v", extra, err)
		}
		objs, err := Render(Options{Settings: s, Getenv: getenv}, "t")
		if err != nil {
			t.Fatalf("%v: %v", extra, err)
		}
		b, _ := YAML(objs)
		return string(b)
	}
	plain := render(nil)
	for _, sp := range settings.Specs {
		v := values[sp.Env]
		switch sp.Env {
		case "K8s_MONGODB", "K8s_REDIS", "JAC_MONITORING":
			// On in the base: turning it off must remove objects.
			if off := render(map[string]string{sp.Env: "false"}); len(off) >= len(plain) {
				t.Errorf("%s=false removed nothing", sp.Env)
			}
			continue
		case "GRAFANA_ADMIN_PASSWORD":
			continue // a secret: redacted in renders; TestSecretsAndMonitoring checks it
		}
		got := render(map[string]string{sp.Env: v})
		if providerOnly[sp.Env] {
			if got != plain {
				t.Errorf("%s changed the objects", sp.Env)
			}
			continue
		}
		if got == plain {
			t.Errorf("%s=%s changed nothing", sp.Env, v)
			continue
		}
		// The value shows up in the objects (for the ones that are written verbatim).
		switch sp.Env {
		case "JAC_TARGET", "K8s_MONGODB", "K8s_REDIS", "JAC_MONITORING", "GRAFANA_ADMIN_PASSWORD", "K8s_SERVICE_TYPE":
		default:
			if !strings.Contains(got, v) {
				t.Errorf("%s=%s: value not in the objects", sp.Env, v)
			}
		}
	}
	// The target picks the service type.
	if !strings.Contains(render(map[string]string{"JAC_TARGET": "gcp"}), "type: LoadBalancer") {
		t.Error("gcp target: no LoadBalancer service")
	}
}

func TestLabelsHelper(t *testing.T) {
	l := Labels("a", "b", "c", "d")
	if !reflect.DeepEqual(selector(l), map[string]string{LabelName: "a", LabelInstance: "b", LabelComponent: "c"}) {
		t.Fatal(selector(l))
	}
}
