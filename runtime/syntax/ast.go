package syntax

// Node is any syntax tree node.
type Node interface{ Start() Pos }

// Expr is an expression node.
type Expr interface {
	Node
	exprNode()
}

// Stmt is a statement or a module element.
type Stmt interface {
	Node
	stmtNode()
}

// At is embedded in every node for its position.
type At struct{ P Pos }

// Start returns the node's position.
func (a At) Start() Pos { return a.P }

// ---- Expressions ----

type (
	// Ident is a name, including the implicit names self, here and visitor.
	Ident struct {
		At
		Name string
	}
	// Const is a literal: INT (Text), FLOAT (Text), STRING/BYTES (Text), TRUE, FALSE, NONE, ELLIPSIS.
	Const struct {
		At
		Kind Token
		Text string
	}
	// FString is an f-string: literal text and replacement fields, in order.
	FString struct {
		At
		Parts []FPart
	}
	// RootExpr is the `root` keyword: the current root node.
	RootExpr struct{ At }
	// SuperExpr is `super` (the parent class's view of self).
	SuperExpr struct{ At }
	ListExpr  struct {
		At
		Elts []Expr
	}
	TupleExpr struct {
		At
		Elts []Expr
	}
	SetExpr struct {
		At
		Elts []Expr
	}
	DictExpr struct {
		At
		Items []DictItem
	}
	// Starred is *x inside a list, tuple, set or call.
	Starred struct {
		At
		X Expr
	}
	// Comp is a comprehension; Kind is LBRACK (list), LBRACE (set or dict) or LPAREN (generator).
	Comp struct {
		At
		Kind  Token
		Elt   Expr // list/set/generator element, or dict key
		Value Expr // dict value (nil otherwise)
		Fors  []CompFor
	}
	Unary struct {
		At
		Op Token // MINUS PLUS TILDE NOT AMP STAR
		X  Expr
	}
	Binary struct {
		At
		Op   Token
		X, Y Expr
	}
	// BoolOp is `and` / `or` (short-circuit).
	BoolOp struct {
		At
		Op   Token // AND or OR
		X, Y Expr
	}
	// Compare is a chain a < b <= c; Ops uses NOT (not in) and NE for `is not` with IsNot.
	Compare struct {
		At
		Ops  []CmpOp
		Elts []Expr // len(Ops)+1
	}
	IfExpr struct {
		At
		Cond, Then, Else Expr
	}
	Lambda struct {
		At
		Params []*Param
		Body   Expr   // expression body
		Block  []Stmt // or block body
	}
	Call struct {
		At
		Fn   Expr
		Args []Arg
	}
	Attr struct {
		At
		X        Expr
		Name     string
		NullSafe bool
	}
	Index struct {
		At
		X     Expr
		Index Expr
		// NullSafe is x?[i]: None when x is None or has no such item.
		NullSafe bool
	}
	Slice struct {
		At
		Lo, Hi, Step Expr
	}
	Walrus struct {
		At
		Name string
		X    Expr
	}
	Await struct {
		At
		X Expr
	}
	YieldExpr struct {
		At
		X    Expr
		From bool
	}
	Spawn struct {
		At
		X, Y Expr
	}
	// Connect is a ++> b and its typed forms, or a del --> b when Disconnect.
	Connect struct {
		At
		Left, Right Expr
		Dir         EdgeDir
		Edge        Expr // edge constructor or class for typed connects (nil = generic)
		Disconnect  bool
		// Assign is +>: E : f=v, ... :+>, fields set on each new edge.
		Assign []Arg
	}
	// EdgeRef is [origin --> ...]; EdgesOnly for [edge ...].
	EdgeRef struct {
		At
		Origin    Expr // nil: the implicit origin (here / self)
		Hops      []EdgeHop
		EdgesOnly bool
	}
	// FuncExpr is a function definition used as a value: (def f(x) { ... })(1).
	FuncExpr struct {
		At
		Def *FuncDef
	}
	// Filter is x(?:T, a > 1) or x(?a > 1).
	Filter struct {
		At
		X     Expr
		Type  Expr // may be nil
		Conds []FilterCond
	}
	// AssignComp is x(= a=1, b=2).
	AssignComp struct {
		At
		X    Expr
		Args []Arg
	}
)

// EdgeDir is the direction of an edge operation.
type EdgeDir uint8

const (
	DirOut EdgeDir = iota // -->
	DirIn                 // <--
	DirAny                // <-->
)

// EdgeHop is one arrow of an edge reference.
type EdgeHop struct {
	Dir   EdgeDir
	Type  Expr // nil: any edge
	Conds []FilterCond
	// The nodes the hop may reach: [a --> b] (a node, a list, a predicate) or
	// [a -->(?:T, x > 1)]. Nil: any node.
	Node      Expr
	NodeType  Expr
	NodeConds []FilterCond
}

// FilterCond is `field op value` inside a filter.
type FilterCond struct {
	P     Pos
	Field string
	Op    CmpOp
	Value Expr
}

// CmpOp is a comparison operator.
type CmpOp uint8

const (
	CmpEQ CmpOp = iota
	CmpNE
	CmpLT
	CmpLE
	CmpGT
	CmpGE
	CmpIn
	CmpNotIn
	CmpIs
	CmpIsNot
)

var cmpNames = [...]string{"==", "!=", "<", "<=", ">", ">=", "in", "not in", "is", "is not"}

func (c CmpOp) String() string { return cmpNames[c] }

// DictItem is key: value, or **value when Key is nil.
type DictItem struct {
	Key, Value Expr
}

// CompFor is one `for target in iter if cond...` clause.
type CompFor struct {
	Target Expr
	Iter   Expr
	Ifs    []Expr
	Async  bool
}

// Arg is a call argument: positional, name=value, *value (Star 1) or **value (Star 2).
type Arg struct {
	Name  string
	Value Expr
	Star  int
}

// FPart is a literal piece (Expr nil) or a replacement field of an f-string.
type FPart struct {
	Lit   string
	Expr  Expr
	Conv  byte    // 0, 'r', 's', 'a'
	Spec  []FPart // format spec, itself an f-string
	Debug string  // `expr=` text
}

// ParamKind tells the role of a parameter.
type ParamKind uint8

const (
	ParamNormal    ParamKind = iota
	ParamVarArgs             // *args
	ParamKwArgs              // **kwargs
	ParamKwMarker            // bare *
	ParamPosMarker           // /
)

// Param is a function parameter.
type Param struct {
	P       Pos
	Name    string
	Kind    ParamKind
	Type    Expr
	Default Expr
}

func (*Ident) exprNode()      {}
func (*Const) exprNode()      {}
func (*FString) exprNode()    {}
func (*RootExpr) exprNode()   {}
func (*SuperExpr) exprNode()  {}
func (*ListExpr) exprNode()   {}
func (*TupleExpr) exprNode()  {}
func (*SetExpr) exprNode()    {}
func (*DictExpr) exprNode()   {}
func (*Starred) exprNode()    {}
func (*Comp) exprNode()       {}
func (*Unary) exprNode()      {}
func (*Binary) exprNode()     {}
func (*BoolOp) exprNode()     {}
func (*Compare) exprNode()    {}
func (*IfExpr) exprNode()     {}
func (*Lambda) exprNode()     {}
func (*Call) exprNode()       {}
func (*Attr) exprNode()       {}
func (*Index) exprNode()      {}
func (*Slice) exprNode()      {}
func (*Walrus) exprNode()     {}
func (*Await) exprNode()      {}
func (*YieldExpr) exprNode()  {}
func (*Spawn) exprNode()      {}
func (*Connect) exprNode()    {}
func (*EdgeRef) exprNode()    {}
func (*Filter) exprNode()     {}
func (*FuncExpr) exprNode()   {}
func (*AssignComp) exprNode() {}

// ---- Statements ----

type (
	ExprStmt struct {
		At
		X Expr
	}
	// Assign is t1 = t2 = value, or a typed declaration `t: T [= value]`.
	Assign struct {
		At
		Targets []Expr
		Type    Expr
		Value   Expr // nil for a bare declaration
	}
	AugAssign struct {
		At
		Target Expr
		Op     Token // the binary operator (PLUS for +=)
		Value  Expr
	}
	If struct {
		At
		Cond Expr
		Body []Stmt
		Else []Stmt // an elif is an If inside Else
	}
	While struct {
		At
		Cond Expr
		Body []Stmt
		Else []Stmt
	}
	For struct {
		At
		Target Expr
		Iter   Expr
		Body   []Stmt
		Else   []Stmt
		Async  bool
	}
	// ForTo is for init to cond by step {}.
	ForTo struct {
		At
		Init Stmt
		Cond Expr
		Step Stmt
		Body []Stmt
		Else []Stmt
	}
	Try struct {
		At
		Body     []Stmt
		Handlers []ExceptClause
		Else     []Stmt
		Finally  []Stmt
	}
	With struct {
		At
		Items []WithItem
		Body  []Stmt
		Async bool
	}
	Return struct {
		At
		X Expr
	}
	Raise struct {
		At
		X, Cause Expr
	}
	Assert struct {
		At
		Cond, Msg Expr
	}
	Del struct {
		At
		Targets []Expr
	}
	Global struct {
		At
		Names    []string
		Nonlocal bool
	}
	// Jump is break, continue, skip or disengage.
	Jump struct {
		At
		Kind Token
	}
	Report struct {
		At
		X Expr
	}
	Visit struct {
		At
		Index   Expr // :i: (nil: append)
		X       Expr
		Else    []Stmt
		HasElse bool
	}
	Match struct {
		At
		Subject Expr
		Cases   []MatchCase
	}
	Switch struct {
		At
		Subject Expr
		Cases   []SwitchCase
	}
	// Block is a bare { ... } block.
	Block struct {
		At
		Body []Stmt
	}
	// FuncDef is def/can: a function, method or ability, also a body-less declaration.
	FuncDef struct {
		At
		Name       string
		Access     string
		Params     []*Param
		Ret        Expr
		Body       []Stmt // nil with Decl
		Decl       bool   // declared without a body (supplied by impl)
		ByExpr     Expr
		Static     bool
		Override   bool
		Async      bool
		Ability    bool // has an event clause (with ... entry|exit)
		Event      *EventClause
		Decorators []Expr
		Doc        string
		HasSig     bool
		IsGen      bool // set by the parser when the body contains yield
	}
	// ArchDef is obj/node/edge/walker/class.
	ArchDef struct {
		At
		Kind       Token // OBJ NODE EDGE WALKER CLASS
		Name       string
		Access     string
		Bases      []Expr
		Members    []Stmt // *Has, *FuncDef, *ArchDef, *EnumDef, *Impl
		Decorators []Expr
		Doc        string
		Async      bool
		Decl       bool
	}
	Has struct {
		At
		Static bool
		Access string
		Vars   []HasVar
	}
	EnumDef struct {
		At
		Name       string
		Access     string
		Bases      []Expr
		Members    []EnumMember
		Body       []Stmt
		Decorators []Expr
		Doc        string
	}
	// Impl supplies the body of a declared ability or function.
	Impl struct {
		At
		Target      []string
		Params      []*Param
		Ret         Expr
		Event       *EventClause
		HasSig      bool
		Body        []Stmt
		ByExpr      Expr
		IsGen       bool
		EnumMembers []EnumMember // impl of an enum's members
		IsEnum      bool
		Members     []Stmt // impl of an archetype declared without a body
		IsArch      bool
	}
	// Glob declares module variables.
	Glob struct {
		At
		Access string
		Vars   []GlobVar
	}
	// EntryBlock is `with entry [:name] { ... }` at module level.
	EntryBlock struct {
		At
		Name string
		Body []Stmt
	}
	Import struct {
		At
		From    []string // import from a.b.c { ... }
		Level   int      // leading dots
		Names   []ImportName
		Modules []ImportName // import a.b as c, d;
		Include bool
		Star    bool
	}
	// Ignored is a parsed element with no runtime effect (sem, test, type aliases).
	Ignored struct{ At }
)

// EventClause is `with T entry` / `with exit`.
type EventClause struct {
	Exit  bool
	Types []Expr // nil: untyped
}

// HasVar is one field of a has statement.
type HasVar struct {
	P        Pos
	Name     string
	Type     Expr
	Default  Expr
	PostInit bool
}

// GlobVar is one variable of a glob statement.
type GlobVar struct {
	P     Pos
	Name  string
	Type  Expr
	Value Expr
}

// EnumMember is NAME [= value].
type EnumMember struct {
	P     Pos
	Name  string
	Value Expr
}

// ExceptClause is except [T [as name]] { ... }.
type ExceptClause struct {
	P    Pos
	Type Expr
	Name string
	Body []Stmt
}

// WithItem is expr [as target].
type WithItem struct {
	X  Expr
	As Expr
}

// ImportName is name [as alias]; for module imports Name is dotted.
type ImportName struct {
	P    Pos
	Name string
	As   string
}

// MatchCase is case pattern [if guard]: body.
type MatchCase struct {
	P       Pos
	Pattern Pattern
	Guard   Expr
	Body    []Stmt
}

// SwitchCase is case v1 | v2: body, or default: body (Values nil).
type SwitchCase struct {
	P       Pos
	Values  []Expr
	Default bool
	Body    []Stmt
}

func (*ExprStmt) stmtNode()   {}
func (*Assign) stmtNode()     {}
func (*AugAssign) stmtNode()  {}
func (*If) stmtNode()         {}
func (*While) stmtNode()      {}
func (*For) stmtNode()        {}
func (*ForTo) stmtNode()      {}
func (*Try) stmtNode()        {}
func (*With) stmtNode()       {}
func (*Return) stmtNode()     {}
func (*Raise) stmtNode()      {}
func (*Assert) stmtNode()     {}
func (*Del) stmtNode()        {}
func (*Global) stmtNode()     {}
func (*Jump) stmtNode()       {}
func (*Report) stmtNode()     {}
func (*Visit) stmtNode()      {}
func (*Match) stmtNode()      {}
func (*Switch) stmtNode()     {}
func (*Block) stmtNode()      {}
func (*FuncDef) stmtNode()    {}
func (*ArchDef) stmtNode()    {}
func (*Has) stmtNode()        {}
func (*EnumDef) stmtNode()    {}
func (*Impl) stmtNode()       {}
func (*Glob) stmtNode()       {}
func (*EntryBlock) stmtNode() {}
func (*Import) stmtNode()     {}
func (*Ignored) stmtNode()    {}

// ---- Patterns (match) ----

// Pattern is a structural pattern of a match case.
type Pattern interface {
	Node
	patNode()
}

type (
	// PatValue matches by equality (literals, dotted names); None/True/False by identity.
	PatValue struct {
		At
		X Expr
	}
	// PatCapture binds a name; Name "_" is the wildcard.
	PatCapture struct {
		At
		Name string
	}
	PatOr struct {
		At
		Alts []Pattern
	}
	PatAs struct {
		At
		Pat  Pattern
		Name string
	}
	// PatSeq matches a sequence; at most one element is a *PatStar.
	PatSeq struct {
		At
		Elts []Pattern
	}
	PatStar struct {
		At
		Name string // "_" or "" for *_
	}
	PatMapping struct {
		At
		Keys   []Expr
		Values []Pattern
		Rest   string
	}
	PatClass struct {
		At
		Cls     Expr
		Args    []Pattern
		KwNames []string
		KwArgs  []Pattern
	}
)

func (*PatValue) patNode()   {}
func (*PatCapture) patNode() {}
func (*PatOr) patNode()      {}
func (*PatAs) patNode()      {}
func (*PatSeq) patNode()     {}
func (*PatStar) patNode()    {}
func (*PatMapping) patNode() {}
func (*PatClass) patNode()   {}

// Module is a parsed .jac file.
type Module struct {
	File string
	Doc  string
	Body []Stmt
}
