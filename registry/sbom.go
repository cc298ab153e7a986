package registry

import (
	"archive/tar"
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"debug/buildinfo"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// SBOMMediaType is the media type (and OCI artifactType) of the SBOMs jac build
// attaches to each platform image: SPDX 2.3 JSON.
const SBOMMediaType types.MediaType = "application/spdx+json"

// emptyConfig is the OCI empty descriptor's content, the config of an artifact.
var emptyConfig = []byte("{}")

const emptyConfigType types.MediaType = "application/vnd.oci.empty.v1+json"

// spdx is the subset of SPDX 2.3 JSON that jac writes.
type spdx struct {
	Version       string         `json:"spdxVersion"`
	DataLicense   string         `json:"dataLicense"`
	ID            string         `json:"SPDXID"`
	Name          string         `json:"name"`
	Namespace     string         `json:"documentNamespace"`
	CreationInfo  spdxCreation   `json:"creationInfo"`
	Packages      []spdxPackage  `json:"packages"`
	Files         []spdxFile     `json:"files,omitempty"`
	Relationships []spdxRelation `json:"relationships"`
}

type spdxCreation struct {
	Created  string   `json:"created"`
	Creators []string `json:"creators"`
}

type spdxPackage struct {
	ID               string        `json:"SPDXID"`
	Name             string        `json:"name"`
	Version          string        `json:"versionInfo,omitempty"`
	DownloadLocation string        `json:"downloadLocation"`
	FilesAnalyzed    bool          `json:"filesAnalyzed"`
	Comment          string        `json:"comment,omitempty"`
	ExternalRefs     []spdxExtRef  `json:"externalRefs,omitempty"`
	Checksums        []spdxSummary `json:"checksums,omitempty"`
}

type spdxExtRef struct {
	Category string `json:"referenceCategory"`
	Type     string `json:"referenceType"`
	Locator  string `json:"referenceLocator"`
}

type spdxSummary struct {
	Algorithm string `json:"algorithm"`
	Value     string `json:"checksumValue"`
}

type spdxFile struct {
	ID        string        `json:"SPDXID"`
	Name      string        `json:"fileName"`
	Checksums []spdxSummary `json:"checksums"`
}

type spdxRelation struct {
	From string `json:"spdxElementId"`
	Type string `json:"relationshipType"`
	To   string `json:"relatedSpdxElement"`
}

// SBOM is the SPDX 2.3 JSON document of one platform image: a package for the
// runtime binary (/jac) with one package per Go module it links, read from the
// binary's build information (debug/buildinfo, what `go version -m` prints), and a
// package for the app layer with every file under /app and its SHA-256. The same
// image gives the same bytes: the creation time is the image's, the namespace is
// derived from the image digest, everything is sorted.
func SBOM(pi PlatformImage, app v1.Layer, tool string) ([]byte, error) {
	bin, err := fileInImage(pi.Image, strings.TrimPrefix(BinaryPath, "/"))
	if err != nil {
		return nil, err
	}
	cf, err := pi.Image.ConfigFile()
	if err != nil {
		return nil, err
	}
	doc := spdx{
		Version: "SPDX-2.3", DataLicense: "CC0-1.0", ID: "SPDXRef-DOCUMENT",
		Name:      "jac image " + PlatformString(pi.Platform),
		Namespace: "https://jacscale.dev/spdx/" + pi.Digest.Algorithm + "-" + pi.Digest.Hex,
		CreationInfo: spdxCreation{
			Created:  cf.Created.UTC().Format(time.RFC3339),
			Creators: []string{"Tool: " + tool},
		},
	}
	doc.runtimePackages(bin)
	if app != nil {
		if err := doc.appPackage(app); err != nil {
			return nil, err
		}
	}
	return json.MarshalIndent(doc, "", "  ")
}

// runtimePackages describes the runtime binary and its modules.
func (d *spdx) runtimePackages(bin []byte) {
	sum := sha256.Sum256(bin)
	rt := spdxPackage{ID: "SPDXRef-Package-runtime", Name: "jac runtime " + BinaryPath, DownloadLocation: "NOASSERTION",
		Checksums: []spdxSummary{{"SHA256", hex.EncodeToString(sum[:])}}}
	d.Relationships = append(d.Relationships, spdxRelation{"SPDXRef-DOCUMENT", "DESCRIBES", rt.ID})
	bi, err := buildinfo.Read(bytes.NewReader(bin))
	if err != nil {
		rt.Comment = "no Go build information: " + err.Error()
		d.Packages = append(d.Packages, rt)
		return
	}
	rt.Name, rt.Version = bi.Path, bi.Main.Version
	settings := make([]string, 0, len(bi.Settings))
	for _, s := range bi.Settings {
		settings = append(settings, s.Key+"="+s.Value)
	}
	rt.Comment = bi.GoVersion + "; " + strings.Join(settings, " ")
	rt.ExternalRefs = []spdxExtRef{purl(bi.Main.Path, bi.Main.Version)}
	d.Packages = append(d.Packages, rt)
	deps := bi.Deps
	sort.Slice(deps, func(i, j int) bool { return deps[i].Path < deps[j].Path })
	for i, m := range deps {
		if m.Replace != nil {
			m = m.Replace
		}
		p := spdxPackage{ID: fmt.Sprintf("SPDXRef-Package-module-%d", i), Name: m.Path, Version: m.Version,
			DownloadLocation: "https://proxy.golang.org/" + m.Path + "/@v/" + m.Version + ".zip",
			ExternalRefs:     []spdxExtRef{purl(m.Path, m.Version)}}
		if m.Sum != "" {
			p.Comment = "go.sum " + m.Sum
		}
		d.Packages = append(d.Packages, p)
		d.Relationships = append(d.Relationships, spdxRelation{rt.ID, "DEPENDS_ON", p.ID})
	}
}

func purl(path, version string) spdxExtRef {
	return spdxExtRef{Category: "PACKAGE-MANAGER", Type: "purl", Locator: "pkg:golang/" + path + "@" + version}
}

// appPackage describes the app layer's files.
func (d *spdx) appPackage(app v1.Layer) error {
	dg, err := app.Digest()
	if err != nil {
		return err
	}
	pkg := spdxPackage{ID: "SPDXRef-Package-app", Name: "app " + AppDir, DownloadLocation: "NOASSERTION",
		Comment: "the app layer " + dg.String()}
	d.Packages = append(d.Packages, pkg)
	d.Relationships = append(d.Relationships, spdxRelation{"SPDXRef-DOCUMENT", "DESCRIBES", pkg.ID})
	err = eachFile(app, func(name string, data []byte) {
		s1, s256 := sha1.Sum(data), sha256.Sum256(data)
		f := spdxFile{ID: fmt.Sprintf("SPDXRef-File-%d", len(d.Files)), Name: "/" + name,
			Checksums: []spdxSummary{{"SHA1", hex.EncodeToString(s1[:])}, {"SHA256", hex.EncodeToString(s256[:])}}}
		d.Files = append(d.Files, f)
		d.Relationships = append(d.Relationships, spdxRelation{pkg.ID, "CONTAINS", f.ID})
	})
	return err
}

// eachFile calls f for every regular file of a layer, in the layer's order.
func eachFile(l v1.Layer, f func(name string, data []byte)) error {
	rc, err := l.Uncompressed()
	if err != nil {
		return err
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return err
		}
		f(path.Clean(strings.TrimPrefix(h.Name, "./")), data)
	}
}

// fileInImage reads a regular file of an image from its topmost layer holding it.
func fileInImage(img v1.Image, name string) ([]byte, error) {
	layers, err := img.Layers()
	if err != nil {
		return nil, err
	}
	for i := len(layers) - 1; i >= 0; i-- {
		var found []byte
		err := eachFile(layers[i], func(n string, data []byte) {
			if n == name {
				found = data
			}
		})
		if err != nil {
			return nil, err
		}
		if found != nil {
			return found, nil
		}
	}
	return nil, Errorf(KindInput, "sbom", "the image has no /%s", name)
}

// sbomArtifact is an OCI 1.1 artifact manifest carrying an SBOM, whose subject is
// the platform image it describes: registries with the referrers API list it under
// the image (GET /v2/NAME/referrers/DIGEST); for the others go-containerregistry
// maintains the fallback tag sha256-HEX.
type sbomArtifact struct {
	manifest []byte
	blob     []byte
}

// newSBOMArtifact wraps sbom for the image pi.
func newSBOMArtifact(pi PlatformImage, sbom []byte) (v1.Image, error) {
	mt, err := pi.Image.MediaType()
	if err != nil {
		return nil, err
	}
	size, err := pi.Image.Size()
	if err != nil {
		return nil, err
	}
	cfgHash, _, _ := v1.SHA256(bytes.NewReader(emptyConfig))
	blobHash, _, _ := v1.SHA256(bytes.NewReader(sbom))
	cf, err := pi.Image.ConfigFile()
	if err != nil {
		return nil, err
	}
	m := v1.Manifest{
		SchemaVersion: 2,
		MediaType:     types.OCIManifestSchema1,
		Config:        v1.Descriptor{MediaType: emptyConfigType, Digest: cfgHash, Size: int64(len(emptyConfig))},
		Layers: []v1.Descriptor{{MediaType: SBOMMediaType, Digest: blobHash, Size: int64(len(sbom)),
			Annotations: map[string]string{"org.opencontainers.image.title": "sbom.spdx.json"}}},
		Subject:     &v1.Descriptor{MediaType: mt, Digest: pi.Digest, Size: size},
		Annotations: map[string]string{LabelCreated: cf.Created.UTC().Format(time.RFC3339)},
	}
	m.ArtifactType = string(SBOMMediaType)
	raw, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	return partial.CompressedToImage(&sbomArtifact{manifest: raw, blob: sbom})
}

func (a *sbomArtifact) RawConfigFile() ([]byte, error)      { return emptyConfig, nil }
func (a *sbomArtifact) MediaType() (types.MediaType, error) { return types.OCIManifestSchema1, nil }
func (a *sbomArtifact) RawManifest() ([]byte, error)        { return a.manifest, nil }
func (a *sbomArtifact) LayerByDigest(h v1.Hash) (partial.CompressedLayer, error) {
	if bh, _, _ := v1.SHA256(bytes.NewReader(a.blob)); h == bh {
		return static.NewLayer(a.blob, SBOMMediaType), nil
	}
	if ch, _, _ := v1.SHA256(bytes.NewReader(emptyConfig)); h == ch {
		return static.NewLayer(emptyConfig, emptyConfigType), nil
	}
	return nil, fmt.Errorf("sbom artifact: no blob %s", h)
}
