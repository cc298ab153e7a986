package registry

import (
	"archive/tar"
	"encoding/json"
	"io"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// WriteLayout writes the built index as a tar of an OCI image layout (oci-layout,
// index.json, blobs/sha256/...), the format of `docker buildx --output type=oci`,
// loadable by `docker load` (Docker 25+), `podman load`, `skopeo copy oci-archive:`
// and crane. refName, when set, becomes the org.opencontainers.image.ref.name
// annotation. The tar is reproducible: sorted entries, fixed times and owners.
func WriteLayout(w io.Writer, b *Built, refName string) error {
	type blob struct {
		digest string
		data   func() (io.ReadCloser, int64, error)
	}
	blobs := map[string]blob{}
	addBytes := func(d v1.Hash, raw []byte) {
		blobs[d.Hex] = blob{d.Hex, func() (io.ReadCloser, int64, error) {
			return io.NopCloser(bytesReader(raw)), int64(len(raw)), nil
		}}
	}
	rawIdx, err := b.Index.RawManifest()
	if err != nil {
		return err
	}
	addBytes(b.Digest, rawIdx)
	for _, pi := range b.Images {
		m, err := pi.Image.RawManifest()
		if err != nil {
			return err
		}
		addBytes(pi.Digest, m)
		c, err := pi.Image.RawConfigFile()
		if err != nil {
			return err
		}
		cn, err := pi.Image.ConfigName()
		if err != nil {
			return err
		}
		addBytes(cn, c)
		ls, err := pi.Image.Layers()
		if err != nil {
			return err
		}
		for _, l := range ls {
			d, err := l.Digest()
			if err != nil {
				return err
			}
			blobs[d.Hex] = blob{d.Hex, func() (io.ReadCloser, int64, error) {
				sz, err := l.Size()
				if err != nil {
					return nil, 0, err
				}
				rc, err := l.Compressed()
				return rc, sz, err
			}}
		}
	}
	desc := v1.Descriptor{MediaType: types.OCIImageIndex, Size: int64(len(rawIdx)), Digest: b.Digest}
	if refName != "" {
		desc.Annotations = map[string]string{"org.opencontainers.image.ref.name": refName}
	}
	top, err := json.Marshal(v1.IndexManifest{SchemaVersion: 2, MediaType: types.OCIImageIndex, Manifests: []v1.Descriptor{desc}})
	if err != nil {
		return err
	}

	tw := tar.NewWriter(w)
	mt := time.Unix(0, 0).UTC()
	file := func(name string, size int64, r io.Reader) error {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: 0o644, Size: size, ModTime: mt, Format: tar.FormatPAX}); err != nil {
			return err
		}
		_, err := io.Copy(tw, r)
		return err
	}
	dir := func(name string) error {
		return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name, Mode: 0o755, ModTime: mt, Format: tar.FormatPAX})
	}
	if err := dir("blobs/"); err != nil {
		return err
	}
	if err := dir("blobs/sha256/"); err != nil {
		return err
	}
	for _, k := range sortedKeys(blobs) {
		rc, n, err := blobs[k].data()
		if err != nil {
			return err
		}
		err = file("blobs/sha256/"+k, n, rc)
		rc.Close()
		if err != nil {
			return err
		}
	}
	if err := file("index.json", int64(len(top)), bytesReader(top)); err != nil {
		return err
	}
	lay := []byte(`{"imageLayoutVersion":"1.0.0"}`)
	if err := file("oci-layout", int64(len(lay)), bytesReader(lay)); err != nil {
		return err
	}
	return tw.Close()
}
