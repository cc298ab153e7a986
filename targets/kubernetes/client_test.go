package kubernetes

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jacscale/jac/infra/kubetest"
)

var apiServer = kubetest.Lazy{}

func TestMain(m *testing.M) {
	code := m.Run()
	apiServer.Stop()
	os.Exit(code)
}

// TestClientReadsLiveObjects: the client made from a kubeconfig (server, CA data,
// bearer token) reads an object from a real kube-apiserver; a wrong token is an
// authentication error; a credential plugin is refused with a clear message.
func TestClientReadsLiveObjects(t *testing.T) {
	c := apiServer.Get(t)
	getenv := func(k string) string { return map[string]string{"KUBECONFIG": c.Kubeconfig}[k] }
	kc, err := Load(getenv, "")
	if err != nil {
		t.Fatal(err)
	}
	cl, err := NewClient(kc)
	if err != nil {
		t.Fatal(err)
	}
	var ns struct {
		Metadata struct{ Name string }
		Status   struct{ Phase string }
	}
	if err := cl.Get(context.Background(), "/api/v1/namespaces/default", &ns); err != nil || ns.Metadata.Name != "default" || ns.Status.Phase != "Active" {
		t.Fatalf("GET namespace default: %+v %v", ns, err)
	}

	wrong := filepath.Join(t.TempDir(), "kubeconfig")
	os.WriteFile(wrong, []byte(strings.Replace(string(kc.Data), c.Token, "wrong", 1)), 0o600)
	kc2, err := Load(func(string) string { return wrong }, "")
	if err != nil {
		t.Fatal(err)
	}
	cl2, err := NewClient(kc2)
	if err != nil {
		t.Fatal(err)
	}
	if err := cl2.Get(context.Background(), "/api/v1/namespaces/default", &ns); !errors.Is(err, ErrAuth) {
		t.Fatalf("wrong token: %v", err)
	}

	execCfg := filepath.Join(t.TempDir(), "kubeconfig")
	os.WriteFile(execCfg, []byte(strings.Replace(string(kc.Data), "    token: "+c.Token, "    exec:\n      command: aws", 1)), 0o600)
	kc3, err := Load(func(string) string { return execCfg }, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewClient(kc3); err == nil || !strings.Contains(err.Error(), "exec") {
		t.Fatalf("exec credential plugin: %v", err)
	}
}
