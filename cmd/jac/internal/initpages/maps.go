package initpages

// readOnlyMappingOf parses a line of /proc/self/maps and returns the address
// range of a private read-only (r--p) or read-execute (r-xp) mapping of file.
func readOnlyMappingOf(line, file string) (lo, hi uint64, ok bool) {
	fields := splitFields(line, 6)
	if len(fields) != 6 || fields[5] != file || fields[1] != "r-xp" && fields[1] != "r--p" {
		return 0, 0, false
	}
	i := indexByte(fields[0], '-')
	if i < 0 {
		return 0, 0, false
	}
	lo, ok1 := parseHex(fields[0][:i])
	hi, ok2 := parseHex(fields[0][i+1:])
	if !ok1 || !ok2 || hi <= lo {
		return 0, 0, false
	}
	return lo, hi, true
}

// splitFields splits s at runs of spaces into at most n fields; the last one
// is the rest of the line with its leading spaces removed (a path may hold
// spaces).
func splitFields(s string, n int) []string {
	var fields []string
	for len(fields) < n {
		for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
			s = s[1:]
		}
		if s == "" {
			break
		}
		if len(fields) == n-1 {
			fields = append(fields, s)
			break
		}
		end := 0
		for end < len(s) && s[end] != ' ' && s[end] != '\t' {
			end++
		}
		fields = append(fields, s[:end])
		s = s[end:]
	}
	return fields
}

func parseHex(s string) (uint64, bool) {
	if s == "" || len(s) > 16 {
		return 0, false
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		v = v<<4 | uint64(c)
	}
	return v, true
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}
