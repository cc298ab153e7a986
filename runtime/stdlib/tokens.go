package stdlib

import "github.com/jacscale/jac/runtime/syntax"

const (
	tokStar  = syntax.STAR
	tokPlus  = syntax.PLUS
	tokMinus = syntax.MINUS
)

const tokPercent = syntax.PERCENT

const tokPipe = syntax.PIPE
