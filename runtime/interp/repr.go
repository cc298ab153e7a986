package interp

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// ToStr is Python's str(v).
func ToStr(th *Thread, v Value) string {
	switch x := v.(type) {
	case Str:
		return string(x)
	case Int:
		return strconv.FormatInt(int64(x), 10)
	case *Instance:
		if m, _ := x.cls.Lookup("__str__"); m != nil {
			return strResult(th, th.callMethod(x, m, nil, nil), "__str__")
		}
		if x.cls.isExc {
			return exceptionStr(th, x)
		}
		if x.cls.Kind == KindEnum {
			name, _ := x.getExtra("name")
			if x.cls.enumBase != nil { // IntEnum, StrEnum: str() of the value
				v, _ := x.getExtra("value")
				return ToStr(th, v)
			}
			return x.cls.Name + "." + string(name.(Str))
		}
		return Repr(th, x)
	case Stringer:
		return x.StrJac(th)
	}
	return Repr(th, v)
}

// Stringer is implemented by library values with a str() different from repr().
type Stringer interface {
	StrJac(th *Thread) string
}

// Reprer is implemented by library values to give their repr().
type Reprer interface {
	ReprJac(th *Thread) string
}

func strResult(th *Thread, v Value, name string) string {
	s, ok := v.(Str)
	if !ok {
		th.TypeError("%s returned non-string (type %s)", name, TypeName(v))
	}
	return string(s)
}

// Repr is Python's repr(v).
func Repr(th *Thread, v Value) string {
	var b strings.Builder
	writeRepr(th, &b, v, nil)
	return b.String()
}

// writeRepr writes repr(v), counting its nesting against the recursion limit
// and writing a container met again inside itself as [...], {...} or ...
func writeRepr(th *Thread, b *strings.Builder, v Value, seen []Value) {
	switch v.(type) {
	case *List, *Dict, *Instance:
		for _, s := range seen {
			if s == v {
				switch v.(type) {
				case *List:
					b.WriteString("[...]")
				case *Dict:
					b.WriteString("{...}")
				default:
					b.WriteString("...")
				}
				return
			}
		}
	case Tuple, *Set, *BoundMethod, *SliceObj:
	default:
		writeReprValue(th, b, v, seen)
		return
	}
	th.EnterNested(" while getting the repr of an object")
	writeReprValue(th, b, v, seen)
	th.LeaveNested()
}

func writeReprValue(th *Thread, b *strings.Builder, v Value, seen []Value) {
	switch x := v.(type) {
	case nil:
		b.WriteString("<NULL>")
	case NoneType:
		b.WriteString("None")
	case Bool:
		if x {
			b.WriteString("True")
		} else {
			b.WriteString("False")
		}
	case Int:
		b.WriteString(strconv.FormatInt(int64(x), 10))
	case *BigInt:
		b.WriteString(BigIntString(th, x))
	case Float:
		b.WriteString(FormatFloat(float64(x)))
	case Str:
		b.WriteString(QuoteStr(string(x)))
	case Bytes:
		b.WriteString(quoteBytes(string(x)))
	case *List:
		seen = append(seen, v)
		b.WriteByte('[')
		for i, e := range x.items() {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(th, b, e, seen)
		}
		b.WriteByte(']')
	case Tuple:
		b.WriteByte('(')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(th, b, e, seen)
		}
		if len(x) == 1 {
			b.WriteByte(',')
		}
		b.WriteByte(')')
	case *Dict:
		seen = append(seen, v)
		if x.Default != nil {
			b.WriteString("defaultdict(")
			writeRepr(th, b, x.Default, seen)
			b.WriteString(", ")
		} else if x.cls != nil && x.cls != DictClass {
			if r, owner := x.cls.Lookup("__repr__"); r != nil && owner != DictClass {
				b.WriteString(ToStr(th, th.callMethod(x, r, nil, nil))) // e.g. Counter's
				return
			}
			b.WriteString(x.cls.Name + "(")
		}
		b.WriteByte('{')
		i := 0
		for _, e := range x.entries {
			if e.deleted() {
				continue
			}
			if i > 0 {
				b.WriteString(", ")
			}
			i++
			writeRepr(th, b, e.key, seen)
			b.WriteString(": ")
			writeRepr(th, b, e.val, seen)
		}
		b.WriteByte('}')
		if x.Default != nil || x.cls != nil && x.cls != DictClass {
			b.WriteByte(')')
		}
	case *Set:
		elems := x.Elems()
		if len(elems) == 0 {
			if x.Frozen {
				b.WriteString("frozenset()")
			} else {
				b.WriteString("set()")
			}
			return
		}
		if x.Frozen {
			b.WriteString("frozenset(")
		}
		b.WriteByte('{')
		for i, e := range elems {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(th, b, e, seen)
		}
		b.WriteByte('}')
		if x.Frozen {
			b.WriteByte(')')
		}
	case *Range:
		if x.step == 1 {
			fmt.Fprintf(b, "range(%d, %d)", x.start, x.stop)
		} else {
			fmt.Fprintf(b, "range(%d, %d, %d)", x.start, x.stop, x.step)
		}
	case *Instance:
		writeInstanceRepr(th, b, x, append(seen, v))
	case *Class:
		if x.Kind == KindBuiltin {
			fmt.Fprintf(b, "<class '%s'>", x.Name)
		} else {
			fmt.Fprintf(b, "<class '%s.%s'>", x.Module, x.Name)
		}
	case *Function:
		fmt.Fprintf(b, "<function %s at 0x%x>", x.code.QualName, uintptr(unsafe.Pointer(x)))
	case *Builtin:
		if x.Self != nil {
			fmt.Fprintf(b, "<built-in method %s of %s object>", x.Name, TypeName(x.Self))
		} else {
			fmt.Fprintf(b, "<built-in function %s>", x.Name)
		}
	case *BoundMethod:
		fmt.Fprintf(b, "<bound method %s of ", funcName(x.Fn))
		writeRepr(th, b, x.Self, seen)
		b.WriteByte('>')
	case *Module:
		fmt.Fprintf(b, "<module '%s'>", x.Name)
	case EllipsisType:
		b.WriteString("Ellipsis")
	case NotImplementedType:
		b.WriteString("NotImplemented")
	case *SliceObj:
		b.WriteString("slice(")
		writeRepr(th, b, x.Start, seen)
		b.WriteString(", ")
		writeRepr(th, b, x.Stop, seen)
		b.WriteString(", ")
		writeRepr(th, b, x.Step, seen)
		b.WriteByte(')')
	case Reprer:
		b.WriteString(x.ReprJac(th))
	default:
		fmt.Fprintf(b, "<%s object>", TypeName(v))
	}
}

func funcName(f Value) string {
	switch x := f.(type) {
	case *Function:
		return x.code.QualName
	case *Builtin:
		return x.Name
	}
	return "?"
}

func writeInstanceRepr(th *Thread, b *strings.Builder, x *Instance, seen []Value) {
	if m, owner := x.cls.Lookup("__repr__"); m != nil && (owner.Kind != KindBuiltin || owner.library) {
		b.WriteString(strResult(th, th.callMethod(x, m, nil, nil), "__repr__"))
		return
	}
	switch {
	case x.cls.Kind == KindEnum:
		name, _ := x.getExtra("name")
		val, _ := x.getExtra("value")
		fmt.Fprintf(b, "<%s.%s: ", x.cls.Name, name.(Str))
		writeRepr(th, b, val, seen)
		b.WriteByte('>')
	case x.cls.Kind.IsArchetype():
		b.WriteString(x.cls.Name)
		b.WriteByte('(')
		i := 0
		for fi, f := range x.cls.Fields {
			if x.cls.Kind == KindWalker && f.Name == "reports" {
				continue
			}
			if i > 0 {
				b.WriteString(", ")
			}
			i++
			b.WriteString(f.Name)
			b.WriteByte('=')
			v := x.fields[fi]
			if v == nil {
				b.WriteString("<unset>")
				continue
			}
			writeRepr(th, b, v, seen)
		}
		b.WriteByte(')')
	case x.cls.isExc:
		b.WriteString(x.cls.Name)
		args := x.excData().args
		if len(args) == 1 {
			b.WriteByte('(')
			writeRepr(th, b, args[0], seen)
			b.WriteByte(')')
		} else {
			writeRepr(th, b, args, seen)
		}
	default:
		fmt.Fprintf(b, "<%s.%s object at 0x%x>", x.cls.Module, x.cls.Name, uintptr(unsafe.Pointer(x)))
	}
}

// exceptionStr is str() of an exception.
func exceptionStr(th *Thread, x *Instance) string {
	if m, owner := x.cls.Lookup("__str__"); m != nil && (owner.Kind != KindBuiltin || owner.library) && th != nil {
		return strResult(th, th.callMethod(x, m, nil, nil), "__str__")
	}
	d := x.excData()
	args := d.args
	if x.cls.IsSubclass(OSErrorClass) && len(args) >= 2 && len(args) <= 3 {
		msg := fmt.Sprintf("[Errno %s] %s", ToStr(th, args[0]), ToStr(th, args[1]))
		fname := d.readRare().filename
		if fname == nil && len(args) == 3 {
			fname = args[2]
		}
		if fname != nil {
			msg += ": " + Repr(th, fname)
		}
		return msg
	}
	switch len(args) {
	case 0:
		return ""
	case 1:
		if x.cls.IsSubclass(KeyErrorClass) {
			return Repr(th, args[0])
		}
		return ToStr(th, args[0])
	}
	return Repr(th, args)
}

// FormatFloat renders a float as Python's repr does.
func FormatFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // d.ddddde±XX
	mant, expS, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(expS)
	neg := strings.HasPrefix(mant, "-")
	if neg {
		mant = mant[1:]
	}
	digits := strings.Replace(mant, ".", "", 1)
	var out string
	if exp < -4 || exp >= 16 {
		out = digits[:1]
		if len(digits) > 1 {
			out += "." + digits[1:]
		}
		sign := "+"
		if exp < 0 {
			sign = "-"
			exp = -exp
		}
		out += fmt.Sprintf("e%s%02d", sign, exp)
	} else if exp < 0 {
		out = "0." + strings.Repeat("0", -exp-1) + digits
	} else {
		if len(digits) <= exp+1 {
			out = digits + strings.Repeat("0", exp+1-len(digits)) + ".0"
		} else {
			out = digits[:exp+1] + "." + digits[exp+1:]
		}
	}
	if neg {
		out = "-" + out
	}
	return out
}

// QuoteStr renders a str literal as Python's repr does.
func QuoteStr(s string) string {
	q := byte('\'')
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		q = '"'
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte(q)
	for i, r := range s {
		switch {
		case r == rune(q) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r >= 0x80 && !unicode.IsPrint(r):
			switch {
			case r < 0x100:
				fmt.Fprintf(&b, `\x%02x`, r)
			case r < 0x10000:
				fmt.Fprintf(&b, `\u%04x`, r)
			default:
				fmt.Fprintf(&b, `\U%08x`, r)
			}
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\ufffd"):
			b.WriteString(`\ufffd`) // a byte that is not UTF-8; U+FFFD itself is printable
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
	return b.String()
}

func quoteBytes(s string) string {
	q := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		q = '"'
	}
	var b strings.Builder
	b.WriteString("b")
	b.WriteByte(q)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == q || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte(q)
	return b.String()
}

// asciiRepr is ascii(v): repr with non-ASCII escaped.
func asciiRepr(th *Thread, v Value) string {
	r := Repr(th, v)
	var b strings.Builder
	for _, c := range r {
		switch {
		case c < 0x80:
			b.WriteRune(c)
		case c < 0x100:
			fmt.Fprintf(&b, `\x%02x`, c)
		case c < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			fmt.Fprintf(&b, `\U%08x`, c)
		}
	}
	return b.String()
}
