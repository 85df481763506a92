package damage

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

const goodAnswer = `{
  "damageDetected": true,
  "model": "acme-damage", "modelVersion": "2.3.1",
  "findings": [{"angle": "DriverSide", "type": "dent", "severity": 0.4, "confidence": 0.9,
    "box": {"x": 0.4, "y": 0.5, "width": 0.1, "height": 0.08}, "description": "dent in the rear door",
    "futureField": {"ignored": true}}],
  "latencyMs": 412
}`

func testRequest() Request {
	return Request{
		CheckinID: "ck_1", VehicleID: "veh_1", VIN: "1HGCM82633A004352", Angle: "DriverSide",
		Photo:    Image{ContentType: "image/jpeg", Data: []byte{0xff, 0xd8, 0xff}},
		Previous: &Image{URL: "https://blobs.example/prev.jpg?sig=abc"},
	}
}

// answer is a handler that replies with a fixed status, content type and body.
func answer(status int, contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

func TestAnalyzeSuccess(t *testing.T) {
	var got Request
	var auth, ctype string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth, ctype = r.Header.Get("Authorization"), r.Header.Get("Content-Type")
		if r.Method != http.MethodPost {
			t.Errorf("method %s, want POST", r.Method)
		}
		if err := json.NewDecoder(r.Body).Decode(&got); err != nil {
			t.Errorf("decode request: %v", err)
		}
		answer(200, "application/json; charset=utf-8", goodAnswer)(w, r)
	}))
	defer srv.Close()

	c := &Client{URL: srv.URL, Token: "s3cret", Timeout: 5 * time.Second}
	f, err := c.Analyze(context.Background(), testRequest())
	if err != nil {
		t.Fatal(err)
	}
	want := Findings{
		DamageDetected: true, Model: "acme-damage", ModelVersion: "2.3.1",
		Items: []Finding{{Angle: "DriverSide", Type: TypeDent, Severity: 0.4, Confidence: 0.9,
			Box: &Box{X: 0.4, Y: 0.5, Width: 0.1, Height: 0.08}, Description: "dent in the rear door"}},
	}
	if !reflect.DeepEqual(f, want) {
		t.Errorf("findings\n got %+v\nwant %+v", f, want)
	}
	if auth != "Bearer s3cret" || ctype != "application/json" {
		t.Errorf("headers: Authorization %q, Content-Type %q", auth, ctype)
	}
	if !reflect.DeepEqual(got, testRequest()) {
		t.Errorf("analyzer received %+v, want %+v", got, testRequest())
	}
}

func TestAnalyzeNoTokenNoHeader(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h, ok := r.Header["Authorization"]; ok {
			t.Errorf("Authorization sent without a token: %q", h)
		}
		answer(200, "application/json", `{"damageDetected": false, "model": "m", "findings": []}`)(w, r)
	}))
	defer srv.Close()
	f, err := (&Client{URL: srv.URL}).Analyze(context.Background(), testRequest())
	if err != nil || f.DamageDetected || len(f.Items) != 0 {
		t.Fatalf("got %+v, %v", f, err)
	}
}

func TestAnalyzeFailures(t *testing.T) {
	other := httptest.NewServer(answer(200, "application/json", goodAnswer))
	defer other.Close()
	stall := make(chan struct{})
	defer close(stall)

	tests := []struct {
		name    string
		handler http.HandlerFunc
		req     func(*Request)
		want    string // in the error message
		status  int    // of the *HTTPError, when there is one
	}{
		{name: "500", handler: answer(500, "text/plain", "model crashed\nstack trace"), want: "status 500 Internal Server Error: model crashed stack trace", status: 500},
		{name: "404", handler: answer(404, "", "no such route"), want: "status 404 Not Found", status: 404},
		{name: "malformed JSON", handler: answer(200, "application/json", `{"damageDetected": tru`), want: "malformed answer"},
		{name: "wrong type", handler: answer(200, "application/json", `{"damageDetected": "yes", "model": "m"}`), want: "cannot unmarshal string"},
		{name: "severity as string", handler: answer(200, "application/json", `{"damageDetected": true, "model": "m", "findings": [{"type": "dent", "severity": "high", "confidence": 1}]}`), want: "cannot unmarshal string"},
		{name: "verdict missing", handler: answer(200, "application/json", `{"model": "m", "findings": []}`), want: "damageDetected is missing"},
		{name: "model missing", handler: answer(200, "application/json", `{"damageDetected": false}`), want: "model is missing"},
		{name: "unknown type", handler: answer(200, "application/json", `{"damageDetected": true, "model": "m", "findings": [{"type": "rust", "severity": 0.5, "confidence": 0.5}]}`), want: `findings[0]: unknown type "rust"`},
		{name: "severity out of range", handler: answer(200, "application/json", `{"damageDetected": true, "model": "m", "findings": [{"type": "dent", "severity": 2, "confidence": 0.5}]}`), want: "severity 2 is outside 0..1"},
		{name: "box outside", handler: answer(200, "application/json", `{"damageDetected": true, "model": "m", "findings": [{"type": "dent", "severity": 0.2, "confidence": 0.5, "box": {"x": 0.9, "y": 0, "width": 0.5, "height": 0.1}}]}`), want: "not within the photo"},
		{name: "other angle", handler: answer(200, "application/json", `{"damageDetected": true, "model": "m", "findings": [{"angle": "Front", "type": "dent", "severity": 0.2, "confidence": 0.5}]}`), want: `angle "Front", but "DriverSide" was asked`},
		{name: "trailing data", handler: answer(200, "application/json", `{"damageDetected": false, "model": "m"} {}`), want: "data after the JSON document"},
		{name: "empty 204", handler: answer(204, "application/json", ""), want: "malformed answer: EOF"},
		{name: "wrong content type", handler: answer(200, "text/html", "<html>login</html>"), want: `answer is "text/html", not application/json`},
		{name: "oversize body", handler: answer(200, "application/json", `{"damageDetected": false, "model": "`+strings.Repeat("m", MaxAnswer)+`"}`), want: "answer larger than 1048576 bytes"},
		{name: "redirect to another host", handler: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+"/analyze", http.StatusTemporaryRedirect)
		}, want: "redirect to another host"},
		{name: "redirect loop", handler: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/again", http.StatusTemporaryRedirect)
		}, want: "more than 3 redirects"},
		{name: "timeout", handler: func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body) // the server notices a client gone only once the body is read
			select {
			case <-stall:
			case <-r.Context().Done():
			}
		}, want: "no answer within 200ms"},
		{name: "slow body", handler: func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"damageDetected": `)
			w.(http.Flusher).Flush()
			select {
			case <-stall:
			case <-r.Context().Done():
			}
		}, want: "answer not complete within 200ms"},
		{name: "request without photo", req: func(r *Request) { r.Photo = Image{} }, want: "request: photo: url or data is required"},
		{name: "request with relative URL", req: func(r *Request) { r.Photo = Image{URL: "/blob/1"} }, want: "not an absolute http(s) URL"},
		{name: "request without angle", req: func(r *Request) { r.Angle = "" }, want: "angle is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := tt.handler
			if h == nil {
				h = func(http.ResponseWriter, *http.Request) { t.Error("an invalid request was sent") }
			}
			srv := httptest.NewServer(h)
			defer srv.Close()
			req := testRequest()
			if tt.req != nil {
				tt.req(&req)
			}
			f, err := (&Client{URL: srv.URL, Timeout: 200 * time.Millisecond}).Analyze(context.Background(), req)
			if err == nil {
				t.Fatalf("no error; findings %+v", f)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
			var he *HTTPError
			if errors.As(err, &he) != (tt.status != 0) || (he != nil && he.StatusCode != tt.status) {
				t.Errorf("error %v: HTTPError %+v, want status %d", err, he, tt.status)
			}
			if !reflect.DeepEqual(f, Findings{}) {
				t.Errorf("findings %+v returned with an error", f)
			}
		})
	}
}

func TestAnalyzeRedirectOnSameHost(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/v2/analyze", http.StatusPermanentRedirect)
	})
	mux.HandleFunc("POST /v2/analyze", answer(200, "application/json", goodAnswer))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	hc := &http.Client{}
	f, err := (&Client{URL: srv.URL + "/old", HTTP: hc}).Analyze(context.Background(), testRequest())
	if err != nil || !f.DamageDetected {
		t.Fatalf("got %+v, %v", f, err)
	}
	if hc.CheckRedirect != nil {
		t.Error("the caller's http.Client was changed")
	}
}

func TestAnalyzeCallerContext(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (&Client{URL: srv.URL}).Analyze(ctx, testRequest()); !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
}
