package infra

import (
	"encoding/json"
	"fmt"
	"strings"

	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	rbacv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/rbac/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// MonitoringArgs configure Prometheus (scraping the app's pods) and Grafana (with
// the app's dashboard).
type MonitoringArgs struct {
	App           string // the app to scrape (its app.kubernetes.io/name)
	Namespace     string
	AppPort       int
	MetricsPath   string
	MetricsPrefix string // prefix of the app's metric names (default "jac")

	PrometheusImage    string
	PrometheusNodePort int
	GrafanaImage       string
	GrafanaNodePort    int
	// GrafanaAdminPassword is a Pulumi secret.
	GrafanaAdminPassword pulumi.StringInput
	// JaegerImage is the trace backend's image (DefaultJaegerImage if empty).
	JaegerImage string
}

// Monitoring is Prometheus and Grafana.
type Monitoring struct {
	pulumi.ResourceState

	Prometheus        *appsv1.Deployment
	PrometheusService *corev1.Service
	Grafana           *appsv1.Deployment
	GrafanaService    *corev1.Service
	Jaeger            *appsv1.Deployment // the trace backend (tracing.go)
	JaegerService     *corev1.Service
	Objects           []pulumi.Resource // every object, for DependsOn

	PrometheusURL, GrafanaURL pulumi.StringOutput
}

// PrometheusConfig is the scrape configuration: the app's pods in its namespace,
// found through the Kubernetes API, on their container port and metrics path.
func PrometheusConfig(app, ns, metricsPath string, port int) string {
	return fmt.Sprintf(`global:
  scrape_interval: 15s
  evaluation_interval: 15s
scrape_configs:
  - job_name: %[1]s
    metrics_path: %[3]s
    kubernetes_sd_configs:
      - role: pod
        namespaces:
          names: [%[2]s]
    relabel_configs:
      - source_labels: [__meta_kubernetes_pod_label_app_kubernetes_io_name, __meta_kubernetes_pod_label_app_kubernetes_io_component]
        regex: %[1]s;server
        action: keep
      - source_labels: [__meta_kubernetes_pod_ip]
        regex: (.+)
        replacement: ${1}:%[4]d
        target_label: __address__
      - source_labels: [__meta_kubernetes_pod_name]
        target_label: pod
`, app, ns, metricsPath, port)
}

// Dashboard is the Grafana dashboard of the app's metrics: request rate, latency,
// errors and walker time (the metric names of runtime/server's metrics).
func Dashboard(app, prefix string) string {
	if prefix == "" {
		prefix = "jac"
	}
	p := func(s string) string { return strings.ReplaceAll(s, "PFX", prefix) }
	panel := func(id int, title, unit string, x, y int, targets ...[2]string) map[string]any {
		ts := []map[string]any{}
		for i, t := range targets {
			ts = append(ts, map[string]any{"refId": string(rune('A' + i)), "expr": p(t[0]), "legendFormat": t[1],
				"datasource": map[string]any{"type": "prometheus", "uid": "prometheus"}})
		}
		return map[string]any{
			"id": id, "title": title, "type": "timeseries",
			"datasource":  map[string]any{"type": "prometheus", "uid": "prometheus"},
			"gridPos":     map[string]any{"h": 8, "w": 12, "x": x, "y": y},
			"fieldConfig": map[string]any{"defaults": map[string]any{"unit": unit}, "overrides": []any{}},
			"targets":     ts,
		}
	}
	d := map[string]any{
		"uid": "jac-" + app, "title": "Jac app: " + app, "schemaVersion": 39, "version": 1,
		"refresh": "30s", "time": map[string]any{"from": "now-1h", "to": "now"}, "tags": []string{"jac"},
		"panels": []any{
			panel(1, "Request rate", "reqps", 0, 0,
				[2]string{`sum by (route) (rate(PFX_http_requests_total[5m]))`, "{{route}}"}),
			panel(2, "Latency (p50, p95, p99)", "s", 12, 0,
				[2]string{`histogram_quantile(0.5, sum by (le) (rate(PFX_http_request_duration_seconds_bucket[5m])))`, "p50"},
				[2]string{`histogram_quantile(0.95, sum by (le) (rate(PFX_http_request_duration_seconds_bucket[5m])))`, "p95"},
				[2]string{`histogram_quantile(0.99, sum by (le) (rate(PFX_http_request_duration_seconds_bucket[5m])))`, "p99"}),
			panel(3, "Errors (4xx, 5xx per second)", "reqps", 0, 8,
				[2]string{`sum by (status) (rate(PFX_http_requests_total{status=~"5.."}[5m]))`, "{{status}}"},
				[2]string{`sum by (status) (rate(PFX_http_requests_total{status=~"4.."}[5m]))`, "{{status}}"}),
			panel(4, "Walker time (p95) and calls", "s", 12, 8,
				[2]string{`histogram_quantile(0.95, sum by (le, walker) (rate(PFX_walker_duration_seconds_bucket[5m])))`, "{{walker}} p95"},
				[2]string{`sum by (walker) (rate(PFX_walker_duration_seconds_sum[5m])) / sum by (walker) (rate(PFX_walker_duration_seconds_count[5m]))`, "{{walker}} mean"}),
		},
	}
	b, _ := json.Marshal(d)
	return string(b)
}

// NewMonitoring registers Prometheus and Grafana.
func NewMonitoring(ctx *pulumi.Context, name string, a *MonitoringArgs, opts ...pulumi.ResourceOption) (*Monitoring, error) {
	if a == nil || a.App == "" || a.Namespace == "" || a.GrafanaAdminPassword == nil {
		return nil, fmt.Errorf("infra.NewMonitoring: App, Namespace and GrafanaAdminPassword are required")
	}
	c := &Monitoring{}
	if err := ctx.RegisterComponentResource("jac:infra:Monitoring", name, c, opts...); err != nil {
		return nil, err
	}
	child := []pulumi.ResourceOption{pulumi.Parent(c)}
	add := func(r pulumi.Resource) { c.Objects = append(c.Objects, r) }
	ns := a.Namespace

	// Prometheus: a ServiceAccount allowed to list the namespace's pods.
	promName := a.App + "-prometheus"
	pl := Labels("prometheus", promName, "monitoring", a.App)
	sa, err := corev1.NewServiceAccount(ctx, name+"-prometheus-sa", &corev1.ServiceAccountArgs{Metadata: meta(promName, ns, pl)}, child...)
	if err != nil {
		return nil, err
	}
	add(sa)
	role, err := rbacv1.NewRole(ctx, name+"-prometheus-role", &rbacv1.RoleArgs{
		Metadata: meta(promName, ns, pl),
		Rules: rbacv1.PolicyRuleArray{rbacv1.PolicyRuleArgs{
			ApiGroups: pulumi.StringArray{pulumi.String("")},
			Resources: pulumi.StringArray{pulumi.String("pods"), pulumi.String("services"), pulumi.String("endpoints")},
			Verbs:     pulumi.StringArray{pulumi.String("get"), pulumi.String("list"), pulumi.String("watch")},
		}},
	}, child...)
	if err != nil {
		return nil, err
	}
	add(role)
	rb, err := rbacv1.NewRoleBinding(ctx, name+"-prometheus-rolebinding", &rbacv1.RoleBindingArgs{
		Metadata: meta(promName, ns, pl),
		RoleRef: &rbacv1.RoleRefArgs{
			ApiGroup: pulumi.String("rbac.authorization.k8s.io"), Kind: pulumi.String("Role"), Name: pulumi.String(promName),
		},
		Subjects: rbacv1.SubjectArray{rbacv1.SubjectArgs{
			Kind: pulumi.String("ServiceAccount"), Name: pulumi.String(promName), Namespace: pulumi.String(ns),
		}},
	}, append(child, pulumi.DependsOn([]pulumi.Resource{sa, role}))...)
	if err != nil {
		return nil, err
	}
	add(rb)
	pcm, err := corev1.NewConfigMap(ctx, name+"-prometheus-config", &corev1.ConfigMapArgs{
		Metadata: meta(promName, ns, pl),
		Data:     pulumi.StringMap{"prometheus.yml": pulumi.String(PrometheusConfig(a.App, ns, a.MetricsPath, a.AppPort))},
	}, child...)
	if err != nil {
		return nil, err
	}
	add(pcm)
	c.Prometheus, err = appsv1.NewDeployment(ctx, name+"-prometheus", &appsv1.DeploymentArgs{
		Metadata: meta(promName, ns, pl),
		Spec: &appsv1.DeploymentSpecArgs{
			Replicas: pulumi.Int(1),
			Selector: &metav1.LabelSelectorArgs{MatchLabels: pulumi.ToStringMap(selector(pl))},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: pulumi.ToStringMap(pl)},
				Spec: &corev1.PodSpecArgs{
					ServiceAccountName: pulumi.String(promName),
					Containers: corev1.ContainerArray{corev1.ContainerArgs{
						Name:  pulumi.String("prometheus"),
						Image: pulumi.String(a.PrometheusImage),
						Args: pulumi.StringArray{
							pulumi.String("--config.file=/etc/prometheus/prometheus.yml"),
							pulumi.String("--storage.tsdb.path=/prometheus"),
							pulumi.String("--storage.tsdb.retention.time=15d"),
						},
						Ports: corev1.ContainerPortArray{corev1.ContainerPortArgs{Name: pulumi.String("http"), ContainerPort: pulumi.Int(9090)}},
						ReadinessProbe: &corev1.ProbeArgs{
							HttpGet: &corev1.HTTPGetActionArgs{Path: pulumi.String("/-/ready"), Port: pulumi.String("http")},
						},
						VolumeMounts: corev1.VolumeMountArray{
							corev1.VolumeMountArgs{Name: pulumi.String("config"), MountPath: pulumi.String("/etc/prometheus")},
							corev1.VolumeMountArgs{Name: pulumi.String("data"), MountPath: pulumi.String("/prometheus")},
						},
					}},
					Volumes: corev1.VolumeArray{
						corev1.VolumeArgs{Name: pulumi.String("config"), ConfigMap: &corev1.ConfigMapVolumeSourceArgs{Name: pulumi.String(promName)}},
						corev1.VolumeArgs{Name: pulumi.String("data"), EmptyDir: &corev1.EmptyDirVolumeSourceArgs{}},
					},
				},
			},
		},
	}, append(child, pulumi.DependsOn([]pulumi.Resource{pcm, rb}))...)
	if err != nil {
		return nil, err
	}
	add(c.Prometheus)
	c.PrometheusService, err = nodePortService(ctx, name+"-prometheus-service", promName, ns, pl, 9090, a.PrometheusNodePort, child)
	if err != nil {
		return nil, err
	}
	add(c.PrometheusService)

	// Grafana: admin password Secret, provisioning (datasource, dashboard provider,
	// the dashboard) in ConfigMaps.
	grafName := a.App + "-grafana"
	gl := Labels("grafana", grafName, "monitoring", a.App)
	gsec, err := corev1.NewSecret(ctx, name+"-grafana-secret", &corev1.SecretArgs{
		Metadata:   meta(grafName, ns, gl),
		Type:       pulumi.String("Opaque"),
		StringData: pulumi.ToSecret(pulumi.StringMap{"admin-password": a.GrafanaAdminPassword}).(pulumi.StringMapOutput),
	}, child...)
	if err != nil {
		return nil, err
	}
	add(gsec)
	datasources := fmt.Sprintf(`apiVersion: 1
datasources:
  - name: Prometheus
    uid: prometheus
    type: prometheus
    access: proxy
    url: http://%s.%s.svc.cluster.local:9090
    isDefault: true
`, promName, ns)
	providers := `apiVersion: 1
providers:
  - name: jac
    folder: Jac
    type: file
    options:
      path: /var/lib/grafana/dashboards
`
	gcm, err := corev1.NewConfigMap(ctx, name+"-grafana-config", &corev1.ConfigMapArgs{
		Metadata: meta(grafName, ns, gl),
		Data: pulumi.StringMap{
			"datasources.yaml": pulumi.String(datasources),
			"dashboards.yaml":  pulumi.String(providers),
			"jac-app.json":     pulumi.String(Dashboard(a.App, a.MetricsPrefix)),
		},
	}, child...)
	if err != nil {
		return nil, err
	}
	add(gcm)
	item := func(k, p string) corev1.KeyToPathArgs {
		return corev1.KeyToPathArgs{Key: pulumi.String(k), Path: pulumi.String(p)}
	}
	c.Grafana, err = appsv1.NewDeployment(ctx, name+"-grafana", &appsv1.DeploymentArgs{
		Metadata: meta(grafName, ns, gl),
		Spec: &appsv1.DeploymentSpecArgs{
			Replicas: pulumi.Int(1),
			Selector: &metav1.LabelSelectorArgs{MatchLabels: pulumi.ToStringMap(selector(gl))},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: pulumi.ToStringMap(gl)},
				Spec: &corev1.PodSpecArgs{
					Containers: corev1.ContainerArray{corev1.ContainerArgs{
						Name:  pulumi.String("grafana"),
						Image: pulumi.String(a.GrafanaImage),
						Env: corev1.EnvVarArray{
							corev1.EnvVarArgs{Name: pulumi.String("GF_SECURITY_ADMIN_USER"), Value: pulumi.String("admin")},
							corev1.EnvVarArgs{Name: pulumi.String("GF_SECURITY_ADMIN_PASSWORD"), ValueFrom: &corev1.EnvVarSourceArgs{
								SecretKeyRef: &corev1.SecretKeySelectorArgs{Name: pulumi.String(grafName), Key: pulumi.String("admin-password")},
							}},
							corev1.EnvVarArgs{Name: pulumi.String("GF_USERS_ALLOW_SIGN_UP"), Value: pulumi.String("false")},
							corev1.EnvVarArgs{Name: pulumi.String("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"), Value: pulumi.String("/var/lib/grafana/dashboards/jac-app.json")},
						},
						Ports: corev1.ContainerPortArray{corev1.ContainerPortArgs{Name: pulumi.String("http"), ContainerPort: pulumi.Int(3000)}},
						ReadinessProbe: &corev1.ProbeArgs{
							HttpGet: &corev1.HTTPGetActionArgs{Path: pulumi.String("/api/health"), Port: pulumi.String("http")},
						},
						VolumeMounts: corev1.VolumeMountArray{
							corev1.VolumeMountArgs{Name: pulumi.String("datasources"), MountPath: pulumi.String("/etc/grafana/provisioning/datasources")},
							corev1.VolumeMountArgs{Name: pulumi.String("providers"), MountPath: pulumi.String("/etc/grafana/provisioning/dashboards")},
							corev1.VolumeMountArgs{Name: pulumi.String("dashboards"), MountPath: pulumi.String("/var/lib/grafana/dashboards")},
						},
					}},
					Volumes: corev1.VolumeArray{
						corev1.VolumeArgs{Name: pulumi.String("datasources"), ConfigMap: &corev1.ConfigMapVolumeSourceArgs{
							Name: pulumi.String(grafName), Items: corev1.KeyToPathArray{item("datasources.yaml", "datasources.yaml")}}},
						corev1.VolumeArgs{Name: pulumi.String("providers"), ConfigMap: &corev1.ConfigMapVolumeSourceArgs{
							Name: pulumi.String(grafName), Items: corev1.KeyToPathArray{item("dashboards.yaml", "dashboards.yaml")}}},
						corev1.VolumeArgs{Name: pulumi.String("dashboards"), ConfigMap: &corev1.ConfigMapVolumeSourceArgs{
							Name: pulumi.String(grafName), Items: corev1.KeyToPathArray{item("jac-app.json", "jac-app.json")}}},
					},
				},
			},
		},
	}, append(child, pulumi.DependsOn([]pulumi.Resource{gsec, gcm}))...)
	if err != nil {
		return nil, err
	}
	add(c.Grafana)
	c.GrafanaService, err = nodePortService(ctx, name+"-grafana-service", grafName, ns, gl, 3000, a.GrafanaNodePort, child)
	if err != nil {
		return nil, err
	}
	add(c.GrafanaService)
	if c.Jaeger, c.JaegerService, err = newJaeger(ctx, name, a, child); err != nil {
		return nil, err
	}
	add(c.Jaeger)
	add(c.JaegerService)
	c.PrometheusURL = pulumi.Sprintf("http://localhost:%d", a.PrometheusNodePort)
	c.GrafanaURL = pulumi.Sprintf("http://localhost:%d", a.GrafanaNodePort)
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"prometheusUrl": c.PrometheusURL, "grafanaUrl": c.GrafanaURL}); err != nil {
		return nil, err
	}
	return c, nil
}

// nodePortService exposes a monitoring pod's "http" port on a node port.
func nodePortService(ctx *pulumi.Context, resName, name, ns string, labels map[string]string,
	port, nodePort int, opts []pulumi.ResourceOption) (*corev1.Service, error) {
	return corev1.NewService(ctx, resName, &corev1.ServiceArgs{
		Metadata: meta(name, ns, labels),
		Spec: &corev1.ServiceSpecArgs{
			Type:     pulumi.String("NodePort"),
			Selector: pulumi.ToStringMap(selector(labels)),
			Ports: corev1.ServicePortArray{corev1.ServicePortArgs{
				Name: pulumi.String("http"), Port: pulumi.Int(port), TargetPort: pulumi.String("http"), NodePort: pulumi.Int(nodePort),
			}},
		},
	}, opts...)
}
