package main

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gomonobold"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/milepost/milepost/damage"
	"github.com/milepost/milepost/milepostest"
)

// signalsOf returns the latest verification signals of a check-in from the review API.
func (a *testApp) signalsOf(c creds, checkinID string) []map[string]any {
	a.t.Helper()
	detail := a.expect(a.do("GET", "/api/admin/checkins/"+checkinID, c, nil), 200, "").obj(a.t)
	var out []map[string]any
	for _, s := range detail["signals"].([]any) {
		out = append(out, s.(map[string]any))
	}
	return out
}

// findSignal returns the first signal with that name and verdict, or nil.
func findSignal(signals []map[string]any, name, verdict string) map[string]any {
	for _, s := range signals {
		if s["name"] == name && s["verdict"] == verdict {
			return s
		}
	}
	return nil
}

// TestReplayedPhotos submits photos already used in other check-ins: by another partner's user
// (the same file), and by the same user; a photo kept through the change flow is not a replay.
func TestReplayedPhotos(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		a := startApp(t, s)
		ca, cb := legacy(a.partner()), legacy(a.partner())
		ua := a.user(ca, "+15559700001")
		va := a.vehicle(ca, ua, "1HGCM82633A004352", "Honda", 2003, "ABC123")
		odometer := milepostest.PhotoJPEG(t, milepostest.PhotoOptions{TakenAt: time.Now(), Offset: "+00:00", Make: "Apple", Model: "iPhone 15", Seed: 501})
		first := a.expect(a.do("POST", "/api/vehicles/checkin/mileage", ca, mileageBody(va, "ABC123", 1000, a.freshPhoto(ca, ua, 500), a.upload(ca, ua, odometer))), 200, "").obj(t)
		a.waitStatus(ca, "/api/vehicles/checkin/mileage/"+first["id"].(string), "Confirmed")

		// Another partner's user uploads the very same odometer file.
		ub := a.user(cb, "+15559700002")
		vb := a.vehicle(cb, ub, "1M8GDM9AXKP042788", "Motor Coach", 1989, "XYZ789")
		replayed := a.expect(a.do("POST", "/api/vehicles/checkin/mileage", cb, mileageBody(vb, "XYZ789", 2000, a.freshPhoto(cb, ub, 502), a.upload(cb, ub, odometer))), 200, "").obj(t)
		path := "/api/vehicles/checkin/mileage/" + replayed["id"].(string)
		got := a.waitStatus(cb, path, "Declined")
		if got["fraud"] != true || got["adminNote"] != "The odometer photo was already used in another check-in." {
			t.Fatalf("replayed check-in %v", got)
		}
		sig := findSignal(a.signalsOf(cb, replayed["id"].(string)), "replayed_photo", "decline")
		if sig == nil || sig["value"] != "exact checkin="+first["id"].(string) || !strings.Contains(sig["reason"].(string), first["id"].(string)) ||
			sig["fraud"] != true || !strings.Contains(sig["photoUrl"].(string), "/api/photos/") {
			t.Fatalf("replay signal %v", sig)
		}

		// The change flow keeps the odometer photo and replaces a stale plate photo: the kept
		// photo is this check-in's own, not a replay.
		stale := a.upload(ca, ua, milepostest.Photo(t, "gps_DSCN0021.jpg"))
		own := a.expect(a.do("POST", "/api/vehicles/checkin/mileage", ca, mileageBody(va, "ABC123", 1010, stale, a.freshPhoto(ca, ua, 503))), 200, "").obj(t)
		path = "/api/vehicles/checkin/mileage/" + own["id"].(string)
		a.waitStatus(ca, path, "OnHold")
		a.expect(a.do("PUT", path, ca, mileageBody("", "ABC123", 1010, a.freshPhoto(ca, ua, 504), "")), 200, "")
		a.waitStatus(ca, path, "Confirmed")
		if sig := findSignal(a.signalsOf(ca, own["id"].(string)), "replayed_photo", "pass"); sig == nil {
			t.Fatal("no replay check recorded on the change-flow run")
		}
		// …but the stale photo, used in that check-in, cannot be used again by the same user.
		again := a.expect(a.do("POST", "/api/vehicles/checkin/mileage", ca, mileageBody(va, "ABC123", 1020, a.freshPhoto(ca, ua, 505), stale)), 200, "").obj(t)
		a.waitStatus(ca, "/api/vehicles/checkin/mileage/"+again["id"].(string), "Declined")
	})
}

// TestTamperSignals sends an edited photo and photos from a phone shared by many accounts.
func TestTamperSignals(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		a := startApp(t, s)
		c := legacy(a.partner())
		uid := a.user(c, "+15559800001")
		vid := a.vehicle(c, uid, "1HGCM82633A004352", "Honda", 2003, "ABC123")
		edited := milepostest.PhotoJPEG(t, milepostest.PhotoOptions{TakenAt: time.Now(), Offset: "+00:00", Make: "Apple", Model: "iPhone 15", Seed: 601,
			Software: "Adobe Photoshop 25.0 (Windows)"})
		r := a.expect(a.do("POST", "/api/vehicles/checkin/mileage", c, mileageBody(vid, "ABC123", 100, a.freshPhoto(c, uid, 600), a.upload(c, uid, edited))), 200, "").obj(t)
		held := a.waitStatus(c, "/api/vehicles/checkin/mileage/"+r["id"].(string), "OnHold")
		if held["fraud"] != true || held["adminNote"] != "The odometer photo was edited; please take a new photo with the camera app." {
			t.Fatalf("edited photo: %v", held)
		}

		// One phone behind five accounts at five partners: the fifth account's check-in is held.
		var body map[string]any
		var last creds
		for i := range 5 {
			c := legacy(a.partner())
			last = c
			u := a.user(c, "+1555980010"+string(rune('0'+i)))
			v := a.vehicle(c, u, "1HGCM82633A004352", "Honda", 2003, "")
			photo := func(seed int) string {
				b := photoBody(u, milepostest.PhotoJPEG(t, milepostest.PhotoOptions{TakenAt: time.Now(), Offset: "+00:00", Make: "Apple", Model: "iPhone 15", Seed: seed}))
				b["deviceIdentifier"] = "farm-phone"
				return a.expect(a.do("POST", "/api/photo/upload", c, b), 200, "").obj(t)["photoUrl"].(string)
			}
			body = mileageBody(v, "", 100, photo(610+2*i), photo(611+2*i))
			body["licensePlate"] = "FARM" + string(rune('0'+i))
			r = a.expect(a.do("POST", "/api/vehicles/checkin/mileage", c, body), 200, "").obj(t)
		}
		held = a.waitStatus(last, "/api/vehicles/checkin/mileage/"+r["id"].(string), "OnHold")
		sig := findSignal(a.signalsOf(last, r["id"].(string)), "shared_device", "hold")
		if held["fraud"] != true || sig == nil || sig["value"] != "farm-phone users=5" {
			t.Fatalf("shared device: %v %v", held, sig)
		}
	})
}

// TestProofOfAddressDocuments sends utility bills as PDFs: one in the user's name at the
// check-in's address is confirmed and fills the insights; one addressed to someone else, or
// older than 90 days, is held with a note saying why.
func TestProofOfAddressDocuments(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		a := startApp(t, s)
		c := legacy(a.partner())
		uid := a.user(c, "+15559900001") // Ann Lee
		bill := func(name string, date time.Time) string {
			pdf := textPDF("CITY OF AUSTIN UTILITIES", "Statement Date: "+date.Format("01/02/2006"), "Account Number: 1234-5678", "",
				name, "1 MAIN ST APT 4B", "AUSTIN, TX 73301", "", "Amount Due: $123.45")
			return a.expect(a.do("POST", "/api/file/upload", c, map[string]any{"userId": uid, "name": "bill.pdf", "file": pdfBase64(pdf)}), 200, "").obj(t)["fileUrl"].(string)
		}
		checkin := func(doc string) string {
			r := a.expect(a.do("POST", "/api/users/checkin/proof-of-address", c, map[string]any{
				"userId": uid, "documentType": "UtilityBill", "latitude": 30.26, "longitude": -97.74, "addressType": "Apartment",
				"address":   map[string]any{"addressLine1": "1 Main Street", "addressLine2": "Apt 4B", "city": "Austin", "state": "TX", "country": "US", "zip": "73301"},
				"documents": []map[string]any{{"url": doc, "type": "DOCUMENT", "ordinal": 1}}}), 200, "").obj(t)
			return "/api/users/checkin/proof-of-address/" + r["id"].(string)
		}
		now := time.Now()
		ok := a.waitStatus(c, checkin(bill("ANN LEE", now.AddDate(0, 0, -10))), "Confirmed")
		ins, _ := ok["insights"].(map[string]any)
		if ins == nil || !strings.EqualFold(ins["firstName"].(string), "ann") || !strings.EqualFold(ins["lastName"].(string), "lee") ||
			ins["address"].(map[string]any)["zip"] != "73301" {
			t.Fatalf("insights %v", ok["insights"])
		}
		held := a.waitStatus(c, checkin(bill("MARIA LOPEZ", now.AddDate(0, 0, -10))), "OnHold")
		if held["adminNote"] != "The document is not addressed to you; please upload a document in your name." {
			t.Fatalf("someone else's bill: %v", held["adminNote"])
		}
		held = a.waitStatus(c, checkin(bill("ANN LEE", now.AddDate(0, 0, -120))), "OnHold")
		if held["adminNote"] != "The document is older than 90 days; please upload a recent one." {
			t.Fatalf("old bill: %v", held["adminNote"])
		}
	})
}

// textPhoto is a camera photo of a scene with a light panel showing text in large type (an
// odometer display, a plate), with fresh EXIF.
func textPhoto(t *testing.T, seed int, text string) []byte {
	t.Helper()
	f, err := opentype.Parse(gomonobold.TTF)
	if err != nil {
		t.Fatal(err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 120, DPI: 72})
	if err != nil {
		t.Fatal(err)
	}
	img := milepostest.Scene(seed, 1024, 768)
	draw.Draw(img, image.Rect(40, 120, 984, 320), image.NewUniform(color.RGBA{235, 235, 230, 255}), image.Point{}, draw.Src)
	d := &font.Drawer{Dst: img, Src: image.NewUniform(color.RGBA{20, 20, 20, 255}), Face: face, Dot: fixed.P(80, 260)}
	d.DrawString(text)
	return milepostest.EncodeJPEG(t, img, 90, milepostest.PhotoOptions{TakenAt: time.Now(), Offset: "+00:00", Make: "Apple", Model: "iPhone 15"})
}

// TestOCRReadsOdometerAndPlate reads the photos with tesseract: a mileage that matches the
// odometer is confirmed; one that does not is held with both numbers; so is another plate.
func TestOCRReadsOdometerAndPlate(t *testing.T) {
	if _, err := exec.LookPath("tesseract"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tesseract is missing: scripts/test.sh installs it (scripts/setup-ocr.sh)")
		}
		t.Skip("tesseract is not installed (scripts/setup-ocr.sh installs it)")
	}
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		cfg := testConfig(s)
		cfg.OCR = "tesseract"
		a := startAppWith(t, cfg)
		c := legacy(a.partner())
		uid := a.user(c, "+15559910001")
		submit := func(vin, plate string, mileage int, seed int, odometer, plateText string) (map[string]any, []map[string]any) {
			vid := a.vehicle(c, uid, vin, "Honda", 2003, plate)
			r := a.expect(a.do("POST", "/api/vehicles/checkin/mileage", c, mileageBody(vid, plate, mileage,
				a.upload(c, uid, textPhoto(t, seed, plateText)), a.upload(c, uid, textPhoto(t, seed+1, "ODO "+odometer)))), 200, "").obj(t)
			path := "/api/vehicles/checkin/mileage/" + r["id"].(string)
			a.waitDecided(c, path)
			return a.expect(a.do("GET", path, c, nil), 200, "").obj(t), a.signalsOf(c, r["id"].(string))
		}
		ok, sigs := submit(hondaVIN(t, 1), "ABC123", 84_213, 700, "084213", "ABC 123")
		if ok["checkInStatus"] != "Confirmed" || findSignal(sigs, "odometer_reading", "pass")["value"] != "read=84213 claimed=84213" ||
			findSignal(sigs, "plate_reading", "pass")["value"] != "read=ABC123 claimed=ABC123" {
			t.Fatalf("matching photos: %v %v", ok["checkInStatus"], sigs)
		}
		held, sigs := submit(hondaVIN(t, 2), "XYZ789", 48_213, 710, "084213", "XYZ 789")
		if held["checkInStatus"] != "OnHold" || held["adminNote"] != "The odometer photo reads 84,213 but 48,213 was entered; please check the mileage." ||
			findSignal(sigs, "odometer_reading", "hold")["value"] != "read=84213 claimed=48213" {
			t.Fatalf("odometer mismatch: %v %q %v", held["checkInStatus"], held["adminNote"], sigs)
		}
		held, _ = submit(hondaVIN(t, 3), "JKL456", 20_500, 720, "020500", "MNO 987")
		if held["checkInStatus"] != "OnHold" || held["adminNote"] != "The license plate photo reads MNO987, not JKL456; please check the plate." {
			t.Fatalf("plate mismatch: %v %q", held["checkInStatus"], held["adminNote"])
		}
	})
}

// TestDamageDetection confirms a vehicle's condition, then sends the same angles taken again
// with a dent painted on the Front: it is held with that photo marked damageDetected. A
// partner's damage model, when configured, is asked about every angle.
func TestDamageDetection(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		var asked []damage.Request
		var mu sync.Mutex
		model := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var req damage.Request
			if err := json.NewDecoder(r.Body).Decode(&req); err != nil || r.Header.Get("Authorization") != "Bearer model-token" {
				http.Error(w, "bad request", 400)
				return
			}
			mu.Lock()
			asked = append(asked, req)
			mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			f := damage.Findings{Model: "acme-dmg", Items: []damage.Finding{}}
			if req.Angle == "Back" && req.VIN == hondaVIN(t, 2) {
				f.DamageDetected, f.Items = true, []damage.Finding{{Angle: "Back", Type: damage.TypeScratch, Severity: 0.3, Confidence: 0.8}}
			}
			_ = json.NewEncoder(w).Encode(f)
		}))
		defer model.Close()
		cfg := testConfig(s)
		cfg.DamageAnalyzerURL, cfg.DamageAnalyzerToken = model.URL, "model-token"
		a := startAppWith(t, cfg)
		c := legacy(a.partner())
		uid := a.user(c, "+15559920001")
		vid := a.vehicle(c, uid, hondaVIN(t, 1), "Honda", 2003, "DMG001")
		angleNames := []string{"Front", "Back", "DriverSide", "PassengerSide"}
		first := map[string]string{}
		for i, angle := range angleNames {
			first[angle] = a.freshPhoto(c, uid, 800+i)
		}
		r := a.expect(a.do("POST", "/api/vehicles/checkin/condition", c, map[string]any{"vehicleId": vid, "photos": angles(first)}), 200, "").obj(t)
		a.waitStatus(c, "/api/vehicles/checkin/condition/"+r["id"].(string), "Confirmed")

		again := map[string]string{}
		for i, angle := range angleNames {
			again[angle] = a.reshotPhoto(c, uid, 800+i)
		}
		dent := milepostest.PhotoJPEG(t, milepostest.PhotoOptions{Seed: 800, Reshoot: true})
		img, err := jpeg.Decode(bytes.NewReader(dent))
		if err != nil {
			t.Fatal(err)
		}
		rgba := image.NewRGBA(img.Bounds())
		draw.Draw(rgba, rgba.Bounds(), img, image.Point{}, draw.Src)
		for y := 330; y < 430; y++ { // a dark, round dent in the middle
			for x := 460; x < 560; x++ {
				if (x-510)*(x-510)+(y-380)*(y-380) < 50*50 {
					rgba.SetRGBA(x, y, color.RGBA{25, 25, 28, 255})
				}
			}
		}
		again["Front"] = a.upload(c, uid, milepostest.EncodeJPEG(t, rgba, 90, milepostest.PhotoOptions{TakenAt: time.Now(), Offset: "+00:00", Make: "Apple", Model: "iPhone 15"}))
		r = a.expect(a.do("POST", "/api/vehicles/checkin/condition", c, map[string]any{"vehicleId": vid, "photos": angles(again)}), 200, "").obj(t)
		held := a.waitStatus(c, "/api/vehicles/checkin/condition/"+r["id"].(string), "OnHold")
		if held["adminNote"] != "The Front photo shows changes since the last confirmed check-in; a reviewer will check them." {
			t.Fatalf("dent: %q", held["adminNote"])
		}
		for _, p := range held["photos"].([]any) {
			pm := p.(map[string]any)
			if (pm["type"] == "Front") != (pm["damageDetected"] == true) {
				t.Fatalf("damageDetected must mark the Front photo only: %v", held["photos"])
			}
		}
		var page struct{ TotalItems int }
		a.expect(a.do("GET", "/api/checkins/condition?damageDetected=true", c, nil), 200, "").json(t, &page)
		if page.TotalItems != 1 {
			t.Fatalf("damage filter %d", page.TotalItems)
		}

		// The partner's model finds a scratch on another vehicle's Back photo.
		v2 := a.vehicle(c, uid, hondaVIN(t, 2), "Honda", 2003, "DMG002")
		other := map[string]string{}
		for i, angle := range angleNames {
			other[angle] = a.freshPhoto(c, uid, 810+i)
		}
		r = a.expect(a.do("POST", "/api/vehicles/checkin/condition", c, map[string]any{"vehicleId": v2, "photos": angles(other)}), 200, "").obj(t)
		held = a.waitStatus(c, "/api/vehicles/checkin/condition/"+r["id"].(string), "OnHold")
		if held["adminNote"] != "Damage was detected on the Back photo; a reviewer will check it." {
			t.Fatalf("model finding: %q", held["adminNote"])
		}
		mu.Lock()
		defer mu.Unlock()
		if len(asked) != 12 || len(asked[0].Photo.Data) == 0 || asked[4].Previous == nil || asked[4].PreviousCheckinID == "" {
			t.Fatalf("the model was asked %d times: %+v", len(asked), asked[0])
		}
	})
}
