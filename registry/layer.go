package registry

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"path"
	"sort"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// The non-root user the app runs as (the distroless "nonroot" ids).
const (
	UID = 65532
	GID = 65532
)

// entry is one file, directory or symlink of a layer.
type entry struct {
	name     string // slash-separated, no leading slash; directories without trailing slash
	typ      byte   // tar.TypeReg, tar.TypeDir or tar.TypeSymlink
	mode     int64
	uid, gid int
	data     []byte
	linkname string
}

// memLayer is a gzip-compressed tar layer held in memory.
type memLayer struct {
	compressed   []byte
	uncompressed []byte
	digest       v1.Hash
	diffID       v1.Hash
}

var _ v1.Layer = (*memLayer)(nil)

func (l *memLayer) Digest() (v1.Hash, error) { return l.digest, nil }
func (l *memLayer) DiffID() (v1.Hash, error) { return l.diffID, nil }
func (l *memLayer) Compressed() (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(l.compressed)), nil
}
func (l *memLayer) Uncompressed() (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(l.uncompressed)), nil
}
func (l *memLayer) Size() (int64, error)                { return int64(len(l.compressed)), nil }
func (l *memLayer) MediaType() (types.MediaType, error) { return types.OCILayer, nil }

func sha(b []byte) v1.Hash {
	s := sha256.Sum256(b)
	return v1.Hash{Algorithm: "sha256", Hex: hex.EncodeToString(s[:])}
}

// buildLayer writes entries (plus any missing parent directories, owned by root,
// mode 0755) as a tar sorted by name with every time set to mtime, and gzips it
// with no name and no timestamp in the gzip header.
func buildLayer(entries []entry, mtime time.Time, level int) (*memLayer, error) {
	byName := map[string]entry{}
	for _, e := range entries {
		e.name = strings.Trim(path.Clean("/"+e.name), "/")
		if e.name == "" {
			continue
		}
		byName[e.name] = e
	}
	for n := range byName {
		for d := path.Dir(n); d != "." && d != "/"; d = path.Dir(d) {
			if _, ok := byName[d]; !ok {
				byName[d] = entry{name: d, typ: tar.TypeDir, mode: 0o755}
			}
		}
	}
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	sort.Strings(names)

	var raw bytes.Buffer
	tw := tar.NewWriter(&raw)
	mtime = mtime.UTC().Truncate(time.Second)
	for _, n := range names {
		e := byName[n]
		h := &tar.Header{
			Typeflag: e.typ,
			Name:     n,
			Mode:     e.mode,
			Uid:      e.uid,
			Gid:      e.gid,
			ModTime:  mtime,
			Format:   tar.FormatPAX,
		}
		switch e.typ {
		case tar.TypeDir:
			h.Name += "/"
		case tar.TypeSymlink:
			h.Linkname = e.linkname
		case tar.TypeReg:
			h.Size = int64(len(e.data))
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if e.typ == tar.TypeReg {
			if _, err := tw.Write(e.data); err != nil {
				return nil, err
			}
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, level)
	if err != nil {
		return nil, err
	}
	// The zero gzip.Header: no name, no comment, MTIME 0, OS "unknown".
	if _, err := zw.Write(raw.Bytes()); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	l := &memLayer{compressed: gz.Bytes(), uncompressed: raw.Bytes()}
	l.digest = sha(l.compressed)
	l.diffID = sha(l.uncompressed)
	return l, nil
}
