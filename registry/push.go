package registry

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// PushResult says what a push did.
type PushResult struct {
	Ref      name.Digest   // repository@sha256:... of the index
	Uploaded []string      // digests of the blobs sent
	Existing []string      // digests the registry already had (not sent)
	Mounted  []string      // digests mounted from another repository
	Bytes    int64         // bytes of the blobs uploaded (not counting those skipped or mounted)
	SBOMs    []name.Digest // the SBOM artifacts attached to the images (OCI referrers)
	Elapsed  time.Duration
}

// Push uploads the built index and its images to ref (a tag or a repository; the
// result names the index by digest). Blobs the registry already has are not sent.
func Push(ctx context.Context, b *Built, ref name.Reference, opts ...Option) (*PushResult, error) {
	o := makeOptions(opts)
	start := time.Now()
	obs := &observer{o: o, start: start}
	var rt http.RoundTripper = remote.DefaultTransport
	if o.transport != nil {
		rt = o.transport
	}
	ropts := []remote.Option{
		remote.WithContext(ctx),
		remote.WithTransport(&observingTransport{next: rt, obs: obs}),
		remote.WithJobs(o.jobs),
	}
	switch {
	case o.auth != nil:
		ropts = append(ropts, remote.WithAuth(o.auth))
	case o.keychain != nil:
		ropts = append(ropts, remote.WithAuthFromKeychain(o.keychain))
	default:
		ropts = append(ropts, remote.WithAuthFromKeychain(authn.DefaultKeychain))
	}
	if o.userAgent != "" {
		ropts = append(ropts, remote.WithUserAgent(o.userAgent))
	}
	ropts = append(ropts, o.remoteOpts...)
	sbomOpts := ropts
	updates := make(chan v1.Update, 64)
	ropts = append(ropts[:len(ropts):len(ropts)], remote.WithProgress(updates))

	done := make(chan struct{})
	go func() {
		defer close(done)
		var last time.Time
		for u := range updates {
			if u.Error != nil {
				continue
			}
			obs.mu.Lock()
			obs.complete, obs.total = u.Complete, u.Total
			obs.mu.Unlock()
			if now := time.Now(); now.Sub(last) >= 200*time.Millisecond || u.Complete == u.Total {
				last = now
				el := now.Sub(start).Seconds()
				e := Event{Type: "progress", Ref: ref.String(), Complete: u.Complete, Total: u.Total, Elapsed: el}
				if el > 0 {
					e.Speed = float64(u.Complete) / el
				}
				obs.emit(e)
			}
		}
	}()
	err := remote.WriteIndex(ref, b.Index, ropts...)
	// WriteIndex closes updates when it started a push; not when its options failed.
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
	if err != nil {
		return nil, Wrap(KindOther, "push "+ref.Context().String(), err)
	}
	dg := ref.Context().Digest(b.Digest.String())
	sboms, err := pushSBOMs(ref.Context(), b, sbomOpts)
	if err != nil {
		return nil, err
	}
	for _, s := range sboms {
		obs.emit(Event{Type: "sbom", Ref: s.String(), Digest: s.DigestStr()})
	}
	res := &PushResult{Ref: dg, SBOMs: sboms, Elapsed: time.Since(start)}
	obs.mu.Lock()
	res.Uploaded, res.Existing, res.Mounted = obs.uploaded, obs.existing, obs.mounted
	obs.mu.Unlock()
	sizes := blobSizes(b)
	for _, d := range res.Uploaded {
		res.Bytes += sizes[d]
	}
	el := res.Elapsed.Seconds()
	e := Event{Type: "pushed", Ref: dg.String(), Digest: b.Digest.String(), Complete: res.Bytes, Elapsed: el}
	if el > 0 {
		e.Speed = float64(res.Bytes) / el
	}
	obs.emit(e)
	return res, nil
}

// pushSBOMs attaches each image's SBOM to it as an OCI referrer (an artifact
// manifest whose subject is the image), as ko does.
func pushSBOMs(repo name.Repository, b *Built, ropts []remote.Option) ([]name.Digest, error) {
	var out []name.Digest
	for _, pi := range b.Images {
		if pi.SBOM == nil {
			continue
		}
		art, err := newSBOMArtifact(pi, pi.SBOM)
		if err != nil {
			return nil, Wrap(KindOther, "sbom", err)
		}
		d, err := art.Digest()
		if err != nil {
			return nil, Wrap(KindOther, "sbom", err)
		}
		ref := repo.Digest(d.String())
		if err := remote.Write(ref, art, ropts...); err != nil {
			return nil, Wrap(KindOther, "push sbom "+ref.String(), err)
		}
		out = append(out, ref)
	}
	return out, nil
}

// observer turns registry requests into blob and manifest events.
type observer struct {
	o                           *options
	start                       time.Time
	mu                          sync.Mutex
	emitMu                      sync.Mutex
	complete, total             int64
	uploaded, existing, mounted []string
	seen                        map[string]bool
}

func (ob *observer) emit(e Event) {
	ob.emitMu.Lock()
	defer ob.emitMu.Unlock()
	ob.o.emit(e)
}

func (ob *observer) blob(status, digest string) {
	ob.mu.Lock()
	if ob.seen == nil {
		ob.seen = map[string]bool{}
	}
	key := status + digest
	if ob.seen[key] {
		ob.mu.Unlock()
		return
	}
	ob.seen[key] = true
	switch status {
	case "uploaded":
		ob.uploaded = append(ob.uploaded, digest)
	case "exists":
		ob.existing = append(ob.existing, digest)
	case "mounted":
		ob.mounted = append(ob.mounted, digest)
	}
	ob.mu.Unlock()
	ob.emit(Event{Type: "blob", Digest: digest, Status: status})
}

type observingTransport struct {
	next http.RoundTripper
	obs  *observer
}

func (t *observingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp == nil {
		return resp, err
	}
	p := req.URL.Path
	switch {
	case req.Method == http.MethodHead && strings.Contains(p, "/blobs/sha256:") && resp.StatusCode == http.StatusOK:
		t.obs.blob("exists", p[strings.LastIndex(p, "/")+1:])
	case req.Method == http.MethodPut && strings.Contains(p, "/blobs/uploads/") && resp.StatusCode == http.StatusCreated:
		if d := req.URL.Query().Get("digest"); d != "" {
			t.obs.blob("uploaded", d)
		}
	case req.Method == http.MethodPost && strings.HasSuffix(strings.TrimSuffix(p, "/"), "/blobs/uploads") &&
		req.URL.Query().Get("mount") != "" && resp.StatusCode == http.StatusCreated:
		t.obs.blob("mounted", req.URL.Query().Get("mount"))
	case req.Method == http.MethodPut && strings.Contains(p, "/manifests/") && resp.StatusCode == http.StatusCreated:
		t.obs.emit(Event{Type: "manifest", Status: "uploaded", Ref: p[strings.LastIndex(p, "/")+1:], Digest: resp.Header.Get("Docker-Content-Digest")})
	case req.Method == http.MethodHead && strings.Contains(p, "/manifests/") && resp.StatusCode == http.StatusOK:
		t.obs.emit(Event{Type: "manifest", Status: "exists", Ref: p[strings.LastIndex(p, "/")+1:], Digest: resp.Header.Get("Docker-Content-Digest")})
	}
	return resp, err
}

// blobSizes maps the digest of every layer and config of b to its size.
func blobSizes(b *Built) map[string]int64 {
	m := map[string]int64{}
	for _, pi := range b.Images {
		if c, err := pi.Image.RawConfigFile(); err == nil {
			if cn, err := pi.Image.ConfigName(); err == nil {
				m[cn.String()] = int64(len(c))
			}
		}
		ls, err := pi.Image.Layers()
		if err != nil {
			continue
		}
		for _, l := range ls {
			d, err1 := l.Digest()
			sz, err2 := l.Size()
			if err1 == nil && err2 == nil {
				m[d.String()] = sz
			}
		}
	}
	return m
}
