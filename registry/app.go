package registry

import (
	"archive/tar"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/jacscale/jac/registry/ignore"
)

// AppDir is where the app's files are in the image.
const AppDir = "app"

// DefaultIgnore are patterns applied before the app's own .gitignore and .jacignore
// (so `!.env` in .jacignore brings .env back).
var DefaultIgnore = []string{
	".git/", ".hg/", ".svn/",
	".jac/", "__jac_gen__/", "__pycache__/", "*.pyc",
	"node_modules/", ".venv/", "venv/",
	".DS_Store", "*.swp",
	".env", ".env.*",
}

// AppFile is one file or directory chosen for the app layer.
type AppFile struct {
	Rel  string // slash-separated path relative to the app directory
	Dir  bool
	Link string // symlink target (a symlink is stored as such)
	Mode fs.FileMode
}

// ListApp returns the files of the app directory dir that go into the image, in
// lexical order, honouring DefaultIgnore, then dir/.gitignore, dir/.jacignore and
// the .gitignore of every subdirectory. exclude are extra slash-separated paths
// relative to dir (for example the --tarball output when it lies inside dir).
func ListApp(dir string, exclude ...string) ([]AppFile, error) {
	m := ignore.New(DefaultIgnore...)
	if err := m.AddFile("", filepath.Join(dir, ".gitignore")); err != nil {
		return nil, err
	}
	if err := m.AddFile("", filepath.Join(dir, ".jacignore")); err != nil {
		return nil, err
	}
	for _, x := range exclude {
		m.Add("", "/"+ignore.Clean(x))
	}
	var out []AppFile
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		isDir := d.IsDir()
		if m.Match(rel, isDir) {
			if isDir {
				return filepath.SkipDir
			}
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		f := AppFile{Rel: rel, Dir: isDir, Mode: info.Mode()}
		switch {
		case isDir:
			if rel != "" {
				if err := m.AddFile(rel, filepath.Join(p, ".gitignore")); err != nil {
					return err
				}
			}
		case info.Mode()&fs.ModeSymlink != 0:
			t, err := os.Readlink(p)
			if err != nil {
				return err
			}
			f.Link = t
		case !info.Mode().IsRegular():
			return nil // sockets, devices, pipes: never part of an app
		}
		out = append(out, f)
		return nil
	})
	return out, err
}

// appEntries reads the chosen files into layer entries under /app, all owned by the
// non-root user (the server writes its data directory and uploads under /app).
func appEntries(dir string, files []AppFile) ([]entry, error) {
	es := []entry{{name: AppDir, typ: tar.TypeDir, mode: 0o755, uid: UID, gid: GID}}
	for _, f := range files {
		e := entry{name: path.Join(AppDir, f.Rel), uid: UID, gid: GID}
		switch {
		case f.Dir:
			e.typ, e.mode = tar.TypeDir, 0o755
		case f.Link != "":
			e.typ, e.mode, e.linkname = tar.TypeSymlink, 0o777, f.Link
		default:
			b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Rel)))
			if err != nil {
				return nil, err
			}
			e.typ, e.mode, e.data = tar.TypeReg, 0o644, b
			if f.Mode&0o111 != 0 {
				e.mode = 0o755
			}
		}
		es = append(es, e)
	}
	return es, nil
}

// appName is the image name derived from the app file: its directory's base name
// when the entry file is the conventional app.jac/main.jac, else the file's stem,
// lower-cased with anything outside [a-z0-9._-] turned into '-'.
func appName(appFile string) string {
	abs, err := filepath.Abs(appFile)
	if err != nil {
		abs = appFile
	}
	stem := strings.TrimSuffix(filepath.Base(abs), filepath.Ext(abs))
	if stem == "app" || stem == "main" {
		if b := filepath.Base(filepath.Dir(abs)); b != "/" && b != "." {
			stem = b
		}
	}
	var b strings.Builder
	for _, r := range strings.ToLower(stem) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '.' || r == '_' || r == '-' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	s := strings.Trim(b.String(), "-._")
	if s == "" {
		s = "jac-app"
	}
	return s
}

// AppName is the default image name for the app whose entry file is appFile.
func AppName(appFile string) string { return appName(appFile) }
