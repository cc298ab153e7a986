package infra

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	yaml "go.yaml.in/yaml/v3"

	"github.com/jacscale/jac/infra/kubetest"
	"github.com/jacscale/jac/targets/kubernetes"
)

// kubeAPI is a real kube-apiserver with its etcd (infra/kubetest, from the
// binaries in JAC_TEST_KUBE_ASSETS; make test sets it), one per test package.
var kubeAPIServer = kubetest.Lazy{}

func TestMain(m *testing.M) {
	code := m.Run()
	kubeAPIServer.Stop()
	os.Exit(code)
}

type kubeAPI struct{ *kubetest.Cluster }

func startKubeAPI(t *testing.T) kubeAPI {
	t.Helper()
	return kubeAPI{kubeAPIServer.Get(t)}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

func (k kubeAPI) do(t *testing.T, method, path, ctype string, body []byte) (int, []byte) {
	t.Helper()
	code, b, err := k.Do(context.Background(), method, path, ctype, body)
	if err != nil {
		return 0, []byte(err.Error())
	}
	return code, b
}

// objectPath is the REST path of an object.
func objectPath(o Object) string {
	name, ns := o.Meta()
	gv := o.APIVersion()
	plural := strings.ToLower(o.Kind()) + "s"
	prefix := "/apis/" + gv
	if !strings.Contains(gv, "/") {
		prefix = "/api/" + gv
	}
	if ns == "" {
		return prefix + "/" + plural + "/" + name
	}
	return prefix + "/namespaces/" + ns + "/" + plural + "/" + name
}

// apply creates or updates an object with server-side apply, as the Pulumi
// Kubernetes provider does.
func (k kubeAPI) apply(t *testing.T, o Object) (int, []byte) {
	b, err := json.Marshal(o.Body)
	if err != nil {
		t.Fatal(err)
	}
	return k.do(t, "PATCH", objectPath(o)+"?fieldManager=jac-test&force=true", "application/apply-patch+yaml", b)
}

// TestRenderedObjectsAcceptedByKubeAPIServer: every object of a full deployment
// (both databases, monitoring, secrets, a namespace) is stored by a real
// kube-apiserver — its own validation decides — then deleted.
func TestRenderedObjectsAcceptedByKubeAPIServer(t *testing.T) {
	k := startKubeAPI(t)
	s := base()
	s.AppName, s.Namespace = "todo", "jac-it-full"
	s.MongoDB, s.Redis, s.Monitoring = true, true, true
	s.CPURequest, s.CPULimit, s.MemoryRequest, s.MemoryLimit = "250m", "1", "256Mi", "1Gi"
	s.Secrets = map[string]string{"OPENAI_API_KEY": "${OPENAI_API_KEY}"}
	objs, err := Render(Options{Settings: s}, "t")
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 24 { // with Jaeger (tracing.go)
		t.Errorf("%d objects, want 22", len(objs))
	}
	for _, o := range objs {
		name, _ := o.Meta()
		code, body := k.apply(t, o)
		if code != 200 && code != 201 {
			t.Errorf("%s %s: HTTP %d: %s", o.Kind(), name, code, tail(string(body), 600))
			continue
		}
		// The stored object is the rendered one, defaulted by the server.
		var stored map[string]any
		json.Unmarshal(body, &stored)
		if uid := dig(t, stored, "metadata", "uid"); uid == nil || uid == "" {
			t.Errorf("%s %s: no uid in %s", o.Kind(), name, tail(string(body), 300))
		}
	}
	// Read back what matters.
	code, body := k.do(t, "GET", "/apis/apps/v1/namespaces/jac-it-full/deployments/todo", "", nil)
	if code != 200 {
		t.Fatalf("get deployment: %d %s", code, body)
	}
	var d map[string]any
	json.Unmarshal(body, &d)
	c := dig(t, d, "spec", "template", "spec", "containers", 0)
	eq(t, "stored readiness path", dig(t, c, "readinessProbe", "httpGet", "path"), "/healthz/ready")
	eq(t, "stored liveness threshold", dig(t, c, "livenessProbe", "failureThreshold"), 80)
	eq(t, "stored cpu request", dig(t, c, "resources", "requests", "cpu"), "250m")
	if code, body = k.do(t, "GET", "/api/v1/namespaces/jac-it-full/services/todo", "", nil); code != 200 {
		t.Fatalf("get service: %d %s", code, body)
	}
	var svc map[string]any
	json.Unmarshal(body, &svc)
	eq(t, "stored nodePort", dig(t, svc, "spec", "ports", 0, "nodePort"), 30001)

	// The server really validates: the same NodePort in a second namespace is
	// refused, and so is an HPA whose maximum is below its minimum.
	s2 := base()
	s2.AppName, s2.Namespace = "other", "jac-it-other"
	objs2, err := Render(Options{Settings: s2}, "t2")
	if err != nil {
		t.Fatal(err)
	}
	var sawConflict bool
	for _, o := range objs2 {
		code, body := k.apply(t, o)
		if o.Kind() == "Service" {
			if code != 422 || !strings.Contains(string(body), "provided port is already allocated") {
				t.Errorf("second NodePort 30001: HTTP %d %s", code, tail(string(body), 300))
			}
			sawConflict = true
		} else if code != 200 && code != 201 {
			t.Errorf("%s: HTTP %d: %s", o.Kind(), code, tail(string(body), 300))
		}
	}
	if !sawConflict {
		t.Error("no Service in the second render")
	}
	for _, o := range objs2 {
		if o.Kind() == "HorizontalPodAutoscaler" {
			o.Body["spec"].(map[string]any)["maxReplicas"] = 0
			if code, body := k.apply(t, o); code != 422 || !strings.Contains(string(body), "maxReplicas") {
				t.Errorf("bad HPA: HTTP %d %s", code, tail(string(body), 300))
			}
		}
	}

	// Delete every object but the namespaces (with no controller-manager a deleted
	// namespace stays Terminating, and so does a claim: the pvc-protection
	// finalizer is the controller-manager's to remove).
	for i := len(objs) - 1; i >= 0; i-- {
		o := objs[i]
		if o.Kind() == "Namespace" {
			continue
		}
		name, _ := o.Meta()
		if code, body := k.do(t, "DELETE", objectPath(o), "", nil); code != 200 && code != 202 {
			t.Errorf("delete %s %s: HTTP %d %s", o.Kind(), name, code, tail(string(body), 300))
		}
		code, body := k.do(t, "GET", objectPath(o), "", nil)
		if o.Kind() == "PersistentVolumeClaim" && code == 200 && strings.Contains(string(body), `"deletionTimestamp"`) {
			continue
		}
		if code != 404 {
			t.Errorf("%s %s still there after delete: HTTP %d", o.Kind(), name, code)
		}
	}
}

// TestTargetKubeconfigAgainstKubeAPIServer: a kubeconfig made the way the aws and
// gcp targets make theirs (endpoint, CA data, bearer token) reaches a real API
// server: with Go's TLS and the token from the file, and with kubectl when it is
// installed; the kubernetes target's Load picks its context.
func TestTargetKubeconfigAgainstKubeAPIServer(t *testing.T) {
	k := startKubeAPI(t)
	cfg := kubernetes.TokenKubeconfig("eks-test", k.URL, k.CA, k.Token)
	path := filepath.Join(t.TempDir(), "kubeconfig")
	os.WriteFile(path, []byte(cfg), 0o600)

	kc, err := kubernetes.Load(func(key string) string { return map[string]string{"KUBECONFIG": path}[key] }, "")
	if err != nil || kc.Context != "eks-test" {
		t.Fatalf("load: %+v %v", kc, err)
	}
	var f struct {
		Clusters []struct {
			Cluster struct {
				Server string `yaml:"server"`
				CAData string `yaml:"certificate-authority-data"`
			} `yaml:"cluster"`
		} `yaml:"clusters"`
		Users []struct {
			User struct {
				Token string `yaml:"token"`
			} `yaml:"user"`
		} `yaml:"users"`
	}
	if err := yaml.Unmarshal([]byte(cfg), &f); err != nil {
		t.Fatal(err)
	}
	caPEM, _ := base64.StdEncoding.DecodeString(f.Clusters[0].Cluster.CAData)
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		t.Fatal("CA data is not PEM")
	}
	c := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	req, _ := http.NewRequest("GET", f.Clusters[0].Cluster.Server+"/api/v1/namespaces/default", nil)
	req.Header.Set("Authorization", "Bearer "+f.Users[0].User.Token)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET namespace default with the kubeconfig's token: %d", resp.StatusCode)
	}
	// A wrong token is refused (401): the server really checks.
	req.Header.Set("Authorization", "Bearer wrong")
	if resp, err := c.Do(req); err != nil || resp.StatusCode != 401 {
		t.Fatalf("wrong token: %v %v", resp, err)
	}
	if kubectl, err := exec.LookPath("kubectl"); err == nil {
		out, err := exec.Command(kubectl, "--kubeconfig", path, "get", "namespace", "default", "-o", "name").CombinedOutput()
		if err != nil || !strings.Contains(string(out), "namespace/default") {
			t.Errorf("kubectl with the kubeconfig: %v\n%s", err, out)
		}
	} else {
		t.Log("kubectl not installed: checked with Go's client only")
	}
}
