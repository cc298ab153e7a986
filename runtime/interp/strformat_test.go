package interp_test

import (
	"strings"
	"testing"
)

// TestFormatSmallInt checks int formatting without math/big (formatSmallInt,
// hex/oct/bin of an int64) against CPython's output, across the int64 range
// (its minimum has no positive int64), big ints, bools and every int
// presentation type with grouping, sign, alternate form and padding.
func TestFormatSmallInt(t *testing.T) {
	src := `with entry {
    for x in [0, 1, -1, 255, -255, 9223372036854775807, -9223372036854775807 - 1, 12345678, 2**70, (0 - 2**70), True] {
        print(f"{x:d}|{x:x}|{x:#X}|{x:#o}|{x:b}|{x:,}|{x:_x}|{x:+010d}|{x:^20,}|{x: }|{x:=+12}|{x:#_b}");
        print(hex(x), oct(x), bin(x), "%d %5i %-5u %x %X %o %#x %+d" % (x, x, x, x, x, x, x, x));
    }
    print(f"{65:c}|{9731:c}|{65:>4c}");
    print("%c%c" % (65, "z"));
}
`
	want := `0|0|0X0|0o0|0|0|0|+000000000|         0          | 0|+          0|0b0
0x0 0o0 0b0 0     0 0     0 0 0 0x0 +0
1|1|0X1|0o1|1|1|1|+000000001|         1          | 1|+          1|0b1
0x1 0o1 0b1 1     1 1     1 1 1 0x1 +1
-1|-1|-0X1|-0o1|-1|-1|-1|-000000001|         -1         |-1|-          1|-0b1
-0x1 -0o1 -0b1 -1    -1 -1    -1 -1 -1 -0x1 -1
255|ff|0XFF|0o377|11111111|255|ff|+000000255|        255         | 255|+        255|0b1111_1111
0xff 0o377 0b11111111 255   255 255   ff FF 377 0xff +255
-255|-ff|-0XFF|-0o377|-11111111|-255|-ff|-000000255|        -255        |-255|-        255|-0b1111_1111
-0xff -0o377 -0b11111111 -255  -255 -255  -ff -FF -377 -0xff -255
9223372036854775807|7fffffffffffffff|0X7FFFFFFFFFFFFFFF|0o777777777777777777777|111111111111111111111111111111111111111111111111111111111111111|9,223,372,036,854,775,807|7fff_ffff_ffff_ffff|+9223372036854775807|9,223,372,036,854,775,807| 9223372036854775807|+9223372036854775807|0b111_1111_1111_1111_1111_1111_1111_1111_1111_1111_1111_1111_1111_1111_1111_1111
0x7fffffffffffffff 0o777777777777777777777 0b111111111111111111111111111111111111111111111111111111111111111 9223372036854775807 9223372036854775807 9223372036854775807 7fffffffffffffff 7FFFFFFFFFFFFFFF 777777777777777777777 0x7fffffffffffffff +9223372036854775807
-9223372036854775808|-8000000000000000|-0X8000000000000000|-0o1000000000000000000000|-1000000000000000000000000000000000000000000000000000000000000000|-9,223,372,036,854,775,808|-8000_0000_0000_0000|-9223372036854775808|-9,223,372,036,854,775,808|-9223372036854775808|-9223372036854775808|-0b1000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000
-0x8000000000000000 -0o1000000000000000000000 -0b1000000000000000000000000000000000000000000000000000000000000000 -9223372036854775808 -9223372036854775808 -9223372036854775808 -8000000000000000 -8000000000000000 -1000000000000000000000 -0x8000000000000000 -9223372036854775808
12345678|bc614e|0XBC614E|0o57060516|101111000110000101001110|12,345,678|bc_614e|+012345678|     12,345,678     | 12345678|+   12345678|0b1011_1100_0110_0001_0100_1110
0xbc614e 0o57060516 0b101111000110000101001110 12345678 12345678 12345678 bc614e BC614E 57060516 0xbc614e +12345678
1180591620717411303424|400000000000000000|0X400000000000000000|0o200000000000000000000000|10000000000000000000000000000000000000000000000000000000000000000000000|1,180,591,620,717,411,303,424|40_0000_0000_0000_0000|+1180591620717411303424|1,180,591,620,717,411,303,424| 1180591620717411303424|+1180591620717411303424|0b100_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000
0x400000000000000000 0o200000000000000000000000 0b10000000000000000000000000000000000000000000000000000000000000000000000 1180591620717411303424 1180591620717411303424 1180591620717411303424 400000000000000000 400000000000000000 200000000000000000000000 0x400000000000000000 +1180591620717411303424
-1180591620717411303424|-400000000000000000|-0X400000000000000000|-0o200000000000000000000000|-10000000000000000000000000000000000000000000000000000000000000000000000|-1,180,591,620,717,411,303,424|-40_0000_0000_0000_0000|-1180591620717411303424|-1,180,591,620,717,411,303,424|-1180591620717411303424|-1180591620717411303424|-0b100_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000
-0x400000000000000000 -0o200000000000000000000000 -0b10000000000000000000000000000000000000000000000000000000000000000000000 -1180591620717411303424 -1180591620717411303424 -1180591620717411303424 -400000000000000000 -400000000000000000 -200000000000000000000000 -0x400000000000000000 -1180591620717411303424
1|1|0X1|0o1|1|1|1|+000000001|         1          | 1|+          1|0b1
0x1 0o1 0b1 1     1 1     1 1 1 0x1 +1
A|☃|   A
Az
`
	if got := runJacSource(t, src); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestStrMethodFastPaths checks the one-allocation str methods (strbox.go:
// ASCII upper/lower/title, replace, join, split's parts sharing one array, strip
// of ASCII whitespace) and their fallbacks (non-ASCII text and whitespace,
// Unicode's full case mappings, an empty old in replace, counts, a split list
// changed afterwards) against CPython's output.
func TestStrMethodFastPaths(t *testing.T) {
	src := `with entry {
    samples = ["", "abc", "ABC", "Hello, World!", "  pad \t\n", "\x1c\x1dx\x1e\x1f", "straße", "ǆemo ﬁx", "\u00a0nb\u00a0", "  é  ", "a\u2003", "mixed ASCII then ü", "x" * 40 + "é", "HELLO" * 9];
    for s in samples {
        print(repr(s.upper()), repr(s.lower()), repr(s.title()), repr(s.strip()), repr(s.lstrip()), repr(s.rstrip()));
        print(repr(s.replace("l", "L")), repr(s.replace("", "-")), repr(s.replace("", "-", 2)), repr(s.replace("a", "")), repr(s.replace("x", "yz", 3)), repr(s.replace("ll", "l", 0)), repr(s.replace(s, "whole")));
        print(s.split(","), s.split("a"), "|".join(s.split(" ")), "".join([s]), s.find("l"), s.count("l"), s.startswith("H"), s.endswith("!"));
    }
    parts = "a,b,c".split(",");
    parts[0] = "z";
    parts.append("q");
    print(parts, ",".join(parts), ", ".join([]), "-".join("xyz"), "".join(("é", "b")));
    u = "hello";
    print(u.upper() is u, u.lower() == u, u.strip() == u);
    try { "a".split(""); } except ValueError as e { print("ValueError", e); }
    try { ",".join(["a", 1]); } except TypeError as e { print("TypeError", e); }
    big = "ab" * 1000;
    print(len(big.replace("a", "xyz")), big.upper()[:6], len(big.split("b")), big.title()[:6]);
}
`
	want := `'' '' '' '' '' ''
'' '-' '-' '' '' '' 'whole'
[''] ['']   -1 0 False False
'ABC' 'abc' 'Abc' 'abc' 'abc' 'abc'
'abc' '-a-b-c-' '-a-bc' 'bc' 'abc' 'abc' 'whole'
['abc'] ['', 'bc'] abc abc -1 0 False False
'ABC' 'abc' 'Abc' 'ABC' 'ABC' 'ABC'
'ABC' '-A-B-C-' '-A-BC' 'ABC' 'ABC' 'ABC' 'whole'
['ABC'] ['ABC'] ABC ABC -1 0 False False
'HELLO, WORLD!' 'hello, world!' 'Hello, World!' 'Hello, World!' 'Hello, World!' 'Hello, World!'
'HeLLo, WorLd!' '-H-e-l-l-o-,- -W-o-r-l-d-!-' '-H-ello, World!' 'Hello, World!' 'Hello, World!' 'Hello, World!' 'whole'
['Hello', ' World!'] ['Hello, World!'] Hello,|World! Hello, World! 2 3 True True
'  PAD \t\n' '  pad \t\n' '  Pad \t\n' 'pad' 'pad \t\n' '  pad'
'  pad \t\n' '- - -p-a-d- -\t-\n-' '- - pad \t\n' '  pd \t\n' '  pad \t\n' '  pad \t\n' 'whole'
['  pad \t\n'] ['  p', 'd \t\n'] ||pad|	
   pad 	
 -1 0 False False
'\x1c\x1dX\x1e\x1f' '\x1c\x1dx\x1e\x1f' '\x1c\x1dX\x1e\x1f' 'x' 'x\x1e\x1f' '\x1c\x1dx'
'\x1c\x1dx\x1e\x1f' '-\x1c-\x1d-x-\x1e-\x1f-' '-\x1c-\x1dx\x1e\x1f' '\x1c\x1dx\x1e\x1f' '\x1c\x1dyz\x1e\x1f' '\x1c\x1dx\x1e\x1f' 'whole'
['\x1c\x1dx\x1e\x1f'] ['\x1c\x1dx\x1e\x1f'] {CTRL} {CTRL} -1 0 False False
'STRASSE' 'straße' 'Straße' 'straße' 'straße' 'straße'
'straße' '-s-t-r-a-ß-e-' '-s-traße' 'strße' 'straße' 'straße' 'whole'
['straße'] ['str', 'ße'] straße straße -1 0 False False
'ǄEMO FIX' 'ǆemo ﬁx' 'ǅemo Fix' 'ǆemo ﬁx' 'ǆemo ﬁx' 'ǆemo ﬁx'
'ǆemo ﬁx' '-ǆ-e-m-o- -ﬁ-x-' '-ǆ-emo ﬁx' 'ǆemo ﬁx' 'ǆemo ﬁyz' 'ǆemo ﬁx' 'whole'
['ǆemo ﬁx'] ['ǆemo ﬁx'] ǆemo|ﬁx ǆemo ﬁx -1 0 False False
'\xa0NB\xa0' '\xa0nb\xa0' '\xa0Nb\xa0' 'nb' 'nb\xa0' '\xa0nb'
'\xa0nb\xa0' '-\xa0-n-b-\xa0-' '-\xa0-nb\xa0' '\xa0nb\xa0' '\xa0nb\xa0' '\xa0nb\xa0' 'whole'
['\xa0nb\xa0'] ['\xa0nb\xa0']  nb   nb  -1 0 False False
'  É  ' '  é  ' '  É  ' 'é' 'é  ' '  é'
'  é  ' '- - -é- - -' '- - é  ' '  é  ' '  é  ' '  é  ' 'whole'
['  é  '] ['  é  '] ||é||   é   -1 0 False False
'A\u2003' 'a\u2003' 'A\u2003' 'a' 'a\u2003' 'a'
'a\u2003' '-a-\u2003-' '-a-\u2003' '\u2003' 'a\u2003' 'a\u2003' 'whole'
['a\u2003'] ['', '\u2003'] a  a  -1 0 False False
'MIXED ASCII THEN Ü' 'mixed ascii then ü' 'Mixed Ascii Then Ü' 'mixed ASCII then ü' 'mixed ASCII then ü' 'mixed ASCII then ü'
'mixed ASCII then ü' '-m-i-x-e-d- -A-S-C-I-I- -t-h-e-n- -ü-' '-m-ixed ASCII then ü' 'mixed ASCII then ü' 'miyzed ASCII then ü' 'mixed ASCII then ü' 'whole'
['mixed ASCII then ü'] ['mixed ASCII then ü'] mixed|ASCII|then|ü mixed ASCII then ü -1 0 False False
'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXÉ' 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxé' 'Xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxé' 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxé' 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxé' 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxé'
'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxé' '-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-é-' '-x-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxé' 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxé' 'yzyzyzxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxé' 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxé' 'whole'
['xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxé'] ['xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxé'] xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxé xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxé -1 0 False False
'HELLOHELLOHELLOHELLOHELLOHELLOHELLOHELLOHELLO' 'hellohellohellohellohellohellohellohellohello' 'Hellohellohellohellohellohellohellohellohello' 'HELLOHELLOHELLOHELLOHELLOHELLOHELLOHELLOHELLO' 'HELLOHELLOHELLOHELLOHELLOHELLOHELLOHELLOHELLO' 'HELLOHELLOHELLOHELLOHELLOHELLOHELLOHELLOHELLO'
'HELLOHELLOHELLOHELLOHELLOHELLOHELLOHELLOHELLO' '-H-E-L-L-O-H-E-L-L-O-H-E-L-L-O-H-E-L-L-O-H-E-L-L-O-H-E-L-L-O-H-E-L-L-O-H-E-L-L-O-H-E-L-L-O-' '-H-ELLOHELLOHELLOHELLOHELLOHELLOHELLOHELLOHELLO' 'HELLOHELLOHELLOHELLOHELLOHELLOHELLOHELLOHELLO' 'HELLOHELLOHELLOHELLOHELLOHELLOHELLOHELLOHELLO' 'HELLOHELLOHELLOHELLOHELLOHELLOHELLOHELLOHELLO' 'whole'
['HELLOHELLOHELLOHELLOHELLOHELLOHELLOHELLOHELLO'] ['HELLOHELLOHELLOHELLOHELLOHELLOHELLOHELLOHELLO'] HELLOHELLOHELLOHELLOHELLOHELLOHELLOHELLOHELLO HELLOHELLOHELLOHELLOHELLOHELLOHELLOHELLOHELLO -1 0 True False
['z', 'b', 'c', 'q'] z,b,c,q  x-y-z éb
False True True
ValueError empty separator
TypeError sequence item 1: expected str instance, int found
4000 ABABAB 1001 Ababab
`
	// the sample "\x1c\x1dx\x1e\x1f" printed by join: control characters, spelled out
	want = strings.ReplaceAll(want, "{CTRL}", "\x1c\x1dx\x1e\x1f")
	if got := runJacSource(t, src); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestFStringSpecsParsedAhead checks f-string fields whose literal spec is
// parsed when compiled and written straight into the result (ints under plain
// decimal specs, finite floats under 'f'), their fallbacks (bools, big ints,
// inf/nan, grouping, 'z', specs built at run time, invalid specs raising at
// run time) and zero padding with an explicit alignment, against CPython.
func TestFStringSpecsParsedAhead(t *testing.T) {
	src := `with entry {
    vals = [0, 7, -7, 12345, -9223372036854775807 - 1, 2**70, True, False, 0.0, -0.0, 1.5, -2.25, 3.14159, 1e20, -1e-7, float("inf"), float("-inf"), float("nan"), 123456.789];
    for v in vals {
        print(f"[{v:5}|{v:<7}|{v:^9}|{v:>+8}|{v:=08}|{v:*^11}|{v: }|{v:€>6}]");
        try {
            print(f"<{v:d}|{v:05d}|{v:+d}|{v:<6d}|{v:x}>");
        } except ValueError as e {
            print("ValueError", e);
        }
        print(f"({v:.2f}|{v:10.3f}|{v:<10.1f}|{v:+.0f}|{v:f}|{v:08.2f}|{v:F}|{v:z.1f}|{v:,.2f}|{v:^12.4f}|{v:=+10.2f})");
    }
    v = 5;
    try { print(f"{v:.2d}"); } except ValueError as e { print("ValueError", e); }
    try { print(f"{v:zd}"); } except ValueError as e { print("ValueError", e); }
    w = 6;
    print(f"{3.14159:{w}.2f}|{42:{w}d}|{'s':{w}}");
}
`
	want := `[    0|0      |    0    |      +0|00000000|*****0*****| 0|€€€€€0]
<0|00000|+0|0     |0>
(0.00|     0.000|0.0       |+0|0.000000|00000.00|0.000000|0.0|0.00|   0.0000   |+     0.00)
[    7|7      |    7    |      +7|00000007|*****7*****| 7|€€€€€7]
<7|00007|+7|7     |7>
(7.00|     7.000|7.0       |+7|7.000000|00007.00|7.000000|7.0|7.00|   7.0000   |+     7.00)
[   -7|-7     |   -7    |      -7|-0000007|****-7*****|-7|€€€€-7]
<-7|-0007|-7|-7    |-7>
(-7.00|    -7.000|-7.0      |-7|-7.000000|-0007.00|-7.000000|-7.0|-7.00|  -7.0000   |-     7.00)
[12345|12345  |  12345  |  +12345|00012345|***12345***| 12345|€12345]
<12345|12345|+12345|12345 |3039>
(12345.00| 12345.000|12345.0   |+12345|12345.000000|12345.00|12345.000000|12345.0|12,345.00| 12345.0000 |+ 12345.00)
[-9223372036854775808|-9223372036854775808|-9223372036854775808|-9223372036854775808|-9223372036854775808|-9223372036854775808|-9223372036854775808|-9223372036854775808]
<-9223372036854775808|-9223372036854775808|-9223372036854775808|-9223372036854775808|-8000000000000000>
(-9223372036854775808.00|-9223372036854775808.000|-9223372036854775808.0|-9223372036854775808|-9223372036854775808.000000|-9223372036854775808.00|-9223372036854775808.000000|-9223372036854775808.0|-9,223,372,036,854,775,808.00|-9223372036854775808.0000|-9223372036854775808.00)
[1180591620717411303424|1180591620717411303424|1180591620717411303424|+1180591620717411303424|1180591620717411303424|1180591620717411303424| 1180591620717411303424|1180591620717411303424]
<1180591620717411303424|1180591620717411303424|+1180591620717411303424|1180591620717411303424|400000000000000000>
(1180591620717411303424.00|1180591620717411303424.000|1180591620717411303424.0|+1180591620717411303424|1180591620717411303424.000000|1180591620717411303424.00|1180591620717411303424.000000|1180591620717411303424.0|1,180,591,620,717,411,303,424.00|1180591620717411303424.0000|+1180591620717411303424.00)
[    1|1      |    1    |      +1|00000001|*****1*****| 1|€€€€€1]
<1|00001|+1|1     |1>
(1.00|     1.000|1.0       |+1|1.000000|00001.00|1.000000|1.0|1.00|   1.0000   |+     1.00)
[    0|0      |    0    |      +0|00000000|*****0*****| 0|€€€€€0]
<0|00000|+0|0     |0>
(0.00|     0.000|0.0       |+0|0.000000|00000.00|0.000000|0.0|0.00|   0.0000   |+     0.00)
[  0.0|0.0    |   0.0   |    +0.0|000000.0|****0.0****| 0.0|€€€0.0]
ValueError Unknown format code 'd' for object of type 'float'
(0.00|     0.000|0.0       |+0|0.000000|00000.00|0.000000|0.0|0.00|   0.0000   |+     0.00)
[ -0.0|-0.0   |  -0.0   |    -0.0|-00000.0|***-0.0****|-0.0|€€-0.0]
ValueError Unknown format code 'd' for object of type 'float'
(-0.00|    -0.000|-0.0      |-0|-0.000000|-0000.00|-0.000000|0.0|-0.00|  -0.0000   |-     0.00)
[  1.5|1.5    |   1.5   |    +1.5|000001.5|****1.5****| 1.5|€€€1.5]
ValueError Unknown format code 'd' for object of type 'float'
(1.50|     1.500|1.5       |+2|1.500000|00001.50|1.500000|1.5|1.50|   1.5000   |+     1.50)
[-2.25|-2.25  |  -2.25  |   -2.25|-0002.25|***-2.25***|-2.25|€-2.25]
ValueError Unknown format code 'd' for object of type 'float'
(-2.25|    -2.250|-2.2      |-2|-2.250000|-0002.25|-2.250000|-2.2|-2.25|  -2.2500   |-     2.25)
[3.14159|3.14159| 3.14159 |+3.14159|03.14159|**3.14159**| 3.14159|3.14159]
ValueError Unknown format code 'd' for object of type 'float'
(3.14|     3.142|3.1       |+3|3.141590|00003.14|3.141590|3.1|3.14|   3.1416   |+     3.14)
[1e+20|1e+20  |  1e+20  |  +1e+20|0001e+20|***1e+20***| 1e+20|€1e+20]
ValueError Unknown format code 'd' for object of type 'float'
(100000000000000000000.00|100000000000000000000.000|100000000000000000000.0|+100000000000000000000|100000000000000000000.000000|100000000000000000000.00|100000000000000000000.000000|100000000000000000000.0|100,000,000,000,000,000,000.00|100000000000000000000.0000|+100000000000000000000.00)
[-1e-07|-1e-07 | -1e-07  |  -1e-07|-001e-07|**-1e-07***|-1e-07|-1e-07]
ValueError Unknown format code 'd' for object of type 'float'
(-0.00|    -0.000|-0.0      |-0|-0.000000|-0000.00|-0.000000|0.0|-0.00|  -0.0000   |-     0.00)
[  inf|inf    |   inf   |    +inf|00000inf|****inf****| inf|€€€inf]
ValueError Unknown format code 'd' for object of type 'float'
(inf|       inf|inf       |+inf|inf|00000inf|INF|inf|inf|    inf     |+      inf)
[ -inf|-inf   |  -inf   |    -inf|-0000inf|***-inf****|-inf|€€-inf]
ValueError Unknown format code 'd' for object of type 'float'
(-inf|      -inf|-inf      |-inf|-inf|-0000inf|-INF|-inf|-inf|    -inf    |-      inf)
[  nan|nan    |   nan   |    +nan|00000nan|****nan****| nan|€€€nan]
ValueError Unknown format code 'd' for object of type 'float'
(nan|       nan|nan       |+nan|nan|00000nan|NAN|nan|nan|    nan     |+      nan)
[123456.789|123456.789|123456.789|+123456.789|123456.789|123456.789*| 123456.789|123456.789]
ValueError Unknown format code 'd' for object of type 'float'
(123456.79|123456.789|123456.8  |+123457|123456.789000|123456.79|123456.789000|123456.8|123,456.79|123456.7890 |+123456.79)
ValueError Precision not allowed in integer format specifier
ValueError Negative zero coercion (z) not allowed in integer format specifier
  3.14|    42|s     
`
	if got := runJacSource(t, src); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestZeroPadding checks the '0' option with and without an explicit fill
// and alignment, for numbers and strs, through format(), % and str.format,
// against CPython.
func TestZeroPadding(t *testing.T) {
	src := `with entry {
    print(format('ab', '05'), format('ab', '<05'), format('ab', '>05'), format('ab', '^07'), format(-3, '05'), format(-3.5, '08.2f'), format(7, 'x=08'), format(7, 'x<08'), format(1234567, '010,'), format(255, '#010x'));
    print('%05d|%-5d|%05.1f|%+05d|%5s|%-5s|%05x|%#06x' % (-3, 4, 2.25, 7, 'ab', 'cd', 255, 255));
    print('{:05}|{:<05}|{:=+8}|{:08.3f}|{:0>6}|{:0^7}'.format(-12, 3, 42, -1.5, 'z', 'mid'));
}
`
	want := `ab000 ab000 000ab 00ab000 -0003 -0003.50 xxxxxxx7 7xxxxxxx 01,234,567 0x000000ff
-0003|4    |002.2|+0007|   ab|cd   |000ff|0x00ff
-0012|30000|+     42|-001.500|00000z|00mid00
`
	if got := runJacSource(t, src); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestSplitPartitionJoin checks str.split() on ASCII and Unicode whitespace
// (splitSpace and its fallback), rsplit with a limit over multi-byte spaces,
// partition/rpartition as one-allocation tuples and their empty separator, and
// join over lists, tuples, generators and dicts, against CPython.
func TestSplitPartitionJoin(t *testing.T) {
	src := `with entry {
    for s in ["", "   ", "a", " a ", "a b  c\td\ne\x0bf\x0cg\rh\x1ci\x1dj\x1ek\x1fl", "  lead", "trail  ", "x\u00a0y z", "é è\u2003ê", "a,b,,c"] {
        print(s.split(), s.split(None, 1), s.rsplit(None, 1), s.partition(","), s.rpartition(","), s.partition(" "), s.rpartition("z"));
    }
    print(",".join(["a"] * 3), "".join([]), "-".join(("x",)), "+".join(w for w in "abc"), "|".join({"k": 1, "j": 2}));
    try { "abc".partition(""); } except ValueError as e { print("ValueError", e); }
}
`
	want := `[] [] [] ('', '', '') ('', '', '') ('', '', '') ('', '', '')
[] [] [] ('   ', '', '') ('', '', '   ') ('', ' ', '  ') ('', '', '   ')
['a'] ['a'] ['a'] ('a', '', '') ('', '', 'a') ('a', '', '') ('', '', 'a')
['a'] ['a'] ['a'] (' a ', '', '') ('', '', ' a ') ('', ' ', 'a ') ('', '', ' a ')
['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'] ['a', 'b  c\td\ne\x0bf\x0cg\rh\x1ci\x1dj\x1ek\x1fl'] ['a b  c\td\ne\x0bf\x0cg\rh\x1ci\x1dj\x1ek', 'l'] ('a b  c\td\ne\x0bf\x0cg\rh\x1ci\x1dj\x1ek\x1fl', '', '') ('', '', 'a b  c\td\ne\x0bf\x0cg\rh\x1ci\x1dj\x1ek\x1fl') ('a', ' ', 'b  c\td\ne\x0bf\x0cg\rh\x1ci\x1dj\x1ek\x1fl') ('', '', 'a b  c\td\ne\x0bf\x0cg\rh\x1ci\x1dj\x1ek\x1fl')
['lead'] ['lead'] ['lead'] ('  lead', '', '') ('', '', '  lead') ('', ' ', ' lead') ('', '', '  lead')
['trail'] ['trail'] ['trail'] ('trail  ', '', '') ('', '', 'trail  ') ('trail', ' ', ' ') ('', '', 'trail  ')
['x', 'y', 'z'] ['x', 'y z'] ['x\xa0y', 'z'] ('x\xa0y z', '', '') ('', '', 'x\xa0y z') ('x\xa0y', ' ', 'z') ('x\xa0y ', 'z', '')
['é', 'è', 'ê'] ['é', 'è\u2003ê'] ['é è', 'ê'] ('é è\u2003ê', '', '') ('', '', 'é è\u2003ê') ('é', ' ', 'è\u2003ê') ('', '', 'é è\u2003ê')
['a,b,,c'] ['a,b,,c'] ['a,b,,c'] ('a', ',', 'b,,c') ('a,b,', ',', 'c') ('a,b,,c', '', '') ('', '', 'a,b,,c')
a,a,a  x a+b+c k|j
ValueError empty separator
`
	if got := runJacSource(t, src); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestStrFormatAndPercent checks str.format and % formatting writing ints and
// floats straight into the result (appendFormattedAt, appendNumber) and their
// fallbacks: big ints, bools, NaN and infinities, '%.3d' (C's minimum digits),
// '%d' of a float, a date's strftime spec and a class's own __format__,
// positional, keyword, indexed and attribute fields, invalid specs.
func TestStrFormatAndPercent(t *testing.T) {
	src := `import datetime;
class Money {
    def init(self: Money, c: int) { self.c = c; }
    def __format__(self: Money, spec: str) -> str { return "$" + format(self.c / 100, spec or ".2f"); }
}
with entry {
    d = datetime.date(2024, 3, 9);
    for v in [0, 5, -5, 123456, 2**70, True, 0.5, -0.0, 2.675, 1e16, float("nan"), float("-inf")] {
        print("{}|{:6}|{:<6}|{:^8}|{:+}|{:08.3f}|{:.1f}|{:>10.2f}|{:z.1f}".format(v, v, v, v, v, v, v, v, v));
        try { print("%s|%6d|%-6d|%+d|%05d|%.2f|%8.3f|%-8.1f|%+.0f|%5.3d" % (v, v, v, v, v, v, v, v, v, v)); } except (ValueError, OverflowError) as e { print(type(e).__name__, e); }
        try { print("{:d}|{:05d}|{:x}".format(v, v, v)); } except ValueError as e { print("ValueError", e); }
    }
    print("{:%Y-%m-%d}|{}|{:>9}|{m}|{m:.1f}".format(d, Money(1999), Money(5), m=Money(250)));
    print("{0}{1}{0}|{x[1]}|{x[0]:>4}|{y.real}".format("a", "b", x=[7, 8], y=3));
    try { "{:q}".format(5); } except ValueError as e { print("ValueError", e); }
    try { "{:.2d}".format(5); } except ValueError as e { print("ValueError", e); }
}
`
	want := `0|     0|0     |   0    |+0|0000.000|0.0|      0.00|0.0
0|     0|0     |+0|00000|0.00|   0.000|0.0     |+0|  000
0|00000|0
5|     5|5     |   5    |+5|0005.000|5.0|      5.00|5.0
5|     5|5     |+5|00005|5.00|   5.000|5.0     |+5|  005
5|00005|5
-5|    -5|-5    |   -5   |-5|-005.000|-5.0|     -5.00|-5.0
-5|    -5|-5    |-5|-0005|-5.00|  -5.000|-5.0    |-5| -005
-5|-0005|-5
123456|123456|123456| 123456 |+123456|123456.000|123456.0| 123456.00|123456.0
123456|123456|123456|+123456|123456|123456.00|123456.000|123456.0|+123456|123456
123456|123456|1e240
1180591620717411303424|1180591620717411303424|1180591620717411303424|1180591620717411303424|+1180591620717411303424|1180591620717411303424.000|1180591620717411303424.0|1180591620717411303424.00|1180591620717411303424.0
1180591620717411303424|1180591620717411303424|1180591620717411303424|+1180591620717411303424|1180591620717411303424|1180591620717411303424.00|1180591620717411303424.000|1180591620717411303424.0|+1180591620717411303424|1180591620717411303424
1180591620717411303424|1180591620717411303424|400000000000000000
True|     1|1     |   1    |+1|0001.000|1.0|      1.00|1.0
True|     1|1     |+1|00001|1.00|   1.000|1.0     |+1|  001
1|00001|1
0.5|   0.5|0.5   |  0.5   |+0.5|0000.500|0.5|      0.50|0.5
0.5|     0|0     |+0|00000|0.50|   0.500|0.5     |+0|  000
ValueError Unknown format code 'd' for object of type 'float'
-0.0|  -0.0|-0.0  |  -0.0  |-0.0|-000.000|-0.0|     -0.00|0.0
-0.0|     0|0     |+0|00000|-0.00|  -0.000|-0.0    |-0|  000
ValueError Unknown format code 'd' for object of type 'float'
2.675| 2.675|2.675 | 2.675  |+2.675|0002.675|2.7|      2.67|2.7
2.675|     2|2     |+2|00002|2.67|   2.675|2.7     |+3|  002
ValueError Unknown format code 'd' for object of type 'float'
1e+16| 1e+16|1e+16 | 1e+16  |+1e+16|10000000000000000.000|10000000000000000.0|10000000000000000.00|10000000000000000.0
1e+16|10000000000000000|10000000000000000|+10000000000000000|10000000000000000|10000000000000000.00|10000000000000000.000|10000000000000000.0|+10000000000000000|10000000000000000
ValueError Unknown format code 'd' for object of type 'float'
nan|   nan|nan   |  nan   |+nan|00000nan|nan|       nan|nan
ValueError cannot convert float NaN to integer
ValueError Unknown format code 'd' for object of type 'float'
-inf|  -inf|-inf  |  -inf  |-inf|-0000inf|-inf|      -inf|-inf
OverflowError cannot convert float infinity to integer
ValueError Unknown format code 'd' for object of type 'float'
2024-03-09|$19.99|$     0.05|$2.50|$2.5
aba|8|   7|3
ValueError Unknown format code 'q' for object of type 'int'
ValueError Precision not allowed in integer format specifier
`
	if got := runJacSource(t, src); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
