package interp

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

// fmtSpec is a parsed format specification (Python's mini-language).
type fmtSpec struct {
	fill     rune
	align    byte
	sign     byte
	negZero  bool // the 'z' option: a float rounding to -0 is printed as 0
	alt      bool
	zero     bool
	width    int
	grouping byte
	prec     int
	typ      byte
}

func parseSpec(th *Thread, s string) fmtSpec {
	sp := fmtSpec{fill: ' ', prec: -1}
	fillSet := false
	i := 0
	if len(s) >= 2 {
		r, n := utf8.DecodeRuneInString(s)
		if n < len(s) && strings.IndexByte("<>=^", s[n]) >= 0 {
			sp.fill, sp.align = r, s[n]
			fillSet = true
			i = n + 1
		}
	}
	if sp.align == 0 && i < len(s) && strings.IndexByte("<>=^", s[i]) >= 0 {
		sp.align = s[i]
		i++
	}
	if i < len(s) && strings.IndexByte("+- ", s[i]) >= 0 {
		sp.sign = s[i]
		i++
	}
	if i < len(s) && s[i] == 'z' {
		sp.negZero = true
		i++
	}
	if i < len(s) && s[i] == '#' {
		sp.alt = true
		i++
	}
	if i < len(s) && s[i] == '0' {
		sp.zero = true
		if !fillSet {
			sp.fill = '0' // as CPython: '=08' and '<08' pad with zeros too
		}
		i++
	}
	j := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > j {
		sp.width = specNumber(th, s[j:i])
	}
	if i < len(s) && (s[i] == ',' || s[i] == '_') {
		sp.grouping = s[i]
		i++
	}
	if i < len(s) && s[i] == '.' {
		i++
		j = i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == j {
			th.ValueError("Format specifier missing precision")
		}
		sp.prec = specNumber(th, s[j:i])
	}
	if i < len(s) {
		sp.typ = s[i]
		i++
	}
	if i != len(s) {
		th.ValueError("Invalid format specifier '%s'", s)
	}
	return sp
}

// Format is Python's format(v, spec).
func Format(th *Thread, v Value, spec string) string {
	if o, ok := v.(*Instance); ok {
		if m, owner := o.cls.Lookup("__format__"); m != nil && (owner.Kind != KindBuiltin || owner.library) {
			return strResult(th, th.callMethod(o, m, []Value{Str(spec)}, nil), "__format__")
		}
		if o.cls.Kind == KindEnum && o.cls.enumBase != nil {
			val, _ := o.getExtra("value")
			return Format(th, val, spec)
		}
	}
	if f, ok := v.(Formatter); ok {
		return f.FormatJac(th, spec)
	}
	if spec == "" {
		return ToStr(th, v)
	}
	sp := parseSpec(th, spec)
	switch x := v.(type) {
	case Bool:
		return Format(th, MakeInt(b2i(x)), spec) // bool.__format__ is int's for a non-empty spec
	case Int:
		checkIntSpec(th, sp)
		if sp.typ == 0 || strings.IndexByte("bcdoxXn", sp.typ) >= 0 {
			return formatSmallInt(int64(x), sp)
		}
		return formatFloat(th, float64(x), sp)
	case *BigInt:
		checkIntSpec(th, sp)
		if sp.typ == 0 || strings.IndexByte("bcdoxXn", sp.typ) >= 0 {
			return formatInt(th, x.v, sp)
		}
		f, _ := toFloat(x)
		return formatFloat(th, f, sp)
	case Float:
		if sp.typ != 0 && strings.IndexByte("eEfFgGn%", sp.typ) < 0 {
			th.ValueError("Unknown format code '%c' for object of type 'float'", sp.typ)
		}
		return formatFloat(th, float64(x), sp)
	case Str:
		switch {
		case sp.typ != 0 && sp.typ != 's':
			th.ValueError("Unknown format code '%c' for object of type 'str'", sp.typ)
		case sp.sign != 0:
			th.ValueError("Sign not allowed in string format specifier")
		case sp.negZero:
			th.ValueError("Negative zero coercion (z) not allowed in string format specifier")
		case sp.alt:
			th.ValueError("Alternate form (#) not allowed in string format specifier")
		case sp.align == '=':
			th.ValueError("'=' alignment not allowed in string format specifier")
		}
		s := string(x)
		if sp.prec >= 0 && utf8.RuneCountInString(s) > sp.prec {
			s = string([]rune(s)[:sp.prec])
		}
		return pad(s, sp, false)
	case *Instance:
		if x.cls.Kind != KindEnum { // Enum.__format__ formats str(member)
			th.TypeError("unsupported format string passed to %s.__format__", TypeName(v))
		}
	case NoneType, Tuple, *List, *Dict, *Set, Bytes:
		// object.__format__ takes only the empty spec
		th.TypeError("unsupported format string passed to %s.__format__", TypeName(v))
	}
	return pad(ToStr(th, v), sp, false)
}

// checkIntSpec rejects what int.__format__ rejects.
func checkIntSpec(th *Thread, sp fmtSpec) {
	if sp.typ != 0 && strings.IndexByte("bcdoxXneEfFgG%", sp.typ) < 0 {
		th.ValueError("Unknown format code '%c' for object of type 'int'", sp.typ)
	}
	intPresentation := sp.typ == 0 || strings.IndexByte("bcdoxXn", sp.typ) >= 0
	if sp.prec >= 0 && intPresentation {
		th.ValueError("Precision not allowed in integer format specifier")
	}
	if sp.negZero && intPresentation {
		th.ValueError("Negative zero coercion (z) not allowed in integer format specifier")
	}
	if sp.typ == 'c' && sp.sign != 0 {
		th.ValueError("Sign not allowed with integer format specifier 'c'")
	}
}

// Formatter is implemented by library values with their own __format__.
type Formatter interface {
	FormatJac(th *Thread, spec string) string
}

func pad(s string, sp fmtSpec, numeric bool) string {
	n := utf8.RuneCountInString(s)
	if n >= sp.width {
		return s
	}
	align := sp.align
	fill := sp.fill
	if align == 0 {
		if numeric {
			align = '>'
		} else {
			align = '<'
		}
		if sp.zero {
			fill = '0'
			if numeric {
				align = '='
			}
		}
	}
	padding := sp.width - n
	f := string(fill)
	switch align {
	case '<':
		return s + strings.Repeat(f, padding)
	case '>':
		return strings.Repeat(f, padding) + s
	case '^':
		left := padding / 2
		return strings.Repeat(f, left) + s + strings.Repeat(f, padding-left)
	case '=':
		sign := ""
		if len(s) > 0 && (s[0] == '-' || s[0] == '+' || s[0] == ' ') {
			sign, s = s[:1], s[1:]
		}
		prefix := ""
		if len(s) > 1 && s[0] == '0' && strings.IndexByte("xXbBoO", s[1]) >= 0 {
			prefix, s = s[:2], s[2:]
		}
		return sign + prefix + strings.Repeat(f, padding) + s
	}
	return s
}

func group(digits string, sep byte, every int) string {
	if len(digits) <= every {
		return digits
	}
	var b strings.Builder
	first := len(digits) % every
	if first > 0 {
		b.WriteString(digits[:first])
	}
	for i := first; i < len(digits); i += every {
		if b.Len() > 0 {
			b.WriteByte(sep)
		}
		b.WriteString(digits[i : i+every])
	}
	return b.String()
}

func signOf(neg bool, sign byte) string {
	if neg {
		return "-"
	}
	switch sign {
	case '+':
		return "+"
	case ' ':
		return " "
	}
	return ""
}

func formatInt(th *Thread, v *big.Int, sp fmtSpec) string {
	if sp.typ == 'c' {
		return pad(string(rune(v.Int64())), sp, false)
	}
	a := new(big.Int).Abs(v)
	base := intSpecBase(sp.typ)
	if base == 10 {
		th.checkIntToStr(a.BitLen())
	}
	return formatIntDigits(v.Sign() < 0, a.Text(base), sp)
}

// formatSmallInt is formatInt for an int that fits int64, without math/big.
func formatSmallInt(x int64, sp fmtSpec) string {
	if sp.typ == 'c' {
		return pad(string(rune(x)), sp, false)
	}
	u := uint64(x)
	if x < 0 {
		u = -u // also right for math.MinInt64
	}
	var buf [64]byte
	return formatIntDigits(x < 0, string(strconv.AppendUint(buf[:0], u, intSpecBase(sp.typ))), sp)
}

// intSpecBase is the base of an int presentation type.
func intSpecBase(typ byte) int {
	switch typ {
	case 'x', 'X':
		return 16
	case 'o':
		return 8
	case 'b':
		return 2
	}
	return 10
}

// formatIntDigits lays out an int's digits (of its absolute value, in the spec's
// base, lower case) as the spec asks: case, grouping, sign, prefix and padding.
func formatIntDigits(neg bool, digits string, sp fmtSpec) string {
	var prefix string
	switch sp.typ {
	case 'x':
		prefix = "0x"
	case 'X':
		digits, prefix = strings.ToUpper(digits), "0X"
	case 'o':
		prefix = "0o"
	case 'b':
		prefix = "0b"
	}
	if sp.grouping != 0 {
		every := 3
		if prefix != "" {
			every = 4
		}
		digits = group(digits, sp.grouping, every)
	}
	if !sp.alt {
		prefix = ""
	}
	return pad(signOf(neg, sp.sign)+prefix+digits, sp, true)
}

func formatFloat(th *Thread, f float64, sp fmtSpec) string {
	neg := math.Signbit(f) && !math.IsNaN(f)
	a := math.Abs(f)
	prec := sp.prec
	var body string
	switch {
	case math.IsInf(a, 0):
		body = "inf"
		if sp.typ == 'F' || sp.typ == 'E' || sp.typ == 'G' {
			body = "INF"
		}
	case math.IsNaN(a):
		body = "nan"
		if sp.typ == 'F' || sp.typ == 'E' || sp.typ == 'G' {
			body = "NAN"
		}
	default:
		switch sp.typ {
		case 'f', 'F':
			if prec < 0 {
				prec = 6
			}
			body = strconv.FormatFloat(a, 'f', prec, 64)
		case 'e', 'E':
			if prec < 0 {
				prec = 6
			}
			body = fixExp(strconv.FormatFloat(a, 'e', prec, 64))
			if sp.typ == 'E' {
				body = strings.ToUpper(body)
			}
		case '%':
			if prec < 0 {
				prec = 6
			}
			body = strconv.FormatFloat(a*100, 'f', prec, 64) + "%"
		case 'g', 'G', 'n':
			if prec < 0 {
				prec = 6
			}
			if prec == 0 {
				prec = 1
			}
			body = formatG(a, prec, sp.alt)
			if sp.typ == 'G' {
				body = strings.ToUpper(body)
			}
		case 0:
			if prec < 0 {
				body = FormatFloat(a)
			} else {
				body = formatG(a, max(prec, 1), false)
				if !strings.ContainsAny(body, ".e") {
					body += ".0"
				}
			}
		default:
			th.ValueError("Unknown format code '%c' for object of type 'float'", sp.typ)
		}
	}
	if sp.negZero && neg && roundsToZero(body) {
		neg = false
	}
	if sp.grouping != 0 {
		intPart, frac, hasFrac := strings.Cut(body, ".")
		if !strings.ContainsAny(intPart, "e%n") {
			intPart = group(intPart, sp.grouping, 3)
		}
		if hasFrac {
			body = intPart + "." + frac
		} else {
			body = intPart
		}
	}
	return pad(signOf(neg, sp.sign)+body, sp, true)
}

// roundsToZero reports whether a formatted magnitude (digits, point, exponent,
// percent sign) is zero: it has digits and none of its mantissa's is non-zero.
func roundsToZero(body string) bool {
	mantissa, _, _ := strings.Cut(strings.ToLower(body), "e")
	return strings.ContainsRune(mantissa, '0') && !strings.ContainsAny(mantissa, "123456789")
}

// formatG implements %g: significant digits, trailing zeros removed.
func formatG(a float64, prec int, alt bool) string {
	if a == 0 {
		return "0"
	}
	exp := int(math.Floor(math.Log10(a)))
	// rounding may bump the exponent
	s := strconv.FormatFloat(a, 'e', prec-1, 64)
	if e := strings.Index(s, "e"); e >= 0 {
		exp, _ = strconv.Atoi(s[e+1:])
	}
	var out string
	if exp < -4 || exp >= prec {
		out = fixExp(s)
		if !alt {
			mant, ex, _ := strings.Cut(out, "e")
			if strings.Contains(mant, ".") {
				mant = strings.TrimRight(strings.TrimRight(mant, "0"), ".")
			}
			out = mant + "e" + ex
		}
		return out
	}
	out = strconv.FormatFloat(a, 'f', max(prec-1-exp, 0), 64)
	if !alt && strings.Contains(out, ".") {
		out = strings.TrimRight(strings.TrimRight(out, "0"), ".")
	}
	return out
}

// fixExp turns Go's e+5 into Python's e+05.
func fixExp(s string) string {
	i := strings.IndexAny(s, "eE")
	if i < 0 {
		return s
	}
	mant, exp := s[:i+1], s[i+1:]
	sign := exp[:1]
	digits := exp[1:]
	if len(digits) < 2 {
		digits = "0" + digits
	}
	return mant + sign + digits
}

// percentFormat is str % args.
func percentFormat(th *Thread, format string, arg Value) string {
	var args []Value
	var mapping *Dict
	switch a := arg.(type) {
	case Tuple:
		args = a
	case *Dict:
		mapping = a
		args = []Value{a}
	default:
		args = []Value{arg}
	}
	ai := 0
	next := func() Value {
		if ai >= len(args) {
			th.TypeError("not enough arguments for format string")
		}
		ai++
		return args[ai-1]
	}
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(format) {
			th.ValueError("incomplete format")
		}
		if format[i] == '%' {
			b.WriteByte('%')
			continue
		}
		var v Value
		if format[i] == '(' {
			end := strings.IndexByte(format[i:], ')')
			if end < 0 || mapping == nil {
				th.TypeError("format requires a mapping")
			}
			key := format[i+1 : i+end]
			v = GetItem(th, mapping, Str(key))
			i += end + 1
		}
		j := i
		for i < len(format) && strings.IndexByte("-+ #0123456789.*", format[i]) >= 0 {
			i++
		}
		flags := format[j:i]
		if i >= len(format) {
			th.ValueError("incomplete format")
		}
		conv := format[i]
		if v == nil {
			v = next()
		}
		spec := fmtSpec{fill: ' ', prec: -1}
		k := 0
		for k < len(flags) && strings.IndexByte("-+ #0", flags[k]) >= 0 {
			switch flags[k] {
			case '-':
				spec.align = '<'
			case '+':
				spec.sign = '+'
			case ' ':
				spec.sign = ' '
			case '#':
				spec.alt = true
			case '0':
				spec.zero = true
			}
			k++
		}
		w, p, _ := strings.Cut(flags[k:], ".")
		if w != "" {
			spec.width, _ = strconv.Atoi(w)
		}
		if strings.Contains(flags[k:], ".") {
			spec.prec, _ = strconv.Atoi(p)
		}
		if spec.align == '<' {
			spec.zero = false
		}
		if spec.align == 0 && !spec.zero {
			spec.align = '>'
		}
		switch conv {
		case 's':
			spec.prec = -1
			b.WriteString(pad(ToStr(th, v), spec, false))
		case 'r':
			b.WriteString(pad(Repr(th, v), spec, false))
		case 'd', 'i', 'u':
			spec.typ = 'd'
			minDigits := spec.prec // C's precision: at least this many digits
			spec.prec = -1
			if x, ok := v.(Int); ok && minDigits < 0 {
				var scratch [48]byte
				if out, ok := appendNumber(scratch[:0], x, &spec); ok {
					b.Write(out)
				} else {
					b.WriteString(formatSmallInt(int64(x), spec))
				}
				break
			}
			bi := percentIntArg(th, v)
			if minDigits >= 0 {
				digits := new(big.Int).Abs(bi).String()
				if len(digits) < minDigits {
					digits = strings.Repeat("0", minDigits-len(digits)) + digits
				}
				b.WriteString(formatIntDigits(bi.Sign() < 0, digits, spec))
				break
			}
			b.WriteString(formatInt(th, bi, spec))
		case 'x', 'X', 'o':
			spec.typ = conv
			if x, ok := v.(Int); ok {
				b.WriteString(formatSmallInt(int64(x), spec))
				break
			}
			b.WriteString(formatInt(th, bigOf(v), spec))
		case 'f', 'F', 'e', 'E', 'g', 'G':
			spec.typ = conv
			var scratch [48]byte
			if out, ok := appendNumber(scratch[:0], v, &spec); ok { // a float under 'f'
				b.Write(out)
				break
			}
			b.WriteString(formatFloat(th, ToFloat(th, v), spec))
		case 'c':
			if s, ok := v.(Str); ok {
				b.WriteString(string(s))
			} else {
				b.WriteRune(rune(toInt64(th, v)))
			}
		default:
			th.ValueError("unsupported format character '%c' (0x%x)", conv, conv)
		}
	}
	if mapping == nil && ai < len(args) {
		th.TypeError("not all arguments converted during string formatting")
	}
	return b.String()
}

// percentIntArg is the integer value of a %d argument: an int, a float
// truncated toward zero, or what __int__ returns (Decimal, Fraction).
func percentIntArg(th *Thread, v Value) *big.Int {
	if f, ok := v.(Float); ok {
		switch {
		case math.IsNaN(float64(f)):
			th.ValueError("cannot convert float NaN to integer")
		case math.IsInf(float64(f), 0):
			th.Raise(OverflowErrorClass, "cannot convert float infinity to integer")
		}
		bi, _ := big.NewFloat(float64(f)).Int(nil)
		return bi
	}
	if bi := bigOf(v); bi != nil {
		return bi
	}
	if r, has := callDunder(th, v, "__int__"); has {
		if bi := bigOf(r); bi != nil {
			return bi
		}
	}
	th.TypeError("%%d format: a real number is required, not %s", TypeName(v))
	return nil
}

// parseSpecAhead parses a format spec known when the code is compiled (an
// f-string's literal {x:05d}), so that running it does not parse it again; nil
// when the spec is invalid (formatting it raises then, as CPython does at run
// time).
func parseSpecAhead(spec string) (sp *fmtSpec) {
	if spec == "" {
		return nil
	}
	defer func() {
		if recover() != nil { // parseSpec's ValueError: left to run time
			sp = nil
		}
	}()
	parsed := parseSpec(nil, spec)
	return &parsed
}

// appendFormatted appends format(v, spec) to b. sp is spec parsed ahead (or
// nil): with it, an int under a plain decimal spec and a finite float under
// 'f' are written straight into b; anything else goes through Format.
func appendFormatted(b []byte, th *Thread, v Value, spec string, sp *fmtSpec) []byte {
	if sp != nil {
		if out, ok := appendNumber(b, v, sp); ok {
			return out
		}
	}
	return append(b, Format(th, v, spec)...)
}

// appendFormattedAt is appendFormatted for a spec known only at run time (a
// str.format field): an int or float has its spec parsed here (parseSpec
// raises what Format would), anything else keeps its own __format__'s reading.
func appendFormattedAt(b []byte, th *Thread, v Value, spec string) []byte {
	switch x := v.(type) {
	case Str:
		if spec == "" {
			return append(b, x...)
		}
	case Int:
		if spec == "" {
			return strconv.AppendInt(b, int64(x), 10)
		}
		sp := parseSpec(th, spec)
		return appendFormatted(b, th, v, spec, &sp)
	case Float:
		if spec != "" {
			sp := parseSpec(th, spec)
			return appendFormatted(b, th, v, spec, &sp)
		}
	}
	return append(b, Format(th, v, spec)...)
}

// appendNumber appends an int under a plain decimal spec or a finite float
// under 'f' to b, as Format would write them; ok is false for anything else.
func appendNumber(b []byte, v Value, sp *fmtSpec) (out []byte, ok bool) {
	if sp.grouping != 0 || sp.negZero {
		return b, false
	}
	var digits [32]byte
	switch x := v.(type) {
	case Int:
		if (sp.typ == 0 || sp.typ == 'd') && sp.prec < 0 {
			u := uint64(x)
			if x < 0 {
				u = -u
			}
			body := append(digits[:0], signOf(x < 0, sp.sign)...)
			return appendPadded(b, strconv.AppendUint(body, u, 10), sp), true
		}
	case Float:
		f := float64(x)
		if (sp.typ == 'f' || sp.typ == 'F') && !math.IsInf(f, 0) && !math.IsNaN(f) {
			prec := sp.prec
			if prec < 0 {
				prec = 6
			}
			body := append(digits[:0], signOf(math.Signbit(f), sp.sign)...)
			return appendPadded(b, strconv.AppendFloat(body, math.Abs(f), 'f', prec, 64), sp), true
		}
	}
	return b, false
}

// appendPadded appends a number's ASCII text (sign first) padded to sp's width,
// as pad does for a numeric value.
func appendPadded(b, body []byte, sp *fmtSpec) []byte {
	padding := sp.width - len(body)
	if padding <= 0 {
		return append(b, body...)
	}
	align, fill := sp.align, sp.fill
	if align == 0 {
		align = '>'
		if sp.zero {
			fill, align = '0', '='
		}
	}
	appendFill := func(b []byte, n int) []byte {
		for ; n > 0; n-- {
			b = utf8.AppendRune(b, fill)
		}
		return b
	}
	switch align {
	case '<':
		return appendFill(append(b, body...), padding)
	case '^':
		left := padding / 2
		return appendFill(append(appendFill(b, left), body...), padding-left)
	case '=':
		if len(body) > 0 && (body[0] == '-' || body[0] == '+' || body[0] == ' ') {
			b = append(b, body[0])
			body = body[1:]
		}
		return append(appendFill(b, padding), body...)
	}
	return append(appendFill(b, padding), body...)
}
