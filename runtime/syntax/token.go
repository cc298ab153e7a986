// Package syntax is the front end of the Jac interpreter: the scanner, the parser
// and the syntax tree, every node carrying its file:line:col. It depends on
// nothing else in the project.
package syntax

import "fmt"

// Pos is a position in a source file (1-based line and column).
type Pos struct {
	Line, Col int32
}

func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// IsValid reports whether p is a real position.
func (p Pos) IsValid() bool { return p.Line > 0 }

// Token is the kind of a lexical token.
type Token uint8

const (
	ILLEGAL Token = iota
	EOF
	NAME
	INT
	FLOAT
	STRING  // a plain or raw string literal (value decoded)
	BYTES   // b"..." (value decoded)
	FSTRING // f"..." (raw body, parsed by the parser)

	// Punctuation.
	LPAREN    // (
	RPAREN    // )
	LBRACK    // [
	RBRACK    // ]
	LBRACE    // {
	RBRACE    // }
	COMMA     // ,
	SEMI      // ;
	COLON     // :
	DOT       // .
	ELLIPSIS  // ...
	AT        // @
	QUESTION  // ?
	QDOT      // ?.
	ARROW     // ->
	WALRUS    // :=
	ASSIGN    // =
	PLUS      // +
	MINUS     // -
	STAR      // *
	SLASH     // /
	DSLASH    // //
	PERCENT   // %
	DSTAR     // **
	AMP       // &
	PIPE      // |
	CARET     // ^
	TILDE     // ~
	LSHIFT    // <<
	RSHIFT    // >>
	EQ        // ==
	NE        // !=
	LT        // <
	GT        // >
	LE        // <=
	GE        // >=
	PLUS_EQ   // +=
	MINUS_EQ  // -=
	STAR_EQ   // *=
	SLASH_EQ  // /=
	DSLASH_EQ // //=
	PERCENT_EQ
	DSTAR_EQ  // **=
	AT_EQ     // @=
	AMP_EQ    // &=
	PIPE_EQ   // |=
	CARET_EQ  // ^=
	LSHIFT_EQ // <<=
	RSHIFT_EQ // >>=
	AND_AND   // &&
	OR_OR     // ||
	PIPE_FWD  // |>
	PIPE_BKWD // <|
	A_PIPE_FWD
	A_PIPE_BKWD

	// Object-spatial arrows.
	ARROW_R     // -->
	ARROW_L     // <--
	ARROW_BI    // <-->
	ARROW_R_P1  // ->:
	ARROW_R_P2  // :->
	ARROW_L_P1  // <-:
	ARROW_L_P2  // :<-
	CARROW_R    // ++>
	CARROW_L    // <++
	CARROW_BI   // <++>
	CARROW_R_P1 // +>:
	CARROW_R_P2 // :+>
	CARROW_L_P1 // <+:
	CARROW_L_P2 // :<+
	KW_ESC      // ` (only reported for a stray backtick)

	// Keywords.
	keywordStart
	ABS
	AND
	AS
	ASSERT
	ASYNC
	AWAIT
	BREAK
	BY
	CAN
	CASE
	CLASS
	CL
	CONTINUE
	DEF
	DEFAULT
	DEL
	DISENGAGE
	EDGE
	ELIF
	ELSE
	ENTRY
	ENUM
	EXCEPT
	EXIT
	FALSE
	FINALLY
	FLOW
	FOR
	FROM
	GLOB
	GLOBAL
	HAS
	HERE
	IF
	IMPL
	IMPORT
	IN
	INCLUDE
	INIT
	IS
	LAMBDA
	MATCH
	NA
	NODE
	NONE
	NONLOCAL
	NOT
	OBJ
	OR
	OVERRIDE
	POSTINIT
	PRIV
	PROPS
	PROTECT
	PUB
	RAISE
	REPORT
	RETURN
	ROOT
	SELF
	SEM
	SKIP
	SPAWN
	STATIC
	SUPER
	SV
	SWITCH
	TEST
	TO
	TRUE
	TRY
	VISIT
	VISITOR
	WAIT
	WALKER
	WHILE
	WITH
	YIELD
	keywordEnd
)

var tokenNames = [...]string{
	ILLEGAL: "illegal token", EOF: "end of file", NAME: "name", INT: "integer", FLOAT: "float",
	STRING: "string", BYTES: "bytes", FSTRING: "f-string",
	LPAREN: "(", RPAREN: ")", LBRACK: "[", RBRACK: "]", LBRACE: "{", RBRACE: "}", COMMA: ",",
	SEMI: ";", COLON: ":", DOT: ".", ELLIPSIS: "...", AT: "@", QUESTION: "?", QDOT: "?.",
	ARROW: "->", WALRUS: ":=", ASSIGN: "=", PLUS: "+", MINUS: "-", STAR: "*", SLASH: "/",
	DSLASH: "//", PERCENT: "%", DSTAR: "**", AMP: "&", PIPE: "|", CARET: "^", TILDE: "~",
	LSHIFT: "<<", RSHIFT: ">>", EQ: "==", NE: "!=", LT: "<", GT: ">", LE: "<=", GE: ">=",
	PLUS_EQ: "+=", MINUS_EQ: "-=", STAR_EQ: "*=", SLASH_EQ: "/=", DSLASH_EQ: "//=",
	PERCENT_EQ: "%=", DSTAR_EQ: "**=", AT_EQ: "@=", AMP_EQ: "&=", PIPE_EQ: "|=", CARET_EQ: "^=",
	LSHIFT_EQ: "<<=", RSHIFT_EQ: ">>=", AND_AND: "&&", OR_OR: "||", PIPE_FWD: "|>",
	PIPE_BKWD: "<|", A_PIPE_FWD: ":>", A_PIPE_BKWD: "<:",
	ARROW_R: "-->", ARROW_L: "<--", ARROW_BI: "<-->", ARROW_R_P1: "->:", ARROW_R_P2: ":->",
	ARROW_L_P1: "<-:", ARROW_L_P2: ":<-", CARROW_R: "++>", CARROW_L: "<++", CARROW_BI: "<++>",
	CARROW_R_P1: "+>:", CARROW_R_P2: ":+>", CARROW_L_P1: "<+:", CARROW_L_P2: ":<+", KW_ESC: "`",
}

var keywords = map[string]Token{
	"abs": ABS, "and": AND, "as": AS, "assert": ASSERT, "async": ASYNC, "await": AWAIT,
	"break": BREAK, "by": BY, "can": CAN, "case": CASE, "class": CLASS, "cl": CL,
	"continue": CONTINUE, "def": DEF, "default": DEFAULT, "del": DEL, "disengage": DISENGAGE,
	"edge": EDGE, "elif": ELIF, "else": ELSE, "entry": ENTRY, "enum": ENUM, "except": EXCEPT,
	"exit": EXIT, "False": FALSE, "finally": FINALLY, "flow": FLOW, "for": FOR, "from": FROM,
	"glob": GLOB, "global": GLOBAL, "has": HAS, "here": HERE, "if": IF, "impl": IMPL,
	"import": IMPORT, "in": IN, "include": INCLUDE, "init": INIT, "is": IS, "lambda": LAMBDA,
	"match": MATCH, "na": NA, "node": NODE, "None": NONE, "nonlocal": NONLOCAL, "not": NOT,
	"obj": OBJ, "or": OR, "override": OVERRIDE, "postinit": POSTINIT, "priv": PRIV,
	"props": PROPS, "protect": PROTECT, "pub": PUB, "raise": RAISE, "report": REPORT,
	"return": RETURN, "root": ROOT, "self": SELF, "sem": SEM, "skip": SKIP, "spawn": SPAWN,
	"static": STATIC, "super": SUPER, "sv": SV, "switch": SWITCH, "test": TEST, "to": TO,
	"True": TRUE, "try": TRY, "visit": VISIT, "visitor": VISITOR, "wait": WAIT,
	"walker": WALKER, "while": WHILE, "with": WITH, "yield": YIELD,
}

func (t Token) String() string {
	if t > keywordStart && t < keywordEnd {
		for k, v := range keywords {
			if v == t {
				return k
			}
		}
	}
	if int(t) < len(tokenNames) && tokenNames[t] != "" {
		return tokenNames[t]
	}
	return fmt.Sprintf("token(%d)", t)
}

// IsKeyword reports whether t is a reserved word.
func (t Token) IsKeyword() bool { return t > keywordStart && t < keywordEnd }
