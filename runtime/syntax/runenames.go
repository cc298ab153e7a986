package syntax

import "strings"

// lookupRuneName resolves the \N{NAME} escapes. Only a small table of common names
// is built in; an unknown name is a syntax error naming it.
func lookupRuneName(name string) (rune, bool) {
	r, ok := runeNames[strings.ToUpper(name)]
	return r, ok
}

var runeNames = map[string]rune{
	"SPACE": ' ', "NO-BREAK SPACE": '\u00a0', "EM DASH": '\u2014', "EN DASH": '\u2013',
	"BULLET": '\u2022', "HORIZONTAL ELLIPSIS": '\u2026', "DEGREE SIGN": '\u00b0',
	"COPYRIGHT SIGN": '\u00a9', "REGISTERED SIGN": '\u00ae', "TRADE MARK SIGN": '\u2122',
	"EURO SIGN": '\u20ac', "POUND SIGN": '\u00a3', "YEN SIGN": '\u00a5', "SECTION SIGN": '\u00a7',
	"PILCROW SIGN": '\u00b6', "MULTIPLICATION SIGN": '\u00d7', "DIVISION SIGN": '\u00f7',
	"GREEK SMALL LETTER ALPHA": '\u03b1', "GREEK SMALL LETTER BETA": '\u03b2',
	"GREEK SMALL LETTER PI": '\u03c0', "GREEK CAPITAL LETTER OMEGA": '\u03a9',
	"GREEK SMALL LETTER LAMDA": '\u03bb', "GREEK SMALL LETTER MU": '\u03bc',
	"LATIN SMALL LETTER E WITH ACUTE": '\u00e9', "LATIN SMALL LETTER A WITH GRAVE": '\u00e0',
	"LATIN SMALL LETTER N WITH TILDE": '\u00f1', "LATIN SMALL LETTER U WITH DIAERESIS": '\u00fc',
	"LATIN SMALL LETTER O WITH DIAERESIS": '\u00f6', "LATIN SMALL LETTER A WITH DIAERESIS": '\u00e4',
	"LATIN SMALL LETTER SHARP S": '\u00df', "LATIN SMALL LETTER C WITH CEDILLA": '\u00e7',
	"RIGHTWARDS ARROW": '\u2192', "LEFTWARDS ARROW": '\u2190', "UPWARDS ARROW": '\u2191',
	"DOWNWARDS ARROW": '\u2193', "CHECK MARK": '\u2713', "HEAVY CHECK MARK": '\u2714',
	"BALLOT X": '\u2717', "BLACK STAR": '\u2605', "WHITE STAR": '\u2606',
	"BLACK HEART SUIT": '\u2665', "SNOWMAN": '\u2603', "INFINITY": '\u221e',
	"GRINNING FACE": '\U0001F600', "THUMBS UP SIGN": '\U0001F44D', "FIRE": '\U0001F525',
	"ROCKET": '\U0001F680', "PARTY POPPER": '\U0001F389', "SPARKLES": '\u2728',
	"NULL": 0, "LINE FEED": '\n', "CARRIAGE RETURN": '\r', "CHARACTER TABULATION": '\t',
	"ZERO WIDTH SPACE": '\u200b', "REPLACEMENT CHARACTER": '\ufffd',
}
