package syntax

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestParseConformanceCorpus parses every program of the shared conformance corpus;
// the err_syntax cases must fail, all others must parse.
func TestParseConformanceCorpus(t *testing.T) {
	files, _ := filepath.Glob("../../../shared/conformance/*/*.jac")
	if len(files) == 0 {
		t.Skip("conformance corpus not found beside the repository")
	}
	for _, f := range files {
		if st, err := os.Stat(f); err != nil || st.IsDir() || strings.HasPrefix(filepath.Base(f), ".") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Parse(f, string(src))
		wantErr := strings.Contains(filepath.Base(f), "err_syntax")
		if wantErr && err == nil {
			t.Errorf("%s: parsed, want a syntax error", f)
		}
		if !wantErr && err != nil {
			t.Errorf("%v", err)
		}
	}
}
