// Package urllib implements Python's urllib.parse module: quoting, query
// strings, urlparse/urlsplit and urlencode.
package urllib

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/internal/native"
)

const safeAlways = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"

func quote(s, safe string, plus bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case plus && c == ' ':
			b.WriteByte('+')
		case strings.IndexByte(safeAlways, c) >= 0 || (c < 0x80 && strings.IndexByte(safe, c) >= 0):
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func unquote(s string, plus bool) string {
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

func strArg(th *interp.Thread, v interp.Value) string {
	switch x := v.(type) {
	case interp.Str:
		return string(x)
	case interp.Bytes:
		return string(x)
	}
	return interp.ToStr(th, v)
}

func parseQS(th *interp.Thread, qs string, keepBlank bool) [][2]string {
	var out [][2]string
	for _, part := range strings.FieldsFunc(qs, func(r rune) bool { return r == '&' }) {
		k, v, has := strings.Cut(part, "=")
		if !has && !keepBlank {
			continue
		}
		if v == "" && !keepBlank {
			continue
		}
		out = append(out, [2]string{unquote(k, true), unquote(v, true)})
	}
	return out
}

func split(th *interp.Thread, s string) (scheme, netloc, path, query, fragment string) {
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

type result struct {
	native.NamedTuple
	netloc string
}

func newResult(name string, fields []string, vals []string, netloc string) *result {
	t := make(interp.Tuple, len(vals))
	for i, v := range vals {
		t[i] = interp.Str(v)
	}
	return &result{NamedTuple: native.NamedTuple{Name: name, Fields: fields, Vals: t}, netloc: netloc}
}

func (r *result) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	if v, ok := r.NamedTuple.AttrJac(th, name); ok {
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
			return interp.Str(unsplit(r.Vals))
		}), true
	case "_asdict":
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			d := interp.NewDict()
			for i, f := range r.Fields {
				d.SetStr(f, r.Vals[i])
			}
			return d
		}), true
	}
	return nil, false
}

func unsplit(vals interp.Tuple) string {
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

func module() *interp.Module {
	{
		m := interp.NewModule("urllib.parse")
		m.Set("quote", interp.NewBuiltin("quote", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "quote", args, kw, "string", "safe?", "encoding?", "errors?")
			safe := "/"
			if a[1] != nil {
				safe = strArg(th, a[1])
			}
			return interp.Str(quote(strArg(th, a[0]), safe, false))
		}))
		m.Set("quote_plus", interp.NewBuiltin("quote_plus", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "quote_plus", args, kw, "string", "safe?", "encoding?", "errors?")
			safe := ""
			if a[1] != nil {
				safe = strArg(th, a[1])
			}
			return interp.Str(quote(strArg(th, a[0]), safe, true))
		}))
		m.Set("unquote", interp.NewBuiltin("unquote", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.Str(unquote(strArg(th, args[0]), false))
		}))
		m.Set("unquote_plus", interp.NewBuiltin("unquote_plus", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.Str(unquote(strArg(th, args[0]), true))
		}))
		m.Set("urlencode", interp.NewBuiltin("urlencode", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "urlencode", args, kw, "query", "doseq?", "safe?")
			doseq := a[1] != nil && interp.Truth(th, a[1])
			safe := ""
			if a[2] != nil {
				safe = strArg(th, a[2])
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
				k := quote(strArg(th, kv[0]), safe, true)
				v := kv[1]
				switch v.(type) {
				case *interp.List, interp.Tuple:
					if doseq {
						for _, e := range interp.ToSlice(th, v) {
							parts = append(parts, k+"="+quote(strArg(th, e), safe, true))
						}
						continue
					}
					parts = append(parts, k+"="+quote(interp.ToStr(th, v), safe, true))
				default:
					parts = append(parts, k+"="+quote(strArg(th, v), safe, true))
				}
			}
			return interp.Str(strings.Join(parts, "&"))
		}))
		m.Set("parse_qs", interp.NewBuiltin("parse_qs", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "parse_qs", args, kw, "qs", "keep_blank_values?")
			d := interp.NewDict()
			for _, kv := range parseQS(th, strArg(th, a[0]), a[1] != nil && interp.Truth(th, a[1])) {
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
			for _, kv := range parseQS(th, strArg(th, a[0]), a[1] != nil && interp.Truth(th, a[1])) {
				out = append(out, interp.Tuple{interp.Str(kv[0]), interp.Str(kv[1])})
			}
			return interp.NewList(out)
		}))
		m.Set("urlparse", interp.NewBuiltin("urlparse", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			scheme, netloc, path, query, frag := split(th, strArg(th, args[0]))
			params := ""
			if i := strings.LastIndex(path, ";"); i >= 0 && i > strings.LastIndex(path, "/") {
				path, params = path[:i], path[i+1:]
			}
			return newResult("ParseResult", []string{"scheme", "netloc", "path", "params", "query", "fragment"},
				[]string{scheme, netloc, path, params, query, frag}, netloc)
		}))
		m.Set("urlsplit", interp.NewBuiltin("urlsplit", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			scheme, netloc, path, query, frag := split(th, strArg(th, args[0]))
			return newResult("SplitResult", []string{"scheme", "netloc", "path", "query", "fragment"},
				[]string{scheme, netloc, path, query, frag}, netloc)
		}))
		m.Set("urljoin", interp.NewBuiltin("urljoin", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			base, err1 := url.Parse(strArg(th, args[0]))
			ref, err2 := url.Parse(strArg(th, args[1]))
			if err1 != nil || err2 != nil {
				return args[1]
			}
			return interp.Str(base.ResolveReference(ref).String())
		}))
		return m
	}
}

func init() {
	interp.RegisterModule("urllib", func() *interp.Module {
		m := interp.NewModule("urllib")
		m.Set("parse", module())
		return m
	})
	interp.RegisterModule("urllib.parse", module)
}
