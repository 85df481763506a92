package loadtest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image/jpeg"
	"strings"
	"testing"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/photo"
	"github.com/milepost/milepost/vin"
)

func TestRandomVINsPassTheServersChecks(t *testing.T) {
	v := vin.New()
	seen := map[string]bool{}
	for range 200 {
		s := RandomVIN()
		if _, err := v.ValidateVIN(s, vehicleMake, vehicleYear); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		seen[s] = true
	}
	if len(seen) < 199 {
		t.Fatalf("only %d distinct VINs of 200", len(seen))
	}
}

func TestRandomPhonesAndPlatesAreValid(t *testing.T) {
	for range 100 {
		if p, err := milepost.NormalizePhone("phone", randomPhone()); err != nil || len(p) != 12 {
			t.Fatalf("%s: %v", p, err)
		}
		if p := randomPlate(); len(p) != 7 || strings.ContainsAny(p, "IOQ -") {
			t.Fatalf("plate %q", p)
		}
	}
	if u := randomUUID(); !milepost.ValidUUID(u) || u[14] != '4' {
		t.Fatalf("uuid %q", u)
	}
}

func TestPhotoJPEGReadsLikeAPhonePhoto(t *testing.T) {
	taken := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	data, err := PhotoJPEG(1, evidenceWidth, evidenceHeight, taken)
	if err != nil {
		t.Fatal(err)
	}
	m, err := photo.NewInspector(120_000_000).InspectPhoto(data)
	if err != nil {
		t.Fatal(err)
	}
	if m.ContentType != "image/jpeg" || m.Width != evidenceWidth || m.Height != evidenceHeight || m.EXIF.Make != "Apple" ||
		m.EXIF.TakenAt == nil || !m.EXIF.TakenAt.Equal(taken) || !m.EXIF.TakenAtHasZone || m.Analysis == nil {
		t.Fatalf("media %+v exif %+v", m, m.EXIF)
	}
	other, err := PhotoJPEG(2, evidenceWidth, evidenceHeight, taken)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(data, other) {
		t.Fatal("seeds 1 and 2 made the same photo")
	}
}

func TestUniqueJPEGsDifferAndStayValid(t *testing.T) {
	data, err := PhotoJPEG(3, 640, 480, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	u, err := splitJPEG(data)
	if err != nil {
		t.Fatal(err)
	}
	var prev []byte
	for _, id := range []string{"run w0 r0", "run w0 r1", strings.Repeat("long id ", 10)} {
		c := u.comment(id)
		whole := append(append(append([]byte(nil), u.head...), c...), u.rest...)
		if bytes.Equal(whole, prev) {
			t.Fatalf("%q: same bytes as the previous id", id)
		}
		prev = whole
		if _, err := jpeg.Decode(bytes.NewReader(whole)); err != nil {
			t.Fatalf("%q: %v", id, err)
		}
		m, err := photo.NewInspector(120_000_000).InspectPhoto(whole)
		if err != nil || m.EXIF.Make != "Apple" {
			t.Fatalf("%q: %+v %v", id, m.EXIF, err)
		}
		// The Base64 of the picture after the comment is computed once for all requests.
		head := append(append([]byte(nil), u.head...), c...)
		joined := base64.StdEncoding.EncodeToString(head) + base64.StdEncoding.EncodeToString(u.rest)
		if joined != base64.StdEncoding.EncodeToString(whole) {
			t.Fatalf("%q: Base64 in two parts differs from the whole", id)
		}
	}
	if _, err := splitJPEG([]byte("not a jpeg")); err == nil {
		t.Fatal("split accepted a non-JPEG")
	}
}

func TestTripsBodyIsABulkSaveOfDistinctTrips(t *testing.T) {
	days := make([]time.Time, TripsPerSave)
	for i := range days {
		days[i] = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)
	}
	var body struct {
		Data []struct {
			Date          string
			MileageStatus string
			Description   string
			Distance      struct{ Type, Value string }
		}
	}
	if err := json.Unmarshal(tripsBody(days, 3, 17), &body); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for i, d := range body.Data {
		if d.Date != days[i].Format(time.DateOnly) || d.MileageStatus != "BUSINESS" || d.Distance.Type != "MILE" || d.Distance.Value == "" {
			t.Fatalf("trip %d: %+v", i, d)
		}
		seen[d.Description] = true
	}
	if len(body.Data) != TripsPerSave || len(seen) != TripsPerSave {
		t.Fatalf("%d trips, %d distinct", len(body.Data), len(seen))
	}
}

func TestMileageBodyIsACheckin(t *testing.T) {
	var b struct {
		VehicleID, LicensePlate, State string
		Mileage                        int
		LicensePhotos, OdometerPhotos  []struct{ URL string }
	}
	raw := mileageBody(vehicle{id: `v"1`, plate: "B123"}, "http://x/api/photos/1", "http://x/api/photos/2", 1234)
	if err := json.Unmarshal(raw, &b); err != nil {
		t.Fatal(err)
	}
	if b.VehicleID != `v"1` || b.Mileage != 1234 || b.LicensePhotos[0].URL != "http://x/api/photos/1" || b.OdometerPhotos[0].URL != "http://x/api/photos/2" {
		t.Fatalf("%+v", b)
	}
}

func TestConfigValidate(t *testing.T) {
	ok := Config{Connections: 1, Duration: time.Second}
	if err := ok.Validate(); err != nil || ok.PhotoBody != PhotoBodyJSON {
		t.Fatalf("%v %q", err, ok.PhotoBody)
	}
	for _, c := range []Config{
		{Connections: 0, Duration: time.Second},
		{Connections: 1},
		{Connections: 1, Duration: time.Second, Endpoints: []string{"nope"}},
		{Connections: 1, Duration: time.Second, PhotoBody: "xml"},
	} {
		if err := c.Validate(); err == nil {
			t.Errorf("%+v accepted", c)
		}
	}
}
