package infra

import (
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/jacscale/jac/infra/settings"
)

// lbMocks gives LoadBalancer Services an ingress host name, as a cloud would.
type lbMocks struct {
	Recorder
}

func (m *lbMocks) NewResource(a pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	id, state, err := m.Recorder.NewResource(a)
	if a.TypeToken == "kubernetes:core/v1:Service" {
		spec := a.Inputs["spec"].ObjectValue()
		if spec["type"].StringValue() == "LoadBalancer" {
			state = state.Copy()
			state["status"] = resource.NewObjectProperty(resource.NewPropertyMapFromMap(map[string]any{
				"loadBalancer": map[string]any{"ingress": []any{map[string]any{"hostname": "a1b2.elb.amazonaws.com"}}},
			}))
		}
	}
	return id, state, err
}

func TestNewAppLoadBalancerURL(t *testing.T) {
	m := &lbMocks{}
	var url string
	var wg sync.WaitGroup
	wg.Add(1)
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		app, err := NewApp(ctx, "app", &AppArgs{
			Name: "todo", Namespace: "prod", Image: "img", ImagePullPolicy: "IfNotPresent", Port: 8000,
			ServiceType: "LoadBalancer", Replicas: 1, MinReplicas: 1, MaxReplicas: 2, TargetCPUUtilization: 50,
			Readiness: Probe{InitialDelay: 1, Period: 2}, Liveness: Probe{InitialDelay: 3, Period: 4, FailureThreshold: 5},
			JWTSecret: pulumi.String("s"),
		})
		if err != nil {
			return err
		}
		app.URL.ApplyT(func(u string) string { url = u; wg.Done(); return u })
		return nil
	}, pulumi.WithMocks(Project, "t", m))
	if err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if url != "http://a1b2.elb.amazonaws.com" {
		t.Errorf("url %q", url)
	}
	for _, o := range m.Objects() {
		if o.Kind() == "Service" {
			eq(t, "lb port", dig(t, o.Body, "spec", "ports", 0, "port"), 80)
			eq(t, "lb target", dig(t, o.Body, "spec", "ports", 0, "targetPort"), "http")
			if _, has := dig(t, o.Body, "spec", "ports", 0).(map[string]any)["nodePort"]; has {
				t.Error("nodePort on a LoadBalancer service")
			}
		}
	}
}

func TestComponentArgsRequired(t *testing.T) {
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		if _, err := NewApp(ctx, "a", &AppArgs{Name: "x"}); err == nil {
			t.Error("NewApp without image")
		}
		if _, err := NewDatabase(ctx, "d", &DatabaseArgs{App: "x", Namespace: "n", Image: "i", Engine: "postgres"}); err == nil {
			t.Error("NewDatabase with an unknown engine")
		}
		if _, err := NewMonitoring(ctx, "m", &MonitoringArgs{App: "x", Namespace: "n"}); err == nil {
			t.Error("NewMonitoring without a Grafana password")
		}
		return nil
	}, pulumi.WithMocks(Project, "t", &Recorder{}))
	if err != nil {
		t.Fatal(err)
	}
}

// TestEveryObjectUsesTheTargetProvider: the program gives the target's provider to
// every object (the components do not pick one).
func TestEveryObjectUsesTheTargetProvider(t *testing.T) {
	s := base()
	s.MongoDB, s.Redis, s.Monitoring, s.Namespace = true, true, true, "prod"
	rec := &Recorder{}
	prov := func(ctx *pulumi.Context, _ settings.Settings) (*kubernetes.Provider, error) {
		return kubernetes.NewProvider(ctx, "target", &kubernetes.ProviderArgs{Kubeconfig: pulumi.String("apiVersion: v1")})
	}
	err := pulumi.RunErr(Program(Options{Settings: s, Provider: prov, DryRun: true}), pulumi.WithMocks(Project, "t", rec))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range rec.Resources {
		if !strings.HasPrefix(r.TypeToken, "kubernetes:") {
			continue
		}
		n++
		if !strings.Contains(r.Provider, "pulumi:providers:kubernetes::target") {
			t.Errorf("%s %s: provider %q", r.TypeToken, r.Name, r.Provider)
		}
	}
	if n != 24 { // with Jaeger (tracing.go)
		t.Errorf("%d objects", n)
	}
}
