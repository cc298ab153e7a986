package deploy

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"

	"github.com/jacscale/jac/infra/settings"
)

// TestRevisionRecordsSettings: the settings an update deployed are read back from
// its message (secrets excluded) and applied to other settings.
func TestRevisionRecordsSettings(t *testing.T) {
	s := settings.Defaults()
	s.AppName, s.Image, s.Replicas = "todo", "registry.example/todo@sha256:"+strings.Repeat("a", 64), 3
	s.GrafanaAdminPassword = "hunter2"
	msg := recordSettings("jac start --scale X", s)
	if strings.Contains(msg, "hunter2") {
		t.Fatal("the Grafana password is recorded")
	}
	end := "2026-12-07T17:00:01Z"
	// As the file backend's CLI lists them: newest first, no version numbers, a
	// message with a line break quoted.
	revs := revisions([]auto.UpdateSummary{
		{Kind: "update", Result: "failed", Message: recordSettings("broken", settings.Defaults())},
		{Kind: "update", Result: "succeeded", Message: strconv.Quote(msg), StartTime: "2026-12-07T17:00:00Z", EndTime: &end},
	})
	if revs[0].Number != 2 || revs[1].Number != 1 || revs[1].Message != "jac start --scale X" || revs[1].EndTime != end {
		t.Fatalf("revisions %+v", revs)
	}
	if revs[1].Image() != s.Image || !revs[1].Deployed() || revs[0].Deployed() {
		t.Fatalf("revision 1: %+v", revs[1])
	}
	other := settings.Defaults()
	other.GrafanaAdminPassword = "kept"
	if err := revs[1].Apply(&other); err != nil {
		t.Fatal(err)
	}
	if other.Image != s.Image || other.Replicas != 3 || other.AppName != "todo" || other.GrafanaAdminPassword != "kept" {
		t.Errorf("applied: image %s replicas %d app %s grafana %q", other.Image, other.Replicas, other.AppName, other.GrafanaAdminPassword)
	}
	if recordedSettings("a message not written by jac") != nil {
		t.Error("settings read from a foreign message")
	}
}

// TestRollbackTarget: the default is the successful deploy before the newest
// successful one; --to must name a successful deploy.
func TestRollbackTarget(t *testing.T) {
	rec := map[string]string{"JAC_IMAGE": "x"}
	h := []Revision{ // newest first
		{Number: 5, Kind: "update", Result: "failed", Settings: rec},
		{Number: 4, Kind: "update", Result: "succeeded", Settings: rec},
		{Number: 3, Kind: "refresh", Result: "succeeded"},
		{Number: 2, Kind: "update", Result: "succeeded", Settings: rec},
		{Number: 1, Kind: "update", Result: "succeeded"}, // not deployed by jac
	}
	if r, err := RollbackTarget(h, 0); err != nil || r.Number != 2 {
		t.Errorf("default: %d %v", r.Number, err)
	}
	if r, err := RollbackTarget(h, 4); err != nil || r.Number != 4 {
		t.Errorf("--to 4: %d %v", r.Number, err)
	}
	for _, to := range []int{5, 3, 1, 9} {
		if _, err := RollbackTarget(h, to); !errors.Is(err, settings.ErrConfig) {
			t.Errorf("--to %d: %v", to, err)
		}
	}
	if _, err := RollbackTarget(h[:2], 0); !errors.Is(err, settings.ErrConfig) {
		t.Errorf("one deploy only: %v", err)
	}
}

// TestObjectName: retained objects are named Kind/namespace/name from the state.
func TestObjectName(t *testing.T) {
	res := map[string]json.RawMessage{
		"type":    json.RawMessage(`"kubernetes:core/v1:PersistentVolumeClaim"`),
		"outputs": json.RawMessage(`{"metadata":{"name":"data-todo-redis-0","namespace":"prod"}}`),
	}
	if got := objectName(res); got != "PersistentVolumeClaim/prod/data-todo-redis-0" {
		t.Errorf("got %q", got)
	}
	res["type"], res["outputs"] = json.RawMessage(`"kubernetes:core/v1:Namespace"`), json.RawMessage(`{"metadata":{"name":"prod"}}`)
	if got := objectName(res); got != "Namespace/prod" {
		t.Errorf("got %q", got)
	}
}
