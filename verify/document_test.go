package verify_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/verify"
)

// bill is a utility bill's text layer addressed to name at 1 Main St Apt 4B, Austin, dated date.
func bill(name, date string) string {
	return fmt.Sprintf(`CITY OF AUSTIN UTILITIES
Statement Date: %s
Account Number: 1234-5678

%s
1 MAIN ST APT 4B
AUSTIN, TX 73301

Service Address: 1 Main St Apt 4B, Austin, TX 73301
Amount Due: $123.45   Due Date: 06/20/2026
`, date, name)
}

// pdfDoc is a PDF document upload with a text layer.
func pdfDoc(text string) *milepost.Upload {
	u := pdf()
	u.Media.Text = text
	return u
}

// scanned is a photographed document upload.
func scanned() *milepost.Upload {
	u := exif(ago(time.Hour))
	u.ID = "scan"
	return u
}

// reader is an OCR stand-in returning fixed text or an error.
type reader struct {
	text string
	err  error
}

func (r reader) ReadDocument(context.Context, *milepost.Upload) (string, error) { return r.text, r.err }

// addressed is a proof-of-address run of Ann Lee at 1 Main St Apt 4B, Austin, with coordinates.
func addressed(photos ...milepost.CheckinPhoto) *milepost.VerificationInput {
	in := address(photos...)
	lat, lng := 30.2672, -97.7431
	in.Checkin.Address = &milepost.CheckinAddress{Line1: "1 Main Street", Line2: "Apt 4B", City: "Austin", State: "TX", Country: "US", Zip: "73301",
		Latitude: &lat, Longitude: &lng}
	in.User = &milepost.User{ID: "u1", FirstName: "Ann", LastName: "Lee"}
	return in
}

func TestDocumentAnalyzer(t *testing.T) {
	doc := func(u *milepost.Upload) milepost.CheckinPhoto { return photo(milepost.RoleDocument, "DOCUMENT", u) }
	home := func(lat, lng float64) milepost.CheckinPhoto {
		return photo(milepost.RoleHome, "FrontView", at(exif(ago(time.Hour)), lat, lng, lat, lng))
	}
	fresh := "05/15/2026"
	tests := []struct {
		name   string
		reader verify.DocumentReader
		in     *milepost.VerificationInput
		status milepost.CheckinStatus
		note   string
		hold   string // the signal that holds
	}{
		{"a recent bill in the user's name at the address", nil, addressed(doc(pdfDoc(bill("ANN LEE", fresh)))), milepost.StatusConfirmed, "", ""},
		{"addressed to someone else", nil, addressed(doc(pdfDoc(bill("MARIA LOPEZ", fresh)))), milepost.StatusOnHold,
			"The document is not addressed to you; please upload a document in your name.", "document_name"},
		{"another address", nil, addressed(doc(pdfDoc(strings.ReplaceAll(strings.ReplaceAll(bill("ANN LEE", fresh), "1 MAIN ST", "77 OAK AVE"), "1 Main St", "77 Oak Ave")))),
			milepost.StatusOnHold, "The document's address does not match the address of this check-in; please upload a document for this address.", "document_address"},
		{"older than 90 days", nil, addressed(doc(pdfDoc(bill("ANN LEE", "01/15/2026")))), milepost.StatusOnHold,
			"The document is older than 90 days; please upload a recent one.", "document_age"},
		{"a scanned PDF without text", nil, addressed(doc(pdfDoc(""))), milepost.StatusOnHold,
			"The document could not be read automatically; a reviewer will check it.", "document_text"},
		{"a photographed bill read by OCR", reader{text: bill("Ann Lee", fresh)}, addressed(doc(scanned())), milepost.StatusConfirmed, "", ""},
		{"OCR not installed", reader{err: fmt.Errorf("tesseract not found: %w", verify.ErrUnavailable)}, addressed(doc(scanned())), milepost.StatusOnHold,
			"The document could not be read automatically; a reviewer will check it.", "document_text"},
		{"one good document among two", nil, addressed(doc(pdfDoc("")), doc(pdfDoc(bill("ANN LEE", fresh)))), milepost.StatusConfirmed, "", ""},
		{"home photo at the address", nil, addressed(home(30.2675, -97.7431)), milepost.StatusConfirmed, "", ""},
		{"home photo 290 km away", nil, addressed(home(32.7767, -96.7970)), milepost.StatusOnHold,
			"The home photo was taken far from the address; please take it at the address.", "home_location"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := verify.New(verify.DefaultPolicy(), verify.NewDocumentAnalyzer(verify.DefaultPolicy(), tt.reader))
			d := mustVerify(t, e, tt.in)
			if d.Status != tt.status || d.AdminNote != tt.note {
				t.Fatalf("%s %q, want %s %q:%s", d.Status, d.AdminNote, tt.status, tt.note, dump(d.Signals))
			}
			if tt.hold != "" {
				found := false
				for _, s := range signalsNamed(d, "document", tt.hold) {
					found = found || s.Verdict == milepost.VerdictHold
				}
				if !found {
					t.Fatalf("no holding %s:%s", tt.hold, dump(d.Signals))
				}
			}
		})
	}
	// The insights of the document become the check-in's.
	e := verify.New(verify.DefaultPolicy(), verify.NewDocumentAnalyzer(verify.DefaultPolicy(), nil))
	d := mustVerify(t, e, addressed(photo(milepost.RoleDocument, "DOCUMENT", pdfDoc(bill("ANN LEE", "05/15/2026")))))
	if ins := d.Insights; ins == nil || !strings.EqualFold(ins.FirstName, "Ann") || !strings.EqualFold(ins.LastName, "Lee") || ins.Address.Zip != "73301" ||
		!strings.Contains(strings.ToUpper(ins.Address.Line1), "1 MAIN") {
		t.Fatalf("insights %+v", d.Insights)
	}
	// A failing OCR engine fails the run, to be retried.
	e = verify.New(verify.DefaultPolicy(), verify.NewDocumentAnalyzer(verify.DefaultPolicy(), reader{err: errors.New("engine crashed")}))
	if _, err := e.Verify(context.Background(), addressed(photo(milepost.RoleDocument, "CAMERA", scanned()))); err == nil || !strings.Contains(err.Error(), "engine crashed") {
		t.Fatalf("OCR failure: %v", err)
	}
}
