package time

import (
	"fmt"
	"math"
	"os"
	"strings"
	"time"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/internal/timefmt"
)

// time.struct_time, gmtime, localtime, mktime, asctime, ctime, strftime with a
// time tuple, and the zone constants.

// StructTime is a time.struct_time.
type StructTime struct {
	f      [9]int64 // year, mon, mday, hour, min, sec, wday, yday, isdst
	zone   string
	gmtoff int64
}

var structTimeClass = func() *interp.Class {
	c := interp.NewBuiltinClass("struct_time", interp.TupleClass)
	c.Module = "time"
	return c
}()

var fieldNames = []string{"tm_year", "tm_mon", "tm_mday", "tm_hour", "tm_min", "tm_sec", "tm_wday", "tm_yday", "tm_isdst"}

// NewStructTime is the struct_time of the nine fields year, month, day, hour,
// minute, second, weekday (Monday 0), day of the year and isdst.
func NewStructTime(fields [9]int64) *StructTime { return &StructTime{f: fields} }

func (*StructTime) Class() *interp.Class { return structTimeClass }

func (s *StructTime) items() []interp.Value {
	out := make([]interp.Value, 9)
	for i, v := range s.f {
		out[i] = interp.MakeInt(v)
	}
	return out
}

func (s *StructTime) Len() int { return 9 }

func (s *StructTime) IterJac(th *interp.Thread) interp.Iterator {
	return interp.NewSliceIterator(s.items())
}

func (s *StructTime) GetItemJac(th *interp.Thread, k interp.Value) interp.Value {
	return interp.GetItem(th, interp.Tuple(s.items()), k)
}

func (s *StructTime) ReprJac(th *interp.Thread) string {
	parts := make([]string, 9)
	for i, v := range s.f {
		parts[i] = fmt.Sprintf("%s=%d", fieldNames[i], v)
	}
	return "time.struct_time(" + strings.Join(parts, ", ") + ")"
}

func (s *StructTime) EqualJac(th *interp.Thread, other interp.Value) (bool, bool) {
	switch o := other.(type) {
	case *StructTime:
		return s.f == o.f, true
	case interp.Tuple:
		return interp.Equal(th, interp.Tuple(s.items()), o), true
	}
	return false, false
}

func (s *StructTime) HashJac(th *interp.Thread) uint64 {
	return interp.Hash(th, interp.Tuple(s.items()))
}

func (s *StructTime) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	for i, n := range fieldNames {
		if n == name {
			return interp.MakeInt(s.f[i]), true
		}
	}
	switch name {
	case "tm_zone":
		return interp.Str(s.zone), true
	case "tm_gmtoff":
		return interp.MakeInt(s.gmtoff), true
	case "n_fields":
		return interp.MakeInt(11), true
	case "n_sequence_fields":
		return interp.MakeInt(9), true
	case "n_unnamed_fields":
		return interp.MakeInt(0), true
	}
	return nil, false
}

func structFromTime(t time.Time, isdst bool) *StructTime {
	zone, off := t.Zone()
	s := &StructTime{zone: zone, gmtoff: int64(off)}
	s.f = [9]int64{int64(t.Year()), int64(t.Month()), int64(t.Day()), int64(t.Hour()), int64(t.Minute()),
		int64(t.Second()), int64((int(t.Weekday()) + 6) % 7), int64(t.YearDay()), 0}
	if isdst && t.IsDST() {
		s.f[8] = 1
	}
	return s
}

// timeArg reads an optional seconds argument (None: now).
func timeArg(th *interp.Thread, v interp.Value) time.Time {
	if v == nil || v == interp.None {
		return time.Now()
	}
	f := interp.ToFloat(th, v)
	if math.IsNaN(f) {
		th.ValueError("Invalid value NaN (not a number)")
	}
	if math.IsInf(f, 0) || math.Abs(f) > 1e17 {
		th.Raise(interp.OverflowErrorClass, "timestamp out of range for platform time_t")
	}
	sec := math.Floor(f)
	return time.Unix(int64(sec), 0)
}

// tupleArg reads a struct_time or 9-sequence (nil: the current local time).
func tupleArg(th *interp.Thread, v interp.Value, fname string) *StructTime {
	if v == nil || v == interp.None {
		return structFromTime(time.Now(), true)
	}
	if s, ok := v.(*StructTime); ok {
		return s
	}
	items := interp.ToSlice(th, v)
	if len(items) != 9 {
		th.TypeError("%s(): illegal time tuple argument", fname)
	}
	s := &StructTime{}
	for i, it := range items {
		s.f[i] = interp.ToInt64(th, it)
	}
	return s
}

func asctimeOf(s *StructTime) string {
	y, mo, d := int(s.f[0]), int(s.f[1]), int(s.f[2])
	wd := s.f[6]
	if wd < 0 || wd > 6 {
		wd = int64(timefmt.Weekday(y, mo, d))
	}
	mon := "???"
	if mo >= 1 && mo <= 12 {
		mon = timefmt.MonthNames[mo-1][:3]
	}
	return fmt.Sprintf("%s %s%3d %02d:%02d:%02d %d", timefmt.DayNames[wd][:3], mon, d, s.f[3], s.f[4], s.f[5], y)
}

func timeStrftime(th *interp.Thread, f string, s *StructTime) string {
	if s.f[1] < 1 || s.f[1] > 12 {
		th.ValueError("month out of range")
	}
	if s.f[2] < 1 || s.f[2] > 31 {
		th.ValueError("day of month out of range")
	}
	// %z and %Z come from the tuple's zone; the rest is shared with datetime.
	var b strings.Builder
	rs := []rune(f)
	for i := 0; i < len(rs); i++ {
		if rs[i] == '%' && i+1 < len(rs) {
			switch rs[i+1] {
			case 'z':
				off := s.gmtoff
				sign := '+'
				if off < 0 {
					sign, off = '-', -off
				}
				fmt.Fprintf(&b, "%c%02d%02d", sign, off/3600, off/60%60)
				i++
				continue
			case 'Z':
				b.WriteString(s.zone)
				i++
				continue
			case '%':
				b.WriteString("%%")
				i++
				continue
			}
		}
		b.WriteRune(rs[i])
	}
	return timefmt.Format(timefmt.Fields{Year: int(s.f[0]), Month: int(s.f[1]), Day: int(s.f[2]),
		Hour: int(s.f[3]), Minute: int(s.f[4]), Second: int(s.f[5])}, nil, b.String())
}

func init() {
	interp.SetConstructor(structTimeClass, func(th *interp.Thread, cls *interp.Class, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "struct_time", args, kw, "sequence", "dict?")
		items := interp.ToSlice(th, a[0])
		if len(items) < 9 || len(items) > 11 {
			th.TypeError("time.struct_time() takes an at least 9-sequence (%d-sequence given)", len(items))
		}
		s := &StructTime{}
		for i := 0; i < 9; i++ {
			s.f[i] = interp.ToInt64(th, items[i])
		}
		if len(items) > 9 && items[9] != interp.None {
			s.zone = interp.ToStr(th, items[9])
		}
		if len(items) > 10 && items[10] != interp.None {
			s.gmtoff = interp.ToInt64(th, items[10])
		}
		return s
	})
	interp.ExtendModule("time", func(m *interp.Module) {
		def := func(name string, fn func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value) {
			m.Set(name, interp.NewBuiltin(name, fn))
		}
		m.Set("struct_time", structTimeClass)
		start := time.Now()
		ns := func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.MakeInt(int64(time.Since(start)))
		}
		for _, n := range []string{"monotonic_ns", "perf_counter_ns", "process_time_ns", "thread_time_ns"} {
			def(n, ns)
		}
		def("thread_time", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.Float(time.Since(start).Seconds())
		})
		def("gmtime", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "gmtime", args, kw, "secs?")
			s := structFromTime(timeArg(th, a[0]).UTC(), false)
			s.zone = "GMT" // as glibc's gmtime reports it
			return s
		})
		def("localtime", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "localtime", args, kw, "secs?")
			return structFromTime(timeArg(th, a[0]).Local(), true)
		})
		def("mktime", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "mktime", args, kw, "t")
			s := tupleArg(th, a[0], "mktime")
			t := time.Date(int(s.f[0]), time.Month(s.f[1]), int(s.f[2]), int(s.f[3]), int(s.f[4]), int(s.f[5]), 0, time.Local)
			return interp.Float(float64(t.Unix()))
		})
		def("asctime", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "asctime", args, kw, "t?")
			return interp.Str(asctimeOf(tupleArg(th, a[0], "asctime")))
		})
		def("ctime", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "ctime", args, kw, "secs?")
			return interp.Str(asctimeOf(structFromTime(timeArg(th, a[0]).Local(), true)))
		})
		def("strftime", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "strftime", args, kw, "format", "t?")
			return interp.Str(timeStrftime(th, interp.ToStr(th, a[0]), tupleArg(th, a[1], "strftime")))
		})
		def("strptime", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "strptime", args, kw, "string", "format?")
			f := "%a %b %d %H:%M:%S %Y"
			if a[1] != nil {
				f = interp.ToStr(th, a[1])
			}
			v, _ := timefmt.Parse(th, interp.ToStr(th, a[0]), f)
			t := time.Date(v.Year, time.Month(v.Month), v.Day, v.Hour, v.Minute, v.Second, 0, time.UTC)
			s := structFromTime(t, false)
			s.f[8] = -1
			s.zone = ""
			return s
		})
		setZoneNames(m)
		def("tzset", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			interp.ParseArgs(th, "tzset", args, kw)
			tzset()
			setZoneNames(m)
			return interp.None
		})
		registerClocks(m)
	})
}

// setZoneNames sets timezone, altzone, daylight and tzname from the local
// zone's offsets in January and July.
func setZoneNames(m *interp.Module) {
	jan := time.Date(time.Now().Year(), 1, 1, 0, 0, 0, 0, time.Local)
	jul := time.Date(time.Now().Year(), 7, 1, 0, 0, 0, 0, time.Local)
	jn, jo := jan.Zone()
	un, uo := jul.Zone()
	std, dst := jo, uo
	stdName, dstName := jn, un
	if jan.IsDST() {
		std, dst, stdName, dstName = uo, jo, un, jn
	}
	m.Set("timezone", interp.MakeInt(int64(-std)))
	m.Set("altzone", interp.MakeInt(int64(-dst)))
	daylight := int64(0)
	if std != dst {
		daylight = 1
	}
	m.Set("daylight", interp.MakeInt(daylight))
	m.Set("tzname", interp.Tuple{interp.Str(stdName), interp.Str(dstName)})
}

// tzset is time.tzset: the local zone is read again from the TZ environment
// variable (a zone name such as Europe/Paris, or unset for /etc/localtime).
// POSIX rule strings such as "EST+05EDT,M3.2.0,M11.1.0" are not understood
// (Go's time package reads zoneinfo files only); they leave UTC, as Go does.
func tzset() {
	name, ok := os.LookupEnv("TZ")
	switch {
	case !ok:
		name = "Local"
	case name == "":
		name = "UTC"
	}
	if name == "Local" {
		if data, err := os.ReadFile("/etc/localtime"); err == nil {
			if loc, err := time.LoadLocationFromTZData("Local", data); err == nil {
				time.Local = loc
			}
		}
		return
	}
	loc, err := time.LoadLocation(strings.TrimPrefix(name, ":"))
	if err != nil {
		loc = time.UTC
	}
	time.Local = loc
}
