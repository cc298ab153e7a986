// Package infra holds the declarative Pulumi programs (Go SDK, pulumi-kubernetes)
// that deploy a Jac app: component resources with typed Args (App, Database,
// Monitoring) and Program, the one pulumi.RunFunc run three ways — by `pulumi up`
// from the root Pulumi.yaml (infra/cmd/pulumi-program), by `jac start --scale` /
// `jac destroy` through the Automation API (infra/deploy), and under Pulumi's
// mocks for `--dry-run` (Render). The components take a Kubernetes provider and
// do not know which target (targets/kubernetes, targets/aws, targets/gcp) made it.
package infra

import (
	"fmt"
	"sort"

	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	autoscalingv2 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/autoscaling/v2"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	policyv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/policy/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Label keys (https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/).
const (
	LabelName      = "app.kubernetes.io/name"
	LabelInstance  = "app.kubernetes.io/instance"
	LabelComponent = "app.kubernetes.io/component"
	LabelPartOf    = "app.kubernetes.io/part-of"
	LabelManagedBy = "app.kubernetes.io/managed-by"
	ManagedBy      = "jac-scale"
)

// Labels are the app.kubernetes.io labels of one workload.
func Labels(name, instance, component, partOf string) map[string]string {
	return map[string]string{
		LabelName: name, LabelInstance: instance, LabelComponent: component,
		LabelPartOf: partOf, LabelManagedBy: ManagedBy,
	}
}

// selector is the subset of labels that selects a workload's pods.
func selector(l map[string]string) map[string]string {
	return map[string]string{LabelName: l[LabelName], LabelInstance: l[LabelInstance], LabelComponent: l[LabelComponent]}
}

func meta(name, ns string, labels map[string]string) *metav1.ObjectMetaArgs {
	m := &metav1.ObjectMetaArgs{Name: pulumi.String(name), Labels: pulumi.ToStringMap(labels)}
	if ns != "" {
		m.Namespace = pulumi.String(ns)
	}
	return m
}

// Probe is an HTTP probe's timing.
type Probe struct {
	InitialDelay, Period, FailureThreshold int
}

// Resources are a container's requests and limits ("" = unset).
type Resources struct {
	CPURequest, CPULimit, MemoryRequest, MemoryLimit string
}

func (r Resources) args() *corev1.ResourceRequirementsArgs {
	req, lim := pulumi.StringMap{}, pulumi.StringMap{}
	put := func(m pulumi.StringMap, k, v string) {
		if v != "" {
			m[k] = pulumi.String(v)
		}
	}
	put(req, "cpu", r.CPURequest)
	put(req, "memory", r.MemoryRequest)
	put(lim, "cpu", r.CPULimit)
	put(lim, "memory", r.MemoryLimit)
	a := &corev1.ResourceRequirementsArgs{}
	if len(req) > 0 {
		a.Requests = req
	}
	if len(lim) > 0 {
		a.Limits = lim
	}
	return a
}

// AppArgs configure the app's workload.
type AppArgs struct {
	Name            string // object names and app.kubernetes.io/name
	Namespace       string
	Instance        string // app.kubernetes.io/instance (default Name)
	Image           string
	ImagePullPolicy string
	Port            int // container port (the image's `jac start --port`)

	ServiceType string // NodePort | LoadBalancer | ClusterIP
	NodePort    int    // with NodePort

	Replicas, MinReplicas, MaxReplicas int
	TargetCPUUtilization               int
	PDBMaxUnavailable                  int

	Resources Resources
	Readiness Probe // on /healthz/ready
	Liveness  Probe // on /healthz/live

	// JWTSecret is the server's signing secret, a Pulumi secret.
	JWTSecret pulumi.StringInput
	// Secrets are resolved [plugins.scale.secrets], passed as env from the app's Secret.
	Secrets map[string]pulumi.StringInput
	// Env is plain environment (MONGODB_URI, REDIS_URL, ...).
	Env map[string]string

	MetricsPath string // prometheus.io/* annotations on the pods
}

// App is the app's Secret, Deployment, Service, HorizontalPodAutoscaler and
// PodDisruptionBudget.
type App struct {
	pulumi.ResourceState

	Secret     *corev1.Secret
	Deployment *appsv1.Deployment
	Service    *corev1.Service
	HPA        *autoscalingv2.HorizontalPodAutoscaler
	PDB        *policyv1.PodDisruptionBudget

	// URL is where the app answers: http://localhost:NODEPORT for a NodePort
	// service (any node's address works), the load balancer's address otherwise.
	URL pulumi.StringOutput
}

// SecretName is the name of the app's Secret.
func SecretName(app string) string { return app + "-secrets" }

// NewApp registers the app's objects.
func NewApp(ctx *pulumi.Context, name string, a *AppArgs, opts ...pulumi.ResourceOption) (*App, error) {
	if a == nil || a.Name == "" || a.Namespace == "" || a.Image == "" || a.Port == 0 {
		return nil, fmt.Errorf("infra.NewApp: Name, Namespace, Image and Port are required")
	}
	c := &App{}
	if err := ctx.RegisterComponentResource("jac:infra:App", name, c, opts...); err != nil {
		return nil, err
	}
	child := []pulumi.ResourceOption{pulumi.Parent(c)}
	instance := a.Instance
	if instance == "" {
		instance = a.Name
	}
	labels := Labels(a.Name, instance, "server", a.Name)
	sel := selector(labels)

	// The Secret: JWT_SECRET and every [plugins.scale.secrets] entry.
	data := pulumi.StringMap{}
	if a.JWTSecret != nil {
		data["JWT_SECRET"] = a.JWTSecret
	}
	for k, v := range a.Secrets {
		data[k] = v
	}
	secretKeys := make([]string, 0, len(data))
	for k := range data {
		secretKeys = append(secretKeys, k)
	}
	sort.Strings(secretKeys)
	var err error
	c.Secret, err = corev1.NewSecret(ctx, name+"-secret", &corev1.SecretArgs{
		Metadata:   meta(SecretName(a.Name), a.Namespace, labels),
		Type:       pulumi.String("Opaque"),
		StringData: pulumi.ToSecret(data).(pulumi.StringMapOutput),
	}, child...)
	if err != nil {
		return nil, err
	}

	env := corev1.EnvVarArray{}
	envKeys := make([]string, 0, len(a.Env))
	for k := range a.Env {
		envKeys = append(envKeys, k)
	}
	sort.Strings(envKeys)
	for _, k := range envKeys {
		env = append(env, corev1.EnvVarArgs{Name: pulumi.String(k), Value: pulumi.String(a.Env[k])})
	}
	for _, k := range secretKeys {
		env = append(env, corev1.EnvVarArgs{Name: pulumi.String(k), ValueFrom: &corev1.EnvVarSourceArgs{
			SecretKeyRef: &corev1.SecretKeySelectorArgs{Name: pulumi.String(SecretName(a.Name)), Key: pulumi.String(k)},
		}})
	}

	probe := func(path string, p Probe) *corev1.ProbeArgs {
		pa := &corev1.ProbeArgs{
			HttpGet:             &corev1.HTTPGetActionArgs{Path: pulumi.String(path), Port: pulumi.String("http")},
			InitialDelaySeconds: pulumi.Int(p.InitialDelay),
			PeriodSeconds:       pulumi.Int(p.Period),
		}
		if p.FailureThreshold > 0 {
			pa.FailureThreshold = pulumi.Int(p.FailureThreshold)
		}
		return pa
	}
	podAnn := pulumi.StringMap{}
	if a.MetricsPath != "" {
		podAnn["prometheus.io/scrape"] = pulumi.String("true")
		podAnn["prometheus.io/path"] = pulumi.String(a.MetricsPath)
		podAnn["prometheus.io/port"] = pulumi.String(fmt.Sprint(a.Port))
	}
	podMeta := &metav1.ObjectMetaArgs{Labels: pulumi.ToStringMap(labels)}
	if len(podAnn) > 0 {
		podMeta.Annotations = podAnn
	}
	c.Deployment, err = appsv1.NewDeployment(ctx, name+"-deployment", &appsv1.DeploymentArgs{
		Metadata: meta(a.Name, a.Namespace, labels),
		Spec: &appsv1.DeploymentSpecArgs{
			Replicas: pulumi.Int(a.Replicas),
			Selector: &metav1.LabelSelectorArgs{MatchLabels: pulumi.ToStringMap(sel)},
			Strategy: &appsv1.DeploymentStrategyArgs{
				Type:          pulumi.String("RollingUpdate"),
				RollingUpdate: &appsv1.RollingUpdateDeploymentArgs{MaxUnavailable: pulumi.Int(0), MaxSurge: pulumi.Int(1)},
			},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: podMeta,
				Spec: &corev1.PodSpecArgs{
					SecurityContext: &corev1.PodSecurityContextArgs{
						RunAsNonRoot: pulumi.Bool(true), RunAsUser: pulumi.Int(65532), FsGroup: pulumi.Int(65532),
					},
					Containers: corev1.ContainerArray{corev1.ContainerArgs{
						Name:            pulumi.String("app"),
						Image:           pulumi.String(a.Image),
						ImagePullPolicy: pulumi.String(a.ImagePullPolicy),
						Ports: corev1.ContainerPortArray{corev1.ContainerPortArgs{
							Name: pulumi.String("http"), ContainerPort: pulumi.Int(a.Port), Protocol: pulumi.String("TCP"),
						}},
						Env:            env,
						Resources:      a.Resources.args(),
						ReadinessProbe: probe("/healthz/ready", a.Readiness),
						LivenessProbe:  probe("/healthz/live", a.Liveness),
						VolumeMounts: corev1.VolumeMountArray{corev1.VolumeMountArgs{
							Name: pulumi.String("data"), MountPath: pulumi.String("/data"),
						}},
					}},
					Volumes: corev1.VolumeArray{corev1.VolumeArgs{
						Name: pulumi.String("data"), EmptyDir: &corev1.EmptyDirVolumeSourceArgs{},
					}},
				},
			},
		},
	}, append(child, pulumi.DependsOn([]pulumi.Resource{c.Secret}),
		// The autoscaler owns the replica count once the Deployment exists.
		pulumi.IgnoreChanges([]string{"spec.replicas"}))...)
	if err != nil {
		return nil, err
	}

	port := corev1.ServicePortArgs{
		Name: pulumi.String("http"), Port: pulumi.Int(a.Port), TargetPort: pulumi.String("http"), Protocol: pulumi.String("TCP"),
	}
	switch a.ServiceType {
	case "NodePort":
		port.NodePort = pulumi.Int(a.NodePort)
	case "LoadBalancer":
		port.Port = pulumi.Int(80)
	}
	c.Service, err = corev1.NewService(ctx, name+"-service", &corev1.ServiceArgs{
		Metadata: meta(a.Name, a.Namespace, labels),
		Spec: &corev1.ServiceSpecArgs{
			Type:     pulumi.String(a.ServiceType),
			Selector: pulumi.ToStringMap(sel),
			Ports:    corev1.ServicePortArray{port},
		},
	}, child...)
	if err != nil {
		return nil, err
	}

	c.HPA, err = autoscalingv2.NewHorizontalPodAutoscaler(ctx, name+"-hpa", &autoscalingv2.HorizontalPodAutoscalerArgs{
		Metadata: meta(a.Name, a.Namespace, labels),
		Spec: &autoscalingv2.HorizontalPodAutoscalerSpecArgs{
			ScaleTargetRef: &autoscalingv2.CrossVersionObjectReferenceArgs{
				ApiVersion: pulumi.String("apps/v1"), Kind: pulumi.String("Deployment"), Name: pulumi.String(a.Name),
			},
			MinReplicas: pulumi.Int(a.MinReplicas),
			MaxReplicas: pulumi.Int(a.MaxReplicas),
			Metrics: autoscalingv2.MetricSpecArray{autoscalingv2.MetricSpecArgs{
				Type: pulumi.String("Resource"),
				Resource: &autoscalingv2.ResourceMetricSourceArgs{
					Name:   pulumi.String("cpu"),
					Target: &autoscalingv2.MetricTargetArgs{Type: pulumi.String("Utilization"), AverageUtilization: pulumi.Int(a.TargetCPUUtilization)},
				},
			}},
		},
	}, append(child, pulumi.DependsOn([]pulumi.Resource{c.Deployment}))...)
	if err != nil {
		return nil, err
	}

	c.PDB, err = policyv1.NewPodDisruptionBudget(ctx, name+"-pdb", &policyv1.PodDisruptionBudgetArgs{
		Metadata: meta(a.Name, a.Namespace, labels),
		Spec: &policyv1.PodDisruptionBudgetSpecArgs{
			MaxUnavailable: pulumi.Int(a.PDBMaxUnavailable),
			Selector:       &metav1.LabelSelectorArgs{MatchLabels: pulumi.ToStringMap(sel)},
		},
	}, child...)
	if err != nil {
		return nil, err
	}

	c.URL = serviceURL(c.Service, a.ServiceType, a.NodePort, a.Name, a.Namespace, a.Port)
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"url": c.URL}); err != nil {
		return nil, err
	}
	return c, nil
}

// serviceURL is where a Service answers from outside the cluster.
func serviceURL(svc *corev1.Service, typ string, nodePort int, name, ns string, port int) pulumi.StringOutput {
	switch typ {
	case "NodePort":
		return pulumi.Sprintf("http://localhost:%d", nodePort)
	case "LoadBalancer":
		return svc.Status.ApplyT(func(st *corev1.ServiceStatus) string {
			if st != nil && st.LoadBalancer != nil && len(st.LoadBalancer.Ingress) > 0 {
				in := st.LoadBalancer.Ingress[0]
				if in.Hostname != nil && *in.Hostname != "" {
					return "http://" + *in.Hostname
				}
				if in.Ip != nil && *in.Ip != "" {
					return "http://" + *in.Ip
				}
			}
			return fmt.Sprintf("(load balancer pending: kubectl -n %s get service %s)", ns, name)
		}).(pulumi.StringOutput)
	default:
		return pulumi.Sprintf("http://%s.%s.svc.cluster.local:%d", name, ns, port)
	}
}
