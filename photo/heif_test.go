package photo

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// boxAt returns the offset and size of the first box of type typ in data[from:to] (32-bit
// sizes only, as in the fixture's ftyp and meta).
func boxAt(t *testing.T, data []byte, from, to int, typ string) (int, int) {
	t.Helper()
	for off := from; off+8 <= to; {
		size := int(binary.BigEndian.Uint32(data[off:]))
		if string(data[off+4:off+8]) == typ {
			return off, size
		}
		if size < 8 {
			break
		}
		off += size
	}
	t.Fatalf("no %s box", typ)
	return 0, 0
}

// padBeforeMeta inserts a free box of n bytes between the ftyp and meta boxes of a HEIF file
// and moves every file offset of its iloc box by n, so the file stays valid with its meta box
// n bytes further on.
func padBeforeMeta(t *testing.T, heif []byte, n int) []byte {
	t.Helper()
	data := bytes.Clone(heif)
	_, ftypSize := boxAt(t, data, 0, len(data), "ftyp")
	metaOff, metaSize := boxAt(t, data, ftypSize, len(data), "meta")
	ilocOff, _ := boxAt(t, data, metaOff+12, metaOff+metaSize, "iloc") // meta is a full box

	p := ilocOff + 8
	version := data[p]
	p += 4
	offSize, lenSize := int(data[p]>>4), int(data[p]&15)
	baseSize, idxSize := int(data[p+1]>>4), 0
	if version >= 1 {
		idxSize = int(data[p+1] & 15)
	}
	p += 2
	read := func(size int) uint64 {
		var v uint64
		for i := range size {
			v = v<<8 | uint64(data[p+i])
		}
		p += size
		return v
	}
	add := func(size int) { // adds n to the big-endian integer of size bytes at p
		v := read(size) + uint64(n)
		for i := range size {
			data[p-1-i] = byte(v >> (8 * i))
		}
	}
	idSize := 2
	if version == 2 {
		idSize = 4
	}
	items := int(read(idSize))
	for range items {
		read(idSize) // item ID
		method := 0
		if version >= 1 {
			method = int(read(2) & 15)
		}
		read(2) // data reference index
		shift := method == 0
		if shift && baseSize > 0 {
			add(baseSize)
			shift = false // extents are relative to the base offset
		} else {
			read(baseSize)
		}
		extents := int(read(2))
		for range extents {
			read(idxSize)
			if shift {
				add(offSize)
			} else {
				read(offSize)
			}
			read(lenSize)
		}
	}

	free := binary.BigEndian.AppendUint32(nil, uint32(n))
	free = append(free, "free"...)
	free = append(free, make([]byte, n-8)...)
	out := append(bytes.Clone(data[:metaOff]), free...)
	return append(out, data[metaOff:]...)
}

// TestInspectPhotoHEICMetadataAfter32KiB checks a HEIC whose meta box and Exif item lie after
// the first 32 KiB, which is all heic.DecodeConfig would give libheif.
func TestInspectPhotoHEICMetadataAfter32KiB(t *testing.T) {
	t.Parallel()
	data := padBeforeMeta(t, fixture(t, "iphone_13_pro_max.heic"), 40_000)
	got, err := NewInspector(0).InspectPhoto(data)
	if err != nil {
		t.Fatal(err)
	}
	if got.ContentType != "image/heic" || got.Width != 3024 || got.Height != 4032 || got.EXIF.Make != "Apple" {
		t.Errorf("got %s %dx%d make %q, want image/heic 3024x4032 make Apple",
			got.ContentType, got.Width, got.Height, got.EXIF.Make)
	}
}

func TestHEIFSize(t *testing.T) {
	mdat := isoBox("mdat", []byte("pixels"))
	fixtureW, fixtureH, err := heifSize(fixture(t, "iphone_13_pro_max.heic"))
	if err != nil || fixtureW != 4032 || fixtureH != 3024 {
		t.Errorf("fixture: heifSize = %d, %d, %v; want 4032, 3024 (before rotation)", fixtureW, fixtureH, err)
	}
	large := append(append([]byte("\x00\x00\x00\x01mdat"), binary.BigEndian.AppendUint64(nil, 20)...), "DATA"...)
	for _, tt := range []struct {
		name    string
		data    []byte
		w, h    int
		wantErr bool
	}{
		{name: "largest of several", data: heifWith(ispeBox(512, 512), isoBox("hvcC"), ispeBox(8064, 6048), ispeBox(320, 240)), w: 8064, h: 6048},
		{name: "meta after mdat", data: bytes.Join([][]byte{heifFtyp, large, heifWith(ispeBox(100, 50))[len(heifFtyp):]}, nil), w: 100, h: 50},
		{name: "bomb", data: heifWith(ispeBox(1<<31, 1<<31)), w: 1 << 30, h: 1 << 30},
		{name: "no ispe", data: heifWith(isoBox("hvcC")), wantErr: true},
		{name: "short ispe", data: heifWith(isoBox("ispe", []byte{0, 0, 0, 0})), wantErr: true},
		{name: "no meta", data: bytes.Join([][]byte{heifFtyp, mdat}, nil), wantErr: true},
		{name: "box too long", data: append(bytes.Clone(heifFtyp), "\x00\x00\xff\xffmeta"...), wantErr: true},
		{name: "ftyp only", data: heifFtyp, wantErr: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w, h, err := heifSize(tt.data)
			if tt.wantErr {
				if err == nil {
					t.Errorf("heifSize = %d, %d; want an error", w, h)
				}
				return
			}
			if err != nil || w != tt.w || h != tt.h {
				t.Errorf("heifSize = %d, %d, %v; want %d, %d", w, h, err, tt.w, tt.h)
			}
		})
	}
}
