package deploy

import (
	"context"
	"encoding/json"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
)

// retained lists the objects of the stack that a destroy keeps (Pulumi's
// retainOnDelete: the databases' claims and the namespace holding them), as
// Kind/namespace/name. With deleteData it instead clears retainOnDelete on them in
// the stack's state (export, edit, import) so that the destroy deletes them too: the
// flag is part of each resource's state, written by the last deploy, and a destroy
// honours the state.
func retained(ctx context.Context, st auto.Stack, deleteData bool) ([]string, error) {
	dep, err := st.Export(ctx)
	if err != nil {
		return nil, err
	}
	if len(dep.Deployment) == 0 {
		return nil, nil
	}
	var d map[string]json.RawMessage
	if err := json.Unmarshal(dep.Deployment, &d); err != nil {
		return nil, err
	}
	var resources []map[string]json.RawMessage
	if raw, ok := d["resources"]; ok {
		if err := json.Unmarshal(raw, &resources); err != nil {
			return nil, err
		}
	}
	var kept []string
	changed := false
	for _, res := range resources {
		var retain bool
		if json.Unmarshal(res["retainOnDelete"], &retain) != nil || !retain {
			continue
		}
		if deleteData {
			delete(res, "retainOnDelete")
			changed = true
			continue
		}
		kept = append(kept, objectName(res))
	}
	sort.Strings(kept)
	if !changed {
		return kept, nil
	}
	if d["resources"], err = json.Marshal(resources); err != nil {
		return nil, err
	}
	if dep.Deployment, err = json.Marshal(d); err != nil {
		return nil, err
	}
	return nil, st.Import(ctx, dep)
}

// objectName is Kind/namespace/name (Kind/name for a cluster-wide object) of a
// Kubernetes resource in the state.
func objectName(res map[string]json.RawMessage) string {
	var typ string
	json.Unmarshal(res["type"], &typ)
	var outs struct {
		Metadata struct{ Name, Namespace string } `json:"metadata"`
	}
	json.Unmarshal(res["outputs"], &outs)
	parts := []string{kindOf(typ)}
	if ns := outs.Metadata.Namespace; ns != "" {
		parts = append(parts, ns)
	}
	return strings.Join(append(parts, outs.Metadata.Name), "/")
}
