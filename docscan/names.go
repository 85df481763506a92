package docscan

import (
	"fmt"
	"regexp"
	"strings"
)

var (
	nameTokenRe = regexp.MustCompile(`^[\p{L}][\p{L}'’.\-]*,?$|^[\p{L}]\.?,?$`)
	honorifics  = map[string]bool{"mr": true, "mrs": true, "ms": true, "miss": true, "mx": true, "dr": true, "prof": true, "rev": true}
	nameSuffix  = map[string]bool{"jr": true, "sr": true, "ii": true, "iii": true, "iv": true, "v": true, "md": true, "phd": true, "esq": true, "dds": true}
	particles   = map[string]bool{"de": true, "del": true, "della": true, "la": true, "le": true, "van": true, "von": true, "der": true, "den": true, "da": true, "di": true, "dos": true, "das": true, "du": true, "st": true, "ten": true, "ter": true, "bin": true, "al": true, "mac": true}
	// Words that mark a line as a company, a heading or a sentence rather than a person.
	businessWords = map[string]bool{
		"llc": true, "inc": true, "corp": true, "corporation": true, "company": true, "co": true, "ltd": true, "lp": true, "llp": true,
		"bank": true, "credit": true, "union": true, "energy": true, "electric": true, "power": true, "gas": true, "water": true,
		"utility": true, "utilities": true, "services": true, "service": true, "department": true, "dept": true, "payment": true,
		"payments": true, "remit": true, "customer": true, "account": true, "statement": true, "total": true, "amount": true,
		"due": true, "date": true, "bill": true, "billing": true, "insurance": true, "mutual": true, "property": true,
		"management": true, "apartments": true, "trust": true, "savings": true, "financial": true, "federal": true,
		"national": true, "association": true, "attn": true, "attention": true, "box": true, "street": true, "avenue": true,
		"page": true, "summary": true, "balance": true, "please": true, "return": true, "mail": true, "from": true, "your": true,
		"thank": true, "you": true, "questions": true, "call": true, "policy": true, "declarations": true, "lease": true,
		"agreement": true, "landlord": true, "city": true, "county": true, "state": true, "of": true, "the": true, "for": true,
		"group": true, "holdings": true, "partners": true, "realty": true, "homes": true, "communications": true,
		"wireless": true, "telecom": true, "cable": true, "internet": true, "new": true, "important": true, "information": true,
		"notice": true, "details": true, "usage": true, "charges": true, "rate": true, "plan": true, "residential": true,
		"address": true, "number": true, "period": true, "meter": true, "previous": true, "current": true, "coverage": true,
		"premium": true, "deductible": true, "limit": true, "vehicle": true, "tenant": true, "resident": true, "owner": true,
		"holder": true, "name": true, "member": true, "insured": true, "electronic": true, "paperless": true, "auto": true,
		"autopay": true, "online": true, "visit": true, "www": true, "com": true, "net": true, "org": true, "usa": true,
	}
)

// hasBusinessWord reports whether a line reads as a company or a heading.
func hasBusinessWord(s string) bool {
	for _, w := range strings.Fields(foldKey(s)) {
		if businessWords[w] {
			return true
		}
	}
	return false
}

// personNames returns the people a line names: "MARIA LOPEZ", "LOPEZ, MARIA J",
// "JOHN & JANE SMITH" (two people sharing the last name), "JOHN SMITH OR JANE DOE". A line
// with digits, a company word or too many words names nobody.
func personNames(line string) []string {
	line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "C/O "))
	if line == "" || strings.ContainsAny(line, "0123456789:$@/") || hasBusinessWord(line) {
		return nil
	}
	words := strings.Fields(line)
	var people [][]string
	cur := []string{}
	for _, w := range words {
		lw := strings.ToLower(w)
		if lw == "&" || lw == "and" || lw == "or" || lw == "+" {
			people = append(people, cur)
			cur = []string{}
			continue
		}
		if !nameTokenRe.MatchString(w) {
			return nil
		}
		cur = append(cur, w)
	}
	people = append(people, cur)
	last := people[len(people)-1]
	var out []string
	for i, p := range people {
		if i < len(people)-1 && len(p) == 1 && len(last) >= 2 {
			// "JOHN & JANE SMITH": the first person shares the last name.
			p = append(p, last[len(last)-1])
		}
		if n := len(significant(p)); n < 2 || len(p) > 6 {
			return nil
		}
		out = append(out, strings.Join(p, " "))
	}
	return out
}

// significant drops honorifics and suffixes from a name's words.
func significant(words []string) []string {
	var out []string
	for i, w := range words {
		k := foldKey(w)
		if honorifics[k] && i == 0 || nameSuffix[k] && i > 0 || k == "" {
			continue
		}
		out = append(out, w)
	}
	return out
}

// SplitName splits a printed name into first and last name: "LOPEZ, MARIA J" gives MARIA and
// LOPEZ; "Dr. Ann-Marie de la Cruz Jr." gives Ann-Marie and de la Cruz. Middle names and
// initials, honorifics and suffixes are left out.
func SplitName(full string) (first, last string) {
	var parts []string
	for p := range strings.SplitSeq(full, ",") {
		if !allSuffixes(p) {
			parts = append(parts, p)
		}
	}
	if len(parts) >= 2 { // "LAST, FIRST MIDDLE"
		parts[0], parts[1] = parts[1], parts[0]
	}
	full = strings.Join(parts, " ")
	words := significant(strings.Fields(full))
	switch len(words) {
	case 0:
		return "", ""
	case 1:
		return "", words[0]
	}
	i := len(words) - 1
	for i > 1 && particles[foldKey(words[i-1])] {
		i--
	}
	return words[0], strings.Join(words[i:], " ")
}

// NameMatch is how well a document's name matches the profile.
type NameMatch struct {
	Score  float64 // 0–1: Jaro–Winkler of first and last names, weighted 0.4 and 0.6
	Match  bool
	Reason string // plain English for reviewers
}

// Thresholds of CompareName: each part of the name must reach its own, so that a spouse or
// parent at the same address ("Carlos Lopez" for "Maria Lopez") does not pass on the shared
// last name.
const (
	FirstNameThreshold = 0.85
	LastNameThreshold  = 0.9
)

// CompareName compares the profile's name with the names the document is addressed to
// (case, accents and punctuation ignored; middle names, initials, suffixes and "LAST, FIRST"
// order tolerated; small typos forgiven). When the document names nobody it searches the
// whole text for the profile's name.
func CompareName(profileFirst, profileLast string, ins Insights) NameMatch {
	want := strings.TrimSpace(profileFirst + " " + profileLast)
	pf, pl := foldKey(profileFirst), foldKey(profileLast)
	if pl == "" {
		return NameMatch{Reason: "the profile has no last name to compare"}
	}
	names := ins.Names
	if len(names) == 0 && ins.FullName != "" {
		names = []string{ins.FullName}
	}
	best, bestName := -1.0, ""
	bestOK := false
	for _, n := range names {
		s, ok := scoreName(pf, pl, n)
		if ok && !bestOK || ok == bestOK && s > best {
			best, bestName, bestOK = s, n, ok
		}
	}
	switch {
	case bestOK:
		return NameMatch{Score: best, Match: true, Reason: fmt.Sprintf("the document is addressed to %s, matching %s", bestName, want)}
	case len(names) > 0:
		return NameMatch{Score: best, Reason: fmt.Sprintf("the document is addressed to %s, not %s", strings.Join(names, " and "), want)}
	}
	if s, found := searchName(pf, pl, ins.Text); found {
		return NameMatch{Score: s, Match: true, Reason: fmt.Sprintf("no addressee was found, but the document names %s", want)}
	}
	return NameMatch{Reason: fmt.Sprintf("the document does not name %s", want)}
}

// scoreName scores one printed name against the profile's folded first and last names, in
// the printed order and, for "LOPEZ MARIA" without a comma, swapped.
func scoreName(pf, pl, printed string) (float64, bool) {
	first, last := SplitName(printed)
	words := strings.Fields(foldKey(strings.Join(significant(strings.Fields(strings.ReplaceAll(printed, ",", " "))), " ")))
	s1, ok1 := scoreParts(pf, pl, foldKey(first), foldKey(last), words)
	if len(words) >= 2 {
		s2, ok2 := scoreParts(pf, pl, words[len(words)-1], words[0], words)
		s2 *= 0.97 // swapped order is a little less sure
		if ok2 && !ok1 || ok2 == ok1 && s2 > s1 {
			return s2, ok2
		}
	}
	return s1, ok1
}

func scoreParts(pf, pl, df, dl string, words []string) (float64, bool) {
	ls := lastSimilarity(pl, dl, words)
	fs := firstSimilarity(pf, df)
	score := 0.4*fs + 0.6*ls
	return score, ls >= LastNameThreshold && (fs >= FirstNameThreshold || pf == "")
}

// lastSimilarity compares last names whole, without spaces or hyphens ("de la Cruz" and
// "Delacruz"), or by any one part of a double surname ("Garcia" in "Garcia Lopez",
// "O'Neil-Lopez"), which people often drop in one place and not the other.
func lastSimilarity(pl, dl string, words []string) float64 {
	flat := func(s string) string { return strings.ReplaceAll(s, " ", "") }
	best := jaroWinkler(flat(pl), flat(dl))
	for _, part := range strings.Fields(dl) {
		if len(part) >= 3 {
			best = max(best, 0.97*jaroWinkler(flat(pl), part))
		}
	}
	for _, part := range strings.Fields(pl) {
		if len(part) >= 3 {
			for _, w := range words[min(1, len(words)):] {
				best = max(best, 0.97*jaroWinkler(part, w))
			}
		}
	}
	return best
}

// firstSimilarity compares first names; an initial matches a name starting with it, and the
// first of several given names ("Mary Ann") is enough.
func firstSimilarity(pf, df string) float64 {
	if pf == "" || df == "" {
		return 0
	}
	if len(df) == 1 || len(pf) == 1 {
		if df[0] == pf[0] {
			return FirstNameThreshold
		}
		return 0
	}
	best := jaroWinkler(strings.ReplaceAll(pf, " ", ""), strings.ReplaceAll(df, " ", ""))
	if f := strings.Fields(pf); len(f) > 1 {
		best = max(best, jaroWinkler(f[0], df))
	}
	return best
}

// searchName looks for the profile's last name in the text with the first name or its
// initial within three words of it.
func searchName(pf, pl, text string) (float64, bool) {
	words := strings.Fields(foldKey(text))
	lastWords := strings.Fields(pl)
	n := len(lastWords)
	best, found := 0.0, false
	for i := 0; i+n <= len(words); i++ {
		ls := jaroWinkler(strings.Join(lastWords, ""), strings.Join(words[i:i+n], ""))
		if ls < LastNameThreshold+0.03 {
			continue
		}
		for j := max(0, i-3); j < min(len(words), i+n+3); j++ {
			if j >= i && j < i+n {
				continue
			}
			fs := firstSimilarity(pf, words[j])
			if fs >= FirstNameThreshold || pf == "" {
				if s := 0.95 * (0.4*fs + 0.6*ls); s > best {
					best, found = s, true
				}
			}
		}
	}
	return best, found
}

// allSuffixes reports whether a comma-separated part of a name holds only suffixes ("Jr.").
func allSuffixes(part string) bool {
	for _, w := range strings.Fields(part) {
		if !nameSuffix[foldKey(w)] {
			return false
		}
	}
	return true
}
