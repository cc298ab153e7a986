package json

import (
	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/internal/native"
)

// json.JSONEncoder and json.JSONDecoder. Both are class-kind classes, so a Jac
// subclass can override default() (the usual way to teach dumps a new type,
// passed as dumps(obj, cls=MyEncoder)) or decode(). Their options are
// instance attributes, as in CPython, and encode/decode run the same encoder
// and decoder as dumps and loads.

var (
	encoderClass = native.NewClass("JSONEncoder", "json")
	decoderClass = native.NewClass("JSONDecoder", "json")
)

// encoderOptions are JSONEncoder's keyword-only parameters and defaults.
var encoderOptions = []struct {
	name string
	dflt interp.Value
}{
	{"skipkeys", interp.False}, {"ensure_ascii", interp.True}, {"check_circular", interp.True},
	{"allow_nan", interp.True}, {"sort_keys", interp.False}, {"indent", interp.None},
}

// decoderOptions are JSONDecoder's keyword-only parameters (all default None
// but strict).
var decoderOptions = []string{"object_hook", "parse_float", "parse_int", "parse_constant", "strict", "object_pairs_hook"}

func registerEncoder() {
	c := encoderClass
	c.SetAttr("item_separator", interp.Str(", "))
	c.SetAttr("key_separator", interp.Str(": "))
	interp.DefMethod(c, "__init__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		names := make([]string, 0, len(encoderOptions)+2)
		for _, o := range encoderOptions {
			names = append(names, o.name+"?")
		}
		p := interp.ParseArgs(th, "JSONEncoder", nil, keywordsOnly(th, "JSONEncoder", args, kw), append(names, "separators?", "default?")...)
		for i, o := range encoderOptions {
			v := p[i]
			if v == nil {
				v = o.dflt
			}
			native.SetAttr(self, o.name, v)
		}
		switch separators, indent := p[len(encoderOptions)], p[5]; {
		case separators != nil && separators != interp.None:
			pair := interp.ToSlice(th, separators)
			if len(pair) != 2 {
				th.ValueError("separators must be a (item_separator, key_separator) pair")
			}
			native.SetAttr(self, "item_separator", pair[0])
			native.SetAttr(self, "key_separator", pair[1])
		case indent != nil && indent != interp.None:
			native.SetAttr(self, "item_separator", interp.Str(","))
		}
		if d := p[len(encoderOptions)+1]; d != nil && d != interp.None {
			native.SetAttr(self, "default", d)
		}
		return interp.None
	})
	interp.DefMethod(c, "default", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		o := interp.ParseArgs(th, "default", args, kw, "o")[0]
		th.TypeError("Object of type %s is not JSON serializable", interp.TypeName(o))
		return nil
	})
	interp.DefMethod(c, "encode", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		o := interp.ParseArgs(th, "encode", args, kw, "o")[0]
		return encodeWith(th, o, encoderKeywords(th, self))
	})
	// iterencode yields the encoding in one chunk (CPython yields many; their
	// concatenation is the same string).
	interp.DefMethod(c, "iterencode", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		p := interp.ParseArgs(th, "iterencode", args, kw, "o", "_one_shot?")
		return interp.NewSliceIterator([]interp.Value{native.CallMethod(th, self, "encode", p[0])})
	})
}

// encoderKeywords are dumps's keywords for the options of encoder self, with
// its default method (a subclass's override, or one given to __init__).
func encoderKeywords(th *interp.Thread, self interp.Value) []interp.KV {
	kw := make([]interp.KV, 0, len(encoderOptions)+2)
	for _, o := range encoderOptions {
		kw = append(kw, interp.KV{Name: o.name, Value: interp.GetAttr(th, self, o.name)})
	}
	separators := interp.Tuple{interp.GetAttr(th, self, "item_separator"), interp.GetAttr(th, self, "key_separator")}
	return append(kw, interp.KV{Name: "separators", Value: separators}, interp.KV{Name: "default", Value: interp.GetAttr(th, self, "default")})
}

func registerDecoder() {
	c := decoderClass
	interp.DefMethod(c, "__init__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		names := make([]string, len(decoderOptions))
		for i, n := range decoderOptions {
			names[i] = n + "?"
		}
		p := interp.ParseArgs(th, "JSONDecoder", nil, keywordsOnly(th, "JSONDecoder", args, kw), names...)
		for i, n := range decoderOptions {
			v := p[i]
			switch {
			case v != nil:
			case n == "strict":
				v = interp.True
			default:
				v = interp.None
			}
			native.SetAttr(self, n, v)
		}
		return interp.None
	})
	interp.DefMethod(c, "decode", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		s := interp.ParseArgs(th, "decode", args, kw, "s")[0]
		return loads(th, []interp.Value{s}, decoderHooks(th, self))
	})
	interp.DefMethod(c, "raw_decode", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		p := interp.ParseArgs(th, "raw_decode", args, kw, "s", "idx?")
		d := newDecoder(th, p[0], decoderHooks(th, self))
		start := 0
		if p[1] != nil {
			start = int(interp.ToInt64(th, p[1]))
		}
		v, end := d.value(start)
		return interp.Tuple{v, interp.MakeInt(int64(end))}
	})
}

// decoderHooks are loads's keywords for the hooks of decoder self (its
// options but strict).
func decoderHooks(th *interp.Thread, self interp.Value) []interp.KV {
	kw := make([]interp.KV, 0, len(decoderOptions))
	for _, n := range decoderOptions {
		if n != "strict" {
			kw = append(kw, interp.KV{Name: n, Value: interp.GetAttr(th, self, n)})
		}
	}
	return kw
}

// keywordsOnly refuses positional arguments, as the classes' keyword-only
// signatures do.
func keywordsOnly(th *interp.Thread, name string, args []interp.Value, kw []interp.KV) []interp.KV {
	if len(args) > 0 {
		th.TypeError("%s.__init__() takes 1 positional argument but %d were given", name, len(args)+1)
	}
	return kw
}
