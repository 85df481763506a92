package photo

import (
	"bytes"
	"encoding/binary"
	"slices"
)

// kind is a file type told from its first bytes. Only JPEG, PNG, WebP, HEIC, HEIF and PDF are
// accepted anywhere; the other kinds exist so an error can say what was uploaded instead.
type kind uint8

const (
	kindUnknown kind = iota
	kindJPEG
	kindPNG
	kindWebP
	kindHEIC // HEIF with an HEVC brand (heic, heix, hevc, ...): what phones shoot
	kindHEIF // HEIF with only the generic mif1/msf1 brands
	kindPDF
	kindGIF
	kindBMP
	kindTIFF
	kindAVIF
	kindJXL
	kindPSD
	kindISOMedia // an ftyp box with other brands: MP4, QuickTime, 3GP, Canon CR3...
	kindText     // SVG, XML, HTML
	kindBase64   // Base64 text of an image: encoded twice, or sent with a data: URL prefix
	kindZIP
)

// describe names k for error messages ("photo is a GIF image").
func (k kind) describe() string {
	switch k {
	case kindJPEG:
		return "a JPEG image"
	case kindPNG:
		return "a PNG image"
	case kindWebP:
		return "a WebP image"
	case kindHEIC:
		return "a HEIC image"
	case kindHEIF:
		return "a HEIF image"
	case kindPDF:
		return "a PDF document"
	case kindGIF:
		return "a GIF image"
	case kindBMP:
		return "a BMP image"
	case kindTIFF:
		return "a TIFF image (or camera raw file)"
	case kindAVIF:
		return "an AVIF image"
	case kindJXL:
		return "a JPEG XL image"
	case kindPSD:
		return "a Photoshop document"
	case kindISOMedia:
		return "a video or other ISO media file"
	case kindText:
		return "text (SVG, XML or HTML), not an image"
	case kindBase64:
		return "Base64 text, not image bytes (was it encoded twice, or sent with a data: URL prefix?)"
	case kindZIP:
		return "a ZIP archive"
	}
	return "in an unrecognised format"
}

// contentType is the MIME type of an accepted kind, and "" for the others.
func (k kind) contentType() string {
	switch k {
	case kindJPEG:
		return "image/jpeg"
	case kindPNG:
		return "image/png"
	case kindWebP:
		return "image/webp"
	case kindHEIC:
		return "image/heic"
	case kindHEIF:
		return "image/heif"
	case kindPDF:
		return "application/pdf"
	}
	return ""
}

var (
	pngMagic  = []byte("\x89PNG\r\n\x1a\n")
	jxlMagic  = []byte("\x00\x00\x00\x0cJXL \r\n\x87\n")
	pdfMagic  = []byte("%PDF-")
	jpegMagic = []byte{0xFF, 0xD8, 0xFF}
)

// sniff tells the kind of data from its magic bytes alone; a file name or a declared type is
// never consulted.
func sniff(data []byte) kind {
	switch {
	case bytes.HasPrefix(data, jpegMagic):
		return kindJPEG
	case bytes.HasPrefix(data, pngMagic):
		return kindPNG
	case len(data) >= 12 && string(data[0:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return kindWebP
	case len(data) >= 12 && string(data[4:8]) == "ftyp":
		return sniffFtyp(data)
	case bytes.HasPrefix(data, pdfMagic):
		return kindPDF
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return kindGIF
	case len(data) >= 14 && string(data[0:2]) == "BM" && binary.LittleEndian.Uint32(data[6:10]) == 0:
		return kindBMP
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		return kindTIFF
	case bytes.HasPrefix(data, []byte{0xFF, 0x0A}), bytes.HasPrefix(data, jxlMagic):
		return kindJXL
	case bytes.HasPrefix(data, []byte("8BPS")):
		return kindPSD
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return kindZIP
	}
	return sniffText(data)
}

// HEIF brands: the HEVC ones make a HEIC, the generic ones a HEIF (ISO/IEC 23008-12).
var (
	heicBrands = []string{"heic", "heix", "hevc", "heim", "heis", "hevm", "hevs"}
	heifBrands = []string{"mif1", "msf1"}
	avifBrands = []string{"avif", "avis"}
)

// sniffFtyp classifies an ISO BMFF file by the brands of its leading ftyp box: the major brand
// decides when it is known, then the compatible brands (HEVC before AVIF before generic HEIF,
// because AVIF files also list mif1).
func sniffFtyp(data []byte) kind {
	size := int(binary.BigEndian.Uint32(data[0:4]))
	if size == 0 || size > len(data) {
		size = len(data) // 0 means "to the end of the file"; a short file keeps what it has
	}
	size = min(size, 4096)
	major := string(data[8:12])
	var compatible []string
	for i := 16; i+4 <= size; i += 4 {
		compatible = append(compatible, string(data[i:i+4]))
	}
	anyOf := func(set []string) bool {
		for _, b := range compatible {
			if slices.Contains(set, b) {
				return true
			}
		}
		return false
	}
	switch {
	case slices.Contains(heicBrands, major):
		return kindHEIC
	case slices.Contains(avifBrands, major):
		return kindAVIF
	case anyOf(heicBrands):
		return kindHEIC
	case anyOf(avifBrands):
		return kindAVIF
	case slices.Contains(heifBrands, major), anyOf(heifBrands):
		return kindHEIF
	}
	return kindISOMedia
}

// sniffText recognises the text that people upload by mistake: markup, and images Base64-encoded
// once too often.
func sniffText(data []byte) kind {
	t := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")), " \t\r\n")
	switch {
	case bytes.HasPrefix(t, []byte("<")):
		return kindText
	case bytes.HasPrefix(t, []byte("data:")),
		bytes.HasPrefix(t, []byte("/9j/")),        // FF D8 FF: JPEG
		bytes.HasPrefix(t, []byte("iVBORw0KGgo")), // PNG signature
		bytes.HasPrefix(t, []byte("UklGR")),       // "RIFF": WebP
		bytes.HasPrefix(t, []byte("JVBERi0")):     // "%PDF-"
		return kindBase64
	}
	return kindUnknown
}
