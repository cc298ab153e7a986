package jacbuild

import (
	"net/url"
	"os/exec"
	"strings"
)

// gitInfo returns the app repository's origin URL (credentials removed, SSH form
// turned into https) and HEAD commit, or "" for each when git or the repository is
// missing.
func gitInfo(dir string) (source, revision string) {
	if _, err := exec.LookPath("git"); err != nil {
		return "", ""
	}
	if out, err := exec.Command("git", "-C", dir, "rev-parse", "HEAD").Output(); err == nil {
		revision = strings.TrimSpace(string(out))
	}
	if out, err := exec.Command("git", "-C", dir, "config", "--get", "remote.origin.url").Output(); err == nil {
		source = cleanRemote(strings.TrimSpace(string(out)))
	}
	return source, revision
}

// cleanRemote turns git@host:org/repo.git into https://host/org/repo and drops any
// user:token@ from an https remote.
func cleanRemote(s string) string {
	if s == "" {
		return ""
	}
	if !strings.Contains(s, "://") {
		if at := strings.Index(s, "@"); at >= 0 {
			if host, path, ok := strings.Cut(s[at+1:], ":"); ok {
				s = "https://" + host + "/" + path
			}
		}
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	u.User = nil
	if u.Scheme == "ssh" || u.Scheme == "git" {
		u.Scheme = "https"
		u.Host = u.Hostname()
	}
	return strings.TrimSuffix(u.String(), ".git")
}
