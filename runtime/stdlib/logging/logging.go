// Package logging implements the part of Python's logging module programs use:
// getLogger, the loggers' level methods and basicConfig.
package logging

import (
	"fmt"
	"os"
	"strings"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/syntax"
)

var loggerClass = interp.NewBuiltinClass("Logger", interp.ObjectClass)

type logger struct {
	name   string
	level  int64
	parent *logger
}

func (*logger) Class() *interp.Class { return loggerClass }

func (l *logger) effective() int64 {
	if l.level >= 0 || l.parent == nil {
		return l.level
	}
	return l.parent.effective()
}

var logLevels = map[string]int64{"debug": 10, "info": 20, "warning": 30, "error": 40, "exception": 40, "critical": 50}

func (l *logger) log(th *interp.Thread, method string, a []interp.Value) {
	lvl := logLevels[method]
	if lvl < l.effective() || len(a) == 0 {
		return
	}
	msg := interp.ToStr(th, a[0])
	if len(a) > 1 {
		msg = interp.ToStr(th, interp.Binary(th, syntax.PERCENT, interp.Str(msg), interp.Tuple(a[1:])))
	}
	name := strings.ToUpper(method)
	if method == "exception" {
		name = "ERROR"
	}
	fmt.Fprintf(os.Stderr, "%s:%s:%s\n", name, l.name, msg)
}

// AttrJac implements the logger methods.
func (l *logger) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	if _, ok := logLevels[name]; ok {
		return interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			l.log(th, name, a)
			return interp.None
		}), true
	}
	switch name {
	case "setLevel":
		return interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			l.level = interp.ToInt64(th, a[0])
			return interp.None
		}), true
	case "name":
		return interp.Str(l.name), true
	case "addHandler", "removeHandler", "propagate":
		return interp.NewBuiltin(name, func(*interp.Thread, []interp.Value, []interp.KV) interp.Value { return interp.None }), true
	}
	return nil, false
}

func init() {
	interp.RegisterModule("logging", func() *interp.Module {
		m := interp.NewModule("logging")
		levels := map[string]int64{"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40, "CRITICAL": 50}
		for k, v := range levels {
			m.Set(k, interp.MakeInt(v))
		}
		root := &logger{name: "root", level: 30}
		loggers := map[string]*logger{}
		m.Set("getLogger", interp.NewBuiltin("getLogger", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			if len(a) == 0 || a[0] == interp.None {
				return root
			}
			name := interp.ToStr(th, a[0])
			if l, ok := loggers[name]; ok {
				return l
			}
			l := &logger{name: name, level: -1, parent: root}
			loggers[name] = l
			return l
		}))
		m.Set("basicConfig", interp.NewBuiltin("basicConfig", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			if v, ok := interp.KwArg(kw, "level"); ok {
				root.level = interp.ToInt64(th, v)
			}
			return interp.None
		}))
		for _, name := range []string{"debug", "info", "warning", "error", "critical", "exception"} {
			name := name
			m.Set(name, interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
				root.log(th, name, a)
				return interp.None
			}))
		}
		return m
	})
}
