// Package kubetest starts a real Kubernetes control plane for tests, from the binaries
// hack/kube-testenv.sh and hack/kwok.sh build from the Go module proxy: etcd and
// kube-apiserver, and for a working cluster kube-controller-manager, kube-scheduler and
// kwok with one fake node (Pods on it become Ready without running a container), each on
// free loopback ports, in a temporary directory. It also prepares a PULUMI_HOME holding
// the Kubernetes provider plugin (hack/pulumi-kubernetes.sh) for the deploy tests.
//
// The binaries are found through environment variables that `make test` sets from
// hack/testenv.sh: JAC_TEST_KUBE_ASSETS (etcd, kube-apiserver, kube-controller-manager,
// kube-scheduler), JAC_TEST_KWOK (kwok and its stages.yaml), JAC_TEST_PULUMI (the CLI)
// and JAC_TEST_PULUMI_KUBERNETES (the provider plugin). A test whose variable is unset
// skips, saying which one and how to get it.
//
// A package starts one cluster for all its tests (a Lazy in a package variable, stopped
// from TestMain); each test works in its own namespace.
package kubetest

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
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jacscale/jac/internal/loopback"
)

// Environment variables naming the binaries.
const (
	EnvKubeAssets       = "JAC_TEST_KUBE_ASSETS"
	EnvKwok             = "JAC_TEST_KWOK"
	EnvPulumi           = "JAC_TEST_PULUMI"
	EnvPulumiKubernetes = "JAC_TEST_PULUMI_KUBERNETES"
)

// NodeName is the fake node of a full cluster.
const NodeName = "kwok-node-0"

// ErrNoAssets is returned by Start when an environment variable naming the binaries
// is unset; tests skip on it.
var ErrNoAssets = errors.New("kubetest: binaries not configured")

// Options choose what Start runs.
type Options struct {
	// Full adds kube-controller-manager, kube-scheduler and kwok with one fake node,
	// so that Deployments roll out, Services get endpoints and claims bind. Without
	// it only etcd and kube-apiserver run (objects are stored, nothing acts on them).
	Full bool
	// Dir holds the certificates, data and logs ("" = a new temporary directory,
	// removed by Stop).
	Dir string
}

// Cluster is a running control plane.
type Cluster struct {
	URL        string // https://127.0.0.1:PORT
	Token      string // bearer token of a system:masters user
	CA         []byte // PEM of the API server's serving certificate
	Kubeconfig string // path of a kubeconfig for URL, Token and CA (context "kubetest")
	Dir        string

	client  *http.Client
	procs   []*process
	tempDir bool
}

type process struct {
	name string
	cmd  *exec.Cmd
	log  *os.File
	done chan struct{}
}

// Start runs a control plane; Stop ends it.
func Start(ctx context.Context, o Options) (c *Cluster, err error) {
	assets := os.Getenv(EnvKubeAssets)
	if assets == "" {
		return nil, fmt.Errorf("%w: %s is unset (make test builds the control plane with hack/kube-testenv.sh)", ErrNoAssets, EnvKubeAssets)
	}
	kwok := os.Getenv(EnvKwok)
	if o.Full && kwok == "" {
		return nil, fmt.Errorf("%w: %s is unset (make test builds kwok with hack/kwok.sh)", ErrNoAssets, EnvKwok)
	}
	need := []string{"etcd", "kube-apiserver"}
	if o.Full {
		need = append(need, "kube-controller-manager", "kube-scheduler")
	}
	for _, b := range need {
		if _, err := os.Stat(filepath.Join(assets, b)); err != nil {
			return nil, fmt.Errorf("%s=%s: %w (re-run hack/kube-testenv.sh)", EnvKubeAssets, assets, err)
		}
	}
	c = &Cluster{Dir: o.Dir}
	if c.Dir == "" {
		if c.Dir, err = os.MkdirTemp("", "kubetest-"); err != nil {
			return nil, err
		}
		c.tempDir = true
	}
	defer func() {
		if err != nil {
			c.Stop()
		}
	}()
	if err := c.writeCredentials(); err != nil {
		return nil, err
	}
	if err := c.startAPIServer(ctx, assets); err != nil {
		return nil, err
	}
	if err := c.writeKubeconfig(); err != nil {
		return nil, err
	}
	if !o.Full {
		return c, nil
	}
	if err := c.startControllers(assets, kwok); err != nil {
		return nil, err
	}
	return c, c.addFakeNode(ctx)
}

// writeCredentials writes the service-account key pair and the token file.
func (c *Cluster) writeCredentials() error {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return err
	}
	tb := make([]byte, 16)
	if _, err := rand.Read(tb); err != nil {
		return err
	}
	c.Token = hex.EncodeToString(tb)
	files := map[string][]byte{
		"sa.key":     pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}),
		"sa.pub":     pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}),
		"tokens.csv": []byte(c.Token + ",admin,admin,system:masters\n"),
	}
	for name, b := range files {
		if err := os.WriteFile(c.path(name), b, 0o600); err != nil {
			return err
		}
	}
	return nil
}

func (c *Cluster) path(name string) string { return filepath.Join(c.Dir, name) }

func freePorts(n int) ([]int, error) {
	ports := make([]int, n)
	for i := range ports {
		p, err := loopback.Port()
		if err != nil {
			return nil, err
		}
		ports[i] = p
	}
	return ports, nil
}

// startAPIServer starts etcd and kube-apiserver and waits for /readyz.
func (c *Cluster) startAPIServer(ctx context.Context, assets string) error {
	p, err := freePorts(3)
	if err != nil {
		return err
	}
	etcdClient, etcdPeer, api := p[0], p[1], p[2]
	etcdURL := fmt.Sprintf("http://127.0.0.1:%d", etcdClient)
	peerURL := fmt.Sprintf("http://127.0.0.1:%d", etcdPeer)
	if err := c.run("etcd", filepath.Join(assets, "etcd"),
		"--name=t", "--data-dir="+c.path("etcd"), "--unsafe-no-fsync",
		"--listen-client-urls="+etcdURL, "--advertise-client-urls="+etcdURL,
		"--listen-peer-urls="+peerURL, "--initial-advertise-peer-urls="+peerURL,
		"--initial-cluster=t="+peerURL); err != nil {
		return err
	}
	if err := c.run("kube-apiserver", filepath.Join(assets, "kube-apiserver"),
		"--etcd-servers="+etcdURL, "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1",
		fmt.Sprintf("--secure-port=%d", api), "--cert-dir="+c.path("certs"),
		"--token-auth-file="+c.path("tokens.csv"), "--authorization-mode=AlwaysAllow",
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file="+c.path("sa.pub"), "--service-account-signing-key-file="+c.path("sa.key"),
		"--service-cluster-ip-range=10.0.0.0/24", "--endpoint-reconciler-type=none"); err != nil {
		return err
	}
	c.URL = fmt.Sprintf("https://127.0.0.1:%d", api)
	return c.waitReady(ctx, 2*time.Minute)
}

// waitReady polls /readyz until it says ok.
func (c *Cluster) waitReady(ctx context.Context, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		if c.client == nil {
			if ca, err := os.ReadFile(c.path("certs/apiserver.crt")); err == nil {
				pool := x509.NewCertPool()
				if pool.AppendCertsFromPEM(ca) {
					c.CA = ca
					c.client = &http.Client{Timeout: 30 * time.Second,
						Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
				}
			}
		}
		if c.client != nil {
			if code, body, err := c.Do(ctx, "GET", "/readyz", "", nil); err == nil && code == 200 && strings.TrimSpace(string(body)) == "ok" {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("kube-apiserver not ready after %s:\n%s", timeout, c.LogTail("kube-apiserver", 3000))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// writeKubeconfig writes the kubeconfig every client (controllers, kwok, jac) uses.
func (c *Cluster) writeKubeconfig() error {
	cfg := fmt.Sprintf(`apiVersion: v1
kind: Config
current-context: kubetest
clusters:
- name: kubetest
  cluster:
    server: %s
    certificate-authority-data: %s
users:
- name: admin
  user:
    token: %s
contexts:
- name: kubetest
  context:
    cluster: kubetest
    user: admin
`, c.URL, base64.StdEncoding.EncodeToString(c.CA), c.Token)
	c.Kubeconfig = c.path("kubeconfig")
	return os.WriteFile(c.Kubeconfig, []byte(cfg), 0o600)
}

// startControllers starts kube-controller-manager, kube-scheduler and kwok.
func (c *Cluster) startControllers(assets, kwok string) error {
	kc := "--kubeconfig=" + c.Kubeconfig
	if err := c.run("kube-controller-manager", filepath.Join(assets, "kube-controller-manager"),
		kc, "--leader-elect=false", "--secure-port=0", "--controllers=*",
		"--service-account-private-key-file="+c.path("sa.key"), "--root-ca-file="+c.path("certs/apiserver.crt"),
		// Deleted pods and finished rollouts are cleaned up promptly.
		"--concurrent-deployment-syncs=5", "--concurrent-statefulset-syncs=5"); err != nil {
		return err
	}
	if err := c.run("kube-scheduler", filepath.Join(assets, "kube-scheduler"),
		kc, "--leader-elect=false", "--secure-port=0"); err != nil {
		return err
	}
	p, err := loopback.Port()
	if err != nil {
		return err
	}
	return c.run("kwok", filepath.Join(kwok, "kwok"),
		kc, "--config="+filepath.Join(kwok, "stages.yaml"), "--manage-all-nodes=true",
		"--cidr=10.244.0.1/24", "--node-ip=127.0.0.1", fmt.Sprintf("--server-address=127.0.0.1:%d", p))
}

// addFakeNode creates the kwok node and waits until it is Ready.
func (c *Cluster) addFakeNode(ctx context.Context) error {
	node := map[string]any{
		"apiVersion": "v1", "kind": "Node",
		"metadata": map[string]any{
			"name":        NodeName,
			"annotations": map[string]string{"kwok.x-k8s.io/node": "fake"},
			"labels":      map[string]string{"kubernetes.io/hostname": NodeName, "type": "kwok"},
		},
	}
	if code, body, err := c.DoJSON(ctx, "POST", "/api/v1/nodes", node); err != nil || code != http.StatusCreated {
		return fmt.Errorf("create node: %d %s %v", code, body, err)
	}
	return c.Wait(ctx, time.Minute, func() (bool, error) {
		var n struct {
			Status struct {
				Conditions []struct{ Type, Status string }
			}
		}
		if err := c.Get(ctx, "/api/v1/nodes/"+NodeName, &n); err != nil {
			return false, nil
		}
		for _, cond := range n.Status.Conditions {
			if cond.Type == "Ready" && cond.Status == "True" {
				return true, nil
			}
		}
		return false, nil
	})
}

// run starts a binary with its output in DIR/NAME.log.
func (c *Cluster) run(name, bin string, args ...string) error {
	f, err := os.Create(c.path(name + ".log"))
	if err != nil {
		return err
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", bin, err)
	}
	p := &process{name: name, cmd: cmd, log: f, done: make(chan struct{})}
	go func() { cmd.Wait(); close(p.done) }()
	c.procs = append(c.procs, p)
	return nil
}

// LogTail is the last n bytes of a component's log (etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler, kwok).
func (c *Cluster) LogTail(name string, n int) string {
	b, _ := os.ReadFile(c.path(name + ".log"))
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// Stop ends the processes, last started first, and removes a temporary directory.
func (c *Cluster) Stop() {
	for i := len(c.procs) - 1; i >= 0; i-- {
		p := c.procs[i]
		p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(15 * time.Second):
			p.cmd.Process.Kill()
			<-p.done
		}
		p.log.Close()
	}
	c.procs = nil
	if c.tempDir {
		os.RemoveAll(c.Dir)
	}
}

// Do sends one request to the API server as the admin user.
func (c *Cluster) Do(ctx context.Context, method, path, ctype string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.URL+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	req.Header.Set("Accept", "application/json")
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// DoJSON sends v as JSON.
func (c *Cluster) DoJSON(ctx context.Context, method, path string, v any) (int, []byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return 0, nil, err
	}
	return c.Do(ctx, method, path, "application/json", b)
}

// Get decodes the object at path into v; a status other than 200 is an error.
func (c *Cluster) Get(ctx context.Context, path string, v any) error {
	code, body, err := c.Do(ctx, "GET", path, "", nil)
	if err != nil {
		return err
	}
	if code != http.StatusOK {
		return &StatusError{Code: code, Body: string(body)}
	}
	return json.Unmarshal(body, v)
}

// StatusError is an API answer other than 200.
type StatusError struct {
	Code int
	Body string
}

func (e *StatusError) Error() string { return fmt.Sprintf("HTTP %d: %s", e.Code, e.Body) }

// IsNotFound reports whether err is a 404 from the API server.
func IsNotFound(err error) bool {
	var se *StatusError
	return errors.As(err, &se) && se.Code == http.StatusNotFound
}

// Wait polls cond every 100 ms until it is true, fails or timeout passes.
func (c *Cluster) Wait(ctx context.Context, timeout time.Duration, cond func() (bool, error)) error {
	deadline := time.Now().Add(timeout)
	for {
		ok, err := cond()
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not done after %s", timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// CreateHostPathPV creates a PersistentVolume without a storage class (the test
// cluster has no provisioner): claims without a class bind to it.
func (c *Cluster) CreateHostPathPV(ctx context.Context, name, size string) error {
	pv := map[string]any{
		"apiVersion": "v1", "kind": "PersistentVolume",
		"metadata": map[string]any{"name": name},
		"spec": map[string]any{
			"capacity":                      map[string]string{"storage": size},
			"accessModes":                   []string{"ReadWriteOnce"},
			"persistentVolumeReclaimPolicy": "Retain",
			"storageClassName":              "",
			"hostPath":                      map[string]string{"path": filepath.Join(c.Dir, "pv", name)},
		},
	}
	code, body, err := c.DoJSON(ctx, "POST", "/api/v1/persistentvolumes", pv)
	if err != nil {
		return err
	}
	if code != http.StatusCreated {
		return &StatusError{Code: code, Body: string(body)}
	}
	return nil
}

// Lazy starts one cluster for a test package on first use; TestMain calls Stop.
type Lazy struct {
	Options Options

	once    sync.Once
	cluster *Cluster
	err     error
	started time.Duration
}

// Get returns the package's cluster, starting it on first use. It reports through
// tb: Skip when the binaries are not configured, Fatal when the cluster did not start.
func (l *Lazy) Get(tb TB) *Cluster {
	tb.Helper()
	l.once.Do(func() {
		t0 := time.Now()
		l.cluster, l.err = Start(context.Background(), l.Options)
		l.started = time.Since(t0)
		if l.err == nil {
			tb.Logf("kubetest: control plane ready in %.1fs (%s)", l.started.Seconds(), l.cluster.Dir)
		}
	})
	if errors.Is(l.err, ErrNoAssets) {
		tb.Skip(l.err.Error())
	}
	if l.err != nil {
		tb.Fatal(l.err)
	}
	return l.cluster
}

// Stop stops the cluster if it was started.
func (l *Lazy) Stop() {
	if l.cluster != nil {
		l.cluster.Stop()
	}
}

// TB is the part of testing.TB that Lazy and PulumiHome use.
type TB interface {
	Helper()
	Logf(format string, args ...any)
	Skip(args ...any)
	Fatal(args ...any)
	Fatalf(format string, args ...any)
	TempDir() string
}
