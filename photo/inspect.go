// Package photo inspects the bytes of uploaded photos and documents: it tells their real type
// from magic bytes, refuses decompression bombs before decoding, proves that pictures decode,
// reads their EXIF and analyses their pixels (perceptual hashes, exposure, sharpness, screen
// pattern; docs/photo-analysis.md). Pure functions on bytes: no HTTP, no SQL.
package photo

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"math"
	"runtime"
	"strconv"
	"sync"

	"github.com/gen2brain/heic"
	"golang.org/x/image/webp"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/photo/internal/jpegdc"
)

// DefaultMaxPixels is the pixel limit of an Inspector whose MaxPixels is zero: 120 megapixels,
// above the 48-50 MP of today's phone main cameras (their 200 MP modes are refused).
const DefaultMaxPixels int64 = 120_000_000

const (
	// maxSide is the largest width or height accepted, whatever MaxPixels says: JPEG cannot
	// encode more, and a larger side in another format is a bomb or a mistake.
	maxSide = 65535
	// maxJPEGScans bounds the scans of a JPEG. Go's decoder walks every block of the picture
	// once per scan, so a few bytes per scan could otherwise buy minutes of CPU; real
	// progressive JPEGs have about 10 scans (libjpeg-turbo's fuzzers also stop at 500).
	maxJPEGScans = 500
)

// Inspector implements milepost.MediaInspector. Configure it before first use; the zero value
// works with the defaults. It is safe for concurrent use.
//
// Cost: a baseline JPEG is decoded at a reduced size (photo/internal/jpegdc): a 12 MP photo
// takes about 40 ms and 2 MB, about as long as libjpeg-turbo's djpeg -scale 1/8. Other
// pictures are decoded in full, which holds them in memory, up to 8 bytes per pixel (16-bit
// RGBA PNG), so the peak is about MaxPixels × 8 bytes × MaxDecodes; image/jpeg takes about
// 0.3 s and 18 MB for a 12 MP progressive JPEG. HEIC goes through libheif compiled to
// WebAssembly (gen2brain/heic on wazero) unless the system's libheif.so can be loaded: a 12 MP
// HEIC takes 2-2.3 s and allocates about 390 MB, and the first HEIC also compiles the module
// (0.4 s; heic.Init at startup avoids that).
type Inspector struct {
	// MaxPixels is the largest width×height accepted; DefaultMaxPixels when zero.
	MaxPixels int64
	// MaxDecodes is how many pictures may be decoded at once; runtime.GOMAXPROCS(0) when zero.
	// It is read once, at first use.
	MaxDecodes int

	once  sync.Once
	slots chan struct{} // a semaphore of MaxDecodes slots
}

var _ milepost.MediaInspector = (*Inspector)(nil)

// NewInspector returns an Inspector that refuses pictures over maxPixels (DefaultMaxPixels when
// zero) and decodes at most runtime.GOMAXPROCS(0) pictures at once.
func NewInspector(maxPixels int64) *Inspector {
	in := &Inspector{MaxPixels: maxPixels}
	in.init()
	return in
}

func (in *Inspector) init() {
	in.once.Do(func() {
		n := in.MaxDecodes
		if n <= 0 {
			n = runtime.GOMAXPROCS(0)
		}
		in.slots = make(chan struct{}, n)
	})
}

func (in *Inspector) maxPixels() int64 {
	if in.MaxPixels > 0 {
		return in.MaxPixels
	}
	return DefaultMaxPixels
}

// InspectPhoto accepts a JPEG, PNG, HEIC/HEIF or WebP picture whose data decodes in full and
// returns its type, size, EXIF and Analysis (of the upright picture: the EXIF Orientation of a
// JPEG applied). Any other input is a CodeInvalid error naming the field "photo" and saying why
// (wrong type, too many pixels, truncated or corrupt data). Unreadable metadata leaves EXIF
// empty. Width and Height are the stored pixels, except for HEIC where libheif has already
// applied the container's rotation: there the EXIF Orientation is informational and must not
// be applied again.
func (in *Inspector) InspectPhoto(data []byte) (milepost.Media, error) {
	const param = "photo"
	switch k := sniff(data); k {
	case kindJPEG, kindPNG, kindWebP, kindHEIC, kindHEIF:
		return in.inspectImage(data, k, param)
	default:
		return milepost.Media{}, refuse(data, k, param, "JPEG, PNG, HEIC or WebP")
	}
}

// InspectFile accepts a PDF document (whole: header and %%EOF marker; pages are not rendered)
// or a JPEG or PNG picture checked and analysed as InspectPhoto does. Anything else is a
// CodeInvalid error naming the field "file".
func (in *Inspector) InspectFile(data []byte) (milepost.Media, error) {
	const param = "file"
	switch k := sniff(data); k {
	case kindPDF:
		return inspectPDF(data, param)
	case kindJPEG, kindPNG:
		return in.inspectImage(data, k, param)
	default:
		return milepost.Media{}, refuse(data, k, param, "PDF, JPEG or PNG")
	}
}

// refuse is the error for data of kind k where only the accepted types may be uploaded.
func refuse(data []byte, k kind, param, accepted string) error {
	if len(data) == 0 {
		return milepost.Invalidf(param, "%s is empty; upload %s.", param, accepted)
	}
	return milepost.Invalidf(param, "%s is %s; upload %s.", param, k.describe(), accepted)
}

// inspectImage checks the dimensions from the header (for HEIF, the largest declared in its
// meta box), then decodes the whole picture (so a truncated or corrupt one is refused), reads
// EXIF from JPEG and HEIF files and analyses the upright picture. Baseline JPEGs are decoded
// at a reduced size by jpegdc, which still decodes every bit of the stream; other JPEGs and
// other formats are decoded in full. Errors are a *milepost.Error, wrapped with the decoder's
// own message for logs.
func (in *Inspector) inspectImage(data []byte, k kind, param string) (milepost.Media, error) {
	cfg, err := in.checkHeader(data, k, param)
	if err != nil {
		return milepost.Media{}, err
	}
	r, err := in.decodeReduced(data, k, workReduce(cfg.Width, cfg.Height))
	if err != nil {
		return milepost.Media{}, fmt.Errorf("decode %s: %v: %w", k.contentType(), err,
			milepost.Invalidf(param, "%s cannot be decoded: the image data is truncated or corrupt.", param))
	}
	if err := in.checkSize(r.pic.Width, r.pic.Height, param); err != nil {
		return milepost.Media{}, err
	}
	m := milepost.Media{ContentType: k.contentType(), Width: r.pic.Width, Height: r.pic.Height}
	if k == kindJPEG || k == kindHEIC || k == kindHEIF {
		m.EXIF = readEXIF(data)
	}
	orientation := 1
	if k == kindJPEG {
		// libheif has already turned HEIF pixels upright; only JPEG pixels are stored as
		// the sensor saw them.
		orientation = m.EXIF.Orientation
	}
	m.Analysis, _ = guard(func() (*milepost.PhotoAnalysis, error) {
		return analysis(r.pic, orientation, r.full), nil
	})
	return m, nil
}

// checkHeader reads the picture's size from its header and refuses it before decoding when
// the header is unreadable, when it announces too many pixels, or when a JPEG has too many
// scans.
func (in *Inspector) checkHeader(data []byte, k kind, param string) (image.Config, error) {
	cfg, err := guard(func() (image.Config, error) { return decodeConfig(k, data) })
	if err != nil {
		return cfg, fmt.Errorf("read %s header: %v: %w", k.contentType(), err,
			milepost.Invalidf(param, "%s cannot be decoded: the image header is truncated or corrupt.", param))
	}
	if err := in.checkSize(cfg.Width, cfg.Height, param); err != nil {
		return cfg, err
	}
	if k == kindJPEG {
		if n := jpegScans(data, maxJPEGScans); n > maxJPEGScans {
			return cfg, milepost.Invalidf(param,
				"%s has more than %d JPEG scans; re-save it as a standard JPEG.", param, maxJPEGScans)
		}
	}
	return cfg, nil
}

// reduced is a picture decoded for analysis: its luma reduced through 8×8 blocks, and its
// full-resolution luma when it was decoded in full or is too small to hash at 1/8 scale.
type reduced struct {
	pic  *jpegdc.Picture
	full *image.Gray
}

// decodeReduced decodes the whole picture into its reduced luma, working picture at
// 1/2^reduce, waiting for one of the Inspector's decode slots.
func (in *Inspector) decodeReduced(data []byte, k kind, reduce int) (reduced, error) {
	in.init()
	in.slots <- struct{}{}
	defer func() { <-in.slots }()
	return guard(func() (reduced, error) {
		if k == kindJPEG {
			p, err := jpegdc.Decode(data, reduce)
			switch {
			case err == nil && !needsFullLuma(p.Width, p.Height):
				return reduced{pic: p}, nil
			case err == nil, errors.Is(err, jpegdc.ErrUnsupported):
				// Too small to hash at 1/8 scale, or a JPEG jpegdc leaves to image/jpeg
				// (progressive, RGB, CMYK): decode it in full.
			default:
				return reduced{}, err
			}
		}
		img, err := decodePixels(k, data)
		if err == nil && img == nil {
			err = errors.New("decoder returned no image")
		}
		if err != nil {
			return reduced{}, err
		}
		y := luma(img)
		p, err := jpegdc.FromGray(y, reduce)
		return reduced{pic: p, full: y}, err
	})
}

// checkSize refuses what a header announces before anything is decoded: no pixels, a side over
// maxSide, or more pixels than the limit (a decompression bomb). It runs again on the decoded
// picture, in case the header lied.
func (in *Inspector) checkSize(w, h int, param string) error {
	switch {
	case w <= 0 || h <= 0:
		return milepost.Invalidf(param, "%s has no pixels: its header says %dx%d.", param, w, h)
	case w > maxSide || h > maxSide:
		return milepost.Invalidf(param, "%s is %dx%d pixels; neither side may exceed %d.", param, w, h, maxSide)
	case int64(w)*int64(h) > in.maxPixels():
		return milepost.Invalidf(param, "%s is %dx%d pixels (%s); the limit is %s.",
			param, w, h, formatPixels(int64(w)*int64(h)), formatPixels(in.maxPixels()))
	}
	return nil
}

// formatPixels writes n as megapixels with at most three decimals, or as pixels below one
// million.
func formatPixels(n int64) string {
	if n < 1_000_000 {
		return strconv.FormatInt(n, 10) + " pixels"
	}
	return strconv.FormatFloat(math.Round(float64(n)/1_000)/1_000, 'f', -1, 64) + " megapixels"
}

// decode decodes the whole picture, waiting for one of the Inspector's decode slots.
func (in *Inspector) decode(k kind, data []byte) (image.Image, error) {
	in.init()
	in.slots <- struct{}{}
	defer func() { <-in.slots }()
	return guard(func() (image.Image, error) {
		img, err := decodePixels(k, data)
		if err == nil && img == nil {
			err = errors.New("decoder returned no image")
		}
		return img, err
	})
}

func decodeConfig(k kind, data []byte) (image.Config, error) {
	r := bytes.NewReader(data)
	switch k {
	case kindHEIC, kindHEIF:
		w, h, err := heifSize(data)
		return image.Config{Width: w, Height: h}, err
	case kindJPEG:
		return jpeg.DecodeConfig(r)
	case kindPNG:
		return png.DecodeConfig(r)
	case kindWebP:
		return webp.DecodeConfig(r)
	}
	return image.Config{}, fmt.Errorf("no decoder for %s", k.describe())
}

func decodePixels(k kind, data []byte) (image.Image, error) {
	r := bytes.NewReader(data)
	switch k {
	case kindJPEG:
		return jpeg.Decode(r)
	case kindPNG:
		return png.Decode(r)
	case kindWebP:
		return webp.Decode(r)
	case kindHEIC, kindHEIF:
		return heic.Decode(r)
	}
	return nil, fmt.Errorf("no decoder for %s", k.describe())
}

// guard runs a decoder call and turns a panic into an error: hostile input must never crash
// the process.
func guard[T any](fn func() (T, error)) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			var zero T
			v, err = zero, fmt.Errorf("decoder panic: %v", r)
		}
	}()
	return fn()
}

// jpegScans counts the SOS (start of scan) markers of a JPEG, stopping once it passes limit. It
// skips marker segments by their length and entropy-coded data byte by byte, where 0xFF is
// always followed by a stuffed 0x00 or a restart marker, so the SOS bytes inside an EXIF
// thumbnail or an ICC profile are not counted. It stops at EOI, as the decoder does.
func jpegScans(data []byte, limit int) int {
	n := 0
	for i := 2; i+1 < len(data); {
		if data[i] != 0xFF {
			// Entropy-coded data: jump to the next 0xFF.
			j := bytes.IndexByte(data[i:], 0xFF)
			if j < 0 {
				break
			}
			i += j
			continue
		}
		switch m := data[i+1]; {
		case m == 0xFF: // fill byte
			i++
			continue
		case m == 0x00, m >= 0xD0 && m <= 0xD7, m == 0x01: // stuffing, RSTn, TEM: no length
			i += 2
			continue
		case m == 0xD9: // EOI
			return n
		case m == 0xDA:
			if n++; n > limit {
				return n
			}
		}
		if i+3 >= len(data) {
			break
		}
		i += 2 + (int(data[i+2])<<8 | int(data[i+3]))
	}
	return n
}
