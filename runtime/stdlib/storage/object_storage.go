package storage

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jacscale/jac/internal/project"
	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/objstore"
	"github.com/jacscale/jac/runtime/stdlib/internal/native"
)

// store() on an object store (storage_type "s3" or "gcs"): the methods of
// LocalStorage over a bucket, with directories as key prefixes. Paths are
// confined as on the local backend: ".." components and NUL bytes are
// refused, a leading "/" is relative to the storage root.

var objectStorageClass = interp.NewBuiltinClass("ObjectStorage", interp.ObjectClass)

type objectStorage struct {
	kind   string
	bucket objstore.Bucket
	root   string // key prefix of the storage root, "" or ending in "/"
	config objstore.Config
	// local confines the local filesystem paths given to upload and download
	// as the local backend does (its base, the temp directory, local_paths).
	local *localStorage
}

func (*objectStorage) Class() *interp.Class { return objectStorageClass }

// objectSettings is [storage] beyond the local backend's keys, then JAC_STORAGE_*.
type objectSettings struct {
	Type   string
	Prefix string
	objstore.Config
}

func readObjectSettings(dir string) objectSettings {
	st := project.ReadStorage(project.FindTOML(dir), os.Getenv)
	s := objectSettings{Type: st.Type, Prefix: st.Prefix,
		Config: objstore.Config{Bucket: st.Bucket, Region: st.Region, Endpoint: st.Endpoint}}
	if s.Type == "" {
		s.Type = "local"
	}
	return s
}

// storageType is store()'s backend: the storage_type argument, else the settings.
func storageType(th *interp.Thread, arg interp.Value, dir string) string {
	if arg != nil && arg != interp.None {
		return strings.ToLower(interp.ToStr(th, arg))
	}
	return strings.ToLower(readObjectSettings(dir).Type)
}

// buckets are the open connections, one per configuration.
var buckets sync.Map

// objstore.Config+kind -> objstore.Bucket

func openBucket(ctx context.Context, kind string, cfg objstore.Config) (objstore.Bucket, error) {
	type key struct {
		kind string
		cfg  objstore.Config
	}
	if b, ok := buckets.Load(key{kind, cfg}); ok {
		return b.(objstore.Bucket), nil
	}
	b, err := objstore.Open(ctx, kind, cfg)
	if err != nil {
		return nil, err
	}
	actual, _ := buckets.LoadOrStore(key{kind, cfg}, b)
	return actual.(objstore.Bucket), nil
}

// newObjectStorage is store() on a cloud backend; base_path, when given,
// is a folder under the configured prefix.
func newObjectStorage(th *interp.Thread, kind string, basePath interp.Value, dir string) interp.Value {
	set := readObjectSettings(dir)
	b, err := openBucket(th.Ctx, kind, set.Config)
	if err != nil {
		th.Raise(interp.OSErrorClass, "store(): %v", err)
	}
	s := &objectStorage{kind: kind, bucket: b, config: set.Config, local: localPolicy(dir)}
	root := confineKey(th, set.Prefix)
	if basePath != nil && basePath != interp.None {
		root = path.Join(root, confineKey(th, interp.ToStr(th, basePath)))
	}
	if root = strings.Trim(root, "/"); root != "" {
		s.root = root + "/"
	}
	return s
}

// localPolicy is the local backend of dir's settings, used only to check
// local filesystem paths.
func localPolicy(dir string) *localStorage {
	conf := storageConfig(dir)
	base, err := filepath.Abs(conf.base)
	if err != nil {
		base = dir
	}
	if real, err := filepath.EvalSymlinks(base); err == nil {
		base = real
	}
	return &localStorage{base: base, localPaths: conf.localPaths}
}

// confineKey maps a storage path to a key relative to the root, with the
// local backend's rules.
func confineKey(th *interp.Thread, p string) string {
	norm := strings.ReplaceAll(p, "\\", "/")
	for _, part := range strings.Split(norm, "/") {
		if part == ".." {
			th.ValueError("path %s leaves the storage directory", interp.QuoteStr(p))
		}
	}
	if strings.ContainsRune(p, 0) {
		th.ValueError("path %s contains a NUL byte", interp.QuoteStr(p))
	}
	return strings.TrimPrefix(path.Clean("/"+norm), "/")
}

// key is the object key of storage path p ("" for the root).
func (s *objectStorage) key(th *interp.Thread, p string) string {
	return s.root + confineKey(th, p)
}

func (s *objectStorage) rel(key string) string { return strings.TrimPrefix(key, s.root) }

// fail raises err as the local backend would for the storage path name.
func (s *objectStorage) fail(th *interp.Thread, err error, name string) {
	if errors.Is(err, fs.ErrNotExist) {
		th.RaiseOSError(&fs.PathError{Op: "open", Path: name, Err: syscall.ENOENT}, name)
	}
	th.RaiseOSError(err, name)
}

// children lists the objects under the folder key ("" = every object).
func (s *objectStorage) children(th *interp.Thread, key string) []objstore.Object {
	prefix := key
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	objs, err := s.bucket.List(th.Ctx, prefix)
	if err != nil {
		s.fail(th, err, key)
	}
	sort.Slice(objs, func(i, j int) bool { return objs[i].Key < objs[j].Key })
	return objs
}

// stat describes key as a file or a folder; ok is false when it is neither.
func (s *objectStorage) stat(th *interp.Thread, key string) (obj objstore.Object, isDir, ok bool) {
	if key != s.root && key != "" {
		o, err := s.bucket.Stat(th.Ctx, key)
		if err == nil {
			return o, false, true
		}
		if !errors.Is(err, fs.ErrNotExist) {
			s.fail(th, err, s.rel(key))
		}
	}
	kids := s.children(th, key)
	if len(kids) == 0 && key != s.root {
		return objstore.Object{}, false, false
	}
	dir := objstore.Object{Key: strings.TrimSuffix(key, "/")}
	for _, k := range kids {
		if k.Modified.After(dir.Modified) {
			dir.Modified = k.Modified
		}
	}
	return dir, true, true
}

func (s *objectStorage) metadata(key string, o objstore.Object, isDir bool) interp.Value {
	d := interp.NewDict()
	d.SetStr("name", interp.Str(path.Base(o.Key)))
	d.SetStr("path", interp.Str(s.rel(o.Key)))
	d.SetStr("size", interp.MakeInt(o.Size))
	d.SetStr("modified", interp.Str(o.Modified.UTC().Format(time.RFC3339)))
	d.SetStr("created", interp.Str(o.Modified.UTC().Format(time.RFC3339)))
	d.SetStr("is_dir", interp.MakeBool(isDir))
	d.SetStr("is_file", interp.MakeBool(!isDir))
	return d
}

// AttrJac implements the storage methods.
func (s *objectStorage) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	b := func(f native.Func) (interp.Value, bool) { return interp.NewBuiltin(name, f), true }
	switch name {
	case "base_path":
		return interp.Str(s.kind + "://" + s.config.Bucket + "/" + s.root), true
	case "create_dirs":
		return interp.True, true // folders are key prefixes: they always exist
	case "upload":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			p := interp.ParseArgs(th, "upload", a, kw, "source", "destination", "metadata?")
			dest := interp.ToStr(th, p[1])
			key := s.key(th, dest)
			if _, isDir, ok := s.stat(th, key); ok && isDir {
				th.RaiseOSError(syscall.EISDIR, dest)
			}
			r, closeSrc := s.local.openSource(th, p[0])
			defer closeSrc()
			if err := s.bucket.Put(th.Ctx, key, r); err != nil {
				reraiseSource(th, err) // the file-like source raised
				s.fail(th, err, dest)
			}
			return interp.Str(s.rel(key))
		})
	case "download":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			p := interp.ParseArgs(th, "download", a, kw, "path", "local_path?")
			name := interp.ToStr(th, p[0])
			return s.download(th, name, p[1])
		})
	case "delete":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			key := s.key(th, interp.ToStr(th, a[0]))
			if key == s.root {
				th.ValueError("refusing to delete the storage root")
			}
			_, isDir, ok := s.stat(th, key)
			if !ok {
				return interp.False
			}
			keys := []string{key}
			if isDir {
				keys = keys[:0]
				for _, o := range s.children(th, key) {
					keys = append(keys, o.Key)
				}
			}
			for _, k := range keys {
				if err := s.bucket.Delete(th.Ctx, k); err != nil {
					return interp.False
				}
			}
			return interp.True
		})
	case "exists":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			_, _, ok := s.stat(th, s.key(th, interp.ToStr(th, a[0])))
			return interp.MakeBool(ok)
		})
	case "get_metadata":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			name := interp.ToStr(th, a[0])
			key := s.key(th, name)
			o, isDir, ok := s.stat(th, key)
			if !ok {
				s.fail(th, fs.ErrNotExist, name)
			}
			return s.metadata(key, o, isDir)
		})
	case "list_files":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			prefix, recursive := listFilesArgs(th, a, kw)
			return native.StrList(s.list(th, s.key(th, prefix), recursive)...)
		})
	case "copy", "move":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			p := interp.ParseArgs(th, name, a, kw, "source", "destination")
			s.copyOrMove(th, interp.ToStr(th, p[0]), interp.ToStr(th, p[1]), name == "move")
			return interp.True
		})
	}
	return nil, false
}

func (s *objectStorage) download(th *interp.Thread, name string, localPath interp.Value) interp.Value {
	key := s.key(th, name)
	r, err := s.bucket.Get(th.Ctx, key)
	if err != nil {
		if _, isDir, ok := s.stat(th, key); ok && isDir {
			th.RaiseOSError(syscall.EISDIR, name)
		}
		s.fail(th, err, name)
	}
	defer r.Close()
	if localPath == nil || localPath == interp.None {
		data, err := io.ReadAll(r)
		if err != nil {
			s.fail(th, err, name)
		}
		return interp.Bytes(data)
	}
	dst := interp.ToStr(th, localPath)
	writeFile(th, s.local.localPath(th, dst), r, dst)
	return interp.None
}

// list is list_files: a file lists itself, a folder its files (only the
// direct ones unless recursive), anything else nothing; sorted.
func (s *objectStorage) list(th *interp.Thread, key string, recursive bool) []string {
	if key != s.root {
		if _, err := s.bucket.Stat(th.Ctx, key); err == nil {
			return []string{s.rel(key)}
		}
	}
	folder := key
	if folder != "" && !strings.HasSuffix(folder, "/") {
		folder += "/"
	}
	var out []string
	for _, o := range s.children(th, key) {
		if !recursive && strings.Contains(o.Key[len(folder):], "/") {
			continue
		}
		out = append(out, s.rel(o.Key))
	}
	sort.Strings(out)
	return out
}

// copyOrMove copies a file (or, for move, a file or a folder) to dst.
func (s *objectStorage) copyOrMove(th *interp.Thread, srcName, dstName string, move bool) {
	src, dst := s.key(th, srcName), s.key(th, dstName)
	_, isDir, ok := s.stat(th, src)
	switch {
	case !ok:
		s.fail(th, fs.ErrNotExist, srcName)
	case isDir && !move:
		th.RaiseOSError(syscall.EISDIR, dstName)
	}
	pairs := [][2]string{{src, dst}}
	if isDir {
		pairs = pairs[:0]
		for _, o := range s.children(th, src) {
			pairs = append(pairs, [2]string{o.Key, dst + strings.TrimPrefix(o.Key, src)})
		}
	}
	for _, p := range pairs {
		if err := s.bucket.Copy(th.Ctx, p[0], p[1]); err != nil {
			s.fail(th, err, srcName)
		}
		if move {
			if err := s.bucket.Delete(th.Ctx, p[0]); err != nil {
				s.fail(th, err, srcName)
			}
		}
	}
}

// ReprJac renders the storage.
func (s *objectStorage) ReprJac(th *interp.Thread) string {
	return "ObjectStorage(" + interp.QuoteStr(s.kind+"://"+s.config.Bucket+"/"+s.root) + ")"
}
