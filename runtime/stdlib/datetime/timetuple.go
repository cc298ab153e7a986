package datetime

import (
	"time"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/internal/timefmt"
	pytime "github.com/jacscale/jac/runtime/stdlib/time"
)

// date.timetuple, datetime.timetuple / utctimetuple (time.struct_time values)
// and date/datetime.fromisocalendar, which the datetime module lacked.
func init() {
	interp.DefMethod(dClass, "timetuple", func(th *interp.Thread, self interp.Value, a []interp.Value, k []interp.KV) interp.Value {
		v := self.(*dtV)
		isdst := int64(-1) // naive, or a fixed-offset tzinfo whose dst() is None
		return dtStructTime(v.y, v.mo, v.d, v.h, v.mi, v.s, isdst)
	})
	interp.DefMethod(dtCls, "utctimetuple", func(th *interp.Thread, self interp.Value, a []interp.Value, k []interp.KV) interp.Value {
		v := self.(*dtV)
		t := time.Date(v.y, time.Month(v.mo), v.d, v.h, v.mi, v.s, 0, time.UTC)
		if v.tz != nil {
			t = t.Add(-time.Duration(v.tz.off) * time.Microsecond)
		}
		return dtStructTime(t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second(), 0)
	})
	fromISOCalendar := func(isDT bool) func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value {
		return func(th *interp.Thread, a []interp.Value, k []interp.KV) interp.Value {
			p := interp.ParseArgs(th, "fromisocalendar", a, k, "year", "week", "day")
			y, w, d := interp.ToInt64(th, p[0]), interp.ToInt64(th, p[1]), interp.ToInt64(th, p[2])
			if y < 1 || y > 9999 {
				th.ValueError("Year is out of range: %d", y)
			}
			if w < 1 || w > isoWeeksIn(int(y)) {
				th.ValueError("Invalid week: %d", w)
			}
			if d < 1 || d > 7 {
				th.ValueError("Invalid weekday: %d (range is [1, 7])", d)
			}
			// ISO week 1 holds January 4th; its Monday starts the ISO year.
			jan4 := timefmt.Ordinal(int(y), 1, 4)
			monday := jan4 - int64(timefmt.Weekday(int(y), 1, 4))
			yy, mm, dd := fromOrdinal(monday + (w-1)*7 + d - 1)
			return &dtV{isDT: isDT, y: yy, mo: mm, d: dd}
		}
	}
	defineStatic(dClass, "fromisocalendar", fromISOCalendar(false))
	defineStatic(dtCls, "fromisocalendar", fromISOCalendar(true))
}

// dtStructTime is the time.struct_time of a calendar date and time of day.
func dtStructTime(y, mo, d, h, mi, s int, isdst int64) *pytime.StructTime {
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	return pytime.NewStructTime([9]int64{int64(y), int64(mo), int64(d), int64(h), int64(mi), int64(s),
		int64(timefmt.Weekday(y, mo, d)), int64(t.YearDay()), isdst})
}

// isoWeeksIn is the number of ISO weeks (52 or 53) of ISO year y.
func isoWeeksIn(y int) int64 {
	_, w := time.Date(y, 12, 28, 0, 0, 0, 0, time.UTC).ISOWeek()
	return int64(w)
}
