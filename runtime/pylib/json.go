package pylib

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/jacscale/jac/runtime/interp"
)

// JSONDecodeErrorClass is json.JSONDecodeError (a ValueError).
var JSONDecodeErrorClass = interp.NewBuiltinClass("JSONDecodeError", interp.ValueErrorClass)

func init() {
	interp.RegisterModule("json", func() *interp.Module {
		m := interp.NewModule("json")
		m.Set("dumps", interp.NewBuiltin("dumps", jsonDumps))
		m.Set("loads", interp.NewBuiltin("loads", jsonLoads))
		m.Set("dump", interp.NewBuiltin("dump", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			s := jsonDumps(th, args[:1], kw)
			interp.CallMethodOf(th, args[1], "write", s)
			return interp.None
		}))
		m.Set("load", interp.NewBuiltin("load", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			s := interp.CallMethodOf(th, args[0], "read")
			return jsonLoads(th, []interp.Value{s}, kw)
		}))
		m.Set("JSONDecodeError", JSONDecodeErrorClass)
		return m
	})
}

type jsonEnc struct {
	th       *interp.Thread
	indent   string
	itemSep  string
	keySep   string
	sortKeys bool
	ascii    bool
	dflt     interp.Value
	b        bytes.Buffer
}

func jsonDumps(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	if len(args) != 1 {
		th.TypeError("dumps() takes exactly 1 positional argument")
	}
	e := &jsonEnc{th: th, itemSep: ", ", keySep: ": ", ascii: true}
	for _, a := range kw {
		switch a.Name {
		case "indent":
			switch v := a.Value.(type) {
			case interp.Int:
				e.indent = strings.Repeat(" ", int(v))
			case interp.Str:
				e.indent = string(v)
			}
			if a.Value != interp.None {
				e.itemSep = ","
			}
		case "separators":
			if t, ok := a.Value.(interp.Tuple); ok && len(t) == 2 {
				e.itemSep, e.keySep = interp.ToStr(th, t[0]), interp.ToStr(th, t[1])
			}
		case "sort_keys":
			e.sortKeys = interp.Truth(th, a.Value)
		case "ensure_ascii":
			e.ascii = interp.Truth(th, a.Value)
		case "default":
			e.dflt = a.Value
		}
	}
	e.value(args[0], 0)
	return interp.Str(e.b.String())
}

func (e *jsonEnc) newline(depth int) {
	if e.indent == "" {
		return
	}
	e.b.WriteByte('\n')
	for i := 0; i < depth; i++ {
		e.b.WriteString(e.indent)
	}
}

func (e *jsonEnc) str(s string) {
	e.b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			e.b.WriteString(`\"`)
		case '\\':
			e.b.WriteString(`\\`)
		case '\n':
			e.b.WriteString(`\n`)
		case '\r':
			e.b.WriteString(`\r`)
		case '\t':
			e.b.WriteString(`\t`)
		case '\b':
			e.b.WriteString(`\b`)
		case '\f':
			e.b.WriteString(`\f`)
		default:
			switch {
			case r < 0x20:
				fmt.Fprintf(&e.b, `\u%04x`, r)
			case r >= 0x80 && e.ascii:
				if r >= 0x10000 {
					a, b := utf16.EncodeRune(r)
					fmt.Fprintf(&e.b, `\u%04x\u%04x`, a, b)
				} else {
					fmt.Fprintf(&e.b, `\u%04x`, r)
				}
			default:
				e.b.WriteRune(r)
			}
		}
	}
	e.b.WriteByte('"')
}

func (e *jsonEnc) float(f float64) {
	switch {
	case math.IsNaN(f):
		e.b.WriteString("NaN")
	case math.IsInf(f, 1):
		e.b.WriteString("Infinity")
	case math.IsInf(f, -1):
		e.b.WriteString("-Infinity")
	default:
		e.b.WriteString(interp.FormatFloat(f))
	}
}

func (e *jsonEnc) key(k interp.Value) string {
	switch x := k.(type) {
	case interp.Str:
		return string(x)
	case interp.Bool:
		if x {
			return "true"
		}
		return "false"
	case interp.NoneType:
		return "null"
	case interp.Float:
		var b jsonEnc
		b.float(float64(x))
		return b.b.String()
	case interp.Int, *interp.BigInt:
		return interp.Repr(e.th, x)
	}
	e.th.TypeError("keys must be str, int, float, bool or None, not %s", interp.TypeName(k))
	return ""
}

func (e *jsonEnc) value(v interp.Value, depth int) {
	if depth > 500 {
		e.th.Raise(interp.RecursionErrorClass, "maximum recursion depth exceeded while encoding a JSON object")
	}
	switch x := v.(type) {
	case interp.NoneType:
		e.b.WriteString("null")
	case interp.Bool:
		if x {
			e.b.WriteString("true")
		} else {
			e.b.WriteString("false")
		}
	case interp.Int, *interp.BigInt:
		e.b.WriteString(interp.Repr(e.th, x))
	case interp.Float:
		e.float(float64(x))
	case interp.Str:
		e.str(string(x))
	case *interp.List:
		e.seq(x.Elems(), depth)
	case interp.Tuple:
		e.seq(x, depth)
	case *interp.Dict:
		items := x.Items()
		if len(items) == 0 {
			e.b.WriteString("{}")
			return
		}
		type kv struct {
			k string
			v interp.Value
		}
		kvs := make([]kv, len(items))
		for i, it := range items {
			kvs[i] = kv{e.key(it.Key), it.Value}
		}
		if e.sortKeys {
			sort.SliceStable(kvs, func(i, j int) bool { return kvs[i].k < kvs[j].k })
		}
		e.b.WriteByte('{')
		for i, p := range kvs {
			if i > 0 {
				e.b.WriteString(e.itemSep)
			}
			e.newline(depth + 1)
			e.str(p.k)
			e.b.WriteString(e.keySep)
			e.value(p.v, depth+1)
		}
		e.newline(depth)
		e.b.WriteByte('}')
	default:
		if o, ok := v.(*interp.Instance); ok && o.Class().Kind == interp.KindEnum && o.Class().IsSubclass(interp.IntClass) || ok && o.Class().IsSubclass(interp.StrEnumClass) {
			val, _ := interp.LookupAttr(e.th, o, "value")
			e.value(val, depth)
			return
		}
		if e.dflt != nil && e.dflt != interp.None {
			e.value(e.th.Call(e.dflt, []interp.Value{v}, nil), depth)
			return
		}
		e.th.TypeError("Object of type %s is not JSON serializable", interp.TypeName(v))
	}
}

func (e *jsonEnc) seq(elems []interp.Value, depth int) {
	if len(elems) == 0 {
		e.b.WriteString("[]")
		return
	}
	e.b.WriteByte('[')
	for i, x := range elems {
		if i > 0 {
			e.b.WriteString(e.itemSep)
		}
		e.newline(depth + 1)
		e.value(x, depth+1)
	}
	e.newline(depth)
	e.b.WriteByte(']')
}

// ---- decoding (a small Python-compatible parser for exact error messages) ----

type jsonDec struct {
	th  *interp.Thread
	s   string
	pos int
}

func jsonLoads(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	if len(args) != 1 {
		th.TypeError("loads() takes exactly 1 positional argument")
	}
	var s string
	switch x := args[0].(type) {
	case interp.Str:
		s = string(x)
	case interp.Bytes:
		s = string(x)
	default:
		th.TypeError("the JSON object must be str, bytes or bytearray, not %s", interp.TypeName(args[0]))
	}
	d := &jsonDec{th: th, s: s}
	d.ws()
	v := d.value()
	d.ws()
	if d.pos != len(d.s) {
		d.fail("Extra data")
	}
	return v
}

func (d *jsonDec) fail(msg string) {
	line := strings.Count(d.s[:d.pos], "\n") + 1
	col := d.pos - strings.LastIndex(d.s[:d.pos], "\n")
	exc := d.th.Call(JSONDecodeErrorClass, []interp.Value{interp.Str(fmt.Sprintf("%s: line %d column %d (char %d)", msg, line, col, d.pos))}, nil)
	interp.SetAttr(d.th, exc, "msg", interp.Str(msg))
	interp.SetAttr(d.th, exc, "pos", interp.MakeInt(int64(d.pos)))
	interp.SetAttr(d.th, exc, "lineno", interp.MakeInt(int64(line)))
	interp.SetAttr(d.th, exc, "colno", interp.MakeInt(int64(col)))
	interp.SetAttr(d.th, exc, "doc", interp.Str(d.s))
	d.th.RaiseValue(exc.(*interp.Instance))
}

func (d *jsonDec) ws() {
	for d.pos < len(d.s) && strings.IndexByte(" \t\n\r", d.s[d.pos]) >= 0 {
		d.pos++
	}
}

func (d *jsonDec) value() interp.Value {
	if d.pos >= len(d.s) {
		d.fail("Expecting value")
	}
	switch c := d.s[d.pos]; {
	case c == '{':
		return d.object()
	case c == '[':
		return d.array()
	case c == '"':
		return interp.Str(d.str())
	case strings.HasPrefix(d.s[d.pos:], "null"):
		d.pos += 4
		return interp.None
	case strings.HasPrefix(d.s[d.pos:], "true"):
		d.pos += 4
		return interp.True
	case strings.HasPrefix(d.s[d.pos:], "false"):
		d.pos += 5
		return interp.False
	case strings.HasPrefix(d.s[d.pos:], "NaN"):
		d.pos += 3
		return interp.Float(math.NaN())
	case strings.HasPrefix(d.s[d.pos:], "Infinity"):
		d.pos += 8
		return interp.Float(math.Inf(1))
	case strings.HasPrefix(d.s[d.pos:], "-Infinity"):
		d.pos += 9
		return interp.Float(math.Inf(-1))
	case c == '-' || c >= '0' && c <= '9':
		return d.number()
	}
	d.fail("Expecting value")
	return nil
}

func (d *jsonDec) number() interp.Value {
	start := d.pos
	if d.s[d.pos] == '-' {
		d.pos++
	}
	digits := func() int {
		n := 0
		for d.pos < len(d.s) && d.s[d.pos] >= '0' && d.s[d.pos] <= '9' {
			d.pos++
			n++
		}
		return n
	}
	if digits() == 0 {
		d.pos = start
		d.fail("Expecting value")
	}
	isFloat := false
	if d.pos < len(d.s) && d.s[d.pos] == '.' {
		save := d.pos
		d.pos++
		if digits() == 0 {
			d.pos = save
		} else {
			isFloat = true
		}
	}
	if d.pos < len(d.s) && (d.s[d.pos] == 'e' || d.s[d.pos] == 'E') {
		save := d.pos
		d.pos++
		if d.pos < len(d.s) && (d.s[d.pos] == '+' || d.s[d.pos] == '-') {
			d.pos++
		}
		if digits() == 0 {
			d.pos = save
		} else {
			isFloat = true
		}
	}
	text := d.s[start:d.pos]
	if isFloat {
		f, _ := strconv.ParseFloat(text, 64)
		return interp.Float(f)
	}
	if i, err := strconv.ParseInt(text, 10, 64); err == nil {
		return interp.MakeInt(i)
	}
	b, _ := new(big.Int).SetString(text, 10)
	return interp.MakeBigInt(b)
}

func (d *jsonDec) str() string {
	start := d.pos
	d.pos++
	var b strings.Builder
	for {
		if d.pos >= len(d.s) {
			d.pos = start
			d.fail("Unterminated string starting at")
		}
		c := d.s[d.pos]
		switch {
		case c == '"':
			d.pos++
			return b.String()
		case c == '\\':
			if d.pos+1 >= len(d.s) {
				d.pos = start
				d.fail("Unterminated string starting at")
			}
			e := d.s[d.pos+1]
			d.pos += 2
			switch e {
			case '"', '\\', '/':
				b.WriteByte(e)
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'u':
				if d.pos+4 > len(d.s) {
					d.fail("Invalid \\uXXXX escape")
				}
				n, err := strconv.ParseUint(d.s[d.pos:d.pos+4], 16, 32)
				if err != nil {
					d.fail("Invalid \\uXXXX escape")
				}
				d.pos += 4
				r := rune(n)
				if utf16.IsSurrogate(r) && strings.HasPrefix(d.s[d.pos:], `\u`) && d.pos+6 <= len(d.s) {
					if n2, err := strconv.ParseUint(d.s[d.pos+2:d.pos+6], 16, 32); err == nil {
						if r2 := utf16.DecodeRune(r, rune(n2)); r2 != utf8.RuneError {
							r = r2
							d.pos += 6
						}
					}
				}
				b.WriteRune(r)
			default:
				d.pos -= 2
				d.fail("Invalid \\escape")
			}
		case c < 0x20:
			d.fail("Invalid control character at")
		default:
			b.WriteByte(c)
			d.pos++
		}
	}
}

func (d *jsonDec) object() interp.Value {
	d.pos++
	out := interp.NewDict()
	d.ws()
	if d.pos < len(d.s) && d.s[d.pos] == '}' {
		d.pos++
		return out
	}
	for {
		d.ws()
		if d.pos >= len(d.s) || d.s[d.pos] != '"' {
			d.fail("Expecting property name enclosed in double quotes")
		}
		k := d.str()
		d.ws()
		if d.pos >= len(d.s) || d.s[d.pos] != ':' {
			d.fail("Expecting ':' delimiter")
		}
		d.pos++
		d.ws()
		v := d.value()
		out.SetStr(k, v)
		d.ws()
		if d.pos < len(d.s) && d.s[d.pos] == ',' {
			d.pos++
			continue
		}
		if d.pos < len(d.s) && d.s[d.pos] == '}' {
			d.pos++
			return out
		}
		d.fail("Expecting ',' delimiter")
	}
}

func (d *jsonDec) array() interp.Value {
	d.pos++
	var out []interp.Value
	d.ws()
	if d.pos < len(d.s) && d.s[d.pos] == ']' {
		d.pos++
		return interp.NewList(nil)
	}
	for {
		d.ws()
		out = append(out, d.value())
		d.ws()
		if d.pos < len(d.s) && d.s[d.pos] == ',' {
			d.pos++
			continue
		}
		if d.pos < len(d.s) && d.s[d.pos] == ']' {
			d.pos++
			return interp.NewList(out)
		}
		d.fail("Expecting ',' delimiter")
	}
}

var _ = json.Valid
