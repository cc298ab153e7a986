package registry

import (
	"archive/tar"
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// BinaryPath is where the runtime binary is in the image.
const BinaryPath = "/jac"

// OCI annotation keys used as config labels.
const (
	LabelSource   = "org.opencontainers.image.source"
	LabelRevision = "org.opencontainers.image.revision"
	LabelCreated  = "org.opencontainers.image.created"
	LabelTitle    = "org.opencontainers.image.title"
	LabelVersion  = "org.opencontainers.image.version"
)

// PlatformImage is the image of one platform in a built index.
type PlatformImage struct {
	Platform v1.Platform
	Image    v1.Image
	Digest   v1.Hash
	Size     int64  // compressed bytes: manifest + config + layers
	SBOM     []byte // SPDX 2.3 JSON of the image (SBOM), attached to it by Push
}

// Built is the result of Build.
type Built struct {
	Index    v1.ImageIndex
	Digest   v1.Hash // of the index
	Images   []PlatformImage
	AppLayer v1.Layer // nil for a runtime-only image
	App      string   // the entry file, relative to /app ("" for a runtime-only image)
}

// Build assembles the multi-platform image of the app whose entry file is appFile
// (appFile "" builds the runtime-only image that WithBase can use later). Nothing is
// pushed and no network is used unless WithBase names a remote image.
func Build(ctx context.Context, appFile string, opts ...Option) (*Built, error) {
	o := makeOptions(opts)
	epoch, err := o.resolveEpoch()
	if err != nil {
		return nil, err
	}
	b := &Built{}

	var appLayer v1.Layer
	if appFile != "" {
		st, err := os.Stat(appFile)
		if err != nil {
			return nil, Wrap(KindInput, "app", err)
		}
		if st.IsDir() || filepath.Ext(appFile) != ".jac" {
			return nil, Errorf(KindInput, "app", "%s: want the app's entry .jac file", appFile)
		}
		dir := filepath.Dir(appFile)
		files, err := ListApp(dir, o.exclude...)
		if err != nil {
			return nil, Wrap(KindInput, "app", err)
		}
		b.App = filepath.Base(appFile)
		found := false
		for _, f := range files {
			found = found || f.Rel == b.App
		}
		if !found {
			return nil, Errorf(KindInput, "app", "%s is excluded by .gitignore or .jacignore", appFile)
		}
		es, err := appEntries(dir, files)
		if err != nil {
			return nil, Wrap(KindInput, "app", err)
		}
		l, err := buildLayer(es, epoch, o.level)
		if err != nil {
			return nil, err
		}
		appLayer = l
		b.AppLayer = l
		o.emit(Event{Type: "layer", Layer: "app", Digest: l.digest.String(), Size: int64(len(l.compressed)),
			Message: fmt.Sprintf("%d files", len(files))})
	}

	cfg := o.config(b.App, epoch, appFile)

	images := make([]PlatformImage, len(o.platforms))
	var base v1.ImageIndex
	if o.base != nil {
		base, err = remote.Index(o.base, append([]remote.Option{remote.WithContext(ctx)}, o.baseOpts...)...)
		if err != nil {
			return nil, Wrap(KindOther, "base "+o.base.String(), err)
		}
	} else if o.runtime == nil {
		return nil, Errorf(KindInput, "runtime", "no runtime binaries: build the CLI with `make` (embeds them), or give --runtime PLATFORM=PATH or --base REF")
	}

	var wg sync.WaitGroup
	var mu sync.Mutex
	errs := make([]error, len(o.platforms))
	for i, p := range o.platforms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			img, events, err := o.platformImage(ctx, p, base, appLayer, cfg, epoch)
			mu.Lock()
			defer mu.Unlock()
			for _, e := range events {
				o.emit(e)
			}
			if err != nil {
				errs[i] = err
				return
			}
			images[i] = img
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}

	for i := range images {
		if images[i].SBOM, err = SBOM(images[i], appLayer, "jac-"+o.version); err != nil {
			return nil, Wrap(KindOther, "sbom", err)
		}
	}

	var idx v1.ImageIndex = empty.Index
	idx = mutate.IndexMediaType(idx, types.OCIImageIndex)
	for _, pi := range images {
		p := pi.Platform
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{
			Add: pi.Image,
			Descriptor: v1.Descriptor{
				MediaType: types.OCIManifestSchema1,
				Platform:  &p,
			},
		})
		o.emit(Event{Type: "image", Platform: PlatformString(p), Digest: pi.Digest.String(), Size: pi.Size})
	}
	d, err := idx.Digest()
	if err != nil {
		return nil, err
	}
	b.Index, b.Digest, b.Images = idx, d, images
	o.emit(Event{Type: "index", Digest: d.String()})
	return b, nil
}

func (o *options) resolveEpoch() (time.Time, error) {
	if o.epoch != nil {
		return *o.epoch, nil
	}
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return time.Time{}, Errorf(KindInput, "SOURCE_DATE_EPOCH", "%q is not a number of seconds", s)
		}
		return time.Unix(n, 0).UTC(), nil
	}
	return time.Unix(0, 0).UTC(), nil
}

// config is the platform-independent part of the image config.
func (o *options) config(app string, epoch time.Time, appFile string) v1.Config {
	labels := map[string]string{LabelCreated: epoch.Format(time.RFC3339)}
	if o.source != "" {
		labels[LabelSource] = o.source
	}
	if o.revision != "" {
		labels[LabelRevision] = o.revision
	}
	if o.version != "" {
		labels[LabelVersion] = o.version
	}
	if appFile != "" {
		labels[LabelTitle] = appName(appFile)
	}
	for k, v := range o.labels {
		labels[k] = v
	}
	c := v1.Config{
		User:   fmt.Sprintf("%d:%d", UID, GID),
		Env:    []string{"PATH=/:/usr/local/bin:/usr/bin:/bin", "HOME=/home/jac"},
		Labels: labels,
	}
	if app != "" {
		port := strconv.Itoa(o.port)
		c.Entrypoint = []string{BinaryPath, "start", path.Join("/", AppDir, app), "--host", "0.0.0.0", "--port", port}
		c.WorkingDir = "/" + AppDir
		c.ExposedPorts = map[string]struct{}{port + "/tcp": {}}
	} else {
		c.Entrypoint = []string{BinaryPath}
		c.WorkingDir = "/"
	}
	return c
}

// RuntimeEpoch is the time of every entry of the runtime layer: fixed, not
// SOURCE_DATE_EPOCH, so that the layer depends on the binary alone and every app
// built by one CLI version shares it, whatever its own epoch.
var RuntimeEpoch = time.Unix(0, 0).UTC()

// RuntimeLayer returns the runtime layer holding bin at /jac, with the passwd and
// group files of the non-root user, its home and /tmp, all at RuntimeEpoch.
func RuntimeLayer(bin []byte, level int) (v1.Layer, error) {
	es := []entry{
		{name: strings.TrimPrefix(BinaryPath, "/"), typ: tar.TypeReg, mode: 0o755, data: bin},
		{name: "etc", typ: tar.TypeDir, mode: 0o755},
		{name: "etc/passwd", typ: tar.TypeReg, mode: 0o644, data: []byte(
			"root:x:0:0:root:/root:/sbin/nologin\n" +
				fmt.Sprintf("jac:x:%d:%d:jac:/home/jac:/sbin/nologin\n", UID, GID))},
		{name: "etc/group", typ: tar.TypeReg, mode: 0o644, data: []byte(
			"root:x:0:\n" + fmt.Sprintf("jac:x:%d:\n", GID))},
		{name: "home", typ: tar.TypeDir, mode: 0o755},
		{name: "home/jac", typ: tar.TypeDir, mode: 0o700, uid: UID, gid: GID},
		{name: "tmp", typ: tar.TypeDir, mode: 0o1777},
	}
	return buildLayer(es, RuntimeEpoch, level)
}

func (o *options) platformImage(ctx context.Context, p v1.Platform, base v1.ImageIndex, app v1.Layer, c v1.Config, epoch time.Time) (PlatformImage, []Event, error) {
	ps := PlatformString(p)
	var events []Event
	var img v1.Image
	cf := &v1.ConfigFile{
		Architecture: p.Architecture,
		OS:           p.OS,
		Variant:      p.Variant,
		Created:      v1.Time{Time: epoch},
		Config:       c,
		RootFS:       v1.RootFS{Type: "layers"},
	}
	if base != nil {
		bimg, err := childFor(base, p)
		if err != nil {
			return PlatformImage{}, nil, err
		}
		bcf, err := bimg.ConfigFile()
		if err != nil {
			return PlatformImage{}, nil, Wrap(KindOther, "base", err)
		}
		cf.RootFS = bcf.RootFS
		cf.History = bcf.History
		cf.Config.Env = mergeEnv(bcf.Config.Env, c.Env)
		labels := map[string]string{}
		for k, v := range bcf.Config.Labels {
			labels[k] = v
		}
		for k, v := range c.Labels {
			labels[k] = v
		}
		cf.Config.Labels = labels
		img, err = mutate.ConfigFile(bimg, cf)
		if err != nil {
			return PlatformImage{}, nil, err
		}
		ls, err := bimg.Layers()
		if err != nil {
			return PlatformImage{}, nil, Wrap(KindOther, "base", err)
		}
		for _, l := range ls {
			d, _ := l.Digest()
			sz, _ := l.Size()
			events = append(events, Event{Type: "layer", Layer: "base", Platform: ps, Digest: d.String(), Size: sz})
		}
	} else {
		bin, err := o.runtime.Binary(ctx, p)
		if err != nil {
			return PlatformImage{}, nil, err
		}
		if len(bin) == 0 {
			return PlatformImage{}, nil, errNoRuntime(p)
		}
		if err := checkELF(bin, p); err != nil {
			return PlatformImage{}, nil, err
		}
		rl, err := RuntimeLayer(bin, o.level)
		if err != nil {
			return PlatformImage{}, nil, err
		}
		img = mutate.MediaType(empty.Image, types.OCIManifestSchema1)
		img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
		img, err = mutate.ConfigFile(img, cf)
		if err != nil {
			return PlatformImage{}, nil, err
		}
		img, err = mutate.Append(img, mutate.Addendum{
			Layer:     rl,
			MediaType: types.OCILayer,
			History:   v1.History{Created: v1.Time{Time: epoch}, CreatedBy: "jac build: runtime " + BinaryPath, Comment: "jac runtime"},
		})
		if err != nil {
			return PlatformImage{}, nil, err
		}
		d, _ := rl.Digest()
		sz, _ := rl.Size()
		events = append(events, Event{Type: "layer", Layer: "runtime", Platform: ps, Digest: d.String(), Size: sz})
	}
	if app != nil {
		var err error
		img, err = mutate.Append(img, mutate.Addendum{
			Layer:     app,
			MediaType: types.OCILayer,
			History:   v1.History{Created: v1.Time{Time: epoch}, CreatedBy: "jac build: app /" + AppDir, Comment: "jac app"},
		})
		if err != nil {
			return PlatformImage{}, nil, err
		}
	}
	d, err := img.Digest()
	if err != nil {
		return PlatformImage{}, nil, Wrap(KindOther, "image "+ps, err)
	}
	size, err := imageSize(img)
	if err != nil {
		return PlatformImage{}, nil, Wrap(KindOther, "image "+ps, err)
	}
	return PlatformImage{Platform: p, Image: img, Digest: d, Size: size}, events, nil
}

// imageSize is the compressed size of img: manifest, config and layers.
func imageSize(img v1.Image) (int64, error) {
	m, err := img.RawManifest()
	if err != nil {
		return 0, err
	}
	c, err := img.RawConfigFile()
	if err != nil {
		return 0, err
	}
	n := int64(len(m) + len(c))
	ls, err := img.Layers()
	if err != nil {
		return 0, err
	}
	for _, l := range ls {
		s, err := l.Size()
		if err != nil {
			return 0, err
		}
		n += s
	}
	return n, nil
}

func childFor(idx v1.ImageIndex, p v1.Platform) (v1.Image, error) {
	m, err := idx.IndexManifest()
	if err != nil {
		return nil, Wrap(KindOther, "base", err)
	}
	for _, d := range m.Manifests {
		if d.Platform != nil && d.Platform.OS == p.OS && d.Platform.Architecture == p.Architecture &&
			(p.Variant == "" || d.Platform.Variant == p.Variant) {
			img, err := idx.Image(d.Digest)
			if err != nil {
				return nil, Wrap(KindOther, "base", err)
			}
			return img, nil
		}
	}
	return nil, Errorf(KindNotFound, "base", "the base image has no %s image", PlatformString(p))
}

func mergeEnv(base, over []string) []string {
	out := append([]string(nil), base...)
	for _, kv := range over {
		k, _, _ := strings.Cut(kv, "=")
		replaced := false
		for i, b := range out {
			if bk, _, _ := strings.Cut(b, "="); bk == k {
				out[i], replaced = kv, true
			}
		}
		if !replaced {
			out = append(out, kv)
		}
	}
	return out
}

// checkELF refuses a binary that is not a Linux ELF executable for p's
// architecture (a darwin binary, or amd64 in the arm64 image).
func checkELF(bin []byte, p v1.Platform) error {
	if len(bin) < 20 || string(bin[:4]) != "\x7fELF" {
		return Errorf(KindInput, "runtime", "%s: the runtime binary is not a Linux ELF executable", PlatformString(p))
	}
	// e_machine, little-endian (both supported architectures are).
	machine := uint16(bin[18]) | uint16(bin[19])<<8
	want := map[string]uint16{"amd64": 62, "arm64": 183, "386": 3, "arm": 40, "riscv64": 243, "ppc64le": 21, "s390x": 22}
	if w, ok := want[p.Architecture]; ok && w != machine && p.Architecture != "s390x" {
		return Errorf(KindInput, "runtime", "%s: the runtime binary is for another architecture (ELF machine %d)", PlatformString(p), machine)
	}
	return nil
}
