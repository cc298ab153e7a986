package stdlib_test

import (
	"testing"

	_ "github.com/jacscale/jac/runtime/stdlib"
	"github.com/jacscale/jac/runtime/stdlib/internal/programtest"
)

// TestPrograms runs the programs that exercise several modules together
// (testdata/NAME.jac against testdata/NAME.expected); each module package
// runs its own.
func TestPrograms(t *testing.T) { programtest.Run(t) }
