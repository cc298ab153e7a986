package datetime

import (
	"cmp"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/internal/native"
	"github.com/jacscale/jac/runtime/stdlib/internal/timefmt"
	"github.com/jacscale/jac/runtime/syntax"
)

const usPerDay = int64(86400000000)

func newClass(name string) *interp.Class {
	c := interp.NewBuiltinClass(name)
	c.Module = "datetime"
	return c
}

var (
	tdClass = newClass("timedelta")
	dClass  = newClass("date")
	tClass  = newClass("time")
	dtCls   = func() *interp.Class { c := interp.NewBuiltinClass("datetime", dClass); c.Module = "datetime"; return c }()
	tzClass = newClass("timezone")
)

// ---- timedelta ----

type tdV struct{ days, secs, us int64 }

func (*tdV) Class() *interp.Class { return tdClass }

func tdFromUS(th *interp.Thread, us int64) *tdV {
	d := floorDivI(us, usPerDay)
	rem := us - d*usPerDay
	if d > 999999999 || d < -999999999 {
		th.Raise(interp.OverflowErrorClass, "days=%d; must have magnitude <= 999999999", d)
	}
	return &tdV{days: d, secs: rem / 1000000, us: rem % 1000000}
}

func floorDivI(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func (t *tdV) total() int64 { return t.days*usPerDay + t.secs*1000000 + t.us }

func (t *tdV) StrJac(th *interp.Thread) string {
	var b strings.Builder
	if t.days != 0 {
		s := "s"
		if t.days == 1 || t.days == -1 {
			s = ""
		}
		fmt.Fprintf(&b, "%d day%s, ", t.days, s)
	}
	fmt.Fprintf(&b, "%d:%02d:%02d", t.secs/3600, t.secs/60%60, t.secs%60)
	if t.us != 0 {
		fmt.Fprintf(&b, ".%06d", t.us)
	}
	return b.String()
}

func (t *tdV) ReprJac(th *interp.Thread) string {
	var parts []string
	if t.days != 0 {
		parts = append(parts, fmt.Sprintf("days=%d", t.days))
	}
	if t.secs != 0 {
		parts = append(parts, fmt.Sprintf("seconds=%d", t.secs))
	}
	if t.us != 0 {
		parts = append(parts, fmt.Sprintf("microseconds=%d", t.us))
	}
	if len(parts) == 0 {
		return "datetime.timedelta(0)"
	}
	return "datetime.timedelta(" + strings.Join(parts, ", ") + ")"
}

func (t *tdV) HashJac(th *interp.Thread) uint64 { return interp.Hash(th, interp.MakeInt(t.total())) }

func (t *tdV) EqualJac(th *interp.Thread, o interp.Value) (bool, bool) {
	if u, ok := o.(*tdV); ok {
		return t.total() == u.total(), true
	}
	return false, true
}

func (t *tdV) CompareJac(th *interp.Thread, o interp.Value) (int, bool) {
	if u, ok := o.(*tdV); ok {
		a, b := t.total(), u.total()
		return cmp.Compare(a, b), true
	}
	return 0, false
}

func roundHalfEvenF(f float64) int64 { return int64(math.RoundToEven(f)) }

func (t *tdV) BinaryJac(th *interp.Thread, op syntax.Token, other interp.Value, right bool) interp.Value {
	if other == nil {
		switch op {
		case syntax.MINUS:
			return tdFromUS(th, -t.total())
		case syntax.PLUS:
			return t
		}
		return nil
	}
	switch o := other.(type) {
	case *tdV:
		a, b := t.total(), o.total()
		if right {
			a, b = b, a
		}
		switch op {
		case syntax.PLUS:
			return tdFromUS(th, a+b)
		case syntax.MINUS:
			return tdFromUS(th, a-b)
		case syntax.SLASH:
			if b == 0 {
				th.Raise(interp.ZeroDivisionErrorClass, "division by zero")
			}
			return interp.Float(float64(a) / float64(b))
		case syntax.DSLASH:
			if b == 0 {
				th.Raise(interp.ZeroDivisionErrorClass, "integer division or modulo by zero")
			}
			return interp.MakeInt(floorDivI(a, b))
		case syntax.PERCENT:
			if b == 0 {
				th.Raise(interp.ZeroDivisionErrorClass, "integer division or modulo by zero")
			}
			return tdFromUS(th, a-floorDivI(a, b)*b)
		}
	case interp.Int, interp.Bool:
		n := interp.ToInt64(th, o)
		switch {
		case op == syntax.STAR:
			return tdFromUS(th, t.total()*n)
		case op == syntax.DSLASH && !right:
			if n == 0 {
				th.Raise(interp.ZeroDivisionErrorClass, "integer division or modulo by zero")
			}
			return tdFromUS(th, floorDivI(t.total(), n))
		case op == syntax.SLASH && !right:
			if n == 0 {
				th.Raise(interp.ZeroDivisionErrorClass, "division by zero")
			}
			return tdFromUS(th, roundHalfEvenF(float64(t.total())/float64(n)))
		}
	case interp.Float:
		f := float64(o)
		switch {
		case op == syntax.STAR:
			return tdFromUS(th, roundHalfEvenF(float64(t.total())*f))
		case op == syntax.SLASH && !right:
			if f == 0 {
				th.Raise(interp.ZeroDivisionErrorClass, "division by zero")
			}
			return tdFromUS(th, roundHalfEvenF(float64(t.total())/f))
		}
	}
	return nil
}

func (t *tdV) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	switch name {
	case "days":
		return interp.MakeInt(t.days), true
	case "seconds":
		return interp.MakeInt(t.secs), true
	case "microseconds":
		return interp.MakeInt(t.us), true
	}
	return nil, false
}

func tdNew(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	a := interp.ParseArgs(th, "timedelta", args, kw, "days?", "seconds?", "microseconds?", "milliseconds?", "minutes?", "hours?", "weeks?")
	mult := []float64{86400e6, 1e6, 1, 1e3, 60e6, 3600e6, 7 * 86400e6}
	var total int64
	var frac float64
	for i, v := range a {
		if v == nil {
			continue
		}
		switch x := v.(type) {
		case interp.Int, interp.Bool:
			total += interp.ToInt64(th, x) * int64(mult[i])
		case interp.Float:
			f := float64(x) * mult[i]
			w := math.Trunc(f)
			total += int64(w)
			frac += f - w
		default:
			th.TypeError("unsupported type for timedelta %s component: %s", []string{"days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks"}[i], interp.TypeName(v))
		}
	}
	total += roundHalfEvenF(frac)
	return tdFromUS(th, total)
}

// ---- timezone ----

type tzV struct {
	off  int64 // microseconds
	name string
}

func (*tzV) Class() *interp.Class { return tzClass }

var tzUTC = &tzV{}

func (z *tzV) tzname() string {
	if z.name != "" {
		return z.name
	}
	if z.off == 0 {
		return "UTC"
	}
	return "UTC" + timefmt.FormatOffset(z.off, ":", false)
}

func (z *tzV) StrJac(th *interp.Thread) string { return z.tzname() }

func (z *tzV) ReprJac(th *interp.Thread) string {
	if z.off == 0 && z.name == "" {
		return "datetime.timezone.utc"
	}
	s := "datetime.timezone(" + tdFromUS(th, z.off).ReprJac(th)
	if z.name != "" {
		s += ", " + interp.QuoteStr(z.name)
	}
	return s + ")"
}

func (z *tzV) HashJac(th *interp.Thread) uint64 { return interp.Hash(th, interp.MakeInt(z.off)) }

func (z *tzV) EqualJac(th *interp.Thread, o interp.Value) (bool, bool) {
	if u, ok := o.(*tzV); ok {
		return z.off == u.off, true
	}
	return false, true
}

func (z *tzV) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	switch name {
	case "utcoffset":
		return interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value { return tdFromUS(th, z.off) }), true
	case "tzname":
		return interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value { return interp.Str(z.tzname()) }), true
	case "dst":
		return interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value { return interp.None }), true
	case "fromutc":
		return interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value {
			native.CheckArgCount(th, name, a, 1)
			return z.fromUTC(th, a[0])
		}), true
	}
	return nil, false
}

// fromUTC is timezone.fromutc(dt): dt, whose tzinfo must be z, read as UTC
// and moved to z's local time.
func (z *tzV) fromUTC(th *interp.Thread, v interp.Value) interp.Value {
	dt, ok := v.(*dtV)
	if !ok || !dt.isDT {
		th.TypeError("fromutc: argument must be a datetime")
	}
	if dt.tz != z {
		th.ValueError("fromutc: dt.tzinfo is not self")
	}
	return dtFromUS(th, dt.usOf()+z.off, true, z)
}

// utcoffset is the utcoffset() of a datetime or time in zone z: None when
// naive.
func (z *tzV) utcoffset(th *interp.Thread) interp.Value {
	if z == nil {
		return interp.None
	}
	return tdFromUS(th, z.off)
}

// tznameOrNone is the tzname() of a datetime or time in zone z.
func (z *tzV) tznameOrNone() interp.Value {
	if z == nil {
		return interp.None
	}
	return interp.Str(z.tzname())
}

// orNone is z as a Jac value: None for a naive value's nil zone.
func (z *tzV) orNone() interp.Value {
	if z == nil {
		return interp.None
	}
	return z
}

// checkFold is the fold argument of the constructors and replace: 0 or 1.
func checkFold(th *interp.Thread, v interp.Value, d int) int {
	f := intOr(th, v, d)
	if f != 0 && f != 1 {
		th.ValueError("fold must be either 0 or 1")
	}
	return f
}

func tzArg(th *interp.Thread, v interp.Value) *tzV {
	if v == nil || v == interp.None {
		return nil
	}
	z, ok := v.(*tzV)
	if !ok {
		th.TypeError("tzinfo argument must be None or of a tzinfo subclass, not type '%s'", interp.TypeName(v))
	}
	return z
}

// ---- date / datetime (one Go type; isDT false for date) ----

type dtV struct {
	isDT         bool
	y, mo, d     int
	h, mi, s, us int
	tz           *tzV
	fold         int // 0 or 1: which of two wall times that repeat (PEP 495)
}

func (v *dtV) Class() *interp.Class {
	if v.isDT {
		return dtCls
	}
	return dClass
}

func fromOrdinal(n int64) (int, int, int) {
	t := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n-1))
	return t.Year(), int(t.Month()), t.Day()
}

func (v *dtV) ord() int64 { return timefmt.Ordinal(v.y, v.mo, v.d) }

// usOf is microseconds since 0001-01-01 of the naive fields.
func (v *dtV) usOf() int64 {
	return (v.ord()-1)*usPerDay + int64(v.h)*3600e6 + int64(v.mi)*60e6 + int64(v.s)*1e6 + int64(v.us)
}

func (v *dtV) utcUS() int64 {
	u := v.usOf()
	if v.tz != nil {
		u -= v.tz.off
	}
	return u
}

func dtFromUS(th *interp.Thread, us int64, isDT bool, tz *tzV) *dtV {
	days := floorDivI(us, usPerDay)
	rem := us - days*usPerDay
	if days < 0 || days >= 3652059 {
		th.Raise(interp.OverflowErrorClass, "date value out of range")
	}
	y, m, d := fromOrdinal(days + 1)
	return &dtV{isDT: isDT, y: y, mo: m, d: d, h: int(rem / 3600e6), mi: int(rem / 60e6 % 60), s: int(rem / 1e6 % 60), us: int(rem % 1e6), tz: tz}
}

func (v *dtV) dateISO() string { return fmt.Sprintf("%04d-%02d-%02d", v.y, v.mo, v.d) }

func timeISO(h, mi, s, us int, tz *tzV, spec string) string {
	var out string
	switch spec {
	case "hours":
		out = fmt.Sprintf("%02d", h)
	case "minutes":
		out = fmt.Sprintf("%02d:%02d", h, mi)
	case "seconds":
		out = fmt.Sprintf("%02d:%02d:%02d", h, mi, s)
	case "milliseconds":
		out = fmt.Sprintf("%02d:%02d:%02d.%03d", h, mi, s, us/1000)
	case "microseconds":
		out = fmt.Sprintf("%02d:%02d:%02d.%06d", h, mi, s, us)
	default:
		out = fmt.Sprintf("%02d:%02d:%02d", h, mi, s)
		if us != 0 {
			out += fmt.Sprintf(".%06d", us)
		}
	}
	if tz != nil {
		out += timefmt.FormatOffset(tz.off, ":", false)
	}
	return out
}

func (v *dtV) StrJac(th *interp.Thread) string {
	if !v.isDT {
		return v.dateISO()
	}
	return v.dateISO() + " " + timeISO(v.h, v.mi, v.s, v.us, v.tz, "auto")
}

func (v *dtV) ReprJac(th *interp.Thread) string {
	if !v.isDT {
		return fmt.Sprintf("datetime.date(%d, %d, %d)", v.y, v.mo, v.d)
	}
	s := fmt.Sprintf("datetime.datetime(%d, %d, %d, %d, %d", v.y, v.mo, v.d, v.h, v.mi)
	if v.us != 0 {
		s += fmt.Sprintf(", %d, %d", v.s, v.us)
	} else if v.s != 0 {
		s += fmt.Sprintf(", %d", v.s)
	}
	return s + tzFoldRepr(th, v.tz, v.fold) + ")"
}

func (v *dtV) HashJac(th *interp.Thread) uint64 {
	if !v.isDT {
		return interp.Hash(th, interp.MakeInt(v.ord()))
	}
	return interp.Hash(th, interp.MakeInt(v.utcUS()))
}

func (v *dtV) cmp(th *interp.Thread, o *dtV, eq bool) (int, bool) {
	if v.isDT != o.isDT {
		return 0, false
	}
	a, b := v.usOf(), o.usOf()
	if v.isDT {
		if (v.tz == nil) != (o.tz == nil) {
			if eq {
				return 1, true
			}
			th.TypeError("can't compare offset-naive and offset-aware datetimes")
		}
		a, b = v.utcUS(), o.utcUS()
	}
	return cmp.Compare(a, b), true
}

func (v *dtV) EqualJac(th *interp.Thread, o interp.Value) (bool, bool) {
	if u, ok := o.(*dtV); ok {
		c, ok := v.cmp(th, u, true)
		return ok && c == 0, true
	}
	return false, true
}

func (v *dtV) CompareJac(th *interp.Thread, o interp.Value) (int, bool) {
	if u, ok := o.(*dtV); ok {
		return v.cmp(th, u, false)
	}
	return 0, false
}

func (v *dtV) BinaryJac(th *interp.Thread, op syntax.Token, other interp.Value, right bool) interp.Value {
	switch o := other.(type) {
	case *tdV:
		if op == syntax.PLUS || (op == syntax.MINUS && !right) {
			delta := o.total()
			if op == syntax.MINUS {
				delta = -delta
			}
			if !v.isDT {
				delta = floorDivI(delta, usPerDay) * usPerDay
			}
			r := dtFromUS(th, v.usOf()+delta, v.isDT, v.tz)
			return r
		}
	case *dtV:
		if op == syntax.MINUS && o.isDT == v.isDT {
			a, b := v, o
			if right {
				a, b = o, v
			}
			if a.isDT {
				if (a.tz == nil) != (b.tz == nil) {
					th.TypeError("can't subtract offset-naive and offset-aware datetimes")
				}
				return tdFromUS(th, a.utcUS()-b.utcUS())
			}
			return tdFromUS(th, a.usOf()-b.usOf())
		}
	}
	return nil
}

func (v *dtV) FormatJac(th *interp.Thread, spec string) string {
	if spec == "" {
		return v.StrJac(th)
	}
	return strftime(v.y, v.mo, v.d, v.h, v.mi, v.s, v.us, v.tz, spec)
}

func parseISO(th *interp.Thread, s string, isDT bool) *dtV {
	bad := func() { th.ValueError("Invalid isoformat string: %s", interp.QuoteStr(s)) }
	v := &dtV{isDT: isDT}
	ds := s
	rest := ""
	if len(s) > 10 {
		ds, rest = s[:10], s[10:]
		if !isDT {
			bad()
		}
	}
	if len(ds) == 8 && !strings.Contains(ds, "-") {
		ds = ds[:4] + "-" + ds[4:6] + "-" + ds[6:]
	}
	if len(ds) != 10 || ds[4] != '-' || ds[7] != '-' {
		bad()
	}
	var err1, err2, err3 error
	v.y, err1 = strconv.Atoi(ds[:4])
	v.mo, err2 = strconv.Atoi(ds[5:7])
	v.d, err3 = strconv.Atoi(ds[8:])
	if err1 != nil || err2 != nil || err3 != nil {
		bad()
	}
	timefmt.CheckDate(th, v.y, v.mo, v.d)
	if rest != "" {
		rest = rest[1:]
		h, mi, sec, us, tz, ok := parseISOTime(rest)
		if !ok {
			bad()
		}
		v.h, v.mi, v.s, v.us, v.tz = h, mi, sec, us, tz
		timefmt.CheckTime(th, h, mi, sec, us)
	}
	return v
}

func parseISOTime(s string) (h, mi, sec, us int, tz *tzV, ok bool) {
	if i := strings.IndexAny(s, "+-Z"); i >= 0 {
		zs := s[i:]
		s = s[:i]
		if zs == "Z" {
			tz = tzUTC
		} else {
			sign := int64(1)
			if zs[0] == '-' {
				sign = -1
			}
			p := strings.Split(strings.ReplaceAll(zs[1:], ":", ""), "")
			z := strings.Join(p, "")
			if len(z) < 4 {
				return 0, 0, 0, 0, nil, false
			}
			hh, e1 := strconv.Atoi(z[:2])
			mm, e2 := strconv.Atoi(z[2:4])
			ss := 0
			if len(z) >= 6 {
				ss, _ = strconv.Atoi(z[4:6])
			}
			if e1 != nil || e2 != nil {
				return 0, 0, 0, 0, nil, false
			}
			off := sign * (int64(hh)*3600e6 + int64(mm)*60e6 + int64(ss)*1e6)
			if off == 0 {
				tz = tzUTC
			} else {
				tz = &tzV{off: off}
			}
		}
	}
	frac := ""
	if i := strings.IndexAny(s, ".,"); i >= 0 {
		frac = s[i+1:]
		s = s[:i]
	}
	parts := strings.Split(s, ":")
	if len(parts) == 1 && len(s) >= 4 && len(s)%2 == 0 {
		parts = nil
		for j := 0; j < len(s); j += 2 {
			parts = append(parts, s[j:j+2])
		}
	}
	vals := []int{0, 0, 0}
	if len(parts) > 3 || len(parts) == 0 {
		return 0, 0, 0, 0, nil, false
	}
	for j, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || len(p) != 2 {
			return 0, 0, 0, 0, nil, false
		}
		vals[j] = n
	}
	if frac != "" {
		if len(frac) > 6 {
			frac = frac[:6]
		}
		for len(frac) < 6 {
			frac += "0"
		}
		n, err := strconv.Atoi(frac)
		if err != nil {
			return 0, 0, 0, 0, nil, false
		}
		us = n
	}
	return vals[0], vals[1], vals[2], us, tz, true
}

func (v *dtV) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	switch name {
	case "year":
		return interp.MakeInt(int64(v.y)), true
	case "month":
		return interp.MakeInt(int64(v.mo)), true
	case "day":
		return interp.MakeInt(int64(v.d)), true
	}
	if v.isDT {
		switch name {
		case "hour":
			return interp.MakeInt(int64(v.h)), true
		case "minute":
			return interp.MakeInt(int64(v.mi)), true
		case "second":
			return interp.MakeInt(int64(v.s)), true
		case "microsecond":
			return interp.MakeInt(int64(v.us)), true
		case "tzinfo":
			return v.tz.orNone(), true
		case "fold":
			return interp.MakeInt(int64(v.fold)), true
		}
	}
	return nil, false
}

// ---- time ----

type tmV struct {
	h, mi, s, us int
	tz           *tzV
	fold         int
}

func (*tmV) Class() *interp.Class { return tClass }

func (t *tmV) StrJac(th *interp.Thread) string { return timeISO(t.h, t.mi, t.s, t.us, t.tz, "auto") }

func (t *tmV) ReprJac(th *interp.Thread) string {
	s := fmt.Sprintf("datetime.time(%d, %d", t.h, t.mi)
	if t.us != 0 {
		s += fmt.Sprintf(", %d, %d", t.s, t.us)
	} else if t.s != 0 {
		s += fmt.Sprintf(", %d", t.s)
	}
	return s + tzFoldRepr(th, t.tz, t.fold) + ")"
}

// tzFoldRepr is the tail of a datetime's or time's repr: a fold of 1 and
// its tzinfo, when present (in that order, as CPython writes them).
func tzFoldRepr(th *interp.Thread, tz *tzV, fold int) string {
	s := ""
	if fold != 0 {
		s += ", fold=1"
	}
	if tz != nil {
		s += ", tzinfo=" + tz.ReprJac(th)
	}
	return s
}

func (t *tmV) key() int64 {
	k := int64(t.h)*3600e6 + int64(t.mi)*60e6 + int64(t.s)*1e6 + int64(t.us)
	if t.tz != nil {
		k -= t.tz.off
	}
	return k
}

func (t *tmV) HashJac(th *interp.Thread) uint64 { return interp.Hash(th, interp.MakeInt(t.key())) }

func (t *tmV) EqualJac(th *interp.Thread, o interp.Value) (bool, bool) {
	if u, ok := o.(*tmV); ok {
		return t.key() == u.key(), true
	}
	return false, true
}

func (t *tmV) CompareJac(th *interp.Thread, o interp.Value) (int, bool) {
	if u, ok := o.(*tmV); ok {
		a, b := t.key(), u.key()
		return cmp.Compare(a, b), true
	}
	return 0, false
}

func (t *tmV) FormatJac(th *interp.Thread, spec string) string {
	if spec == "" {
		return t.StrJac(th)
	}
	return strftime(1900, 1, 1, t.h, t.mi, t.s, t.us, t.tz, spec)
}

func (t *tmV) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	switch name {
	case "hour":
		return interp.MakeInt(int64(t.h)), true
	case "minute":
		return interp.MakeInt(int64(t.mi)), true
	case "second":
		return interp.MakeInt(int64(t.s)), true
	case "microsecond":
		return interp.MakeInt(int64(t.us)), true
	case "tzinfo":
		return t.tz.orNone(), true
	case "fold":
		return interp.MakeInt(int64(t.fold)), true
	}
	return nil, false
}

// Len gives timedelta its truth value (the core's Truth consults Lener, not
// __bool__, for Go values): 0 for a zero duration.
func (t *tdV) Len() int {
	if t.total() == 0 {
		return 0
	}
	return 1
}

// strftime formats a date and time of day in zone tz (nil: naive).
func strftime(y, mo, d, h, mi, s, us int, tz *tzV, spec string) string {
	var zone *timefmt.Zone
	if tz != nil {
		zone = &timefmt.Zone{Offset: tz.off, Name: tz.tzname()}
	}
	t := timefmt.Fields{Year: y, Month: mo, Day: d, Hour: h, Minute: mi, Second: s, Micro: us}
	return timefmt.Format(t, zone, spec)
}

// strptime is datetime.strptime.
func strptime(th *interp.Thread, s, f string) *dtV {
	t, off := timefmt.Parse(th, s, f)
	v := &dtV{isDT: true, y: t.Year, mo: t.Month, d: t.Day, h: t.Hour, mi: t.Minute, s: t.Second, us: t.Micro}
	switch {
	case off == nil:
	case *off == 0:
		v.tz = tzUTC
	default:
		v.tz = &tzV{off: *off}
	}
	return v
}
