// Package project locates a Jac app's project files (jac.toml) for the pieces
// that read its settings: the server and the deploy settings.
package project

import (
	"os"
	"path/filepath"
)

// FindTOML returns the nearest jac.toml at or above dir ("" when none).
func FindTOML(dir string) string {
	for {
		p := filepath.Join(dir, "jac.toml")
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}
