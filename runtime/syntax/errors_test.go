package syntax

import (
	"strings"
	"testing"
)

// TestSyntaxErrors: what the reference rejects at compile time is rejected here,
// with file:line:col.
func TestSyntaxErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"with entry { pass; }", "x.jac:1:14: 'pass' keyword is not allowed in Jac"},
		{"with entry { x = `pass; }", "x.jac:1:18: 'pass' keyword is not allowed in Jac"},
		{"obj A { pass; }", "'pass' keyword is not allowed in Jac"},
		{"with entry { a, *b = [1, 2]; }", "x.jac:1:15: expected ';'"},
	} {
		_, err := Parse("x.jac", c.src)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.src, err, c.want)
		}
	}
}
