package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"net/http"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jacscale/jac/runtime/interp"
)

// decodeBody reads a JSON object body into *into. An empty body or {} leaves
// *into as the caller made it (nil reads as the empty object).
func decodeBody(r *http.Request, into *map[string]any) error {
	var data []byte
	var err error
	if n := r.ContentLength; n >= 0 && n <= 4096 {
		// the usual small body of known length: one exact allocation
		// (io.ReadAll starts at 512 bytes)
		data = make([]byte, n)
		_, err = io.ReadFull(r.Body, data)
	} else {
		data, err = io.ReadAll(r.Body)
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return envelopeErr(http.StatusRequestEntityTooLarge, "PAYLOAD_TOO_LARGE", fmt.Sprintf("request body exceeds %d bytes", mbe.Limit))
		}
		return bodyReadErr(err)
	}
	return decodeJSONObject(data, into)
}

// bodyReadErr is the client's fault when its body cannot be read: 408 past
// the read timeout, else 400 (a malformed chunk, a body cut short).
func bodyReadErr(err error) error {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return envelopeErr(http.StatusRequestTimeout, "REQUEST_TIMEOUT", "the request body was not received within the read timeout")
	}
	return envelopeErr(http.StatusBadRequest, "BAD_REQUEST", "reading the request body: "+err.Error())
}

// decodeJSONObject decodes data, a JSON object, into *into (see decodeBody).
func decodeJSONObject(data []byte, into *map[string]any) error {
	switch string(bytes.TrimSpace(data)) {
	case "", "{}":
		return nil // *into, as the caller made it, is the empty object
	}
	if !utf8.Valid(data) {
		return errValidation(validationItem{Type: "json_invalid", Loc: []any{"body", 0}, Msg: "JSON decode error: invalid UTF-8"})
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return errValidation(validationItem{Type: "json_invalid", Loc: []any{"body", 0}, Msg: "JSON decode error: " + err.Error()})
	}
	if off := dec.InputOffset(); len(bytes.TrimSpace(data[off:])) > 0 {
		return errValidation(validationItem{Type: "json_invalid", Loc: []any{"body", off},
			Msg: "JSON decode error: extra data after the JSON value"})
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return errValidation(validationItem{Type: "model_attributes_type", Loc: []any{"body"}, Msg: "Input should be a valid dictionary or object to extract fields from"})
	}
	*into = obj
	return nil
}

// param is one bindable field of a walker or parameter of a function.
type param struct {
	name     string
	typ      interp.Value // annotation (class, generic alias, union) or nil
	required bool
	def      func(th *interp.Thread) interp.Value
}

// coerce converts a JSON value to the declared type, strictly as JSON Schema does.
func coerce(th *interp.Thread, v any, typ interp.Value, loc []any) (interp.Value, *validationItem) {
	fail := func(kind, msg string) (interp.Value, *validationItem) {
		return nil, &validationItem{Type: kind, Loc: loc, Msg: msg, Input: v}
	}
	if lt, ok := typ.(*interp.LazyType); ok {
		typ = lt.Resolve(th)
	}
	switch t := typ.(type) {
	case nil:
		return fromJSON(v), nil
	case *interp.UnionType:
		if v == nil {
			for _, a := range t.Args {
				if a == interp.None || a == interp.NoneClass {
					return interp.None, nil
				}
			}
		}
		for _, a := range t.Args {
			if r, err := coerce(th, v, a, loc); err == nil {
				return r, nil
			}
		}
		return fail("union_type", "Input does not match any allowed type")
	case *interp.GenericAlias:
		switch t.Origin {
		case interp.ListClass, interp.SetClass, interp.TupleClass:
			arr, ok := v.([]any)
			if !ok {
				return fail("list_type", "Input should be a valid list")
			}
			var elemT interp.Value
			if args, ok := t.Args.(interp.Tuple); ok && len(args) > 0 {
				elemT = args[0]
			} else if !ok {
				elemT = t.Args
			}
			out := make([]interp.Value, len(arr))
			for i, e := range arr {
				r, err := coerce(th, e, elemT, append(append([]any(nil), loc...), i))
				if err != nil {
					return nil, err
				}
				out[i] = r
			}
			if t.Origin == interp.TupleClass {
				return interp.Tuple(out), nil
			}
			return interp.NewList(out), nil
		case interp.DictClass:
			obj, ok := v.(map[string]any)
			if !ok {
				return fail("dict_type", "Input should be a valid dictionary")
			}
			var valT interp.Value
			if args, ok := t.Args.(interp.Tuple); ok && len(args) == 2 {
				valT = args[1]
			}
			d := interp.NewDict()
			for k, e := range obj {
				r, err := coerce(th, e, valT, append(append([]any(nil), loc...), k))
				if err != nil {
					return nil, err
				}
				d.SetStr(k, r)
			}
			return d, nil
		}
		return coerce(th, v, t.Origin, loc)
	case *interp.Class:
		return coerceClass(th, v, t, loc, fail)
	}
	if typ == interp.None {
		if v == nil {
			return interp.None, nil
		}
		return fail("none_required", "Input should be None")
	}
	return fromJSON(v), nil
}

func coerceClass(th *interp.Thread, v any, t *interp.Class, loc []any, fail func(string, string) (interp.Value, *validationItem)) (interp.Value, *validationItem) {
	switch t {
	case interp.IntClass:
		n, ok := v.(json.Number)
		if !ok {
			return fail("int_type", "Input should be a valid integer")
		}
		if i, err := n.Int64(); err == nil {
			return interp.MakeInt(i), nil
		}
		if b, ok := new(big.Int).SetString(string(n), 10); ok {
			return interp.MakeBigInt(b), nil
		}
		f, err := n.Float64()
		if err == nil && f == math.Trunc(f) {
			return interp.MakeInt(int64(f)), nil
		}
		return fail("int_from_float", "Input should be a valid integer, got a number with a fractional part")
	case interp.FloatClass:
		n, ok := v.(json.Number)
		if !ok {
			return fail("float_type", "Input should be a valid number")
		}
		f, _ := n.Float64()
		return interp.Float(f), nil
	case interp.StrClass:
		s, ok := v.(string)
		if !ok {
			return fail("string_type", "Input should be a valid string")
		}
		return interp.Str(s), nil
	case interp.BoolClass:
		b, ok := v.(bool)
		if !ok {
			return fail("bool_type", "Input should be a valid boolean")
		}
		return interp.MakeBool(b), nil
	case interp.ListClass, interp.TupleClass, interp.SetClass:
		if _, ok := v.([]any); !ok {
			return fail("list_type", "Input should be a valid list")
		}
		return coerce(th, v, &interp.GenericAlias{Origin: t}, loc)
	case interp.DictClass:
		if _, ok := v.(map[string]any); !ok {
			return fail("dict_type", "Input should be a valid dictionary")
		}
		return fromJSON(v), nil
	case interp.ObjectClass:
		return fromJSON(v), nil
	}
	if t.Kind == interp.KindEnum {
		for _, m := range t.Members() {
			val, _ := interp.LookupAttr(th, m, "value")
			if interp.Equal(th, val, fromJSON(v)) {
				return m, nil
			}
		}
		return fail("enum", "Input should be a valid enumeration member")
	}
	if t == interp.UploadFileClass {
		return fail("upload_type", "Expected an uploaded file")
	}
	if t.Kind.IsArchetype() {
		obj, ok := v.(map[string]any)
		if !ok {
			return fail("model_type", "Input should be a valid dictionary or instance of "+t.Name)
		}
		var kw []interp.KV
		for _, f := range t.Fields {
			if f.PostInit {
				continue
			}
			raw, present := obj[f.Name]
			if !present {
				if f.HasDefault {
					continue
				}
				it := missing(append(append([]any(nil), loc...), f.Name)...)
				return nil, &it
			}
			cv, err := coerce(th, raw, f.Type, append(append([]any(nil), loc...), f.Name))
			if err != nil {
				return nil, err
			}
			kw = append(kw, interp.KV{Name: f.Name, Value: cv})
		}
		var out interp.Value
		if err := th.Protect(func() { out = th.Call(t, nil, kw) }); err != nil {
			return fail("value_error", err.Error())
		}
		return out, nil
	}
	return fromJSON(v), nil
}

// fromJSON converts decoded JSON to Jac values.
func fromJSON(v any) interp.Value {
	switch x := v.(type) {
	case nil:
		return interp.None
	case bool:
		return interp.MakeBool(x)
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return interp.MakeInt(i)
		}
		if b, ok := new(big.Int).SetString(string(x), 10); ok {
			return interp.MakeBigInt(b)
		}
		f, _ := x.Float64()
		return interp.Float(f)
	case float64:
		return interp.Float(x)
	case string:
		return interp.Str(x)
	case []any:
		out := make([]interp.Value, len(x))
		for i, e := range x {
			out[i] = fromJSON(e)
		}
		return interp.NewList(out)
	case map[string]any:
		d := interp.NewDict()
		for k, e := range x {
			d.SetStr(k, fromJSON(e))
		}
		return d
	}
	return interp.None
}

// coerceQuery converts a query-string value to the declared type.
func coerceQuery(th *interp.Thread, s string, typ interp.Value, loc []any) (interp.Value, *validationItem) {
	if c, ok := typ.(*interp.Class); ok {
		switch c {
		case interp.IntClass:
			if i, err := strconv.ParseInt(s, 10, 64); err == nil {
				return interp.MakeInt(i), nil
			}
			return nil, &validationItem{Type: "int_parsing", Loc: loc, Msg: "Input should be a valid integer, unable to parse string as an integer", Input: s}
		case interp.FloatClass:
			if f, err := strconv.ParseFloat(s, 64); err == nil {
				return interp.Float(f), nil
			}
			return nil, &validationItem{Type: "float_parsing", Loc: loc, Msg: "Input should be a valid number, unable to parse string as a number", Input: s}
		case interp.BoolClass:
			switch strings.ToLower(s) {
			case "true", "1", "yes", "on":
				return interp.True, nil
			case "false", "0", "no", "off":
				return interp.False, nil
			}
			return nil, &validationItem{Type: "bool_parsing", Loc: loc, Msg: "Input should be a valid boolean, unable to interpret input", Input: s}
		}
	}
	var js any = s
	if err := json.Unmarshal([]byte(s), &js); err != nil || typ == interp.StrClass || typ == nil {
		js = s
	}
	if typ == interp.StrClass || typ == nil {
		return interp.Str(s), nil
	}
	return coerce(th, toNumbers(js), typ, loc)
}

func toNumbers(v any) any {
	switch x := v.(type) {
	case float64:
		return json.Number(strconv.FormatFloat(x, 'f', -1, 64))
	case []any:
		for i := range x {
			x[i] = toNumbers(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = toNumbers(x[k])
		}
	}
	return v
}
