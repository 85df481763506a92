package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/draw"

	"github.com/milepost/milepost/milepostest"
	"github.com/milepost/milepost/vin"
)

// The labelled evaluation set of verification (testdata/verification): genuine check-ins,
// replays of their photos (the same file, re-encoded, resized, cropped 5 %, brightened), stale
// and edited photos, rolled-back and implausible mileage. The cases are generated here from the
// real photos of ../shared/testdata/photos and from drawn scenes; the labelled manifest is
// testdata/verification/cases.json (go test -run TestVerificationEvalSet -update-evalset
// rewrites it, -evalset-images DIR also writes the pictures). The pictures are rendered at test
// time because their EXIF capture times must be fresh for the run.
var (
	updateEvalSet = flag.Bool("update-evalset", false, "rewrite testdata/verification/cases.json")
	evalSetImages = flag.String("evalset-images", "", "also write the evaluation set's pictures to this directory")
)

// evalPhoto is how one photo of a case is made.
type evalPhoto struct {
	Role string `json:"role"` // license, odometer, or a condition angle
	// Source is "scene:N" (a drawn scene), "real:FILE" (the file as it is), "real:FILE#tile=K"
	// (tile K of a 3×3 grid), "real:FILE#half=K" (left or right half), or "case:ID#I" (photo I
	// of an earlier case: a replay).
	Source string `json:"source"`
	// Transform is "", "reencode:Q", "resize:F", "crop:F" (F of each side in total) or
	// "bright:F"; with a case source and no transform the very same file is sent.
	Transform string `json:"transform,omitempty"`
	// Age is how long before the submission the photo was taken ("original" keeps the file's
	// own EXIF).
	Age      string `json:"age"`
	Software string `json:"software,omitempty"`
}

// evalCase is one labelled check-in.
type evalCase struct {
	ID      string      `json:"id"`
	Kind    string      `json:"kind"` // genuine, replay-*, stale, edited, rollback, implausible
	Type    string      `json:"type"` // mileage or condition
	User    int         `json:"user"`
	Vehicle int         `json:"vehicle"`
	Mileage int64       `json:"mileage,omitempty"`
	Photos  []evalPhoto `json:"photos"`
	// Expect is the right outcome: Confirmed, Declined, OnHold, or Refused (the API refuses it).
	Expect string `json:"expect"`
}

// evalCases builds the set. Every user is a different person with a different phone; a
// replayer re-sends a genuine user's photo from their own account.
func evalCases() []evalCase {
	var cs []evalCase
	user, vehicle := 0, 0
	newOwner := func() (int, int) { user++; vehicle++; return user, vehicle }
	scene := 1000
	nextScene := func() string { scene++; return "scene:" + strconv.Itoa(scene) }
	fresh := func(role, src string) evalPhoto { return evalPhoto{Role: role, Source: src, Age: "20m"} }
	var real []string
	for _, k := range []int{0, 2, 3, 5, 6, 8} { // the middle column is the out-of-focus background
		real = append(real, fmt.Sprintf("real:phone_jolla.jpg#tile=%d", k))
	}
	real = append(real, "real:malformed_memory_error.jpg#half=0", "real:malformed_memory_error.jpg#half=1")
	// Genuine mileage check-ins: 80, the first ones photographing real scenes.
	for i := range 80 {
		u, v := newOwner()
		odo := nextScene()
		if i < len(real) {
			odo = real[i]
		}
		cs = append(cs, evalCase{ID: fmt.Sprintf("genuine-%03d", i+1), Kind: "genuine", Type: "mileage", User: u, Vehicle: v,
			Mileage: int64(10_000 + 937*i), Photos: []evalPhoto{fresh("license", nextScene()), fresh("odometer", odo)}, Expect: "Confirmed"})
	}
	// Genuine condition check-ins: 20, four angles each.
	for i := range 20 {
		u, v := newOwner()
		c := evalCase{ID: fmt.Sprintf("genuine-condition-%03d", i+1), Kind: "genuine", Type: "condition", User: u, Vehicle: v, Expect: "Confirmed"}
		for _, angle := range []string{"Front", "Back", "DriverSide", "PassengerSide"} {
			c.Photos = append(c.Photos, fresh(angle, nextScene()))
		}
		cs = append(cs, c)
	}
	// Replays of genuine photos by other users: the same file, and edited copies. An edited
	// copy of a plate photo is declined; of an odometer photo, held for a reviewer (odometers of
	// one model look alike, docs/verification.md), except the very same file.
	transforms := []struct{ kind, t string }{
		{"replay-same-file", ""}, {"replay-reencoded", "reencode:60"}, {"replay-resized", "resize:0.8"},
		{"replay-cropped", "crop:0.05"}, {"replay-brightened", "bright:1.2"},
	}
	for k, tr := range transforms {
		for j := range 6 {
			src := cs[(k*6+j)*2%80] // a genuine mileage case
			u, v := newOwner()
			photos := []evalPhoto{fresh("license", nextScene()), {Role: "odometer", Source: "case:" + src.ID + "#1", Transform: tr.t, Age: "20m"}}
			expect := "OnHold"
			if j%2 == 1 { // the plate photo instead
				photos = []evalPhoto{{Role: "license", Source: "case:" + src.ID + "#0", Transform: tr.t, Age: "20m"}, fresh("odometer", nextScene())}
				expect = "Declined"
			}
			if tr.t == "" {
				expect = "Declined"
			}
			cs = append(cs, evalCase{ID: fmt.Sprintf("%s-%d", tr.kind, j+1), Kind: tr.kind, Type: "mileage", User: u, Vehicle: v,
				Mileage: 40_000, Photos: photos, Expect: expect})
		}
	}
	for j := range 4 {
		src := cs[80+j] // a genuine condition case
		u, v := newOwner()
		c := evalCase{ID: fmt.Sprintf("replay-condition-%d", j+1), Kind: "replay-condition", Type: "condition", User: u, Vehicle: v, Expect: "Declined"}
		for i, angle := range []string{"Front", "Back", "DriverSide", "PassengerSide"} {
			p := fresh(angle, nextScene())
			if i == j {
				p = evalPhoto{Role: angle, Source: "case:" + src.ID + "#" + strconv.Itoa(i), Transform: "reencode:70", Age: "20m"}
			}
			c.Photos = append(c.Photos, p)
		}
		cs = append(cs, c)
	}
	// Genuine repeat check-ins: the same vehicles' angles photographed again from about the same
	// spot a season later (shifted, other light). They look alike and may be held for a
	// reviewer, but must not be declined.
	for j := range 5 {
		g := cs[85+j]
		c := evalCase{ID: fmt.Sprintf("genuine-repeat-%d", j+1), Kind: "genuine-repeat", Type: "condition", User: g.User, Vehicle: g.Vehicle, Expect: "OnHold"}
		for i, angle := range []string{"Front", "Back", "DriverSide", "PassengerSide"} {
			c.Photos = append(c.Photos, evalPhoto{Role: angle, Source: "case:" + g.ID + "#" + strconv.Itoa(i), Transform: "reshoot:0.04", Age: "20m"})
		}
		cs = append(cs, c)
	}
	// Stale photos: taken ten days ago, or the 2008 camera photos as they are.
	for j := range 8 {
		u, v := newOwner()
		odo := evalPhoto{Role: "odometer", Source: nextScene(), Age: "240h"}
		if j >= 4 {
			odo = evalPhoto{Role: "odometer", Source: "real:" + []string{"gps_DSCN0010.jpg", "gps_DSCN0012.jpg", "gps_DSCN0021.jpg", "phone_jolla.jpg"}[j-4], Age: "original"}
		}
		cs = append(cs, evalCase{ID: fmt.Sprintf("stale-%d", j+1), Kind: "stale", Type: "mileage", User: u, Vehicle: v, Mileage: 30_000,
			Photos: []evalPhoto{fresh("license", nextScene()), odo}, Expect: "OnHold"})
	}
	// Edited photos: saved by an editor.
	for j, sw := range []string{"Adobe Photoshop 25.0 (Windows)", "GIMP 2.10.34", "Snapseed 2.0", "Adobe Lightroom 9.0 (iOS)", "PicsArt", "Canva"} {
		u, v := newOwner()
		odo := fresh("odometer", nextScene())
		odo.Software = sw
		cs = append(cs, evalCase{ID: fmt.Sprintf("edited-%d", j+1), Kind: "edited", Type: "mileage", User: u, Vehicle: v, Mileage: 30_000,
			Photos: []evalPhoto{fresh("license", nextScene()), odo}, Expect: "OnHold"})
	}
	// A second reading on genuine vehicles: lower (rolled back) or far too high in an hour.
	for j := range 5 {
		g := cs[60+j]
		cs = append(cs, evalCase{ID: fmt.Sprintf("rollback-%d", j+1), Kind: "rollback", Type: "mileage", User: g.User, Vehicle: g.Vehicle,
			Mileage: g.Mileage - 5_000, Photos: []evalPhoto{fresh("license", nextScene()), fresh("odometer", nextScene())}, Expect: "Refused"})
		h := cs[70+j]
		cs = append(cs, evalCase{ID: fmt.Sprintf("implausible-%d", j+1), Kind: "implausible", Type: "mileage", User: h.User, Vehicle: h.Vehicle,
			Mileage: h.Mileage + 9_000, Photos: []evalPhoto{fresh("license", nextScene()), fresh("odometer", nextScene())}, Expect: "OnHold"})
	}
	return cs
}

// evalRenderer makes the pictures of the cases, remembering each case's files for replays.
type evalRenderer struct {
	t     *testing.T
	now   time.Time
	real  map[string]image.Image
	files map[string][]byte // "caseID#i" → the bytes sent
}

func (r *evalRenderer) realImage(name string) image.Image {
	if img, ok := r.real[name]; ok {
		return img
	}
	img, err := jpeg.Decode(bytes.NewReader(milepostest.Photo(r.t, name)))
	if err != nil {
		r.t.Fatalf("decode %s: %v", name, err)
	}
	r.real[name] = img
	return img
}

// render returns the bytes of one photo and the capture time it claims.
func (r *evalRenderer) render(c evalCase, i int) ([]byte, time.Time) {
	p := c.Photos[i]
	taken := r.now
	if p.Age != "original" {
		d, err := time.ParseDuration(p.Age)
		if err != nil {
			r.t.Fatalf("%s: age %q", c.ID, p.Age)
		}
		taken = r.now.Add(-d)
	}
	exif := milepostest.PhotoOptions{TakenAt: taken, Offset: "+00:00", Make: "Apple", Model: "iPhone 14", Software: p.Software}
	kind, arg, _ := strings.Cut(p.Source, ":")
	var img image.Image
	switch kind {
	case "scene":
		n, _ := strconv.Atoi(arg)
		img = milepostest.Scene(n, 1024, 768)
	case "real":
		name, part, _ := strings.Cut(arg, "#")
		if part == "" {
			return milepostest.Photo(r.t, name), taken
		}
		full := r.realImage(name)
		b := full.Bounds()
		k, _ := strconv.Atoi(part[strings.Index(part, "=")+1:])
		var rect image.Rectangle
		if strings.HasPrefix(part, "tile=") {
			w, h := b.Dx()/3, b.Dy()/3
			rect = image.Rect(b.Min.X+k%3*w, b.Min.Y+k/3*h, b.Min.X+k%3*w+w, b.Min.Y+k/3*h+h)
		} else {
			w := b.Dx() / 2
			rect = image.Rect(b.Min.X+k*w, b.Min.Y, b.Min.X+k*w+w, b.Max.Y)
		}
		img = full.(interface {
			SubImage(image.Rectangle) image.Image
		}).SubImage(rect)
	case "case":
		orig, ok := r.files[arg]
		if !ok {
			r.t.Fatalf("%s: no earlier photo %s", c.ID, arg)
		}
		if p.Transform == "" {
			return orig, taken // the very same file, with its own capture time
		}
		dec, err := jpeg.Decode(bytes.NewReader(orig))
		if err != nil {
			r.t.Fatal(err)
		}
		img = transform(dec, p.Transform)
	}
	quality := 90
	if q, ok := strings.CutPrefix(p.Transform, "reencode:"); ok {
		quality, _ = strconv.Atoi(q)
	}
	return milepostest.EncodeJPEG(r.t, img, quality, exif), taken
}

// transform edits a decoded picture as a replayer would before re-sending it.
func transform(img image.Image, t string) image.Image {
	op, arg, _ := strings.Cut(t, ":")
	f, _ := strconv.ParseFloat(arg, 64)
	b := img.Bounds()
	switch op {
	case "resize":
		dst := image.NewRGBA(image.Rect(0, 0, int(float64(b.Dx())*f), int(float64(b.Dy())*f)))
		draw.CatmullRom.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
		return dst
	case "crop":
		dx, dy := int(float64(b.Dx())*f/2), int(float64(b.Dy())*f/2)
		r := image.Rect(b.Min.X+dx, b.Min.Y+dy, b.Max.X-dx, b.Max.Y-dy)
		dst := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
		draw.Draw(dst, dst.Bounds(), img, r.Min, draw.Src)
		return dst
	case "reshoot":
		// Taken again from a little to the side, in other light: shifted by f, dimmer, full size.
		dx, dy := int(float64(b.Dx())*f), int(float64(b.Dy())*f/2)
		src := image.Rect(b.Min.X+dx, b.Min.Y+dy, b.Max.X, b.Max.Y)
		dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
		draw.CatmullRom.Scale(dst, dst.Bounds(), img, src, draw.Src, nil)
		return transform(dst, "bright:0.85")
	case "bright":
		dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
		for y := range b.Dy() {
			for x := range b.Dx() {
				r, g, bl, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
				sc := func(v uint32) uint8 { return uint8(min(255, float64(v>>8)*f)) }
				dst.SetRGBA(x, y, color.RGBA{sc(r), sc(g), sc(bl), 255})
			}
		}
		return dst
	}
	return img // reencode: only the quality changes
}

// TestVerificationEvalSet runs the whole verification on the labelled set, over the API of a
// real server with its workers, and prints the confusion table. It fails if a replayed or stale
// case is Confirmed, or if more than 1 % of genuine cases are Declined.
func TestVerificationEvalSet(t *testing.T) {
	cases := evalCases()
	manifest, err := json.MarshalIndent(cases, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", "testdata", "verification", "cases.json")
	if *updateEvalSet {
		if err := os.WriteFile(path, append(manifest, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if committed, err := os.ReadFile(path); err != nil || !bytes.Equal(bytes.TrimSpace(committed), manifest) {
		t.Fatalf("%s is not the set this test builds (%v): run go test -run TestVerificationEvalSet -update-evalset ./cmd/milepost", path, err)
	}
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		a := startApp(t, s)
		c := legacy(a.partner())
		r := &evalRenderer{t: t, now: time.Now().UTC(), real: map[string]image.Image{}, files: map[string][]byte{}}
		users, vehicles := map[int]string{}, map[int]string{}
		paths := map[string]string{}
		outcome := map[string]string{}
		for _, ec := range cases {
			uid, ok := users[ec.User]
			if !ok {
				uid = a.user(c, fmt.Sprintf("+1555%07d", 3_000_000+ec.User))
				users[ec.User] = uid
				vehicles[ec.Vehicle] = a.vehicle(c, uid, hondaVIN(t, ec.Vehicle), "Honda", 2003, fmt.Sprintf("EV%05d", ec.Vehicle))
			}
			vid := vehicles[ec.Vehicle]
			urls := make([]string, len(ec.Photos))
			for i := range ec.Photos {
				data, taken := r.render(ec, i)
				r.files[ec.ID+"#"+strconv.Itoa(i)] = data
				if *evalSetImages != "" {
					_ = os.MkdirAll(*evalSetImages, 0o755)
					_ = os.WriteFile(filepath.Join(*evalSetImages, fmt.Sprintf("%s-%d-%s.jpg", ec.ID, i, ec.Photos[i].Role)), data, 0o644)
				}
				body := photoBody(uid, data)
				body["takenOn"] = taken.Format("2006-01-02T15:04:05.000Z")
				urls[i] = a.expect(a.do("POST", "/api/photo/upload", c, body), 200, "").obj(t)["photoUrl"].(string)
			}
			var res response
			if ec.Type == "mileage" {
				res = a.do("POST", "/api/vehicles/checkin/mileage", c, mileageBody(vid, fmt.Sprintf("EV%05d", ec.Vehicle), int(ec.Mileage), urls[0], urls[1]))
			} else {
				ps := make([]map[string]any, len(urls))
				for i, u := range urls {
					ps[i] = map[string]any{"url": u, "type": ec.Photos[i].Role}
				}
				res = a.do("POST", "/api/vehicles/checkin/condition", c, map[string]any{"vehicleId": vid, "photos": ps})
			}
			switch res.status {
			case 200:
				id := res.obj(t)["id"].(string)
				paths[ec.ID] = "/api/vehicles/checkin/" + ec.Type + "/" + id
				// Decided before the next case, so replays find the photos they copy in use.
				outcome[ec.ID] = a.waitDecided(c, paths[ec.ID])
				if outcome[ec.ID] != ec.Expect {
					note := a.expect(a.do("GET", paths[ec.ID], c, nil), 200, "").obj(t)["adminNote"]
					t.Logf("%s (%s): %s, expected %s: %v", ec.ID, ec.Kind, outcome[ec.ID], ec.Expect, note)
				}
			case 409:
				outcome[ec.ID] = "Refused"
			default:
				t.Fatalf("%s: %d %s", ec.ID, res.status, res.body)
			}
		}
		table, failures := confusion(cases, outcome)
		t.Logf("verification on the evaluation set (%s):\n%s", s.Name, table)
		for _, f := range failures {
			t.Error(f)
		}
	})
}

// hondaVIN is a valid VIN of a 2003 Honda Accord with serial number n.
func hondaVIN(t testing.TB, n int) string {
	v := fmt.Sprintf("1HGCM82603A%06d", n)
	d, ok := vin.CheckDigit(v)
	if !ok {
		t.Fatalf("no check digit for %s", v)
	}
	return v[:8] + string(d) + v[9:]
}

// waitDecided polls a check-in until verification has moved it out of Pending.
func (a *testApp) waitDecided(c creds, path string) string {
	a.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		st := a.expect(a.do("GET", path, c, nil), 200, "").obj(a.t)["checkInStatus"].(string)
		if st != "Pending" {
			return st
		}
		if time.Now().After(deadline) {
			a.t.Fatalf("%s stayed Pending", path)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// confusion tabulates outcomes by kind and lists the set's failures: a replayed or stale case
// Confirmed, or more than 1 % of genuine cases Declined.
func confusion(cases []evalCase, outcome map[string]string) (string, []string) {
	cols := []string{"Confirmed", "OnHold", "Declined", "Refused"}
	counts := map[string]map[string]int{}
	var kinds []string
	var failures []string
	genuine, genuineDeclined := 0, 0
	for _, c := range cases {
		if counts[c.Kind] == nil {
			counts[c.Kind] = map[string]int{}
			kinds = append(kinds, c.Kind)
		}
		got := outcome[c.ID]
		counts[c.Kind][got]++
		if (strings.HasPrefix(c.Kind, "replay") || c.Kind == "stale") && got == "Confirmed" {
			failures = append(failures, fmt.Sprintf("%s (%s) was Confirmed", c.ID, c.Kind))
		}
		if strings.HasPrefix(c.Kind, "genuine") {
			genuine++
			if got == "Declined" {
				genuineDeclined++
			}
		}
	}
	if genuineDeclined*100 > genuine {
		failures = append(failures, fmt.Sprintf("%d of %d genuine cases were Declined (more than 1 %%)", genuineDeclined, genuine))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-20s %9s %9s %9s %9s %9s\n", "kind", "cases", cols[0], cols[1], cols[2], cols[3])
	for _, k := range kinds {
		n := 0
		for _, col := range cols {
			n += counts[k][col]
		}
		fmt.Fprintf(&b, "%-20s %9d %9d %9d %9d %9d\n", k, n, counts[k][cols[0]], counts[k][cols[1]], counts[k][cols[2]], counts[k][cols[3]])
	}
	return b.String(), failures
}
