package infra

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/jacscale/jac/infra/settings"
)

// TestTraceBackendAndStorageWiring: with monitoring on, Jaeger is deployed
// beside Prometheus and Grafana and the app's pods export their spans to it;
// an S3 [storage] reaches the pods' environment and the deployer's AWS keys
// the app's Secret.
func TestTraceBackendAndStorageWiring(t *testing.T) {
	s := base()
	s.Monitoring = true
	s.Storage = settings.Storage{Type: "s3", Bucket: "files", Region: "eu-west-1", Prefix: "prod"}
	m := objects(t, s)
	for _, k := range []string{"Deployment/jaseci-jaeger", "Service/jaseci-jaeger"} {
		if m[k] == nil {
			t.Errorf("no %s", k)
		}
	}
	eq(t, "jaeger ports", dig(t, m["Service/jaseci-jaeger"], "spec", "ports", 0, "port"), 4318)
	e := env(t, m["Deployment/jaseci"])
	eq(t, "OTEL_EXPORTER_OTLP_ENDPOINT", e["OTEL_EXPORTER_OTLP_ENDPOINT"], "http://jaseci-jaeger.default.svc:4318")
	eq(t, "OTEL_SERVICE_NAME", e["OTEL_SERVICE_NAME"], "jaseci")
	for k, want := range map[string]string{"JAC_STORAGE_TYPE": "s3", "JAC_STORAGE_BUCKET": "files",
		"JAC_STORAGE_REGION": "eu-west-1", "JAC_STORAGE_PREFIX": "prod"} {
		eq(t, k, e[k], want)
	}

	rec := &Recorder{}
	getenv := func(k string) string {
		return map[string]string{"AWS_ACCESS_KEY_ID": "AKIATEST", "AWS_SECRET_ACCESS_KEY": "secret-test", "GRAFANA_PW": "pw"}[k]
	}
	s.GrafanaAdminPassword = "${GRAFANA_PW}"
	withJWT := func(info *pulumi.RunInfo) { info.Config = map[string]string{"jac-scale:jwtSecret": "jwt"} }
	if err := pulumi.RunErr(Program(Options{Settings: s, Getenv: getenv}), pulumi.WithMocks(Project, "t", rec), withJWT); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rec.Resources {
		if r.TypeToken != "kubernetes:core/v1:Secret" || strings.Contains(r.Name, "grafana") {
			continue
		}
		data := r.Inputs["stringData"].SecretValue().Element.ObjectValue()
		eq(t, "AWS_ACCESS_KEY_ID in the Secret", data["AWS_ACCESS_KEY_ID"].StringValue(), "AKIATEST")
		eq(t, "AWS_SECRET_ACCESS_KEY in the Secret", data["AWS_SECRET_ACCESS_KEY"].StringValue(), "secret-test")
		found = true
	}
	if !found {
		t.Fatal("no app Secret")
	}
}
