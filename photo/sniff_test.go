package photo

import "testing"

func TestSniff(t *testing.T) {
	ftyp := func(major string, compatible ...string) []byte {
		b := []byte{0, 0, 0, byte(16 + 4*len(compatible))}
		b = append(b, "ftyp"+major+"\x00\x00\x00\x00"...)
		for _, c := range compatible {
			b = append(b, c...)
		}
		return append(b, "\x00\x00\x00\x08mdat"...)
	}
	for _, tt := range []struct {
		name string
		data []byte
		want kind
	}{
		{"jpeg", []byte{0xFF, 0xD8, 0xFF, 0xE0}, kindJPEG},
		{"jpeg magic too short", []byte{0xFF, 0xD8}, kindUnknown},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"), kindPNG},
		{"webp", []byte("RIFF\x10\x00\x00\x00WEBPVP8 "), kindWebP},
		{"riff avi", []byte("RIFF\x10\x00\x00\x00AVI LIST"), kindUnknown},
		{"heic major", ftyp("heic", "mif1", "heic"), kindHEIC},
		{"heix major", ftyp("heix", "mif1"), kindHEIC},
		{"mif1 major, heic compatible", ftyp("mif1", "mif1", "heic"), kindHEIC},
		{"msf1 major, hevc compatible", ftyp("msf1", "msf1", "hevc"), kindHEIC},
		{"heim compatible", ftyp("mif1", "heim"), kindHEIC},
		{"heis compatible", ftyp("mif1", "heis"), kindHEIC},
		{"hevm compatible", ftyp("msf1", "hevm"), kindHEIC},
		{"hevs compatible", ftyp("msf1", "hevs"), kindHEIC},
		{"mif1 only", ftyp("mif1", "mif1", "miaf"), kindHEIF},
		{"msf1 only", ftyp("msf1"), kindHEIF},
		{"avif", ftyp("avif", "mif1", "miaf", "MA1B"), kindAVIF},
		{"avis", ftyp("avis", "msf1"), kindAVIF},
		{"mif1 major, avif compatible", ftyp("mif1", "avif", "mif1"), kindAVIF},
		{"heic beats avif", ftyp("mif1", "avif", "heic"), kindHEIC},
		{"mp4", ftyp("isom", "isom", "iso2", "mp41"), kindISOMedia},
		{"quicktime", ftyp("qt  ", "qt  "), kindISOMedia},
		{"ftyp size past the end", []byte("\x00\x00\xff\xffftypmif1\x00\x00\x00\x00heic"), kindHEIC},
		{"ftyp size 0", []byte("\x00\x00\x00\x00ftypmif1\x00\x00\x00\x00avif"), kindAVIF},
		{"ftyp without brands", []byte("\x00\x00\x00\x0cftypheic"), kindHEIC},
		{"pdf", []byte("%PDF-1.7\n"), kindPDF},
		{"gif87a", []byte("GIF87a\x01\x00"), kindGIF},
		{"gif89a", []byte("GIF89a\x01\x00"), kindGIF},
		{"bmp", []byte("BM\x46\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00"), kindBMP},
		{"text starting with BM", []byte("BMW 320d, 2019 model year"), kindUnknown},
		{"tiff little-endian", []byte("II*\x00\x08\x00\x00\x00"), kindTIFF},
		{"tiff big-endian", []byte("MM\x00*\x00\x00\x00\x08"), kindTIFF},
		{"jpeg xl codestream", []byte{0xFF, 0x0A, 0x00}, kindJXL},
		{"jpeg xl container", []byte("\x00\x00\x00\x0cJXL \r\n\x87\n\x00"), kindJXL},
		{"psd", []byte("8BPS\x00\x01"), kindPSD},
		{"zip", []byte("PK\x03\x04\x14\x00"), kindZIP},
		{"svg", []byte("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), kindText},
		{"html after a BOM and spaces", []byte("\xEF\xBB\xBF  \n<!DOCTYPE html>"), kindText},
		{"base64 jpeg", []byte("/9j/4AAQSkZJRgABAQ"), kindBase64},
		{"base64 png", []byte("iVBORw0KGgoAAAANSUhEUg"), kindBase64},
		{"base64 webp", []byte("UklGRiQAAABXRUJQ"), kindBase64},
		{"base64 pdf", []byte("JVBERi0xLjcK"), kindBase64},
		{"data url", []byte("data:image/heic;base64,AAAA"), kindBase64},
		{"empty", nil, kindUnknown},
		{"plain text", []byte("hello"), kindUnknown},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := sniff(tt.data); got != tt.want {
				t.Errorf("sniff = %s, want %s", got.describe(), tt.want.describe())
			}
		})
	}
}

func TestKindContentTypes(t *testing.T) {
	for k, want := range map[kind]string{
		kindJPEG: "image/jpeg", kindPNG: "image/png", kindWebP: "image/webp", kindHEIC: "image/heic",
		kindHEIF: "image/heif", kindPDF: "application/pdf", kindGIF: "", kindUnknown: "",
	} {
		if got := k.contentType(); got != want {
			t.Errorf("%s: contentType = %q, want %q", k.describe(), got, want)
		}
	}
}
