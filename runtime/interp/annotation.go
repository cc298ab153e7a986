package interp

import (
	"strings"

	"github.com/jacscale/jac/runtime/syntax"
)

// annotationText writes a type annotation back as it reads in the source
// (`int`, `list[str]`, `Optional[int]`, `dict[str, list[int]]`, `int | None`,
// `mod.Type`), the string the reference's postponed annotations give a
// dataclass field's type. Shapes other than names, attributes, subscripts,
// tuples, `|` and constants give "".
func annotationText(e syntax.Expr) string {
	var b strings.Builder
	if !writeAnnotation(&b, e) {
		return ""
	}
	return b.String()
}

func writeAnnotation(b *strings.Builder, e syntax.Expr) bool {
	switch x := e.(type) {
	case *syntax.Ident:
		b.WriteString(x.Name)
	case *syntax.Attr:
		if !writeAnnotation(b, x.X) {
			return false
		}
		b.WriteString("." + x.Name)
	case *syntax.Index:
		if !writeAnnotation(b, x.X) {
			return false
		}
		b.WriteByte('[')
		if t, ok := x.Index.(*syntax.TupleExpr); ok {
			if !writeAnnotations(b, t.Elts) {
				return false
			}
		} else if !writeAnnotation(b, x.Index) {
			return false
		}
		b.WriteByte(']')
	case *syntax.TupleExpr:
		return writeAnnotations(b, x.Elts)
	case *syntax.ListExpr:
		b.WriteByte('[')
		if !writeAnnotations(b, x.Elts) {
			return false
		}
		b.WriteByte(']')
	case *syntax.Binary:
		if x.Op != syntax.PIPE || !writeAnnotation(b, x.X) {
			return false
		}
		b.WriteString(" | ")
		return writeAnnotation(b, x.Y)
	case *syntax.Const:
		switch x.Kind {
		case syntax.NONE:
			b.WriteString("None")
		case syntax.STRING, syntax.INT, syntax.FLOAT:
			b.WriteString(x.Text)
		default:
			return false
		}
	default:
		return false
	}
	return true
}

func writeAnnotations(b *strings.Builder, es []syntax.Expr) bool {
	for i, e := range es {
		if i > 0 {
			b.WriteString(", ")
		}
		if !writeAnnotation(b, e) {
			return false
		}
	}
	return true
}
