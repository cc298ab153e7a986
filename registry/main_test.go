package registry_test

import (
	"os"
	"testing"

	"github.com/jacscale/jac/registry/internal/testutil"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testutil.Cleanup()
	os.Exit(code)
}
