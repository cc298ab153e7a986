//go:build !slim

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jacscale/jac/infra"
	"github.com/jacscale/jac/infra/deploy"
	"github.com/jacscale/jac/infra/kubetest"
)

// cluster is the package's test control plane (etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler, kwok with one fake node), started by the
// first test that needs it and stopped by TestMain.
var cluster = kubetest.Lazy{Options: kubetest.Options{Full: true}}

func TestMain(m *testing.M) {
	code := m.Run()
	cluster.Stop()
	os.Exit(code)
}

// digest is a made-up image digest: kwok runs no container, so the image is never pulled.
func digest(b byte) string {
	return "registry.example/todo@sha256:" + strings.Repeat(string(rune(b)), 64)
}

// TestPulumiEnvInstallsThePlugin: kubetest.PulumiEnv installs a provider plugin
// binary into a fresh PULUMI_HOME with the real CLI, at the version of the
// pulumi-kubernetes SDK this binary links (a stand-in file here: the install does
// not run it).
func TestPulumiEnvInstallsThePlugin(t *testing.T) {
	if os.Getenv(kubetest.EnvPulumi) == "" {
		t.Skip(kubetest.EnvPulumi + " is unset (make test builds the Pulumi CLI with hack/pulumi-cli.sh)")
	}
	dir := t.TempDir()
	plugin := filepath.Join(dir, "pulumi-resource-kubernetes")
	if err := os.WriteFile(plugin, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(kubetest.EnvPulumiKubernetes, plugin)
	env, err := kubetest.PulumiEnv(dir)
	if err != nil {
		t.Fatal(err)
	}
	installed := filepath.Join(env["PULUMI_HOME"], "plugins", "resource-kubernetes-v4.33.0", "pulumi-resource-kubernetes")
	if _, err := os.Stat(installed); err != nil {
		t.Fatalf("plugin not installed: %v", err)
	}
}

// cycle drives the real jac binary against the test cluster.
type cycle struct {
	t       *testing.T
	c       *kubetest.Cluster
	jac     string
	app     string
	env     map[string]string
	ns      string
	timings []string
}

// newCycle builds jac (plain `go build`, as `go install` would) and prepares its
// environment: the cluster's kubeconfig, a file:// state backend, a PULUMI_HOME
// with the Kubernetes provider plugin, a fresh HOME. It skips when the control
// plane or the Pulumi binaries are not configured.
func newCycle(t *testing.T, ns string) *cycle {
	dir := t.TempDir()
	penv, err := kubetest.PulumiEnv(dir)
	if errors.Is(err, kubetest.ErrNoAssets) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	c := cluster.Get(t)
	jac := filepath.Join(dir, "jac")
	t0 := time.Now()
	if out, err := exec.Command("go", "build", "-o", jac, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("jac built in %.1fs", time.Since(t0).Seconds())
	app, err := filepath.Abs(filepath.Join("..", "..", "examples", "todo", "app.jac"))
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"HOME":                     filepath.Join(dir, "home"),
		"KUBECONFIG":               c.Kubeconfig,
		"PULUMI_BACKEND_URL":       "file://" + filepath.Join(dir, "state"),
		"PULUMI_CONFIG_PASSPHRASE": "kubetest",
		"APP_NAME":                 "todo",
		"K8s_NAMESPACE":            ns,
		"JAC_IMAGE":                digest('a'),
	}
	for k, v := range penv {
		env[k] = v
	}
	for _, d := range []string{env["HOME"], filepath.Join(dir, "state")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	return &cycle{t: t, c: c, jac: jac, app: app, env: env, ns: ns}
}

// run is one jac command's outcome.
type run struct {
	code    int
	seconds float64
	events  []deploy.Event
	stdout  string
	stderr  string
}

// result is the run's result event (zero if none).
func (r run) result() deploy.Event {
	for _, e := range r.events {
		if e.Type == "result" {
			return e
		}
	}
	return deploy.Event{}
}

// summary is the run's change summary (nil if none).
func (r run) summary() map[string]int {
	for _, e := range r.events {
		if e.Type == "summary" && e.Phase == "" {
			return e.Changes
		}
	}
	return nil
}

// jac runs the binary with the cycle's environment plus extra (KEY=VALUE).
func (cy *cycle) jacCmd(extra []string, args ...string) run {
	cy.t.Helper()
	cmd := exec.Command(cy.jac, args...)
	cmd.Env = []string{}
	for k, v := range cy.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Env = append(cmd.Env, extra...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	t0 := time.Now()
	err := cmd.Run()
	r := run{seconds: time.Since(t0).Seconds(), stdout: stdout.String(), stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		cy.t.Fatalf("jac %s: %v", strings.Join(args, " "), err)
	}
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var e deploy.Event
		if json.Unmarshal(sc.Bytes(), &e) == nil && e.Type != "" {
			r.events = append(r.events, e)
		}
	}
	name := strings.Join(append(append([]string{}, args[:1]...), flagsOf(args)...), " ")
	cy.timings = append(cy.timings, fmt.Sprintf("%-40s %6.1fs exit %d", name, r.seconds, r.code))
	return r
}

// flagsOf is the flags of a command line (for the timing table).
func flagsOf(args []string) []string {
	var f []string
	for _, a := range args[1:] {
		if strings.HasPrefix(a, "-") && a != "--json" && a != "--yes" {
			f = append(f, a)
		}
	}
	return f
}

// must fails the test unless the run exited 0.
func (cy *cycle) must(r run, what string) run {
	cy.t.Helper()
	if r.code != 0 {
		cy.t.Fatalf("%s: exit %d\nstdout:\n%s\nstderr:\n%s", what, r.code, r.stdout, r.stderr)
	}
	return r
}

func (cy *cycle) up(extra ...string) run {
	return cy.jacCmd(extra, "start", cy.app, "--scale", "--yes", "--json")
}

func (cy *cycle) logTimings() {
	cy.t.Logf("timings (%s):\n%s", cy.ns, strings.Join(cy.timings, "\n"))
}

// get reads an object; false if it does not exist.
func (cy *cycle) get(path string, v any) bool {
	cy.t.Helper()
	err := cy.c.Get(cy.t.Context(), path, v)
	if kubetest.IsNotFound(err) {
		return false
	}
	if err != nil {
		cy.t.Fatalf("GET %s: %v", path, err)
	}
	return true
}

// deployment is the part of a Deployment the test checks.
type deployment struct {
	Spec struct {
		Replicas int
		Template struct {
			Spec struct{ Containers []struct{ Image string } }
		}
	}
	Status struct {
		ReadyReplicas, UpdatedReplicas int
		Conditions                     []struct{ Type, Status string }
	}
}

func (d deployment) image() string {
	if c := d.Spec.Template.Spec.Containers; len(c) > 0 {
		return c[0].Image
	}
	return ""
}

func (d deployment) available() bool {
	for _, c := range d.Status.Conditions {
		if c.Type == "Available" && c.Status == "True" {
			return true
		}
	}
	return false
}

// appDeployment is the app's Deployment, which must exist.
func (cy *cycle) appDeployment() deployment {
	cy.t.Helper()
	var d deployment
	if !cy.get(fmt.Sprintf("/apis/apps/v1/namespaces/%s/deployments/todo", cy.ns), &d) {
		cy.t.Fatal("no Deployment todo")
	}
	return d
}

// checkServing: the Deployment is Available with image, all replicas ready, and
// the Service has ready endpoints.
func (cy *cycle) checkServing(image string) {
	cy.t.Helper()
	d := cy.appDeployment()
	if !d.available() || d.image() != image || d.Status.ReadyReplicas != d.Spec.Replicas {
		cy.t.Fatalf("Deployment: available %v, image %s (want %s), ready %d/%d",
			d.available(), d.image(), image, d.Status.ReadyReplicas, d.Spec.Replicas)
	}
	var slices struct {
		Items []struct {
			Endpoints []struct {
				Conditions struct{ Ready *bool }
			}
		}
	}
	err := cy.c.Wait(cy.t.Context(), 30*time.Second, func() (bool, error) {
		cy.get(fmt.Sprintf("/apis/discovery.k8s.io/v1/namespaces/%s/endpointslices?labelSelector=kubernetes.io/service-name=todo", cy.ns), &slices)
		for _, s := range slices.Items {
			for _, e := range s.Endpoints {
				if e.Conditions.Ready != nil && *e.Conditions.Ready {
					return true, nil
				}
			}
		}
		return false, nil
	})
	if err != nil {
		cy.t.Fatalf("Service todo has no ready endpoint: %v (%+v)", err, slices)
	}
}

// replicaSets are the app's ReplicaSets: image -> desired replicas.
func (cy *cycle) replicaSets() map[string]int {
	var l struct {
		Items []struct {
			Spec struct {
				Replicas int
				Template struct {
					Spec struct{ Containers []struct{ Image string } }
				}
			}
		}
	}
	cy.get(fmt.Sprintf("/apis/apps/v1/namespaces/%s/replicasets?labelSelector=app.kubernetes.io/name=todo", cy.ns), &l)
	m := map[string]int{}
	for _, rs := range l.Items {
		if c := rs.Spec.Template.Spec.Containers; len(c) > 0 {
			m[c[0].Image] = rs.Spec.Replicas
		}
	}
	return m
}

// stackObjectLists are the lists of every namespaced kind the stack creates.
var stackObjectLists = []string{
	"/api/v1/namespaces/%s/serviceaccounts", "/api/v1/namespaces/%s/secrets",
	"/api/v1/namespaces/%s/configmaps", "/api/v1/namespaces/%s/services",
	"/api/v1/namespaces/%s/persistentvolumeclaims",
	"/apis/rbac.authorization.k8s.io/v1/namespaces/%s/roles", "/apis/rbac.authorization.k8s.io/v1/namespaces/%s/rolebindings",
	"/apis/apps/v1/namespaces/%s/statefulsets", "/apis/apps/v1/namespaces/%s/deployments",
	"/apis/autoscaling/v2/namespaces/%s/horizontalpodautoscalers", "/apis/policy/v1/namespaces/%s/poddisruptionbudgets",
}

// stackObjects lists the objects jac labelled as its own in the namespace, as
// Kind/name (the ReplicaSets and Pods that controllers make from them excluded).
func (cy *cycle) stackObjects() []string {
	cy.t.Helper()
	var names []string
	for _, p := range stackObjectLists {
		var l struct {
			Kind  string
			Items []struct{ Metadata struct{ Name string } }
		}
		cy.get(fmt.Sprintf(p, cy.ns)+"?labelSelector="+infra.LabelManagedBy+"="+infra.ManagedBy, &l)
		for _, it := range l.Items {
			names = append(names, strings.TrimSuffix(l.Kind, "List")+"/"+it.Metadata.Name)
		}
	}
	return names
}

// namespaceExists reports whether the namespace exists and is not being deleted.
func (cy *cycle) namespaceExists() bool {
	var ns struct{ Status struct{ Phase string } }
	return cy.get("/api/v1/namespaces/"+cy.ns, &ns) && ns.Status.Phase != "Terminating"
}

// status runs jac status --json.
func (cy *cycle) status() deploy.Status {
	cy.t.Helper()
	r := cy.must(cy.jacCmd(nil, "status", cy.app, "--json"), "jac status")
	var st deploy.Status
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
		cy.t.Fatalf("jac status --json: %v\n%s", err, r.stdout)
	}
	return st
}

// TestDeployCycle is the whole life of an app on a real control plane, through the
// jac binary: deploy, deploy again (no change), a new image (rolling update), status,
// rollback, a failed update (the previous revision keeps serving, exit 6) and its
// repair, destroy (every object gone, the namespace too: no data to keep).
func TestDeployCycle(t *testing.T) {
	cy := newCycle(t, "cycle")
	defer cy.logTimings()

	first := cy.must(cy.up(), "first deploy")
	res := first.result()
	if res.URL != "http://localhost:30001" || res.Revision == 0 {
		t.Fatalf("result %+v", res)
	}
	cy.checkServing(digest('a'))
	for _, e := range first.events {
		if e.Type == "resource" && e.Phase == "done" && e.Kind == "Deployment" {
			t.Logf("Deployment created and Available in %.1fs (whole deploy %.1fs)", e.Seconds, first.seconds)
		}
	}

	again := cy.must(cy.up(), "second deploy")
	for op, n := range again.summary() {
		if op != "same" && n > 0 {
			t.Errorf("second deploy changed something: %v", again.summary())
		}
	}

	upgrade := cy.must(cy.up("JAC_IMAGE="+digest('b')), "new image")
	if c := upgrade.summary(); c["update"] == 0 {
		t.Errorf("new image: changes %v", c)
	}
	cy.checkServing(digest('b'))
	err := cy.c.Wait(t.Context(), 30*time.Second, func() (bool, error) {
		rs := cy.replicaSets()
		return len(rs) == 2 && rs[digest('a')] == 0 && rs[digest('b')] == 1, nil
	})
	if err != nil {
		t.Fatalf("rolling update: ReplicaSets %v, want the old one at 0 and a new one at 1", cy.replicaSets())
	}

	st := cy.status()
	if st.Stack != "todo-cycle" || st.Revision != upgrade.result().Revision || st.Deployed != st.Revision ||
		st.Image != digest('b') || !st.Live || st.Ready != 1 || st.Desired != 1 ||
		st.URL != "http://localhost:30001" || st.LastUpdate == "" {
		t.Errorf("status %+v", st)
	}
	if text := cy.must(cy.jacCmd(nil, "status", cy.app), "jac status").stdout; !strings.Contains(text, digest('b')) || !strings.Contains(text, "1/1 ready") {
		t.Errorf("jac status:\n%s", text)
	}

	back := cy.must(cy.jacCmd(nil, "rollback", cy.app, "--yes", "--json"), "rollback")
	if back.result().Revision <= upgrade.result().Revision {
		t.Errorf("rollback revision %d, after %d", back.result().Revision, upgrade.result().Revision)
	}
	cy.checkServing(digest('a'))
	forward := cy.must(cy.jacCmd(nil, "rollback", cy.app, "--to", fmt.Sprint(upgrade.result().Revision), "--yes", "--json"), "rollback --to")
	cy.checkServing(digest('b'))
	if st := cy.status(); st.Revision != forward.result().Revision || st.Image != digest('b') {
		t.Errorf("status after rollback --to: %+v", st)
	}
	if r := cy.jacCmd(nil, "rollback", cy.app, "--to", "999", "--yes", "--json"); r.code != deploy.ExitConfig {
		t.Errorf("rollback --to 999: exit %d, want %d", r.code, deploy.ExitConfig)
	}

	// A setting only the API server refuses (a CPU request above the limit): the
	// Deployment is rejected, the previous revision keeps serving.
	broken := cy.up("JAC_IMAGE="+digest('c'), "K8s_CPU_REQUEST=2", "K8s_CPU_LIMIT=1")
	if broken.code != deploy.ExitUpdate {
		t.Fatalf("broken deploy: exit %d, want %d\n%s\n%s", broken.code, deploy.ExitUpdate, broken.stdout, broken.stderr)
	}
	var failure deploy.Event
	for _, e := range broken.events {
		if e.Type == "error" {
			failure = e
		}
	}
	if failure.Kind != "update_failed" || !strings.Contains(failure.Message, "Deployment") && !strings.Contains(failure.Message, "cpu") {
		t.Errorf("broken deploy's error event: %+v", failure)
	}
	cy.checkServing(digest('b'))
	if st := cy.status(); st.Result != "failed" || st.Deployed != forward.result().Revision {
		t.Errorf("status after a failed update: %+v", st)
	}
	cy.must(cy.up("JAC_IMAGE="+digest('c')), "repair")
	cy.checkServing(digest('c'))

	if objs := cy.stackObjects(); len(objs) != 5 {
		t.Errorf("before destroy: %v (want Secret, Service, Deployment, HorizontalPodAutoscaler, PodDisruptionBudget)", objs)
	}
	destroy := cy.must(cy.jacCmd(nil, "destroy", cy.app, "--yes", "--json"), "destroy")
	if kept := destroy.result().Kept; len(kept) != 0 {
		t.Errorf("destroy kept %v without databases", kept)
	}
	if objs := cy.stackObjects(); len(objs) != 0 {
		t.Errorf("after destroy: %v", objs)
	}
	if err := cy.c.Wait(t.Context(), time.Minute, func() (bool, error) { return !cy.namespaceExists(), nil }); err != nil {
		t.Errorf("namespace %s still there after destroy", cy.ns)
	}
	if r := cy.jacCmd(nil, "status", cy.app, "--json"); r.code != deploy.ExitNotFound {
		t.Errorf("status after destroy: exit %d, want %d", r.code, deploy.ExitNotFound)
	}
}

// claim is the part of a PersistentVolumeClaim the test checks.
type claim struct {
	Metadata struct{ UID string }
	Spec     struct{ VolumeName string }
	Status   struct{ Phase string }
}

// claims reads the databases' claims by name.
func (cy *cycle) claims() map[string]claim {
	m := map[string]claim{}
	for _, e := range []infra.Engine{infra.MongoDB, infra.Redis} {
		var c claim
		name := infra.ClaimName("todo", e)
		if cy.get(fmt.Sprintf("/api/v1/namespaces/%s/persistentvolumeclaims/%s", cy.ns, name), &c) {
			m[name] = c
		}
	}
	return m
}

// TestDeployCycleWithData: MongoDB, Redis and monitoring on, volumes from
// PersistentVolumes the test provides. jac destroy keeps the claims and their
// namespace; the next deploy binds the same claims (same UID, same volume), so the
// data would still be there (kwok runs no container: the claims' identity and
// binding is what can be checked); destroy --delete-data deletes them.
func TestDeployCycleWithData(t *testing.T) {
	cy := newCycle(t, "data")
	defer cy.logTimings()
	ctx := t.Context()
	for i := range 2 {
		if err := cy.c.CreateHostPathPV(ctx, fmt.Sprintf("data-pv-%d", i), "1Gi"); err != nil {
			t.Fatal(err)
		}
	}
	cy.env["K8s_MONGODB"], cy.env["K8s_REDIS"], cy.env["JAC_MONITORING"] = "true", "true", "true"
	cy.env["K8s_NODE_PORT"] = "30002"

	first := cy.must(cy.up(), "deploy with databases and monitoring")
	res := first.result()
	if res.Outputs[infra.OutputGrafanaURL] == nil || res.Outputs[infra.OutputPrometheusURL] == nil {
		t.Errorf("outputs %v", res.Outputs)
	}
	cy.checkServing(digest('a'))
	before := cy.claims()
	if len(before) != 2 {
		t.Fatalf("claims %v", before)
	}
	for name, c := range before {
		if c.Status.Phase != "Bound" || c.Spec.VolumeName == "" {
			t.Fatalf("claim %s: %+v", name, c)
		}
	}
	t.Logf("%d objects", len(cy.stackObjects()))

	destroy := cy.must(cy.jacCmd(nil, "destroy", cy.app, "--yes", "--json"), "destroy keeping data")
	want := []string{"Namespace/data",
		"PersistentVolumeClaim/data/" + infra.ClaimName("todo", infra.MongoDB),
		"PersistentVolumeClaim/data/" + infra.ClaimName("todo", infra.Redis)}
	if got := destroy.result().Kept; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("kept %v, want %v", got, want)
	}
	if objs := cy.stackObjects(); len(objs) != 2 || !strings.HasPrefix(objs[0], "PersistentVolumeClaim/") {
		t.Errorf("after destroy: %v, want only the two claims", objs)
	}
	if !cy.namespaceExists() {
		t.Fatal("the namespace holding the claims was deleted")
	}

	cy.must(cy.up(), "deploy again")
	cy.checkServing(digest('a'))
	after := cy.claims()
	for name, b := range before {
		a := after[name]
		if a.Metadata.UID != b.Metadata.UID || a.Spec.VolumeName != b.Spec.VolumeName || a.Status.Phase != "Bound" {
			t.Errorf("claim %s: before %+v, after %+v (want the same claim, bound to the same volume)", name, b, a)
		}
	}
	var sts struct{ Status struct{ ReadyReplicas int } }
	for _, e := range []infra.Engine{infra.MongoDB, infra.Redis} {
		cy.get(fmt.Sprintf("/apis/apps/v1/namespaces/%s/statefulsets/%s", cy.ns, infra.DatabaseName("todo", e)), &sts)
		if sts.Status.ReadyReplicas != 1 {
			t.Errorf("StatefulSet %s: %d ready", infra.DatabaseName("todo", e), sts.Status.ReadyReplicas)
		}
	}

	if r := cy.jacCmd(nil, "destroy", cy.app, "--delete-data", "--json"); r.code != deploy.ExitConfig {
		t.Errorf("destroy --delete-data without --yes off a terminal: exit %d, want %d", r.code, deploy.ExitConfig)
	}
	cy.must(cy.jacCmd(nil, "destroy", cy.app, "--delete-data", "--yes", "--json"), "destroy --delete-data")
	if err := cy.c.Wait(ctx, time.Minute, func() (bool, error) { return !cy.namespaceExists() && len(cy.claims()) == 0, nil }); err != nil {
		t.Errorf("after destroy --delete-data: namespace there %v, claims %v", cy.namespaceExists(), cy.claims())
	}
}
