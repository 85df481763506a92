package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/milepostest"
)

// testApp is a running App on 127.0.0.1:0 and an HTTP client for it.
type testApp struct {
	t      *testing.T
	app    *App
	client *http.Client
	stdout *bytes.Buffer
	stop   func() // stops the server and closes the store; safe to call twice
}

// testConfig is the configuration end-to-end tests run with.
func testConfig(s milepostest.Store) Config {
	return Config{
		Addr: "127.0.0.1:0", DataDir: s.DataDir, DatabaseURL: s.URL, MaxUploadBytes: milepost.DefaultMaxUploadBytes,
		MaxPhotoPixels: 120_000_000, TokenTTL: time.Hour, Migrate: true, LogLevel: "warn", LogFormat: "text",
		Role: "all", JobPollInterval: 50 * time.Millisecond, WebhookAllowPrivate: true,
		OCR: "off", // OCR takes seconds per photo; the tests that read photos turn it on
	}
}

// startApp boots the whole server on a fresh store and stops it when the test ends.
func startApp(t *testing.T, s milepostest.Store) *testApp {
	t.Helper()
	return startAppWith(t, testConfig(s))
}

// startAppWith boots the server with cfg; each setup runs on the App before it opens (to swap
// the payout provider or shorten the job backoff).
func startAppWith(t *testing.T, cfg Config, setup ...func(*App)) *testApp {
	t.Helper()
	if err := cfg.ValidateServe(); err != nil {
		t.Fatalf("config: %v", err)
	}
	stdout := &bytes.Buffer{}
	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	app := NewApp(cfg, log, stdout)
	for _, f := range setup {
		f(app)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := app.Open(ctx); err != nil {
		cancel()
		t.Fatalf("open app: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("run: %v", err)
			}
			app.Close()
		})
	}
	t.Cleanup(stop)
	return &testApp{t: t, app: app, client: &http.Client{Timeout: 60 * time.Second}, stdout: stdout, stop: stop}
}

// testWriter sends the server's logs to the test log, shown only on failure.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// creds are how a request authenticates.
type creds map[string]string

func bearer(token string) creds { return creds{"Authorization": "Bearer " + token} }

func legacy(p *milepost.PartnerCredentials) creds {
	return creds{"partnerId": p.Partner.ID, "clientId": p.Partner.ClientID, "clientSecret": p.ClientSecret}
}

// response is a decoded HTTP answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into v, failing the test on malformed JSON.
func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// obj decodes the body as a JSON object.
func (r response) obj(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	r.json(t, &m)
	return m
}

// do sends a request; body is JSON-encoded unless it is already []byte or a string.
func (a *testApp) do(method, path string, c creds, body any) response {
	a.t.Helper()
	return a.doType(method, path, c, "application/json", body)
}

func (a *testApp) doType(method, path string, c creds, contentType string, body any) response {
	a.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		enc, err := json.Marshal(b)
		if err != nil {
			a.t.Fatal(err)
		}
		rd = bytes.NewReader(enc)
	}
	url := path
	if !strings.HasPrefix(path, "http") {
		url = a.app.URL() + path
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		a.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range c {
		req.Header.Set(k, v)
	}
	res, err := a.client.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		a.t.Fatalf("read %s %s: %v", method, path, err)
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// expect checks a status and, for errors, the Ownli error body's code; it returns the response.
func (a *testApp) expect(r response, status int, errorCode string) response {
	a.t.Helper()
	if r.status != status {
		a.t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	if errorCode != "" {
		var e struct {
			Code    string `json:"error_code"`
			Message string `json:"error_message"`
		}
		r.json(a.t, &e)
		if e.Code != errorCode || e.Message == "" {
			a.t.Fatalf("error %+v, want error_code %s and a message", e, errorCode)
		}
	}
	return r
}

// partner creates a partner directly in the store.
func (a *testApp) partner() *milepost.PartnerCredentials {
	a.t.Helper()
	c, err := a.app.DB.Partners().CreatePartner(context.Background(), "Partner")
	if err != nil {
		a.t.Fatal(err)
	}
	return c
}

// user creates a user over the API and returns its id.
func (a *testApp) user(c creds, phone string) string {
	a.t.Helper()
	r := a.expect(a.do("POST", "/api/users", c, map[string]any{
		"firstName": "Ann", "lastName": "Lee", "phone": phone, "address": map[string]any{"state": "CA"},
	}), 200, "")
	return r.obj(a.t)["id"].(string)
}

// vehicle creates a vehicle by VIN over the API and returns its id.
func (a *testApp) vehicle(c creds, userID, vin, make string, year int, plate string) string {
	a.t.Helper()
	r := a.expect(a.do("POST", "/api/vehicles/create/by-vin", c, map[string]any{
		"userId": userID, "vin": vin, "make": make, "model": "Model", "year": year, "licensePlate": plate, "state": "CA",
	}), 200, "")
	return r.obj(a.t)["id"].(string)
}

// token gets a bearer token over the API.
func (a *testApp) token(p *milepost.PartnerCredentials, scope, userID string) string {
	a.t.Helper()
	r := a.expect(a.do("POST", "/api/auth/token", nil, map[string]any{
		"clientId": p.Partner.ClientID, "clientSecret": p.ClientSecret, "partnerId": p.Partner.ID, "scope": scope, "userId": userID,
	}), 200, "")
	return r.obj(a.t)["access_token"].(string)
}

// with returns a copy of a that reports to t (a subtest's own testing.T).
func (a *testApp) with(t *testing.T) *testApp {
	c := *a
	c.t = t
	return &c
}

// freshPhoto uploads a generated photo whose EXIF says it was taken just now and returns its
// photoUrl. seed makes each photo's picture different.
func (a *testApp) freshPhoto(c creds, userID string, seed int) string {
	a.t.Helper()
	data := milepostest.PhotoJPEG(a.t, milepostest.PhotoOptions{TakenAt: time.Now(), Offset: "+00:00", Make: "Apple", Model: "iPhone 15", Seed: seed})
	return a.upload(c, userID, data)
}

// reshotPhoto uploads seed's scene photographed again a little to the side (the same angle of
// the same vehicle at a later check-in) and returns its photoUrl.
func (a *testApp) reshotPhoto(c creds, userID string, seed int) string {
	a.t.Helper()
	data := milepostest.PhotoJPEG(a.t, milepostest.PhotoOptions{TakenAt: time.Now(), Offset: "+00:00", Make: "Apple", Model: "iPhone 15", Seed: seed, Reshoot: true})
	return a.upload(c, userID, data)
}

// upload uploads photo bytes for a user and returns the photoUrl.
func (a *testApp) upload(c creds, userID string, data []byte) string {
	a.t.Helper()
	r := a.expect(a.do("POST", "/api/photo/upload", c, photoBody(userID, data)), 200, "")
	return r.obj(a.t)["photoUrl"].(string)
}

// waitStatus polls a check-in until its checkInStatus is want and returns it.
func (a *testApp) waitStatus(c creds, path, want string) map[string]any {
	a.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		m := a.expect(a.do("GET", path, c, nil), 200, "").obj(a.t)
		if m["checkInStatus"] == want {
			return m
		}
		if time.Now().After(deadline) {
			a.t.Fatalf("%s stayed %v (note %q), want %s", path, m["checkInStatus"], m["adminNote"], want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func refs(urls ...string) []map[string]any {
	out := make([]map[string]any, len(urls))
	for i, u := range urls {
		out[i] = map[string]any{"url": u}
	}
	return out
}

// mileageBody is a mileage check-in request.
// An empty photo URL leaves that list out (the change flow then keeps the current photos).
func mileageBody(vehicleID, plate string, mileage int, license, odometer string) map[string]any {
	b := map[string]any{"vehicleId": vehicleID, "licensePlate": plate, "state": "CA", "mileage": mileage}
	if license != "" {
		b["licensePhotos"] = refs(license)
	}
	if odometer != "" {
		b["odometerPhotos"] = refs(odometer)
	}
	return b
}
