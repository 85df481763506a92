package docscan

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// Insights is what a proof-of-address document says about its addressee, read from its text.
// Fields not found are empty.
type Insights struct {
	FirstName string
	LastName  string
	FullName  string    // as printed, e.g. "MARÍA J. O'NEIL-LÓPEZ"
	Address   Address   // the address the document proves: service address or addressee block
	Names     []string  // every person named as addressee or holder, FullName first
	Addresses []Address // every address found, best first
	DateLabel string    // the label DocumentDate was read under ("Statement Date"), if any
	Kind      string    // "utility bill", "bank statement", ... when recognisable
	Text      string    `json:"-"` // the text parsed, kept to search for names
	// DocumentDate is when the document was issued: a labelled statement, bill or issue date
	// when there is one, else the latest past date it prints. Nil when none was found.
	DocumentDate *time.Time
}

var (
	cellSplit  = regexp.MustCompile(`\t|\s{3,}| \| `)
	streetRe   = regexp.MustCompile(`(?i)^(?:\d+[A-Z]?(?:[-/]\d+[A-Z]?)?(?:\s+\d/\d)?\s+[A-Z0-9#]|P\.?\s*O\.?\s*BOX\s*\S|POST OFFICE BOX\s*\S|(?:RR|HC|RURAL ROUTE)\s*\d+)`)
	unitLineRe = regexp.MustCompile(`(?i)^(?:apt\.?|apartment|unit|suite|ste\.?|#|room|rm\.?|fl(?:oor)?\.?|bldg\.?|lot|spc\.?|space)\s*#?\s*[A-Z0-9-]{1,8}$`)
	cityZipRe  = regexp.MustCompile(`^(.*?)[\s,]+(\d{5})(?:\s?-\s?(\d{4}))?$`)
	// Labels that introduce the address a document is about, and the addressee.
	addressLabel = regexp.MustCompile(`(?i)^(service|property|premises?|residence|residential|insured|rental|leased|location|mailing|home|billing|account)?\s*(address|location|premises|property|location of (the )?(residence|premises|property)|insured location|described location)\s*(of service)?\s*:?\s*`)
	nameLabel    = regexp.MustCompile(`(?i)^(account\s*holder|primary account\s*holder|account\s*name|account owner|customer\s*name|customer|name|named\s*insured|insured|policy\s*holder|policyholder|tenant\(?s?\)?|lessee\(?s?\)?|resident\(?s?\)?|member|borrower|applicant|prepared for|bill to|sold to)\s*:\s*`)
	remitLabel   = regexp.MustCompile(`(?i)remit|send payment|payment address|mail payment|make checks|payable to|return (this|the) (portion|stub|coupon)`)
)

// Bounds on what ParseInsights reads: documents of interest say what matters on their first
// pages, and the candidates are compared pairwise.
const (
	maxParseBytes = 256 << 10
	maxCandidates = 20
)

// ParseInsights reads a document's text (from ExtractPDFText or OCR; its first 256 KiB) the
// way a reviewer would: the addressee block (a name above a street line above
// "City, ST 12345"), labelled fields ("Service address:", "Account holder:"), the issue date
// and the kind of document. now anchors two-digit years and rules out future dates.
func ParseInsights(text string, now time.Time) Insights {
	text = truncateUTF8(text, maxParseBytes)
	ins := Insights{Text: text}
	lines := splitCells(text)
	cands := findAddresses(lines)
	for _, c := range cands[:min(len(cands), maxCandidates)] {
		ins.Addresses = appendAddress(ins.Addresses, c.addr)
		for _, n := range c.names {
			ins.Names = appendName(ins.Names, n)
		}
	}
	if len(cands) > 0 {
		ins.Address = cands[0].addr
	}
	for _, n := range labelledNames(lines) {
		if len(ins.Names) >= maxCandidates {
			break
		}
		ins.Names = appendName(ins.Names, n)
	}
	if len(ins.Names) > 0 {
		ins.FullName = ins.Names[0]
		ins.FirstName, ins.LastName = SplitName(ins.FullName)
	}
	ins.DocumentDate, ins.DateLabel = pickDate(lines, now)
	ins.Kind = documentKind(text)
	return ins
}

// splitCells cuts each line into cells at tabs (wide gaps in a PDF) or runs of spaces (the
// columns of OCR or layout text).
func splitCells(text string) [][]string {
	text = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\f", "\n", "\u00a0", " ", "−", "-").Replace(text)
	raw := strings.Split(text, "\n")
	out := make([][]string, 0, len(raw))
	for _, l := range raw {
		var cells []string
		for _, c := range cellSplit.Split(l, -1) {
			if c = strings.Join(strings.Fields(c), " "); c != "" {
				cells = append(cells, c)
			}
		}
		out = append(out, cells)
	}
	return out
}

// candidate is an address found in the text, with the names printed above it and a score.
type candidate struct {
	addr  Address
	names []string
	score int
}

// findAddresses finds addressee blocks and labelled one-line addresses, best first. Blocks are
// sought in three views of the page — whole lines, first cells and last cells — so that an
// address printed beside a column of account details is still read as a block.
func findAddresses(lines [][]string) []candidate {
	views := make([][]string, 3)
	for _, cells := range lines {
		if len(cells) == 0 {
			for v := range views {
				views[v] = append(views[v], "")
			}
			continue
		}
		views[0] = append(views[0], strings.Join(cells, " "))
		views[1] = append(views[1], cells[0])
		views[2] = append(views[2], cells[len(cells)-1])
	}
	var out []candidate
	for _, view := range views {
		for i, line := range view {
			if c, ok := blockAt(view, i); ok {
				out = append(out, c)
			}
			if c, ok := oneLineAt(view, i, line); ok {
				out = append(out, c)
			}
		}
	}
	// Best first; among equals, the first printed (the addressee sits near the top).
	slices.SortStableFunc(out, func(a, b candidate) int { return b.score - a.score })
	return out
}

// blockAt reads an addressee block whose last line ("City, ST 12345") is view[i].
func blockAt(view []string, i int) (candidate, bool) {
	city, state, zip, ok := parseCityLine(view[i])
	if !ok || i == 0 {
		return candidate{}, false
	}
	var a Address
	a.City, a.State, a.Zip = city, state, zip
	j := i - 1
	if unitLineRe.MatchString(view[j]) && j > 0 {
		a.Line2, j = view[j], j-1
	}
	street := view[j]
	if !streetRe.MatchString(street) {
		return candidate{}, false
	}
	a.Line1 = street
	if a.Line2 == "" {
		if s, u := splitStreetUnit(street); u != "" {
			a.Line1, a.Line2 = s, u
		}
	}
	c := candidate{addr: a, score: 1}
	if strings.Contains(strings.ToUpper(a.Line1), "BOX") {
		c.score-- // a PO box proves a mailing address, not a residence
	}
	// Up to two name lines above the street ("JOHN SMITH" / "JANE SMITH"), and above them
	// perhaps a label saying whose address this is.
	top := j
	for k := j - 1; k >= 0 && k >= j-2; k-- {
		above := view[k]
		if remitLabel.MatchString(above) {
			c.score -= 3 // "Remit to:": the company's payment address
			break
		}
		if addressLabel.MatchString(above) && strings.HasSuffix(strings.TrimSpace(above), ":") {
			c.score += 3 // "Service address:" above the block
			break
		}
		names := personNames(nameLabel.ReplaceAllString(above, ""))
		if len(names) == 0 {
			if hasBusinessWord(above) {
				c.score -= 2 // the company's own address under its name
			}
			break
		}
		c.names, top = append(names, c.names...), k
	}
	if len(c.names) > 0 {
		c.score += 2
		if top > 0 && remitLabel.MatchString(view[top-1]) {
			c.score -= 5
		}
	}
	return c, true
}

// oneLineAt reads "Service address: 12 Main St Apt 4, Springfield, IL 62704" in one line, or
// the label alone on the line above a one-line address.
func oneLineAt(view []string, i int, line string) (candidate, bool) {
	labelled := false
	if loc := addressLabel.FindStringIndex(line); loc != nil && loc[1] > 0 && strings.Contains(line[:loc[1]], ":") {
		line, labelled = line[loc[1]:], true
	} else if i > 0 && addressLabel.MatchString(view[i-1]) && strings.HasSuffix(strings.TrimSpace(view[i-1]), ":") {
		labelled = true
	}
	parts := strings.Split(line, ",")
	if len(parts) < 2 || !streetRe.MatchString(strings.TrimSpace(parts[0])) {
		return candidate{}, false
	}
	a := Address{Line1: strings.TrimSpace(parts[0])}
	rest := parts[1:]
	if unitLineRe.MatchString(strings.TrimSpace(rest[0])) && len(rest) > 1 {
		a.Line2, rest = strings.TrimSpace(rest[0]), rest[1:]
	}
	var ok bool
	a.City, a.State, a.Zip, ok = parseCityLine(strings.Join(rest, ","))
	if !ok || a.City == "" {
		return candidate{}, false
	}
	if a.Line2 == "" {
		if s, u := splitStreetUnit(a.Line1); u != "" {
			a.Line1, a.Line2 = s, u
		}
	}
	c := candidate{addr: a, score: 1}
	if labelled {
		c.score += 4
	}
	return c, true
}

// parseCityLine reads "Portland, OR 97215-3322", "New York NY 10036" or "Austin, Texas 78701".
func parseCityLine(s string) (city, state, zip string, ok bool) {
	m := cityZipRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return "", "", "", false
	}
	zip = m[2]
	if m[3] != "" {
		zip += "-" + m[3]
	}
	toks := strings.Fields(strings.TrimRight(m[1], " ,."))
	for k := min(4, len(toks)); k >= 1; k-- {
		cand := strings.Join(toks[len(toks)-k:], " ")
		if strings.Contains(cand, ",") {
			continue
		}
		if k == 1 && len(cand) == 2 && cand != strings.ToUpper(cand) {
			continue // "Or", "In": words, not codes
		}
		if code := StateCode(cand); code != "" {
			city = strings.Trim(strings.Join(toks[:len(toks)-k], " "), " ,")
			if strings.ContainsAny(city, "0123456789:$") || len(city) > 40 {
				return "", "", "", false
			}
			return city, code, zip, true
		}
	}
	return "", "", "", false
}

// splitStreetUnit separates "4821 SE Hawthorne Blvd Apt 12" into street and "Apt 12".
var unitTailRe = regexp.MustCompile(`(?i)[\s,]+((?:apt\.?|apartment|unit|suite|ste\.?|#|room|rm\.?|lot|spc\.?|space|fl(?:oor)?\.?|bldg\.?)\s*#?\s*[A-Z0-9-]{1,8})$`)

func splitStreetUnit(s string) (street, unit string) {
	if m := unitTailRe.FindStringSubmatchIndex(s); m != nil {
		return strings.TrimSpace(s[:m[0]]), s[m[2]:m[3]]
	}
	return s, ""
}

// labelledNames reads "Account holder: ...", "Named insured: ..." and the like, with the value
// on the same line, in the next cell or on the next line.
func labelledNames(lines [][]string) []string {
	var out []string
	for li, cells := range lines {
		for ci, cell := range cells {
			loc := nameLabel.FindStringIndex(cell)
			if loc == nil {
				continue
			}
			val := strings.TrimSpace(cell[loc[1]:])
			switch {
			case val == "" && ci+1 < len(cells):
				val = cells[ci+1]
			case val == "" && li+1 < len(lines) && len(lines[li+1]) > 0:
				val = lines[li+1][0]
			}
			out = append(out, personNames(val)...)
		}
	}
	return out
}

func appendName(names []string, n string) []string {
	for _, x := range names {
		if foldKey(x) == foldKey(n) {
			return names
		}
	}
	return append(names, n)
}

func appendAddress(list []Address, a Address) []Address {
	na := NormalizeAddress(a)
	for _, x := range list {
		if NormalizeAddress(x) == na {
			return list
		}
	}
	return append(list, a)
}

// Kinds of documents and the words (single words, or phrases with a space) that tell them
// apart; the kind with the most hits wins.
var kinds = []struct {
	kind  string
	words []string
}{
	{"utility bill", []string{"electric", "electricity", "natural gas", "water", "sewer", "kwh", "therm", "therms", "meter", "utility", "utilities", "energy", "power", "internet", "broadband", "cable", "trash", "service address", "wireless", "mobile", "phone", "telephone"}},
	{"bank statement", []string{"bank", "checking", "savings", "credit union", "beginning balance", "ending balance", "deposit", "deposits", "withdrawal", "withdrawals", "routing", "account summary"}},
	{"credit card statement", []string{"credit card", "minimum payment", "credit limit", "available credit", "apr", "purchases", "cash advance"}},
	{"insurance declaration", []string{"declaration", "declarations", "named insured", "policy number", "policy period", "premium", "coverage", "deductible", "insured location", "endorsement", "endorsements", "liability"}},
	{"lease agreement", []string{"lease", "landlord", "tenant", "tenants", "lessee", "lessor", "premises", "security deposit", "monthly rent", "rental agreement"}},
	{"tax document", []string{"property tax", "tax bill", "assessed value", "assessor", "tax year", "parcel", "internal revenue", "form w 2", "1099"}},
}

// kindWords indexes the single words of kinds: word → the kinds it counts for.
var kindWords = func() map[string][]int {
	m := map[string][]int{}
	for i, k := range kinds {
		for _, w := range k.words {
			if !strings.Contains(w, " ") {
				m[w] = append(m[w], i)
			}
		}
	}
	return m
}()

func documentKind(text string) string {
	folded := foldKey(text)
	hits := make([]int, len(kinds))
	for w := range strings.FieldsSeq(folded) {
		for _, i := range kindWords[w] {
			hits[i]++
		}
	}
	padded := " " + folded + " "
	for i, k := range kinds {
		for _, w := range k.words {
			if strings.Contains(w, " ") {
				hits[i] += strings.Count(padded, " "+w+" ")
			}
		}
	}
	best, bestN := "", 1 // one stray word is not enough
	for i, n := range hits {
		if n > bestN {
			best, bestN = kinds[i].kind, n
		}
	}
	return best
}
