package pylib

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/syntax"
)

// datetime, date and timedelta with Python's arithmetic and formatting. Naive
// values are Go times in UTC.

var (
	datetimeClass  = interp.NewBuiltinClass("datetime", interp.ObjectClass)
	dateClass      = interp.NewBuiltinClass("date", interp.ObjectClass)
	timeClass      = interp.NewBuiltinClass("time", interp.ObjectClass)
	timedeltaClass = interp.NewBuiltinClass("timedelta", interp.ObjectClass)
)

type dtKind int

const (
	kDatetime dtKind = iota
	kDate
	kTime
)

type dtValue struct {
	t    time.Time
	kind dtKind
}

func (d *dtValue) Class() *interp.Class {
	switch d.kind {
	case kDate:
		return dateClass
	case kTime:
		return timeClass
	}
	return datetimeClass
}

type tdValue struct{ us int64 }

func (*tdValue) Class() *interp.Class { return timedeltaClass }

func intArg(th *interp.Thread, v interp.Value, def int) int {
	if v == nil {
		return def
	}
	return int(interp.ToInt64(th, v))
}

func newDatetime(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	a := interp.ParseArgs(th, "datetime", args, kw, "year", "month", "day", "hour?", "minute?", "second?", "microsecond?", "tzinfo?")
	return mkDatetime(th, kDatetime, intArg(th, a[0], 1), intArg(th, a[1], 1), intArg(th, a[2], 1), intArg(th, a[3], 0), intArg(th, a[4], 0), intArg(th, a[5], 0), intArg(th, a[6], 0))
}

func mkDatetime(th *interp.Thread, kind dtKind, y, mo, d, h, mi, s, us int) *dtValue {
	if mo < 1 || mo > 12 {
		th.ValueError("month must be in 1..12")
	}
	if d < 1 || d > daysIn(y, mo) {
		th.ValueError("day is out of range for month")
	}
	if h < 0 || h > 23 {
		th.ValueError("hour must be in 0..23")
	}
	if mi < 0 || mi > 59 {
		th.ValueError("minute must be in 0..59")
	}
	if s < 0 || s > 59 {
		th.ValueError("second must be in 0..59")
	}
	return &dtValue{t: time.Date(y, time.Month(mo), d, h, mi, s, us*1000, time.UTC), kind: kind}
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func newTimedelta(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	a := interp.ParseArgs(th, "timedelta", args, kw, "days?", "seconds?", "microseconds?", "milliseconds?", "minutes?", "hours?", "weeks?")
	mult := []float64{86400e6, 1e6, 1, 1e3, 60e6, 3600e6, 7 * 86400e6}
	var total float64
	var exact int64
	for i, v := range a {
		if v == nil {
			continue
		}
		if n, ok := v.(interp.Int); ok {
			exact += int64(n) * int64(mult[i])
		} else {
			total += interp.ToFloat(th, v) * mult[i]
		}
	}
	return &tdValue{us: exact + int64(roundHalfEven(total))}
}

func roundHalfEven(f float64) float64 {
	r := float64(int64(f))
	diff := f - r
	switch {
	case diff > 0.5 || diff == 0.5 && int64(r)%2 != 0:
		return r + 1
	case diff < -0.5 || diff == -0.5 && int64(r)%2 != 0:
		return r - 1
	}
	return r
}

func (d *tdValue) parts() (days, secs, us int64) {
	days = floorDiv(d.us, 86400e6)
	rem := d.us - days*86400e6
	secs = rem / 1e6
	us = rem % 1e6
	return
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// StrJac renders the timedelta as Python's str().
func (d *tdValue) StrJac(th *interp.Thread) string {
	days, secs, us := d.parts()
	s := fmt.Sprintf("%d:%02d:%02d", secs/3600, secs%3600/60, secs%60)
	if us != 0 {
		s += fmt.Sprintf(".%06d", us)
	}
	if days != 0 {
		plural := "s"
		if days == 1 || days == -1 {
			plural = ""
		}
		s = fmt.Sprintf("%d day%s, %s", days, plural, s)
	}
	return s
}

// ReprJac renders datetime.timedelta(days=..., seconds=...).
func (d *tdValue) ReprJac(th *interp.Thread) string {
	days, secs, us := d.parts()
	var parts []string
	if days != 0 {
		parts = append(parts, fmt.Sprintf("days=%d", days))
	}
	if secs != 0 {
		parts = append(parts, fmt.Sprintf("seconds=%d", secs))
	}
	if us != 0 {
		parts = append(parts, fmt.Sprintf("microseconds=%d", us))
	}
	if len(parts) == 0 {
		return "datetime.timedelta(0)"
	}
	return "datetime.timedelta(" + strings.Join(parts, ", ") + ")"
}

func (d *dtValue) micro() int { return d.t.Nanosecond() / 1000 }

// StrJac renders isoformat with a space separator.
func (d *dtValue) StrJac(th *interp.Thread) string { return d.iso(" ") }

func (d *dtValue) iso(sep string) string {
	t := d.t
	date := fmt.Sprintf("%04d-%02d-%02d", t.Year(), int(t.Month()), t.Day())
	clock := fmt.Sprintf("%02d:%02d:%02d", t.Hour(), t.Minute(), t.Second())
	if us := d.micro(); us != 0 {
		clock += fmt.Sprintf(".%06d", us)
	}
	switch d.kind {
	case kDate:
		return date
	case kTime:
		return clock
	}
	return date + sep + clock
}

// ReprJac renders datetime.datetime(2024, 2, 28, 13, 45, 7).
func (d *dtValue) ReprJac(th *interp.Thread) string {
	t := d.t
	switch d.kind {
	case kDate:
		return fmt.Sprintf("datetime.date(%d, %d, %d)", t.Year(), int(t.Month()), t.Day())
	case kTime:
		s := fmt.Sprintf("datetime.time(%d, %d", t.Hour(), t.Minute())
		if t.Second() != 0 || d.micro() != 0 {
			s += fmt.Sprintf(", %d", t.Second())
		}
		if d.micro() != 0 {
			s += fmt.Sprintf(", %d", d.micro())
		}
		return s + ")"
	}
	s := fmt.Sprintf("datetime.datetime(%d, %d, %d, %d, %d", t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute())
	if t.Second() != 0 || d.micro() != 0 {
		s += fmt.Sprintf(", %d", t.Second())
	}
	if d.micro() != 0 {
		s += fmt.Sprintf(", %d", d.micro())
	}
	return s + ")"
}

// FormatJac implements f"{d:%Y-%m}".
func (d *dtValue) FormatJac(th *interp.Thread, spec string) string {
	if spec == "" {
		return d.StrJac(th)
	}
	return strftime(d.t, spec)
}

// EqualJac compares values of the same kind.
func (d *dtValue) EqualJac(th *interp.Thread, o interp.Value) (bool, bool) {
	x, ok := o.(*dtValue)
	return ok && x.kind == d.kind && x.t.Equal(d.t), true
}

// HashJac hashes the instant.
func (d *dtValue) HashJac(th *interp.Thread) uint64 { return uint64(d.t.UnixNano()) ^ uint64(d.kind) }

// CompareJac orders values of the same kind.
func (d *dtValue) CompareJac(th *interp.Thread, o interp.Value) (int, bool) {
	x, ok := o.(*dtValue)
	if !ok || x.kind != d.kind {
		return 0, false
	}
	return d.t.Compare(x.t), true
}

// EqualJac compares durations.
func (d *tdValue) EqualJac(th *interp.Thread, o interp.Value) (bool, bool) {
	x, ok := o.(*tdValue)
	return ok && x.us == d.us, true
}

// HashJac hashes the duration.
func (d *tdValue) HashJac(th *interp.Thread) uint64 { return uint64(d.us) }

// CompareJac orders durations.
func (d *tdValue) CompareJac(th *interp.Thread, o interp.Value) (int, bool) {
	x, ok := o.(*tdValue)
	if !ok {
		return 0, false
	}
	switch {
	case d.us < x.us:
		return -1, true
	case d.us > x.us:
		return 1, true
	}
	return 0, true
}

// BinaryJac implements datetime and timedelta arithmetic.
func (d *dtValue) BinaryJac(th *interp.Thread, op syntax.Token, other interp.Value, right bool) interp.Value {
	switch x := other.(type) {
	case *tdValue:
		switch {
		case op == syntax.PLUS:
			return &dtValue{t: d.t.Add(time.Duration(x.us) * time.Microsecond), kind: d.kind}
		case op == syntax.MINUS && !right:
			return &dtValue{t: d.t.Add(-time.Duration(x.us) * time.Microsecond), kind: d.kind}
		}
	case *dtValue:
		if op == syntax.MINUS && x.kind == d.kind {
			a, b := d.t, x.t
			if right {
				a, b = b, a
			}
			return &tdValue{us: a.Sub(b).Microseconds()}
		}
	}
	return nil
}

// BinaryJac implements timedelta arithmetic.
func (d *tdValue) BinaryJac(th *interp.Thread, op syntax.Token, other interp.Value, right bool) interp.Value {
	if other == nil {
		switch op {
		case syntax.MINUS:
			return &tdValue{us: -d.us}
		case syntax.PLUS:
			return d
		}
		return nil
	}
	switch x := other.(type) {
	case *tdValue:
		a, b := d.us, x.us
		if right {
			a, b = b, a
		}
		switch op {
		case syntax.PLUS:
			return &tdValue{us: a + b}
		case syntax.MINUS:
			return &tdValue{us: a - b}
		case syntax.DSLASH:
			if b == 0 {
				th.Raise(interp.ZeroDivisionErrorClass, "integer division or modulo by zero")
			}
			return interp.MakeInt(floorDiv(a, b))
		case syntax.SLASH:
			return interp.Float(float64(a) / float64(b))
		case syntax.PERCENT:
			return &tdValue{us: a - floorDiv(a, b)*b}
		}
	case interp.Int:
		switch op {
		case syntax.STAR:
			return &tdValue{us: d.us * int64(x)}
		case syntax.DSLASH:
			if !right {
				return &tdValue{us: floorDiv(d.us, int64(x))}
			}
		}
	case interp.Float:
		switch op {
		case syntax.STAR:
			return &tdValue{us: int64(roundHalfEven(float64(d.us) * float64(x)))}
		case syntax.SLASH:
			if !right {
				return &tdValue{us: int64(roundHalfEven(float64(d.us) / float64(x)))}
			}
		}
	}
	return nil
}

// Truth: a zero timedelta is false.
func (d *tdValue) Len() int {
	if d.us == 0 {
		return 0
	}
	return 1
}

// AttrJac implements the timedelta attributes.
func (d *tdValue) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	days, secs, us := d.parts()
	switch name {
	case "days":
		return interp.MakeInt(days), true
	case "seconds":
		return interp.MakeInt(secs), true
	case "microseconds":
		return interp.MakeInt(us), true
	case "total_seconds":
		return interp.NewBuiltin(name, func(*interp.Thread, []interp.Value, []interp.KV) interp.Value {
			return interp.Float(float64(d.us) / 1e6)
		}), true
	}
	return nil, false
}

var weekdays = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
var months = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

func pyWeekday(t time.Time) int { return (int(t.Weekday()) + 6) % 7 }

func strftime(t time.Time, f string) string {
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] != '%' || i+1 >= len(f) {
			b.WriteByte(f[i])
			continue
		}
		i++
		switch f[i] {
		case 'Y':
			fmt.Fprintf(&b, "%04d", t.Year())
		case 'y':
			fmt.Fprintf(&b, "%02d", t.Year()%100)
		case 'm':
			fmt.Fprintf(&b, "%02d", int(t.Month()))
		case 'd':
			fmt.Fprintf(&b, "%02d", t.Day())
		case 'H':
			fmt.Fprintf(&b, "%02d", t.Hour())
		case 'I':
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			fmt.Fprintf(&b, "%02d", h)
		case 'M':
			fmt.Fprintf(&b, "%02d", t.Minute())
		case 'S':
			fmt.Fprintf(&b, "%02d", t.Second())
		case 'f':
			fmt.Fprintf(&b, "%06d", t.Nanosecond()/1000)
		case 'p':
			if t.Hour() < 12 {
				b.WriteString("AM")
			} else {
				b.WriteString("PM")
			}
		case 'a':
			b.WriteString(weekdays[pyWeekday(t)][:3])
		case 'A':
			b.WriteString(weekdays[pyWeekday(t)])
		case 'b', 'h':
			b.WriteString(months[t.Month()-1][:3])
		case 'B':
			b.WriteString(months[t.Month()-1])
		case 'j':
			fmt.Fprintf(&b, "%03d", t.YearDay())
		case 'w':
			fmt.Fprintf(&b, "%d", int(t.Weekday()))
		case 'u':
			fmt.Fprintf(&b, "%d", pyWeekday(t)+1)
		case 'Z', 'z':
		case 'e':
			fmt.Fprintf(&b, "%2d", t.Day())
		case 'D':
			b.WriteString(strftime(t, "%m/%d/%y"))
		case 'F':
			b.WriteString(strftime(t, "%Y-%m-%d"))
		case 'T':
			b.WriteString(strftime(t, "%H:%M:%S"))
		case 'c':
			b.WriteString(strftime(t, "%a %b %e %H:%M:%S %Y"))
		case 'x':
			b.WriteString(strftime(t, "%m/%d/%y"))
		case 'X':
			b.WriteString(strftime(t, "%H:%M:%S"))
		case '%':
			b.WriteByte('%')
		default:
			b.WriteByte('%')
			b.WriteByte(f[i])
		}
	}
	return b.String()
}

func strptime(th *interp.Thread, s, f string) *dtValue {
	y, mo, d, h, mi, sec, us := 1900, 1, 1, 0, 0, 0, 0
	pm := -1
	si := 0
	fail := func() {
		th.ValueError("time data %s does not match format %s", interp.QuoteStr(s), interp.QuoteStr(f))
	}
	num := func(maxDigits int) int {
		j := si
		for j < len(s) && j-si < maxDigits && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == si {
			fail()
		}
		n, _ := strconv.Atoi(s[si:j])
		si = j
		return n
	}
	name := func(list []string, short bool) int {
		for i, n := range list {
			if short {
				n = n[:3]
			}
			if len(s) >= si+len(n) && strings.EqualFold(s[si:si+len(n)], n) {
				si += len(n)
				return i
			}
		}
		fail()
		return 0
	}
	for i := 0; i < len(f); i++ {
		if f[i] != '%' || i+1 >= len(f) {
			if si >= len(s) || s[si] != f[i] {
				fail()
			}
			si++
			continue
		}
		i++
		switch f[i] {
		case 'Y':
			y = num(4)
		case 'y':
			y = num(2)
			if y < 69 {
				y += 2000
			} else {
				y += 1900
			}
		case 'm':
			mo = num(2)
		case 'd':
			d = num(2)
		case 'H':
			h = num(2)
		case 'I':
			h = num(2)
		case 'M':
			mi = num(2)
		case 'S':
			sec = num(2)
		case 'f':
			start := si
			us = num(6)
			for k := si - start; k < 6; k++ {
				us *= 10
			}
		case 'p':
			if strings.HasPrefix(strings.ToUpper(s[si:]), "PM") {
				pm = 1
			} else if strings.HasPrefix(strings.ToUpper(s[si:]), "AM") {
				pm = 0
			} else {
				fail()
			}
			si += 2
		case 'b', 'h':
			mo = name(months, true) + 1
		case 'B':
			mo = name(months, false) + 1
		case 'a':
			name(weekdays, true)
		case 'A':
			name(weekdays, false)
		case 'j':
			num(3)
		case '%':
			if si >= len(s) || s[si] != '%' {
				fail()
			}
			si++
		default:
			th.ValueError("'%c' is a bad directive in format %s", f[i], interp.QuoteStr(f))
		}
	}
	if si != len(s) {
		th.ValueError("unconverted data remains: %s", s[si:])
	}
	if pm == 1 && h < 12 {
		h += 12
	} else if pm == 0 && h == 12 {
		h = 0
	}
	return mkDatetime(th, kDatetime, y, mo, d, h, mi, sec, us)
}

func fromISO(th *interp.Thread, s string, kind dtKind) *dtValue {
	layouts := []string{"2006-01-02T15:04:05.999999", "2006-01-02 15:04:05.999999", "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15", "2006-01-02"}
	if kind == kTime {
		layouts = []string{"15:04:05.999999", "15:04"}
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			if kind == kDate {
				if len(s) != 10 {
					break
				}
			}
			return &dtValue{t: t.UTC(), kind: kind}
		}
	}
	th.ValueError("Invalid isoformat string: %s", interp.QuoteStr(s))
	return nil
}

// ordinal counts days from 0001-01-01 (day 1).
func ordinal(t time.Time) int64 {
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return floorDiv(day.Unix(), 86400) + 719163
}

// AttrJac implements datetime/date/time attributes and methods.
func (d *dtValue) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	t := d.t
	b := func(f fn) (interp.Value, bool) { return interp.NewBuiltin(name, f), true }
	switch name {
	case "year":
		return interp.MakeInt(int64(t.Year())), true
	case "month":
		return interp.MakeInt(int64(t.Month())), true
	case "day":
		return interp.MakeInt(int64(t.Day())), true
	case "hour":
		return interp.MakeInt(int64(t.Hour())), true
	case "minute":
		return interp.MakeInt(int64(t.Minute())), true
	case "second":
		return interp.MakeInt(int64(t.Second())), true
	case "microsecond":
		return interp.MakeInt(int64(d.micro())), true
	case "tzinfo":
		return interp.None, true
	case "isoformat":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			sep := "T"
			if len(a) > 0 {
				sep = interp.ToStr(th, a[0])
			}
			return interp.Str(d.iso(sep))
		})
	case "strftime":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			return interp.Str(strftime(t, interp.ToStr(th, a[0])))
		})
	case "date":
		return b(func(*interp.Thread, []interp.Value, []interp.KV) interp.Value {
			return &dtValue{t: time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), kind: kDate}
		})
	case "time":
		return b(func(*interp.Thread, []interp.Value, []interp.KV) interp.Value {
			return &dtValue{t: time.Date(1900, 1, 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC), kind: kTime}
		})
	case "weekday":
		return b(func(*interp.Thread, []interp.Value, []interp.KV) interp.Value {
			return interp.MakeInt(int64(pyWeekday(t)))
		})
	case "isoweekday":
		return b(func(*interp.Thread, []interp.Value, []interp.KV) interp.Value {
			return interp.MakeInt(int64(pyWeekday(t) + 1))
		})
	case "toordinal":
		return b(func(*interp.Thread, []interp.Value, []interp.KV) interp.Value { return interp.MakeInt(ordinal(t)) })
	case "timestamp":
		return b(func(*interp.Thread, []interp.Value, []interp.KV) interp.Value {
			return interp.Float(float64(t.UnixMicro()) / 1e6)
		})
	case "isocalendar":
		return b(func(*interp.Thread, []interp.Value, []interp.KV) interp.Value {
			y, w := t.ISOWeek()
			return interp.Tuple{interp.MakeInt(int64(y)), interp.MakeInt(int64(w)), interp.MakeInt(int64(pyWeekday(t) + 1))}
		})
	case "replace":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			vals := map[string]int{"year": t.Year(), "month": int(t.Month()), "day": t.Day(), "hour": t.Hour(),
				"minute": t.Minute(), "second": t.Second(), "microsecond": d.micro()}
			for _, k := range kw {
				if _, ok := vals[k.Name]; ok {
					vals[k.Name] = int(interp.ToInt64(th, k.Value))
				}
			}
			return mkDatetime(th, d.kind, vals["year"], vals["month"], vals["day"], vals["hour"], vals["minute"], vals["second"], vals["microsecond"])
		})
	}
	return nil, false
}

func init() {
	classmethods := func(cls *interp.Class, kind dtKind) {
		cm := func(name string, f fn) { cls.SetAttr(name, &interp.StaticMethod{Fn: interp.NewBuiltin(name, f)}) }
		cm("fromisoformat", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			return fromISO(th, interp.ToStr(th, a[0]), kind)
		})
		now := func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			t := time.Now()
			if kind == kDate {
				return &dtValue{t: time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), kind: kDate}
			}
			return &dtValue{t: time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond()/1000*1000, time.UTC), kind: kind}
		}
		cm("now", now)
		cm("today", now)
		cm("utcnow", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			t := time.Now().UTC()
			return &dtValue{t: t.Truncate(time.Microsecond), kind: kDatetime}
		})
		cm("fromtimestamp", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			f := interp.ToFloat(th, a[0])
			t := time.UnixMicro(int64(f * 1e6)).Local()
			naive := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
			if kind == kDate {
				naive = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
			}
			return &dtValue{t: naive, kind: kind}
		})
		cm("fromordinal", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			n := interp.ToInt64(th, a[0])
			t := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n-1))
			return &dtValue{t: t, kind: kind}
		})
		cm("strptime", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			return strptime(th, interp.ToStr(th, a[0]), interp.ToStr(th, a[1]))
		})
		cm("combine", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			dd, tt := a[0].(*dtValue).t, a[1].(*dtValue).t
			return &dtValue{t: time.Date(dd.Year(), dd.Month(), dd.Day(), tt.Hour(), tt.Minute(), tt.Second(), tt.Nanosecond(), time.UTC)}
		})
	}
	classmethods(datetimeClass, kDatetime)
	classmethods(dateClass, kDate)
	interp.SetNewFn(datetimeClass, func(th *interp.Thread, c *interp.Class, a []interp.Value, kw []interp.KV) interp.Value {
		return newDatetime(th, a, kw)
	})
	interp.SetNewFn(dateClass, func(th *interp.Thread, c *interp.Class, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "date", args, kw, "year", "month", "day")
		return mkDatetime(th, kDate, intArg(th, a[0], 1), intArg(th, a[1], 1), intArg(th, a[2], 1), 0, 0, 0, 0)
	})
	interp.SetNewFn(timeClass, func(th *interp.Thread, c *interp.Class, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "time", args, kw, "hour?", "minute?", "second?", "microsecond?", "tzinfo?")
		return mkDatetime(th, kTime, 1900, 1, 1, intArg(th, a[0], 0), intArg(th, a[1], 0), intArg(th, a[2], 0), intArg(th, a[3], 0))
	})
	interp.SetNewFn(timedeltaClass, func(th *interp.Thread, c *interp.Class, a []interp.Value, kw []interp.KV) interp.Value {
		return newTimedelta(th, a, kw)
	})
	interp.RegisterModule("datetime", func() *interp.Module {
		m := interp.NewModule("datetime")
		m.Set("datetime", datetimeClass)
		m.Set("date", dateClass)
		m.Set("time", timeClass)
		m.Set("timedelta", timedeltaClass)
		m.Set("MINYEAR", interp.MakeInt(1))
		m.Set("MAXYEAR", interp.MakeInt(9999))
		return m
	})
}
