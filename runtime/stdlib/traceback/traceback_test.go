package traceback_test

import (
	"testing"

	_ "github.com/jacscale/jac/runtime/stdlib"
	"github.com/jacscale/jac/runtime/stdlib/internal/programtest"
)

// TestPrograms runs testdata/NAME.jac and compares its output with
// testdata/NAME.expected (printed by CPython for the equivalent program).
func TestPrograms(t *testing.T) { programtest.Run(t) }
