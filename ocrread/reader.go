// Package ocrread connects OCR to verification: it decodes an upload upright at a size OCR
// works well with (photosrc) and runs an ocr.Engine on it. It implements verify.PhotoReader and
// verify.DocumentReader.
package ocrread

import (
	"context"
	"errors"
	"fmt"
	"image"
	"strings"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/ocr"
	"github.com/milepost/milepost/photosrc"
	"github.com/milepost/milepost/verify"
)

// maxSide is the long side photos are decoded at for OCR: enough for odometer digits and plate
// characters, small enough to keep OCR fast.
const maxSide = 2000

// Reader runs an OCR engine on uploaded photos. Safe for concurrent use; at most Concurrency
// photos are read at once (OCR takes about a second and much memory per photo).
type Reader struct {
	photos *photosrc.Source
	engine ocr.Engine
	slots  chan struct{}
}

var (
	_ verify.PhotoReader    = (*Reader)(nil)
	_ verify.DocumentReader = (*Reader)(nil)
)

// New returns a Reader over engine reading at most concurrency photos at once (1 when < 1).
func New(photos *photosrc.Source, engine ocr.Engine, concurrency int) *Reader {
	return &Reader{photos: photos, engine: engine, slots: make(chan struct{}, max(1, concurrency))}
}

// Engine selects the OCR engine for a mode: "auto" (ONNX when this build has it and its
// runtime and models are installed, else tesseract when installed), "onnx", "tesseract", or
// "off" (nil). An engine that is not installed is still returned for "onnx" and "tesseract":
// verification then reports OCR unavailable, and Available says why.
func Engine(mode string) (ocr.Engine, error) {
	switch mode {
	case "off":
		return nil, nil
	case "onnx":
		return ocr.NewONNX(ocr.ONNXConfigFromEnv()), nil
	case "tesseract":
		return ocr.NewTesseract(), nil
	case "auto", "":
		if e := ocr.NewONNX(ocr.ONNXConfigFromEnv()); e.Available() == nil {
			return e, nil
		}
		return ocr.NewTesseract(), nil
	}
	return nil, fmt.Errorf("unknown OCR mode %q: use auto, onnx, tesseract or off", mode)
}

// image decodes an upload for OCR, waiting for a slot.
func (r *Reader) image(ctx context.Context, u *milepost.Upload) (image.Image, func(), error) {
	if err := r.engine.Available(); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", strings.TrimSuffix(err.Error(), "."), verify.ErrUnavailable)
	}
	select {
	case r.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	img, err := r.photos.Gray(ctx, u, maxSide)
	if err != nil {
		<-r.slots
		return nil, nil, err
	}
	return img, func() { <-r.slots }, nil
}

// unavailable maps the engine's "cannot run here" to verification's.
func unavailable(err error) error {
	if errors.Is(err, ocr.ErrUnavailable) && !errors.Is(err, verify.ErrUnavailable) {
		return fmt.Errorf("%v: %w", err, verify.ErrUnavailable)
	}
	return err
}

// ReadOdometer reads the total distance on an odometer photo.
func (r *Reader) ReadOdometer(ctx context.Context, u *milepost.Upload) (ocr.Reading, bool, error) {
	img, release, err := r.image(ctx, u)
	if err != nil {
		return ocr.Reading{}, false, err
	}
	defer release()
	rd, ok, err := ocr.ReadOdometer(ctx, r.engine, img)
	return rd, ok, unavailable(err)
}

// ReadPlate reads the registration on a license plate photo.
func (r *Reader) ReadPlate(ctx context.Context, u *milepost.Upload) (ocr.Reading, bool, error) {
	img, release, err := r.image(ctx, u)
	if err != nil {
		return ocr.Reading{}, false, err
	}
	defer release()
	rd, ok, err := ocr.ReadPlate(ctx, r.engine, img)
	return rd, ok, unavailable(err)
}

// ReadDocument reads a photographed document's text, one line per line found.
func (r *Reader) ReadDocument(ctx context.Context, u *milepost.Upload) (string, error) {
	img, release, err := r.image(ctx, u)
	if err != nil {
		return "", err
	}
	defer release()
	lines, err := r.engine.Read(ctx, img, ocr.Options{})
	if err != nil {
		return "", unavailable(err)
	}
	texts := make([]string, len(lines))
	for i, l := range lines {
		texts[i] = l.Text
	}
	return strings.Join(texts, "\n"), nil
}
