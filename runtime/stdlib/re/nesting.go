package re

import (
	"regexp/syntax"
)

// Match.lastindex is the group that closed last, not the highest-numbered
// group that matched: in ((a)b) it is 1, the outer group. Which group closes
// last follows from the groups' end offsets and, where they end together,
// from their nesting, read from the compiled pattern's syntax tree.

// groupParents returns, for each group number, the number of the group that
// encloses it (0 for the top level).
func groupParents(expr string, groups int) []int {
	parents := make([]int, groups+1)
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return parents
	}
	var walk func(r *syntax.Regexp, parent int)
	walk = func(r *syntax.Regexp, parent int) {
		if r.Op == syntax.OpCapture && r.Cap < len(parents) {
			parents[r.Cap] = parent
			parent = r.Cap
		}
		for _, sub := range r.Sub {
			walk(sub, parent)
		}
	}
	walk(re, 0)
	return parents
}

// encloses reports whether group outer contains group inner.
func (p *pattern) encloses(outer, inner int) bool {
	p.nesting.Do(func() { p.parents = groupParents(p.re.String(), p.re.NumSubexp()) })
	for g := p.parents[inner]; g != 0; g = p.parents[g] {
		if g == outer {
			return true
		}
	}
	return false
}

// lastIndex is the number of the group that closed last, 0 when none matched.
// A group numbered after another opens after it, so where both end at the
// same offset it closes later unless the earlier one encloses it.
func (m *match) lastIndex() int {
	last := 0
	for g := 1; g <= m.p.re.NumSubexp(); g++ {
		if m.loc[2*g] < 0 {
			continue
		}
		end, lastEnd := m.loc[2*g+1], m.loc[2*last+1]
		if last == 0 || end > lastEnd || end == lastEnd && !m.p.encloses(last, g) {
			last = g
		}
	}
	return last
}
