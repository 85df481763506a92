// Command calibrate measures the photo analysis of package photo on the real photos of the
// shared test data and on variants of them (blurred, darkened, re-encoded, resized, cropped,
// photographed off a simulated screen), and on synthetic scenes, and prints the tables of
// docs/photo-analysis.md in Markdown. It is how the default thresholds were chosen; run it
// again after changing a metric:
//
//	go run ./photo/internal/calibrate -photos ../shared/testdata/photos > /tmp/calibration.md
//
// It takes a few minutes: blurring 12-megapixel photos and simulating screens is slow.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gen2brain/heic"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/photo"
)

// realPhotos are the decodable photos of the shared test data.
var realPhotos = []string{
	"gps_DSCN0010.jpg", "gps_DSCN0012.jpg", "gps_DSCN0021.jpg", "phone_jolla.jpg", "edited_photoshop.jpg",
	"orientation_portrait_6.jpg", "invalid_image00971.jpg", "malformed_memory_error.jpg", "iphone_13_pro_max.heic",
}

type source struct {
	name string
	data []byte      // the file as stored
	img  *image.RGBA // decoded as stored (JPEG orientation not applied)
}

func main() {
	dir := flag.String("photos", "../shared/testdata/photos", "folder of the real photos")
	only := flag.String("only", "", "comma-separated sections to run: sharpness, exposure, moire, hashes (default all)")
	flag.Parse()
	log.SetFlags(0)

	var srcs []source
	for _, name := range realPhotos {
		data, err := os.ReadFile(filepath.Join(*dir, name))
		if err != nil {
			log.Fatal(err)
		}
		var img image.Image
		if strings.HasSuffix(name, ".heic") {
			img, err = heic.Decode(bytes.NewReader(data))
		} else {
			img, err = jpeg.Decode(bytes.NewReader(data))
		}
		if err != nil {
			log.Fatalf("%s: %v", name, err)
		}
		srcs = append(srcs, source{name, data, toRGBA(img)})
	}
	c := calibration{in: photo.NewInspector(0)}
	for _, s := range []struct {
		name string
		run  func([]source)
	}{
		{"sharpness", c.sharpness}, {"exposure", c.exposure}, {"moire", c.moire}, {"hashes", c.hashes},
	} {
		if *only == "" || slices.Contains(strings.Split(*only, ","), s.name) {
			log.Printf("running %s", s.name)
			s.run(srcs)
		}
	}
}

type calibration struct {
	in *photo.Inspector
}

// analyse inspects the bytes of a picture as an upload.
func (c calibration) analyse(data []byte) *milepost.PhotoAnalysis {
	m, err := c.in.InspectPhoto(data)
	if err != nil {
		log.Fatal(err)
	}
	return m.Analysis
}

// table prints a Markdown table.
func table(head []string, rows [][]string) {
	fmt.Println("| " + strings.Join(head, " | ") + " |")
	fmt.Println("|" + strings.Repeat("---|", len(head)))
	for _, r := range rows {
		fmt.Println("| " + strings.Join(r, " | ") + " |")
	}
	fmt.Println()
}

func f2(v float64) string { return fmt.Sprintf("%.2f", v) }
func f3(v float64) string { return fmt.Sprintf("%.3f", v) }

func short(name string) string {
	return strings.TrimSuffix(strings.TrimSuffix(name, ".jpg"), ".heic")
}

// workShift is the power of two sharpness is measured at, as photo's workReduce chooses it.
func workShift(w, h int) int {
	r := 0
	for r < 3 && max(w, h)>>(r+1) >= 800 {
		r++
	}
	return r
}

func workScale(w, h int) string { return fmt.Sprintf("1/%d", 1<<workShift(w, h)) }
