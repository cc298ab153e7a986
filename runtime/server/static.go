package server

import (
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Front-end hosting as the contract specifies: /static/..., client pages under
// /cl/..., and root assets from dist/, assets/, public/, src/ or the project root
// for an allow-list of extensions. Nothing outside the project is ever served.

var assetExts = map[string]bool{".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".webp": true,
	".svg": true, ".ico": true, ".woff": true, ".woff2": true, ".ttf": true, ".otf": true, ".eot": true,
	".mp4": true, ".webm": true, ".mp3": true, ".wav": true, ".css": true, ".js": true, ".json": true,
	".pdf": true, ".txt": true, ".xml": true}

var reservedPrefixes = []string{"cl/", "page/", "walker/", "function/", "user/", "static/"}

func plain404(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	w.Write([]byte(msg))
}

func (s *Server) projectDir() string { return filepath.Dir(s.cfg.AppFile) }

// within returns p joined under dir if it stays inside, else "".
func within(dir, p string) string {
	full := filepath.Join(dir, filepath.FromSlash(path.Clean("/"+p)))
	if real, err := filepath.EvalSymlinks(full); err == nil {
		full = real
	}
	base, _ := filepath.EvalSymlinks(dir)
	if base == "" {
		base = dir
	}
	if !strings.HasPrefix(full, base+string(filepath.Separator)) {
		return ""
	}
	return full
}

func serveFile(w http.ResponseWriter, r *http.Request, file string) bool {
	st, err := os.Stat(file)
	if err != nil || st.IsDir() {
		return false
	}
	if ct := mime.TypeByExtension(filepath.Ext(file)); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	http.ServeFile(w, r, file)
	return true
}

func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) error {
	rel := strings.TrimPrefix(r.URL.Path, "/static/")
	dir := s.projectDir()
	if rel == "client.js" {
		for _, d := range []string{"dist", ".jac/client", "static"} {
			if f := within(filepath.Join(dir, d), "client.js"); f != "" && serveFile(w, r, f) {
				return nil
			}
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("Client bundle not available"))
		return nil
	}
	for _, d := range []string{"static", "dist", "assets", "public"} {
		if f := within(filepath.Join(dir, d), rel); f != "" && serveFile(w, r, f) {
			return nil
		}
	}
	plain404(w, "Static file not found")
	return nil
}

func (s *Server) handleClientPage(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	w.Write([]byte("<!DOCTYPE html><html><body><h1>404</h1><p>Page not found</p></body></html>"))
	return nil
}

// serveAsset serves GET /<path> root assets; it reports whether the path looked
// like an asset (then the response, possibly a plain 404, has been written).
func (s *Server) serveAsset(w http.ResponseWriter, r *http.Request) bool {
	rel := strings.TrimPrefix(r.URL.Path, "/")
	ext := strings.ToLower(path.Ext(rel))
	if ext == "" {
		return false
	}
	for _, p := range reservedPrefixes {
		if strings.HasPrefix(rel, p) {
			plain404(w, "Not Found")
			return true
		}
	}
	if !assetExts[ext] {
		plain404(w, "Not Found")
		return true
	}
	dir := s.projectDir()
	for _, d := range []string{"dist", "assets", "public", "src", ""} {
		if f := within(filepath.Join(dir, d), rel); f != "" && serveFile(w, r, f) {
			return true
		}
	}
	plain404(w, "Not Found")
	return true
}
