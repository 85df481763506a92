package docscan

import (
	"strings"
	"testing"
)

func TestSplitName(t *testing.T) {
	tests := []struct{ in, first, last string }{
		{"Maria Lopez", "Maria", "Lopez"},
		{"MARÍA J. O'NEIL-LÓPEZ", "MARÍA", "O'NEIL-LÓPEZ"},
		{"LOPEZ, MARIA J", "MARIA", "LOPEZ"},
		{"Smith, Jr., John", "John", "Smith"},
		{"John Smith, Jr.", "John", "Smith"},
		{"Dr. Kwame O. Mensah III", "Kwame", "Mensah"},
		{"Ann-Marie de la Cruz", "Ann-Marie", "de la Cruz"},
		{"LUDWIG VAN BEETHOVEN", "LUDWIG", "VAN BEETHOVEN"},
		{"Cher", "", "Cher"},
		{"", "", ""},
	}
	for _, tt := range tests {
		if f, l := SplitName(tt.in); f != tt.first || l != tt.last {
			t.Errorf("SplitName(%q) = %q, %q; want %q, %q", tt.in, f, l, tt.first, tt.last)
		}
	}
}

func TestCompareName(t *testing.T) {
	addressed := func(names ...string) Insights {
		ins := Insights{Names: names}
		if len(names) > 0 {
			ins.FullName = names[0]
			ins.FirstName, ins.LastName = SplitName(names[0])
		}
		return ins
	}
	tests := []struct {
		name         string
		first, last  string
		ins          Insights
		match        bool
		reasonPrefix string
	}{
		{"exact", "Ann", "Lee", addressed("Ann Lee"), true, "the document is addressed to Ann Lee, matching Ann Lee"},
		{"case and accents", "Maria", "Oneil-Lopez", addressed("MARÍA J. O'NEIL-LÓPEZ"), true, "the document is addressed to"},
		{"middle initial in profile", "Mary Ann", "Smith", addressed("MARY SMITH"), true, ""},
		{"initial on document", "James", "Whitaker", addressed("J. WHITAKER"), true, ""},
		{"suffix", "Jose", "Rodriguez", addressed("JOSÉ A. RODRÍGUEZ JR"), true, ""},
		{"last, first", "Ann-Marie", "O'Connor", addressed("O'CONNOR, ANN-MARIE"), true, ""},
		{"last first without comma", "Wei", "Zhang", addressed("ZHANG WEI"), true, ""},
		{"typo", "Katherine", "Johnson", addressed("Katherine Jonhson"), true, ""},
		{"one of two surnames", "Carmen", "Garcia", addressed("Carmen Garcia Lopez"), true, ""},
		{"second addressee", "Jane", "Smith", addressed("JOHN SMITH", "JANE SMITH"), true, "the document is addressed to JANE SMITH"},
		{"particles spaced differently", "Liam", "Vanderberg", addressed("Liam Van Der Berg"), true, ""},
		{"spouse with the same last name", "Maria", "Lopez", addressed("Carlos Lopez"), false, "the document is addressed to Carlos Lopez, not Maria Lopez"},
		{"someone else", "Ann", "Lee", addressed("Maria Lopez"), false, "the document is addressed to Maria Lopez, not Ann Lee"},
		{"different initial", "Ann", "Lee", addressed("B. Lee"), false, ""},
		{"name found in text", "Ann", "Lee", Insights{Text: "Dear Ms. Ann Lee, thank you for banking with us."}, true, "no addressee was found, but the document names Ann Lee"},
		{"name with initial in text", "Ann", "Lee", Insights{Text: "Account holder A LEE\n..."}, true, ""},
		{"name not in text", "Ann", "Lee", Insights{Text: "Dear customer, your bill is ready."}, false, "the document does not name Ann Lee"},
		{"last name alone in text is not enough", "Ann", "Lee", Insights{Text: "Lee County Utilities"}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := CompareName(tt.first, tt.last, tt.ins)
			if m.Match != tt.match || !strings.HasPrefix(m.Reason, tt.reasonPrefix) {
				t.Errorf("got %+v, want match %v and reason %q", m, tt.match, tt.reasonPrefix)
			}
			if m.Match && m.Score < 0.8 || m.Score > 1 {
				t.Errorf("score %v out of line with match %v", m.Score, m.Match)
			}
		})
	}
}

func TestPersonNames(t *testing.T) {
	tests := []struct {
		line string
		want []string
	}{
		{"JOHN & JANE SMITH", []string{"JOHN SMITH", "JANE SMITH"}},
		{"John Smith or Jane Doe", []string{"John Smith", "Jane Doe"}},
		{"C/O MARIA LOPEZ", []string{"MARIA LOPEZ"}},
		{"Cascade Power & Light", nil},
		{"Account Number 1234", nil},
		{"Portland", nil},
		{"Thank you for your payment", nil},
	}
	for _, tt := range tests {
		got := personNames(tt.line)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("personNames(%q) = %q, want %q", tt.line, got, tt.want)
		}
	}
}

func TestJaroWinkler(t *testing.T) {
	tests := []struct {
		a, b   string
		lo, hi float64
	}{
		{"martha", "marhta", 0.96, 0.962},
		{"dwayne", "duane", 0.84, 0.841},
		{"same", "same", 1, 1},
		{"", "x", 0, 0},
		{"abc", "xyz", 0, 0},
	}
	for _, tt := range tests {
		if got := jaroWinkler(tt.a, tt.b); got < tt.lo || got > tt.hi {
			t.Errorf("jaroWinkler(%q, %q) = %v, want in [%v, %v]", tt.a, tt.b, got, tt.lo, tt.hi)
		}
	}
}
