// Package json implements Python's json module: dumps/dump and loads/load with
// CPython's options and error messages.
package json

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/internal/native"
)

// JSONDecodeErrorClass is json.JSONDecodeError.
var JSONDecodeErrorClass = interp.NewExceptionClass("JSONDecodeError", "json", interp.ValueErrorClass)

func init() {
	registerEncoder()
	registerDecoder()
	interp.RegisterModule("json", func() *interp.Module {
		m := interp.NewModule("json")
		m.Set("JSONDecodeError", JSONDecodeErrorClass)
		m.Set("JSONEncoder", encoderClass)
		m.Set("JSONDecoder", decoderClass)
		m.Set("dumps", interp.NewBuiltin("dumps", dumps))
		m.Set("loads", interp.NewBuiltin("loads", loads))
		m.Set("dump", interp.NewBuiltin("dump", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) < 2 {
				th.TypeError("dump() missing required argument 'fp'")
			}
			s := dumps(th, args[:1], kw)
			w := interp.GetAttr(th, args[1], "write")
			th.Call(w, []interp.Value{s}, nil)
			return interp.None
		}))
		m.Set("load", interp.NewBuiltin("load", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) < 1 {
				th.TypeError("load() missing required argument 'fp'")
			}
			s := th.Call(interp.GetAttr(th, args[0], "read"), nil, nil)
			return loads(th, []interp.Value{s}, kw)
		}))
		return m
	})
}

type encoder struct {
	th          *interp.Thread
	b           strings.Builder
	indent      string
	hasIndent   bool
	itemSep     string
	keySep      string
	sortKeys    bool
	ensureASCII bool
	skipKeys    bool
	allowNaN    bool
	dflt        interp.Value
	depth       int
	// open holds the lists, dicts and default() inputs being encoded, to
	// refuse a cycle as CPython's check_circular does.
	open map[interp.Value]bool
}

func dumps(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	if len(args) != 1 {
		th.TypeError("dumps() takes 1 positional argument but %d were given", len(args))
	}
	if cls, rest := takeCls(kw); cls != nil {
		return native.CallMethod(th, th.Call(cls, nil, rest), "encode", args[0])
	}
	return encodeWith(th, args[0], kw)
}

// takeCls splits a cls= keyword (dumps's JSONEncoder subclass, loads's
// JSONDecoder subclass) from the others; a cls of None counts as absent.
func takeCls(kw []interp.KV) (interp.Value, []interp.KV) {
	for i, a := range kw {
		if a.Name == "cls" {
			rest := append(append([]interp.KV(nil), kw[:i]...), kw[i+1:]...)
			if a.Value == interp.None {
				return nil, rest
			}
			return a.Value, rest
		}
	}
	return nil, kw
}

// encodeWith is dumps(v, **kw) without cls.
func encodeWith(th *interp.Thread, v interp.Value, kw []interp.KV) interp.Value {
	e := &encoder{th: th, itemSep: ", ", keySep: ": ", ensureASCII: true, allowNaN: true, open: map[interp.Value]bool{}}
	for _, a := range kw {
		switch a.Name {
		case "indent":
			switch v := a.Value.(type) {
			case interp.NoneType:
			case interp.Str:
				e.indent, e.hasIndent = string(v), true
			default:
				n := interp.ToInt64(th, v)
				if n < 0 {
					n = 0
				}
				th.Reserve(n, 1)
				e.indent, e.hasIndent = strings.Repeat(" ", int(n)), true
			}
		case "sort_keys":
			e.sortKeys = interp.Truth(th, a.Value)
		case "ensure_ascii":
			e.ensureASCII = interp.Truth(th, a.Value)
		case "skipkeys":
			e.skipKeys = interp.Truth(th, a.Value)
		case "allow_nan":
			e.allowNaN = interp.Truth(th, a.Value)
		case "default":
			if a.Value != interp.None {
				e.dflt = a.Value
			}
		case "check_circular":
			if !interp.Truth(th, a.Value) {
				e.open = nil
			}
		case "separators":
		default:
			th.TypeError("dumps() got an unexpected keyword argument '%s'", a.Name)
		}
	}
	if e.hasIndent {
		e.itemSep = ","
	}
	if v, ok := native.Kwarg(kw, "separators"); ok && v != interp.None {
		s := interp.ToSlice(th, v)
		if len(s) != 2 {
			th.ValueError("separators must be a (item_separator, key_separator) pair")
		}
		e.itemSep, e.keySep = interp.ToStr(th, s[0]), interp.ToStr(th, s[1])
	}
	e.encode(v)
	return interp.Str(e.b.String())
}

func (e *encoder) newline() {
	if e.hasIndent {
		e.b.WriteByte('\n')
		for i := 0; i < e.depth; i++ {
			e.b.WriteString(e.indent)
		}
	}
}

func (e *encoder) floatStr(f float64) string {
	switch {
	case math.IsNaN(f):
		if !e.allowNaN {
			e.th.ValueError("Out of range float values are not JSON compliant: nan")
		}
		return "NaN"
	case math.IsInf(f, 1):
		if !e.allowNaN {
			e.th.ValueError("Out of range float values are not JSON compliant: inf")
		}
		return "Infinity"
	case math.IsInf(f, -1):
		if !e.allowNaN {
			e.th.ValueError("Out of range float values are not JSON compliant: -inf")
		}
		return "-Infinity"
	}
	return interp.FormatFloat(f)
}

// encode writes v, refusing a cycle (ValueError "Circular reference
// detected") and nesting past the recursion limit (RecursionError).
func (e *encoder) encode(v interp.Value) {
	switch v.(type) {
	case *interp.List, *interp.Dict, interp.Tuple, *interp.Instance:
		e.th.EnterNested(" while encoding a JSON object")
		e.encodeValue(v)
		e.th.LeaveNested()
	default:
		e.encodeValue(v)
	}
}

// enter marks container c as being encoded; leave unmarks it.
func (e *encoder) enter(c interp.Value) {
	if e.open == nil {
		return
	}
	if e.open[c] {
		e.th.ValueError("Circular reference detected")
	}
	e.open[c] = true
}

func (e *encoder) leave(c interp.Value) {
	if e.open != nil {
		delete(e.open, c)
	}
}

func (e *encoder) encodeValue(v interp.Value) {
	th := e.th
	switch x := v.(type) {
	case interp.NoneType:
		e.b.WriteString("null")
	case interp.Bool:
		if x {
			e.b.WriteString("true")
		} else {
			e.b.WriteString("false")
		}
	case interp.Int:
		e.b.WriteString(strconv.FormatInt(int64(x), 10))
	case *interp.BigInt:
		e.b.WriteString(interp.BigIntString(th, x))
	case interp.Float:
		e.b.WriteString(e.floatStr(float64(x)))
	case interp.Str:
		e.b.WriteString(quote(string(x), e.ensureASCII))
	case interp.Tuple:
		e.encodeList([]interp.Value(x))
	case *interp.List:
		e.enter(x)
		e.encodeList(x.Elems())
		e.leave(x)
	case *interp.Dict:
		e.enter(x)
		e.encodeDict(x)
		e.leave(x)
	default:
		if inst, ok := v.(*interp.Instance); ok {
			c := inst.Class()
			if c.IsSubclass(interp.StrClass) || c.IsSubclass(interp.IntClass) || c.IsSubclass(interp.FloatClass) {
				if val, ok := interp.LookupAttr(th, inst, "value"); ok {
					e.encode(val)
					return
				}
			}
		}
		if e.dflt != nil {
			if inst, ok := v.(*interp.Instance); ok {
				e.enter(inst)
				e.encode(th.Call(e.dflt, []interp.Value{v}, nil))
				e.leave(inst)
				return
			}
			e.encode(th.Call(e.dflt, []interp.Value{v}, nil))
			return
		}
		th.TypeError("Object of type %s is not JSON serializable", interp.TypeName(v))
	}
}

func (e *encoder) encodeList(elems []interp.Value) {
	if len(elems) == 0 {
		e.b.WriteString("[]")
		return
	}
	e.b.WriteByte('[')
	e.depth++
	e.newline()
	for i, el := range elems {
		if i > 0 {
			e.b.WriteString(e.itemSep)
			e.newline()
		}
		e.encode(el)
	}
	e.depth--
	e.newline()
	e.b.WriteByte(']')
}

func (e *encoder) keyStr(k interp.Value) (string, bool) {
	switch x := k.(type) {
	case interp.Str:
		return string(x), true
	case interp.Bool:
		if x {
			return "true", true
		}
		return "false", true
	case interp.NoneType:
		return "null", true
	case interp.Int:
		return strconv.FormatInt(int64(x), 10), true
	case *interp.BigInt:
		return interp.BigIntString(e.th, x), true
	case interp.Float:
		return e.floatStr(float64(x)), true
	case *interp.Instance:
		c := x.Class()
		if c.IsSubclass(interp.StrClass) || c.IsSubclass(interp.IntClass) {
			if val, ok := interp.LookupAttr(e.th, x, "value"); ok {
				return e.keyStr(val)
			}
		}
	}
	if e.skipKeys {
		return "", false
	}
	e.th.TypeError("keys must be str, int, float, bool or None, not %s", interp.TypeName(k))
	return "", false
}

func (e *encoder) encodeDict(d *interp.Dict) {
	items := d.Items()
	if len(items) == 0 {
		e.b.WriteString("{}")
		return
	}
	if e.sortKeys {
		sortStable(items, func(a, b interp.KVPair) bool { return interp.Less(e.th, a.Key, b.Key) })
	}
	e.b.WriteByte('{')
	e.depth++
	e.newline()
	first := true
	for _, it := range items {
		ks, ok := e.keyStr(it.Key)
		if !ok {
			continue
		}
		if !first {
			e.b.WriteString(e.itemSep)
			e.newline()
		}
		first = false
		e.b.WriteString(quote(ks, e.ensureASCII))
		e.b.WriteString(e.keySep)
		e.encode(it.Value)
	}
	e.depth--
	e.newline()
	e.b.WriteByte('}')
}

func sortStable[T any](s []T, less func(a, b T) bool) {
	// insertion-merge via sort.SliceStable semantics without reflection
	n := len(s)
	if n < 2 {
		return
	}
	tmp := make([]T, n)
	var rec func(lo, hi int)
	rec = func(lo, hi int) {
		if hi-lo < 2 {
			return
		}
		mid := (lo + hi) / 2
		rec(lo, mid)
		rec(mid, hi)
		i, j, k := lo, mid, lo
		for i < mid && j < hi {
			if less(s[j], s[i]) {
				tmp[k] = s[j]
				j++
			} else {
				tmp[k] = s[i]
				i++
			}
			k++
		}
		for ; i < mid; i++ {
			tmp[k] = s[i]
			k++
		}
		for ; j < hi; j++ {
			tmp[k] = s[j]
			k++
		}
		copy(s[lo:hi], tmp[lo:hi])
	}
	rec(0, n)
}

const jHexdig = "0123456789abcdef"

func quote(s string, ascii bool) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if r < 0x20 || (ascii && r > 0x7e) {
				if r > 0xffff {
					r1, r2 := utf16.EncodeRune(r)
					writeU(&b, r1)
					writeU(&b, r2)
				} else {
					writeU(&b, r)
				}
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

func writeU(b *strings.Builder, r rune) {
	b.WriteString(`\u`)
	b.WriteByte(jHexdig[(r>>12)&15])
	b.WriteByte(jHexdig[(r>>8)&15])
	b.WriteByte(jHexdig[(r>>4)&15])
	b.WriteByte(jHexdig[r&15])
}

// ---- decoding ----

type decoder struct {
	th   *interp.Thread
	doc  string
	s    []rune
	hook interp.Value
	pair interp.Value
	// parseFloat, parseInt and parseConstant, when set, make the numbers
	// and NaN/Infinity/-Infinity from their text (parse_float=Decimal).
	parseFloat, parseInt, parseConstant interp.Value
}

func loads(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	if len(args) != 1 {
		th.TypeError("loads() takes 1 positional argument but %d were given", len(args))
	}
	if cls, rest := takeCls(kw); cls != nil {
		return native.CallMethod(th, th.Call(cls, nil, rest), "decode", args[0])
	}
	d := newDecoder(th, args[0], kw)
	i := d.ws(0)
	v, end := d.value(i)
	end = d.ws(end)
	if end != len(d.s) {
		d.fail("Extra data", end)
	}
	return v
}

// newDecoder reads a document (str or bytes) and the hooks among kw.
func newDecoder(th *interp.Thread, doc interp.Value, kw []interp.KV) *decoder {
	var text string
	switch x := doc.(type) {
	case interp.Str:
		text = string(x)
	case interp.Bytes:
		text = string(x)
	default:
		th.TypeError("the JSON object must be str, bytes or bytearray, not %s", interp.TypeName(doc))
	}
	d := &decoder{th: th, doc: text, s: []rune(text)}
	if v, ok := native.Kwarg(kw, "object_hook"); ok && v != interp.None {
		d.hook = v
	}
	if v, ok := native.Kwarg(kw, "object_pairs_hook"); ok && v != interp.None {
		d.pair = v
	}
	for _, h := range []struct {
		name string
		to   *interp.Value
	}{{"parse_float", &d.parseFloat}, {"parse_int", &d.parseInt}, {"parse_constant", &d.parseConstant}} {
		if v, ok := native.Kwarg(kw, h.name); ok && v != interp.None {
			*h.to = v
		}
	}
	if strings.HasPrefix(text, "\ufeff") {
		d.fail("Unexpected UTF-8 BOM (decode using utf-8-sig)", 0)
	}
	return d
}

func (d *decoder) fail(msg string, pos int) {
	line := 1
	last := -1
	for i := 0; i < pos && i < len(d.s); i++ {
		if d.s[i] == '\n' {
			line++
			last = i
		}
	}
	col := pos - last
	full := msg + ": line " + strconv.Itoa(line) + " column " + strconv.Itoa(col) + " (char " + strconv.Itoa(pos) + ")"
	exc := interp.NewException(d.th, JSONDecodeErrorClass, full)
	exc.SetExtraAttr("msg", interp.Str(msg))
	exc.SetExtraAttr("doc", interp.Str(d.doc))
	exc.SetExtraAttr("pos", interp.MakeInt(int64(pos)))
	exc.SetExtraAttr("lineno", interp.MakeInt(int64(line)))
	exc.SetExtraAttr("colno", interp.MakeInt(int64(col)))
	d.th.RaiseValue(exc)
}

func (d *decoder) ws(i int) int {
	for i < len(d.s) {
		switch d.s[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

func (d *decoder) hasPrefix(i int, p string) bool {
	for _, r := range p {
		if i >= len(d.s) || d.s[i] != r {
			return false
		}
		i++
	}
	return true
}

func (d *decoder) value(i int) (interp.Value, int) {
	if i >= len(d.s) {
		d.fail("Expecting value", i)
	}
	switch c := d.s[i]; {
	case c == '"':
		s, end := d.str(i + 1)
		return interp.Str(s), end
	case c == '{':
		d.th.EnterNested(" while decoding a JSON object from a unicode string")
		v, end := d.object(i + 1)
		d.th.LeaveNested()
		return v, end
	case c == '[':
		d.th.EnterNested(" while decoding a JSON array from a unicode string")
		v, end := d.array(i + 1)
		d.th.LeaveNested()
		return v, end
	case c == 'n' && d.hasPrefix(i, "null"):
		return interp.None, i + 4
	case c == 't' && d.hasPrefix(i, "true"):
		return interp.True, i + 4
	case c == 'f' && d.hasPrefix(i, "false"):
		return interp.False, i + 5
	case c == 'N' && d.hasPrefix(i, "NaN"):
		return d.constant("NaN", math.NaN()), i + 3
	case c == 'I' && d.hasPrefix(i, "Infinity"):
		return d.constant("Infinity", math.Inf(1)), i + 8
	case c == '-' && d.hasPrefix(i, "-Infinity"):
		return d.constant("-Infinity", math.Inf(-1)), i + 9
	case c == '-' || (c >= '0' && c <= '9'):
		if v, end, ok := d.number(i); ok {
			return v, end
		}
	}
	d.fail("Expecting value", i)
	return nil, 0
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// constant is NaN, Infinity or -Infinity, or what parse_constant makes of it.
func (d *decoder) constant(name string, f float64) interp.Value {
	if d.parseConstant != nil {
		return d.th.Call(d.parseConstant, []interp.Value{interp.Str(name)}, nil)
	}
	return interp.Float(f)
}

func (d *decoder) number(i int) (interp.Value, int, bool) {
	start := i
	if d.s[i] == '-' {
		i++
	}
	if i >= len(d.s) || !isDigit(d.s[i]) {
		return nil, 0, false
	}
	if d.s[i] == '0' {
		i++
	} else {
		for i < len(d.s) && isDigit(d.s[i]) {
			i++
		}
	}
	isFloat := false
	if i+1 < len(d.s) && d.s[i] == '.' && isDigit(d.s[i+1]) {
		isFloat = true
		i += 2
		for i < len(d.s) && isDigit(d.s[i]) {
			i++
		}
	}
	if i < len(d.s) && (d.s[i] == 'e' || d.s[i] == 'E') {
		j := i + 1
		if j < len(d.s) && (d.s[j] == '+' || d.s[j] == '-') {
			j++
		}
		if j < len(d.s) && isDigit(d.s[j]) {
			for j < len(d.s) && isDigit(d.s[j]) {
				j++
			}
			isFloat = true
			i = j
		}
	}
	text := string(d.s[start:i])
	switch {
	case isFloat && d.parseFloat != nil:
		return d.th.Call(d.parseFloat, []interp.Value{interp.Str(text)}, nil), i, true
	case !isFloat && d.parseInt != nil:
		return d.th.Call(d.parseInt, []interp.Value{interp.Str(text)}, nil), i, true
	}
	if isFloat {
		f, _ := strconv.ParseFloat(text, 64)
		return interp.Float(f), i, true
	}
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		return interp.MakeInt(n), i, true
	}
	b, _ := new(big.Int).SetString(text, 10)
	return interp.MakeBigInt(b), i, true
}

func (d *decoder) str(i int) (string, int) {
	start := i - 1
	var b strings.Builder
	for {
		if i >= len(d.s) {
			d.fail("Unterminated string starting at", start)
		}
		c := d.s[i]
		switch {
		case c == '"':
			return b.String(), i + 1
		case c == '\\':
			i++
			if i >= len(d.s) {
				d.fail("Unterminated string starting at", start)
			}
			e := d.s[i]
			switch e {
			case '"', '\\', '/':
				b.WriteRune(e)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				r := d.hex4(i + 1)
				i += 4
				if r >= 0xd800 && r <= 0xdbff && i+2 < len(d.s) && d.s[i+1] == '\\' && d.s[i+2] == 'u' {
					r2 := d.hex4(i + 3)
					if r2 >= 0xdc00 && r2 <= 0xdfff {
						r = utf16.DecodeRune(r, r2)
						i += 6
					}
				}
				if !utf8.ValidRune(r) {
					r = utf8.RuneError
				}
				b.WriteRune(r)
			default:
				d.fail("Invalid \\escape", i-1)
			}
			i++
		case c < 0x20:
			d.fail("Invalid control character at", i)
		default:
			b.WriteRune(c)
			i++
		}
	}
}

func (d *decoder) hex4(i int) rune {
	if i+4 > len(d.s) {
		d.fail("Invalid \\uXXXX escape", i-1)
	}
	n, err := strconv.ParseUint(string(d.s[i:i+4]), 16, 32)
	if err != nil {
		d.fail("Invalid \\uXXXX escape", i-1)
	}
	return rune(n)
}

func (d *decoder) object(i int) (interp.Value, int) {
	obj := interp.NewDict()
	var pairs []interp.Value
	i = d.ws(i)
	if i < len(d.s) && d.s[i] == '}' {
		return d.finishObj(obj, pairs), i + 1
	}
	for {
		if i >= len(d.s) || d.s[i] != '"' {
			d.fail("Expecting property name enclosed in double quotes", i)
		}
		key, end := d.str(i + 1)
		i = d.ws(end)
		if i >= len(d.s) || d.s[i] != ':' {
			d.fail("Expecting ':' delimiter", i)
		}
		i = d.ws(i + 1)
		v, end := d.value(i)
		if d.pair != nil {
			pairs = append(pairs, interp.Tuple{interp.Str(key), v})
		} else {
			obj.SetStr(key, v)
		}
		i = d.ws(end)
		if i < len(d.s) && d.s[i] == '}' {
			return d.finishObj(obj, pairs), i + 1
		}
		if i >= len(d.s) || d.s[i] != ',' {
			d.fail("Expecting ',' delimiter", i)
		}
		i = d.ws(i + 1)
	}
}

func (d *decoder) finishObj(obj *interp.Dict, pairs []interp.Value) interp.Value {
	if d.pair != nil {
		if pairs == nil {
			pairs = []interp.Value{}
		}
		return d.th.Call(d.pair, []interp.Value{interp.NewList(pairs)}, nil)
	}
	if d.hook != nil {
		return d.th.Call(d.hook, []interp.Value{obj}, nil)
	}
	return obj
}

func (d *decoder) array(i int) (interp.Value, int) {
	var out []interp.Value
	i = d.ws(i)
	if i < len(d.s) && d.s[i] == ']' {
		return interp.NewList(nil), i + 1
	}
	for {
		v, end := d.value(i)
		out = append(out, v)
		i = d.ws(end)
		if i < len(d.s) && d.s[i] == ']' {
			return interp.NewList(out), i + 1
		}
		if i >= len(d.s) || d.s[i] != ',' {
			d.fail("Expecting ',' delimiter", i)
		}
		i = d.ws(i + 1)
	}
}
