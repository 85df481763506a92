package docscan

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/milepost/milepost/docscan/internal/pdfgen"
)

// statementPages is a three-page bank statement laid out as report engines do: a header in
// two columns, the addressee block, transactions, and a footer on every page.
func statementPages() []pdfgen.Page {
	var pages []pdfgen.Page
	for p := 1; p <= 3; p++ {
		page := pdfgen.Page{
			{X: 72, Y: 740, Size: 16, S: "First Harbor Bank", Bold: true},
			{X: 400, Y: 740, Size: 9, S: "Statement Date: 10/15/2026"},
			{X: 400, Y: 728, Size: 9, S: "Account: ****4471"},
			{X: 72, Y: 60, Size: 8, S: fmt.Sprintf("Page %d of 3", p)},
		}
		if p == 1 {
			page = append(page,
				pdfgen.Text{X: 72, Y: 680, Size: 10, S: "MARÍA J. O’NEIL-LÓPEZ"},
				pdfgen.Text{X: 72, Y: 668, Size: 10, S: "123 N Main St Apt 4B"},
				pdfgen.Text{X: 72, Y: 656, Size: 10, S: "Springfield, IL 62704-1234"},
			)
		}
		for i := range 30 {
			y := 600 - float64(i)*16
			page = append(page,
				pdfgen.Text{X: 72, Y: y, Size: 9, S: fmt.Sprintf("10/%02d", i%28+1)},
				pdfgen.Text{X: 120, Y: y, Size: 9, S: fmt.Sprintf("Card purchase (Café #%d) at Joe’s Market", 100+i)},
				pdfgen.Text{X: 480, Y: y, Size: 9, S: fmt.Sprintf("-%d.%02d", 10+i, i)},
			)
		}
		pages = append(pages, page)
	}
	return pages
}

func TestExtractGeneratedPDFs(t *testing.T) {
	styles := map[string]pdfgen.Style{"Tj": pdfgen.StyleTj, "TJ kerning": pdfgen.StyleTJKern, "Tm per word": pdfgen.StyleTmWord, "Type0 Identity-H": pdfgen.StyleType0}
	want := []string{
		"First Harbor Bank\tStatement Date: 10/15/2026",
		"Account: ****4471",
		"MARÍA J. O’NEIL-LÓPEZ\n123 N Main St Apt 4B\nSpringfield, IL 62704-1234",
		"10/01\tCard purchase (Café #100) at Joe’s Market\t-10.00",
		"Page 1 of 3",
		"Page 3 of 3",
	}
	for name, style := range styles {
		for _, opt := range []pdfgen.Options{
			{Style: style},
			{Style: style, Compress: true},
			{Style: style, Compress: true, ObjectStreams: true},
		} {
			t.Run(fmt.Sprintf("%s/compress=%v/objstm=%v", name, opt.Compress, opt.ObjectStreams), func(t *testing.T) {
				text, err := ExtractPDFText(pdfgen.Build(statementPages(), opt), 0)
				if err != nil {
					t.Fatal(err)
				}
				for _, w := range want {
					if !strings.Contains(text, w) {
						t.Errorf("text lacks %q; got:\n%s", w, text[:min(len(text), 600)])
					}
				}
				if p1, p2 := strings.Index(text, "Page 1 of 3"), strings.Index(text, "Page 2 of 3"); p1 > p2 {
					t.Errorf("pages out of order")
				}
			})
		}
	}
}

func TestExtractRealPDFs(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		{"utility-bill-chromium.pdf", []string{
			"Bill Date\tOct 15, 2026",
			"JOSÉ A. RODRÍGUEZ JR\n4821 SE Hawthorne Blvd Apt 12\nPortland, OR 97215-3322",
			"Service address: 4821 SE Hawthorne Blvd Apt 12, Portland, OR 97215",
			"Service period: Sep 12, 2026 – Oct 11, 2026",
		}},
		{"utility-bill-objstm.pdf", []string{"JOSÉ A. RODRÍGUEZ JR\n4821 SE Hawthorne Blvd Apt 12"}},
		{"bank-statement-ghostscript.pdf", []string{
			"FIRST HARBOR BANK\tStatement Period: 09/16/2026 through 10/15/2026",
			"ANN-MARIE O’CONNOR\n77 West 43rd Street, Unit 5C\nNew York, NY 10036",
			"09/22   Card purchase - Trader Joe’s       -84.19",
			"Café Brioche - Señor López",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			text, err := ExtractPDFText(data, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("text lacks %q; got:\n%s", w, text)
				}
			}
		})
	}
}

func TestExtractMaxBytes(t *testing.T) {
	data := pdfgen.Build(statementPages(), pdfgen.Options{Compress: true})
	for _, n := range []int{1, 10, 17, 100, 5000} {
		text, err := ExtractPDFText(data, n)
		if err != nil && !errors.Is(err, ErrNoTextLayer) {
			t.Fatalf("max %d: %v", n, err)
		}
		if len(text) > n || !strings.HasPrefix("First Harbor Bank\tStatement Date", text[:min(len(text), 32)]) {
			t.Errorf("max %d: got %d bytes %q", n, len(text), text[:min(len(text), 40)])
		}
	}
	// A cut inside "Í" must not leave half a character.
	pages := []pdfgen.Page{{{X: 72, Y: 700, Size: 10, S: "MARÍA LOPEZ"}}}
	text, _ := ExtractPDFText(pdfgen.Build(pages, pdfgen.Options{}), 4)
	if text != "MAR" {
		t.Errorf("cut in a character: %q", text)
	}
}

// rawPDF assembles a PDF from object bodies (object i+1 is objs[i]) with a correct xref
// table, so tests can state hostile structures plainly.
func rawPDF(trailer string, objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	if trailer == "" {
		trailer = fmt.Sprintf("<< /Size %d /Root 1 0 R >>", len(objs)+1)
	}
	fmt.Fprintf(&b, "trailer\n%s\nstartxref\n%d\n%%%%EOF\n", trailer, x)
	return b.Bytes()
}

func stream(dict string, data []byte) string {
	return fmt.Sprintf("<< /Length %d %s >>\nstream\n%s\nendstream", len(data), dict, data)
}

func zlibBytes(b []byte) []byte {
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	_, _ = w.Write(b)
	_ = w.Close()
	return buf.Bytes()
}

const (
	catalog   = "<< /Type /Catalog /Pages 2 0 R >>"
	pages1    = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
	helvetica = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
)

func page(content string) []string {
	return []string{catalog, pages1,
		"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		stream("", []byte(content)), helvetica}
}

func TestExtractErrors(t *testing.T) {
	hello := "BT /F1 12 Tf 72 700 Td (Hello proof of address) Tj ET"
	good := rawPDF("", page(hello)...)
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrNotPDF},
		{"JPEG bytes", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), ErrNotPDF},
		{"encrypted by qpdf", mustRead(t, "testdata/bank-statement-encrypted.pdf"), ErrEncrypted},
		{"Encrypt in trailer", rawPDF("<< /Size 6 /Root 1 0 R /Encrypt << /Filter /Standard /V 2 >> >>", page(hello)...), ErrEncrypted},
		{"scan without text", rawPDF("", page("q 612 0 0 792 0 0 cm /Im1 Do Q 0 0 m 100 100 l S")...), ErrNoTextLayer},
		{"fonts without Unicode", rawPDF("", catalog, pages1,
			"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
			stream("", []byte("BT /F1 12 Tf 72 700 Td <00410042004300440045> Tj ET")),
			"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [<< /Subtype /CIDFontType2 >>] >>"), ErrNoTextLayer},
		{"no catalog", []byte("%PDF-1.4\n1 0 obj\n<< /Foo 1 >>\nendobj\n%%EOF"), ErrMalformed},
		{"zip bomb content", rawPDF("", catalog, pages1,
			"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
			stream("/Filter /FlateDecode", zlibBytes(make([]byte, 64<<20)))), ErrLimit},
		{"forms drawn a billion times", rawPDF("", catalog, pages1,
			"<< /Type /Page /Parent 2 0 R /Resources << /XObject << /A 4 0 R >> >> /Contents 6 0 R >>",
			stream("/Subtype /Form /Resources << /XObject << /B 5 0 R >> >>", []byte(strings.Repeat("/B Do ", 1000))),
			stream("/Subtype /Form", []byte(strings.Repeat("0 0 Td ", 1000))),
			stream("", []byte(strings.Repeat("/A Do ", 1000)))), ErrLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ExtractPDFText(tt.data, 0)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
	if text, err := ExtractPDFText(good, 0); err != nil || text != "Hello proof of address" {
		t.Fatalf("control: %q %v", text, err)
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestExtractHostile feeds structures that crash or hang naive readers. Each must return
// (text or an error) promptly, and the broken-but-readable ones must still give their text.
func TestExtractHostile(t *testing.T) {
	hello := "BT /F1 12 Tf 72 700 Td (Hello proof of address) Tj ET"
	good := rawPDF("", page(hello)...)
	form := stream("/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /XObject << /X 6 0 R >> >>", []byte("/X Do"))
	tests := []struct {
		name     string
		data     []byte
		wantText bool // the text must still be read
	}{
		{"truncated at half", good[:len(good)/2], false},
		{"truncated before xref", good[:bytes.Index(good, []byte("xref"))], true},
		{"xref offsets wrong", bytes.Replace(good, []byte("0000000009 00000 n"), []byte("0000000999 00000 n"), 1), true},
		{"garbage after header", append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("\x00\xff(<<[/"), 10000)...), false},
		{"deeply nested arrays", rawPDF("", append(page(hello), strings.Repeat("[", 200000))...), true},
		{"deeply nested dicts", rawPDF("", append(page(hello), strings.Repeat("<<", 200000))...), true},
		{"nested arrays in content", rawPDF("", page(strings.Repeat("[", 100000)+hello)...), false},
		{"huge object numbers", []byte("%PDF-1.5\n2147483646 0 obj\n<< /Type /Catalog /Pages 99999999999 0 R >>\nendobj\nxref\n2147483640 999999999\n0000000009 00000 n \ntrailer\n<< /Size 9999999999999 /Root 2147483646 0 R >>\nstartxref\n74\n%%EOF"), false},
		{"xref stream with huge Index", rawPDF("", append(page(hello), stream("/Type /XRef /W [0 0 0] /Index [0 9999999999] /Size 9999999999", nil))...), true},
		{"Prev loop", bytes.Replace(good, []byte("/Root 1 0 R >>"), []byte("/Root 1 0 R /Prev 0 >>"), 1), true},
		{"page tree cycle", rawPDF("", catalog, "<< /Type /Pages /Kids [2 0 R 2 0 R 3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>", stream("", []byte(hello)), helvetica), true},
		{"Length refers to itself", rawPDF("", catalog, pages1,
			"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
			"<< /Length 4 0 R >>\nstream\n"+hello+"\nendstream", helvetica), true},
		{"form draws itself", rawPDF("", catalog, pages1,
			"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> /XObject << /X 6 0 R >> >> /Contents 4 0 R >>",
			stream("", []byte(hello+" /X Do")), helvetica, form), true},
		{"q without Q", rawPDF("", page(strings.Repeat("q ", 200000)+hello)...), true},
		{"inline image with operator bytes", rawPDF("", page("BI /W 4 /H 1 /BPC 8 /CS /G ID (Tj) Tj EI "+hello)...), true},
		{"NaN and huge numbers", rawPDF("", page("1e308 1e308 1e308 1e308 1e308 1e308 cm BT /F1 1e308 Tf 1e400 -1e400 Td (x) Tj ET "+hello)...), false},
		{"object stream containing itself", rawPDF("", catalog, pages1, stream("/Type /ObjStm /N 1 /First 4", []byte("3 0 << >>"))), false},
		{"ToUnicode with a range of 4 billion codes", rawPDF("", catalog, pages1,
			"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
			stream("", []byte("BT /F1 12 Tf 72 700 Td <0041004200430044> Tj ET")),
			"<< /Type /Font /Subtype /Type0 /Encoding /Identity-H /DescendantFonts [<< /W [0 [500]] >>] /ToUnicode 6 0 R >>",
			stream("", []byte("1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfrange <00000000> <FFFFFFFF> <0000> endbfrange"))), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			text, err := ExtractPDFTextContext(ctx, tt.data, 1<<16, PDFLimits{})
			if tt.wantText && !strings.Contains(text, "Hello proof of address") && !strings.Contains(text, "ABCD") {
				t.Errorf("text %q, err %v", text, err)
			}
			if err != nil && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrNoTextLayer) && !errors.Is(err, ErrLimit) && !errors.Is(err, ErrNotPDF) {
				t.Errorf("unclassified error %v", err)
			}
		})
	}
}

func TestExtractContextCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := ExtractPDFTextContext(ctx, rawPDF("", page(strings.Repeat("0 0 Td ", 10000))...), 0, PDFLimits{})
	if !errors.Is(err, ErrLimit) {
		t.Fatalf("got %v", err)
	}
}

func TestExtractLimits(t *testing.T) {
	data := pdfgen.Build(statementPages(), pdfgen.Options{Compress: true})
	tests := []struct {
		name string
		lim  PDFLimits
		want error
	}{
		{"file too large", PDFLimits{MaxFileBytes: 100}, ErrLimit},
		{"stream too large", PDFLimits{MaxStreamBytes: 100}, ErrLimit},
		{"too many operations", PDFLimits{MaxOps: 50}, ErrLimit},
		{"one page only", PDFLimits{MaxPages: 1}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, err := ExtractPDFTextContext(context.Background(), data, 0, tt.lim)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if tt.lim.MaxPages == 1 && (strings.Contains(text, "Page 2 of 3") || !strings.Contains(text, "Page 1 of 3")) {
				t.Errorf("MaxPages 1 read %q", text)
			}
		})
	}
}

func FuzzExtractPDFText(f *testing.F) {
	f.Add(pdfgen.Build(statementPages()[:1], pdfgen.Options{}))
	f.Add(pdfgen.Build(statementPages()[:1], pdfgen.Options{Style: pdfgen.StyleType0, Compress: true, ObjectStreams: true}))
	f.Add(pdfgen.Build(statementPages()[:1], pdfgen.Options{Style: pdfgen.StyleTJKern}))
	f.Add(rawPDF("", page("BT /F1 12 Tf 72 700 Td (Hello) Tj ET")...))
	for _, name := range []string{"utility-bill-objstm.pdf", "bank-statement-ghostscript.pdf"} {
		if b, err := os.ReadFile("testdata/" + name); err == nil {
			f.Add(b)
		}
	}
	lim := PDFLimits{MaxOps: 200_000, MaxDecodedBytes: 4 << 20, MaxStreamBytes: 1 << 20, Timeout: 2 * time.Second}
	f.Fuzz(func(t *testing.T, data []byte) {
		text, err := ExtractPDFTextContext(context.Background(), data, 4096, lim)
		if len(text) > 4096 {
			t.Fatalf("%d bytes over the cap", len(text))
		}
		if err != nil && errors.Is(err, ErrMalformed) && strings.Contains(err.Error(), "internal error") {
			t.Fatalf("panic contained: %v", err)
		}
	})
}

func BenchmarkExtractStatement3Pages(b *testing.B) {
	for _, opt := range []pdfgen.Options{{Compress: true}, {Style: pdfgen.StyleType0, Compress: true, ObjectStreams: true}} {
		data := pdfgen.Build(statementPages(), opt)
		b.Run(fmt.Sprintf("style=%d", opt.Style), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := ExtractPDFText(data, 1<<16); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestExtractQuadraticInputs are files whose naive reading costs time squared in their size:
// thousands of objects whose strings, arrays or streams never end.
func TestExtractQuadraticInputs(t *testing.T) {
	for name, unit := range map[string]string{
		"unterminated strings": "1 0 obj (",
		"unterminated arrays":  "1 0 obj [ 1 2 ",
		"streams without end":  "1 0 obj << /Length 999999 >> stream\n",
	} {
		t.Run(name, func(t *testing.T) {
			data := append([]byte("%PDF-1.4\n"), strings.Repeat(unit+" x\n", 4<<20/len(unit))...)
			start := time.Now()
			_, err := ExtractPDFText(data, 0)
			if err == nil {
				t.Fatal("no error")
			}
			t.Logf("%d bytes in %v: %v", len(data), time.Since(start), err)
		})
	}
}
