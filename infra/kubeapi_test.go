package infra

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	yaml "go.yaml.in/yaml/v3"

	"github.com/jacscale/jac/targets/kubernetes"
)

// kubeAPI is a real kube-apiserver with its etcd, started from the binaries in
// JAC_TEST_KUBE_ASSETS (hack/kube-testenv.sh builds them; make test sets it).
type kubeAPI struct {
	url     string
	token   string
	certDir string
	client  *http.Client
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func startProc(t *testing.T, logf string, bin string, args ...string) {
	t.Helper()
	f, err := os.Create(logf)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s: %v", bin, err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		f.Close()
	})
}

func startKubeAPI(t *testing.T) *kubeAPI {
	t.Helper()
	assets := os.Getenv("JAC_TEST_KUBE_ASSETS")
	if assets == "" {
		t.Skip("JAC_TEST_KUBE_ASSETS is unset: no kube-apiserver/etcd to test against (make test builds them with hack/kube-testenv.sh)")
	}
	for _, b := range []string{"etcd", "kube-apiserver"} {
		if _, err := os.Stat(filepath.Join(assets, b)); err != nil {
			t.Fatalf("JAC_TEST_KUBE_ASSETS=%s: %v", assets, err)
		}
	}
	dir := t.TempDir()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	os.WriteFile(filepath.Join(dir, "sa.key"), pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}), 0o600)
	os.WriteFile(filepath.Join(dir, "sa.pub"), pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}), 0o644)
	tb := make([]byte, 16)
	rand.Read(tb)
	token := hex.EncodeToString(tb)
	os.WriteFile(filepath.Join(dir, "tokens.csv"), []byte(token+",admin,admin,system:masters\n"), 0o600)

	ec, ep, ap := freePort(t), freePort(t), freePort(t)
	startProc(t, filepath.Join(dir, "etcd.log"), filepath.Join(assets, "etcd"),
		"--name=t", "--data-dir="+filepath.Join(dir, "etcd"), "--unsafe-no-fsync",
		fmt.Sprintf("--listen-client-urls=http://127.0.0.1:%d", ec), fmt.Sprintf("--advertise-client-urls=http://127.0.0.1:%d", ec),
		fmt.Sprintf("--listen-peer-urls=http://127.0.0.1:%d", ep), fmt.Sprintf("--initial-advertise-peer-urls=http://127.0.0.1:%d", ep),
		fmt.Sprintf("--initial-cluster=t=http://127.0.0.1:%d", ep))
	startProc(t, filepath.Join(dir, "apiserver.log"), filepath.Join(assets, "kube-apiserver"),
		fmt.Sprintf("--etcd-servers=http://127.0.0.1:%d", ec), "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1",
		fmt.Sprintf("--secure-port=%d", ap), "--cert-dir="+filepath.Join(dir, "certs"),
		"--token-auth-file="+filepath.Join(dir, "tokens.csv"), "--authorization-mode=AlwaysAllow",
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file="+filepath.Join(dir, "sa.pub"), "--service-account-signing-key-file="+filepath.Join(dir, "sa.key"),
		"--service-cluster-ip-range=10.0.0.0/24", "--endpoint-reconciler-type=none")

	k := &kubeAPI{url: fmt.Sprintf("https://127.0.0.1:%d", ap), token: token, certDir: filepath.Join(dir, "certs")}
	start := time.Now()
	for {
		if time.Since(start) > 90*time.Second {
			log, _ := os.ReadFile(filepath.Join(dir, "apiserver.log"))
			t.Fatalf("kube-apiserver not ready after 90s:\n%s", tail(string(log), 3000))
		}
		if k.client == nil {
			if ca, err := os.ReadFile(filepath.Join(dir, "certs", "apiserver.crt")); err == nil {
				pool := x509.NewCertPool()
				if pool.AppendCertsFromPEM(ca) {
					k.client = &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
				}
			}
		}
		if k.client != nil {
			if code, body := k.do(t, "GET", "/readyz", "", nil); code == 200 && strings.TrimSpace(string(body)) == "ok" {
				break
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Logf("kube-apiserver ready in %.1fs", time.Since(start).Seconds())
	return k
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

func (k *kubeAPI) do(t *testing.T, method, path, ctype string, body []byte) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequestWithContext(context.Background(), method, k.url+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+k.token)
	req.Header.Set("Accept", "application/json")
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := k.client.Do(req)
	if err != nil {
		return 0, []byte(err.Error())
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
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
func (k *kubeAPI) apply(t *testing.T, o Object) (int, []byte) {
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
	if len(objs) != 22 { // with Jaeger (tracing.go)
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
	// namespace stays Terminating).
	for i := len(objs) - 1; i >= 0; i-- {
		o := objs[i]
		if o.Kind() == "Namespace" {
			continue
		}
		name, _ := o.Meta()
		if code, body := k.do(t, "DELETE", objectPath(o), "", nil); code != 200 && code != 202 {
			t.Errorf("delete %s %s: HTTP %d %s", o.Kind(), name, code, tail(string(body), 300))
		}
		if code, _ := k.do(t, "GET", objectPath(o), "", nil); code != 404 {
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
	ca, err := os.ReadFile(filepath.Join(k.certDir, "apiserver.crt"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := kubernetes.TokenKubeconfig("eks-test", k.url, ca, k.token)
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
