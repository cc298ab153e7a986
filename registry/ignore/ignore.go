// Package ignore implements the .gitignore pattern language for choosing which
// files of an app go into its image (.gitignore and .jacignore files).
//
// Supported: blank lines and # comments, \# and \! escapes, negation (!), trailing
// / (directories only), a / at the start or in the middle (anchored to the file's
// directory), *, ?, [...] classes and ** (leading **/, trailing /**, inner /**/).
// As in git, a file under an ignored directory cannot be re-included, because the
// walker never enters that directory.
package ignore

import (
	"bufio"
	"io"
	"os"
	"path"
	"regexp"
	"strings"
)

type rule struct {
	base    string // directory (slash-separated, relative to the root) the rule file lives in; "" for the root
	re      *regexp.Regexp
	negate  bool
	dirOnly bool
	text    string
}

// Matcher holds rules in order of precedence (later rules win).
type Matcher struct{ rules []rule }

// New returns a Matcher with the given root-level patterns.
func New(patterns ...string) *Matcher {
	m := &Matcher{}
	for _, p := range patterns {
		m.Add("", p)
	}
	return m
}

// Add adds one pattern line from an ignore file in directory base ("" = root).
func (m *Matcher) Add(base, line string) {
	r, ok := compile(line)
	if !ok {
		return
	}
	r.base = strings.Trim(base, "/")
	m.rules = append(m.rules, r)
}

// AddReader adds every line of an ignore file in directory base.
func (m *Matcher) AddReader(base string, rd io.Reader) error {
	sc := bufio.NewScanner(rd)
	for sc.Scan() {
		m.Add(base, sc.Text())
	}
	return sc.Err()
}

// AddFile adds the lines of the ignore file at file (a missing file is no error).
func (m *Matcher) AddFile(base, file string) error {
	f, err := os.Open(file)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	return m.AddReader(base, f)
}

// Match reports whether rel (slash-separated, relative to the root) is ignored.
func (m *Matcher) Match(rel string, isDir bool) bool {
	rel = strings.Trim(rel, "/")
	ignored := false
	for _, r := range m.rules {
		sub := rel
		if r.base != "" {
			if !strings.HasPrefix(rel, r.base+"/") {
				continue
			}
			sub = rel[len(r.base)+1:]
		}
		if r.dirOnly && !isDir {
			continue
		}
		if r.re.MatchString(sub) {
			ignored = !r.negate
		}
	}
	return ignored
}

func compile(line string) (rule, bool) {
	line = strings.TrimSuffix(line, "\r")
	// Trailing spaces are ignored unless escaped.
	for strings.HasSuffix(line, " ") && !strings.HasSuffix(line, "\\ ") {
		line = line[:len(line)-1]
	}
	if line == "" || strings.HasPrefix(line, "#") {
		return rule{}, false
	}
	r := rule{text: line}
	if strings.HasPrefix(line, "!") {
		r.negate = true
		line = line[1:]
	} else if strings.HasPrefix(line, "\\!") || strings.HasPrefix(line, "\\#") {
		line = line[1:]
	}
	if strings.HasSuffix(line, "/") {
		r.dirOnly = true
		line = strings.TrimRight(line, "/")
	}
	if line == "" {
		return rule{}, false
	}
	anchored := strings.Contains(line, "/")
	line = strings.TrimPrefix(line, "/")
	var b strings.Builder
	b.WriteString("^")
	if !anchored {
		b.WriteString("(?:.*/)?")
	}
	for i := 0; i < len(line); {
		switch {
		case strings.HasPrefix(line[i:], "**/"):
			b.WriteString("(?:.*/)?")
			i += 3
		case strings.HasPrefix(line[i:], "/**") && i+3 == len(line):
			b.WriteString("/.*")
			i += 3
		case strings.HasPrefix(line[i:], "**"):
			b.WriteString(".*")
			i += 2
		case line[i] == '*':
			b.WriteString("[^/]*")
			i++
		case line[i] == '?':
			b.WriteString("[^/]")
			i++
		case line[i] == '[':
			j := i + 1
			if j < len(line) && (line[j] == '!' || line[j] == '^') {
				j++
			}
			if j < len(line) && line[j] == ']' {
				j++
			}
			for j < len(line) && line[j] != ']' {
				j++
			}
			if j >= len(line) { // no closing bracket: a literal [
				b.WriteString(regexp.QuoteMeta("["))
				i++
				continue
			}
			class := line[i+1 : j]
			neg := false
			if strings.HasPrefix(class, "!") || strings.HasPrefix(class, "^") {
				neg, class = true, class[1:]
			}
			b.WriteString("[")
			if neg {
				b.WriteString("^")
			}
			b.WriteString(strings.ReplaceAll(strings.ReplaceAll(class, `\`, `\\`), "[", `\[`))
			b.WriteString("]")
			i = j + 1
		case line[i] == '\\' && i+1 < len(line):
			b.WriteString(regexp.QuoteMeta(line[i+1 : i+2]))
			i += 2
		default:
			b.WriteString(regexp.QuoteMeta(line[i : i+1]))
			i++
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return rule{}, false
	}
	r.re = re
	return r, true
}

// Clean turns an OS path into the slash-separated form Match expects.
func Clean(p string) string { return strings.Trim(path.Clean(strings.ReplaceAll(p, "\\", "/")), "/") }
