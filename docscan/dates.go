package docscan

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

var (
	monthRe = `(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`
	// The date layouts of US documents, tried in this order; a span taken by one is not
	// read again by the next.
	dateRes = []*regexp.Regexp{
		regexp.MustCompile(`(?i)\b` + monthRe + `\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`),           // Oct 15, 2026
		regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)?[-\s]` + monthRe + `[-\s,]+(\d{4}|\d{2})\b`), // 15-Oct-2026, 15 October 2026
		regexp.MustCompile(`\b(\d{4})-(\d{1,2})-(\d{1,2})\b`),                                           // 2026-10-15
		regexp.MustCompile(`\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b`),                             // 10/15/2026, 10-15-26
	}
	months = map[string]time.Month{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}
)

// dateHit is a date found in the text with the label it was printed under.
type dateHit struct {
	t     time.Time
	label string
	score int
}

// dateSpan is a date and where it was printed in a cell.
type dateSpan struct {
	t          time.Time
	start, end int
}

// findDates returns the dates in one cell of text with the words before each.
func findDates(cell string, now time.Time) []dateSpan {
	var out []dateSpan
	taken := func(s, e int) bool {
		for _, o := range out {
			if s < o.end && e > o.start {
				return true
			}
		}
		return false
	}
	for k, re := range dateRes {
		for _, m := range re.FindAllStringSubmatchIndex(cell, -1) {
			if taken(m[0], m[1]) {
				continue
			}
			g := func(i int) string { return cell[m[2*i]:m[2*i+1]] }
			var y, mo, d int
			switch k {
			case 0:
				mo, d, y = int(months[strings.ToLower(g(1))[:3]]), atoi(g(2)), atoi(g(3))
			case 1:
				d, mo, y = atoi(g(1)), int(months[strings.ToLower(g(2))[:3]]), atoi(g(3))
			case 2:
				y, mo, d = atoi(g(1)), atoi(g(2)), atoi(g(3))
			case 3:
				mo, d, y = atoi(g(1)), atoi(g(2)), atoi(g(3))
			}
			if y < 100 { // two-digit year: this century unless that is well in the future
				y += now.Year() / 100 * 100
				if y > now.Year()+1 {
					y -= 100
				}
			}
			t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
			if mo < 1 || mo > 12 || d < 1 || t.Day() != d {
				continue // 02/30, 13/01: not a date
			}
			out = append(out, dateSpan{t, m[0], m[1]})
		}
	}
	// In order of position, so that ranges ("Sep 12 – Oct 11") can be seen.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].start < out[j-1].start; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// Date label classes, by how well the date says when the document was made.
const (
	scoreIssue   = 100 // Statement date, Bill date, Issued, Date:
	scorePeriodE = 50  // the end of a statement or service period
	scoreOther   = 30  // a date without a known label
	scorePast    = 25  // a past event: last payment, previous bill
	scorePeriodS = 20  // the start of a period
	scoreDue     = 10  // due dates are weeks after the bill
)

var (
	excludedLabel = regexp.MustCompile(`birth|\bdob\b|\bborn\b|expir|\bexp\b|valid thr|member since|customer since|\bsince\b|opened`)
	issueLabel    = regexp.MustCompile(`statement date|bill(ing)? date|date of (bill|statement|notice|issue|letter)|issue(d)?( date| on)?|invoice date|print(ed)?( date| on)?|mail(ing|ed)( date| on)?|notice date|letter date|prepared( on)?|closing date|as of|^date\b|\bdate$|statement (closing|ending)|run date`)
	dueLabel      = regexp.MustCompile(`\bdue\b|pay by|payment date|pay on|autopay|auto pay|will be (drafted|debited|charged)`)
	periodLabel   = regexp.MustCompile(`period|service (from|dates?)|\bfrom\b|billing cycle|coverage|effective|\bterm\b|days? in|meter read|reading`)
	pastLabel     = regexp.MustCompile(`last payment|payment received|previous|prior|last (bill|statement)|received`)
	rangeSep      = regexp.MustCompile(`^\s*(-|–|—|to|through|thru|until)\s*$`)
)

// classify scores a date by its label; ok is false for dates that never date a document.
func classify(label string, rangeEnd bool) (int, bool) {
	l := foldKey(label)
	switch {
	case excludedLabel.MatchString(l):
		return 0, false
	case dueLabel.MatchString(l):
		return scoreDue, true
	case periodLabel.MatchString(l) || rangeEnd:
		if rangeEnd {
			return scorePeriodE, true
		}
		return scorePeriodS, true
	case pastLabel.MatchString(l):
		return scorePast, true
	case issueLabel.MatchString(l):
		return scoreIssue, true
	}
	return scoreOther, true
}

// dateTolerance is how far in the future a document date may be: time zones, and bills
// printed a day or two ahead of their date.
const dateTolerance = 3 * 24 * time.Hour

// pickDate chooses the document date: the best-labelled date not in the future, and among
// equals the latest, since a document is at least as recent as anything it reports.
func pickDate(lines [][]string, now time.Time) (*time.Time, string) {
	var best *dateHit
	for li, cells := range lines {
		for ci, cell := range cells {
			prevEnd, prevLabel := 0, ""
			for _, d := range findDates(cell, now) {
				label := strings.TrimSpace(cell[prevEnd:d.start])
				rangeEnd := prevEnd > 0 && rangeSep.MatchString(label)
				switch {
				case rangeEnd:
					label = prevLabel
				case strings.Trim(label, " :.-") == "" && ci > 0:
					label = cells[ci-1] // "Bill Date <tab> Oct 15, 2026"
				case strings.Trim(label, " :.-") == "" && li > 0 && len(lines[li-1]) > 0:
					if above := lines[li-1][min(ci, len(lines[li-1])-1)]; len(above) <= 40 && len(findDates(above, now)) == 0 {
						label = above // the label printed above the value
					}
				}
				prevEnd, prevLabel = d.end, label
				score, ok := classify(label, rangeEnd)
				if !ok || d.t.After(now.Add(dateTolerance)) || d.t.Before(now.AddDate(-30, 0, 0)) {
					continue
				}
				if best == nil || score > best.score || score == best.score && d.t.After(best.t) {
					best = &dateHit{t: d.t, label: strings.Trim(label, " :\t"), score: score}
				}
			}
		}
	}
	if best == nil {
		return nil, ""
	}
	t := best.t
	return &t, best.label
}
