package deploy

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"

	"github.com/jacscale/jac/infra/settings"
)

// A revision is one update of the app's stack: its number is the update's version in
// the stack history (what `pulumi stack history` shows). Each `jac start --scale` and
// `jac rollback` records the settings it deployed in the update's message, after the
// line settingsMarker, so that a rollback can deploy them again from the history alone.
const settingsMarker = "jac-scale-settings: "

// unrecorded are the settings a revision does not record: secrets (the generated or
// ${ENV}-resolved password is kept in the stack's encrypted config instead).
var unrecorded = map[string]bool{"GRAFANA_ADMIN_PASSWORD": true}

// Revision is one update in the stack history.
type Revision struct {
	Number    int               `json:"revision"`
	Kind      string            `json:"kind"`   // update, destroy, refresh, ...
	Result    string            `json:"result"` // succeeded, failed, in-progress
	Message   string            `json:"message"`
	StartTime string            `json:"startTime"`
	EndTime   string            `json:"endTime,omitempty"`
	Settings  map[string]string `json:"settings,omitempty"` // by environment variable; nil if not deployed by jac
}

// Image is the app image the revision deployed ("" if it recorded none).
func (r Revision) Image() string { return r.Settings["JAC_IMAGE"] }

// Deployed reports whether the revision is a successful deploy whose settings are known.
func (r Revision) Deployed() bool {
	return r.Kind == "update" && r.Result == "succeeded" && r.Settings != nil
}

// recordSettings is the message of an update deploying s.
func recordSettings(headline string, s settings.Settings) string {
	m := map[string]string{}
	for _, sp := range settings.Specs {
		if !unrecorded[sp.Env] {
			m[sp.Env] = sp.Get(&s)
		}
	}
	b, _ := json.Marshal(m) // a map of strings always marshals
	return headline + "\n" + settingsMarker + string(b)
}

// recordedSettings reads the settings recordSettings put in a message (nil if none).
func recordedSettings(msg string) map[string]string {
	i := strings.Index(msg, settingsMarker)
	if i < 0 {
		return nil
	}
	line, _, _ := strings.Cut(msg[i+len(settingsMarker):], "\n")
	var m map[string]string
	if json.Unmarshal([]byte(line), &m) != nil {
		return nil
	}
	return m
}

// Apply sets the recorded settings on s (the ones not recorded keep their value).
func (r Revision) Apply(s *settings.Settings) error {
	keys := make([]string, 0, len(r.Settings))
	for k := range r.Settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		sp, ok := settings.Lookup(k)
		if !ok {
			continue // a setting this version no longer has
		}
		if err := sp.Set(s, r.Settings[k]); err != nil {
			return fmt.Errorf("%w: revision %d: %w", settings.ErrConfig, r.Number, err)
		}
	}
	return s.Validate()
}

// revisions converts the stack history (newest first, as the CLI lists it) and
// returns it newest first. The file backend's history carries no version numbers
// (they are all 0): the updates are then numbered 1, 2, ... from the oldest, which is
// what the service backend's versions are too.
func revisions(h []auto.UpdateSummary) []Revision {
	out := make([]Revision, 0, len(h))
	for i, u := range h {
		msg := u.Message
		// The CLI prints a message with a line break as a quoted Go string.
		if m, err := strconv.Unquote(msg); err == nil {
			msg = m
		}
		r := Revision{Number: u.Version, Kind: u.Kind, Result: u.Result, StartTime: u.StartTime,
			Settings: recordedSettings(msg)}
		if r.Number == 0 {
			r.Number = len(h) - i
		}
		r.Message, _, _ = strings.Cut(msg, "\n")
		if u.EndTime != nil {
			r.EndTime = *u.EndTime
		}
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Number > out[j].Number })
	return out
}

// History is the app's stack history, newest first.
func History(ctx context.Context, r *Request) ([]Revision, error) {
	r.defaults()
	pe := &programError{}
	st, err := Stack(ctx, r, false, r.program(pe))
	if err != nil {
		return nil, r.fail(err, pe)
	}
	h, err := st.History(ctx, 0, 0)
	if err != nil {
		return nil, r.fail(err, pe)
	}
	return revisions(h), nil
}

// RollbackTarget picks the revision a rollback deploys from the history (newest
// first): revision to, which must be a successful deploy, or with to = 0 the
// successful deploy before the current one (the newest successful deploy).
func RollbackTarget(h []Revision, to int) (Revision, error) {
	var deployed []Revision
	for _, r := range h {
		if r.Deployed() {
			deployed = append(deployed, r)
		}
	}
	if to != 0 {
		for _, r := range h {
			if r.Number != to {
				continue
			}
			if !r.Deployed() {
				return r, fmt.Errorf("%w: revision %d is a %s that %s, not a successful deploy by jac", settings.ErrConfig, to, r.Kind, r.Result)
			}
			return r, nil
		}
		return Revision{}, fmt.Errorf("%w: the stack has no revision %d", settings.ErrConfig, to)
	}
	if len(deployed) < 2 {
		return Revision{}, fmt.Errorf("%w: no earlier successful deploy to roll back to (%d in the history)", settings.ErrConfig, len(deployed))
	}
	return deployed[1], nil
}
