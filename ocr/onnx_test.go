//go:build ocr_onnx

package ocr

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/milepost/milepost/ocr/internal/synth"
)

func onnxEngine(t testing.TB) *ONNX {
	t.Helper()
	e := NewONNX(ONNXConfigFromEnv())
	requireEngine(t, e)
	return e
}

func TestONNXMissingFiles(t *testing.T) {
	e := NewONNX(ONNXConfig{Library: "/nonexistent/libonnxruntime.so", Models: t.TempDir()})
	err := e.Available()
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Available() = %v, want ErrUnavailable", err)
	}
	for _, want := range []string{"libonnxruntime.so", DetModelFile, RecModelFile, KeysFile} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Available() = %v, want it to name %s", err, want)
		}
	}
}

func TestONNXReadsCleanText(t *testing.T) {
	e := onnxEngine(t)
	ctx := context.Background()
	r, ok, err := ReadOdometer(ctx, e, renderLine(t, "ODO 084213 km", 48))
	if err != nil || !ok || r.Value != 84213 || r.Unit != "km" || !r.Confident() {
		t.Errorf("ReadOdometer(clean) = %+v, %v, %v; want a confident 84213 km", r, ok, err)
	}
	p, ok, err := ReadPlate(ctx, e, renderLine(t, "7ABC123", 60))
	if err != nil || !ok || p.Text != "7ABC123" {
		t.Errorf("ReadPlate(clean) = %+v, %v, %v; want 7ABC123", p, ok, err)
	}
}

// TestONNXOnPhotos reads a handful of generated photos: most must be right, and none wrong
// with confidence.
func TestONNXOnPhotos(t *testing.T) {
	e := onnxEngine(t)
	if right := noConfidentMisreads(t, e); right < 4 {
		t.Errorf("read %d of 6 photos right, want at least 4 (docs/ocr.md measures about 80 %%)", right)
	}
}

func TestONNXHonoursContext(t *testing.T) {
	e := onnxEngine(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	img := samples(t, 11, synth.KindOdometer, 1)[0].Image
	if _, err := e.Read(ctx, img, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Read with a cancelled context = %v, want context.Canceled", err)
	}
}

func BenchmarkONNXReadOdometer(b *testing.B) {
	e := onnxEngine(b)
	img := samples(b, 11, synth.KindOdometer, 1)[0].Image
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := ReadOdometer(context.Background(), e, img); err != nil {
			b.Fatal(err)
		}
	}
}
