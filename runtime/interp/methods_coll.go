package interp

import (
	"bufio"
	"errors"
	"io"
	"math"
	"math/big"
	"os"
	"strings"
	"syscall"
)

func init() {
	L := ListClass
	ls := func(v Value) *List { return v.(*List) }
	method(L, "append", func(th *Thread, v Value, a []Value, kw []KV) Value {
		checkArgs(th, "append", a, 1, 1)
		ls(v).Append(a[0])
		return None
	})
	method(L, "extend", func(th *Thread, v Value, a []Value, kw []KV) Value {
		checkArgs(th, "extend", a, 1, 1)
		l := ls(v)
		if o, ok := a[0].(*List); ok {
			l.extend(o)
			return None
		}
		l.appendValues(ToSlice(th, a[0]))
		return None
	})
	method(L, "insert", func(th *Thread, v Value, a []Value, kw []KV) Value {
		checkArgs(th, "insert", a, 2, 2)
		l := ls(v)
		n := int64(l.Len())
		i := toInt64(th, a[0])
		if i < 0 {
			i = max(i+n, 0)
		}
		l.insert(int(min(i, n)), a[1])
		return None
	})
	method(L, "pop", func(th *Thread, v Value, a []Value, kw []KV) Value {
		checkArgs(th, "pop", a, 0, 1)
		l := ls(v)
		if l.Len() == 0 {
			th.Raise(IndexErrorClass, "pop from empty list")
		}
		i := int64(l.Len() - 1)
		if len(a) == 1 {
			j, ok := normIndex(toInt64(th, a[0]), int64(l.Len()))
			if !ok {
				th.Raise(IndexErrorClass, "pop index out of range")
			}
			i = j
		}
		return l.removeAt(int(i))
	})
	method(L, "remove", func(th *Thread, v Value, a []Value, kw []KV) Value {
		checkArgs(th, "remove", a, 1, 1)
		l := ls(v)
		if i := l.find(th, a[0], 0, l.Len()); i >= 0 && i < l.Len() {
			l.removeAt(i)
			return None
		}
		th.ValueError("list.remove(x): x not in list")
		return nil
	})
	method(L, "index", func(th *Thread, v Value, a []Value, kw []KV) Value {
		checkArgs(th, "index", a, 1, 3)
		l := ls(v)
		n := int64(l.Len())
		start, end := 0, int(n)
		if len(a) > 1 {
			s, _ := normIndex(toInt64(th, a[1]), n)
			start = int(max(s, 0))
		}
		if len(a) > 2 {
			e := toInt64(th, a[2])
			if e < 0 {
				e += n
			}
			end = int(min(max(e, 0), n))
		}
		if i := l.find(th, a[0], start, end); i >= 0 {
			return MakeInt(int64(i))
		}
		th.ValueError("%s is not in list", Repr(th, a[0]))
		return nil
	})
	method(L, "count", func(th *Thread, v Value, a []Value, kw []KV) Value {
		checkArgs(th, "count", a, 1, 1)
		return MakeInt(int64(ls(v).count(th, a[0])))
	})
	method(L, "sort", func(th *Thread, v Value, a []Value, kw []KV) Value {
		if len(a) > 0 {
			th.TypeError("sort() takes no positional arguments")
		}
		key, _ := kwArg(kw, "key")
		rev, _ := kwArg(kw, "reverse")
		ls(v).sort(th, key, rev != nil && Truth(th, rev))
		return None
	})
	method(L, "reverse", func(th *Thread, v Value, a []Value, kw []KV) Value {
		ls(v).reverse()
		return None
	})
	method(L, "copy", func(th *Thread, v Value, a []Value, kw []KV) Value { return ls(v).clone() })
	method(L, "clear", func(th *Thread, v Value, a []Value, kw []KV) Value { ls(v).clear(); return None })
	method(L, "__len__", func(th *Thread, v Value, a []Value, kw []KV) Value { return MakeInt(int64(ls(v).Len())) })
	method(L, "__getitem__", func(th *Thread, v Value, a []Value, kw []KV) Value { return GetItem(th, v, a[0]) })
	method(L, "__setitem__", func(th *Thread, v Value, a []Value, kw []KV) Value { SetItem(th, v, a[0], a[1]); return None })
	method(L, "__contains__", func(th *Thread, v Value, a []Value, kw []KV) Value { return MakeBool(Contains(th, v, a[0])) })
	method(L, "__iter__", func(th *Thread, v Value, a []Value, kw []KV) Value { return GetIter(th, v) })

	T := TupleClass
	method(T, "index", func(th *Thread, v Value, a []Value, kw []KV) Value {
		for i, e := range v.(Tuple) {
			if Equal(th, e, a[0]) {
				return MakeInt(int64(i))
			}
		}
		th.ValueError("tuple.index(x): x not in tuple")
		return nil
	})
	method(T, "count", func(th *Thread, v Value, a []Value, kw []KV) Value {
		n := 0
		for _, e := range v.(Tuple) {
			if Equal(th, e, a[0]) {
				n++
			}
		}
		return MakeInt(int64(n))
	})

	D := DictClass
	ds := func(v Value) *Dict { return v.(*Dict) }
	method(D, "get", func(th *Thread, v Value, a []Value, kw []KV) Value {
		checkArgs(th, "get", a, 1, 2)
		if r, ok := ds(v).Get(th, a[0]); ok {
			return r
		}
		if len(a) == 2 {
			return a[1]
		}
		return None
	})
	method(D, "keys", func(th *Thread, v Value, a []Value, kw []KV) Value { return &DictView{d: ds(v), kind: 0} })
	method(D, "values", func(th *Thread, v Value, a []Value, kw []KV) Value { return &DictView{d: ds(v), kind: 1} })
	method(D, "items", func(th *Thread, v Value, a []Value, kw []KV) Value { return &DictView{d: ds(v), kind: 2} })
	method(D, "pop", func(th *Thread, v Value, a []Value, kw []KV) Value {
		checkArgs(th, "pop", a, 1, 2)
		if r, ok := ds(v).Delete(th, a[0]); ok {
			return r
		}
		if len(a) == 2 {
			return a[1]
		}
		panic(keyError(th, a[0]))
	})
	method(D, "popitem", func(th *Thread, v Value, a []Value, kw []KV) Value {
		p, ok := ds(v).popLast(th)
		if !ok {
			th.Raise(KeyErrorClass, "popitem(): dictionary is empty")
		}
		return Tuple{p.Key, p.Value}
	})
	method(D, "setdefault", func(th *Thread, v Value, a []Value, kw []KV) Value {
		checkArgs(th, "setdefault", a, 1, 2)
		d := ds(v)
		if r, ok := d.Get(th, a[0]); ok {
			return r
		}
		var dv Value = None
		if len(a) == 2 {
			dv = a[1]
		}
		d.Set(th, a[0], dv)
		return dv
	})
	method(D, "update", func(th *Thread, v Value, a []Value, kw []KV) Value {
		d := ds(v)
		if len(a) > 0 {
			dictUpdate(th, d, a[0])
		}
		for _, k := range kw {
			d.SetStr(k.Name, k.Value)
		}
		return None
	})
	method(D, "copy", func(th *Thread, v Value, a []Value, kw []KV) Value { return ds(v).Copy() })
	method(D, "clear", func(th *Thread, v Value, a []Value, kw []KV) Value { ds(v).Clear(); return None })
	D.SetAttr("fromkeys", &ClassMethod{Fn: NewBuiltin("fromkeys", func(th *Thread, a []Value, kw []KV) Value {
		d := NewDict()
		var dv Value = None
		if len(a) > 2 {
			dv = a[2]
		}
		Iterate(th, a[1], func(k Value) bool { d.Set(th, k, dv); return true })
		return d
	})})
	method(D, "__getitem__", func(th *Thread, v Value, a []Value, kw []KV) Value { return GetItem(th, v, a[0]) })
	method(D, "__setitem__", func(th *Thread, v Value, a []Value, kw []KV) Value { ds(v).Set(th, a[0], a[1]); return None })
	method(D, "__contains__", func(th *Thread, v Value, a []Value, kw []KV) Value { return MakeBool(Contains(th, v, a[0])) })
	method(D, "__len__", func(th *Thread, v Value, a []Value, kw []KV) Value { return MakeInt(int64(ds(v).Len())) })
	method(D, "__iter__", func(th *Thread, v Value, a []Value, kw []KV) Value { return GetIter(th, v) })
	method(D, "__init__", func(th *Thread, v Value, a []Value, kw []KV) Value { return None })

	Sc := SetClass
	ss := func(v Value) *Set { return v.(*Set) }
	method(Sc, "add", func(th *Thread, v Value, a []Value, kw []KV) Value { ss(v).Add(th, a[0]); return None })
	method(Sc, "remove", func(th *Thread, v Value, a []Value, kw []KV) Value {
		if !ss(v).Remove(th, a[0]) {
			panic(keyError(th, a[0]))
		}
		return None
	})
	method(Sc, "discard", func(th *Thread, v Value, a []Value, kw []KV) Value { ss(v).Remove(th, a[0]); return None })
	method(Sc, "pop", func(th *Thread, v Value, a []Value, kw []KV) Value { return ss(v).pop(th) })
	method(Sc, "clear", func(th *Thread, v Value, a []Value, kw []KV) Value { ss(v).Clear(); return None })
	method(Sc, "update", func(th *Thread, v Value, a []Value, kw []KV) Value {
		for _, x := range a {
			ss(v).update(th, x)
		}
		return None
	})
	for _, c := range []*Class{Sc, FrozenSetClass} {
		method(c, "union", func(th *Thread, v Value, a []Value, kw []KV) Value {
			r := ss(v).copySet()
			for _, x := range a {
				r.update(th, x)
			}
			return r
		})
		method(c, "intersection", func(th *Thread, v Value, a []Value, kw []KV) Value {
			r := ss(v)
			if len(a) == 0 {
				return r.copySet()
			}
			for _, x := range a {
				r = r.intersection(th, x)
			}
			return r
		})
		method(c, "difference", func(th *Thread, v Value, a []Value, kw []KV) Value {
			if len(a) == 0 {
				return ss(v).copySet()
			}
			r := ss(v).difference(th, a[0])
			for _, x := range a[1:] {
				r.differenceUpdate(th, x)
			}
			return r
		})
		method(c, "symmetric_difference", func(th *Thread, v Value, a []Value, kw []KV) Value {
			checkArgs(th, "symmetric_difference", a, 1, 1)
			return ss(v).symmetricDifference(th, a[0])
		})
		method(c, "issubset", func(th *Thread, v Value, a []Value, kw []KV) Value {
			o := SetClass.newFn(th, SetClass, a, nil).(*Set)
			return MakeBool(isSubset(th, ss(v), o))
		})
		method(c, "issuperset", func(th *Thread, v Value, a []Value, kw []KV) Value {
			o := SetClass.newFn(th, SetClass, a, nil).(*Set)
			return MakeBool(isSubset(th, o, ss(v)))
		})
		method(c, "isdisjoint", func(th *Thread, v Value, a []Value, kw []KV) Value {
			o := SetClass.newFn(th, SetClass, a, nil).(*Set)
			for _, e := range ss(v).Elems() {
				if o.Has(th, e) {
					return False
				}
			}
			return True
		})
		method(c, "copy", func(th *Thread, v Value, a []Value, kw []KV) Value { return ss(v).copySet() })
	}
	method(Sc, "intersection_update", func(th *Thread, v Value, a []Value, kw []KV) Value {
		s := ss(v)
		r := s
		for _, x := range a {
			r = r.intersection(th, x)
		}
		s.table, s.fill, s.used = r.table, r.fill, r.used
		return None
	})
	method(Sc, "difference_update", func(th *Thread, v Value, a []Value, kw []KV) Value {
		for _, x := range a {
			ss(v).differenceUpdate(th, x)
		}
		return None
	})
	method(Sc, "symmetric_difference_update", func(th *Thread, v Value, a []Value, kw []KV) Value {
		checkArgs(th, "symmetric_difference_update", a, 1, 1)
		ss(v).symmetricDifferenceUpdate(th, a[0])
		return None
	})

	I := IntClass
	method(I, "bit_length", func(th *Thread, v Value, a []Value, kw []KV) Value {
		return MakeInt(int64(new(big.Int).Abs(bigOf(v)).BitLen()))
	})
	method(I, "to_bytes", func(th *Thread, v Value, a []Value, kw []KV) Value {
		p := ParseArgs(th, "to_bytes", a, kw, "length?", "byteorder?", "signed?")
		n := 1
		if p[0] != nil {
			n = int(toInt64(th, p[0]))
		}
		b := bigOf(v).FillBytes(make([]byte, n))
		if p[1] != nil && ToStr(th, p[1]) == "little" {
			for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
				b[i], b[j] = b[j], b[i]
			}
		}
		return Bytes(b)
	})
	method(I, "__index__", func(th *Thread, v Value, a []Value, kw []KV) Value {
		if x, ok := mixedEnumValue(v); ok {
			return x
		}
		return v
	})
	I.SetAttr("from_bytes", &ClassMethod{Fn: NewBuiltin("from_bytes", func(th *Thread, a []Value, kw []KV) Value {
		p := ParseArgs(th, "from_bytes", a[1:], kw, "bytes", "byteorder?", "signed?")
		b := []byte(p[0].(Bytes))
		if p[1] != nil && ToStr(th, p[1]) == "little" {
			for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
				b[i], b[j] = b[j], b[i]
			}
		}
		return MakeBigInt(new(big.Int).SetBytes(b))
	})})
	F := FloatClass
	method(F, "is_integer", func(th *Thread, v Value, a []Value, kw []KV) Value {
		f := float64(v.(Float))
		return MakeBool(f == math.Trunc(f) && !math.IsInf(f, 0))
	})
	method(F, "hex", func(th *Thread, v Value, a []Value, kw []KV) Value { return Str(FormatFloat(float64(v.(Float)))) })
	method(F, "__round__", func(th *Thread, v Value, a []Value, kw []KV) Value {
		var nd Value
		if len(a) > 0 {
			nd = a[0]
		}
		return round(th, v, nd)
	})
	for _, c := range []*Class{I, F, BoolClass} {
		c := c
		for _, op := range []struct {
			name string
			tok  int
		}{{"__add__", int(tokPLUS)}, {"__sub__", int(tokMINUS)}, {"__mul__", int(tokSTAR)}} {
			op := op
			method(c, op.name, func(th *Thread, v Value, a []Value, kw []KV) Value {
				if x, ok := mixedEnumValue(v); ok { // an IntEnum member: its int, or this recurses
					v = x
				}
				return Binary(th, tokenOf(op.tok), v, a[0])
			})
		}
	}
	ObjectClass.SetAttr("__init__", &Builtin{Name: "__init__", Method: func(th *Thread, v Value, a []Value, kw []KV) Value { return None }})
	ObjectClass.SetAttr("__setattr__", &Builtin{Name: "__setattr__", Method: func(th *Thread, v Value, a []Value, kw []KV) Value {
		if o, ok := v.(*Instance); ok {
			o.SetFieldByName(ToStr(th, a[0]), a[1])
		}
		return None
	}})
	// BaseException.__init__ replaces args, so that super().__init__(msg) in a
	// subclass's own init gives the exception its message.
	BaseExceptionClass.SetAttr("__init__", &Builtin{Name: "__init__", Method: func(th *Thread, v Value, a []Value, kw []KV) Value {
		if o, ok := v.(*Instance); ok && o.cls.isExc {
			o.excData().args = append(Tuple(nil), a...)
		}
		return None
	}})
	BaseExceptionClass.SetAttr("add_note", &Builtin{Name: "add_note", Method: func(th *Thread, v Value, a []Value, kw []KV) Value {
		o := v.(*Instance)
		rare := o.excData().writeRare()
		rare.notes = append(rare.notes, ToStr(th, a[0]))
		return None
	}})
	BaseExceptionClass.SetAttr("with_traceback", &Builtin{Name: "with_traceback", Method: func(th *Thread, v Value, a []Value, kw []KV) Value { return v }})
}

// DictView is dict.keys()/values()/items().
type DictView struct {
	d    *Dict
	kind int
}

func (v *DictView) Class() *Class {
	switch v.kind {
	case 0:
		return DictKeysClass
	case 1:
		return DictValuesClass
	}
	return DictItemsClass
}

// Len is the number of entries.
func (v *DictView) Len() int { return v.d.Len() }

func (v *DictView) items() []Value {
	switch v.kind {
	case 0:
		return v.d.Keys()
	case 1:
		return v.d.Values()
	}
	ps := v.d.Items()
	out := make([]Value, len(ps))
	for i, p := range ps {
		out[i] = Tuple{p.Key, p.Value}
	}
	return out
}

// IterJac iterates the view.
func (v *DictView) IterJac(th *Thread) Iterator { return newDictIter(v.d, uint8(v.kind)) }

// ContainsJac tests membership.
func (v *DictView) ContainsJac(th *Thread, x Value) bool {
	switch v.kind {
	case 0:
		_, ok := v.d.Get(th, x)
		return ok
	case 2:
		t, ok := x.(Tuple)
		if !ok || len(t) != 2 {
			return false
		}
		val, ok := v.d.Get(th, t[0])
		return ok && Equal(th, val, t[1])
	}
	for _, e := range v.d.Values() {
		if Equal(th, e, x) {
			return true
		}
	}
	return false
}

// ReprJac renders dict_keys([...]).
func (v *DictView) ReprJac(th *Thread) string {
	return v.Class().Name + "(" + Repr(th, NewList(v.items())) + ")"
}

// EqualJac compares key views as sets.
func (v *DictView) EqualJac(th *Thread, o Value) (bool, bool) {
	ov, ok := o.(*DictView)
	if !ok {
		return false, true
	}
	return Equal(th, NewList(v.items()), NewList(ov.items())), true
}

// BinaryJac supports keys() & | - with sets.
func (v *DictView) BinaryJac(th *Thread, op tokenT, other Value, right bool) Value {
	if v.kind == 1 {
		return nil
	}
	a := SetClass.newFn(th, SetClass, []Value{NewList(v.items())}, nil).(*Set)
	var b *Set
	switch o := other.(type) {
	case *Set:
		b = o
	case *DictView:
		b = SetClass.newFn(th, SetClass, []Value{NewList(o.items())}, nil).(*Set)
	default:
		return nil
	}
	if right {
		a, b = b, a
	}
	return setOp(th, op, a, b)
}

// ---- files ----

// File is an open text or binary file.
type File struct {
	f      *os.File
	r      *bufio.Reader
	w      *bufio.Writer
	binary bool
	closed bool
	name   string
	mode   string
	// crlf: text read with universal newlines (newline=None): \r\n and \r read as \n
	crlf bool
}

func (*File) Class() *Class { return FileClass }

func biOpen(th *Thread, args []Value, kw []KV) Value {
	a := ParseArgs(th, "open", args, kw, "file", "mode?", "buffering?", "encoding?", "errors?", "newline?")
	name := ToStr(th, a[0])
	mode := "r"
	if a[1] != nil {
		mode = ToStr(th, a[1])
	}
	flag := os.O_RDONLY
	switch {
	case strings.Contains(mode, "w"):
		flag = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	case strings.Contains(mode, "a"):
		flag = os.O_WRONLY | os.O_CREATE | os.O_APPEND
	case strings.Contains(mode, "x"):
		flag = os.O_WRONLY | os.O_CREATE | os.O_EXCL
	}
	if strings.Contains(mode, "+") {
		flag = flag&^(os.O_WRONLY|os.O_RDONLY) | os.O_RDWR
	}
	f, err := os.OpenFile(name, flag, 0o644)
	if err != nil {
		th.raiseOSError(err, name)
	}
	binary := strings.Contains(mode, "b")
	fl := &File{f: f, binary: binary, name: name, mode: mode, crlf: !binary && (a[5] == nil || a[5] == None)}
	fl.r = bufio.NewReader(f)
	fl.w = bufio.NewWriter(f)
	return fl
}

func (th *Thread) raiseOSError(err error, name string) {
	cls, errno, msg := OSErrorClass, 0, err.Error()
	switch {
	case os.IsNotExist(err):
		cls, errno, msg = FileNotFoundErrorClass, 2, "No such file or directory"
	case os.IsPermission(err):
		cls, errno, msg = PermissionErrorClass, 13, "Permission denied"
	case os.IsExist(err):
		cls, errno, msg = FileExistsErrorClass, 17, "File exists"
	case errors.Is(err, syscall.EISDIR):
		cls, errno, msg = IsADirectoryErrorClass, 21, "Is a directory"
	case errors.Is(err, syscall.ENOTDIR):
		cls, errno, msg = NotADirectoryErrorClass, 20, "Not a directory"
	}
	if errno == 0 {
		th.Raise(cls, "%s", msg)
	}
	// as CPython: args (errno, strerror), filename apart
	exc := NewInstance(cls)
	d := exc.excData()
	d.args = Tuple{MakeInt(int64(errno)), Str(msg)}
	d.writeRare().filename = Str(name)
	th.RaiseValue(exc)
}

func (th *Thread) RaiseOSError(err error, name string) { th.raiseOSError(err, name) }

func (f *File) data(s string) Value {
	if f.binary {
		return Bytes(s)
	}
	if f.crlf && strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	}
	return Str(s)
}

// Enter implements `with open(...) as f`.
func (f *File) Enter(th *Thread) Value { return f }

// Exit closes the file.
func (f *File) Exit(th *Thread, exc *Instance) bool { f.close(); return false }

func (f *File) close() {
	if !f.closed {
		f.w.Flush()
		f.f.Close()
		f.closed = true
	}
}

// IterJac iterates lines.
func (f *File) IterJac(th *Thread) Iterator {
	return NewFuncIterator(func(th *Thread) (Value, bool) {
		line, err := f.readLine()
		if line == "" && err != nil {
			return nil, false
		}
		return f.data(line), true
	})
}

// readLine reads one line with its ending; with universal newlines a line also
// ends at a lone \r, and the ending reads as \n.
func (f *File) readLine() (string, error) {
	if !f.crlf {
		return f.r.ReadString('\n')
	}
	var b strings.Builder
	for {
		c, err := f.r.ReadByte()
		if err != nil {
			return b.String(), err
		}
		if c == '\r' {
			if next, err := f.r.ReadByte(); err == nil && next != '\n' {
				f.r.UnreadByte()
			}
			c = '\n'
		}
		b.WriteByte(c)
		if c == '\n' {
			return b.String(), nil
		}
	}
}

// readN is read(n): n bytes of a binary file, n characters of a text file.
func (f *File) readN(th *Thread, n int) Value {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if f.binary {
			c, err := f.r.ReadByte()
			if err != nil {
				break
			}
			b.WriteByte(c)
			continue
		}
		r, _, err := f.r.ReadRune()
		if err != nil {
			break
		}
		if r == '\r' && f.crlf {
			if next, _, err := f.r.ReadRune(); err == nil && next != '\n' {
				f.r.UnreadRune()
			}
			r = '\n'
		}
		b.WriteRune(r)
	}
	return f.data(b.String())
}

// AttrJac exposes the file methods.
func (f *File) AttrJac(th *Thread, name string) (Value, bool) {
	b := func(fn func(th *Thread, args []Value) Value) Value {
		return NewBuiltin(name, func(th *Thread, args []Value, kw []KV) Value {
			if f.closed && name != "close" {
				th.ValueError("I/O operation on closed file.")
			}
			return fn(th, args)
		})
	}
	switch name {
	case "read":
		return b(func(th *Thread, args []Value) Value {
			if len(args) > 0 && args[0] != None {
				if n := toInt64(th, args[0]); n >= 0 {
					return f.readN(th, int(n))
				}
			}
			data, err := io.ReadAll(f.r)
			if err != nil {
				th.raiseOSError(err, f.name)
			}
			return f.data(string(data))
		}), true
	case "readline":
		return b(func(th *Thread, args []Value) Value {
			line, _ := f.readLine()
			return f.data(line)
		}), true
	case "readlines":
		return b(func(th *Thread, args []Value) Value {
			var out []Value
			for {
				line, err := f.readLine()
				if line != "" {
					out = append(out, f.data(line))
				}
				if err != nil {
					break
				}
			}
			return NewList(out)
		}), true
	case "write":
		return b(func(th *Thread, args []Value) Value {
			var s string
			switch x := args[0].(type) {
			case Str:
				s = string(x)
			case Bytes:
				s = string(x)
			default:
				th.TypeError("write() argument must be str, not %s", TypeName(x))
			}
			f.w.WriteString(s)
			return MakeInt(int64(strLen(s)))
		}), true
	case "writelines":
		return b(func(th *Thread, args []Value) Value {
			Iterate(th, args[0], func(v Value) bool { f.w.WriteString(ToStr(th, v)); return true })
			return None
		}), true
	case "close":
		return b(func(th *Thread, args []Value) Value { f.close(); return None }), true
	case "flush":
		return b(func(th *Thread, args []Value) Value { f.w.Flush(); return None }), true
	case "name":
		return Str(f.name), true
	case "mode":
		return Str(f.mode), true
	case "closed":
		return MakeBool(f.closed), true
	}
	return nil, false
}

// ReprJac renders the file.
func (f *File) ReprJac(th *Thread) string {
	return "<_io.TextIOWrapper name=" + QuoteStr(f.name) + " mode=" + QuoteStr(f.mode) + ">"
}
