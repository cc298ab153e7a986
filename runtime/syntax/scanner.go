package syntax

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// An Error is a syntax error at a position of a file.
type Error struct {
	File string
	Pos  Pos
	Msg  string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Pos.Line, e.Pos.Col, e.Msg)
}

// Tok is one scanned token.
type Tok struct {
	Kind  Token
	Pos   Pos
	Off   int    // byte offset of the token's first character
	Text  string // source text of names, numbers; the decoded value of STRING/BYTES; the body of FSTRING
	Raw   bool   // FSTRING: raw (rf"...")
	Quote string // FSTRING: the opening quote (one or three characters)
	// Concat marks a string token that directly follows another string token
	// (adjacent literals are concatenated by the parser).
}

type scanner struct {
	file string
	src  string
	off  int
	line int32
	col  int32
	toks []Tok
	err  *Error
}

// Scan splits src into tokens. The returned error, if any, is an *Error.
func Scan(file, src string) ([]Tok, error) {
	s := &scanner{file: file, src: src, line: 1, col: 1}
	s.run()
	if s.err != nil {
		return nil, s.err
	}
	return s.toks, nil
}

func (s *scanner) errorf(p Pos, format string, args ...any) {
	if s.err == nil {
		s.err = &Error{File: s.file, Pos: p, Msg: fmt.Sprintf(format, args...)}
	}
}

func (s *scanner) pos() Pos { return Pos{s.line, s.col} }

func (s *scanner) peek(n int) byte {
	if s.off+n < len(s.src) {
		return s.src[s.off+n]
	}
	return 0
}

// advance moves over n bytes, keeping line and column current.
func (s *scanner) advance(n int) {
	for i := 0; i < n && s.off < len(s.src); i++ {
		c := s.src[s.off]
		s.off++
		if c == '\n' {
			s.line++
			s.col = 1
		} else if c < 0x80 || c >= 0xC0 {
			s.col++
		}
	}
}

func (s *scanner) emit(k Token, p Pos, off int, text string) {
	if k == NAME && text == "pass" {
		// as the reference: not a statement, not a name, not even escaped
		s.errorf(p, "'pass' keyword is not allowed in Jac")
	}
	s.toks = append(s.toks, Tok{Kind: k, Pos: p, Off: off, Text: text})
}

func (s *scanner) run() {
	for s.err == nil {
		s.skipSpace()
		if s.err != nil {
			return
		}
		p, off := s.pos(), s.off
		if s.off >= len(s.src) {
			s.emit(EOF, p, off, "")
			return
		}
		c := s.src[s.off]
		switch {
		case c == '`':
			s.advance(1)
			if !isIdentStart(s.peekRune()) {
				s.errorf(p, "expected a name after '`'")
				return
			}
			start := s.off
			s.scanIdent()
			s.emit(NAME, p, off, s.src[start:s.off])
		case c == '<' && s.peek(1) == '>' && isIdentStart(rune(s.peek(2))):
			// Dec-2025 keyword escape `<>type`.
			s.advance(2)
			start := s.off
			s.scanIdent()
			s.emit(NAME, p, off, s.src[start:s.off])
		case isIdentStart(s.peekRune()):
			if s.scanPrefixedString(p, off) {
				continue
			}
			start := s.off
			s.scanIdent()
			word := s.src[start:s.off]
			if k, ok := keywords[word]; ok {
				s.emit(k, p, off, word)
			} else {
				s.emit(NAME, p, off, word)
			}
		case c >= '0' && c <= '9' || c == '.' && s.peek(1) >= '0' && s.peek(1) <= '9':
			s.scanNumber(p, off)
		case c == '"' || c == '\'':
			s.scanString(p, off, "")
		case c == ':' && s.peek(1) == ':' && strings.HasPrefix(s.src[s.off:], "::py::"):
			s.skipInlinePython(p)
		default:
			s.scanPunct(p, off)
		}
	}
}

func (s *scanner) peekRune() rune {
	if s.off >= len(s.src) {
		return -1
	}
	r, _ := utf8.DecodeRuneInString(s.src[s.off:])
	return r
}

func isIdentStart(r rune) bool {
	return r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 0x80 && unicode.IsLetter(r)
}

func isIdentPart(r rune) bool {
	return isIdentStart(r) || r >= '0' && r <= '9' || r >= 0x80 && unicode.IsDigit(r)
}

func (s *scanner) scanIdent() {
	for s.off < len(s.src) {
		r, n := utf8.DecodeRuneInString(s.src[s.off:])
		if !isIdentPart(r) {
			return
		}
		s.advance(n)
	}
}

func (s *scanner) skipSpace() {
	for s.off < len(s.src) {
		c := s.src[s.off]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			s.advance(1)
		case c == '\\' && (s.peek(1) == '\n' || s.peek(1) == '\r'):
			s.advance(2)
		case c == '#' && s.peek(1) == '*':
			p := s.pos()
			end := strings.Index(s.src[s.off+2:], "*#")
			if end < 0 {
				s.errorf(p, "unterminated block comment")
				return
			}
			s.advance(end + 4)
		case c == '#':
			for s.off < len(s.src) && s.src[s.off] != '\n' {
				s.advance(1)
			}
		default:
			return
		}
	}
}

func (s *scanner) skipInlinePython(p Pos) {
	end := strings.Index(s.src[s.off+6:], "::py::")
	if end < 0 {
		s.errorf(p, "unterminated ::py:: block")
		return
	}
	s.errorf(p, "inline Python (::py::) is not supported")
}

func (s *scanner) scanNumber(p Pos, off int) {
	start := s.off
	if s.src[s.off] == '0' && s.off+1 < len(s.src) {
		switch s.src[s.off+1] | 0x20 {
		case 'x', 'b', 'o':
			s.advance(2)
			for s.off < len(s.src) && (isHexDigit(s.src[s.off]) || s.src[s.off] == '_') {
				s.advance(1)
			}
			s.checkNumberEnd(p)
			s.emit(INT, p, off, s.src[start:s.off])
			return
		}
	}
	isFloat := false
	s.digits()
	if s.peek(0) == '.' && s.peek(1) != '.' && !isIdentStart(rune(s.peek(1))) || s.peek(0) == '.' && (s.peek(1) == 'e' || s.peek(1) == 'E') {
		isFloat = true
		s.advance(1)
		s.digits()
	}
	if c := s.peek(0); c == 'e' || c == 'E' {
		n := 1
		if s.peek(1) == '+' || s.peek(1) == '-' {
			n = 2
		}
		if d := s.peek(n); d >= '0' && d <= '9' {
			isFloat = true
			s.advance(n)
			s.digits()
		}
	}
	s.checkNumberEnd(p)
	if isFloat {
		s.emit(FLOAT, p, off, s.src[start:s.off])
	} else {
		s.emit(INT, p, off, s.src[start:s.off])
	}
}

func (s *scanner) checkNumberEnd(p Pos) {
	if r := s.peekRune(); r >= 0 && isIdentStart(r) {
		if r == 'j' || r == 'J' {
			s.errorf(p, "imaginary literals are not supported")
		} else {
			s.errorf(p, "invalid number literal")
		}
	}
}

func (s *scanner) digits() {
	for s.off < len(s.src) && (s.src[s.off] >= '0' && s.src[s.off] <= '9' || s.src[s.off] == '_' && s.off+1 < len(s.src) && s.src[s.off+1] >= '0' && s.src[s.off+1] <= '9') {
		s.advance(1)
	}
}

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'f'
}

// scanPrefixedString scans r"", b"", f"", rb"", br"", rf"", fr"" (any case).
func (s *scanner) scanPrefixedString(p Pos, off int) bool {
	for n := 1; n <= 2; n++ {
		if s.off+n >= len(s.src) {
			return false
		}
		q := s.src[s.off+n]
		if q != '"' && q != '\'' {
			continue
		}
		prefix := strings.ToLower(s.src[s.off : s.off+n])
		switch prefix {
		case "r", "b", "f", "rb", "br", "rf", "fr":
			s.advance(n)
			s.scanString(p, off, prefix)
			return true
		}
		return false
	}
	return false
}

func (s *scanner) scanString(p Pos, off int, prefix string) {
	raw := strings.Contains(prefix, "r")
	isBytes := strings.Contains(prefix, "b")
	isF := strings.Contains(prefix, "f")
	q := s.src[s.off]
	quote := string(q)
	if s.peek(1) == q && s.peek(2) == q {
		quote = strings.Repeat(string(q), 3)
	}
	s.advance(len(quote))
	bodyStart := s.off
	depth := 0
	for {
		if s.off >= len(s.src) {
			s.errorf(p, "unterminated string literal")
			return
		}
		c := s.src[s.off]
		if c == '\\' {
			s.advance(2)
			continue
		}
		if c == '\n' && len(quote) == 1 && depth == 0 {
			s.errorf(p, "unterminated string literal")
			return
		}
		if isF {
			if c == '{' {
				if depth == 0 && s.peek(1) == '{' {
					s.advance(2)
					continue
				}
				depth++
			} else if c == '}' && depth > 0 {
				depth--
			} else if depth > 0 && (c == '"' || c == '\'') && !strings.HasPrefix(s.src[s.off:], quote) {
				// a nested string inside a replacement field
				s.skipNested(c)
				continue
			}
		}
		if depth == 0 && strings.HasPrefix(s.src[s.off:], quote) {
			break
		}
		s.advance(1)
	}
	body := s.src[bodyStart:s.off]
	s.advance(len(quote))
	switch {
	case isF:
		s.toks = append(s.toks, Tok{Kind: FSTRING, Pos: p, Off: off, Text: body, Raw: raw, Quote: quote})
	case isBytes:
		v, err := Unquote(body, raw, true)
		if err != nil {
			s.errorf(p, "%v", err)
			return
		}
		s.emit(BYTES, p, off, v)
	default:
		v, err := Unquote(body, raw, false)
		if err != nil {
			s.errorf(p, "%v", err)
			return
		}
		s.emit(STRING, p, off, v)
	}
}

func (s *scanner) skipNested(q byte) {
	s.advance(1)
	for s.off < len(s.src) && s.src[s.off] != q && s.src[s.off] != '\n' {
		if s.src[s.off] == '\\' {
			s.advance(1)
		}
		s.advance(1)
	}
	s.advance(1)
}

// Unquote decodes the escapes of a string literal body (without quotes). For bytes
// literals each \xHH is one byte and the result holds raw bytes.
func Unquote(body string, raw, isBytes bool) (string, error) {
	if raw || !strings.Contains(body, "\\") {
		if strings.Contains(body, "\r\n") {
			body = strings.ReplaceAll(body, "\r\n", "\n")
		}
		if isBytes {
			for _, r := range body {
				if r >= 0x80 {
					return "", fmt.Errorf("bytes can only contain ASCII literal characters")
				}
			}
		}
		return body, nil
	}
	var b strings.Builder
	for i := 0; i < len(body); {
		c := body[i]
		if c != '\\' {
			if isBytes && c >= 0x80 {
				return "", fmt.Errorf("bytes can only contain ASCII literal characters")
			}
			b.WriteByte(c)
			i++
			continue
		}
		if i+1 >= len(body) {
			b.WriteByte('\\')
			break
		}
		e := body[i+1]
		i += 2
		switch e {
		case '\n':
		case '\r':
			if i < len(body) && body[i] == '\n' {
				i++
			}
		case '\\', '\'', '"':
			b.WriteByte(e)
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'v':
			b.WriteByte('\v')
		case '0', '1', '2', '3', '4', '5', '6', '7':
			j := i - 1
			n := 0
			for j < len(body) && j < i+2 && body[j] >= '0' && body[j] <= '7' {
				j++
			}
			v, _ := strconv.ParseUint(body[i-1:j], 8, 32)
			n = int(v)
			i = j
			if isBytes {
				b.WriteByte(byte(n))
			} else {
				b.WriteRune(rune(n))
			}
		case 'x':
			if i+2 > len(body) || !isHexDigit(body[i]) || !isHexDigit(body[i+1]) {
				return "", fmt.Errorf("truncated \\xXX escape")
			}
			v, _ := strconv.ParseUint(body[i:i+2], 16, 8)
			i += 2
			if isBytes {
				b.WriteByte(byte(v))
			} else {
				b.WriteRune(rune(v))
			}
		case 'u', 'U':
			if isBytes {
				b.WriteByte('\\')
				b.WriteByte(e)
				continue
			}
			n := 4
			if e == 'U' {
				n = 8
			}
			if i+n > len(body) {
				return "", fmt.Errorf("truncated \\%cXXXX escape", e)
			}
			v, err := strconv.ParseUint(body[i:i+n], 16, 32)
			if err != nil || v > unicode.MaxRune {
				return "", fmt.Errorf("invalid \\%c escape", e)
			}
			i += n
			b.WriteRune(rune(v))
		case 'N':
			if isBytes || i >= len(body) || body[i] != '{' {
				b.WriteString("\\N")
				continue
			}
			end := strings.IndexByte(body[i:], '}')
			if end < 0 {
				return "", fmt.Errorf("malformed \\N character escape")
			}
			name := body[i+1 : i+end]
			r, ok := lookupRuneName(name)
			if !ok {
				return "", fmt.Errorf("unknown Unicode character name %q", name)
			}
			b.WriteRune(r)
			i += end + 1
		default:
			b.WriteByte('\\')
			b.WriteByte(e)
		}
	}
	return b.String(), nil
}

// punctuation, longest first.
var puncts = []struct {
	s string
	t Token
}{
	{"<++>", CARROW_BI}, {"<-->", ARROW_BI},
	{"...", ELLIPSIS}, {"**=", DSTAR_EQ}, {"//=", DSLASH_EQ}, {"<<=", LSHIFT_EQ}, {">>=", RSHIFT_EQ},
	{"-->", ARROW_R}, {"<--", ARROW_L}, {"->:", ARROW_R_P1}, {":->", ARROW_R_P2}, {"<-:", ARROW_L_P1},
	{":<-", ARROW_L_P2}, {"++>", CARROW_R}, {"<++", CARROW_L}, {"+>:", CARROW_R_P1}, {":+>", CARROW_R_P2},
	{"<+:", CARROW_L_P1}, {":<+", CARROW_L_P2},
	{"->", ARROW}, {":=", WALRUS}, {"==", EQ}, {"!=", NE}, {"<=", LE}, {">=", GE}, {"<<", LSHIFT},
	{">>", RSHIFT}, {"**", DSTAR}, {"//", DSLASH}, {"+=", PLUS_EQ}, {"-=", MINUS_EQ}, {"*=", STAR_EQ},
	{"/=", SLASH_EQ}, {"%=", PERCENT_EQ}, {"@=", AT_EQ}, {"&=", AMP_EQ}, {"|=", PIPE_EQ}, {"^=", CARET_EQ},
	{"&&", AND_AND}, {"||", OR_OR}, {"|>", PIPE_FWD}, {"<|", PIPE_BKWD}, {":>", A_PIPE_FWD},
	{"<:", A_PIPE_BKWD}, {"?.", QDOT},
	{"(", LPAREN}, {")", RPAREN}, {"[", LBRACK}, {"]", RBRACK}, {"{", LBRACE}, {"}", RBRACE},
	{",", COMMA}, {";", SEMI}, {":", COLON}, {".", DOT}, {"@", AT}, {"?", QUESTION}, {"=", ASSIGN},
	{"+", PLUS}, {"-", MINUS}, {"*", STAR}, {"/", SLASH}, {"%", PERCENT}, {"&", AMP}, {"|", PIPE},
	{"^", CARET}, {"~", TILDE}, {"<", LT}, {">", GT},
}

func (s *scanner) scanPunct(p Pos, off int) {
	rest := s.src[s.off:]
	for _, pu := range puncts {
		if strings.HasPrefix(rest, pu.s) {
			// `x[1:-1]`-style slices must not become `:-` arrows; only the full
			// three-character arrow spellings above are arrows.
			s.advance(len(pu.s))
			s.emit(pu.t, p, off, pu.s)
			return
		}
	}
	r, _ := utf8.DecodeRuneInString(rest)
	s.errorf(p, "invalid character %q", r)
}
