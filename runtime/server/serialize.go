package server

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"math"
	"strconv"

	"github.com/jacscale/jac/runtime/interp"
)

// A walker's or function's answer, over HTTP and WebSocket alike:
// {"ok":true,"type":"response","data":{"result":R,"reports":P},"error":null}
// (HTTP adds "warnings" after the reports when there are any).
const (
	responseHead    = `{"ok":true,"type":"response","data":{"result":`
	responseReports = `,"reports":`
	responseTail    = `},"error":null}`
)

// encodeResponse writes the response envelope up to its reports into b,
// encoding result and reports in place (no copy of either afterwards).
func encodeResponse(th *interp.Thread, b *bytes.Buffer, result interp.Value, reports *interp.List) {
	b.Grow(256) // one allocation for the usual small answer, responseBody's tail included
	b.WriteString(responseHead)
	writeValue(th, b, result, 0)
	b.WriteString(responseReports)
	writeValue(th, b, reports, 0)
}

// responseBody completes the envelope encodeResponse began.
func responseBody(head []byte, warnings []string) []byte {
	if len(warnings) > 0 {
		head = append(append(head, `,"warnings":`...), jsonRaw(warnings)...)
	}
	return append(head, responseTail...)
}

// encodeValue renders a Jac value as JSON, keeping field order. Archetypes become
// {"_jac_type", "_jac_id", "_jac_archetype", fields...}.
func encodeValue(th *interp.Thread, v interp.Value) json.RawMessage {
	var b bytes.Buffer
	writeValue(th, &b, v, 0)
	return b.Bytes()
}

func writeString(b *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			data, _ := json.Marshal(s) // escapes as before
			b.Write(data)
			return
		}
	}
	b.WriteByte('"') // plain ASCII: nothing to escape
	b.WriteString(s)
	b.WriteByte('"')
}

// writeValue writes v as JSON. Nesting past 64 levels (a cyclic value) is
// written as null; a response past the memory budget (a value that shares its
// parts exponentially, [l, l] with l inside) raises MemoryError, and the
// request's deadline applies.
func writeValue(th *interp.Thread, b *bytes.Buffer, v interp.Value, depth int) {
	if depth > 64 {
		b.WriteString("null")
		return
	}
	if int64(b.Len()) > interp.MemoryBudget() {
		th.Raise(interp.MemoryErrorClass, "")
	}
	th.Poll()
	switch x := v.(type) {
	case nil, interp.NoneType:
		b.WriteString("null")
	case interp.Bool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case interp.Int:
		b.WriteString(strconv.FormatInt(int64(x), 10))
	case *interp.BigInt:
		b.WriteString(interp.Repr(th, x))
	case interp.Float:
		f := float64(x)
		if math.IsInf(f, 0) || math.IsNaN(f) {
			b.WriteString("null")
			return
		}
		s := interp.FormatFloat(f)
		b.WriteString(s)
	case interp.Str:
		writeString(b, string(x))
	case interp.Bytes:
		writeString(b, string(x))
	case *interp.List:
		writeSeq(th, b, x.Elems(), depth)
	case interp.Tuple:
		writeSeq(th, b, x, depth)
	case *interp.Set:
		writeSeq(th, b, x.Elems(), depth)
	case *interp.Dict:
		b.WriteByte('{')
		for i, kv := range x.Items() {
			if i > 0 {
				b.WriteByte(',')
			}
			k, ok := kv.Key.(interp.Str)
			if ok {
				writeString(b, string(k))
			} else {
				writeString(b, interp.ToStr(th, kv.Key))
			}
			b.WriteByte(':')
			writeValue(th, b, kv.Value, depth+1)
		}
		b.WriteByte('}')
	case *interp.Instance:
		writeInstance(th, b, x, depth)
	default:
		if _, ok := v.(interp.Iterable); ok {
			writeSeq(th, b, interp.ToSlice(th, v), depth)
			return
		}
		writeString(b, interp.ToStr(th, v))
	}
}

func writeSeq(th *interp.Thread, b *bytes.Buffer, elems []interp.Value, depth int) {
	b.WriteByte('[')
	for i, e := range elems {
		if i > 0 {
			b.WriteByte(',')
		}
		writeValue(th, b, e, depth+1)
	}
	b.WriteByte(']')
}

// writeHexID writes id as a JSON string of 32 hex digits (ID.Hex, without
// building the string).
func writeHexID(b *bytes.Buffer, id interp.ID) {
	b.Grow(2 + hex.EncodedLen(len(id)))
	b.WriteByte('"')
	b.Write(hex.AppendEncode(b.AvailableBuffer(), id[:]))
	b.WriteByte('"')
}

func archetypeKind(c *interp.Class) string {
	switch c.Kind {
	case interp.KindNode:
		return "node"
	case interp.KindEdge:
		return "edge"
	case interp.KindWalker:
		return "walker"
	}
	return "archetype"
}

func writeInstance(th *interp.Thread, b *bytes.Buffer, o *interp.Instance, depth int) {
	cls := o.Class()
	if cls.Kind == interp.KindEnum {
		val, _ := interp.LookupAttr(th, o, "value")
		writeValue(th, b, val, depth+1)
		return
	}
	if cls.IsException() {
		writeString(b, interp.ToStr(th, o))
		return
	}
	b.WriteString(`{"_jac_type":`)
	writeString(b, cls.Name)
	if cls.Kind.IsArchetype() {
		b.WriteString(`,"_jac_id":`)
		writeHexID(b, o.ID())
	}
	b.WriteString(`,"_jac_archetype":`)
	writeString(b, archetypeKind(cls))
	for i, f := range cls.Fields {
		if f.Access == "priv" {
			continue
		}
		v := o.Field(i)
		if v == nil {
			continue
		}
		b.WriteByte(',')
		writeString(b, f.Name)
		b.WriteByte(':')
		writeValue(th, b, v, depth+1)
	}
	for _, kv := range o.ExtraAttrs() {
		if kv.Name == "reports" || len(kv.Name) > 0 && kv.Name[0] == '_' {
			continue
		}
		b.WriteByte(',')
		writeString(b, kv.Name)
		b.WriteByte(':')
		writeValue(th, b, kv.Value, depth+1)
	}
	b.WriteByte('}')
}
