package interp_test

import "testing"

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
['\x1c\x1dx\x1e\x1f'] ['\x1c\x1dx\x1e\x1f'] x x -1 0 False False
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
	if got := runJacSource(t, src); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
