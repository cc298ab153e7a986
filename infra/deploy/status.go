package deploy

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"

	"github.com/jacscale/jac/infra"
)

// Status is what `jac status` reports about an app's stack.
type Status struct {
	Stack      string `json:"stack"`
	Revision   int    `json:"revision"`   // the newest update of the stack
	Result     string `json:"result"`     // that update's result: succeeded, failed
	Deployed   int    `json:"deployed"`   // the newest successful deploy (the revision serving)
	LastUpdate string `json:"lastUpdate"` // when the newest update ended (or started, if it has not)
	Image      string `json:"image"`
	Desired    int    `json:"desired"` // replicas the Deployment asks for
	Ready      int    `json:"ready"`   // replicas ready
	Updated    int    `json:"updated"` // replicas running the current template
	// Live: the Deployment was read from the cluster now; otherwise the counts are
	// the ones the last update saw.
	Live    bool   `json:"live"`
	URL     string `json:"url,omitempty"`
	Objects int    `json:"objects"` // Kubernetes objects the stack holds
}

// deploymentObject is the part of a Deployment that Status reads.
type deploymentObject struct {
	Metadata struct{ Name, Namespace string } `json:"metadata"`
	Spec     struct {
		Replicas *int `json:"replicas"`
		Template struct {
			Spec struct {
				Containers []struct{ Image string } `json:"containers"`
			} `json:"spec"`
		} `json:"template"`
	} `json:"spec"`
	Status struct {
		ReadyReplicas   int `json:"readyReplicas"`
		UpdatedReplicas int `json:"updatedReplicas"`
	} `json:"status"`
}

// Getter reads the object at an API path from the cluster.
type Getter func(ctx context.Context, path string, v any) error

// StatusOf reports the app's stack: its history's newest revision, its URL and the
// app Deployment's image and replicas — read from the cluster through live when
// that is not nil and works, else as the stack's state recorded them.
func StatusOf(ctx context.Context, r *Request, live Getter) (*Status, error) {
	r.defaults()
	pe := &programError{}
	st, err := Stack(ctx, r, false, r.program(pe))
	if err != nil {
		return nil, r.fail(err, pe)
	}
	s := &Status{Stack: st.Name()}
	h, err := st.History(ctx, 0, 0)
	if err != nil {
		return nil, r.fail(err, pe)
	}
	revs := revisions(h)
	if len(revs) > 0 {
		s.Revision, s.Result, s.LastUpdate = revs[0].Number, revs[0].Result, revs[0].EndTime
		if s.LastUpdate == "" {
			s.LastUpdate = revs[0].StartTime
		}
	}
	for _, rv := range revs {
		if rv.Deployed() {
			s.Deployed = rv.Number
			break
		}
	}
	if outs, err := st.Outputs(ctx); err == nil {
		if u, ok := outs[infra.OutputURL].Value.(string); ok {
			s.URL = u
		}
	}
	d, n, err := stateDeployment(ctx, st, r.Settings.AppName)
	if err != nil {
		return nil, r.fail(err, pe)
	}
	s.Objects = n
	if d == nil {
		return s, nil
	}
	if live != nil {
		path := fmt.Sprintf("/apis/apps/v1/namespaces/%s/deployments/%s", d.Metadata.Namespace, d.Metadata.Name)
		var ld deploymentObject
		if err := live(ctx, path, &ld); err == nil {
			d, s.Live = &ld, true
		} else {
			fmt.Fprintf(r.Stderr, "jac status: the cluster could not be read (%v); replicas as of the last update\n", err)
		}
	}
	if d.Spec.Replicas != nil {
		s.Desired = *d.Spec.Replicas
	}
	s.Ready, s.Updated = d.Status.ReadyReplicas, d.Status.UpdatedReplicas
	if c := d.Spec.Template.Spec.Containers; len(c) > 0 {
		s.Image = c[0].Image
	}
	return s, nil
}

// stateDeployment is the app's Deployment (named app) as the stack's state holds
// it (nil if none) and the number of Kubernetes objects in the state.
func stateDeployment(ctx context.Context, st auto.Stack, app string) (*deploymentObject, int, error) {
	dep, err := st.Export(ctx)
	if err != nil || len(dep.Deployment) == 0 {
		return nil, 0, err
	}
	var state struct {
		Resources []struct {
			Type    string          `json:"type"`
			Outputs json.RawMessage `json:"outputs"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(dep.Deployment, &state); err != nil {
		return nil, 0, err
	}
	var d *deploymentObject
	n := 0
	for _, res := range state.Resources {
		if strings.HasPrefix(res.Type, "kubernetes:") {
			n++
		}
		if res.Type == "kubernetes:apps/v1:Deployment" {
			var o deploymentObject
			if err := json.Unmarshal(res.Outputs, &o); err == nil && o.Metadata.Name == app {
				d = &o
			}
		}
	}
	return d, n, nil
}
