package deploy

import (
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

	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"

	"github.com/jacscale/jac/infra/settings"
	"github.com/jacscale/jac/targets/kubernetes"
)

const depURN = "urn:pulumi:todo-default::jac-scale::jac:infra:App$kubernetes:apps/v1:Deployment::app-deployment"

func engineEvents() []events.EngineEvent {
	ev := func(e apitype.EngineEvent) events.EngineEvent { return events.EngineEvent{EngineEvent: e} }
	meta := func(op apitype.OpType, urn, typ string) apitype.StepEventMetadata {
		return apitype.StepEventMetadata{Op: op, URN: urn, Type: typ}
	}
	return []events.EngineEvent{
		ev(apitype.EngineEvent{ResourcePreEvent: &apitype.ResourcePreEvent{Metadata: meta(apitype.OpCreate, "urn:pulumi:s::jac-scale::pulumi:pulumi:Stack::jac-scale-s", "pulumi:pulumi:Stack")}}),
		ev(apitype.EngineEvent{ResourcePreEvent: &apitype.ResourcePreEvent{Metadata: meta(apitype.OpCreate, depURN, "kubernetes:apps/v1:Deployment")}}),
		ev(apitype.EngineEvent{DiagnosticEvent: &apitype.DiagnosticEvent{URN: depURN, Severity: "info", Message: "[1/2] Waiting for app ReplicaSet be marked available\n", Ephemeral: true}}),
		ev(apitype.EngineEvent{ResOutputsEvent: &apitype.ResOutputsEvent{Metadata: meta(apitype.OpCreate, depURN, "kubernetes:apps/v1:Deployment")}}),
		ev(apitype.EngineEvent{ResourcePreEvent: &apitype.ResourcePreEvent{Metadata: meta(apitype.OpSame, "urn:pulumi:s::jac-scale::kubernetes:core/v1:Secret::app-secret", "kubernetes:core/v1:Secret")}}),
		ev(apitype.EngineEvent{ResourcePreEvent: &apitype.ResourcePreEvent{Metadata: meta(apitype.OpUpdate, "urn:pulumi:s::jac-scale::kubernetes:core/v1:Service::app-service", "kubernetes:core/v1:Service")}}),
		ev(apitype.EngineEvent{ResOpFailedEvent: &apitype.ResOpFailedEvent{Metadata: meta(apitype.OpUpdate, "urn:pulumi:s::jac-scale::kubernetes:core/v1:Service::app-service", "kubernetes:core/v1:Service")}}),
		ev(apitype.EngineEvent{DiagnosticEvent: &apitype.DiagnosticEvent{Severity: "error", Message: "update failed"}}),
		ev(apitype.EngineEvent{SummaryEvent: &apitype.SummaryEvent{DurationSeconds: 42, ResourceChanges: map[apitype.OpType]int{"create": 5, "same": 2, "update": 0}}}),
	}
}

func TestRendererText(t *testing.T) {
	var buf bytes.Buffer
	r := NewRenderer(&buf, false)
	clock := time.Unix(0, 0)
	r.now = func() time.Time { clock = clock.Add(1500 * time.Millisecond); return clock }
	r.Phase("up", "todo-default")
	for _, e := range engineEvents() {
		r.Event(e)
	}
	r.Result("http://localhost:30001", map[string]any{"url": "http://localhost:30001"}, 0)
	want := `Deploying stack todo-default
  +  creating Deployment app-deployment
     … app-deployment: [1/2] Waiting for app ReplicaSet be marked available
  ✓  created Deployment app-deployment (1.5s)
  ~  updating Service app-service
  ✗  Service app-service failed
  error: update failed
5 created, 2 unchanged in 42s
Done. The app is at http://localhost:30001
`
	if buf.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", buf.String(), want)
	}
}

func TestRendererJSON(t *testing.T) {
	var buf bytes.Buffer
	r := NewRenderer(&buf, true)
	r.Phase("up", "todo-default")
	for _, e := range engineEvents() {
		r.Event(e)
	}
	r.Result("http://localhost:30001", nil, 0)
	r.Error(fmt.Errorf("x: %w", kubernetes.ErrAuth))
	var got []Event
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var e Event
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("not JSON: %q", line)
		}
		got = append(got, e)
	}
	types := []string{}
	for _, e := range got {
		types = append(types, e.Type+"/"+e.Phase+e.Severity)
	}
	want := "phase/up resource/start diagnostic/info resource/done resource/start resource/failed diagnostic/error summary/ result/ error/"
	if strings.Join(types, " ") != want {
		t.Errorf("events %s\nwant   %s", strings.Join(types, " "), want)
	}
	if got[1].Kind != "Deployment" || got[1].Name != "app-deployment" || got[1].Op != "create" || got[1].URN != depURN {
		t.Errorf("resource event %+v", got[1])
	}
	if got[7].Changes["create"] != 5 || got[7].Seconds != 42 {
		t.Errorf("summary %+v", got[7])
	}
	var pb bytes.Buffer
	NewRenderer(&pb, false).Event(events.EngineEvent{EngineEvent: apitype.EngineEvent{SummaryEvent: &apitype.SummaryEvent{
		IsPreview: true, ResourceChanges: map[apitype.OpType]int{"create": 2, "same": 3, "create-replacement": 1, "delete-replaced": 1}}}})
	if pb.String() != "Plan: 2 to create, 1 to replace, 3 unchanged\n" {
		t.Errorf("preview summary %q", pb.String())
	}
	if last := got[len(got)-1]; last.Kind != "auth" || last.Exit != ExitAuth {
		t.Errorf("error event %+v", last)
	}
}

func TestExitCodes(t *testing.T) {
	for _, c := range []struct {
		err  error
		code int
	}{
		{nil, ExitOK},
		{fmt.Errorf("x: %w", settings.ErrConfig), ExitConfig},
		{fmt.Errorf("x: %w", kubernetes.ErrAuth), ExitAuth},
		{fmt.Errorf("x: %w", ErrNoStack), ExitNotFound},
		{ErrDeclined, ExitDeclined},
		{&exec.Error{Name: "pulumi", Err: exec.ErrNotFound}, ExitNoCLI},
		{errors.New("error: no resource plugin 'pulumi-resource-kubernetes' found in the workspace"), ExitNoCLI},
		{errors.New("failed to run update: exit status 255\nerror: configured Kubernetes cluster is unreachable: unable to load schema information from the API server: Get \"https://127.0.0.1:6443/openapi/v2\": dial tcp 127.0.0.1:6443: connect: connection refused"), ExitNetwork},
		{errors.New("failed to run update: error: the server has asked for the client to provide credentials"), ExitAuth},
		{errors.New("failed to run update: error: 1 error occurred: * Deployment default/todo: resource was not ready"), ExitUpdate},
		{&Error{Code: ExitLocked, Err: errors.New("locked")}, ExitLocked},
		{errors.New("something else"), ExitOther},
	} {
		if got := ExitCode(c.err); got != c.code {
			t.Errorf("ExitCode(%v) = %d, want %d", c.err, got, c.code)
		}
	}
	seen := map[string]int{}
	for code := 0; code <= 9; code++ {
		k := Kind(code)
		if prev, dup := seen[k]; dup && k != "other" {
			t.Errorf("codes %d and %d are both %s", prev, code, k)
		}
		seen[k] = code
	}
}

func TestBackendAndPassphrase(t *testing.T) {
	home := t.TempDir()
	r := &Request{Home: home, Getenv: func(string) string { return "" }, Settings: settings.Defaults()}
	b, err := r.Backend()
	if err != nil || b != "file://"+filepath.ToSlash(filepath.Join(home, "state")) {
		t.Fatalf("backend %q %v", b, err)
	}
	env, err := r.Env()
	if err != nil {
		t.Fatal(err)
	}
	pf := env["PULUMI_CONFIG_PASSPHRASE_FILE"]
	st, err := os.Stat(pf)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("passphrase file %s: %v %v", pf, st, err)
	}
	first, _ := os.ReadFile(pf)
	r.Env()
	again, _ := os.ReadFile(pf)
	if len(first) < 64 || !bytes.Equal(first, again) {
		t.Fatal("passphrase not generated once")
	}
	// PULUMI_BACKEND_URL and PULUMI_CONFIG_PASSPHRASE are honoured.
	r2 := &Request{Home: t.TempDir(), Getenv: func(k string) string {
		return map[string]string{"PULUMI_BACKEND_URL": "s3://bucket/jac", "PULUMI_CONFIG_PASSPHRASE": "pw"}[k]
	}}
	if b, _ := r2.Backend(); b != "s3://bucket/jac" {
		t.Fatalf("PULUMI_BACKEND_URL: %s", b)
	}
	if env, _ := r2.Env(); env["PULUMI_CONFIG_PASSPHRASE_FILE"] != "" {
		t.Fatal("generated a passphrase although PULUMI_CONFIG_PASSPHRASE is set")
	}
	s := settings.Defaults()
	s.AppName, s.Namespace = "todo", "prod"
	if StackName(s) != "todo-prod" {
		t.Fatal(StackName(s))
	}
}

func TestConfirm(t *testing.T) {
	var errBuf bytes.Buffer
	r := &Request{Interactive: true, Stderr: &errBuf, Stdin: strings.NewReader("y\n")}
	if !r.confirm("Go?") || !strings.Contains(errBuf.String(), "Go? [y/N]") {
		t.Fatal("yes")
	}
	r = &Request{Interactive: true, Stderr: &errBuf, Stdin: strings.NewReader("\n")}
	if r.confirm("Go?") {
		t.Fatal("empty answer is no")
	}
	// No terminal, or --yes: never a prompt.
	r = &Request{Interactive: false, Stdin: strings.NewReader("")}
	if !r.confirm("Go?") {
		t.Fatal("non-interactive must not prompt")
	}
}
