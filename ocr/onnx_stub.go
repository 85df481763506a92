//go:build !ocr_onnx

package ocr

import (
	"context"
	"fmt"
	"image"
)

// ONNX is the PP-OCRv4 engine on ONNX Runtime. This build was made without the ocr_onnx tag,
// so it is never available; build with -tags ocr_onnx (and cgo) to use it.
type ONNX struct{ cfg ONNXConfig }

// NewONNX returns the ONNX engine for cfg; in this build it only reports that it is missing.
func NewONNX(cfg ONNXConfig) *ONNX { return &ONNX{cfg: cfg} }

// Name returns "onnx".
func (e *ONNX) Name() string { return "onnx" }

// Available reports that this binary was built without the ocr_onnx tag.
func (e *ONNX) Available() error {
	return fmt.Errorf("%w: onnx: built without the ocr_onnx build tag", ErrUnavailable)
}

// Read returns Available's error.
func (e *ONNX) Read(context.Context, image.Image, Options) ([]Line, error) { return nil, e.Available() }

// Close does nothing in this build.
func (e *ONNX) Close() error { return nil }

var _ Engine = (*ONNX)(nil)
