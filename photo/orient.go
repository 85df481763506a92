package photo

import "image"

// orient returns g turned upright as EXIF orientation o (1 to 8) says; any other o leaves it
// as it is. The result does not share g's pixels unless o is 1.
func orient(g *image.Gray, o int) *image.Gray {
	if o < 2 || o > 8 {
		return g
	}
	w, h := g.Rect.Dx(), g.Rect.Dy()
	ow, oh := w, h
	if o >= 5 { // the transposing orientations swap the sides
		ow, oh = h, w
	}
	out := image.NewGray(image.Rect(0, 0, ow, oh))
	pix := g.Pix[g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y):]
	for y := range oh {
		row := out.Pix[y*out.Stride : y*out.Stride+ow]
		for x := range row {
			// (sx, sy) is the stored pixel shown at (x, y) of the upright picture.
			var sx, sy int
			switch o {
			case 2: // mirrored left to right
				sx, sy = w-1-x, y
			case 3: // turned 180°
				sx, sy = w-1-x, h-1-y
			case 4: // mirrored top to bottom
				sx, sy = x, h-1-y
			case 5: // transposed
				sx, sy = y, x
			case 6: // to be turned 90° clockwise
				sx, sy = y, h-1-x
			case 7: // transversed
				sx, sy = w-1-y, h-1-x
			case 8: // to be turned 90° counter-clockwise
				sx, sy = w-1-y, x
			}
			row[x] = pix[sy*g.Stride+sx]
		}
	}
	return out
}

// orientRegion maps a region of a w×h picture as stored to the same region of the picture
// turned upright by orient(·, o).
func orientRegion(r region, w, h int, o int) region {
	fw, fh := float64(w), float64(h)
	switch o {
	case 2:
		return region{fw - r.x1, r.y0, fw - r.x0, r.y1}
	case 3:
		return region{fw - r.x1, fh - r.y1, fw - r.x0, fh - r.y0}
	case 4:
		return region{r.x0, fh - r.y1, r.x1, fh - r.y0}
	case 5:
		return region{r.y0, r.x0, r.y1, r.x1}
	case 6:
		return region{fh - r.y1, r.x0, fh - r.y0, r.x1}
	case 7:
		return region{fh - r.y1, fw - r.x1, fh - r.y0, fw - r.x0}
	case 8:
		return region{r.y0, fw - r.x1, r.y1, fw - r.x0}
	}
	return r
}
