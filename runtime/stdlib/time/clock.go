//go:build linux

package time

import (
	"errors"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/types"
)

// The POSIX clocks of Linux: time.clock_gettime/clock_getres/clock_settime
// with the CLOCK_* ids, get_clock_info, and process_time on the process's CPU
// clock, as CPython has them there.

var clockIDs = []struct {
	name string
	id   int32
}{
	{"CLOCK_BOOTTIME", unix.CLOCK_BOOTTIME},
	{"CLOCK_MONOTONIC", unix.CLOCK_MONOTONIC},
	{"CLOCK_MONOTONIC_RAW", unix.CLOCK_MONOTONIC_RAW},
	{"CLOCK_PROCESS_CPUTIME_ID", unix.CLOCK_PROCESS_CPUTIME_ID},
	{"CLOCK_REALTIME", unix.CLOCK_REALTIME},
	{"CLOCK_TAI", unix.CLOCK_TAI},
	{"CLOCK_THREAD_CPUTIME_ID", unix.CLOCK_THREAD_CPUTIME_ID},
}

// clockInfo is what get_clock_info(name) reports: the clock a function of
// this module reads (CPython's implementation string) and its properties.
var clockInfo = map[string]struct {
	id                    int32
	monotonic, adjustable bool
}{
	"time":         {unix.CLOCK_REALTIME, false, true},
	"monotonic":    {unix.CLOCK_MONOTONIC, true, false},
	"perf_counter": {unix.CLOCK_MONOTONIC, true, false},
	"process_time": {unix.CLOCK_PROCESS_CPUTIME_ID, true, false},
	"thread_time":  {unix.CLOCK_THREAD_CPUTIME_ID, true, false},
}

// clockNames maps an id back to its name, for implementation strings.
func clockName(id int32) string {
	for _, c := range clockIDs {
		if c.id == id {
			return c.name
		}
	}
	return ""
}

// raiseErrno raises OSError(errno, strerror) for a failed system call.
func raiseErrno(th *interp.Thread, err error) {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		th.RaiseOSError(err, "")
	}
	th.RaiseValue(th.Call(interp.OSErrorClass, []interp.Value{interp.MakeInt(int64(errno)), interp.Str(strerror(errno))}, nil).(*interp.Instance))
}

// strerror is C's strerror(errno): Go's text with a capital letter, as glibc
// writes it ("Invalid argument", "Operation not permitted").
func strerror(errno syscall.Errno) string {
	s := errno.Error()
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		s = string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

func clockArg(th *interp.Thread, name string, args []interp.Value, kw []interp.KV, more ...string) []interp.Value {
	return interp.ParseArgs(th, name, args, kw, append([]string{"clk_id"}, more...)...)
}

func clockGet(th *interp.Thread, id interp.Value) *unix.Timespec {
	var ts unix.Timespec
	if err := unix.ClockGettime(int32(interp.ToInt64(th, id)), &ts); err != nil {
		raiseErrno(th, err)
	}
	return &ts
}

func seconds(ts *unix.Timespec) interp.Value {
	return interp.Float(float64(ts.Sec) + float64(ts.Nsec)/1e9)
}

func registerClocks(m *interp.Module) {
	def := func(name string, fn func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value) {
		m.Set(name, interp.NewBuiltin(name, fn))
	}
	for _, c := range clockIDs {
		m.Set(c.name, interp.MakeInt(int64(c.id)))
	}
	def("clock_gettime", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		return seconds(clockGet(th, clockArg(th, "clock_gettime", args, kw)[0]))
	})
	def("clock_gettime_ns", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		return interp.MakeInt(clockGet(th, clockArg(th, "clock_gettime_ns", args, kw)[0]).Nano())
	})
	def("clock_getres", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		var ts unix.Timespec
		if err := unix.ClockGetres(int32(interp.ToInt64(th, clockArg(th, "clock_getres", args, kw)[0])), &ts); err != nil {
			raiseErrno(th, err)
		}
		return seconds(&ts)
	})
	settime := func(name string, toTimespec func(th *interp.Thread, v interp.Value) unix.Timespec) {
		def(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := clockArg(th, name, args, kw, "time")
			ts := toTimespec(th, a[1])
			if err := unix.ClockSettime(int32(interp.ToInt64(th, a[0])), &ts); err != nil {
				raiseErrno(th, err)
			}
			return interp.None
		})
	}
	settime("clock_settime", func(th *interp.Thread, v interp.Value) unix.Timespec {
		return unix.NsecToTimespec(int64(interp.ToFloat(th, v) * 1e9))
	})
	settime("clock_settime_ns", func(th *interp.Thread, v interp.Value) unix.Timespec {
		return unix.NsecToTimespec(interp.ToInt64(th, v))
	})
	def("get_clock_info", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		name := interp.ToStr(th, interp.ParseArgs(th, "get_clock_info", args, kw, "name")[0])
		info, ok := clockInfo[name]
		if !ok {
			th.ValueError("unknown clock")
		}
		var res unix.Timespec
		unix.ClockGetres(info.id, &res)
		return types.NewNamespace(
			interp.KV{Name: "implementation", Value: interp.Str("clock_gettime(" + clockName(info.id) + ")")},
			interp.KV{Name: "monotonic", Value: interp.MakeBool(info.monotonic)},
			interp.KV{Name: "adjustable", Value: interp.MakeBool(info.adjustable)},
			interp.KV{Name: "resolution", Value: seconds(&res)})
	})
	// process_time is the process's CPU time, not a wall clock.
	def("process_time", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		return seconds(clockGet(th, interp.MakeInt(unix.CLOCK_PROCESS_CPUTIME_ID)))
	})
	def("process_time_ns", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		return interp.MakeInt(clockGet(th, interp.MakeInt(unix.CLOCK_PROCESS_CPUTIME_ID)).Nano())
	})
}
