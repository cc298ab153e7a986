package server

import (
	"net/url"
	"strings"
)

// A route template is an @restspec path such as "/orgs/{org}/repos/{repo}":
// literal segments match themselves, a "{name}" segment matches any one
// non-empty segment and binds it to name (the field or parameter of the same
// name), as in Go 1.22 ServeMux patterns and FastAPI paths.

// templateParams lists the "{name}" segments of a route template in order.
func templateParams(template string) []string {
	var names []string
	for _, seg := range strings.Split(template, "/") {
		if name, ok := wildcard(seg); ok {
			names = append(names, name)
		}
	}
	return names
}

func wildcard(seg string) (string, bool) {
	if len(seg) > 2 && seg[0] == '{' && seg[len(seg)-1] == '}' {
		return seg[1 : len(seg)-1], true
	}
	return "", false
}

// routeMatch is a request path matched against one endpoint's template.
type routeMatch struct {
	values map[string]string // template wildcards
	node   string            // the trailing node id of a walker's node form
}

// wildcards counts the segments the match took from wildcards; the match with
// the fewest is the most specific (a literal "/items/new" beats "/items/{id}").
func (m routeMatch) wildcards() int {
	n := len(m.values)
	if m.node != "" {
		n++
	}
	return n
}

// matchTemplate matches the escaped request path segments against template.
// With nodeForm, one more trailing segment is accepted as the node id.
func matchTemplate(template string, segs []string, nodeForm bool) (routeMatch, bool) {
	tsegs := strings.Split(strings.Trim(template, "/"), "/")
	if template == "/" {
		tsegs = nil
	}
	var m routeMatch
	switch {
	case len(segs) == len(tsegs):
	case nodeForm && len(segs) == len(tsegs)+1:
		node, err := url.PathUnescape(segs[len(segs)-1])
		if err != nil || node == "" {
			return m, false
		}
		m.node = node
	default:
		return m, false
	}
	for i, t := range tsegs {
		seg, err := url.PathUnescape(segs[i])
		if err != nil {
			return m, false
		}
		if name, ok := wildcard(t); ok {
			if seg == "" {
				return m, false
			}
			if m.values == nil {
				m.values = map[string]string{}
			}
			m.values[name] = seg
			continue
		}
		if seg != t {
			return m, false
		}
	}
	return m, true
}

// pathSegments splits a request's escaped path into its segments, ignoring a
// trailing slash, so that "%2F" inside a segment stays in that segment.
func pathSegments(escapedPath string) []string {
	p := strings.Trim(escapedPath, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}
