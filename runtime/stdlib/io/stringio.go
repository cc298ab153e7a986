// Package io implements the part of Python's io module programs use: StringIO,
// BytesIO and the SEEK_* constants.
package io

import (
	"github.com/jacscale/jac/runtime/interp"
)

// stringIO is io.StringIO (and, with bytes set, io.BytesIO).
type stringIO struct {
	buf    []rune
	pos    int
	closed bool
	bytes  bool
}

var (
	ioStringIOClass = func() *interp.Class { c := interp.NewBuiltinClass("StringIO"); c.Module = "_io"; return c }()
	ioBytesIOClass  = func() *interp.Class { c := interp.NewBuiltinClass("BytesIO"); c.Module = "_io"; return c }()
)

func (s *stringIO) Class() *interp.Class {
	if s.bytes {
		return ioBytesIOClass
	}
	return ioStringIOClass
}

func (s *stringIO) val(str string) interp.Value {
	if s.bytes {
		return interp.Bytes(str)
	}
	return interp.Str(str)
}

func (s *stringIO) check(th *interp.Thread) {
	if s.closed {
		th.ValueError("I/O operation on closed file.")
	}
}

// WriteJac lets print(..., file=buf) write here.
func (s *stringIO) WriteJac(th *interp.Thread, str string) { s.write(str) }

func (s *stringIO) write(str string) int {
	r := []rune(str)
	if s.bytes {
		r = make([]rune, len(str))
		for i := 0; i < len(str); i++ {
			r[i] = rune(str[i])
		}
	}
	for len(s.buf) < s.pos {
		s.buf = append(s.buf, 0)
	}
	end := s.pos + len(r)
	if end > len(s.buf) {
		s.buf = append(s.buf[:s.pos], r...)
	} else {
		copy(s.buf[s.pos:], r)
	}
	s.pos = end
	return len(r)
}

func (s *stringIO) str(r []rune) string {
	if s.bytes {
		b := make([]byte, len(r))
		for i, c := range r {
			b[i] = byte(c)
		}
		return string(b)
	}
	return string(r)
}

func (s *stringIO) readline() string {
	if s.pos >= len(s.buf) {
		return ""
	}
	end := s.pos
	for end < len(s.buf) && s.buf[end] != '\n' {
		end++
	}
	if end < len(s.buf) {
		end++
	}
	out := s.str(s.buf[s.pos:end])
	s.pos = end
	return out
}

func (s *stringIO) IterJac(th *interp.Thread) interp.Iterator {
	return interp.NewFuncIterator(func(th *interp.Thread) (interp.Value, bool) {
		l := s.readline()
		if l == "" {
			return nil, false
		}
		return s.val(l), true
	})
}

func (s *stringIO) Enter(th *interp.Thread) interp.Value { return s }

func (s *stringIO) Exit(th *interp.Thread, exc *interp.Instance) bool {
	s.closed = true
	return false
}

func (s *stringIO) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	m := func(f func(th *interp.Thread, args []interp.Value) interp.Value) (interp.Value, bool) {
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if name != "close" {
				s.check(th)
			}
			return f(th, args)
		}), true
	}
	switch name {
	case "closed":
		return interp.MakeBool(s.closed), true
	case "write":
		return m(func(th *interp.Thread, args []interp.Value) interp.Value {
			if len(args) != 1 {
				th.TypeError("write() takes exactly one argument (%d given)", len(args))
			}
			var str string
			switch x := args[0].(type) {
			case interp.Str:
				if s.bytes {
					th.TypeError("a bytes-like object is required, not 'str'")
				}
				str = string(x)
			case interp.Bytes:
				if !s.bytes {
					th.TypeError("string argument expected, got 'bytes'")
				}
				str = string(x)
			default:
				if s.bytes {
					th.TypeError("a bytes-like object is required, not '%s'", interp.TypeName(args[0]))
				}
				th.TypeError("string argument expected, got '%s'", interp.TypeName(args[0]))
			}
			return interp.MakeInt(int64(s.write(str)))
		})
	case "writelines":
		return m(func(th *interp.Thread, args []interp.Value) interp.Value {
			interp.Iterate(th, args[0], func(v interp.Value) bool {
				s.write(string(interp.ToStr(th, v)))
				return true
			})
			return interp.None
		})
	case "getvalue":
		return m(func(th *interp.Thread, args []interp.Value) interp.Value { return s.val(s.str(s.buf)) })
	case "read":
		return m(func(th *interp.Thread, args []interp.Value) interp.Value {
			n := -1
			if len(args) > 0 && args[0] != interp.None {
				n = int(interp.ToInt64(th, args[0]))
			}
			if s.pos >= len(s.buf) {
				return s.val("")
			}
			end := len(s.buf)
			if n >= 0 && s.pos+n < end {
				end = s.pos + n
			}
			out := s.str(s.buf[s.pos:end])
			s.pos = end
			return s.val(out)
		})
	case "readline":
		return m(func(th *interp.Thread, args []interp.Value) interp.Value { return s.val(s.readline()) })
	case "readlines":
		return m(func(th *interp.Thread, args []interp.Value) interp.Value {
			var out []interp.Value
			for l := s.readline(); l != ""; l = s.readline() {
				out = append(out, s.val(l))
			}
			return interp.NewList(out)
		})
	case "seek":
		return m(func(th *interp.Thread, args []interp.Value) interp.Value {
			p := int(interp.ToInt64(th, args[0]))
			if len(args) > 1 && interp.ToInt64(th, args[1]) == 2 {
				p = len(s.buf)
			}
			if p < 0 {
				th.ValueError("Negative seek position %d", p)
			}
			s.pos = p
			return interp.MakeInt(int64(p))
		})
	case "tell":
		return m(func(th *interp.Thread, args []interp.Value) interp.Value { return interp.MakeInt(int64(s.pos)) })
	case "truncate":
		return m(func(th *interp.Thread, args []interp.Value) interp.Value {
			n := s.pos
			if len(args) > 0 && args[0] != interp.None {
				n = int(interp.ToInt64(th, args[0]))
			}
			if n < len(s.buf) {
				s.buf = s.buf[:n]
			}
			return interp.MakeInt(int64(n))
		})
	case "close":
		return m(func(th *interp.Thread, args []interp.Value) interp.Value { s.closed = true; return interp.None })
	case "flush":
		return m(func(th *interp.Thread, args []interp.Value) interp.Value { return interp.None })
	case "readable", "writable", "seekable":
		return m(func(th *interp.Thread, args []interp.Value) interp.Value { return interp.True })
	}
	return nil, false
}

func newClass(isBytes bool) *interp.Class {
	name, cls := "StringIO", ioStringIOClass
	if isBytes {
		name, cls = "BytesIO", ioBytesIOClass
	}
	interp.SetConstructor(cls, func(th *interp.Thread, _ *interp.Class, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, name, args, kw, "initial_value?", "newline?")
		s := &stringIO{bytes: isBytes}
		if a[0] != nil && a[0] != interp.None {
			switch x := a[0].(type) {
			case interp.Str:
				if isBytes {
					th.TypeError("a bytes-like object is required, not 'str'")
				}
				s.write(string(x))
			case interp.Bytes:
				if !isBytes {
					th.TypeError("initial_value must be str or None, not bytes")
				}
				s.write(string(x))
			default:
				th.TypeError("initial_value must be str or None, not %s", interp.TypeName(a[0]))
			}
			s.pos = 0
		}
		return s
	})
	return cls
}

func init() {
	interp.RegisterModule("io", func() *interp.Module {
		m := interp.NewModule("io")
		m.Set("StringIO", newClass(false))
		m.Set("BytesIO", newClass(true))
		m.Set("SEEK_SET", interp.MakeInt(0))
		m.Set("SEEK_CUR", interp.MakeInt(1))
		m.Set("SEEK_END", interp.MakeInt(2))
		m.Set("TextIOWrapper", interp.FileClass)
		m.Set("UnsupportedOperation", interp.OSErrorClass)
		return m
	})
}
