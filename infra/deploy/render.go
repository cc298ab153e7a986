package deploy

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
)

// Event is one line of `--json` output.
type Event struct {
	Type     string         `json:"type"`               // phase, resource, diagnostic, summary, result, error
	Phase    string         `json:"phase,omitempty"`    // preview, up, destroy (type phase); start, done, failed (type resource)
	Stack    string         `json:"stack,omitempty"`    // type phase
	Op       string         `json:"op,omitempty"`       // create, update, delete, replace, same, ...
	Kind     string         `json:"kind,omitempty"`     // resource kind (Deployment) or error kind (auth)
	Name     string         `json:"name,omitempty"`     // Pulumi resource name
	URN      string         `json:"urn,omitempty"`      // Pulumi URN
	Severity string         `json:"severity,omitempty"` // diagnostics: info, info#err, warning, error
	Message  string         `json:"message,omitempty"`
	Seconds  float64        `json:"seconds,omitempty"`
	Changes  map[string]int `json:"changes,omitempty"`
	URL      string         `json:"url,omitempty"`
	Outputs  map[string]any `json:"outputs,omitempty"`
	Revision int            `json:"revision,omitempty"` // type result: the stack update that deployed
	Kept     []string       `json:"kept,omitempty"`     // type result of a destroy: objects retained (Kind/namespace/name)
	Exit     int            `json:"exit,omitempty"`
}

// Renderer turns engine events into progress lines or JSON events.
type Renderer struct {
	mu     sync.Mutex
	errors []string // error diagnostics seen, in order, without repeats
	w      io.Writer
	json   bool
	starts map[string]time.Time
	now    func() time.Time
}

// NewRenderer writes to w, as JSON lines when asJSON.
func NewRenderer(w io.Writer, asJSON bool) *Renderer {
	return &Renderer{w: w, json: asJSON, starts: map[string]time.Time{}, now: time.Now}
}

func (r *Renderer) emit(e Event, text string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.json {
		b, _ := json.Marshal(e)
		fmt.Fprintf(r.w, "%s\n", b)
		return
	}
	if text != "" {
		fmt.Fprintln(r.w, text)
	}
}

// urnName splits a URN (urn:pulumi:STACK::PROJECT::TYPE$TYPE::NAME) into the
// last type token and the name.
func urnName(urn string) (typ, name string) {
	parts := strings.Split(urn, "::")
	if len(parts) < 4 {
		return "", urn
	}
	types := strings.Split(parts[2], "$")
	return types[len(types)-1], parts[3]
}

// kindOf is the last segment of a type token: kubernetes:apps/v1:Deployment -> Deployment.
func kindOf(typ string) string {
	if i := strings.LastIndex(typ, ":"); i >= 0 {
		return typ[i+1:]
	}
	return typ
}

// shown reports whether a resource is worth a line: Kubernetes objects only
// (not the stack, components or providers).
func shown(typ string) bool {
	return strings.HasPrefix(typ, "kubernetes:") && !strings.HasPrefix(typ, "pulumi:providers:")
}

var opVerb = map[apitype.OpType][2]string{
	apitype.OpCreate:            {"+", "creating"},
	apitype.OpUpdate:            {"~", "updating"},
	apitype.OpDelete:            {"-", "deleting"},
	apitype.OpReplace:           {"+-", "replacing"},
	apitype.OpCreateReplacement: {"+-", "replacing"},
	apitype.OpDeleteReplaced:    {"--", "deleting old"},
	apitype.OpRead:              {">", "reading"},
	apitype.OpRefresh:           {"~", "refreshing"},
}

var opDone = map[apitype.OpType]string{
	apitype.OpCreate: "created", apitype.OpUpdate: "updated", apitype.OpDelete: "deleted",
	apitype.OpReplace: "replaced", apitype.OpCreateReplacement: "replaced", apitype.OpDeleteReplaced: "deleted old",
	apitype.OpRead: "read", apitype.OpRefresh: "refreshed",
}

// Phase announces a preview, up or destroy.
func (r *Renderer) Phase(phase, stack string) {
	r.emit(Event{Type: "phase", Phase: phase, Stack: stack}, fmt.Sprintf("%s stack %s", map[string]string{
		"preview": "Previewing", "up": "Deploying", "destroy": "Destroying",
	}[phase], stack))
}

// Event renders one engine event.
func (r *Renderer) Event(e events.EngineEvent) {
	switch {
	case e.ResourcePreEvent != nil:
		m := e.ResourcePreEvent.Metadata
		if !shown(m.Type) || m.Op == apitype.OpSame {
			return
		}
		r.mu.Lock()
		r.starts[m.URN] = r.now()
		r.mu.Unlock()
		_, name := urnName(m.URN)
		v := opVerb[m.Op]
		if v[0] == "" {
			v = [2]string{"*", string(m.Op)}
		}
		text := fmt.Sprintf("  %-2s %s %s %s", v[0], v[1], kindOf(m.Type), name)
		if e.ResourcePreEvent.Planning {
			text = fmt.Sprintf("  %-2s %s %s (planned)", v[0], kindOf(m.Type), name)
		}
		r.emit(Event{Type: "resource", Phase: "start", Op: string(m.Op), Kind: kindOf(m.Type), Name: name, URN: m.URN}, text)
	case e.ResOutputsEvent != nil:
		m := e.ResOutputsEvent.Metadata
		if !shown(m.Type) || m.Op == apitype.OpSame || e.ResOutputsEvent.Planning {
			return
		}
		_, name := urnName(m.URN)
		r.mu.Lock()
		secs := 0.0
		if t, ok := r.starts[m.URN]; ok {
			secs = r.now().Sub(t).Seconds()
		}
		r.mu.Unlock()
		done := opDone[m.Op]
		if done == "" {
			done = string(m.Op)
		}
		r.emit(Event{Type: "resource", Phase: "done", Op: string(m.Op), Kind: kindOf(m.Type), Name: name, URN: m.URN, Seconds: round(secs)},
			fmt.Sprintf("  ✓  %s %s %s (%.1fs)", done, kindOf(m.Type), name, secs))
	case e.ResOpFailedEvent != nil:
		m := e.ResOpFailedEvent.Metadata
		_, name := urnName(m.URN)
		r.emit(Event{Type: "resource", Phase: "failed", Op: string(m.Op), Kind: kindOf(m.Type), Name: name, URN: m.URN},
			fmt.Sprintf("  ✗  %s %s failed", kindOf(m.Type), name))
	case e.DiagnosticEvent != nil:
		d := e.DiagnosticEvent
		msg := strings.TrimSpace(d.Message)
		if msg == "" {
			return
		}
		_, name := urnName(d.URN)
		ev := Event{Type: "diagnostic", Severity: d.Severity, Message: msg, URN: d.URN, Name: name}
		var text string
		if d.Severity == "error" && d.URN != "" {
			r.noteError(name + ": " + msg)
		}
		switch {
		case d.Severity == "error":
			text = fmt.Sprintf("  error: %s", msg)
		case d.Severity == "warning":
			text = fmt.Sprintf("  warning: %s", msg)
		case d.URN != "":
			// The kubernetes provider's await logic: "Waiting for app ReplicaSet
			// be marked available", "[1/2] Waiting for app ReplicaSet...".
			text = fmt.Sprintf("     … %s: %s", name, msg)
		default:
			text = "  " + msg
		}
		r.emit(ev, text)
	case e.SummaryEvent != nil:
		s := e.SummaryEvent
		changes := map[string]int{}
		for k, v := range s.ResourceChanges {
			changes[string(k)] = v
		}
		text := fmt.Sprintf("%s in %ds", Summary(changes), s.DurationSeconds)
		if s.IsPreview {
			text = "Plan: " + Plan(changes)
		}
		r.emit(Event{Type: "summary", Phase: map[bool]string{true: "preview"}[s.IsPreview], Changes: changes, Seconds: float64(s.DurationSeconds)}, text)
	}
}

func (r *Renderer) noteError(e string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, x := range r.errors {
		if x == e {
			return
		}
	}
	r.errors = append(r.errors, e)
}

// Errors are the error diagnostics of resources seen so far ("app-deployment: ...").
func (r *Renderer) Errors() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errors...)
}

// Summary is "2 created, 1 updated, 5 unchanged".
func Summary(changes map[string]int) string {
	return describeChanges(changes, map[string]string{"create": "created", "update": "updated", "delete": "deleted",
		"replace": "replaced", "same": "unchanged", "read": "read", "refresh": "refreshed",
		"create-replacement": "replaced", "delete-replaced": "old deleted"}, nil)
}

// Plan is "2 to create, 1 to update, 5 unchanged".
func Plan(changes map[string]int) string {
	return describeChanges(changes, map[string]string{"create": "to create", "update": "to update", "delete": "to delete",
		"replace": "to replace", "same": "unchanged", "create-replacement": "to replace",
		"delete-replaced": "to delete (replaced)"},
		func(k string) bool { return k == "delete-replaced" && changes["create-replacement"] > 0 })
}

// describeChanges lists the non-zero counts by operation, in name order, with
// each operation's words; skip drops an operation.
func describeChanges(changes map[string]int, names map[string]string, skip func(string) bool) string {
	keys := make([]string, 0, len(changes))
	for k := range changes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		if changes[k] == 0 || skip != nil && skip(k) {
			continue
		}
		n := names[k]
		if n == "" {
			n = k
		}
		parts = append(parts, fmt.Sprintf("%d %s", changes[k], n))
	}
	if len(parts) == 0 {
		return "no changes"
	}
	return strings.Join(parts, ", ")
}

// Result is the last event of a successful deploy (revision 0: unknown).
func (r *Renderer) Result(url string, outputs map[string]any, revision int) {
	text := "Done."
	if revision > 0 {
		text = fmt.Sprintf("Done: revision %d.", revision)
	}
	if url != "" {
		text += " The app is at " + url
		if g, ok := outputs["grafanaUrl"].(string); ok {
			text += "\nGrafana: " + g + " (user admin)"
		}
		if p, ok := outputs["prometheusUrl"].(string); ok {
			text += "\nPrometheus: " + p
		}
	}
	r.emit(Event{Type: "result", URL: url, Outputs: outputs, Revision: revision}, text)
}

// Destroyed is the last event of a successful destroy: what it kept.
func (r *Renderer) Destroyed(kept []string) {
	text := "Done."
	if len(kept) > 0 {
		text = "Done. Kept with their data (jac destroy --delete-data deletes them): " + strings.Join(kept, ", ")
	}
	r.emit(Event{Type: "result", Kept: kept}, text)
}

// Error is the last event of a failed run (JSON only; the CLI prints the text).
func (r *Renderer) Error(err error) {
	code := ExitCode(err)
	r.emit(Event{Type: "error", Kind: Kind(code), Exit: code, Message: err.Error()}, "")
}

func round(f float64) float64 { return float64(int64(f*10+0.5)) / 10 }
