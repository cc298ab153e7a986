package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/memory"
	"github.com/jacscale/jac/runtime/syntax"
)

func newRunCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "run FILE.jac",
		Short: "Run a Jac program",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			startGCTuner()
			return runProgram(cmd.Context(), args[0])
		},
	}
}

// runProgram runs a Jac file as `jac run` does: module code with report printing,
// exit status 1 and a traceback on stderr for an uncaught exception.
func runProgram(ctx context.Context, file string) error {
	if ctx == nil {
		ctx = context.Background()
	}
	th := interp.NewRunThread(ctx, os.Stdout)
	store := &memory.LazyBolt{Path: filepath.Join(".jac", "data", "graph.db")}
	defer store.Close()
	th.Graph = interp.NewGraph()
	var sess *interp.Session
	prog, err := interp.LoadWith(th, file, func(p *interp.Program) error {
		s, err := interp.NewSession(ctx, store, p, th.Graph, interp.ID{})
		sess = s
		th.Root = th.Graph.Root()
		return err
	})
	th.Out.Flush()
	if err == nil && prog != nil {
		withinHeldMemory(func() {
			if cerr := th.Protect(func() {
				if err := sess.Commit(th); err != nil {
					th.Raise(interp.RuntimeErrorClass, "%v", err)
				}
			}); cerr != nil {
				err = cerr
			}
		})
	}
	if err == nil {
		return nil
	}
	var se *syntax.Error
	var exc *interp.Exception
	switch {
	case errors.As(err, &se):
		fmt.Fprintf(os.Stderr, "Error: %v\n", se)
	case errors.As(err, &exc):
		if exc.Type() == "SystemExit" {
			return exitWith(exitCodeOf(exc), nil)
		}
		fmt.Fprint(os.Stderr, exc.Traceback())
		if exc.Type() == "KeyboardInterrupt" {
			return exitWith(130, errors.New("")) // as CPython: 128 + SIGINT
		}
	default:
		fmt.Fprintf(os.Stderr, "Error: %v\n", err)
	}
	return exitWith(1, errors.New(""))
}

func exitCodeOf(exc *interp.Exception) int {
	msg := exc.Message()
	if msg == "" || msg == "None" {
		return 0
	}
	var n int
	if _, err := fmt.Sscanf(msg, "%d", &n); err == nil {
		return n
	}
	fmt.Fprintln(os.Stderr, msg)
	return 1
}
