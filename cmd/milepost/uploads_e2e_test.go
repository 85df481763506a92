package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"mime/multipart"
	"strings"
	"testing"
	"time"

	"github.com/milepost/milepost/milepostest"
)

// photoBody is an upload as an app sends it right after taking the photo: it claims the
// capture time is now (to the minute, so tests can compare it), a position in Austin, and the
// user's own phone.
func photoBody(userID string, data []byte) map[string]any {
	return map[string]any{
		"userId": userID, "name": "photo.jpg", "photo": base64.StdEncoding.EncodeToString(data),
		"deviceIdentifier": "dev-" + userID, "deviceManufacturer": "Apple", "deviceModel": "iPhone 13", "deviceOS": "iOS 17",
		"takenOn": claimedNow(), "latitude": 30.27, "longitude": -97.74,
	}
}

// claimedNow is the takenOn photoBody claims: the current minute.
func claimedNow() string {
	return time.Now().UTC().Truncate(time.Minute).Format("2006-01-02T15:04:05.000Z")
}

func TestPhotoUploadFixtures(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		a := startApp(t, s)
		p := a.partner()
		c := legacy(p)
		uid := a.user(c, "+15555000001")
		cases := []struct {
			file        string
			status      int
			contentType string
			gps         bool // EXIF GPS near 43.467, 11.885
			exifMake    string
		}{
			{"gps_DSCN0010.jpg", 200, "image/jpeg", true, "NIKON"},
			{"gps_DSCN0012.jpg", 200, "image/jpeg", true, "NIKON"},
			{"gps_DSCN0021.jpg", 200, "image/jpeg", true, "NIKON"},
			{"phone_jolla.jpg", 200, "image/jpeg", false, "Jolla"},
			{"iphone_13_pro_max.heic", 200, "image/heic", false, "Apple"},
			{"edited_photoshop.jpg", 200, "image/jpeg", false, ""},
			{"orientation_portrait_6.jpg", 200, "image/jpeg", false, ""},
			{"invalid_image00971.jpg", 200, "image/jpeg", false, ""},
			{"malformed_memory_error.jpg", 200, "image/jpeg", false, "CASIO COMPUTER CO.,LTD."},
			{"truncated_jolla.jpg", 400, "", false, ""},
		}
		for _, tt := range cases {
			t.Run(tt.file, func(t *testing.T) {
				a := a.with(t)
				data := milepostest.Photo(t, tt.file)
				code := ""
				if tt.status != 200 {
					code = "ERROR_INVALID_PARAMETERS"
				}
				r := a.expect(a.do("POST", "/api/photo/upload", c, photoBody(uid, data)), tt.status, code)
				if tt.status != 200 {
					return
				}
				var ph struct {
					ID, UserID, PhotoURL, TakenOn, ContentType, SHA256 string
					DeviceIdentifier, DeviceManufacturer, DeviceModel  string
					DeviceOS                                           string
					Latitude, Longitude                                float64
					Width, Height                                      int
					EXIF                                               struct {
						TakenAt             string
						Latitude, Longitude *float64
						Make, Software      string
						Orientation         int
					}
				}
				r.json(t, &ph)
				if ph.UserID != uid || ph.ContentType != tt.contentType || ph.TakenOn[:10] != claimedNow()[:10] || ph.Latitude != 30.27 ||
					ph.DeviceModel != "iPhone 13" || ph.Width == 0 || !strings.HasPrefix(ph.PhotoURL, a.app.URL()+"/api/photos/") {
					t.Fatalf("photo %+v", ph)
				}
				if tt.gps {
					if ph.EXIF.Latitude == nil || math.Abs(*ph.EXIF.Latitude-43.467) > 0.01 || math.Abs(*ph.EXIF.Longitude-11.885) > 0.01 || !strings.HasPrefix(ph.EXIF.TakenAt, "2008-10-22") {
						t.Fatalf("EXIF GPS/time not read back: %+v", ph.EXIF)
					}
				} else if ph.EXIF.Latitude != nil {
					t.Fatalf("unexpected GPS %v", *ph.EXIF.Latitude)
				}
				if ph.EXIF.Make != tt.exifMake {
					t.Fatalf("EXIF make %q, want %q", ph.EXIF.Make, tt.exifMake)
				}
				if tt.file == "edited_photoshop.jpg" && ph.EXIF.Software == "" {
					t.Fatal("the editor's Software tag was not read")
				}
				if tt.file == "orientation_portrait_6.jpg" && ph.EXIF.Orientation != 6 {
					t.Fatalf("orientation %d, want 6", ph.EXIF.Orientation)
				}
				// The photoUrl serves the same bytes back to the owning partner.
				got := a.expect(a.do("GET", ph.PhotoURL, c, nil), 200, "")
				if !bytes.Equal(got.body, data) || got.header.Get("Content-Type") != tt.contentType {
					t.Fatalf("GET photoUrl returned %d bytes of %s", len(got.body), got.header.Get("Content-Type"))
				}
			})
		}
	})
}

func tinyPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(1, 1, color.RGBA{255, 0, 0, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func multipartBody(t *testing.T, fields map[string]string, fileField, fileName string, data []byte) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if fileField != "" {
		fw, err := mw.CreateFormFile(fileField, fileName)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

func TestUploads(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		cfg := testConfig(s)
		cfg.MaxUploadBytes = 300 << 10 // small, to test the limit cheaply
		a := startAppWith(t, cfg)
		p := a.partner()
		c := legacy(p)
		uid := a.user(c, "+15555100001")
		uid2 := a.user(c, "+15555100002")
		other := a.partner()
		otherUser := a.user(legacy(other), "+15555100003")
		jpg := milepostest.Photo(t, "gps_DSCN0010.jpg")
		pngData := tinyPNG(t)

		t.Run("base64 variants", func(t *testing.T) {
			a := a.with(t)
			for name, enc := range map[string]string{
				"data URI":         "data:image/png;base64," + base64.StdEncoding.EncodeToString(pngData),
				"URL-safe":         base64.RawURLEncoding.EncodeToString(pngData),
				"with line breaks": strings.Join(strings.SplitAfter(base64.StdEncoding.EncodeToString(pngData), "A"), "\n"),
			} {
				body := photoBody(uid, nil)
				body["photo"] = enc
				r := a.expect(a.do("POST", "/api/photo/upload", c, body), 200, "").obj(t)
				if r["contentType"] != "image/png" {
					t.Fatalf("%s: %v", name, r)
				}
			}
		})

		t.Run("multipart", func(t *testing.T) {
			a := a.with(t)
			ct, body := multipartBody(t, map[string]string{"userId": uid, "takenOn": "2026-11-20T10:00:00Z", "latitude": "30.1", "longitude": "-97.2", "deviceModel": "Pixel 8"}, "photo", "odo.jpg", jpg)
			r := a.expect(a.doType("POST", "/api/photo/upload", c, ct, body), 200, "").obj(t)
			if r["contentType"] != "image/jpeg" || r["deviceModel"] != "Pixel 8" || r["latitude"] != 30.1 {
				t.Fatalf("multipart photo %v", r)
			}
			ct, body = multipartBody(t, map[string]string{"userId": uid, "name": "doc.png"}, "file", "doc.png", pngData)
			r = a.expect(a.doType("POST", "/api/file/upload", c, ct, body), 200, "").obj(t)
			if r["contentType"] != "image/png" || !strings.Contains(r["fileUrl"].(string), "/api/files/") {
				t.Fatalf("multipart file %v", r)
			}
			ct, body = multipartBody(t, map[string]string{"userId": uid, "latitude": "north"}, "photo", "x.jpg", jpg)
			a.expect(a.doType("POST", "/api/photo/upload", c, ct, body), 400, "ERROR_INVALID_PARAMETERS")
			ct, body = multipartBody(t, map[string]string{"userId": uid, "takenOn": "2026-11-20T10:00:00Z", "latitude": "1", "longitude": "1"}, "", "", nil)
			a.expect(a.doType("POST", "/api/photo/upload", c, ct, body), 400, "ERROR_INVALID_PARAMETERS")
			a.expect(a.doType("POST", "/api/photo/upload", c, "multipart/form-data; boundary=xyz", []byte("--xyz\r\nbroken")), 400, "ERROR_INVALID_PARAMETERS")
		})

		t.Run("files", func(t *testing.T) {
			a := a.with(t)
			pdf := []byte("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
			body := map[string]any{"userId": uid, "name": "bill.pdf", "file": base64.StdEncoding.EncodeToString(pdf)}
			r := a.expect(a.do("POST", "/api/file/upload", c, body), 200, "").obj(t)
			if r["contentType"] != "application/pdf" || r["dateUploaded"] == "" || r["userId"] != uid {
				t.Fatalf("file %v", r)
			}
			got := a.expect(a.do("GET", r["fileUrl"].(string), c, nil), 200, "")
			if !bytes.Equal(got.body, pdf) {
				t.Fatal("file bytes differ")
			}
			// A file URL is not a photo URL.
			a.expect(a.do("GET", "/api/photos/"+r["id"].(string), c, nil), 404, "ERROR_UPLOAD_NOT_FOUND")
			body["file"] = base64.StdEncoding.EncodeToString(pdf[:20]) // no %%EOF: truncated
			a.expect(a.do("POST", "/api/file/upload", c, body), 400, "ERROR_INVALID_PARAMETERS")
			body["file"] = base64.StdEncoding.EncodeToString([]byte("GIF89a...."))
			a.expect(a.do("POST", "/api/file/upload", c, body), 400, "ERROR_INVALID_PARAMETERS")
		})

		t.Run("errors", func(t *testing.T) {
			a := a.with(t)
			mut := func(f func(map[string]any)) map[string]any {
				b := photoBody(uid, pngData)
				f(b)
				return b
			}
			big := make([]byte, 301<<10)
			copy(big, jpg)
			cases := []struct {
				name   string
				body   any
				status int
				code   string
			}{
				{"not base64", mut(func(b map[string]any) { b["photo"] = "@@@not base64@@@" }), 400, "ERROR_INVALID_PARAMETERS"},
				{"empty photo", mut(func(b map[string]any) { b["photo"] = "" }), 400, "ERROR_INVALID_PARAMETERS"},
				{"text, not a picture", mut(func(b map[string]any) {
					b["photo"] = base64.StdEncoding.EncodeToString([]byte("hello world, I am not a photo"))
				}), 400, "ERROR_INVALID_PARAMETERS"},
				{"PDF as photo", mut(func(b map[string]any) { b["photo"] = base64.StdEncoding.EncodeToString([]byte("%PDF-1.4\n%%EOF")) }), 400, "ERROR_INVALID_PARAMETERS"},
				{"missing takenOn", mut(func(b map[string]any) { delete(b, "takenOn") }), 400, "ERROR_INVALID_PARAMETERS"},
				{"bad takenOn", mut(func(b map[string]any) { b["takenOn"] = "last tuesday" }), 400, "ERROR_INVALID_PARAMETERS"},
				{"missing latitude", mut(func(b map[string]any) { delete(b, "latitude") }), 400, "ERROR_INVALID_PARAMETERS"},
				{"latitude out of range", mut(func(b map[string]any) { b["latitude"] = 91 }), 400, "ERROR_INVALID_PARAMETERS"},
				{"latitude as string", mut(func(b map[string]any) { b["latitude"] = "30" }), 400, "ERROR_INVALID_PARAMETERS"},
				{"missing userId", mut(func(b map[string]any) { delete(b, "userId") }), 400, "ERROR_INVALID_PARAMETERS"},
				{"unknown user", mut(func(b map[string]any) { b["userId"] = "nope" }), 404, "ERROR_USER_NOT_FOUND"},
				{"another partner's user", mut(func(b map[string]any) { b["userId"] = otherUser }), 403, "ERROR_NO_PERMISSIONS_TO_RESOURCE"},
				{"over the size limit", mut(func(b map[string]any) { b["photo"] = base64.StdEncoding.EncodeToString(big) }), 413, "ERROR_PAYLOAD_TOO_LARGE"},
				{"body over the limit", `{"userId":"` + strings.Repeat("x", 600<<10) + `"}`, 413, "ERROR_PAYLOAD_TOO_LARGE"},
			}
			for _, tt := range cases {
				t.Run(tt.name, func(t *testing.T) {
					a := a.with(t)
					a.expect(a.do("POST", "/api/photo/upload", c, tt.body), tt.status, tt.code)
				})
			}
		})

		t.Run("access", func(t *testing.T) {
			a := a.with(t)
			r := a.expect(a.do("POST", "/api/photo/upload", c, photoBody(uid, pngData)), 200, "").obj(t)
			url, id := r["photoUrl"].(string), r["id"].(string)
			userTok := bearer(a.token(p, "user", uid))
			user2Tok := bearer(a.token(p, "user", uid2))
			a.expect(a.do("GET", url, userTok, nil), 200, "")
			a.expect(a.do("GET", url, user2Tok, nil), 403, "ERROR_NO_PERMISSIONS_TO_RESOURCE")
			a.expect(a.do("GET", url, legacy(other), nil), 403, "ERROR_NO_PERMISSIONS_TO_RESOURCE")
			a.expect(a.do("GET", url, nil, nil), 401, "ERROR_UNAUTHORIZED")
			a.expect(a.do("GET", "/api/photos/nope", c, nil), 404, "ERROR_UPLOAD_NOT_FOUND")
			// A user token uploads only for its own user.
			a.expect(a.do("POST", "/api/photo/upload", userTok, photoBody(uid, pngData)), 200, "")
			a.expect(a.do("POST", "/api/photo/upload", userTok, photoBody(uid2, pngData)), 403, "ERROR_NO_PERMISSIONS_TO_RESOURCE")
			// Signed links work without credentials until they are tampered with.
			link := a.expect(a.do("GET", "/api/photos/"+id+"/signed-url", c, nil), 200, "").obj(t)
			signed := link["url"].(string)
			got := a.expect(a.do("GET", signed, nil, nil), 200, "")
			if !bytes.Equal(got.body, pngData) {
				t.Fatal("signed link served other bytes")
			}
			a.expect(a.do("GET", strings.Replace(signed, "signature=", "signature=x", 1), nil, nil), 403, "ERROR_NO_PERMISSIONS_TO_RESOURCE")
			a.expect(a.do("GET", strings.Replace(signed, "/api/photos/"+id, "/api/photos/"+id+"x", 1), nil, nil), 403, "ERROR_NO_PERMISSIONS_TO_RESOURCE")
			a.expect(a.do("GET", "/api/photos/"+id+"/signed-url", legacy(other), nil), 403, "ERROR_NO_PERMISSIONS_TO_RESOURCE")
			a.expect(a.do("GET", "/api/files/"+id+"/signed-url", c, nil), 404, "ERROR_UPLOAD_NOT_FOUND")
			// Conditional GET.
			etag := got.header.Get("ETag")
			r2 := a.doType("GET", url, creds{"partnerId": p.Partner.ID, "clientId": p.Partner.ClientID, "clientSecret": p.ClientSecret, "If-None-Match": etag}, "", nil)
			if r2.status != 304 {
				t.Fatalf("If-None-Match: status %d", r2.status)
			}
		})

		t.Run("same bytes stored once", func(t *testing.T) {
			a := a.with(t)
			r1 := a.expect(a.do("POST", "/api/photo/upload", c, photoBody(uid, jpg)), 200, "").obj(t)
			r2 := a.expect(a.do("POST", "/api/photo/upload", c, photoBody(uid2, jpg)), 200, "").obj(t)
			if r1["id"] == r2["id"] || r1["sha256"] != r2["sha256"] {
				t.Fatalf("two uploads of the same bytes: %v %v", r1["id"], r2["id"])
			}
		})
		_ = fmt.Sprint()
	})
}
