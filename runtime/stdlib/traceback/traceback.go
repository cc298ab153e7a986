// Package traceback implements the part of Python's traceback module programs
// use to log an exception they caught: format_exc, print_exc, format_exception,
// print_exception and format_exception_only. Frames are printed as CPython prints
// them ("  File ..., line N, in f" and the stripped source line when the file can
// be read). Exceptions carry no traceback objects here (`__traceback__` is None),
// so format_tb and extract_tb of one give an empty list.
package traceback

import (
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/jacscale/jac/runtime/interp"
)

func init() {
	interp.RegisterModule("traceback", func() *interp.Module {
		m := interp.NewModule("traceback")
		m.Set("format_exc", interp.NewBuiltin("format_exc", formatExc))
		m.Set("print_exc", interp.NewBuiltin("print_exc", printExc))
		m.Set("format_exception", interp.NewBuiltin("format_exception", formatException))
		m.Set("print_exception", interp.NewBuiltin("print_exception", printException))
		m.Set("format_exception_only", interp.NewBuiltin("format_exception_only", formatExceptionOnly))
		empty := func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value { return interp.NewList(nil) }
		m.Set("format_tb", interp.NewBuiltin("format_tb", empty))
		m.Set("extract_tb", interp.NewBuiltin("extract_tb", empty))
		return m
	})
}

func formatExc(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	a := interp.ParseArgs(th, "format_exc", args, kw, "limit?", "chain?")
	return interp.Str(strings.Join(lines(th, th.HandledException(), a[0], a[1]), ""))
}

func printExc(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	a := interp.ParseArgs(th, "print_exc", args, kw, "limit?", "file?", "chain?")
	write(th, a[1], lines(th, th.HandledException(), a[0], a[2]))
	return interp.None
}

func formatException(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	a := interp.ParseArgs(th, "format_exception", args, kw, "exc", "value?", "tb?", "limit?", "chain?")
	return strList(lines(th, exceptionArg(th, a[0], a[1]), a[3], a[4]))
}

func printException(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	a := interp.ParseArgs(th, "print_exception", args, kw, "exc", "value?", "tb?", "limit?", "file?", "chain?")
	write(th, a[4], lines(th, exceptionArg(th, a[0], a[1]), a[3], a[5]))
	return interp.None
}

func formatExceptionOnly(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	a := interp.ParseArgs(th, "format_exception_only", args, kw, "exc", "value?")
	exc := exceptionArg(th, a[0], a[1])
	if exc == nil {
		return strList([]string{"NoneType: None\n"})
	}
	return strList([]string{exc.ExceptionLine(th) + "\n"})
}

// exceptionArg is the exception of format_exception(exc) or of the older
// format_exception(type, value, tb) form; nil for None.
func exceptionArg(th *interp.Thread, exc, value interp.Value) *interp.Instance {
	if value != nil && value != interp.None {
		exc = value
	}
	if exc == nil || exc == interp.None {
		return nil
	}
	if !interp.IsException(exc) {
		th.TypeError("Exception expected for value, %s found", exc.Class().Name)
	}
	return exc.(*interp.Instance)
}

// lines renders exc as format_exception does: its causes and contexts first,
// each a "Traceback (most recent call last):" block, then its own.
func lines(th *interp.Thread, exc *interp.Instance, limit, chain interp.Value) []string {
	if exc == nil {
		return []string{"NoneType: None\n"}
	}
	followChain := chain == nil || interp.Truth(th, chain)
	var out []string
	seen := map[*interp.Instance]bool{}
	var render func(e *interp.Instance)
	render = func(e *interp.Instance) {
		seen[e] = true
		if followChain {
			if cause, ok := interp.GetAttr(th, e, "__cause__").(*interp.Instance); ok && !seen[cause] {
				render(cause)
				out = append(out, "\nThe above exception was the direct cause of the following exception:\n\n")
			} else if ctx, ok := interp.GetAttr(th, e, "__context__").(*interp.Instance); ok && !seen[ctx] &&
				!interp.Truth(th, interp.GetAttr(th, e, "__suppress_context__")) {
				render(ctx)
				out = append(out, "\nDuring handling of the above exception, another exception occurred:\n\n")
			}
		}
		if entries := limited(e.TracebackEntries(), limit, th); len(entries) > 0 {
			out = append(out, "Traceback (most recent call last):\n")
			for _, t := range entries {
				out = append(out, frameLine(t))
			}
		}
		out = append(out, e.ExceptionLine(th)+"\n")
	}
	render(exc)
	return out
}

// limited applies format_exception's limit: the first limit entries when it is
// positive, the last -limit when negative.
func limited(entries []interp.TraceEntry, limit interp.Value, th *interp.Thread) []interp.TraceEntry {
	if limit == nil || limit == interp.None {
		return entries
	}
	n := int(interp.ToInt64(th, limit))
	switch {
	case n >= 0 && n < len(entries):
		return entries[:n]
	case n < 0 && -n < len(entries):
		return entries[len(entries)+n:]
	}
	return entries
}

func frameLine(t interp.TraceEntry) string {
	s := "  File \"" + t.File() + "\", line " + strconv.Itoa(int(t.Pos.Line)) + ", in " + t.Func() + "\n"
	if src := sourceLine(t.File(), int(t.Pos.Line)); src != "" {
		s += "    " + src + "\n"
	}
	return s
}

var sources sync.Map // file name -> []string, read once, as linecache does

func sourceLine(file string, line int) string {
	v, ok := sources.Load(file)
	if !ok {
		data, err := os.ReadFile(file)
		var ls []string
		if err == nil {
			ls = strings.Split(string(data), "\n")
		}
		v, _ = sources.LoadOrStore(file, ls)
	}
	ls := v.([]string)
	if line < 1 || line > len(ls) {
		return ""
	}
	return strings.TrimSpace(ls[line-1])
}

// write prints the lines to file, or to standard error after the thread's own
// output (as print_exc writes to sys.stderr).
func write(th *interp.Thread, file interp.Value, ls []string) {
	text := strings.Join(ls, "")
	if file != nil && file != interp.None {
		th.Call(interp.LookupBuiltin("print"), []interp.Value{interp.Str(text)},
			[]interp.KV{{Name: "end", Value: interp.Str("")}, {Name: "file", Value: file}})
		return
	}
	th.Out.Flush()
	os.Stderr.WriteString(text)
}

func strList(ss []string) interp.Value {
	vals := make([]interp.Value, len(ss))
	for i, s := range ss {
		vals[i] = interp.Str(s)
	}
	return interp.NewList(vals)
}
