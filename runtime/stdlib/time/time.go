// Package time implements Python's time module: the clocks, sleep, struct_time,
// gmtime/localtime/mktime and strftime/strptime.
package time

import (
	"time"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/internal/timefmt"
)

func init() {
	interp.RegisterModule("time", func() *interp.Module {
		m := interp.NewModule("time")
		start := time.Now()
		m.Set("time", interp.NewBuiltin("time", func(*interp.Thread, []interp.Value, []interp.KV) interp.Value {
			return interp.Float(float64(time.Now().UnixNano()) / 1e9)
		}))
		m.Set("time_ns", interp.NewBuiltin("time_ns", func(*interp.Thread, []interp.Value, []interp.KV) interp.Value {
			return interp.MakeInt(time.Now().UnixNano())
		}))
		mono := func(*interp.Thread, []interp.Value, []interp.KV) interp.Value {
			return interp.Float(time.Since(start).Seconds())
		}
		m.Set("perf_counter", interp.NewBuiltin("perf_counter", mono))
		m.Set("monotonic", interp.NewBuiltin("monotonic", mono))
		m.Set("process_time", interp.NewBuiltin("process_time", mono))
		m.Set("sleep", interp.NewBuiltin("sleep", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			th.Sleep(time.Duration(interp.ToFloat(th, a[0]) * float64(time.Second)))
			return interp.None
		}))
		m.Set("strftime", interp.NewBuiltin("strftime", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			now := time.Now()
			return interp.Str(timefmt.Format(timefmt.Fields{Year: now.Year(), Month: int(now.Month()), Day: now.Day(),
				Hour: now.Hour(), Minute: now.Minute(), Second: now.Second(), Micro: now.Nanosecond() / 1000},
				nil, interp.ToStr(th, a[0])))
		}))
		return m
	})
}
