package verify

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/docscan"
)

// ErrUnavailable is returned by a reader that cannot run on this server (an OCR engine that
// is not installed): the analyzer then asks a reviewer instead of failing the run.
var ErrUnavailable = errors.New("not available on this server")

// DocumentReader reads the text of a photographed document (OCR).
type DocumentReader interface {
	ReadDocument(ctx context.Context, u *milepost.Upload) (string, error)
}

// DocumentAnalyzer reads proof-of-address documents — a PDF's text layer, or a photographed
// document through OCR — and checks that one of them names the user, shows the check-in's
// address and is recent; it also checks that home photos were taken near the address. It fills
// the check-in's insights with what the document says.
type DocumentAnalyzer struct {
	p      Policy
	reader DocumentReader // nil: photographed documents go to a reviewer
}

// NewDocumentAnalyzer returns the document analyzer; reader may be nil.
func NewDocumentAnalyzer(p Policy, reader DocumentReader) *DocumentAnalyzer {
	return &DocumentAnalyzer{p: p, reader: reader}
}

// Name is "document".
func (*DocumentAnalyzer) Name() string { return analyzerDocument }

// docResult is one document read and judged.
type docResult struct {
	i       int
	ph      milepost.CheckinPhoto
	text    string
	unread  string // why it could not be read ("" when it was)
	ins     docscan.Insights
	review  docscan.Review
	problem int // how many checks failed (unread counts as all)
}

// Analyze judges the check-in's documents. It fails only when the OCR engine fails on a
// document (to be retried); an engine that is not installed sends the document to a reviewer.
func (a *DocumentAnalyzer) Analyze(ctx context.Context, in *milepost.VerificationInput) ([]milepost.Signal, error) {
	c := in.Checkin
	if c.Type != milepost.CheckinProofOfAddress {
		return nil, nil
	}
	out := a.homeLocations(c)
	var docs []docResult
	for i, ph := range c.Photos {
		if ph.Role != milepost.RoleDocument || ph.Upload == nil || ph.MarkedInvalidByReview {
			continue
		}
		d, err := a.read(ctx, in, i, ph)
		if err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	if len(docs) == 0 {
		return append(out, milepost.Signal{Analyzer: analyzerDocument, Name: signalDocumentText, Value: "none", Verdict: milepost.VerdictPass,
			Reason: "The check-in has no document to read (home photos only)."}), nil
	}
	best := docs[0]
	for _, d := range docs[1:] {
		if d.problem < best.problem {
			best = d
		}
	}
	for _, d := range docs {
		s := milepost.Signal{Analyzer: analyzerDocument, Name: signalDocumentText, UploadID: d.ph.UploadID, Verdict: milepost.VerdictPass}
		if d.unread != "" {
			s.Value = "unreadable"
			s.Reason = photoRef(d.i, d.ph) + ": " + d.unread
			if d.i == best.i {
				s.Verdict, s.Note = milepost.VerdictHold, "The document could not be read automatically; a reviewer will check it."
			}
		} else {
			s.Value = strconv.Itoa(len(d.text)) + " chars"
			s.Reason = fmt.Sprintf("%s: read %d characters%s.", photoRef(d.i, d.ph), len(d.text), describeDoc(d.ins))
		}
		out = append(out, s)
	}
	if best.unread != "" {
		return out, nil
	}
	return append(out, a.judge(in, best)...), nil
}

// read extracts one document's text and judges it.
func (a *DocumentAnalyzer) read(ctx context.Context, in *milepost.VerificationInput, i int, ph milepost.CheckinPhoto) (docResult, error) {
	d := docResult{i: i, ph: ph, problem: 4}
	u := ph.Upload
	switch {
	case u.Media.ContentType == "application/pdf":
		d.text = u.Media.Text
		if strings.TrimSpace(d.text) == "" {
			d.unread = "the PDF has no text layer (a scan); it cannot be read without OCR of its pages."
		}
	case a.reader == nil:
		d.unread = "no OCR engine is configured to read photographed documents."
	default:
		text, err := a.reader.ReadDocument(ctx, u)
		switch {
		case errors.Is(err, ErrUnavailable):
			d.unread = "OCR is not available on this server: " + err.Error() + "."
		case err != nil:
			return d, fmt.Errorf("read document %s: %w", u.ID, err)
		case strings.TrimSpace(text) == "":
			d.unread = "OCR found no text in the photo."
		}
		d.text = text
	}
	if d.unread != "" {
		return d, nil
	}
	d.ins = docscan.ParseInsights(d.text, in.SubmittedAt)
	want := docscan.Expected{}
	if in.User != nil {
		want.FirstName, want.LastName, want.Profile = in.User.FirstName, in.User.LastName, docscan.FromProfile(in.User.Address)
	}
	if ad := in.Checkin.Address; ad != nil {
		want.Submitted = docscan.Address{Line1: ad.Line1, Line2: ad.Line2, City: ad.City, State: ad.State, Zip: ad.Zip}
	}
	d.review = docscan.ReviewDocument(d.ins, want, in.SubmittedAt, a.maxAgeDays())
	d.problem = len(d.review.Reasons)
	return d, nil
}

func (a *DocumentAnalyzer) maxAgeDays() int {
	return max(1, int(time.Duration(a.p.MaxDocumentAge).Hours()/24))
}

// judge turns the best document's review into signals.
func (a *DocumentAnalyzer) judge(in *milepost.VerificationInput, d docResult) []milepost.Signal {
	ref := photoRef(d.i, d.ph)
	sig := func(name, value string, hold bool, reason, note string) milepost.Signal {
		s := milepost.Signal{Analyzer: analyzerDocument, Name: name, Value: value, Verdict: milepost.VerdictPass, UploadID: d.ph.UploadID,
			Reason: ref + ": " + reason}
		if hold {
			s.Verdict, s.Note = milepost.VerdictHold, note
		}
		return s
	}
	r := d.review
	name := d.ins.FullName
	if name == "" {
		name = "no name found"
	}
	named := sig(signalDocumentName, name, !r.Name.Match, orText(r.Name.Reason, "the document names "+name+", the user."),
		"The document is not addressed to you; please upload a document in your name.")
	ia := d.ins.Address
	named.Insights = &milepost.AddressInsights{FirstName: d.ins.FirstName, LastName: d.ins.LastName,
		Address: milepost.Address{Line1: ia.Line1, Line2: ia.Line2, City: ia.City, State: ia.State, Country: "US", Zip: ia.Zip}}
	out := []milepost.Signal{
		named,
		sig(signalDocumentAddress, d.ins.Address.String(), !r.Address.Match, orText(r.Address.Reason, "the document shows the check-in's address: "+d.ins.Address.String()+"."),
			"The document's address does not match the address of this check-in; please upload a document for this address."),
	}
	age := "undated"
	switch {
	case !r.Dated:
		out = append(out, sig(signalDocumentAge, age, true, "no issue date was found on the document.", "No date was found on the document; a reviewer will check it."))
	default:
		days := int(r.Age.Hours() / 24)
		age = d.ins.DocumentDate.Format("2006-01-02")
		old := days > a.maxAgeDays()
		out = append(out, sig(signalDocumentAge, age, old,
			fmt.Sprintf("the document is dated %s, %d days before the check-in (limit %d).", age, days, a.maxAgeDays()),
			fmt.Sprintf("The document is older than %d days; please upload a recent one.", a.maxAgeDays())))
	}
	return out
}

// homeLocations compares home photos' GPS positions with the check-in address's coordinates.
func (a *DocumentAnalyzer) homeLocations(c *milepost.Checkin) []milepost.Signal {
	ad := c.Address
	if ad == nil || ad.Latitude == nil || ad.Longitude == nil {
		return nil
	}
	var out []milepost.Signal
	for i, ph := range c.Photos {
		if ph.Role != milepost.RoleHome || ph.Upload == nil || ph.MarkedInvalidByReview {
			continue
		}
		lat, lng, ok := photoPosition(ph.Upload)
		if !ok {
			continue
		}
		g := docscan.CheckHomePhoto(lat, lng, *ad.Latitude, *ad.Longitude, a.p.MaxHomePhotoDistanceMeters)
		s := milepost.Signal{Analyzer: analyzerDocument, Name: signalHomeLocation, UploadID: ph.UploadID, Verdict: milepost.VerdictPass,
			Value: strconv.FormatFloat(g.DistanceMeters, 'f', 0, 64) + "m", Reason: photoRef(i, ph) + ": " + g.Reason}
		if g.Far {
			s.Verdict, s.Note = milepost.VerdictHold, "The home photo was taken far from the address; please take it at the address."
		}
		out = append(out, s)
	}
	return out
}

func describeDoc(ins docscan.Insights) string {
	var parts []string
	if ins.Kind != "" {
		parts = append(parts, "a "+ins.Kind)
	}
	if ins.DocumentDate != nil {
		parts = append(parts, "dated "+ins.DocumentDate.Format("2006-01-02"))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func orText(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}
