package photo

import (
	"github.com/milepost/milepost/milepostest"
	"strings"
	"testing"

	"github.com/milepost/milepost"
)

// EXIF tags used by the generated files.
const (
	tagMake         = 0x010F
	tagModel        = 0x0110
	tagOrientation  = 0x0112
	tagSoftware     = 0x0131
	tagDateOriginal = 0x9003
	tagOffsetOrig   = 0x9011
	tagGPSLatRef    = 0x0001
	tagGPSLat       = 0x0002
	tagGPSLonRef    = 0x0003
	tagGPSLon       = 0x0004
)

func TestInspectPhotoEXIFRules(t *testing.T) {
	base := encodeJPEG(t, testImage(24, 16), 85)
	// 52°22'12.00"N 4°53'42.60"E (Amsterdam).
	gps := func(latRef, lonRef string) []milepostest.TIFFEntry {
		return []milepostest.TIFFEntry{milepostest.ASCIIEntry(tagGPSLatRef, latRef), milepostest.DMSEntry(tagGPSLat, 52, 22, 1200),
			milepostest.ASCIIEntry(tagGPSLonRef, lonRef), milepostest.DMSEntry(tagGPSLon, 4, 53, 4260)}
	}
	const lat, lon = 52.37, 4.895167
	tests := []struct {
		name                string
		ifd0, exifIFD, gpsI []milepostest.TIFFEntry
		want                milepost.EXIF
	}{
		{
			name: "everything, with zone",
			ifd0: []milepostest.TIFFEntry{milepostest.ASCIIEntry(tagMake, "  Canon\x00\x00"), milepostest.ASCIIEntry(tagModel, "EOS R5   "),
				milepostest.ASCIIEntry(tagSoftware, "Adobe Photoshop 25.0"), milepostest.ShortEntry(tagOrientation, 6)},
			exifIFD: []milepostest.TIFFEntry{milepostest.ASCIIEntry(tagDateOriginal, "2024:05:06 07:08:09"), milepostest.ASCIIEntry(tagOffsetOrig, "+02:00")},
			gpsI:    gps("N", "E"),
			want: milepost.EXIF{TakenAt: date("2024-05-06T07:08:09+02:00"), TakenAtHasZone: true,
				Latitude: ptr(lat), Longitude: ptr(lon), Make: "Canon", Model: "EOS R5",
				Software: "Adobe Photoshop 25.0", Orientation: 6},
		},
		{
			name:    "no offset: local time read as UTC, no zone",
			exifIFD: []milepostest.TIFFEntry{milepostest.ASCIIEntry(tagDateOriginal, "2024:05:06 07:08:09")},
			want:    milepost.EXIF{TakenAt: date("2024-05-06T07:08:09Z")},
		},
		{
			name:    "offset +00:00 is a zone",
			exifIFD: []milepostest.TIFFEntry{milepostest.ASCIIEntry(tagDateOriginal, "2024:05:06 07:08:09"), milepostest.ASCIIEntry(tagOffsetOrig, "+00:00")},
			want:    milepost.EXIF{TakenAt: date("2024-05-06T07:08:09Z"), TakenAtHasZone: true},
		},
		{
			name:    "negative offset",
			exifIFD: []milepostest.TIFFEntry{milepostest.ASCIIEntry(tagDateOriginal, "2024:12:31 23:30:00"), milepostest.ASCIIEntry(tagOffsetOrig, "-05:00")},
			want:    milepost.EXIF{TakenAt: date("2024-12-31T23:30:00-05:00"), TakenAtHasZone: true},
		},
		{
			name:    "unreadable offset: no zone",
			exifIFD: []milepostest.TIFFEntry{milepostest.ASCIIEntry(tagDateOriginal, "2024:05:06 07:08:09"), milepostest.ASCIIEntry(tagOffsetOrig, "?02:00")},
			want:    milepost.EXIF{TakenAt: date("2024-05-06T07:08:09Z")},
		},
		{
			name:    "offset beyond 14 hours: wall clock, no zone",
			exifIFD: []milepostest.TIFFEntry{milepostest.ASCIIEntry(tagDateOriginal, "2024:05:06 07:08:09"), milepostest.ASCIIEntry(tagOffsetOrig, "+99:00")},
			want:    milepost.EXIF{TakenAt: date("2024-05-06T07:08:09Z")},
		},
		{
			name:    "zero date is absent",
			exifIFD: []milepostest.TIFFEntry{milepostest.ASCIIEntry(tagDateOriginal, "0000:00:00 00:00:00")},
		},
		{
			name:    "blank date is absent",
			exifIFD: []milepostest.TIFFEntry{milepostest.ASCIIEntry(tagDateOriginal, "    :  :     :  :  ")},
		},
		{
			name: "south and west",
			gpsI: gps("S", "W"),
			want: milepost.EXIF{Latitude: ptr(-lat), Longitude: ptr(-lon)},
		},
		{
			name: "gps 0,0 is absent",
			gpsI: []milepostest.TIFFEntry{milepostest.ASCIIEntry(tagGPSLatRef, "N"), milepostest.DMSEntry(tagGPSLat, 0, 0, 0),
				milepostest.ASCIIEntry(tagGPSLonRef, "E"), milepostest.DMSEntry(tagGPSLon, 0, 0, 0)},
		},
		{
			name: "latitude off Earth is absent",
			gpsI: []milepostest.TIFFEntry{milepostest.ASCIIEntry(tagGPSLatRef, "N"), milepostest.DMSEntry(tagGPSLat, 95, 0, 0),
				milepostest.ASCIIEntry(tagGPSLonRef, "E"), milepostest.DMSEntry(tagGPSLon, 4, 0, 0)},
		},
		{name: "orientation 9 is absent", ifd0: []milepostest.TIFFEntry{milepostest.ShortEntry(tagOrientation, 9)}},
		{name: "orientation 8", ifd0: []milepostest.TIFFEntry{milepostest.ShortEntry(tagOrientation, 8)}, want: milepost.EXIF{Orientation: 8}},
		{
			name: "control characters and long strings",
			ifd0: []milepostest.TIFFEntry{milepostest.ASCIIEntry(tagMake, "Nik\x07on\x00junk after the terminator"),
				milepostest.ASCIIEntry(tagModel, strings.Repeat("é", 200))},
			want: milepost.EXIF{Make: "Nikon", Model: strings.Repeat("é", 127)},
		},
	}
	in := NewInspector(0)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := in.InspectPhoto(milepostest.WithEXIF(t, base, tt.ifd0, tt.exifIFD, tt.gpsI))
			if err != nil {
				t.Fatal(err)
			}
			assertMedia(t, got, milepost.Media{ContentType: "image/jpeg", Width: 24, Height: 16, EXIF: tt.want})
		})
	}
}

func TestCleanText(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"\x00\x00", ""},
		{"  Apple \x00\x00\x00", "Apple"},
		{"\x00Apple", "Apple"},
		{"Apple\x00iPhone", "Apple"},
		{"bad \xff\xfe utf8", "bad  utf8"},
		{"tab\tnew\nline", "tabnewline"},
		{strings.Repeat("a", 300), strings.Repeat("a", 255)},
		{strings.Repeat("a", 254) + "é", strings.Repeat("a", 254)},
	} {
		if got := cleanText(tt.in); got != tt.want {
			t.Errorf("cleanText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestReadEXIFOfNonsense(t *testing.T) {
	for _, data := range [][]byte{nil, {0xFF, 0xD8, 0xFF}, []byte("\xFF\xD8\xFF\xE1\x00\x10Exif\x00\x00MM\x00\x2a\xFF\xFF\xFF\xFF")} {
		if got := readEXIF(data); got != (milepost.EXIF{}) {
			t.Errorf("readEXIF(%q) = %+v, want empty", data, got)
		}
	}
}
