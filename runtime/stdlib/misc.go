package stdlib

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/jacscale/jac/runtime/interp"
)

// fn is the signature of a module function written in Go.
type fn = func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value

func builtin(name string, f fn) *interp.Builtin { return interp.NewBuiltin(name, f) }

func strs(ss ...string) interp.Value {
	out := make([]interp.Value, len(ss))
	for i, s := range ss {
		out[i] = interp.Str(s)
	}
	return interp.NewList(out)
}

func init() {
	interp.RegisterModule("time", func() *interp.Module {
		m := interp.NewModule("time")
		start := time.Now()
		m.Set("time", builtin("time", func(*interp.Thread, []interp.Value, []interp.KV) interp.Value {
			return interp.Float(float64(time.Now().UnixNano()) / 1e9)
		}))
		m.Set("time_ns", builtin("time_ns", func(*interp.Thread, []interp.Value, []interp.KV) interp.Value {
			return interp.MakeInt(time.Now().UnixNano())
		}))
		mono := func(*interp.Thread, []interp.Value, []interp.KV) interp.Value {
			return interp.Float(time.Since(start).Seconds())
		}
		m.Set("perf_counter", builtin("perf_counter", mono))
		m.Set("monotonic", builtin("monotonic", mono))
		m.Set("process_time", builtin("process_time", mono))
		m.Set("sleep", builtin("sleep", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			th.Sleep(time.Duration(interp.ToFloat(th, a[0]) * float64(time.Second)))
			return interp.None
		}))
		m.Set("strftime", builtin("strftime", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			now := time.Now()
			return interp.Str(dtStrftime(now.Year(), int(now.Month()), now.Day(), now.Hour(), now.Minute(),
				now.Second(), now.Nanosecond()/1000, nil, interp.ToStr(th, a[0])))
		}))
		return m
	})

	interp.RegisterModule("uuid", func() *interp.Module {
		m := interp.NewModule("uuid")
		m.Set("uuid4", builtin("uuid4", func(*interp.Thread, []interp.Value, []interp.KV) interp.Value {
			return &uuidValue{id: interp.NewID()}
		}))
		m.Set("UUID", builtin("UUID", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			id, ok := interp.ParseID(interp.ToStr(th, a[0]))
			if !ok {
				th.ValueError("badly formed hexadecimal UUID string")
			}
			return &uuidValue{id: id}
		}))
		return m
	})

	interp.RegisterModule("os.path", osPath)
	interp.RegisterModule("os", func() *interp.Module {
		m := interp.NewModule("os")
		env := interp.NewDict()
		for _, kv := range os.Environ() {
			k, v, _ := strings.Cut(kv, "=")
			env.SetStr(k, interp.Str(v))
		}
		m.Set("environ", env)
		m.Set("path", osPath())
		m.Set("sep", interp.Str("/"))
		m.Set("linesep", interp.Str("\n"))
		m.Set("name", interp.Str("posix"))
		m.Set("getenv", builtin("getenv", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			if v, ok := env.GetStr(interp.ToStr(th, a[0])); ok {
				return v
			}
			if len(a) > 1 {
				return a[1]
			}
			return interp.None
		}))
		m.Set("getcwd", builtin("getcwd", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			d, _ := os.Getwd()
			return interp.Str(d)
		}))
		m.Set("listdir", builtin("listdir", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			dir := "."
			if len(a) > 0 {
				dir = interp.ToStr(th, a[0])
			}
			es, err := os.ReadDir(dir)
			if err != nil {
				th.RaiseOSError(err, dir)
			}
			var names []string
			for _, e := range es {
				names = append(names, e.Name())
			}
			return strs(names...)
		}))
		m.Set("makedirs", builtin("makedirs", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			p := interp.ToStr(th, a[0])
			if ok, _ := interp.KwArg(kw, "exist_ok"); ok == nil || !interp.Truth(th, ok) {
				if _, err := os.Stat(p); err == nil {
					th.RaiseOSError(os.ErrExist, p)
				}
			}
			if err := os.MkdirAll(p, 0o755); err != nil {
				th.RaiseOSError(err, p)
			}
			return interp.None
		}))
		m.Set("mkdir", builtin("mkdir", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			p := interp.ToStr(th, a[0])
			if err := os.Mkdir(p, 0o755); err != nil {
				th.RaiseOSError(err, p)
			}
			return interp.None
		}))
		for _, name := range []string{"remove", "unlink", "rmdir"} {
			m.Set(name, builtin(name, func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
				p := interp.ToStr(th, a[0])
				if err := os.Remove(p); err != nil {
					th.RaiseOSError(err, p)
				}
				return interp.None
			}))
		}
		m.Set("rename", builtin("rename", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			if err := os.Rename(interp.ToStr(th, a[0]), interp.ToStr(th, a[1])); err != nil {
				th.RaiseOSError(err, interp.ToStr(th, a[0]))
			}
			return interp.None
		}))
		m.Set("cpu_count", builtin("cpu_count", func(*interp.Thread, []interp.Value, []interp.KV) interp.Value {
			return interp.MakeInt(int64(runtime.NumCPU()))
		}))
		m.Set("getpid", builtin("getpid", func(*interp.Thread, []interp.Value, []interp.KV) interp.Value {
			return interp.MakeInt(int64(os.Getpid()))
		}))
		return m
	})

	interp.RegisterModule("sys", func() *interp.Module {
		m := interp.NewModule("sys")
		m.Set("argv", strs(os.Args[1:]...))
		m.Set("version", interp.Str("3.12.0 (jac-scale for Go)"))
		m.Set("platform", interp.Str(runtime.GOOS))
		m.Set("maxsize", interp.MakeInt(1<<63-1))
		m.Set("path", interp.NewList(nil))
		m.Set("get_int_max_str_digits", builtin("get_int_max_str_digits", func(th *interp.Thread, _ []interp.Value, _ []interp.KV) interp.Value {
			return interp.MakeInt(th.IntMaxStrDigits())
		}))
		m.Set("set_int_max_str_digits", builtin("set_int_max_str_digits", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			p := interp.ParseArgs(th, "set_int_max_str_digits", a, kw, "maxdigits")
			th.SetIntMaxStrDigits(interp.ToInt64(th, p[0]))
			return interp.None
		}))
		m.Set("exit", builtin("exit", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			exc, _ := th.Call(interp.SystemExitClass, a, nil).(*interp.Instance)
			th.RaiseValue(exc)
			return interp.None
		}))
		return m
	})

	interp.RegisterModule("string", func() *interp.Module {
		m := interp.NewModule("string")
		lower, upper, digits := "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789"
		punct := "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
		m.Set("ascii_lowercase", interp.Str(lower))
		m.Set("ascii_uppercase", interp.Str(upper))
		m.Set("ascii_letters", interp.Str(lower+upper))
		m.Set("digits", interp.Str(digits))
		m.Set("hexdigits", interp.Str("0123456789abcdefABCDEF"))
		m.Set("octdigits", interp.Str("01234567"))
		m.Set("punctuation", interp.Str(punct))
		m.Set("whitespace", interp.Str(" \t\n\r\v\f"))
		m.Set("printable", interp.Str(digits+lower+upper+punct+" \t\n\r\v\f"))
		m.Set("capwords", builtin("capwords", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			words := strings.Fields(interp.ToStr(th, a[0]))
			for i, w := range words {
				words[i] = strings.ToUpper(w[:1]) + strings.ToLower(w[1:])
			}
			return interp.Str(strings.Join(words, " "))
		}))
		return m
	})

	interp.RegisterModule("hashlib", func() *interp.Module {
		m := interp.NewModule("hashlib")
		for name, mk := range map[string]func() hash.Hash{"sha256": sha256.New, "sha1": sha1.New, "md5": md5.New, "sha512": sha512.New} {
			mk := mk
			m.Set(name, builtin(name, func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
				h := &hashValue{h: mk()}
				if len(a) > 0 {
					h.h.Write([]byte(bytesOf(th, a[0])))
				}
				return h
			}))
		}
		return m
	})

	interp.RegisterModule("base64", func() *interp.Module {
		m := interp.NewModule("base64")
		enc := func(name string, e *base64.Encoding) {
			m.Set(name+"encode", builtin(name+"encode", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
				return interp.Bytes(e.EncodeToString([]byte(bytesOf(th, a[0]))))
			}))
			m.Set(name+"decode", builtin(name+"decode", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
				out, err := e.DecodeString(bytesOf(th, a[0]))
				if err != nil {
					th.ValueError("Incorrect padding")
				}
				return interp.Bytes(out)
			}))
		}
		enc("b64", base64.StdEncoding)
		enc("urlsafe_b64", base64.URLEncoding)
		return m
	})

	interp.RegisterModule("copy", func() *interp.Module {
		m := interp.NewModule("copy")
		m.Set("copy", builtin("copy", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			return shallowCopy(th, a[0])
		}))
		m.Set("deepcopy", builtin("deepcopy", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			return newDeepCopier(th).copy(a[0])
		}))
		return m
	})

	interp.RegisterModule("heapq", func() *interp.Module {
		m := interp.NewModule("heapq")
		m.Set("heappush", builtin("heappush", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			l := a[0].(*interp.List)
			l.Append(a[1])
			siftDown(th, l.Elems(), 0, l.Len()-1)
			return interp.None
		}))
		m.Set("heappop", builtin("heappop", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			return heapPop(th, a[0].(*interp.List))
		}))
		m.Set("heapify", builtin("heapify", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			e := a[0].(*interp.List).Elems()
			for i := len(e)/2 - 1; i >= 0; i-- {
				siftUp(th, e, i)
			}
			return interp.None
		}))
		m.Set("heappushpop", builtin("heappushpop", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			l := a[0].(*interp.List)
			e := l.Elems()
			if len(e) > 0 && interp.Less(th, e[0], a[1]) {
				r := e[0]
				e[0] = a[1]
				siftUp(th, e, 0)
				return r
			}
			return a[1]
		}))
		m.Set("heapreplace", builtin("heapreplace", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			e := a[0].(*interp.List).Elems()
			if len(e) == 0 {
				th.Raise(interp.IndexErrorClass, "index out of range")
			}
			r := e[0]
			e[0] = a[1]
			siftUp(th, e, 0)
			return r
		}))
		nbest := func(name string, largest bool) {
			m.Set(name, builtin(name, func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
				n := int(interp.ToInt64(th, a[0]))
				items := interp.ToSlice(th, a[1])
				key, _ := interp.KwArg(kw, "key")
				keys := items
				if key != nil && key != interp.None {
					keys = make([]interp.Value, len(items))
					for i, it := range items {
						keys[i] = th.Call(key, []interp.Value{it}, nil)
					}
				}
				idx := make([]int, len(items))
				for i := range idx {
					idx[i] = i
				}
				sort.SliceStable(idx, func(i, j int) bool {
					if largest {
						return interp.Less(th, keys[idx[j]], keys[idx[i]])
					}
					return interp.Less(th, keys[idx[i]], keys[idx[j]])
				})
				if n > len(idx) {
					n = len(idx)
				}
				out := make([]interp.Value, n)
				for i := range out {
					out[i] = items[idx[i]]
				}
				return interp.NewList(out)
			}))
		}
		nbest("nlargest", true)
		nbest("nsmallest", false)
		return m
	})

	interp.RegisterModule("logging", func() *interp.Module {
		m := interp.NewModule("logging")
		levels := map[string]int64{"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40, "CRITICAL": 50}
		for k, v := range levels {
			m.Set(k, interp.MakeInt(v))
		}
		root := &logger{name: "root", level: 30}
		loggers := map[string]*logger{}
		m.Set("getLogger", builtin("getLogger", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			if len(a) == 0 || a[0] == interp.None {
				return root
			}
			name := interp.ToStr(th, a[0])
			if l, ok := loggers[name]; ok {
				return l
			}
			l := &logger{name: name, level: -1, parent: root}
			loggers[name] = l
			return l
		}))
		m.Set("basicConfig", builtin("basicConfig", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			if v, ok := interp.KwArg(kw, "level"); ok {
				root.level = interp.ToInt64(th, v)
			}
			return interp.None
		}))
		for _, name := range []string{"debug", "info", "warning", "error", "critical", "exception"} {
			name := name
			m.Set(name, builtin(name, func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
				root.log(th, name, a)
				return interp.None
			}))
		}
		return m
	})
}

var (
	uuidClass   = interp.NewBuiltinClass("UUID", interp.ObjectClass)
	hashClass   = interp.NewBuiltinClass("HASH", interp.ObjectClass)
	loggerClass = interp.NewBuiltinClass("Logger", interp.ObjectClass)
)

type uuidValue struct{ id interp.ID }

func (*uuidValue) Class() *interp.Class { return uuidClass }

// StrJac is the dashed form.
func (u *uuidValue) StrJac(th *interp.Thread) string { return u.id.UUID() }

// ReprJac is UUID('...').
func (u *uuidValue) ReprJac(th *interp.Thread) string { return "UUID('" + u.id.UUID() + "')" }

// EqualJac compares ids.
func (u *uuidValue) EqualJac(th *interp.Thread, o interp.Value) (bool, bool) {
	x, ok := o.(*uuidValue)
	return ok && x.id == u.id, true
}

// HashJac hashes the id.
func (u *uuidValue) HashJac(th *interp.Thread) uint64 { return interp.Hash(th, interp.Str(u.id.Hex())) }

// AttrJac exposes hex and friends.
func (u *uuidValue) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	switch name {
	case "hex":
		return interp.Str(u.id.Hex()), true
	case "bytes":
		return interp.Bytes(u.id[:]), true
	case "version":
		return interp.MakeInt(int64(u.id[6] >> 4)), true
	}
	return nil, false
}

type hashValue struct{ h hash.Hash }

func (*hashValue) Class() *interp.Class { return hashClass }

// AttrJac implements update/hexdigest/digest.
func (h *hashValue) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	switch name {
	case "update":
		return builtin(name, func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			h.h.Write([]byte(bytesOf(th, a[0])))
			return interp.None
		}), true
	case "hexdigest":
		return builtin(name, func(*interp.Thread, []interp.Value, []interp.KV) interp.Value {
			return interp.Str(hex.EncodeToString(h.h.Sum(nil)))
		}), true
	case "digest":
		return builtin(name, func(*interp.Thread, []interp.Value, []interp.KV) interp.Value {
			return interp.Bytes(h.h.Sum(nil))
		}), true
	}
	return nil, false
}

func bytesOf(th *interp.Thread, v interp.Value) string {
	switch x := v.(type) {
	case interp.Bytes:
		return string(x)
	case interp.Str:
		return string(x)
	}
	th.TypeError("a bytes-like object is required, not '%s'", interp.TypeName(v))
	return ""
}

type logger struct {
	name   string
	level  int64
	parent *logger
}

func (*logger) Class() *interp.Class { return loggerClass }

func (l *logger) effective() int64 {
	if l.level >= 0 || l.parent == nil {
		return l.level
	}
	return l.parent.effective()
}

var logLevels = map[string]int64{"debug": 10, "info": 20, "warning": 30, "error": 40, "exception": 40, "critical": 50}

func (l *logger) log(th *interp.Thread, method string, a []interp.Value) {
	lvl := logLevels[method]
	if lvl < l.effective() || len(a) == 0 {
		return
	}
	msg := interp.ToStr(th, a[0])
	if len(a) > 1 {
		msg = interp.ToStr(th, interp.Binary(th, tokPercent, interp.Str(msg), interp.Tuple(a[1:])))
	}
	name := strings.ToUpper(method)
	if method == "exception" {
		name = "ERROR"
	}
	fmt.Fprintf(os.Stderr, "%s:%s:%s\n", name, l.name, msg)
}

// AttrJac implements the logger methods.
func (l *logger) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	if _, ok := logLevels[name]; ok {
		return builtin(name, func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			l.log(th, name, a)
			return interp.None
		}), true
	}
	switch name {
	case "setLevel":
		return builtin(name, func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			l.level = interp.ToInt64(th, a[0])
			return interp.None
		}), true
	case "name":
		return interp.Str(l.name), true
	case "addHandler", "removeHandler", "propagate":
		return builtin(name, func(*interp.Thread, []interp.Value, []interp.KV) interp.Value { return interp.None }), true
	}
	return nil, false
}

func osPath() *interp.Module {
	m := interp.NewModule("os.path")
	s1 := func(name string, f func(string) interp.Value) {
		m.Set(name, builtin(name, func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			return f(interp.ToStr(th, a[0]))
		}))
	}
	m.Set("join", builtin("join", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
		out := ""
		for _, p := range a {
			s := interp.ToStr(th, p)
			if strings.HasPrefix(s, "/") || out == "" {
				out = s
			} else if strings.HasSuffix(out, "/") {
				out += s
			} else {
				out += "/" + s
			}
		}
		return interp.Str(out)
	}))
	s1("exists", func(p string) interp.Value { _, err := os.Stat(p); return interp.MakeBool(err == nil) })
	s1("isfile", func(p string) interp.Value {
		st, err := os.Stat(p)
		return interp.MakeBool(err == nil && st.Mode().IsRegular())
	})
	s1("isdir", func(p string) interp.Value { st, err := os.Stat(p); return interp.MakeBool(err == nil && st.IsDir()) })
	s1("basename", func(p string) interp.Value { return interp.Str(p[strings.LastIndex(p, "/")+1:]) })
	s1("dirname", func(p string) interp.Value {
		i := strings.LastIndex(p, "/")
		if i < 0 {
			return interp.Str("")
		}
		if i == 0 {
			return interp.Str("/")
		}
		return interp.Str(p[:i])
	})
	s1("abspath", func(p string) interp.Value { a, _ := filepath.Abs(p); return interp.Str(a) })
	s1("normpath", func(p string) interp.Value { return interp.Str(filepath.Clean(p)) })
	s1("expanduser", func(p string) interp.Value {
		if strings.HasPrefix(p, "~") {
			h, _ := os.UserHomeDir()
			return interp.Str(h + p[1:])
		}
		return interp.Str(p)
	})
	s1("splitext", func(p string) interp.Value {
		ext := filepath.Ext(p)
		if strings.HasPrefix(filepath.Base(p), ".") && ext == filepath.Base(p) {
			ext = ""
		}
		return interp.Tuple{interp.Str(p[:len(p)-len(ext)]), interp.Str(ext)}
	})
	s1("split", func(p string) interp.Value {
		i := strings.LastIndex(p, "/")
		return interp.Tuple{interp.Str(p[:max(i, 0)]), interp.Str(p[i+1:])}
	})
	m.Set("getsize", builtin("getsize", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
		p := interp.ToStr(th, a[0])
		st, err := os.Stat(p)
		if err != nil {
			th.RaiseOSError(err, p)
		}
		return interp.MakeInt(st.Size())
	}))
	m.Set("relpath", builtin("relpath", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
		base, _ := os.Getwd()
		if len(a) > 1 {
			base = interp.ToStr(th, a[1])
		}
		r, err := filepath.Rel(base, interp.ToStr(th, a[0]))
		if err != nil {
			th.ValueError("%v", err)
		}
		return interp.Str(r)
	}))
	m.Set("sep", interp.Str("/"))
	return m
}

func siftDown(th *interp.Thread, e []interp.Value, start, pos int) {
	item := e[pos]
	for pos > start {
		parent := (pos - 1) / 2
		if interp.Less(th, item, e[parent]) {
			e[pos] = e[parent]
			pos = parent
			continue
		}
		break
	}
	e[pos] = item
}

func siftUp(th *interp.Thread, e []interp.Value, pos int) {
	end, start := len(e), pos
	item := e[pos]
	child := 2*pos + 1
	for child < end {
		if r := child + 1; r < end && !interp.Less(th, e[child], e[r]) {
			child = r
		}
		e[pos] = e[child]
		pos = child
		child = 2*pos + 1
	}
	e[pos] = item
	siftDown(th, e, start, pos)
}

func heapPop(th *interp.Thread, l *interp.List) interp.Value {
	e := l.Elems()
	if len(e) == 0 {
		th.Raise(interp.IndexErrorClass, "index out of range")
	}
	last := e[len(e)-1]
	rest := interp.NewList(e[:len(e)-1])
	*l = *rest
	if l.Len() == 0 {
		return last
	}
	e = l.Elems()
	r := e[0]
	e[0] = last
	siftUp(th, e, 0)
	return r
}
