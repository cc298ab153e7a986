// Package datetime implements Python's datetime module: date, time, datetime,
// timedelta and timezone.
package datetime

import (
	"math"
	"time"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/internal/native"
	"github.com/jacscale/jac/runtime/stdlib/internal/timefmt"
)

// defineStatic defines a static method (a classmethod-like constructor) of c.
func defineStatic(c *interp.Class, name string, f func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value) {
	c.SetAttr(name, &interp.StaticMethod{Fn: interp.NewBuiltin(name, f)})
}

func intOr(th *interp.Thread, v interp.Value, d int) int {
	if v == nil {
		return d
	}
	return int(interp.ToInt64(th, v))
}

func fromGoTime(t time.Time, isDT bool, tz *tzV) *dtV {
	return &dtV{isDT: isDT, y: t.Year(), mo: int(t.Month()), d: t.Day(), h: t.Hour(), mi: t.Minute(), s: t.Second(), us: t.Nanosecond() / 1000, tz: tz}
}

func goTimeOf(v *dtV) time.Time {
	loc := time.Local
	if v.tz != nil {
		loc = time.FixedZone(v.tz.tzname(), int(v.tz.off/1e6))
	}
	return time.Date(v.y, time.Month(v.mo), v.d, v.h, v.mi, v.s, v.us*1000, loc)
}

func tsToTime(th *interp.Thread, ts interp.Value) time.Time {
	f := interp.ToFloat(th, ts)
	sec := math.Floor(f)
	us := math.RoundToEven((f - sec) * 1e6)
	return time.Unix(int64(sec), int64(us)*1000)
}

func nowIn(th *interp.Thread, tzv interp.Value, t time.Time) *dtV {
	tz := tzArg(th, tzv)
	if tz == nil {
		return fromGoTime(t.Local(), true, nil)
	}
	return fromGoTime(t.UTC().Add(time.Duration(tz.off)*time.Microsecond), true, tz)
}

func init() {
	interp.SetConstructor(tdClass, func(th *interp.Thread, _ *interp.Class, a []interp.Value, k []interp.KV) interp.Value {
		return tdNew(th, a, k)
	})
	interp.SetConstructor(tzClass, func(th *interp.Thread, _ *interp.Class, a []interp.Value, k []interp.KV) interp.Value {
		p := interp.ParseArgs(th, "timezone", a, k, "offset", "name?")
		td, ok := p[0].(*tdV)
		if !ok {
			th.TypeError("timezone() argument 1 must be datetime.timedelta, not %s", interp.TypeName(p[0]))
		}
		if td.total() <= -usPerDay || td.total() >= usPerDay {
			th.ValueError("offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24).")
		}
		z := &tzV{off: td.total()}
		if p[1] != nil {
			z.name = interp.ToStr(th, p[1])
		}
		if z.off == 0 && z.name == "" {
			return tzUTC
		}
		return z
	})
	interp.SetConstructor(dClass, func(th *interp.Thread, _ *interp.Class, a []interp.Value, k []interp.KV) interp.Value {
		p := interp.ParseArgs(th, "date", a, k, "year", "month", "day")
		v := &dtV{y: intOr(th, p[0], 0), mo: intOr(th, p[1], 0), d: intOr(th, p[2], 0)}
		timefmt.CheckDate(th, v.y, v.mo, v.d)
		return v
	})
	interp.SetConstructor(dtCls, func(th *interp.Thread, _ *interp.Class, a []interp.Value, k []interp.KV) interp.Value {
		p := interp.ParseArgs(th, "datetime", a, k, "year", "month", "day", "hour?", "minute?", "second?", "microsecond?", "tzinfo?", "fold?")
		v := &dtV{isDT: true, y: intOr(th, p[0], 0), mo: intOr(th, p[1], 0), d: intOr(th, p[2], 0),
			h: intOr(th, p[3], 0), mi: intOr(th, p[4], 0), s: intOr(th, p[5], 0), us: intOr(th, p[6], 0), tz: tzArg(th, p[7]),
			fold: checkFold(th, p[8], 0)}
		timefmt.CheckDate(th, v.y, v.mo, v.d)
		timefmt.CheckTime(th, v.h, v.mi, v.s, v.us)
		return v
	})
	interp.SetConstructor(tClass, func(th *interp.Thread, _ *interp.Class, a []interp.Value, k []interp.KV) interp.Value {
		p := interp.ParseArgs(th, "time", a, k, "hour?", "minute?", "second?", "microsecond?", "tzinfo?", "fold?")
		t := &tmV{h: intOr(th, p[0], 0), mi: intOr(th, p[1], 0), s: intOr(th, p[2], 0), us: intOr(th, p[3], 0), tz: tzArg(th, p[4]),
			fold: checkFold(th, p[5], 0)}
		timefmt.CheckTime(th, t.h, t.mi, t.s, t.us)
		return t
	})

	// timedelta
	interp.DefMethod(tdClass, "total_seconds", func(th *interp.Thread, self interp.Value, a []interp.Value, k []interp.KV) interp.Value {
		return interp.Float(float64(self.(*tdV).total()) / 1e6)
	})
	interp.DefMethod(tdClass, "__abs__", func(th *interp.Thread, self interp.Value, a []interp.Value, k []interp.KV) interp.Value {
		t := self.(*tdV)
		if t.total() < 0 {
			return tdFromUS(th, -t.total())
		}
		return t
	})
	interp.DefMethod(tdClass, "__bool__", func(th *interp.Thread, self interp.Value, a []interp.Value, k []interp.KV) interp.Value {
		return interp.MakeBool(self.(*tdV).total() != 0)
	})
	tdClass.SetAttr("min", &tdV{days: -999999999})
	tdClass.SetAttr("max", &tdV{days: 999999999, secs: 86399, us: 999999})
	tdClass.SetAttr("resolution", &tdV{us: 1})
	tzClass.SetAttr("utc", tzUTC)

	// date and datetime instance methods
	dm := func(name string, f func(th *interp.Thread, v *dtV, a []interp.Value, k []interp.KV) interp.Value) {
		interp.DefMethod(dClass, name, func(th *interp.Thread, self interp.Value, a []interp.Value, k []interp.KV) interp.Value {
			return f(th, self.(*dtV), a, k)
		})
	}
	dm("isoformat", func(th *interp.Thread, v *dtV, a []interp.Value, k []interp.KV) interp.Value {
		if !v.isDT {
			return interp.Str(v.dateISO())
		}
		p := interp.ParseArgs(th, "isoformat", a, k, "sep?", "timespec?")
		sep, spec := "T", "auto"
		if p[0] != nil {
			sep = interp.ToStr(th, p[0])
		}
		if p[1] != nil {
			spec = interp.ToStr(th, p[1])
		}
		return interp.Str(v.dateISO() + sep + timeISO(v.h, v.mi, v.s, v.us, v.tz, spec))
	})
	dm("strftime", func(th *interp.Thread, v *dtV, a []interp.Value, k []interp.KV) interp.Value {
		p := interp.ParseArgs(th, "strftime", a, k, "format")
		return interp.Str(strftime(v.y, v.mo, v.d, v.h, v.mi, v.s, v.us, v.tz, interp.ToStr(th, p[0])))
	})
	dm("__format__", func(th *interp.Thread, v *dtV, a []interp.Value, k []interp.KV) interp.Value {
		return interp.Str(v.FormatJac(th, interp.ToStr(th, a[0])))
	})
	dm("weekday", func(th *interp.Thread, v *dtV, a []interp.Value, k []interp.KV) interp.Value {
		return interp.MakeInt(int64(timefmt.Weekday(v.y, v.mo, v.d)))
	})
	dm("isoweekday", func(th *interp.Thread, v *dtV, a []interp.Value, k []interp.KV) interp.Value {
		return interp.MakeInt(int64(timefmt.Weekday(v.y, v.mo, v.d) + 1))
	})
	dm("isocalendar", func(th *interp.Thread, v *dtV, a []interp.Value, k []interp.KV) interp.Value {
		y, w := time.Date(v.y, time.Month(v.mo), v.d, 0, 0, 0, 0, time.UTC).ISOWeek()
		return &native.NamedTuple{Name: "datetime.IsoCalendarDate", Fields: []string{"year", "week", "weekday"},
			Vals: interp.Tuple{interp.MakeInt(int64(y)), interp.MakeInt(int64(w)), interp.MakeInt(int64(timefmt.Weekday(v.y, v.mo, v.d) + 1))}}
	})
	dm("toordinal", func(th *interp.Thread, v *dtV, a []interp.Value, k []interp.KV) interp.Value {
		return interp.MakeInt(v.ord())
	})
	dm("ctime", func(th *interp.Thread, v *dtV, a []interp.Value, k []interp.KV) interp.Value {
		return interp.Str(strftime(v.y, v.mo, v.d, v.h, v.mi, v.s, v.us, v.tz, "%c"))
	})
	dm("replace", func(th *interp.Thread, v *dtV, a []interp.Value, k []interp.KV) interp.Value {
		names := []string{"year", "month", "day"}
		if v.isDT {
			names = append(names, "hour?", "minute?", "second?", "microsecond?", "tzinfo?", "fold?")
		}
		for i := range names {
			if i < 3 {
				names[i] += "?"
			}
		}
		p := interp.ParseArgs(th, "replace", a, k, names...)
		n := *v
		n.y, n.mo, n.d = intOr(th, p[0], v.y), intOr(th, p[1], v.mo), intOr(th, p[2], v.d)
		if v.isDT {
			n.h, n.mi, n.s, n.us = intOr(th, p[3], v.h), intOr(th, p[4], v.mi), intOr(th, p[5], v.s), intOr(th, p[6], v.us)
			if p[7] != nil {
				n.tz = tzArg(th, p[7])
			}
			n.fold = checkFold(th, p[8], v.fold)
			timefmt.CheckTime(th, n.h, n.mi, n.s, n.us)
		}
		timefmt.CheckDate(th, n.y, n.mo, n.d)
		return &n
	})
	// datetime only
	xm := func(name string, f func(th *interp.Thread, v *dtV, a []interp.Value, k []interp.KV) interp.Value) {
		interp.DefMethod(dtCls, name, func(th *interp.Thread, self interp.Value, a []interp.Value, k []interp.KV) interp.Value {
			return f(th, self.(*dtV), a, k)
		})
	}
	xm("date", func(th *interp.Thread, v *dtV, a []interp.Value, k []interp.KV) interp.Value {
		return &dtV{y: v.y, mo: v.mo, d: v.d}
	})
	xm("time", func(th *interp.Thread, v *dtV, a []interp.Value, k []interp.KV) interp.Value {
		return &tmV{h: v.h, mi: v.mi, s: v.s, us: v.us}
	})
	xm("timetz", func(th *interp.Thread, v *dtV, a []interp.Value, k []interp.KV) interp.Value {
		return &tmV{h: v.h, mi: v.mi, s: v.s, us: v.us, tz: v.tz}
	})
	xm("timestamp", func(th *interp.Thread, v *dtV, a []interp.Value, k []interp.KV) interp.Value {
		t := goTimeOf(v)
		return interp.Float(float64(t.Unix()) + float64(v.us)/1e6)
	})
	xm("utcoffset", func(th *interp.Thread, v *dtV, a []interp.Value, k []interp.KV) interp.Value {
		return v.tz.utcoffset(th)
	})
	xm("tzname", func(th *interp.Thread, v *dtV, a []interp.Value, k []interp.KV) interp.Value {
		return v.tz.tznameOrNone()
	})
	// A fixed-offset timezone has no daylight saving time: dst() is None, as
	// timezone.dst is in CPython.
	xm("dst", func(th *interp.Thread, v *dtV, a []interp.Value, k []interp.KV) interp.Value { return interp.None })
	xm("astimezone", func(th *interp.Thread, v *dtV, a []interp.Value, k []interp.KV) interp.Value {
		p := interp.ParseArgs(th, "astimezone", a, k, "tz?")
		t := goTimeOf(v)
		if p[0] == nil || p[0] == interp.None {
			lt := t.Local()
			_, off := lt.Zone()
			name, _ := lt.Zone()
			return fromGoTime(lt, true, &tzV{off: int64(off) * 1e6, name: name})
		}
		tz := tzArg(th, p[0])
		return fromGoTime(t.UTC().Add(time.Duration(tz.off)*time.Microsecond), true, tz)
	})

	// class-level constructors
	defineStatic(dClass, "today", func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value {
		return fromGoTime(time.Now(), false, nil)
	})
	defineStatic(dClass, "fromisoformat", func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value {
		return parseISO(th, interp.ToStr(th, a[0]), false)
	})
	defineStatic(dClass, "fromordinal", func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value {
		y, m, d := fromOrdinal(interp.ToInt64(th, a[0]))
		return &dtV{y: y, mo: m, d: d}
	})
	defineStatic(dClass, "fromtimestamp", func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value {
		return fromGoTime(tsToTime(th, a[0]).Local(), false, nil)
	})
	defineStatic(dtCls, "today", func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value {
		return fromGoTime(time.Now(), true, nil)
	})
	defineStatic(dtCls, "now", func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value {
		p := interp.ParseArgs(th, "now", a, k, "tz?")
		return nowIn(th, p[0], time.Now())
	})
	defineStatic(dtCls, "utcnow", func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value {
		return fromGoTime(time.Now().UTC(), true, nil)
	})
	defineStatic(dtCls, "fromtimestamp", func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value {
		p := interp.ParseArgs(th, "fromtimestamp", a, k, "timestamp", "tz?")
		return nowIn(th, p[1], tsToTime(th, p[0]))
	})
	defineStatic(dtCls, "utcfromtimestamp", func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value {
		return fromGoTime(tsToTime(th, a[0]).UTC(), true, nil)
	})
	defineStatic(dtCls, "fromisoformat", func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value {
		return parseISO(th, interp.ToStr(th, a[0]), true)
	})
	defineStatic(dtCls, "fromordinal", func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value {
		y, m, d := fromOrdinal(interp.ToInt64(th, a[0]))
		return &dtV{isDT: true, y: y, mo: m, d: d}
	})
	defineStatic(dtCls, "strptime", func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value {
		if len(a) != 2 {
			th.TypeError("strptime() takes exactly 2 arguments (%d given)", len(a))
		}
		return strptime(th, interp.ToStr(th, a[0]), interp.ToStr(th, a[1]))
	})
	defineStatic(dtCls, "combine", func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value {
		p := interp.ParseArgs(th, "combine", a, k, "date", "time", "tzinfo?")
		d, ok1 := p[0].(*dtV)
		t, ok2 := p[1].(*tmV)
		if !ok1 || !ok2 {
			th.TypeError("combine() argument types must be date and time")
		}
		v := &dtV{isDT: true, y: d.y, mo: d.mo, d: d.d, h: t.h, mi: t.mi, s: t.s, us: t.us, tz: t.tz}
		if p[2] != nil {
			v.tz = tzArg(th, p[2])
		}
		return v
	})
	dClass.SetAttr("min", &dtV{y: 1, mo: 1, d: 1})
	dClass.SetAttr("max", &dtV{y: 9999, mo: 12, d: 31})
	dtCls.SetAttr("min", &dtV{isDT: true, y: 1, mo: 1, d: 1})
	dtCls.SetAttr("max", &dtV{isDT: true, y: 9999, mo: 12, d: 31, h: 23, mi: 59, s: 59, us: 999999})
	dClass.SetAttr("resolution", &tdV{days: 1})
	dtCls.SetAttr("resolution", &tdV{us: 1})
	tClass.SetAttr("min", &tmV{})
	tClass.SetAttr("max", &tmV{h: 23, mi: 59, s: 59, us: 999999})
	tClass.SetAttr("resolution", &tdV{us: 1})
	const maxOffset = usPerDay - 60e6 // timezone.max is UTC+23:59
	tzClass.SetAttr("min", &tzV{off: -maxOffset})
	tzClass.SetAttr("max", &tzV{off: maxOffset})

	// time methods
	tm := func(name string, f func(th *interp.Thread, t *tmV, a []interp.Value, k []interp.KV) interp.Value) {
		interp.DefMethod(tClass, name, func(th *interp.Thread, self interp.Value, a []interp.Value, k []interp.KV) interp.Value {
			return f(th, self.(*tmV), a, k)
		})
	}
	tm("isoformat", func(th *interp.Thread, t *tmV, a []interp.Value, k []interp.KV) interp.Value {
		p := interp.ParseArgs(th, "isoformat", a, k, "timespec?")
		spec := "auto"
		if p[0] != nil {
			spec = interp.ToStr(th, p[0])
		}
		return interp.Str(timeISO(t.h, t.mi, t.s, t.us, t.tz, spec))
	})
	tm("strftime", func(th *interp.Thread, t *tmV, a []interp.Value, k []interp.KV) interp.Value {
		return interp.Str(strftime(1900, 1, 1, t.h, t.mi, t.s, t.us, t.tz, interp.ToStr(th, a[0])))
	})
	tm("replace", func(th *interp.Thread, t *tmV, a []interp.Value, k []interp.KV) interp.Value {
		p := interp.ParseArgs(th, "replace", a, k, "hour?", "minute?", "second?", "microsecond?", "tzinfo?", "fold?")
		n := &tmV{h: intOr(th, p[0], t.h), mi: intOr(th, p[1], t.mi), s: intOr(th, p[2], t.s), us: intOr(th, p[3], t.us), tz: t.tz,
			fold: checkFold(th, p[5], t.fold)}
		if p[4] != nil {
			n.tz = tzArg(th, p[4])
		}
		timefmt.CheckTime(th, n.h, n.mi, n.s, n.us)
		return n
	})
	tm("utcoffset", func(th *interp.Thread, t *tmV, a []interp.Value, k []interp.KV) interp.Value {
		return t.tz.utcoffset(th)
	})
	tm("tzname", func(th *interp.Thread, t *tmV, a []interp.Value, k []interp.KV) interp.Value {
		return t.tz.tznameOrNone()
	})
	tm("dst", func(th *interp.Thread, t *tmV, a []interp.Value, k []interp.KV) interp.Value { return interp.None })
	defineStatic(tClass, "fromisoformat", func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value {
		s := interp.ToStr(th, a[0])
		h, mi, sec, us, tz, ok := parseISOTime(s)
		if !ok {
			th.ValueError("Invalid isoformat string: %s", interp.QuoteStr(s))
		}
		timefmt.CheckTime(th, h, mi, sec, us)
		return &tmV{h: h, mi: mi, s: sec, us: us, tz: tz}
	})
}

func init() {
	interp.RegisterModule("datetime", func() *interp.Module {
		m := interp.NewModule("datetime")
		m.Set("datetime", dtCls)
		m.Set("date", dClass)
		m.Set("time", tClass)
		m.Set("timedelta", tdClass)
		m.Set("timezone", tzClass)
		m.Set("tzinfo", tzClass)
		m.Set("UTC", tzUTC)
		m.Set("MINYEAR", interp.MakeInt(1))
		m.Set("MAXYEAR", interp.MakeInt(9999))
		return m
	})
}
