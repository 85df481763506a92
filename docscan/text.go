package docscan

import (
	"strings"
	"unicode"
)

// foldTable spells accented Latin letters without their marks, so "José Muñoz" and
// "JOSE MUNOZ" compare equal: documents, OCR and profiles disagree on accents all the time.
var foldTable = func() map[rune]string {
	m := map[rune]string{}
	for _, p := range [][2]string{
		{"ÀÁÂÃÄÅĀĂĄ", "A"}, {"àáâãäåāăą", "a"}, {"ÇĆĈĊČ", "C"}, {"çćĉċč", "c"}, {"ĎĐÐ", "D"}, {"ďđð", "d"},
		{"ÈÉÊËĒĔĖĘĚ", "E"}, {"èéêëēĕėęě", "e"}, {"ĜĞĠĢ", "G"}, {"ĝğġģ", "g"}, {"ĤĦ", "H"}, {"ĥħ", "h"},
		{"ÌÍÎÏĨĪĬĮİ", "I"}, {"ìíîïĩīĭįı", "i"}, {"Ĵ", "J"}, {"ĵ", "j"}, {"Ķ", "K"}, {"ķ", "k"},
		{"ĹĻĽĿŁ", "L"}, {"ĺļľŀł", "l"}, {"ÑŃŅŇ", "N"}, {"ñńņň", "n"}, {"ÒÓÔÕÖØŌŎŐ", "O"}, {"òóôõöøōŏő", "o"},
		{"ŔŖŘ", "R"}, {"ŕŗř", "r"}, {"ŚŜŞŠ", "S"}, {"śŝşš", "s"}, {"ŢŤŦ", "T"}, {"ţťŧ", "t"},
		{"ÙÚÛÜŨŪŬŮŰŲ", "U"}, {"ùúûüũūŭůűų", "u"}, {"Ŵ", "W"}, {"ŵ", "w"}, {"ÝŸŶ", "Y"}, {"ýÿŷ", "y"},
		{"ŹŻŽ", "Z"}, {"źżž", "z"},
	} {
		for _, r := range p[0] {
			m[r] = p[1]
		}
	}
	for r, s := range map[rune]string{'Æ': "AE", 'æ': "ae", 'Œ': "OE", 'œ': "oe", 'ß': "ss", 'Þ': "TH", 'þ': "th"} {
		m[r] = s
	}
	return m
}()

// foldKey lowers s, removes accents and apostrophes ("O'Neil" → "oneil"), and turns every
// other non-alphanumeric character into a single space.
func foldKey(s string) string {
	var sb strings.Builder
	space := true
	for _, r := range s {
		if f, ok := foldTable[r]; ok {
			sb.WriteString(strings.ToLower(f))
			space = false
			continue
		}
		switch {
		case r == '\'' || r == '’' || r == '‘' || r == '`' || r == '´':
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			sb.WriteRune(unicode.ToLower(r))
			space = false
		default:
			if !space {
				sb.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimSpace(sb.String())
}

// jaroWinkler is the Jaro–Winkler similarity of a and b in [0, 1]: tolerant of a typo or a
// transposition, and kind to a shared prefix, which suits names.
func jaroWinkler(a, b string) float64 {
	if a == b {
		return 1
	}
	ra, rb := []rune(a), []rune(b)
	if len(ra) == 0 || len(rb) == 0 {
		return 0
	}
	window := max(len(ra), len(rb))/2 - 1
	window = max(window, 0)
	ma := make([]bool, len(ra))
	mb := make([]bool, len(rb))
	matches := 0
	for i, c := range ra {
		for j := max(0, i-window); j < min(len(rb), i+window+1); j++ {
			if !mb[j] && rb[j] == c {
				ma[i], mb[j] = true, true
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0
	}
	trans, k := 0, 0
	for i := range ra {
		if !ma[i] {
			continue
		}
		for !mb[k] {
			k++
		}
		if ra[i] != rb[k] {
			trans++
		}
		k++
	}
	m := float64(matches)
	jaro := (m/float64(len(ra)) + m/float64(len(rb)) + (m-float64(trans)/2)/m) / 3
	prefix := 0
	for prefix < min(4, len(ra), len(rb)) && ra[prefix] == rb[prefix] {
		prefix++
	}
	return jaro + float64(prefix)*0.1*(1-jaro)
}
