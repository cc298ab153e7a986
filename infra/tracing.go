package infra

import (
	"fmt"

	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// DefaultJaegerImage is the trace backend deployed with monitoring: Jaeger
// all-in-one, which receives OTLP and keeps traces in memory.
const DefaultJaegerImage = "jaegertracing/all-in-one:1.76.0"

// jaegerName is the trace backend's Deployment and Service name.
func jaegerName(app string) string { return app + "-jaeger" }

// TraceEndpoint is the OTLP/HTTP endpoint of the app's trace backend inside
// the cluster (the app's OTEL_EXPORTER_OTLP_ENDPOINT).
func TraceEndpoint(app, ns string) string {
	return fmt.Sprintf("http://%s.%s.svc:4318", jaegerName(app), ns)
}

// newJaeger deploys Jaeger all-in-one beside Prometheus and Grafana: OTLP on
// 4318 and the UI on 16686 behind a ClusterIP Service (`kubectl port-forward
// svc/<app>-jaeger 16686` opens the UI).
func newJaeger(ctx *pulumi.Context, name string, a *MonitoringArgs, opts []pulumi.ResourceOption) (*appsv1.Deployment, *corev1.Service, error) {
	image := a.JaegerImage
	if image == "" {
		image = DefaultJaegerImage
	}
	jn := jaegerName(a.App)
	labels := Labels("jaeger", jn, "monitoring", a.App)
	port := func(n string, p int) corev1.ContainerPortArgs {
		return corev1.ContainerPortArgs{Name: pulumi.String(n), ContainerPort: pulumi.Int(p)}
	}
	dep, err := appsv1.NewDeployment(ctx, name+"-jaeger", &appsv1.DeploymentArgs{
		Metadata: meta(jn, a.Namespace, labels),
		Spec: &appsv1.DeploymentSpecArgs{
			Replicas: pulumi.Int(1),
			Selector: &metav1.LabelSelectorArgs{MatchLabels: pulumi.ToStringMap(selector(labels))},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: pulumi.ToStringMap(labels)},
				Spec: &corev1.PodSpecArgs{Containers: corev1.ContainerArray{corev1.ContainerArgs{
					Name:  pulumi.String("jaeger"),
					Image: pulumi.String(image),
					Env: corev1.EnvVarArray{
						corev1.EnvVarArgs{Name: pulumi.String("COLLECTOR_OTLP_ENABLED"), Value: pulumi.String("true")},
					},
					Ports: corev1.ContainerPortArray{port("otlp-http", 4318), port("ui", 16686)},
					ReadinessProbe: &corev1.ProbeArgs{
						HttpGet: &corev1.HTTPGetActionArgs{Path: pulumi.String("/"), Port: pulumi.String("ui")},
					},
				}}},
			},
		},
	}, opts...)
	if err != nil {
		return nil, nil, err
	}
	svcPort := func(n string, p int) corev1.ServicePortArgs {
		return corev1.ServicePortArgs{Name: pulumi.String(n), Port: pulumi.Int(p), TargetPort: pulumi.String(n)}
	}
	svc, err := corev1.NewService(ctx, name+"-jaeger-service", &corev1.ServiceArgs{
		Metadata: meta(jn, a.Namespace, labels),
		Spec: &corev1.ServiceSpecArgs{
			Selector: pulumi.ToStringMap(selector(labels)),
			Ports:    corev1.ServicePortArray{svcPort("otlp-http", 4318), svcPort("ui", 16686)},
		},
	}, opts...)
	if err != nil {
		return nil, nil, err
	}
	return dep, svc, nil
}
