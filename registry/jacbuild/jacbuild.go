// Package jacbuild is the logic of `jac build` (and of the build step of
// `jac start --scale --build`): build the app's image, then write it as an OCI
// layout tar and/or push it with the registry's own auth flow, reporting progress
// on a terminal or as JSON lines, and failing with errors registry.ExitCode maps
// to exit statuses.
package jacbuild

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/jacscale/jac/registry"
	"github.com/jacscale/jac/registry/auth"
	"github.com/jacscale/jac/registry/runtimebin"
)

// Request is one `jac build`.
type Request struct {
	App         string   // entry .jac file ("" only with RuntimeOnly)
	Image       string   // --image
	Push        bool     // --push
	Platforms   string   // --platform, comma-separated (default linux/amd64,linux/arm64)
	Tarball     string   // --tarball: write an OCI layout tar here
	Registry    string   // --registry: dockerhub, ecr, gcr, other ("" guesses from --image)
	Base        string   // --base: build on this runtime image instead of embedded binaries
	Runtime     []string // --runtime PLATFORM=PATH: runtime binaries from files
	RuntimeOnly bool     // --runtime-only: the runtime image, no app (a --base for later builds)
	Tag         string   // --tag: tag when --image has none (default latest)
	Source      string   // --source: org.opencontainers.image.source (default: git remote origin)
	Revision    string   // --revision: org.opencontainers.image.revision (default: git HEAD)
	Port        int      // --port the entrypoint serves on (default 8000)
	JSON        bool     // --json: one JSON event per line on Stdout
	Insecure    bool     // --insecure: plain http to the registry
	NoCreate    bool     // --no-create: never create the ECR / Artifact Registry repository
	Version     string   // the CLI version (org.opencontainers.image.version label)

	Stdout, Stderr io.Writer // default os.Stdout, os.Stderr

	// For embedding and tests.
	RuntimeSource registry.RuntimeSource // overrides Runtime and the embedded binaries
	Auth          auth.Options           // extra auth options (token source, AWS config, ...)
	Transport     http.RoundTripper
	Now           func() time.Time
}

// Result is what Run produced.
type Result struct {
	Digest    string        `json:"digest"`        // of the index
	Ref       string        `json:"ref,omitempty"` // repository@digest, when pushed
	Tag       string        `json:"tag,omitempty"` // repository:tag, when pushed
	Tarball   string        `json:"tarball,omitempty"`
	Images    []ImageResult `json:"images"`
	Bytes     int64         `json:"bytes_uploaded,omitempty"`
	BuildTime time.Duration `json:"-"`
	PushTime  time.Duration `json:"-"`
}

// ImageResult is one platform's image.
type ImageResult struct {
	Platform string `json:"platform"`
	Digest   string `json:"digest"`
	Size     int64  `json:"size"`
}

// Run builds, then writes and/or pushes. Errors carry a registry.Kind: pass them to
// registry.ExitCode for the process status. With JSON, the error is also printed as
// an "error" event.
func Run(ctx context.Context, req Request) (res *Result, err error) {
	if req.Stdout == nil {
		req.Stdout = os.Stdout
	}
	if req.Stderr == nil {
		req.Stderr = os.Stderr
	}
	pr := newPrinter(req)
	defer func() {
		if err != nil {
			pr.event(registry.Event{Type: "error", Message: err.Error(), Kind: registry.Classify(err).String(), Exit: registry.ExitCode(err)})
		}
		pr.finish()
	}()

	if req.App == "" && !req.RuntimeOnly {
		return nil, registry.Errorf(registry.KindInput, "build", "give the app's entry file: jac build APP.jac")
	}
	if req.App != "" && req.RuntimeOnly {
		return nil, registry.Errorf(registry.KindInput, "build", "--runtime-only builds no app: drop APP.jac")
	}
	platforms, err := registry.ParsePlatforms(req.Platforms)
	if err != nil {
		return nil, err
	}

	opts := []registry.Option{
		registry.WithPlatforms(platforms...),
		registry.WithProgress(pr.event),
		registry.WithVersion(req.Version),
		registry.WithUserAgent("jac/" + req.Version),
	}
	if req.Port != 0 {
		opts = append(opts, registry.WithPort(req.Port))
	}
	if req.Transport != nil {
		opts = append(opts, registry.WithTransport(req.Transport))
	}
	source, revision := req.Source, req.Revision
	if req.App != "" && (source == "" || revision == "") {
		gs, gr := gitInfo(filepath.Dir(req.App))
		if source == "" {
			source = gs
		}
		if revision == "" {
			revision = gr
		}
	}
	opts = append(opts, registry.WithSource(source), registry.WithRevision(revision))
	if req.Tarball != "" && req.App != "" {
		if rel, ok := inside(filepath.Dir(req.App), req.Tarball); ok {
			opts = append(opts, registry.WithExclude(rel))
		}
	}
	switch {
	case req.RuntimeSource != nil:
		opts = append(opts, registry.WithRuntime(req.RuntimeSource))
	case req.Base != "":
		ref, err := name.ParseReference(req.Base, insecure(req.Insecure)...)
		if err != nil {
			return nil, registry.Wrap(registry.KindInput, "--base", err)
		}
		ropts := []remote.Option{remote.WithAuthFromKeychain(authn.DefaultKeychain)}
		if req.Transport != nil {
			ropts = append(ropts, remote.WithTransport(req.Transport))
		}
		opts = append(opts, registry.WithBase(ref, ropts...))
	case len(req.Runtime) > 0:
		rf, err := registry.ParseRuntimeFiles(req.Runtime)
		if err != nil {
			return nil, err
		}
		opts = append(opts, registry.WithRuntime(rf))
	default:
		opts = append(opts, registry.WithRuntime(runtimebin.Source))
	}

	start := time.Now()
	b, err := registry.Build(ctx, req.App, opts...)
	if err != nil {
		return nil, err
	}
	res = &Result{Digest: b.Digest.String(), BuildTime: time.Since(start)}
	for _, pi := range b.Images {
		res.Images = append(res.Images, ImageResult{Platform: registry.PlatformString(pi.Platform), Digest: pi.Digest.String(), Size: pi.Size})
	}

	if req.Tarball != "" {
		refName := req.Image
		if err := writeTarball(req.Tarball, b, refName); err != nil {
			return nil, err
		}
		res.Tarball = req.Tarball
		pr.event(registry.Event{Type: "tarball", Message: req.Tarball, Digest: b.Digest.String()})
	}

	if req.Push {
		ao := req.Auth
		ao.Registry, ao.Image, ao.Tag, ao.Insecure, ao.NoCreate = req.Registry, req.Image, req.Tag, req.Insecure, req.NoCreate
		if req.App != "" {
			ao.AppName = registry.AppName(req.App)
		} else {
			ao.AppName = "jac-runtime"
		}
		ao.Progress = pr.event
		tg, err := auth.Resolve(ctx, ao)
		if err != nil {
			return nil, err
		}
		popts := append([]registry.Option{}, opts...)
		if tg.Auth != nil {
			popts = append(popts, registry.WithAuth(tg.Auth))
		} else {
			popts = append(popts, registry.WithKeychain(tg.Keychain))
		}
		pr.pushing(tg.Ref.String())
		pres, err := registry.Push(ctx, b, tg.Ref, popts...)
		if err != nil {
			return nil, err
		}
		res.Ref, res.Tag, res.Bytes, res.PushTime = pres.Ref.String(), tg.Ref.String(), pres.Bytes, pres.Elapsed
	}
	pr.done(res)
	return res, nil
}

func insecure(b bool) []name.Option {
	if b {
		return []name.Option{name.Insecure}
	}
	return nil
}

func writeTarball(path string, b *registry.Built, refName string) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return registry.Wrap(registry.KindInput, "--tarball", err)
	}
	if err := registry.WriteLayout(f, b, refName); err != nil {
		f.Close()
		os.Remove(tmp)
		return registry.Wrap(registry.KindOther, "--tarball", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return registry.Wrap(registry.KindOther, "--tarball", err)
	}
	return os.Rename(tmp, path)
}

// inside says whether file lies under dir, and its slash path relative to dir.
func inside(dir, file string) (string, bool) {
	ad, err1 := filepath.Abs(dir)
	af, err2 := filepath.Abs(file)
	if err1 != nil || err2 != nil {
		return "", false
	}
	rel, err := filepath.Rel(ad, af)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// printer writes events: JSON lines on Stdout, or readable lines on Stderr with a
// live progress line when Stderr is a terminal.
type printer struct {
	req       Request
	mu        sync.Mutex
	tty       bool
	lastProg  time.Time
	progShown bool
	enc       *json.Encoder
}

func newPrinter(req Request) *printer {
	p := &printer{req: req}
	if req.JSON {
		p.enc = json.NewEncoder(req.Stdout)
	}
	if f, ok := req.Stderr.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

func (p *printer) event(e registry.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if e.Time.IsZero() {
		e.Time = time.Now().UTC()
	}
	if p.enc != nil {
		p.enc.Encode(e)
		return
	}
	w := p.req.Stderr
	line := ""
	switch e.Type {
	case "layer":
		where := e.Platform
		if where == "" {
			where = "all platforms"
		}
		line = fmt.Sprintf("layer %-7s %-13s %s %s", e.Layer, where, short(e.Digest), humanBytes(e.Size))
		if e.Message != "" {
			line += " (" + e.Message + ")"
		}
	case "image":
		line = fmt.Sprintf("image %s %s %s compressed", e.Platform, short(e.Digest), humanBytes(e.Size))
	case "index":
		line = "index " + e.Digest
	case "auth":
		line = fmt.Sprintf("auth  %s as %s", e.Status, e.Message)
	case "repository":
		line = fmt.Sprintf("repository %s %s", e.Ref, e.Status)
	case "blob":
		line = fmt.Sprintf("blob  %s %s", short(e.Digest), e.Status)
	case "manifest":
		if e.Status == "exists" {
			line = fmt.Sprintf("manifest %s already there", e.Ref)
		}
	case "tarball":
		line = "wrote " + e.Message
	case "progress":
		now := time.Now()
		if e.Complete != e.Total && now.Sub(p.lastProg) < time.Second && !p.tty {
			return
		}
		p.lastProg = now
		text := fmt.Sprintf("push  %s / %s  %s/s", humanBytes(e.Complete), humanBytes(e.Total), humanBytes(int64(e.Speed)))
		if p.tty {
			fmt.Fprintf(w, "\r\033[K%s", text)
			p.progShown = true
			return
		}
		line = text
	case "sbom":
		line = "sbom  " + e.Ref + " (SPDX, attached to the image as an OCI referrer)"
	case "pushed":
		line = fmt.Sprintf("pushed %s (%s uploaded in %.2fs, %s/s)", e.Ref, humanBytes(e.Complete), e.Elapsed, humanBytes(int64(e.Speed)))
	case "error":
		return // the caller prints the error
	}
	if line == "" {
		return
	}
	if p.progShown {
		fmt.Fprint(w, "\r\033[K")
		p.progShown = false
	}
	fmt.Fprintln(w, line)
}

func (p *printer) pushing(ref string) {
	if p.enc == nil {
		p.event(registry.Event{Type: "info", Message: "pushing to " + ref})
	}
}

func (p *printer) done(r *Result) {
	if p.enc != nil {
		p.event(registry.Event{Type: "done", Digest: r.Digest, Ref: r.Ref, Message: r.Tarball})
		return
	}
	// The one line on stdout: what a script wants to capture.
	if r.Ref != "" {
		fmt.Fprintln(p.req.Stdout, r.Ref)
	} else {
		fmt.Fprintln(p.req.Stdout, r.Digest)
	}
}

func (p *printer) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.progShown {
		fmt.Fprintln(p.req.Stderr)
		p.progShown = false
	}
}

func short(d string) string {
	if i := strings.Index(d, ":"); i >= 0 && len(d) > i+13 {
		return d[:i+13]
	}
	return d
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
