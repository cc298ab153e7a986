package syntax

import (
	"strings"
)

// String literals: adjacent-literal concatenation and f-strings with their
// replacement fields.

func (p *parser) parseStrings() Expr {
	start := p.pos()
	var parts []FPart
	isF, isBytes, isStr := false, false, false
	for {
		t := p.tok()
		switch t.Kind {
		case STRING:
			isStr = true
			parts = append(parts, FPart{Lit: t.Text})
		case BYTES:
			isBytes = true
			parts = append(parts, FPart{Lit: t.Text})
		case FSTRING:
			isF = true
			parts = append(parts, p.parseFString(t)...)
		default:
			goto done
		}
		p.next()
	}
done:
	if isBytes && (isStr || isF) {
		p.errorf(start, "cannot mix bytes and nonbytes literals")
	}
	if !isF {
		var b strings.Builder
		for _, pt := range parts {
			b.WriteString(pt.Lit)
		}
		k := STRING
		if isBytes {
			k = BYTES
		}
		return &Const{At: At{start}, Kind: k, Text: b.String()}
	}
	return &FString{At: At{start}, Parts: mergeLits(parts)}
}

func mergeLits(parts []FPart) []FPart {
	var out []FPart
	for _, pt := range parts {
		if pt.Expr == nil && len(out) > 0 && out[len(out)-1].Expr == nil {
			out[len(out)-1].Lit += pt.Lit
			continue
		}
		if pt.Expr == nil && pt.Lit == "" {
			continue
		}
		out = append(out, pt)
	}
	return out
}

// parseFString splits an f-string body into literal parts and replacement fields.
func (p *parser) parseFString(t *Tok) []FPart {
	parts, err := splitFString(p.file, t.Text, t.Raw, t.Pos)
	if err != nil {
		panic(err)
	}
	return parts
}

func splitFString(file, body string, raw bool, at Pos) ([]FPart, *Error) {
	var parts []FPart
	var lit strings.Builder
	flush := func() error {
		if lit.Len() == 0 {
			return nil
		}
		s, err := Unquote(lit.String(), raw, false)
		if err != nil {
			return err
		}
		parts = append(parts, FPart{Lit: s})
		lit.Reset()
		return nil
	}
	fail := func(msg string) ([]FPart, *Error) {
		return nil, &Error{File: file, Pos: at, Msg: "f-string: " + msg}
	}
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == '\\' && i+1 < len(body) && !raw:
			lit.WriteByte(c)
			lit.WriteByte(body[i+1])
			i += 2
		case c == '{' && i+1 < len(body) && body[i+1] == '{':
			lit.WriteByte('{')
			i += 2
		case c == '}' && i+1 < len(body) && body[i+1] == '}':
			lit.WriteByte('}')
			i += 2
		case c == '}':
			return fail("single '}' is not allowed")
		case c == '{':
			if err := flush(); err != nil {
				return fail(err.Error())
			}
			end, field, ferr := scanField(body, i+1)
			if ferr != "" {
				return fail(ferr)
			}
			part, perr := parseField(file, field, raw, at)
			if perr != nil {
				return nil, perr
			}
			parts = append(parts, part)
			i = end + 1
		default:
			lit.WriteByte(c)
			i++
		}
	}
	if err := flush(); err != nil {
		return fail(err.Error())
	}
	return parts, nil
}

// scanField finds the '}' closing the replacement field starting at i.
func scanField(body string, i int) (int, string, string) {
	depth := 0
	start := i
	for i < len(body) {
		c := body[i]
		switch c {
		case '\'', '"':
			q := c
			i++
			for i < len(body) && body[i] != q {
				if body[i] == '\\' {
					i++
				}
				i++
			}
		case '(', '[', '{':
			depth++
		case ')', ']':
			depth--
		case '}':
			if depth == 0 {
				return i, body[start:i], ""
			}
			depth--
		}
		i++
	}
	return 0, "", "expecting '}'"
}

func parseField(file, field string, raw bool, at Pos) (FPart, *Error) {
	// split expr [=] [!conv] [:spec] at depth 0
	depth := 0
	exprEnd, conv, specStart := len(field), byte(0), -1
	debug := ""
	for i := 0; i < len(field); i++ {
		c := field[i]
		switch c {
		case '\'', '"':
			q := c
			i++
			for i < len(field) && field[i] != q {
				if field[i] == '\\' {
					i++
				}
				i++
			}
			continue
		case '(', '[', '{':
			depth++
			continue
		case ')', ']', '}':
			depth--
			continue
		}
		if depth != 0 {
			continue
		}
		if c == '!' && i+1 < len(field) && field[i+1] != '=' {
			exprEnd = min(exprEnd, i)
			conv = field[i+1]
			if i+2 < len(field) {
				if field[i+2] != ':' {
					return FPart{}, &Error{File: file, Pos: at, Msg: "f-string: invalid conversion character"}
				}
				specStart = i + 3
			}
			break
		}
		if c == '=' && i+1 < len(field) && (field[i+1] == '!' || field[i+1] == ':') || c == '=' && i+1 == len(field) {
			if i > 0 && strings.ContainsRune("=!<>", rune(field[i-1])) {
				continue
			}
			exprEnd = i
			debug = field[:i+1]
			if i+1 < len(field) && field[i+1] == '!' {
				if i+2 >= len(field) {
					return FPart{}, &Error{File: file, Pos: at, Msg: "f-string: missing conversion character"}
				}
				conv = field[i+2]
				if i+3 < len(field) && field[i+3] == ':' {
					specStart = i + 4
				}
			} else if i+1 < len(field) {
				specStart = i + 2
			}
			break
		}
		if c == ':' {
			exprEnd = i
			specStart = i + 1
			break
		}
	}
	if conv != 0 && conv != 'r' && conv != 's' && conv != 'a' {
		return FPart{}, &Error{File: file, Pos: at, Msg: "f-string: invalid conversion character: expected 's', 'r', or 'a'"}
	}
	src := field[:exprEnd]
	if strings.TrimSpace(src) == "" {
		return FPart{}, &Error{File: file, Pos: at, Msg: "f-string: empty expression not allowed"}
	}
	x, err := ParseExpr(file, "("+src+")", at)
	if err != nil {
		if e, ok := err.(*Error); ok {
			return FPart{}, e
		}
		return FPart{}, &Error{File: file, Pos: at, Msg: err.Error()}
	}
	part := FPart{Expr: x, Conv: conv, Debug: debug}
	if debug != "" && conv == 0 && specStart < 0 {
		part.Conv = 'r'
	}
	if specStart >= 0 {
		spec, perr := splitFString(file, field[specStart:], true, at)
		if perr != nil {
			return FPart{}, perr
		}
		if len(spec) == 0 {
			spec = []FPart{{Lit: ""}}
		}
		part.Spec = spec
	}
	return part, nil
}
