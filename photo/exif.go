package photo

import (
	"bytes"
	"io"
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/evanoberholster/imagemeta"
	"github.com/evanoberholster/imagemeta/exif2"
	"github.com/evanoberholster/imagemeta/isobmff"
	imjpeg "github.com/evanoberholster/imagemeta/jpeg"
	"github.com/rs/zerolog"

	"github.com/milepost/milepost"
)

// imagemeta keeps package-level zerolog loggers that write to stdout. They sit at Panic level,
// which prints nothing today, but a hostile file must never reach our stdout, so they are
// silenced once here: the only package-level state this package touches.
func init() {
	exif2.Logger = zerolog.Nop()
	imjpeg.Logger = zerolog.Nop()
	isobmff.Logger = zerolog.Nop()
}

// maxTextLen caps an EXIF string, as the API caps the device fields of an upload.
const maxTextLen = 255

// readEXIF reads the EXIF of a JPEG or HEIC picture. Metadata that cannot be read, because
// imagemeta returns an error or panics, is absent: an empty EXIF, never an error.
func readEXIF(data []byte) (e milepost.EXIF) {
	defer func() {
		if recover() != nil {
			e = milepost.EXIF{}
		}
	}()
	x, err := imagemeta.Decode(exifSource(data))
	if err != nil {
		return milepost.EXIF{}
	}
	e.TakenAt, e.TakenAtHasZone = takenAt(x)
	e.Latitude, e.Longitude = position(x.GPS.Latitude(), x.GPS.Longitude())
	e.Make = cleanText(x.Make)
	e.Model = cleanText(x.Model)
	e.Software = cleanText(x.Software)
	if o := int(x.Orientation); o >= 1 && o <= 8 {
		e.Orientation = o
	}
	return e
}

// exifSource is what readEXIF hands imagemeta. The JPEG scanner of imagemeta v0.3.1 counts SOI
// and EOI markers: an EOI at the outer level drops its count to 0, and from there the first 0xFF
// byte that does not start an SOI makes it loop for ever without reading, so a few hostile bytes
// after an EOI would pin a CPU per upload (found by FuzzReadEXIF; the crasher is in
// testdata/fuzz/FuzzReadEXIF). One extra SOI in front keeps the count at 2 or more for the outer
// image, so an outer EOI ends the scan (with ErrEndOfImage: no EXIF) instead. The scanner stops
// at the first DQT, which every real JPEG has before its pixels, so real files read as before.
func exifSource(data []byte) io.ReadSeeker {
	if len(data) < 2 || data[0] != 0xFF || data[1] != 0xD8 {
		return bytes.NewReader(data)
	}
	return io.NewSectionReader(prefixed{head: []byte{0xFF, 0xD8}, tail: data}, 0, int64(len(data))+2)
}

// prefixed reads head then tail as one stream, without copying tail.
type prefixed struct{ head, tail []byte }

// ReadAt implements io.ReaderAt.
func (p prefixed) ReadAt(b []byte, off int64) (int, error) {
	n := 0
	if off < int64(len(p.head)) {
		n = copy(b, p.head[off:])
	}
	if t := off + int64(n) - int64(len(p.head)); n < len(b) && t < int64(len(p.tail)) {
		n += copy(b[n:], p.tail[t:])
	}
	if n < len(b) {
		return n, io.EOF
	}
	return n, nil
}

// takenAt returns DateTimeOriginal with its sub-seconds, or nil when absent. A date before 1900
// counts as absent: cameras with an unset clock write "0000:00:00 00:00:00". exif2 returns the
// time in a fixed zone when OffsetTimeOriginal was present and readable, and in time.UTC (the
// local wall clock read as UTC) otherwise; only the former has a zone. An offset beyond the
// ±14 hours of real zones is dropped, keeping the wall clock.
func takenAt(x exif2.Exif) (*time.Time, bool) {
	t := x.DateTimeOriginal()
	if t.IsZero() || t.Year() < 1900 {
		return nil, false
	}
	if t.Location() == time.UTC {
		return &t, false
	}
	if _, offset := t.Zone(); offset < -14*3600 || offset > 14*3600 {
		t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
		return &t, false
	}
	return &t, true
}

// position returns the coordinates when they are on Earth; 0,0 is what cameras write without a
// fix, so it is absent.
func position(lat, lon float64) (*float64, *float64) {
	switch {
	case lat == 0 && lon == 0,
		math.IsNaN(lat) || math.IsNaN(lon),
		lat < -90 || lat > 90 || lon < -180 || lon > 180:
		return nil, nil
	}
	return &lat, &lon
}

// cleanText makes an EXIF ASCII value safe to store and show: NULs and spaces are trimmed from
// both ends, anything after an inner NUL (the terminator) is dropped, invalid UTF-8 and control
// characters are removed, and the result is at most maxTextLen bytes.
func cleanText(s string) string {
	s = strings.Trim(s, "\x00 ")
	if i := strings.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	s = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
	s = strings.TrimSpace(s)
	for len(s) > maxTextLen {
		_, size := utf8.DecodeLastRuneInString(s)
		s = strings.TrimSpace(s[:len(s)-size])
	}
	return s
}
