package stdlib

import (
	"fmt"
	"net/url"
	"os"
	"sort"
	"strings"

	"github.com/jacscale/jac/runtime/interp"
)

// ---- bisect ----

func bsBounds(th *interp.Thread, name string, args []interp.Value, kw []interp.KV) (a, x interp.Value, lo, hi int, key interp.Value) {
	p := interp.ParseArgs(th, name, args, kw, "a", "x", "lo?", "hi?", "key?")
	a, x = p[0], p[1]
	hi = interp.Len(th, a)
	if p[2] != nil {
		lo = int(interp.ToInt64(th, p[2]))
		if lo < 0 {
			th.ValueError("lo must be non-negative")
		}
	}
	if p[3] != nil && p[3] != interp.None {
		hi = int(interp.ToInt64(th, p[3]))
	}
	if p[4] != nil && p[4] != interp.None {
		key = p[4]
	}
	return
}

func bsSearch(th *interp.Thread, a, x interp.Value, lo, hi int, key interp.Value, right bool) int {
	for lo < hi {
		mid := (lo + hi) / 2
		v := interp.GetItem(th, a, interp.MakeInt(int64(mid)))
		if key != nil {
			v = th.Call(key, []interp.Value{v}, nil)
		}
		var goRight bool
		if right {
			goRight = !interp.Less(th, x, v)
		} else {
			goRight = interp.Less(th, v, x)
		}
		if goRight {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

func bsFn(name string, right, insert bool) *interp.Builtin {
	return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		a, x, lo, hi, key := bsBounds(th, name, args, kw)
		kx := x
		if insert && key != nil {
			kx = th.Call(key, []interp.Value{x}, nil)
		}
		i := bsSearch(th, a, kx, lo, hi, key, right)
		if insert {
			th.Call(interp.GetAttr(th, a, "insert"), []interp.Value{interp.MakeInt(int64(i)), x}, nil)
			return interp.None
		}
		return interp.MakeInt(int64(i))
	})
}

// ---- types.SimpleNamespace ----

type snNamespace struct {
	names []string
	vals  map[string]interp.Value
}

var snClass = func() *interp.Class { c := interp.NewBuiltinClass("SimpleNamespace"); c.Module = "types"; return c }()

func (*snNamespace) Class() *interp.Class { return snClass }

func (n *snNamespace) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	if v, ok := n.vals[name]; ok {
		return v, true
	}
	if name == "__dict__" {
		d := interp.NewDict()
		for _, k := range n.names {
			d.SetStr(k, n.vals[k])
		}
		return d, true
	}
	return nil, false
}

func (n *snNamespace) SetAttrJac(th *interp.Thread, name string, v interp.Value) bool {
	if _, ok := n.vals[name]; !ok {
		n.names = append(n.names, name)
	}
	n.vals[name] = v
	return true
}

func (n *snNamespace) ReprJac(th *interp.Thread) string {
	parts := make([]string, len(n.names))
	for i, k := range n.names {
		parts[i] = k + "=" + interp.Repr(th, n.vals[k])
	}
	return "namespace(" + strings.Join(parts, ", ") + ")"
}

func (n *snNamespace) EqualJac(th *interp.Thread, o interp.Value) (bool, bool) {
	m, ok := o.(*snNamespace)
	if !ok {
		return false, true
	}
	if len(m.vals) != len(n.vals) {
		return false, true
	}
	for k, v := range n.vals {
		w, ok := m.vals[k]
		if !ok || !interp.Equal(th, v, w) {
			return false, true
		}
	}
	return true, true
}

// ---- contextlib ----

type clSuppress struct{ types []interp.Value }

var clSuppressClass = interp.NewBuiltinClass("suppress")

func (*clSuppress) Class() *interp.Class                   { return clSuppressClass }
func (s *clSuppress) Enter(th *interp.Thread) interp.Value { return interp.None }
func (s *clSuppress) Exit(th *interp.Thread, exc *interp.Instance) bool {
	if exc == nil {
		return false
	}
	for _, t := range s.types {
		if interp.IsInstance(th, exc, t) {
			return true
		}
	}
	return false
}

type clNull struct{ v interp.Value }

var clNullClass = interp.NewBuiltinClass("nullcontext")

func (*clNull) Class() *interp.Class                                { return clNullClass }
func (n *clNull) Enter(th *interp.Thread) interp.Value              { return n.v }
func (n *clNull) Exit(th *interp.Thread, exc *interp.Instance) bool { return false }

// clGenCM is the context manager made by a @contextmanager function: the
// generator runs to its yield on enter and to its end on exit. An exception in
// the with body is not thrown into the generator (it propagates after cleanup).
type clGenCM struct{ it interp.Iterator }

var clGenCMClass = interp.NewBuiltinClass("_GeneratorContextManager")

func (*clGenCM) Class() *interp.Class { return clGenCMClass }
func (g *clGenCM) Enter(th *interp.Thread) interp.Value {
	v, ok := g.it.Next(th)
	if !ok {
		th.Raise(interp.RuntimeErrorClass, "generator didn't yield")
	}
	return v
}
func (g *clGenCM) Exit(th *interp.Thread, exc *interp.Instance) bool {
	if _, ok := g.it.Next(th); ok && exc == nil {
		th.Raise(interp.RuntimeErrorClass, "generator didn't stop")
	}
	return false
}

// ---- threading.Lock (the interpreter runs one thread per request) ----

type thLock struct{ locked bool }

var thLockClass = interp.NewBuiltinClass("lock")

func (*thLock) Class() *interp.Class                                { return thLockClass }
func (l *thLock) Enter(th *interp.Thread) interp.Value              { l.locked = true; return interp.True }
func (l *thLock) Exit(th *interp.Thread, exc *interp.Instance) bool { l.locked = false; return false }
func (l *thLock) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	switch name {
	case "acquire":
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			l.locked = true
			return interp.True
		}), true
	case "release":
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if !l.locked {
				th.Raise(interp.RuntimeErrorClass, "release unlocked lock")
			}
			l.locked = false
			return interp.None
		}), true
	case "locked":
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.MakeBool(l.locked)
		}), true
	}
	return nil, false
}

// ---- html ----

func htmlEscape(s string, quote bool) string {
	s = strings.ReplaceAll(s, "&", "&amp;")
	s = strings.ReplaceAll(s, "<", "&lt;")
	s = strings.ReplaceAll(s, ">", "&gt;")
	if quote {
		s = strings.ReplaceAll(s, "\"", "&quot;")
		s = strings.ReplaceAll(s, "'", "&#x27;")
	}
	return s
}

var htmlUnescaper = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", "\"", "&#x27;", "'", "&#39;", "'", "&apos;", "'", "&nbsp;", "\u00a0")

// ---- urllib.parse ----

const upSafeAlways = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"

func upQuote(s, safe string, plus bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case plus && c == ' ':
			b.WriteByte('+')
		case strings.IndexByte(upSafeAlways, c) >= 0 || (c < 0x80 && strings.IndexByte(safe, c) >= 0):
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func upUnquote(s string, plus bool) string {
	if plus {
		s = strings.ReplaceAll(s, "+", " ")
	}
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s)+0 && i+2 <= len(s)-1 && isHex(s[i+1]) && isHex(s[i+2]) {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return strings.ToValidUTF8(string(b), "\ufffd")
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

func upStrArg(th *interp.Thread, v interp.Value) string {
	switch x := v.(type) {
	case interp.Str:
		return string(x)
	case interp.Bytes:
		return string(x)
	}
	return interp.ToStr(th, v)
}

func upParseQS(th *interp.Thread, qs string, keepBlank bool) [][2]string {
	var out [][2]string
	for _, part := range strings.FieldsFunc(qs, func(r rune) bool { return r == '&' }) {
		k, v, has := strings.Cut(part, "=")
		if !has && !keepBlank {
			continue
		}
		if v == "" && !keepBlank {
			continue
		}
		out = append(out, [2]string{upUnquote(k, true), upUnquote(v, true)})
	}
	return out
}

func upSplit(th *interp.Thread, s string) (scheme, netloc, path, query, fragment string) {
	if i := strings.Index(s, ":"); i > 0 {
		ok := true
		for j, c := range s[:i] {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || j > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
				ok = false
				break
			}
		}
		if ok {
			scheme, s = strings.ToLower(s[:i]), s[i+1:]
		}
	}
	if strings.HasPrefix(s, "//") {
		rest := s[2:]
		end := strings.IndexAny(rest, "/?#")
		if end < 0 {
			end = len(rest)
		}
		netloc, s = rest[:end], rest[end:]
	}
	if i := strings.Index(s, "#"); i >= 0 {
		s, fragment = s[:i], s[i+1:]
	}
	if i := strings.Index(s, "?"); i >= 0 {
		s, query = s[:i], s[i+1:]
	}
	return scheme, netloc, s, query, fragment
}

type upResult struct {
	ftNamed
	netloc string
}

func upMakeResult(name string, fields []string, vals []string, netloc string) *upResult {
	t := make(interp.Tuple, len(vals))
	for i, v := range vals {
		t[i] = interp.Str(v)
	}
	return &upResult{ftNamed: ftNamed{name: name, fields: fields, vals: t}, netloc: netloc}
}

func (r *upResult) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	if v, ok := r.ftNamed.AttrJac(th, name); ok {
		return v, true
	}
	host := r.netloc
	if i := strings.LastIndex(host, "@"); i >= 0 {
		host = host[i+1:]
	}
	hostname, port, hasPort := host, "", false
	if i := strings.LastIndex(host, ":"); i >= 0 && !strings.HasSuffix(host, "]") {
		hostname, port, hasPort = host[:i], host[i+1:], true
	}
	switch name {
	case "hostname":
		if hostname == "" {
			return interp.None, true
		}
		return interp.Str(strings.ToLower(strings.Trim(hostname, "[]"))), true
	case "port":
		if !hasPort || port == "" {
			return interp.None, true
		}
		n := 0
		for _, c := range port {
			if c < '0' || c > '9' {
				th.ValueError("Port could not be cast to integer value as %s", interp.QuoteStr(port))
			}
			n = n*10 + int(c-'0')
		}
		return interp.MakeInt(int64(n)), true
	case "geturl":
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.Str(upUnsplit(r.vals))
		}), true
	case "_asdict":
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			d := interp.NewDict()
			for i, f := range r.fields {
				d.SetStr(f, r.vals[i])
			}
			return d
		}), true
	}
	return nil, false
}

func upUnsplit(vals interp.Tuple) string {
	s := make([]string, len(vals))
	for i, v := range vals {
		s[i] = string(v.(interp.Str))
	}
	var b strings.Builder
	if s[0] != "" {
		b.WriteString(s[0] + ":")
	}
	if s[1] != "" || s[0] == "file" {
		b.WriteString("//" + s[1])
	}
	b.WriteString(s[2])
	if len(s) == 6 && s[3] != "" {
		b.WriteString(";" + s[3])
	}
	q, f := s[len(s)-2], s[len(s)-1]
	if q != "" {
		b.WriteString("?" + q)
	}
	if f != "" {
		b.WriteString("#" + f)
	}
	return b.String()
}

func init() {
	interp.RegisterModule("bisect", func() *interp.Module {
		m := interp.NewModule("bisect")
		m.Set("bisect_left", bsFn("bisect_left", false, false))
		m.Set("bisect_right", bsFn("bisect_right", true, false))
		m.Set("bisect", bsFn("bisect", true, false))
		m.Set("insort_left", bsFn("insort_left", false, true))
		m.Set("insort_right", bsFn("insort_right", true, true))
		m.Set("insort", bsFn("insort", true, true))
		return m
	})
	interp.SetConstructor(snClass, func(th *interp.Thread, cls *interp.Class, args []interp.Value, kw []interp.KV) interp.Value {
		n := &snNamespace{vals: map[string]interp.Value{}}
		if len(args) > 1 {
			th.TypeError("SimpleNamespace expected at most 1 argument, got %d", len(args))
		}
		if len(args) == 1 {
			if d, ok := args[0].(*interp.Dict); ok {
				for _, it := range d.Items() {
					n.SetAttrJac(th, interp.ToStr(th, it.Key), it.Value)
				}
			}
		}
		for _, a := range kw {
			n.SetAttrJac(th, a.Name, a.Value)
		}
		return n
	})
	interp.RegisterModule("types", func() *interp.Module {
		m := interp.NewModule("types")
		m.Set("SimpleNamespace", snClass)
		m.Set("FunctionType", interp.FunctionClass)
		m.Set("BuiltinFunctionType", interp.BuiltinFunctionClass)
		m.Set("MethodType", interp.MethodClass)
		m.Set("ModuleType", interp.ModuleClass)
		m.Set("GeneratorType", interp.GeneratorClass)
		m.Set("CoroutineType", interp.CoroutineClass)
		m.Set("NoneType", interp.NoneClass)
		return m
	})
	interp.RegisterModule("contextlib", func() *interp.Module {
		m := interp.NewModule("contextlib")
		m.Set("suppress", interp.NewBuiltin("suppress", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return &clSuppress{types: append([]interp.Value{}, args...)}
		}))
		m.Set("nullcontext", interp.NewBuiltin("nullcontext", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "nullcontext", args, kw, "enter_result?")
			if a[0] == nil {
				return &clNull{v: interp.None}
			}
			return &clNull{v: a[0]}
		}))
		m.Set("contextmanager", interp.NewBuiltin("contextmanager", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) != 1 {
				th.TypeError("contextmanager() takes exactly one argument")
			}
			f := args[0]
			return interp.NewBuiltin("helper", func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value {
				return &clGenCM{it: interp.GetIter(th, th.Call(f, a, k))}
			})
		}))
		return m
	})
	interp.RegisterModule("threading", func() *interp.Module {
		m := interp.NewModule("threading")
		lock := interp.NewBuiltin("Lock", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value { return &thLock{} })
		m.Set("Lock", lock)
		m.Set("RLock", lock)
		return m
	})
	interp.RegisterModule("warnings", func() *interp.Module {
		m := interp.NewModule("warnings")
		m.Set("warn", interp.NewBuiltin("warn", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "warn", args, kw, "message", "category?", "stacklevel?", "source?")
			cat := "UserWarning"
			if c, ok := a[1].(*interp.Class); ok {
				cat = c.Name
			}
			fmt.Fprintf(os.Stderr, "%s: %s\n", cat, interp.ToStr(th, a[0]))
			return interp.None
		}))
		noop := interp.NewBuiltin("filterwarnings", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value { return interp.None })
		m.Set("filterwarnings", noop)
		m.Set("simplefilter", noop)
		m.Set("resetwarnings", noop)
		return m
	})
	interp.RegisterModule("html", func() *interp.Module {
		m := interp.NewModule("html")
		m.Set("escape", interp.NewBuiltin("escape", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "escape", args, kw, "s", "quote?")
			return interp.Str(htmlEscape(interp.ToStr(th, a[0]), a[1] == nil || interp.Truth(th, a[1])))
		}))
		m.Set("unescape", interp.NewBuiltin("unescape", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.Str(htmlUnescaper.Replace(interp.ToStr(th, args[0])))
		}))
		return m
	})
	interp.RegisterModule("urllib", func() *interp.Module {
		m := interp.NewModule("urllib")
		m.Set("parse", upModule())
		return m
	})
	interp.RegisterModule("urllib.parse", upModule)
}

func upModule() *interp.Module {
	{
		m := interp.NewModule("urllib.parse")
		m.Set("quote", interp.NewBuiltin("quote", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "quote", args, kw, "string", "safe?", "encoding?", "errors?")
			safe := "/"
			if a[1] != nil {
				safe = upStrArg(th, a[1])
			}
			return interp.Str(upQuote(upStrArg(th, a[0]), safe, false))
		}))
		m.Set("quote_plus", interp.NewBuiltin("quote_plus", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "quote_plus", args, kw, "string", "safe?", "encoding?", "errors?")
			safe := ""
			if a[1] != nil {
				safe = upStrArg(th, a[1])
			}
			return interp.Str(upQuote(upStrArg(th, a[0]), safe, true))
		}))
		m.Set("unquote", interp.NewBuiltin("unquote", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.Str(upUnquote(upStrArg(th, args[0]), false))
		}))
		m.Set("unquote_plus", interp.NewBuiltin("unquote_plus", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.Str(upUnquote(upStrArg(th, args[0]), true))
		}))
		m.Set("urlencode", interp.NewBuiltin("urlencode", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "urlencode", args, kw, "query", "doseq?", "safe?")
			doseq := a[1] != nil && interp.Truth(th, a[1])
			safe := ""
			if a[2] != nil {
				safe = upStrArg(th, a[2])
			}
			var pairs []interp.Value
			if d, ok := a[0].(*interp.Dict); ok {
				for _, it := range d.Items() {
					pairs = append(pairs, interp.Tuple{it.Key, it.Value})
				}
			} else {
				pairs = interp.ToSlice(th, a[0])
			}
			var parts []string
			for _, p := range pairs {
				kv := interp.ToSlice(th, p)
				k := upQuote(upStrArg(th, kv[0]), safe, true)
				v := kv[1]
				switch v.(type) {
				case *interp.List, interp.Tuple:
					if doseq {
						for _, e := range interp.ToSlice(th, v) {
							parts = append(parts, k+"="+upQuote(upStrArg(th, e), safe, true))
						}
						continue
					}
					parts = append(parts, k+"="+upQuote(interp.ToStr(th, v), safe, true))
				default:
					parts = append(parts, k+"="+upQuote(upStrArg(th, v), safe, true))
				}
			}
			return interp.Str(strings.Join(parts, "&"))
		}))
		m.Set("parse_qs", interp.NewBuiltin("parse_qs", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "parse_qs", args, kw, "qs", "keep_blank_values?")
			d := interp.NewDict()
			for _, kv := range upParseQS(th, upStrArg(th, a[0]), a[1] != nil && interp.Truth(th, a[1])) {
				if l, ok := d.GetStr(kv[0]); ok {
					l.(*interp.List).Append(interp.Str(kv[1]))
				} else {
					d.SetStr(kv[0], interp.NewList([]interp.Value{interp.Str(kv[1])}))
				}
			}
			return d
		}))
		m.Set("parse_qsl", interp.NewBuiltin("parse_qsl", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "parse_qsl", args, kw, "qs", "keep_blank_values?")
			var out []interp.Value
			for _, kv := range upParseQS(th, upStrArg(th, a[0]), a[1] != nil && interp.Truth(th, a[1])) {
				out = append(out, interp.Tuple{interp.Str(kv[0]), interp.Str(kv[1])})
			}
			return interp.NewList(out)
		}))
		m.Set("urlparse", interp.NewBuiltin("urlparse", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			scheme, netloc, path, query, frag := upSplit(th, upStrArg(th, args[0]))
			params := ""
			if i := strings.LastIndex(path, ";"); i >= 0 && i > strings.LastIndex(path, "/") {
				path, params = path[:i], path[i+1:]
			}
			return upMakeResult("ParseResult", []string{"scheme", "netloc", "path", "params", "query", "fragment"},
				[]string{scheme, netloc, path, params, query, frag}, netloc)
		}))
		m.Set("urlsplit", interp.NewBuiltin("urlsplit", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			scheme, netloc, path, query, frag := upSplit(th, upStrArg(th, args[0]))
			return upMakeResult("SplitResult", []string{"scheme", "netloc", "path", "query", "fragment"},
				[]string{scheme, netloc, path, query, frag}, netloc)
		}))
		m.Set("urljoin", interp.NewBuiltin("urljoin", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			base, err1 := url.Parse(upStrArg(th, args[0]))
			ref, err2 := url.Parse(upStrArg(th, args[1]))
			if err1 != nil || err2 != nil {
				return args[1]
			}
			return interp.Str(base.ResolveReference(ref).String())
		}))
		return m
	}
}

var _ = sort.Strings
