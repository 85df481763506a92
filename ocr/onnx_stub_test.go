//go:build !ocr_onnx

package ocr

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestONNXWithoutTag(t *testing.T) {
	e := NewONNX(ONNXConfigFromEnv())
	err := e.Available()
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "built without the ocr_onnx build tag") {
		t.Fatalf("Available() = %v, want ErrUnavailable saying the tag is missing", err)
	}
	if _, _, err := ReadOdometer(context.Background(), e, renderLine(t, "1234", 40)); !errors.Is(err, ErrUnavailable) {
		t.Errorf("ReadOdometer = %v, want ErrUnavailable", err)
	}
}
