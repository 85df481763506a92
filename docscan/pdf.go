package docscan

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"
)

// Errors of PDF text extraction. Match them with errors.Is: the returned errors wrap them with
// detail.
var (
	// ErrNotPDF means the data does not start with a %PDF- header (a few junk bytes before it
	// are tolerated, as in other readers).
	ErrNotPDF = errors.New("not a PDF document")
	// ErrEncrypted means the document is encrypted (even with an empty user password); its
	// text is not read.
	ErrEncrypted = errors.New("the PDF is encrypted")
	// ErrNoTextLayer means the document was read but has no extractable text: a scan or a
	// photo saved as PDF, or fonts without a Unicode mapping. Such a document needs OCR.
	ErrNoTextLayer = errors.New("the PDF has no text layer")
	// ErrMalformed means the document's structure could not be read at all.
	ErrMalformed = errors.New("malformed PDF")
	// ErrLimit means a safety limit (PDFLimits) or the context stopped extraction. The text
	// read until then is returned with it.
	ErrLimit = errors.New("PDF too complex to read within limits")
)

// PDFLimits bound the work and memory of one extraction, so a hostile upload costs at most a
// few tens of megabytes and a few seconds. The zero value of a field means its default.
type PDFLimits struct {
	MaxFileBytes    int           // refuse larger files (default 32 MiB)
	MaxStreamBytes  int           // most bytes one stream may decode to (default 8 MiB)
	MaxDecodedBytes int           // most bytes all decoded streams may add up to (default 64 MiB)
	MaxObjects      int           // most objects indexed (default 200,000)
	MaxPages        int           // pages read; later pages are ignored (default 50)
	MaxDepth        int           // nesting of arrays, dictionaries, page trees, forms (default 32)
	MaxOps          int           // content-stream operators and glyphs in all (default 5,000,000)
	Timeout         time.Duration // wall-clock cap on top of the context's (default 10 s)
}

func (l PDFLimits) withDefaults() PDFLimits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.MaxFileBytes, 32<<20)
	def(&l.MaxStreamBytes, 8<<20)
	def(&l.MaxDecodedBytes, 64<<20)
	def(&l.MaxObjects, 200_000)
	def(&l.MaxPages, 50)
	def(&l.MaxDepth, 32)
	def(&l.MaxOps, 5_000_000)
	if l.Timeout <= 0 {
		l.Timeout = 10 * time.Second
	}
	return l
}

// ExtractPDFText returns the text layer of a PDF with the default PDFLimits: lines in reading
// order (top to bottom, then left to right) separated by "\n", cells of a line that are far
// apart separated by "\t", and pages by a blank line; at most maxBytes bytes (cut at a
// character boundary; maxBytes <= 0 means no cut). See ExtractPDFTextContext for the errors.
func ExtractPDFText(data []byte, maxBytes int) (string, error) {
	return ExtractPDFTextContext(context.Background(), data, maxBytes, PDFLimits{})
}

// ExtractPDFTextContext is ExtractPDFText with a context and explicit limits. It never panics
// on any input. Errors: ErrNotPDF, ErrEncrypted, ErrMalformed, ErrNoTextLayer (with "") when
// the document has no extractable text, and ErrLimit (with the text read so far) when a limit,
// the timeout or ctx stopped it.
func ExtractPDFTextContext(ctx context.Context, data []byte, maxBytes int, lim PDFLimits) (text string, err error) {
	lim = lim.withDefaults()
	if len(data) > lim.MaxFileBytes {
		return "", fmt.Errorf("pdf text: file of %d bytes is over %d: %w", len(data), lim.MaxFileBytes, ErrLimit)
	}
	ctx, cancel := context.WithTimeout(ctx, lim.Timeout)
	defer cancel()
	defer func() {
		// Last line of defence: a bug on some input must cost that document, not the worker.
		if r := recover(); r != nil {
			text, err = "", fmt.Errorf("pdf text: internal error (%v): %w", r, ErrMalformed)
		}
	}()
	doc, err := openPDF(ctx, data, lim)
	if err != nil {
		return "", fmt.Errorf("pdf text: %w", err)
	}
	out := doc.text(maxBytes)
	if maxBytes > 0 && len(out) > maxBytes {
		out = truncateUTF8(out, maxBytes)
	}
	if doc.err != nil {
		return out, fmt.Errorf("pdf text: %w", doc.err)
	}
	if !hasLetters(out) {
		return "", fmt.Errorf("pdf text: %d pages read: %w", doc.pagesRead, ErrNoTextLayer)
	}
	return out, nil
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// hasLetters reports whether s has any letter or digit: page numbers drawn as vector paths or
// a stray space do not make a text layer.
func hasLetters(s string) bool {
	n := 0
	for _, r := range s {
		if r > ' ' && r != utf8.RuneError {
			n++
			if n >= 3 {
				return true
			}
		}
	}
	return false
}

// budget counts the work of one extraction. Its first error is sticky: every loop checks
// stop() and unwinds, so a limit hit deep inside a form XObject ends the whole run.
type budget struct {
	ctx     context.Context
	lim     PDFLimits
	ops     int
	decoded int
	err     error
}

// spend counts n operations and reports whether work may go on.
func (b *budget) spend(n int) bool {
	if b.err != nil {
		return false
	}
	b.ops += n
	if b.ops > b.lim.MaxOps {
		b.err = fmt.Errorf("more than %d operations: %w", b.lim.MaxOps, ErrLimit)
		return false
	}
	if b.ops&0x3ff < n || n >= 1024 { // look at the clock about every thousand operations
		if err := b.ctx.Err(); err != nil {
			b.err = fmt.Errorf("%v: %w", err, ErrLimit)
			return false
		}
	}
	return true
}

// fail records err (the first one wins).
func (b *budget) fail(err error) {
	if b.err == nil {
		b.err = err
	}
}

func (b *budget) stop() bool { return b.err != nil }
