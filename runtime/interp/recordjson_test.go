package interp

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"
)

const fieldsApp = `
import math;
enum Color { RED, GREEN }
obj Point { has x: int = 1, y: float = 2.5; }
node Thing {
    has zeta: int = 0, alpha: str = "", mid: float = 0.0, big: int = 0,
        flag: bool = False, none: any = None, items: list = [], tags: dict = {},
        pair: tuple = (1, 2), uniq: set = set(), raw: bytes = b"", color: any = None,
        point: any = None, peer: any = None, inf: float = 0.0, whole: float = 0.0;
}
def things() -> list {
    a = Thing(zeta=7, alpha="plain", mid=0.1, big=10 ** 30, flag=True);
    b = Thing(alpha="<b>&amp;\"q\"\\ é ☃ \n\t\u2028", items=[1, "x", [None, 2.5]], tags={"k": 1, 3: "v"},
              pair=(1, "two"), uniq={4}, raw=b"\x00\xff", color=Color.GREEN, point=Point(), peer=a,
              inf=math.inf, whole=3.0, mid=1e-7);
    c = Thing(mid=1.5e300, zeta=-5);
    root ++> a;
    return [a, b, c];
}
`

// TestAppendFieldsMatchesJSON: the fields of a record are written byte for
// byte as json.Marshal wrote the map of their encoded values, so records
// stored by earlier versions compare equal when unchanged.
func TestAppendFieldsMatchesJSON(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fields.jac")
	os.WriteFile(path, []byte(fieldsApp), 0o600)
	th := NewRunThread(context.Background(), io.Discard)
	prog, err := Load(th, path)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := prog.Main.Get("things")
	var list Value
	if err := th.Protect(func() { list = th.Call(f, nil, nil) }); err != nil {
		t.Fatal(err)
	}
	s := &Session{Prog: prog}
	for _, v := range list.(*List).Elems() {
		o := v.(*Instance)
		want := map[string]any{}
		for i, fd := range o.cls.Fields {
			if fv := o.fields[i]; fv != nil {
				want[fd.Name] = s.encode(th, fv)
			}
		}
		wantJSON, err := json.Marshal(want)
		if err != nil {
			t.Fatal(err)
		}
		got := s.appendFields(th, nil, o)
		if !bytes.Equal(got, wantJSON) {
			t.Errorf("fields differ:\n got  %s\n want %s", got, wantJSON)
		}
	}
}

// TestRecordAppendJSON: a record is written as json.Marshal writes it.
func TestRecordAppendJSON(t *testing.T) {
	fields := json.RawMessage(`{"a":1,"b":"x y","c":{"$ref":"00"}}`)
	recs := []*Record{
		{ID: NewOrderedID(), Kind: "node", Type: "Item", Fields: fields, Owner: NewID(), Version: 3},
		{ID: NewID(), Kind: "edge", Type: "Link<T>&☃", Fields: json.RawMessage(`{ "w" : 2 }`), Src: NewID(), Dst: NewID(), Undir: true, Version: 1},
		{ID: NewID(), Kind: "node", Type: "Root", Access: &Access{Public: 1, Roots: map[ID]int{NewID(): 2, NewID(): 0}}, Version: 12},
		{ID: NewID(), Kind: "node", Type: "Empty", Fields: json.RawMessage(`{}`)},
	}
	for _, r := range recs {
		want, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.AppendJSON(nil)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("record (%v):\n got  %s\n want %s", err, got, want)
		}
	}
	bad := &Record{Fields: json.RawMessage(`{"a":`)}
	if _, err := bad.AppendJSON(nil); err == nil {
		t.Error("invalid fields: no error")
	}
}
