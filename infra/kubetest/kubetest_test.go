package kubetest

import (
	"context"
	"net/http"
	"os"
	"testing"
	"time"
)

var full = Lazy{Options: Options{Full: true}}

func TestMain(m *testing.M) {
	code := m.Run()
	full.Stop()
	os.Exit(code)
}

// TestFullCluster: on the fake node a Deployment becomes Available without any
// container running, and a claim binds to a PersistentVolume the test provides.
func TestFullCluster(t *testing.T) {
	c := full.Get(t)
	ctx := context.Background()
	labels := map[string]string{"app": "web"}
	dep := map[string]any{
		"apiVersion": "apps/v1", "kind": "Deployment",
		"metadata": map[string]any{"name": "web", "namespace": "default"},
		"spec": map[string]any{
			"replicas": 2,
			"selector": map[string]any{"matchLabels": labels},
			"template": map[string]any{
				"metadata": map[string]any{"labels": labels},
				"spec": map[string]any{"containers": []any{map[string]any{
					"name": "web", "image": "registry.example/never-pulled:1"}}},
			},
		},
	}
	t0 := time.Now()
	if code, body, err := c.DoJSON(ctx, "POST", "/apis/apps/v1/namespaces/default/deployments", dep); err != nil || code != http.StatusCreated {
		t.Fatalf("create Deployment: %d %s %v", code, body, err)
	}
	err := c.Wait(ctx, time.Minute, func() (bool, error) {
		var d struct {
			Status struct {
				ReadyReplicas int
				Conditions    []struct{ Type, Status string }
			}
		}
		if err := c.Get(ctx, "/apis/apps/v1/namespaces/default/deployments/web", &d); err != nil {
			return false, err
		}
		for _, cond := range d.Status.Conditions {
			if cond.Type == "Available" && cond.Status == "True" && d.Status.ReadyReplicas == 2 {
				return true, nil
			}
		}
		return false, nil
	})
	if err != nil {
		t.Fatalf("Deployment not Available: %v\n%s", err, c.LogTail("kwok", 2000))
	}
	t.Logf("2-replica Deployment Available in %.2fs", time.Since(t0).Seconds())

	if err := c.CreateHostPathPV(ctx, "pv-0", "1Gi"); err != nil {
		t.Fatal(err)
	}
	pvc := map[string]any{
		"apiVersion": "v1", "kind": "PersistentVolumeClaim",
		"metadata": map[string]any{"name": "data", "namespace": "default"},
		"spec": map[string]any{
			"accessModes":      []string{"ReadWriteOnce"},
			"storageClassName": "",
			"resources":        map[string]any{"requests": map[string]string{"storage": "1Gi"}},
		},
	}
	if code, body, err := c.DoJSON(ctx, "POST", "/api/v1/namespaces/default/persistentvolumeclaims", pvc); err != nil || code != http.StatusCreated {
		t.Fatalf("create claim: %d %s %v", code, body, err)
	}
	err = c.Wait(ctx, time.Minute, func() (bool, error) {
		var cl struct {
			Spec   struct{ VolumeName string }
			Status struct{ Phase string }
		}
		err := c.Get(ctx, "/api/v1/namespaces/default/persistentvolumeclaims/data", &cl)
		return err == nil && cl.Status.Phase == "Bound" && cl.Spec.VolumeName == "pv-0", err
	})
	if err != nil {
		t.Fatalf("claim not bound: %v", err)
	}
	if err := c.Get(ctx, "/api/v1/namespaces/default/persistentvolumeclaims/nope", &struct{}{}); !IsNotFound(err) {
		t.Errorf("missing claim: %v", err)
	}
}
