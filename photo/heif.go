package photo

import (
	"encoding/binary"
	"errors"
)

// heifSize returns the largest picture size declared in a HEIF file: the biggest ispe (image
// spatial extents) property of meta/iprp/ipco, which for a phone photo is the primary grid
// image, larger than its tiles, thumbnail and depth map. Every HEIF image item must have one.
//
// heic.DecodeConfig is not used for this: in WebAssembly mode it hands libheif only the first
// 32 KiB of the file, and libheif also reads the Exif and XMP items while parsing, so a valid
// photo whose metadata items lie further on (a bigger thumbnail, longer XMP, more tiles) would
// be refused as corrupt. The rotation of the container does not change the pixel count.
func heifSize(data []byte) (w, h int, err error) {
	meta := findBox(data, "meta")
	if len(meta) < 4 {
		return 0, 0, errors.New("no meta box")
	}
	ipco := findBox(findBox(meta[4:], "iprp"), "ipco") // meta is a full box: version and flags first
	var best int64 = -1
	eachBox(ipco, func(typ string, body []byte) bool {
		if typ == "ispe" && len(body) >= 12 {
			bw := binary.BigEndian.Uint32(body[4:8]) // after version and flags
			bh := binary.BigEndian.Uint32(body[8:12])
			if area := int64(bw) * int64(bh); area > best {
				best, w, h = area, int(min(bw, 1<<30)), int(min(bh, 1<<30))
			}
		}
		return true
	})
	if best < 0 {
		return 0, 0, errors.New("no ispe property")
	}
	return w, h, nil
}

// findBox returns the body of the first box of type typ among the boxes of data, or nil.
func findBox(data []byte, typ string) []byte {
	var found []byte
	eachBox(data, func(t string, body []byte) bool {
		if t == typ {
			found = body
			return false
		}
		return true
	})
	return found
}

// maxBoxes bounds the boxes walked at one level: a phone photo's ipco has a few hundred.
const maxBoxes = 10_000

// eachBox calls fn with the type and body of each ISO BMFF box in data, in order, until fn
// returns false or a box is malformed. A box of size 0 runs to the end of data; size 1 means
// a 64-bit size follows the type.
func eachBox(data []byte, fn func(typ string, body []byte) bool) {
	for off, n := 0, 0; off+8 <= len(data) && n < maxBoxes; n++ {
		size, header := uint64(binary.BigEndian.Uint32(data[off:])), uint64(8)
		switch size {
		case 0:
			size = uint64(len(data) - off)
		case 1:
			if off+16 > len(data) {
				return
			}
			size, header = binary.BigEndian.Uint64(data[off+8:]), 16
		}
		if size < header || size > uint64(len(data)-off) {
			return
		}
		if !fn(string(data[off+4:off+8]), data[off+int(header):off+int(size)]) {
			return
		}
		off += int(size)
	}
}
