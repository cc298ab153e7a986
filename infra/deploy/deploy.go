// Package deploy runs infra.Program through Pulumi's Automation API (an inline
// program, go/auto): `jac start --scale` (Up, or Preview) and `jac destroy`
// (Destroy). One stack per app and namespace, in a local state backend under
// ~/.jac/pulumi unless PULUMI_BACKEND_URL says otherwise; secrets encrypted with
// PULUMI_CONFIG_PASSPHRASE (or a passphrase generated once into that directory).
// Progress is rendered from the engine's event stream, for a terminal or as JSON
// lines, and errors map to distinct exit codes (ExitCode).
package deploy

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optremove"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/jacscale/jac/infra"
	"github.com/jacscale/jac/infra/settings"
)

// Request is one deploy, preview or destroy.
type Request struct {
	Settings settings.Settings
	Provider infra.ProviderFunc
	Getenv   func(string) string // default os.Getenv

	Yes         bool // never prompt
	Interactive bool // a terminal: prompt before changing anything unless Yes
	JSON        bool // one JSON event per line on Stdout

	// Headline is the first line of the revision's message in the stack history
	// (default "jac start --scale IMAGE"); the settings deployed follow it.
	Headline string
	// DeleteData makes Destroy delete the databases' volume claims and their
	// namespace, which it otherwise keeps.
	DeleteData bool

	Stdout, Stderr io.Writer
	Stdin          io.Reader

	// BackendURL overrides PULUMI_BACKEND_URL and the default file:// backend.
	BackendURL string
	// Home is the directory of the default backend and passphrase (default ~/.jac/pulumi).
	Home string
}

func (r *Request) getenv(k string) string {
	if r.Getenv != nil {
		return r.Getenv(k)
	}
	return os.Getenv(k)
}

// Result is what an Up produced.
type Result struct {
	URL      string
	Outputs  map[string]any
	Changes  map[string]int
	Revision int // the stack update's version
}

var stackChars = regexp.MustCompile(`[^A-Za-z0-9._-]`)

// StackName is the stack of an app in a namespace.
func StackName(s settings.Settings) string {
	return stackChars.ReplaceAllString(s.AppName+"-"+s.Namespace, "-")
}

// home is the default state directory.
func (r *Request) home() (string, error) {
	if r.Home != "" {
		return r.Home, nil
	}
	h, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(h, ".jac", "pulumi"), nil
}

// Backend returns the state backend URL: Request.BackendURL, PULUMI_BACKEND_URL,
// else file://~/.jac/pulumi/state (created).
func (r *Request) Backend() (string, error) {
	if r.BackendURL != "" {
		return r.BackendURL, nil
	}
	if u := r.getenv("PULUMI_BACKEND_URL"); u != "" {
		return u, nil
	}
	h, err := r.home()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(h, "state")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	return "file://" + filepath.ToSlash(dir), nil
}

// Env is the environment of the Pulumi CLI the workspace runs: offline-friendly
// flags and the secrets passphrase (PULUMI_CONFIG_PASSPHRASE[_FILE] if set, else
// one generated once into the state directory, mode 0600).
func (r *Request) Env() (map[string]string, error) {
	env := map[string]string{
		"PULUMI_SKIP_UPDATE_CHECK":  "true",
		"PULUMI_SKIP_CONFIRMATIONS": "true",
	}
	if r.getenv("PULUMI_CONFIG_PASSPHRASE") != "" || r.getenv("PULUMI_CONFIG_PASSPHRASE_FILE") != "" {
		return env, nil
	}
	backend, err := r.Backend()
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(backend, "file://") {
		return env, nil // a service backend encrypts with its own keys
	}
	h, err := r.home()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(h, 0o700); err != nil {
		return nil, err
	}
	p := filepath.Join(h, "passphrase")
	if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
		if err := os.WriteFile(p, []byte(randomHex(32)+"\n"), 0o600); err != nil {
			return nil, err
		}
	}
	env["PULUMI_CONFIG_PASSPHRASE_FILE"] = p
	return env, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// programError keeps the inline program's own error (it reaches the caller only as
// text through the engine otherwise), so that ExitCode can classify it.
type programError struct {
	mu  sync.Mutex
	err error
}

func (p *programError) wrap(f pulumi.RunFunc) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		err := f(ctx)
		if err != nil {
			p.mu.Lock()
			if p.err == nil {
				p.err = err
			}
			p.mu.Unlock()
		}
		return err
	}
}

func (p *programError) get() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// Stack creates or selects the app's stack in a local workspace with the
// project's settings, and makes sure it has its generated secrets.
func Stack(ctx context.Context, r *Request, create bool, prog pulumi.RunFunc) (auto.Stack, error) {
	backend, err := r.Backend()
	if err != nil {
		return auto.Stack{}, err
	}
	env, err := r.Env()
	if err != nil {
		return auto.Stack{}, err
	}
	proj := workspace.Project{
		Name:    tokens.PackageName(infra.Project),
		Runtime: workspace.NewProjectRuntimeInfo("go", nil),
		Backend: &workspace.ProjectBackend{URL: backend},
	}
	name := StackName(r.Settings)
	// A workspace directory per stack that outlives the run: it holds the stack's
	// settings file (Pulumi.STACK.yaml: the encrypted generated secrets and the
	// passphrase's salt). An inline program's default is a fresh temp dir.
	home, err := r.home()
	if err != nil {
		return auto.Stack{}, err
	}
	wd := filepath.Join(home, "workspaces", stackChars.ReplaceAllString(backendKey(backend), "_"), name)
	if err := os.MkdirAll(wd, 0o700); err != nil {
		return auto.Stack{}, err
	}
	opts := []auto.LocalWorkspaceOption{auto.Project(proj), auto.EnvVars(env), auto.WorkDir(wd)}
	var st auto.Stack
	if create {
		st, err = auto.UpsertStackInlineSource(ctx, name, infra.Project, prog, opts...)
	} else {
		st, err = auto.SelectStackInlineSource(ctx, name, infra.Project, prog, opts...)
	}
	if err != nil {
		return st, classifyWorkspace(name, err)
	}
	if create {
		if err := ensureSecret(ctx, st, infra.ConfigJWTSecret); err != nil {
			return st, err
		}
		if r.Settings.Monitoring && r.Settings.GrafanaAdminPassword == "" {
			if err := ensureSecret(ctx, st, infra.ConfigGrafanaPassword); err != nil {
				return st, err
			}
		}
	}
	return st, nil
}

// ensureSecret makes sure the stack's encrypted config has key: as it is, else
// restored from the stack's secret output of the same name (a CI job starts
// with an empty workspace directory but the same backend), else generated.
func ensureSecret(ctx context.Context, st auto.Stack, key string) error {
	if v, err := st.GetConfig(ctx, key); err == nil && v.Value != "" {
		return nil
	}
	value := randomHex(32)
	if outs, err := st.Outputs(ctx); err == nil {
		if o, ok := outs[key]; ok {
			if v, ok := o.Value.(string); ok && v != "" {
				value = v
			}
		}
	}
	return st.SetConfig(ctx, key, auto.ConfigValue{Value: value, Secret: true})
}

// objectCount is the number of Kubernetes objects in the stack's state.
func objectCount(ctx context.Context, st auto.Stack) (int, error) {
	_, n, err := stateDeployment(ctx, st, "")
	return n, err
}

// backendKey names a backend in a directory name.
func backendKey(u string) string {
	u = strings.TrimPrefix(u, "file://")
	if len(u) > 80 {
		u = u[len(u)-80:]
	}
	return u
}

func (r *Request) program(pe *programError) pulumi.RunFunc {
	return pe.wrap(infra.Program(infra.Options{Settings: r.Settings, Provider: r.Provider, Getenv: r.Getenv, DeleteData: r.DeleteData}))
}

func (r *Request) confirm(q string) bool {
	if r.Yes || !r.Interactive {
		return true
	}
	fmt.Fprintf(r.Stderr, "%s [y/N] ", q)
	in := r.Stdin
	if in == nil {
		in = os.Stdin
	}
	line, _ := bufio.NewReader(in).ReadString('\n')
	line = strings.ToLower(strings.TrimSpace(line))
	return line == "y" || line == "yes"
}

// ErrDeclined is a "no" at the prompt.
var ErrDeclined = errors.New("cancelled: nothing changed")

func (r *Request) streams() (*Renderer, chan events.EngineEvent, chan struct{}) {
	rd := NewRenderer(r.Stdout, r.JSON)
	ch := make(chan events.EngineEvent)
	done := make(chan struct{})
	go func() {
		for e := range ch {
			rd.Event(e)
		}
		close(done)
	}()
	return rd, ch, done
}

// Preview shows what an Up would change.
func Preview(ctx context.Context, r *Request) (map[string]int, error) {
	r.defaults()
	pe := &programError{}
	st, err := Stack(ctx, r, true, r.program(pe))
	if err != nil {
		return nil, r.fail(err, pe)
	}
	rd, ch, done := r.streams()
	rd.Phase("preview", StackName(r.Settings))
	res, err := st.Preview(ctx, optpreview.EventStreams(ch))
	<-done
	if err != nil {
		return nil, r.fail(err, pe)
	}
	changes := map[string]int{}
	for k, v := range res.ChangeSummary {
		changes[string(k)] = v
	}
	return changes, nil
}

// Up deploys: a preview and a prompt first on a terminal without Yes.
func Up(ctx context.Context, r *Request) (*Result, error) {
	r.defaults()
	pe := &programError{}
	st, err := Stack(ctx, r, true, r.program(pe))
	if err != nil {
		return nil, r.fail(err, pe)
	}
	if r.Interactive && !r.Yes {
		rd, ch, done := r.streams()
		rd.Phase("preview", st.Name())
		_, err := st.Preview(ctx, optpreview.EventStreams(ch))
		<-done
		if err != nil {
			return nil, r.fail(err, pe)
		}
		if !r.confirm("Deploy these changes?") {
			return nil, ErrDeclined
		}
	}
	headline := r.Headline
	if headline == "" {
		headline = "jac start --scale " + r.Settings.Image
	}
	rd, ch, done := r.streams()
	rd.Phase("up", st.Name())
	res, err := st.Up(ctx, optup.EventStreams(ch), optup.Message(recordSettings(headline, r.Settings)))
	<-done
	if err != nil {
		return nil, r.fail(err, pe, rd.Errors()...)
	}
	out := &Result{Outputs: map[string]any{}, Changes: map[string]int{}, Revision: res.Summary.Version}
	if out.Revision == 0 { // the file backend numbers no update: count the history
		if h, err := st.History(ctx, 0, 0); err == nil && len(h) > 0 {
			out.Revision = revisions(h)[0].Number
		}
	}
	for k, v := range res.Outputs {
		if v.Secret {
			out.Outputs[k] = infra.Placeholder
			continue
		}
		out.Outputs[k] = v.Value
	}
	if u, ok := res.Outputs[infra.OutputURL].Value.(string); ok {
		out.URL = u
	}
	if res.Summary.ResourceChanges != nil {
		for k, v := range *res.Summary.ResourceChanges {
			out.Changes[k] = v
		}
	}
	rd.Result(out.URL, out.Outputs, out.Revision)
	return out, nil
}

// Destroy deletes everything the app's stack holds, then the stack. The program
// runs (optdestroy.RunProgram) so that the target's provider gets fresh
// credentials (EKS and GKE tokens are short-lived).
func Destroy(ctx context.Context, r *Request) error {
	r.defaults()
	pe := &programError{}
	st, err := Stack(ctx, r, false, r.program(pe))
	if err != nil {
		return r.fail(err, pe)
	}
	question := fmt.Sprintf("Delete every object of stack %s (the databases' volume claims are kept)?", st.Name())
	if r.DeleteData {
		question = fmt.Sprintf("Delete every object of stack %s AND the databases' data (their volume claims)?", st.Name())
	}
	if !r.confirm(question) {
		return ErrDeclined
	}
	kept, err := retained(ctx, st, r.DeleteData)
	if err != nil {
		return r.fail(err, pe)
	}
	rd, ch, done := r.streams()
	rd.Phase("destroy", st.Name())
	var rmOpts []optremove.Option
	if n, err := objectCount(ctx, st); err == nil && n == 0 {
		// Nothing in the cluster (say, a first deploy that failed before creating
		// an object): no engine run, no provider needed; forget the stack and
		// what it holds (the stack itself, components, the provider).
		close(ch)
		<-done
		rmOpts = append(rmOpts, optremove.Force())
	} else {
		_, err = st.Destroy(ctx, optdestroy.EventStreams(ch), optdestroy.RunProgram(true))
		<-done
		if err != nil {
			return r.fail(err, pe)
		}
	}
	if err := st.Workspace().RemoveStack(ctx, st.Name(), rmOpts...); err != nil {
		return r.fail(err, pe)
	}
	if wd := st.Workspace().WorkDir(); strings.Contains(wd, string(filepath.Separator)+"workspaces"+string(filepath.Separator)) {
		os.RemoveAll(wd)
	}
	rd.Destroyed(kept)
	return nil
}

func (r *Request) defaults() {
	if r.Stdout == nil {
		r.Stdout = os.Stdout
	}
	if r.Stderr == nil {
		r.Stderr = os.Stderr
	}
}

// fail classifies err (the program's own error first) and, with JSON, prints it
// as an error event.
// The engine's error diagnostics (the API server's refusal, a timed-out rollout),
// which the Automation API's error lacks, are added to the message: diagnostics.
func (r *Request) fail(err error, pe *programError, diagnostics ...string) error {
	if perr := pe.get(); perr != nil {
		err = &Error{Code: ExitCode(perr), Err: perr, Detail: err}
	} else if _, ok := err.(*Error); !ok {
		code := ExitCode(err)
		msg := Summarize(err, code)
		if len(diagnostics) > 0 {
			msg += ": " + strings.Join(diagnostics, "; ")
		}
		err = &Error{Code: code, Err: err, Message: msg}
	}
	if r.JSON {
		NewRenderer(r.Stdout, true).Error(err)
	}
	return err
}
