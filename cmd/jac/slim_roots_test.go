//go:build slim

package main

import (
	"crypto/x509"
	"os"
	"path/filepath"
	"testing"
)

func TestFallbackRootsNeeded(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "roots.pem")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	emptyDir := filepath.Join(dir, "empty")
	certDir := filepath.Join(dir, "certs")
	for _, d := range []string{emptyDir, certDir} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(certDir, "a.pem"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing")
	for _, c := range []struct {
		file, dir string
		want      bool
	}{
		{file, missing, false},                     // $SSL_CERT_FILE exists
		{missing, emptyDir, true},                  // nothing usable anywhere
		{missing, emptyDir + ":" + certDir, false}, // a ':'-separated $SSL_CERT_DIR with certificates
		{missing, ":" + missing + ":", true},
		{emptyDir, emptyDir, true}, // a directory is not a certificate file
	} {
		if got := fallbackRootsNeeded(c.file, c.dir); got != c.want {
			t.Errorf("fallbackRootsNeeded(%q, %q) = %v, want %v", c.file, c.dir, got, c.want)
		}
	}
}

func TestBundleCertPool(t *testing.T) {
	var pool *x509.CertPool = bundleCertPool()
	if pool.Equal(x509.NewCertPool()) {
		t.Fatal("the embedded bundle parsed into an empty pool")
	}
}
