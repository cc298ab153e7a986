// Package timefmt is what the time and datetime modules share: the proleptic
// Gregorian calendar arithmetic, the English day and month names, and the C
// strftime/strptime directives (CPython keeps the parsing half in _strptime).
package timefmt

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jacscale/jac/runtime/interp"
)

// Fields is a broken-down date and time of day.
type Fields struct {
	Year, Month, Day            int
	Hour, Minute, Second, Micro int
}

// Zone is what %z and %Z print: a UTC offset in microseconds and a name.
type Zone struct {
	Offset int64
	Name   string
}

// FormatOffset writes a UTC offset in microseconds as ±HH<sep>MM[<sep>SS[.ffffff]].
func FormatOffset(us int64, sep string, utcZ bool) string {
	sign := "+"
	if us < 0 {
		sign = "-"
		us = -us
	}
	h := us / 3600e6
	m := us / 60e6 % 60
	s := us / 1e6 % 60
	r := us % 1000000
	out := fmt.Sprintf("%s%02d%s%02d", sign, h, sep, m)
	if s != 0 || r != 0 {
		out += fmt.Sprintf("%s%02d", sep, s)
		if r != 0 {
			out += fmt.Sprintf(".%06d", r)
		}
	}
	return out
}

// DaysInMonth is the number of days of month m of year y.
func DaysInMonth(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Ordinal is the proleptic Gregorian ordinal of a date (0001-01-01 is 1).
func Ordinal(y, m, d int) int64 {
	y1 := int64(y - 1)
	days := y1*365 + y1/4 - y1/100 + y1/400
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return days + int64(t.YearDay())
}

// CheckDate raises ValueError as datetime does for a date out of range.
func CheckDate(th *interp.Thread, y, m, d int) {
	if y < 1 || y > 9999 {
		th.ValueError("year %d is out of range", y)
	}
	if m < 1 || m > 12 {
		th.ValueError("month must be in 1..12")
	}
	if d < 1 || d > DaysInMonth(y, m) {
		th.ValueError("day is out of range for month")
	}
}

// CheckTime raises ValueError as datetime does for a time of day out of range.
func CheckTime(th *interp.Thread, h, mi, s, us int) {
	switch {
	case h < 0 || h > 23:
		th.ValueError("hour must be in 0..23")
	case mi < 0 || mi > 59:
		th.ValueError("minute must be in 0..59")
	case s < 0 || s > 59:
		th.ValueError("second must be in 0..59")
	case us < 0 || us > 999999:
		th.ValueError("microsecond must be in 0..999999")
	}
}

// DayNames and MonthNames are the English names strftime prints.
var (
	DayNames   = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	MonthNames = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

// Weekday is the day of the week of a date, Monday being 0.
func Weekday(y, m, d int) int { return int((Ordinal(y, m, d) + 6) % 7) }

// Format formats t with the strftime directives of f; zone (nil: naive)
// gives %z and %Z.
func Format(t Fields, zone *Zone, f string) string {
	y, mo, d, h, mi, s, us := t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second, t.Micro
	var b strings.Builder
	rs := []rune(f)
	for i := 0; i < len(rs); i++ {
		if rs[i] != '%' || i+1 >= len(rs) {
			b.WriteRune(rs[i])
			continue
		}
		i++
		wd := Weekday(y, mo, d)
		switch rs[i] {
		case 'Y':
			fmt.Fprintf(&b, "%04d", y)
		case 'y':
			fmt.Fprintf(&b, "%02d", y%100)
		case 'm':
			fmt.Fprintf(&b, "%02d", mo)
		case 'd':
			fmt.Fprintf(&b, "%02d", d)
		case 'e':
			fmt.Fprintf(&b, "%2d", d)
		case 'H':
			fmt.Fprintf(&b, "%02d", h)
		case 'I':
			hh := h % 12
			if hh == 0 {
				hh = 12
			}
			fmt.Fprintf(&b, "%02d", hh)
		case 'M':
			fmt.Fprintf(&b, "%02d", mi)
		case 'S':
			fmt.Fprintf(&b, "%02d", s)
		case 'f':
			fmt.Fprintf(&b, "%06d", us)
		case 'p':
			if h < 12 {
				b.WriteString("AM")
			} else {
				b.WriteString("PM")
			}
		case 'a':
			b.WriteString(DayNames[wd][:3])
		case 'A':
			b.WriteString(DayNames[wd])
		case 'w':
			fmt.Fprintf(&b, "%d", (wd+1)%7)
		case 'u':
			fmt.Fprintf(&b, "%d", wd+1)
		case 'b', 'h':
			b.WriteString(MonthNames[mo-1][:3])
		case 'B':
			b.WriteString(MonthNames[mo-1])
		case 'j':
			fmt.Fprintf(&b, "%03d", time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC).YearDay())
		case 'U', 'W':
			yd := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC).YearDay() - 1
			w := wd // Monday=0
			if rs[i] == 'U' {
				w = (wd + 1) % 7
			}
			fmt.Fprintf(&b, "%02d", (yd+7-w)/7)
		case 'z':
			if zone != nil {
				b.WriteString(FormatOffset(zone.Offset, "", false))
			}
		case 'Z':
			if zone != nil {
				b.WriteString(zone.Name)
			}
		case 'c':
			fmt.Fprintf(&b, "%s %s %2d %02d:%02d:%02d %04d", DayNames[wd][:3], MonthNames[mo-1][:3], d, h, mi, s, y)
		case 'x':
			fmt.Fprintf(&b, "%02d/%02d/%02d", mo, d, y%100)
		case 'X':
			fmt.Fprintf(&b, "%02d:%02d:%02d", h, mi, s)
		case 'F':
			fmt.Fprintf(&b, "%04d-%02d-%02d", y, mo, d)
		case 'T':
			fmt.Fprintf(&b, "%02d:%02d:%02d", h, mi, s)
		case 'G':
			yy, _ := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC).ISOWeek()
			fmt.Fprintf(&b, "%04d", yy)
		case 'V':
			_, ww := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC).ISOWeek()
			fmt.Fprintf(&b, "%02d", ww)
		case '%':
			b.WriteByte('%')
		default:
			b.WriteRune('%')
			b.WriteRune(rs[i])
		}
	}
	return b.String()
}

// Parse reads s with the strptime directives of f, raising ValueError as
// CPython does when s does not match; offset is the %z offset in
// microseconds (nil when f has none). Fields default to 1900-01-01 00:00.
func Parse(th *interp.Thread, s, f string) (t Fields, offset *int64) {
	t = Fields{Year: 1900, Month: 1, Day: 1}
	pm, hasP := false, false
	i := 0
	fail := func() {
		th.ValueError("time data %s does not match format %s", interp.QuoteStr(s), interp.QuoteStr(f))
	}
	num := func(max int) int {
		j := i
		for j < len(s) && j-i < max && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i {
			fail()
		}
		n, _ := strconv.Atoi(s[i:j])
		i = j
		return n
	}
	word := func(names []string, short bool) int {
		for k, n := range names {
			if short {
				n = n[:3]
			}
			if len(s)-i >= len(n) && strings.EqualFold(s[i:i+len(n)], n) {
				i += len(n)
				return k
			}
		}
		fail()
		return 0
	}
	for k := 0; k < len(f); k++ {
		c := f[k]
		if c != '%' || k+1 >= len(f) {
			if c == ' ' {
				for i < len(s) && s[i] == ' ' {
					i++
				}
				continue
			}
			if i >= len(s) || s[i] != c {
				fail()
			}
			i++
			continue
		}
		k++
		switch f[k] {
		case 'Y':
			t.Year = num(4)
		case 'y':
			n := num(2)
			if n < 69 {
				t.Year = 2000 + n
			} else {
				t.Year = 1900 + n
			}
		case 'm':
			t.Month = num(2)
		case 'd':
			t.Day = num(2)
		case 'H':
			t.Hour = num(2)
		case 'I':
			t.Hour = num(2)
		case 'M':
			t.Minute = num(2)
		case 'S':
			t.Second = num(2)
		case 'f':
			j := i
			n := num(6)
			for d := i - j; d < 6; d++ {
				n *= 10
			}
			t.Micro = n
		case 'j':
			yd := num(3)
			date := time.Date(t.Year, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, yd-1)
			t.Month, t.Day = int(date.Month()), date.Day()
		case 'p':
			if len(s)-i >= 2 {
				hasP = true
				switch strings.ToUpper(s[i : i+2]) {
				case "AM":
				case "PM":
					pm = true
				default:
					fail()
				}
				i += 2
			} else {
				fail()
			}
		case 'b', 'h':
			t.Month = word(MonthNames, true) + 1
		case 'B':
			t.Month = word(MonthNames, false) + 1
		case 'a':
			word(DayNames, true)
		case 'A':
			word(DayNames, false)
		case 'z':
			if i < len(s) && s[i] == 'Z' {
				i++
				offset = new(int64)
				break
			}
			if i >= len(s) || (s[i] != '+' && s[i] != '-') {
				fail()
			}
			sign := int64(1)
			if s[i] == '-' {
				sign = -1
			}
			i++
			hh := num(2)
			if i < len(s) && s[i] == ':' {
				i++
			}
			mm := num(2)
			off := sign * (int64(hh)*3600e6 + int64(mm)*60e6)
			offset = &off
		case 'Z':
			j := i
			for j < len(s) && (s[j] >= 'A' && s[j] <= 'Z') {
				j++
			}
			i = j
		case '%':
			if i >= len(s) || s[i] != '%' {
				fail()
			}
			i++
		default:
			th.ValueError("'%c' is a bad directive in format %s", f[k], interp.QuoteStr(f))
		}
	}
	if i != len(s) {
		th.ValueError("unconverted data remains: %s", s[i:])
	}
	if hasP {
		if t.Hour == 12 {
			t.Hour = 0
		}
		if pm {
			t.Hour += 12
		}
	}
	CheckDate(th, t.Year, t.Month, t.Day)
	CheckTime(th, t.Hour, t.Minute, t.Second, t.Micro)
	return t, offset
}
