package registry

import (
	"compress/gzip"
	"net/http"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// Option configures Build, Push and WriteLayout.
type Option func(*options)

type options struct {
	platforms  []v1.Platform
	runtime    RuntimeSource
	base       name.Reference
	baseOpts   []remote.Option
	epoch      *time.Time
	labels     map[string]string
	source     string
	revision   string
	version    string
	port       int
	level      int
	exclude    []string
	progress   func(Event)
	auth       authn.Authenticator
	keychain   authn.Keychain
	transport  http.RoundTripper
	jobs       int
	userAgent  string
	remoteOpts []remote.Option
}

func makeOptions(opts []Option) *options {
	o := &options{port: 8000, level: gzip.DefaultCompression, jobs: 4}
	for _, f := range opts {
		f(o)
	}
	if len(o.platforms) == 0 {
		o.platforms = append([]v1.Platform(nil), DefaultPlatforms...)
	}
	return o
}

func (o *options) emit(e Event) {
	if o.progress != nil {
		if e.Time.IsZero() {
			e.Time = time.Now().UTC()
		}
		o.progress(e)
	}
}

// WithPlatforms sets the platforms of the image index (default linux/amd64 and linux/arm64).
func WithPlatforms(ps ...v1.Platform) Option { return func(o *options) { o.platforms = ps } }

// WithRuntime sets where the runtime binary of each platform comes from.
func WithRuntime(r RuntimeSource) Option { return func(o *options) { o.runtime = r } }

// WithBase builds on a base image (an index holding /jac for every platform, as
// `jac build --runtime-only` pushes) instead of a runtime binary: only the app
// layer and the config are new. ropts are used to pull it (auth, transport).
func WithBase(ref name.Reference, ropts ...remote.Option) Option {
	return func(o *options) { o.base, o.baseOpts = ref, ropts }
}

// WithEpoch sets the time of every file, of the config and of the created label.
// Without it: $SOURCE_DATE_EPOCH, else 1970-01-01T00:00:00Z.
func WithEpoch(t time.Time) Option { return func(o *options) { t = t.UTC(); o.epoch = &t } }

// WithLabels adds config labels (after the OCI ones, so they can override them).
func WithLabels(l map[string]string) Option {
	return func(o *options) {
		if o.labels == nil {
			o.labels = map[string]string{}
		}
		for k, v := range l {
			o.labels[k] = v
		}
	}
}

// WithSource sets the org.opencontainers.image.source label (the app's repository URL).
func WithSource(url string) Option { return func(o *options) { o.source = url } }

// WithRevision sets the org.opencontainers.image.revision label (the app's commit).
func WithRevision(rev string) Option { return func(o *options) { o.revision = rev } }

// WithVersion sets the org.opencontainers.image.version label (the jac CLI version).
func WithVersion(v string) Option { return func(o *options) { o.version = v } }

// WithPort sets the port the entrypoint listens on and the image exposes (default 8000).
func WithPort(p int) Option { return func(o *options) { o.port = p } }

// WithCompressionLevel sets the gzip level of new layers (default gzip.DefaultCompression).
func WithCompressionLevel(l int) Option { return func(o *options) { o.level = l } }

// WithExclude leaves extra paths (relative to the app directory) out of the app layer.
func WithExclude(rel ...string) Option {
	return func(o *options) { o.exclude = append(o.exclude, rel...) }
}

// WithProgress receives build and push events. It is called from one goroutine at a time.
func WithProgress(f func(Event)) Option { return func(o *options) { o.progress = f } }

// WithAuth pushes with these credentials.
func WithAuth(a authn.Authenticator) Option { return func(o *options) { o.auth = a } }

// WithKeychain pushes with credentials from this keychain (default authn.DefaultKeychain).
func WithKeychain(k authn.Keychain) Option { return func(o *options) { o.keychain = k } }

// WithTransport sets the HTTP transport of pushes and pulls.
func WithTransport(t http.RoundTripper) Option { return func(o *options) { o.transport = t } }

// WithJobs sets how many blobs are uploaded at once (default 4).
func WithJobs(n int) Option { return func(o *options) { o.jobs = n } }

// WithUserAgent sets the User-Agent of registry requests.
func WithUserAgent(ua string) Option { return func(o *options) { o.userAgent = ua } }

// WithRemoteOptions passes extra go-containerregistry remote options to Push.
func WithRemoteOptions(r ...remote.Option) Option {
	return func(o *options) { o.remoteOpts = append(o.remoteOpts, r...) }
}
