package infra

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	yaml "go.yaml.in/yaml/v3"

	"github.com/jacscale/jac/infra/settings"
)

// Object is one Kubernetes object the program would create.
type Object struct {
	Type string         // Pulumi type token, e.g. kubernetes:apps/v1:Deployment
	Name string         // Pulumi resource name
	Body map[string]any // the manifest: apiVersion, kind, metadata, spec, ...
}

// Kind is the object's kind.
func (o Object) Kind() string { s, _ := o.Body["kind"].(string); return s }

// APIVersion is the object's apiVersion.
func (o Object) APIVersion() string { s, _ := o.Body["apiVersion"].(string); return s }

// Meta returns metadata.name and metadata.namespace.
func (o Object) Meta() (name, namespace string) {
	m, _ := o.Body["metadata"].(map[string]any)
	name, _ = m["name"].(string)
	namespace, _ = m["namespace"].(string)
	return
}

// kindOrder is the order objects are listed (and can be applied) in.
var kindOrder = []string{"Namespace", "ServiceAccount", "Role", "RoleBinding", "Secret", "ConfigMap",
	"Service", "PersistentVolumeClaim", "StatefulSet", "Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget"}

func kindRank(k string) int {
	for i, x := range kindOrder {
		if x == k {
			return i
		}
	}
	return len(kindOrder)
}

// Recorder is a pulumi.MockResourceMonitor that records every resource
// registered (tests read Resources; Render turns them into Objects).
type Recorder struct {
	mu        sync.Mutex
	Resources []pulumi.MockResourceArgs
}

// NewResource records the resource and echoes its inputs as its state.
func (r *Recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	r.mu.Lock()
	r.Resources = append(r.Resources, args)
	r.mu.Unlock()
	return args.Name + "-id", args.Inputs, nil
}

// Call answers no function (the program calls none).
func (r *Recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return nil, fmt.Errorf("unexpected call %s", args.Token)
}

// ProviderInputs runs a target's provider function with settings s under
// Pulumi's mocks and returns the inputs of the one resource it must declare: a
// Kubernetes provider (the targets' tests read its kubeconfig and context).
func ProviderInputs[P any](s settings.Settings, provider func(*pulumi.Context, settings.Settings) (P, error)) (resource.PropertyMap, error) {
	r := &Recorder{}
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		_, err := provider(ctx, s)
		return err
	}, pulumi.WithMocks("jac-scale", "t", r))
	if err != nil {
		return nil, err
	}
	if len(r.Resources) != 1 || r.Resources[0].TypeToken != "pulumi:providers:kubernetes" {
		return nil, fmt.Errorf("want one Kubernetes provider, got resources %+v", r.Resources)
	}
	return r.Resources[0].Inputs, nil
}

// Objects returns the recorded Kubernetes objects (providers and components
// left out), in apply order.
func (r *Recorder) Objects() []Object {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Object
	for _, a := range r.Resources {
		if !strings.HasPrefix(a.TypeToken, "kubernetes:") {
			continue
		}
		body, _ := plain(resource.NewObjectProperty(a.Inputs)).(map[string]any)
		out = append(out, Object{Type: a.TypeToken, Name: a.Name, Body: body})
	}
	sort.SliceStable(out, func(i, j int) bool {
		ri, rj := kindRank(out[i].Kind()), kindRank(out[j].Kind())
		if ri != rj {
			return ri < rj
		}
		ni, _ := out[i].Meta()
		nj, _ := out[j].Meta()
		return ni < nj
	})
	return out
}

// plain turns a property value into plain Go values; secrets become Placeholder
// leaves (a dry run never prints them), unknowns "[unknown]".
func plain(v resource.PropertyValue) any {
	switch {
	case v.IsNull():
		return nil
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		f := v.NumberValue()
		if f == float64(int64(f)) {
			return int64(f)
		}
		return f
	case v.IsString():
		return v.StringValue()
	case v.IsArray():
		a := []any{}
		for _, e := range v.ArrayValue() {
			a = append(a, plain(e))
		}
		return a
	case v.IsObject():
		m := map[string]any{}
		for k, e := range v.ObjectValue() {
			if e.IsNull() {
				continue
			}
			m[string(k)] = plain(e)
		}
		return m
	case v.IsSecret():
		return redact(plain(v.SecretValue().Element))
	case v.IsOutput():
		o := v.OutputValue()
		if !o.Known {
			return "[unknown]"
		}
		if o.Secret {
			return redact(plain(o.Element))
		}
		return plain(o.Element)
	case v.IsComputed():
		return "[unknown]"
	}
	return fmt.Sprint(v.V)
}

func redact(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = redact(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = redact(e)
		}
		return x
	case nil:
		return nil
	default:
		return Placeholder
	}
}

// Render runs the program under Pulumi's mocks — no cluster, no Pulumi CLI, no
// provider plugin — and returns every object it would create.
func Render(o Options, stack string) ([]Object, error) {
	o.DryRun = true
	rec := &Recorder{}
	if err := pulumi.RunErr(Program(o), pulumi.WithMocks(Project, stack, rec)); err != nil {
		return nil, err
	}
	return rec.Objects(), nil
}

// YAML writes objects as a multi-document YAML stream (kubectl apply -f takes it).
func YAML(objs []Object) ([]byte, error) {
	var buf bytes.Buffer
	for i, o := range objs {
		if i > 0 {
			buf.WriteString("---\n")
		}
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(o.Body); err != nil {
			return nil, err
		}
		if err := enc.Close(); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

// JSON writes objects as a v1 List.
func JSON(objs []Object) ([]byte, error) {
	items := make([]map[string]any, 0, len(objs))
	for _, o := range objs {
		items = append(items, o.Body)
	}
	b, err := json.MarshalIndent(map[string]any{"apiVersion": "v1", "kind": "List", "items": items}, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
