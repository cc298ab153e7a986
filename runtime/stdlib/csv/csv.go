// Package csv implements Python's csv module: reader, writer, DictReader,
// DictWriter and the dialect options.
package csv

import (
	"strings"

	"github.com/jacscale/jac/runtime/interp"
)

// CSVErrorClass is csv.Error.
var CSVErrorClass = interp.NewExceptionClass("Error", "_csv", interp.ExceptionClass)

const (
	csvQuoteMinimal = iota
	csvQuoteAll
	csvQuoteNonNumeric
	csvQuoteNone
)

type dialect struct {
	delim, quote string
	lineterm     string
	quoting      int
	skipInitial  bool
	doubleQuote  bool
	escape       string
}

func parseDialect(th *interp.Thread, kw []interp.KV) (dialect, []interp.KV) {
	d := dialect{delim: ",", quote: "\"", lineterm: "\r\n", doubleQuote: true}
	var rest []interp.KV
	for _, a := range kw {
		switch a.Name {
		case "delimiter":
			d.delim = interp.ToStr(th, a.Value)
		case "quotechar":
			d.quote = interp.ToStr(th, a.Value)
		case "lineterminator":
			d.lineterm = interp.ToStr(th, a.Value)
		case "quoting":
			d.quoting = int(interp.ToInt64(th, a.Value))
		case "skipinitialspace":
			d.skipInitial = interp.Truth(th, a.Value)
		case "doublequote":
			d.doubleQuote = interp.Truth(th, a.Value)
		case "escapechar":
			if a.Value != interp.None {
				d.escape = interp.ToStr(th, a.Value)
			}
		case "dialect", "strict":
		default:
			rest = append(rest, a)
		}
	}
	return d, rest
}

func (d *dialect) field(th *interp.Thread, v interp.Value, only bool) string {
	var s string
	numeric := false
	switch x := v.(type) {
	case interp.NoneType:
		s = ""
	case interp.Str:
		s = string(x)
	case interp.Int, *interp.BigInt, interp.Float:
		s = interp.ToStr(th, x)
		numeric = true
	case interp.Bool:
		s = interp.ToStr(th, x)
		numeric = true
	default:
		s = interp.ToStr(th, v)
	}
	need := false
	switch d.quoting {
	case csvQuoteAll:
		need = true
	case csvQuoteNonNumeric:
		need = !numeric && v != interp.None
	case csvQuoteNone:
		if d.escape != "" {
			for _, c := range []string{d.escape, d.delim, d.quote, "\r", "\n"} {
				if c != "" {
					s = strings.ReplaceAll(s, c, d.escape+c)
				}
			}
		} else if strings.ContainsAny(s, d.delim+d.quote+"\r\n") {
			th.RaiseValue(interp.NewException(th, CSVErrorClass, "need to escape, but no escapechar set"))
		}
		return s
	}
	if !need {
		need = strings.ContainsAny(s, d.delim+d.quote+"\r\n") || (only && s == "")
	}
	if need {
		return d.quote + strings.ReplaceAll(s, d.quote, d.quote+d.quote) + d.quote
	}
	return s
}

func (d *dialect) row(th *interp.Thread, row interp.Value) string {
	vals := interp.ToSlice(th, row)
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = d.field(th, v, len(vals) == 1)
	}
	return strings.Join(parts, d.delim) + d.lineterm
}

// csvParse splits records out of lines (a quoted field may span lines).
type reader struct {
	d    dialect
	src  interp.Iterator
	line int
}

func (r *reader) next(th *interp.Thread) ([]interp.Value, bool) {
	var fields []string
	var quotedF []bool
	var cur strings.Builder
	inQuote, quoted, started := false, false, false
	for {
		lv, ok := r.src.Next(th)
		if !ok {
			if inQuote {
				th.RaiseValue(interp.NewException(th, CSVErrorClass, "unexpected end of data"))
			}
			if !started {
				return nil, false
			}
			break
		}
		r.line++
		line := interp.ToStr(th, lv)
		if !started && !inQuote && strings.TrimRight(line, "\r\n") == "" {
			return []interp.Value{}, true
		}
		started = true
		rs := []rune(line)
		q := []rune(r.d.quote)
		dl := []rune(r.d.delim)
		for i := 0; i < len(rs); i++ {
			c := rs[i]
			switch {
			case inQuote:
				if len(q) > 0 && c == q[0] {
					if r.d.doubleQuote && i+1 < len(rs) && rs[i+1] == q[0] {
						cur.WriteRune(c)
						i++
					} else {
						inQuote = false
					}
				} else {
					cur.WriteRune(c)
				}
			case len(q) > 0 && c == q[0] && cur.Len() == 0 && !quoted && r.d.quoting != csvQuoteNone:
				inQuote, quoted = true, true
			case len(dl) > 0 && c == dl[0]:
				fields = append(fields, cur.String())
				quotedF = append(quotedF, quoted)
				cur.Reset()
				quoted = false
				if r.d.skipInitial {
					for i+1 < len(rs) && rs[i+1] == ' ' {
						i++
					}
				}
			case c == '\r' || c == '\n':
				// end of record (outside quotes)
			default:
				cur.WriteRune(c)
			}
		}
		if !inQuote {
			break
		}
	}
	fields = append(fields, cur.String())
	quotedF = append(quotedF, quoted)
	out := make([]interp.Value, len(fields))
	for i, f := range fields {
		out[i] = interp.Str(f)
		if r.d.quoting == csvQuoteNonNumeric && !quotedF[i] && f != "" {
			out[i] = th.Call(interp.FloatClass, []interp.Value{interp.Str(f)}, nil)
		}
	}
	return out, true
}

type writer struct {
	d     dialect
	write interp.Value
}

var writerClass = interp.NewBuiltinClass("_csv.writer")

func (*writer) Class() *interp.Class { return writerClass }

func (w *writer) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	switch name {
	case "writerow":
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return th.Call(w.write, []interp.Value{interp.Str(w.d.row(th, args[0]))}, nil)
		}), true
	case "writerows":
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			interp.Iterate(th, args[0], func(r interp.Value) bool {
				th.Call(w.write, []interp.Value{interp.Str(w.d.row(th, r))}, nil)
				return true
			})
			return interp.None
		}), true
	}
	return nil, false
}

type dictWriter struct {
	w      *writer
	fields []interp.Value
	raise  bool
	rest   interp.Value
}

var dictWriterClass = func() *interp.Class { c := interp.NewBuiltinClass("DictWriter"); c.Module = "csv"; return c }()

func (*dictWriter) Class() *interp.Class { return dictWriterClass }

func (w *dictWriter) rowOf(th *interp.Thread, v interp.Value) interp.Value {
	d, ok := v.(*interp.Dict)
	if !ok {
		th.TypeError("dict expected")
	}
	if w.raise {
		var wrong []string
		for _, k := range d.Keys() {
			found := false
			for _, f := range w.fields {
				if interp.Equal(th, f, k) {
					found = true
				}
			}
			if !found {
				wrong = append(wrong, interp.Repr(th, k))
			}
		}
		if len(wrong) > 0 {
			th.ValueError("dict contains fields not in fieldnames: %s", strings.Join(wrong, ", "))
		}
	}
	out := make([]interp.Value, len(w.fields))
	for i, f := range w.fields {
		if v, ok := d.Get(th, f); ok {
			out[i] = v
		} else {
			out[i] = w.rest
		}
	}
	return interp.NewList(out)
}

func (w *dictWriter) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	switch name {
	case "fieldnames":
		return interp.NewList(append([]interp.Value{}, w.fields...)), true
	case "writeheader":
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return th.Call(w.w.write, []interp.Value{interp.Str(w.w.d.row(th, interp.NewList(w.fields)))}, nil)
		}), true
	case "writerow":
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return th.Call(w.w.write, []interp.Value{interp.Str(w.w.d.row(th, w.rowOf(th, args[0])))}, nil)
		}), true
	case "writerows":
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			interp.Iterate(th, args[0], func(r interp.Value) bool {
				th.Call(w.w.write, []interp.Value{interp.Str(w.w.d.row(th, w.rowOf(th, r)))}, nil)
				return true
			})
			return interp.None
		}), true
	}
	return nil, false
}

func init() {
	interp.RegisterModule("csv", func() *interp.Module {
		m := interp.NewModule("csv")
		m.Set("Error", CSVErrorClass)
		m.Set("QUOTE_MINIMAL", interp.MakeInt(csvQuoteMinimal))
		m.Set("QUOTE_ALL", interp.MakeInt(csvQuoteAll))
		m.Set("QUOTE_NONNUMERIC", interp.MakeInt(csvQuoteNonNumeric))
		m.Set("QUOTE_NONE", interp.MakeInt(csvQuoteNone))
		m.Set("writer", interp.NewBuiltin("writer", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) < 1 {
				th.TypeError("expected at least 1 argument, got 0")
			}
			d, _ := parseDialect(th, kw)
			return &writer{d: d, write: interp.GetAttr(th, args[0], "write")}
		}))
		m.Set("reader", interp.NewBuiltin("reader", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) < 1 {
				th.TypeError("expected at least 1 argument, got 0")
			}
			d, _ := parseDialect(th, kw)
			r := &reader{d: d, src: interp.GetIter(th, args[0])}
			return interp.NewFuncIterator(func(th *interp.Thread) (interp.Value, bool) {
				row, ok := r.next(th)
				if !ok {
					return nil, false
				}
				return interp.NewList(row), true
			}).(interp.Value)
		}))
		m.Set("DictWriter", interp.NewBuiltin("DictWriter", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			d, rest := parseDialect(th, kw)
			w := &dictWriter{raise: true, rest: interp.Str("")}
			var fields interp.Value
			if len(args) > 1 {
				fields = args[1]
			}
			for _, a := range rest {
				switch a.Name {
				case "fieldnames":
					fields = a.Value
				case "restval":
					w.rest = a.Value
				case "extrasaction":
					w.raise = interp.ToStr(th, a.Value) == "raise"
				default:
					th.TypeError("DictWriter() got an unexpected keyword argument '%s'", a.Name)
				}
			}
			if len(args) < 1 || fields == nil {
				th.TypeError("DictWriter() missing required arguments 'f' and 'fieldnames'")
			}
			w.fields = interp.ToSlice(th, fields)
			w.w = &writer{d: d, write: interp.GetAttr(th, args[0], "write")}
			return w
		}))
		m.Set("DictReader", interp.NewBuiltin("DictReader", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			d, rest := parseDialect(th, kw)
			var fields []interp.Value
			var restKey interp.Value = interp.None
			var restVal interp.Value = interp.None
			for _, a := range rest {
				switch a.Name {
				case "fieldnames":
					if a.Value != interp.None {
						fields = interp.ToSlice(th, a.Value)
					}
				case "restkey":
					restKey = a.Value
				case "restval":
					restVal = a.Value
				default:
					th.TypeError("DictReader() got an unexpected keyword argument '%s'", a.Name)
				}
			}
			if len(args) < 1 {
				th.TypeError("DictReader() missing required argument 'f'")
			}
			r := &reader{d: d, src: interp.GetIter(th, args[0])}
			return interp.NewFuncIterator(func(th *interp.Thread) (interp.Value, bool) {
				if fields == nil {
					for {
						row, ok := r.next(th)
						if !ok {
							return nil, false
						}
						if len(row) > 0 {
							fields = row
							break
						}
					}
				}
				for {
					row, ok := r.next(th)
					if !ok {
						return nil, false
					}
					if len(row) == 0 {
						continue
					}
					out := interp.NewDict()
					for i, f := range fields {
						if i < len(row) {
							out.Set(th, f, row[i])
						} else {
							out.Set(th, f, restVal)
						}
					}
					if len(row) > len(fields) {
						out.Set(th, restKey, interp.NewList(append([]interp.Value{}, row[len(fields):]...)))
					}
					return out, true
				}
			}).(interp.Value)
		}))
		return m
	})
}
