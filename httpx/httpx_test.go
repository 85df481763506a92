package httpx

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/milepost/milepost"
)

func TestTokens(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	tok := NewTokens([]byte("k1"), time.Hour)
	tok.now = func() time.Time { return now }
	actor := milepost.Actor{PartnerID: "p1", Scope: milepost.ScopeUser, UserID: "u1"}
	s, err := tok.Issue(actor, "ownli")
	if err != nil {
		t.Fatal(err)
	}
	got, err := tok.Verify(s, "ownli")
	if err != nil || got != actor {
		t.Fatalf("Verify = %+v, %v", got, err)
	}
	other := NewTokens([]byte("k2"), time.Hour)
	header, payload, _ := strings.Cut(s, ".")
	payload, _, _ = strings.Cut(payload, ".")
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + payload + "."
	cases := []struct {
		name string
		v    *Tokens
		tok  string
		aud  string
		at   time.Time
	}{
		{"other key", other, s, "ownli", now},
		{"other audience", tok, s, "jifeline", now},
		{"expired", tok, s, "ownli", now.Add(time.Hour)},
		{"alg none", tok, none, "ownli", now},
		{"tampered payload", tok, header + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"partner_id":"p2","scope":"admin","aud":"ownli","exp":9999999999}`)) + "." + strings.Split(s, ".")[2], "ownli", now},
		{"two parts", tok, "a.b", "ownli", now},
		{"huge", tok, strings.Repeat("a", 5000), "ownli", now},
	}
	for _, c := range cases {
		c.v.now = func() time.Time { return c.at }
		if _, err := c.v.Verify(c.tok, c.aud); milepost.ErrorCode(err) != milepost.CodeUnauthorized {
			t.Errorf("%s: %v, want unauthorized", c.name, err)
		}
	}
	if BearerToken("Bearer abc") != "abc" || BearerToken("bearer  abc ") != "abc" || BearerToken("Basic abc") != "" || BearerToken("Bearer") != "" {
		t.Fatal("BearerToken")
	}
}

func TestSigner(t *testing.T) {
	s := NewSigner([]byte("key"))
	q := s.Sign("/api/photos/1", time.Minute)
	vals, _ := parseQuery(q)
	if !s.Valid("/api/photos/1", vals) {
		t.Fatal("fresh link invalid")
	}
	if s.Valid("/api/photos/2", vals) {
		t.Fatal("link valid for another path")
	}
	s.now = func() time.Time { return time.Now().Add(2 * time.Minute) }
	if s.Valid("/api/photos/1", vals) {
		t.Fatal("expired link valid")
	}
}

func parseQuery(q string) (map[string][]string, error) {
	r := httptest.NewRequest("GET", "/?"+q, nil)
	return r.URL.Query(), nil
}

func TestDecodeJSON(t *testing.T) {
	type body struct {
		Mileage int    `json:"mileage"`
		Name    string `json:"name"`
		Address struct {
			Zip string `json:"zip"`
		} `json:"address"`
	}
	cases := []struct {
		name, in, code, param, msg string
	}{
		{"ok", `{"mileage":5,"extra":true}`, "", "", ""},
		{"wrong type", `{"mileage":"5"}`, milepost.CodeInvalid, "mileage", "mileage must be an integer"},
		{"nested wrong type", `{"address":{"zip":5}}`, milepost.CodeInvalid, "address.zip", "must be a string"},
		{"syntax", `{"mileage":}`, milepost.CodeInvalid, "", "not valid JSON"},
		{"truncated", `{"mileage":1`, milepost.CodeInvalid, "", "ends too early"},
		{"empty", ``, milepost.CodeInvalid, "", "empty"},
		{"not an object", `[1]`, milepost.CodeInvalid, "", "JSON object"},
		{"trailing", `{} x`, milepost.CodeInvalid, "", "nothing after it"},
		{"too large", `{"name":"` + strings.Repeat("x", 200) + `"}`, milepost.CodeTooLarge, "", "larger than the limit"},
	}
	for _, c := range cases {
		r := httptest.NewRequest("POST", "/", strings.NewReader(c.in))
		r.Body = http.MaxBytesReader(httptest.NewRecorder(), r.Body, 100)
		var b body
		err := DecodeJSON(r, &b)
		if milepost.ErrorCode(err) != c.code {
			t.Errorf("%s: %v, want code %q", c.name, err, c.code)
			continue
		}
		if c.param != "" && (len(milepost.ErrorParams(err)) == 0 || milepost.ErrorParams(err)[0] != c.param) {
			t.Errorf("%s: params %v, want %s", c.name, milepost.ErrorParams(err), c.param)
		}
		if !strings.Contains(milepost.ErrorMessage(err), c.msg) {
			t.Errorf("%s: message %q lacks %q", c.name, milepost.ErrorMessage(err), c.msg)
		}
	}
}

func TestRecoverAndRequestID(t *testing.T) {
	var logBuf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logBuf, nil))
	var written atomic.Bool
	h := WithRequestID(AccessLog(log, Recover(log, func(w http.ResponseWriter, r *http.Request, err error) {
		written.Store(true)
		w.WriteHeader(500)
	}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("boom") }))))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	if rec.Code != 500 || !written.Load() || !strings.Contains(logBuf.String(), "boom") || rec.Header().Get("X-Request-Id") == "" {
		t.Fatalf("panic not recovered: %d %q", rec.Code, logBuf.String())
	}
	req := httptest.NewRequest("GET", "/x", nil)
	req.Header.Set("X-Request-Id", "bad id with spaces")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if id := rec.Header().Get("X-Request-Id"); id == "bad id with spaces" || id == "" {
		t.Fatalf("unsafe request id echoed: %q", id)
	}
}

type countingPartners struct {
	milepost.PartnerService
	calls atomic.Int32
}

func (c *countingPartners) Authenticate(_ context.Context, partnerID, clientID, secret string) (*milepost.Partner, error) {
	c.calls.Add(1)
	if secret != "right" {
		return nil, &milepost.Error{Code: milepost.CodeUnauthorized}
	}
	return &milepost.Partner{ID: partnerID}, nil
}

func TestCredentialCache(t *testing.T) {
	backend := &countingPartners{}
	c := NewCredentialCache(backend, time.Minute)
	for i := 0; i < 3; i++ {
		if _, err := c.Authenticate(context.Background(), "p", "c", "right"); err != nil {
			t.Fatal(err)
		}
	}
	if backend.calls.Load() != 1 {
		t.Fatalf("%d store calls for 3 identical authentications, want 1", backend.calls.Load())
	}
	for i := 0; i < 2; i++ {
		if _, err := c.Authenticate(context.Background(), "p", "c", "wrong"); err == nil {
			t.Fatal("wrong secret accepted")
		}
	}
	if backend.calls.Load() != 3 {
		t.Fatalf("failures must not be cached: %d calls", backend.calls.Load())
	}
	var me *milepost.Error
	_, err := c.Authenticate(context.Background(), "p", "c", "wrong")
	if !errors.As(err, &me) {
		t.Fatal("the store's error must pass through")
	}
}
