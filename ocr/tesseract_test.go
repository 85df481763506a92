package ocr

import (
	"context"
	"errors"
	"image"
	"testing"

	"github.com/milepost/milepost/ocr/internal/synth"
)

func TestParseTSV(t *testing.T) {
	tsv := "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n" +
		"1\t1\t0\t0\t0\t0\t0\t0\t800\t600\t-1\t\n" +
		"4\t1\t1\t1\t1\t0\t10\t20\t300\t40\t-1\t\n" +
		"5\t1\t1\t1\t1\t1\t10\t20\t60\t40\t90\tODO\n" +
		"5\t1\t1\t1\t1\t2\t80\t18\t150\t44\t70\t084213\n" +
		"5\t1\t1\t1\t1\t3\t240\t30\t40\t30\t-1\t \n" +
		"5\t1\t2\t1\t1\t1\t10\t100\t100\t30\t50.5\t12:45\n"
	got, err := parseTSV([]byte(tsv))
	if err != nil {
		t.Fatal(err)
	}
	want := []Line{
		{Text: "ODO 084213", Confidence: 0.8, Box: image.Rect(10, 18, 230, 62)},
		{Text: "12:45", Confidence: 0.505, Box: image.Rect(10, 100, 110, 130)},
	}
	if len(got) != len(want) {
		t.Fatalf("parseTSV = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].Text != want[i].Text || got[i].Box != want[i].Box || abs64(got[i].Confidence-want[i].Confidence) > 1e-9 {
			t.Errorf("line %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if _, err := parseTSV([]byte("header\n5\t1\tx\t1\t1\t1\t0\t0\t1\t1\t9\tA\n")); err == nil {
		t.Error("parseTSV accepted a malformed row")
	}
}

func TestTesseractMissingBinary(t *testing.T) {
	t.Setenv("MILEPOST_TESSERACT", "/nonexistent/tesseract")
	e := NewTesseract()
	err := e.Available()
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Available() = %v, want ErrUnavailable", err)
	}
	if _, err := e.Read(context.Background(), renderLine(t, "1234", 40), Options{}); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Read on a missing binary = %v, want ErrUnavailable", err)
	}
	if _, _, err := ReadOdometer(context.Background(), e, renderLine(t, "1234", 40)); !errors.Is(err, ErrUnavailable) {
		t.Errorf("ReadOdometer on a missing binary = %v, want ErrUnavailable (never a silent pass)", err)
	}
}

func TestTesseractReadsCleanText(t *testing.T) {
	e := NewTesseract()
	requireEngine(t, e)
	ctx := context.Background()
	r, ok, err := ReadOdometer(ctx, e, renderLine(t, "ODO 084213 km", 48))
	if err != nil || !ok || r.Value != 84213 || r.Unit != "km" {
		t.Errorf("ReadOdometer(clean) = %+v, %v, %v; want 84213 km", r, ok, err)
	}
	lines, err := e.Read(ctx, renderLine(t, "7ABC123", 40), Options{SingleLine: true, Charset: PlateCharset})
	if err != nil || len(lines) != 1 || NormalizePlate(lines[0].Text) != "7ABC123" {
		t.Errorf("Read(single line plate) = %+v, %v; want 7ABC123", lines, err)
	}
}

// TestTesseractOnPhotos checks the property that matters on real photos: whatever tesseract
// misreads, it must not be confident about it, since a confident misread puts a genuine
// check-in on hold.
func TestTesseractOnPhotos(t *testing.T) {
	e := NewTesseract()
	requireEngine(t, e)
	noConfidentMisreads(t, e)
}

func noConfidentMisreads(t *testing.T, e Engine) (right int) {
	ctx := context.Background()
	for _, s := range append(samples(t, 11, synth.KindOdometer, 4), samples(t, 12, synth.KindPlate, 2)...) {
		var r Reading
		var ok bool
		var err error
		if s.Kind == synth.KindOdometer {
			r, ok, err = ReadOdometer(ctx, e, s.Image)
		} else {
			r, ok, err = ReadPlate(ctx, e, s.Image)
		}
		if err != nil {
			t.Fatalf("%s %s: %v", s.Kind, s.Style, err)
		}
		good := ok && (r.Text == s.Text || (s.Kind == synth.KindOdometer && r.Value == s.Value))
		if good {
			right++
		}
		if ok && r.Confident() && !good {
			t.Errorf("%s %s: confident misread %q (confidence %.2f), truth %q", s.Kind, s.Style, r.Text, r.Confidence, s.Text)
		}
		t.Logf("%s %s: truth %q read %q ok=%v confidence %.2f", s.Kind, s.Style, s.Text, r.Text, ok, r.Confidence)
	}
	return right
}

func TestTesseractHonoursContext(t *testing.T) {
	e := NewTesseract()
	requireEngine(t, e)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Read(ctx, renderLine(t, "084213", 48), Options{SingleLine: true}); !errors.Is(err, context.Canceled) {
		t.Errorf("Read with a cancelled context = %v, want context.Canceled", err)
	}
}

func BenchmarkTesseractReadOdometer(b *testing.B) {
	e := NewTesseract()
	requireEngine(b, e)
	img := samples(b, 11, synth.KindOdometer, 1)[0].Image
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := ReadOdometer(context.Background(), e, img); err != nil {
			b.Fatal(err)
		}
	}
}
