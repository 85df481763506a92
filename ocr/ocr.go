// Package ocr reads odometer values and licence plates from photos.
//
// An Engine finds lines of text in a picture; two exist: Tesseract (the tesseract command line,
// no cgo, the default) and ONNX (PaddleOCR PP-OCRv4 models on ONNX Runtime, cgo, built with the
// ocr_onnx tag). ReadOdometer and ReadPlate sit on top of any engine and choose, among the text
// found, the total distance or the registration. docs/ocr.md compares the engines' measured
// accuracy and says how to install them (scripts/setup-ocr.sh).
//
// An engine that cannot run on this machine says why from Available, and Read returns that
// error (wrapping ErrUnavailable), so a caller can send the photo to manual review instead of
// passing it silently.
package ocr

import (
	"context"
	"errors"
	"image"
)

// ErrUnavailable is wrapped by the errors of engines that cannot run here: a missing binary,
// shared library or model, or a build without the engine's tag.
var ErrUnavailable = errors.New("ocr engine unavailable")

// Engine finds text in pictures. Implementations are safe for concurrent use.
type Engine interface {
	// Name identifies the engine in logs and signals ("tesseract", "onnx").
	Name() string
	// Available returns nil when the engine can run here, or an error wrapping ErrUnavailable
	// that says what is missing.
	Available() error
	// Read returns the lines of text found in img, in reading order, with boxes in img's
	// coordinates. It fails when the engine is unavailable, ctx is done, or the engine itself
	// fails; finding no text is not an error.
	Read(ctx context.Context, img image.Image, opt Options) ([]Line, error)
}

// Line is one line of text an engine found.
type Line struct {
	Text string
	// Confidence is the engine's confidence in Text, from 0 to 1. Engines calibrate it
	// differently; ReadOdometer and ReadPlate turn it into Reading.Confidence.
	Confidence float64
	// Box encloses the line in the coordinates of the image given to Read.
	Box image.Rectangle
}

// Options tell an engine what kind of text to expect.
type Options struct {
	// SingleLine says img is a crop holding one line of text: the engine skips its own text
	// detection and page layout.
	SingleLine bool
	// Charset, when not empty, lists the only characters the engine may return (Digits for an
	// odometer crop).
	Charset string
}

// Character sets for Options.Charset.
const (
	Digits       = "0123456789"
	PlateCharset = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789- "
)

// Reading is what ReadOdometer or ReadPlate found.
type Reading struct {
	// Value is the odometer's total distance in its display unit (0 for plates). A tenths
	// digit is dropped: 84213.7 reads as 84213.
	Value int64
	// Text is what was read: the odometer digits as displayed ("084213") or the plate
	// normalised to A–Z0–9 ("7ABC123").
	Text string
	// Unit is "km" or "mi" when the display shows one next to the value, else "".
	Unit string
	// Confidence, from 0 to 1, is the engine's confidence lowered when the choice was
	// ambiguous or a second read disagreed. Confident says whether it is high enough to act on.
	Confidence float64
	// Box is where the reading is in the picture.
	Box image.Rectangle
}

// ConfidentAt is the confidence from which a Reading is trusted enough to put a check-in on
// hold when it disagrees with the claim; below it, a disagreement is only a note for reviewers.
// It was chosen on the synthetic evaluation set (docs/ocr.md): above tesseract's usual
// misreads, below most of the ONNX engine's right readings.
const ConfidentAt = 0.85

// Confident reports whether r.Confidence reaches ConfidentAt.
func (r Reading) Confident() bool { return r.Confidence >= ConfidentAt }
