package docscan

import (
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/milepost/milepost/docscan/internal/pdfgen"
)

func TestDocumentAge(t *testing.T) {
	tests := []struct {
		name      string
		date      *time.Time
		days      int
		age       time.Duration
		old, know bool
	}{
		{"fresh", day(2026, 11, 1), 90, 19*24*time.Hour + 15*time.Hour + 30*time.Minute, false, true},
		{"exactly 90 days", day(2026, 8, 22), 90, 90*24*time.Hour + 15*time.Hour + 30*time.Minute, false, true},
		{"91 days", day(2026, 8, 21), 90, 91*24*time.Hour + 15*time.Hour + 30*time.Minute, true, true},
		{"tomorrow", day(2026, 11, 21), 90, 0, false, true},
		{"undated", nil, 90, 0, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ins := Insights{DocumentDate: tt.date}
			age, ok := DocumentAge(ins, now)
			if age != tt.age || ok != tt.know {
				t.Errorf("DocumentAge = %v, %v; want %v, %v", age, ok, tt.age, tt.know)
			}
			if old, known := OlderThan(ins, now, tt.days); old != tt.old || known != tt.know {
				t.Errorf("OlderThan = %v, %v; want %v, %v", old, known, tt.old, tt.know)
			}
		})
	}
}

func TestDistanceMeters(t *testing.T) {
	tests := []struct {
		name                   string
		lat1, lon1, lat2, lon2 float64
		want, tol              float64
	}{
		{"same point", 45.5, -122.6, 45.5, -122.6, 0, 0},
		{"one degree of latitude", 0, 0, 1, 0, 111_195, 5},
		{"Portland to Seattle", 45.5152, -122.6784, 47.6062, -122.3321, 233_500, 1000},
		{"across the antimeridian", 0, 179.9995, 0, -179.9995, 111, 1},
	}
	for _, tt := range tests {
		if got := DistanceMeters(tt.lat1, tt.lon1, tt.lat2, tt.lon2); math.Abs(got-tt.want) > tt.tol {
			t.Errorf("%s: %v m, want %v ± %v", tt.name, got, tt.want, tt.tol)
		}
	}
}

func TestCheckHomePhoto(t *testing.T) {
	tests := []struct {
		name     string
		lat, lon float64
		max      float64
		far      bool
		reason   string
	}{
		{"in the driveway", 45.51211, -122.61999, 0, false, "the home photo was taken 34 m from the address"},
		{"across town", 45.5231, -122.6765, 0, true, "the home photo was taken 4.6 km from the address (more than 1 km)"},
		{"stricter limit", 45.5130, -122.6200, 50, true, "(more than 50 m)"},
	}
	for _, tt := range tests {
		g := CheckHomePhoto(tt.lat, tt.lon, 45.5118, -122.6200, tt.max)
		if g.Far != tt.far || !strings.Contains(g.Reason, tt.reason) {
			t.Errorf("%s: %+v", tt.name, g)
		}
	}
}

func TestReviewDocument(t *testing.T) {
	ins := ParseInsights(utilityBill, now)
	home := Address{"4821 SE Hawthorne Blvd", "Apt 12", "Portland", "OR", "97215"}
	tests := []struct {
		name    string
		want    Expected
		now     time.Time
		hold    bool
		reasons []string
	}{
		{"all good", Expected{FirstName: "Jose", LastName: "Rodriguez", Submitted: home}, now, false, nil},
		{"profile address when none submitted", Expected{FirstName: "Jose", LastName: "Rodriguez", Profile: home}, now, false, nil},
		{"someone else's bill", Expected{FirstName: "Ann", LastName: "Lee", Submitted: home}, now, true,
			[]string{"the document is addressed to JOSÉ A. RODRÍGUEZ JR, not Ann Lee"}},
		{"another address", Expected{FirstName: "Jose", LastName: "Rodriguez", Submitted: Address{"4821 SE Hawthorne Blvd", "Apt 14", "Portland", "OR", "97215"}}, now, true,
			[]string{"the unit differs (12, not 14)"}},
		{"too old", Expected{FirstName: "Jose", LastName: "Rodriguez", Submitted: home}, now.AddDate(0, 3, 0), true,
			[]string{"the document is dated Oct 15, 2026, 128 days ago (more than 90)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ReviewDocument(ins, tt.want, tt.now, 0)
			if r.Hold != tt.hold || len(r.Reasons) != len(tt.reasons) {
				t.Fatalf("got %+v", r)
			}
			for i, want := range tt.reasons {
				if !strings.Contains(r.Reasons[i], want) {
					t.Errorf("reason %q lacks %q", r.Reasons[i], want)
				}
			}
		})
	}
	undated := ReviewDocument(Insights{}, Expected{FirstName: "Ann", LastName: "Lee", Profile: home}, now, 0)
	if !undated.Hold || len(undated.Reasons) != 3 || undated.Reasons[2] != "no issue date was found on the document" {
		t.Errorf("undated: %+v", undated.Reasons)
	}
}

// TestEndToEnd runs PDF bytes through extraction, parsing and the review, for real writers'
// files and generated ones.
func TestEndToEnd(t *testing.T) {
	generated := pdfgen.Build(statementPages(), pdfgen.Options{Style: pdfgen.StyleType0, Compress: true, ObjectStreams: true})
	tests := []struct {
		name string
		pdf  func() ([]byte, error)
		want Expected
		kind string
		hold []string
	}{
		{"Chromium utility bill", func() ([]byte, error) { return os.ReadFile("testdata/utility-bill-chromium.pdf") },
			Expected{FirstName: "José", LastName: "Rodríguez", Submitted: Address{"4821 Southeast Hawthorne Boulevard", "#12", "Portland", "OR", "97215"}},
			"utility bill", nil},
		{"Ghostscript bank statement", func() ([]byte, error) { return os.ReadFile("testdata/bank-statement-ghostscript.pdf") },
			Expected{FirstName: "Annmarie", LastName: "OConnor", Profile: Address{"77 W 43rd St", "Apt 5C", "New York", "NY", "10036-1234"}},
			"bank statement", nil},
		{"generated statement, wrong person", func() ([]byte, error) { return generated, nil },
			Expected{FirstName: "Ann", LastName: "Lee", Submitted: Address{"123 North Main Street", "Apartment 4B", "Springfield", "IL", "62704"}},
			"bank statement", []string{"the document is addressed to MARÍA J. O’NEIL-LÓPEZ, not Ann Lee"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := tt.pdf()
			if err != nil {
				t.Fatal(err)
			}
			text, err := ExtractPDFText(data, 64<<10)
			if err != nil {
				t.Fatal(err)
			}
			ins := ParseInsights(text, now)
			if ins.Kind != tt.kind {
				t.Errorf("kind %q, want %q", ins.Kind, tt.kind)
			}
			r := ReviewDocument(ins, tt.want, now, DefaultMaxAgeDays)
			if r.Hold != (len(tt.hold) > 0) || len(r.Reasons) != len(tt.hold) {
				t.Fatalf("review %+v\ninsights %+v", r, ins)
			}
			for i, want := range tt.hold {
				if r.Reasons[i] != want {
					t.Errorf("reason %q, want %q", r.Reasons[i], want)
				}
			}
		})
	}
}
