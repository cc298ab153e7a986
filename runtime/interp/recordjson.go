package interp

import (
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// AppendJSON appends the JSON of r, the bytes json.Marshal(r) gives (the
// embedded store's form of a record), with reflection only for the fields'
// check and the rare access grants. It fails as json.Marshal does when the
// fields are not valid JSON.
func (r *Record) AppendJSON(buf []byte) ([]byte, error) {
	buf = append(buf, `{"id":`...)
	buf = appendJSONID(buf, r.ID)
	buf = append(buf, `,"kind":`...)
	buf = appendJSONString(buf, r.Kind)
	buf = append(buf, `,"type":`...)
	buf = appendJSONString(buf, r.Type)
	buf = append(buf, `,"fields":`...)
	if r.Fields == nil {
		buf = append(buf, "null"...)
	} else {
		data, err := json.Marshal(r.Fields) // validated and compacted, as inside a record
		if err != nil {
			return nil, err
		}
		buf = append(buf, data...)
	}
	buf = append(buf, `,"src":`...)
	buf = appendJSONID(buf, r.Src)
	buf = append(buf, `,"dst":`...)
	buf = appendJSONID(buf, r.Dst)
	if r.Undir {
		buf = append(buf, `,"undir":true`...)
	}
	buf = append(buf, `,"owner":`...)
	buf = appendJSONID(buf, r.Owner)
	if r.Access != nil {
		data, err := json.Marshal(r.Access)
		if err != nil {
			return nil, err
		}
		buf = append(buf, `,"access":`...)
		buf = append(buf, data...)
	}
	buf = append(buf, `,"version":`...)
	buf = strconv.AppendInt(buf, r.Version, 10)
	return append(buf, '}'), nil
}

func appendJSONID(buf []byte, id ID) []byte {
	buf = append(buf, '"')
	buf = hex.AppendEncode(buf, id[:])
	return append(buf, '"')
}

// A record's fields are stored as one JSON object, the form json.Marshal
// gives a map[string]any of the encoded values: names in byte order, the
// values' own JSON. appendFields writes those bytes straight from the
// instance: scalars by hand, anything else through json.Marshal of its
// encoded form, so the bytes stay exactly what earlier versions stored (a
// record whose fields did not change compares equal and is not rewritten).

// fieldOrder holds, per class, its field indexes in name order.
var fieldOrder sync.Map // *Class -> []int

func sortedFields(c *Class) []int {
	if v, ok := fieldOrder.Load(c); ok {
		return v.([]int)
	}
	order := make([]int, len(c.Fields))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(c.Fields[a].Name, c.Fields[b].Name) })
	fieldOrder.Store(c, order)
	return order
}

// appendFields appends the JSON object of o's declared fields that have a
// value. A value that cannot be stored panics, as encode does.
func (s *Session) appendFields(th *Thread, buf []byte, o *Instance) []byte {
	buf = append(buf, '{')
	first := true
	for _, i := range sortedFields(o.cls) {
		v := o.fields[i]
		if v == nil {
			continue
		}
		if !first {
			buf = append(buf, ',')
		}
		first = false
		buf = appendJSONString(buf, o.cls.Fields[i].Name)
		buf = append(buf, ':')
		buf = s.appendValue(th, buf, v)
	}
	return append(buf, '}')
}

// appendValue appends the JSON of encode(v).
func (s *Session) appendValue(th *Thread, buf []byte, v Value) []byte {
	switch x := v.(type) {
	case NoneType:
		return append(buf, "null"...)
	case Bool:
		return strconv.AppendBool(buf, bool(x))
	case Int:
		return strconv.AppendInt(buf, int64(x), 10)
	case Str:
		return appendJSONString(buf, string(x))
	}
	data, err := json.Marshal(s.encode(th, v))
	if err != nil {
		panic(err.Error())
	}
	return append(buf, data...)
}

// appendJSONString appends s quoted as json.Marshal quotes it: printable
// ASCII other than the characters it escapes is written as is, anything else
// goes through json.Marshal.
func appendJSONString(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			data, _ := json.Marshal(s)
			return append(buf, data...)
		}
	}
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"')
}
