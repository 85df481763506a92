package console

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/httpx"
)

// harness is a console over the fake services with two partners: A (reviewer rita, a user, a
// vehicle, a Pending mileage check-in with two photos) and B (reviewer bob, one check-in).
type harness struct {
	t *testing.T
	f *fake
	c *Console
}

var t0 = time.Date(2026, 5, 1, 9, 30, 0, 0, time.UTC)

func newHarness(t *testing.T, mutate ...func(*Config)) *harness {
	t.Helper()
	f := newFake()
	f.addReviewer("pA", "rita@a.test", "pw-a")
	f.addReviewer("pB", "bob@b.test", "pw-b")
	f.users["u1"] = &milepost.User{ID: "u1", PartnerID: "pA", FirstName: "Ann", LastName: "Lee", Phone: "+15550001111"}
	f.vehicles["v1"] = &milepost.Vehicle{ID: "v1", PartnerID: "pA", UserID: "u1", VIN: "1HGCM82633A004352", Make: "Honda", Model: "Accord", Year: 2003, Active: true}
	taken, claimed := t0.Add(-3*time.Hour), t0.Add(-time.Minute)
	lat, lng, far := 30.2672, -97.7431, 48.8566
	f.uploads["up1"] = &milepost.Upload{ID: "up1", PartnerID: "pA", SHA256: "aa11", Size: 4, TakenOn: &claimed, Latitude: &lat, Longitude: &lng,
		Media: milepost.Media{ContentType: "image/jpeg", Width: 640, Height: 480, EXIF: milepost.EXIF{TakenAt: &taken, TakenAtHasZone: true, Latitude: &far, Longitude: &lng, Make: "Apple", Model: "iPhone 15"}}}
	f.uploads["up2"] = &milepost.Upload{ID: "up2", PartnerID: "pA", SHA256: "bb22", Size: 4, TakenOn: &claimed, Media: milepost.Media{ContentType: "image/jpeg"}}
	f.uploads["doc"] = &milepost.Upload{ID: "doc", PartnerID: "pA", SHA256: "cc33", Size: 4, Media: milepost.Media{ContentType: "application/pdf"}}
	f.uploads["upB"] = &milepost.Upload{ID: "upB", PartnerID: "pB", SHA256: "dd44", Size: 4, Media: milepost.Media{ContentType: "image/jpeg"}}
	for id := range f.uploads {
		f.blobs[id] = []byte("JPEG")
	}
	f.checkins["c1"] = &milepost.Checkin{ID: "c1", PartnerID: "pA", UserID: "u1", VehicleID: "v1", Type: milepost.CheckinMileage, Status: milepost.StatusPending,
		Mileage: 12345, License: "ABC123", State: "CA", CreatedAt: t0, UpdatedAt: t0, Run: 1,
		Photos: []milepost.CheckinPhoto{{UploadID: "up1", Role: milepost.RoleOdometer}, {UploadID: "up2", Role: milepost.RoleLicense}}}
	f.checkins["cB"] = &milepost.Checkin{ID: "cB", PartnerID: "pB", UserID: "uB", Type: milepost.CheckinMileage, Status: milepost.StatusOnHold, CreatedAt: t0}
	f.rewards = []*milepost.Reward{{ID: "r1", PartnerID: "pA", UserID: "u1", CheckinID: "c1", Type: milepost.RewardMileage, Status: milepost.RewardPending, AmountCents: 200}}
	cfg := f.config()
	for _, m := range mutate {
		m(&cfg)
	}
	return &harness{t: t, f: f, c: New(cfg)}
}

// request describes one request of a test.
type request struct {
	method, path string
	session      *milepost.ConsoleSession // sent as the session cookie
	form         url.Values
	cookies      []*http.Cookie
	header       map[string]string
}

func (h *harness) do(rq request) *httptest.ResponseRecorder {
	h.t.Helper()
	var body *strings.Reader
	if rq.form != nil {
		body = strings.NewReader(rq.form.Encode())
	} else {
		body = strings.NewReader("")
	}
	r := httptest.NewRequest(rq.method, rq.path, body)
	r.RemoteAddr = "192.0.2.7:40000"
	if rq.form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if rq.session != nil {
		r.AddCookie(&http.Cookie{Name: h.c.cookieName(sessionCookie), Value: rq.session.Token})
	}
	for _, c := range rq.cookies {
		r.AddCookie(c)
	}
	for k, v := range rq.header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.c.Handler().ServeHTTP(w, r)
	return w
}

func TestPagesNeedASession(t *testing.T) {
	h := newHarness(t)
	for _, path := range []string{"/console/", "/console/checkins/c1", "/console/vehicles/v1", "/console/users/u1", "/console/audit", "/console/photos/up1", "/console/nope"} {
		w := h.do(request{method: "GET", path: path})
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/console/login?next="+url.QueryEscape(path) {
			t.Errorf("GET %s without a session: %d %q", path, w.Code, w.Header().Get("Location"))
		}
	}
	stale := &milepost.ConsoleSession{Token: "expired"}
	if w := h.do(request{method: "GET", path: "/console/", session: stale}); w.Code != http.StatusSeeOther {
		t.Errorf("expired session: %d", w.Code)
	}
	// Assets need none: the sign-in page uses them.
	if w := h.do(request{method: "GET", path: assetURL("console.css")}); w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/css") {
		t.Errorf("asset: %d %q", w.Code, w.Header().Get("Content-Type"))
	}
}

// loginCSRF fetches the sign-in page and returns its CSRF cookie and the form's token.
func (h *harness) loginCSRF() (*http.Cookie, string) {
	h.t.Helper()
	w := h.do(request{method: "GET", path: "/console/login?next=%2Fconsole%2Fcheckins%2Fc1"})
	if w.Code != http.StatusOK {
		h.t.Fatalf("login page: %d", w.Code)
	}
	var ck *http.Cookie
	for _, c := range w.Result().Cookies() {
		if c.Name == h.c.cookieName(loginCookie) {
			ck = c
		}
	}
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(w.Body.String())
	if ck == nil || m == nil || m[1] != ck.Value || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode {
		h.t.Fatalf("login page CSRF: cookie %+v, form %v", ck, m)
	}
	if !strings.Contains(w.Body.String(), `name="next" value="/console/checkins/c1"`) {
		h.t.Fatalf("login page keeps no destination:\n%s", w.Body)
	}
	return ck, m[1]
}

func TestSignIn(t *testing.T) {
	h := newHarness(t)
	ck, token := h.loginCSRF()
	other := &http.Cookie{Name: ck.Name, Value: randomToken()}
	tests := []struct {
		name      string
		form      url.Values
		cookies   []*http.Cookie
		signInErr error
		status    int
		want      string // in the body, or the Location of a redirect
	}{
		{"no token", url.Values{"email": {"rita@a.test"}, "password": {"pw-a"}}, []*http.Cookie{ck}, nil, 403, "did not come from this console"},
		{"no cookie", url.Values{"csrf": {token}, "email": {"rita@a.test"}, "password": {"pw-a"}}, nil, nil, 403, "did not come from this console"},
		{"token of another browser", url.Values{"csrf": {token}, "email": {"rita@a.test"}, "password": {"pw-a"}}, []*http.Cookie{other}, nil, 403, "did not come from this console"},
		{"wrong password", url.Values{"csrf": {token}, "email": {"rita@a.test"}, "password": {"nope"}}, []*http.Cookie{ck}, nil, 401, "The e-mail address or the password is wrong."},
		{"rate limited by the store", url.Values{"csrf": {token}, "email": {"rita@a.test"}, "password": {"pw-a"}}, []*http.Cookie{ck},
			milepost.Errorf(milepost.CodeRateLimited, "", "Too many."), 429, "Too many failed sign-ins for this e-mail address"},
		{"signed in", url.Values{"csrf": {token}, "email": {"rita@a.test"}, "password": {"pw-a"}, "next": {"/console/checkins/c1"}}, []*http.Cookie{ck}, nil, 303, "/console/checkins/c1"},
		{"signed in, foreign destination dropped", url.Values{"csrf": {token}, "email": {"rita@a.test"}, "password": {"pw-a"}, "next": {"https://evil.test/console/"}}, []*http.Cookie{ck}, nil, 303, "/console/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.f.signInErr = tt.signInErr
			w := h.do(request{method: "POST", path: "/console/login", form: tt.form, cookies: tt.cookies})
			got := w.Body.String()
			if w.Code == http.StatusSeeOther {
				got = w.Header().Get("Location")
			}
			if w.Code != tt.status || !strings.Contains(got, tt.want) {
				t.Fatalf("status %d, want %d; %q does not contain %q", w.Code, tt.status, got, tt.want)
			}
			var session *http.Cookie
			for _, c := range w.Result().Cookies() {
				if c.Name == sessionCookie {
					session = c
				}
			}
			if (session != nil) != (w.Code == http.StatusSeeOther) {
				t.Fatalf("session cookie %+v with status %d", session, w.Code)
			}
			if session != nil && (session.Value != "tok-rita@a.test" || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/console" || session.Secure) {
				t.Fatalf("session cookie %+v", session)
			}
		})
	}
}

func TestSecureCookies(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Secure = true })
	ck, token := h.loginCSRF()
	if ck.Name != "__Host-milepost_login" || !ck.Secure || ck.Path != "/" {
		t.Fatalf("login cookie %+v", ck)
	}
	w := h.do(request{method: "POST", path: "/console/login", cookies: []*http.Cookie{ck},
		form: url.Values{"csrf": {token}, "email": {"rita@a.test"}, "password": {"pw-a"}}})
	cookies := w.Result().Cookies()
	var s *http.Cookie
	for _, c := range cookies {
		if c.Name == "__Host-milepost_console" {
			s = c
		}
	}
	if w.Code != http.StatusSeeOther || s == nil || !s.Secure || !s.HttpOnly || s.Path != "/" || s.Domain != "" || s.SameSite != http.SameSiteLaxMode {
		t.Fatalf("status %d, cookies %+v", w.Code, cookies)
	}
}

func TestSignInLimitPerClient(t *testing.T) {
	now := t0
	h := newHarness(t, func(c *Config) {
		c.SignInLimiter = httpx.NewRateLimiter(signInPerSecond, signInBurst, httpx.WithRateClock(func() time.Time { return now }))
	})
	ck, token := h.loginCSRF()
	form := url.Values{"csrf": {token}, "email": {"rita@a.test"}, "password": {"wrong"}}
	for i := range signInBurst {
		if w := h.do(request{method: "POST", path: "/console/login", form: form, cookies: []*http.Cookie{ck}}); w.Code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, w.Code)
		}
	}
	w := h.do(request{method: "POST", path: "/console/login", form: form, cookies: []*http.Cookie{ck}})
	if w.Code != http.StatusTooManyRequests || !strings.Contains(w.Body.String(), "Too many sign-in attempts from your network") || w.Header().Get("Retry-After") == "" {
		t.Fatalf("over the limit: %d %q", w.Code, w.Header().Get("Retry-After"))
	}
	now = now.Add(3 * time.Second)
	form.Set("password", "pw-a")
	if w := h.do(request{method: "POST", path: "/console/login", form: form, cookies: []*http.Cookie{ck}}); w.Code != http.StatusSeeOther {
		t.Fatalf("after waiting: %d", w.Code)
	}
}

func TestFormsNeedTheSessionToken(t *testing.T) {
	s := &milepost.ConsoleSession{}
	tests := []struct {
		name    string
		csrf    string
		session bool
		header  map[string]string
		status  int
		decided bool
	}{
		{"no token", "", true, nil, 403, false},
		{"wrong token", "csrf-bob@b.test", true, nil, 403, false},
		{"token in the query only", "", true, nil, 403, false},
		{"cross-site post with the token", "csrf-rita@a.test", true, map[string]string{"Sec-Fetch-Site": "cross-site"}, 403, false},
		{"no session", "csrf-rita@a.test", false, nil, 403, false},
		{"valid", "csrf-rita@a.test", true, map[string]string{"Sec-Fetch-Site": "same-origin"}, 303, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			s = h.f.session("rita@a.test")
			rq := request{method: "POST", path: "/console/checkins/c1/decision", header: tt.header,
				form: url.Values{"status": {"Confirmed"}, "adminNote": {"ok"}}}
			if tt.name == "token in the query only" {
				rq.path += "?csrf=csrf-rita@a.test"
			}
			if tt.csrf != "" {
				rq.form.Set("csrf", tt.csrf)
			}
			if tt.session {
				rq.session = s
			}
			w := h.do(rq)
			if w.Code != tt.status || (len(h.f.decisions) > 0) != tt.decided {
				t.Fatalf("status %d (want %d), decisions %v", w.Code, tt.status, h.f.decisions)
			}
			if tt.status == 403 && !strings.Contains(w.Body.String(), "Form refused") {
				t.Fatalf("403 page:\n%s", w.Body)
			}
		})
	}
}

func TestDecision(t *testing.T) {
	tests := []struct {
		name      string
		form      url.Values
		decideErr error
		status    int
		want      milepost.ReviewDecision
		body      string
	}{
		{"confirm with a note", url.Values{"status": {"Confirmed"}, "adminNote": {"readable"}, "fraud": {""}, "photo": {"up1", "up2"}},
			nil, 303, milepost.ReviewDecision{Status: milepost.StatusConfirmed, AdminNote: "readable", Reviewer: "rita@a.test"}, ""},
		{"decline as fraud, odometer marked invalid", url.Values{"status": {"Declined"}, "adminNote": {"edited"}, "fraud": {"yes"}, "photo": {"up1", "up2"}, "invalid": {"up1"}},
			nil, 303, milepost.ReviewDecision{Status: milepost.StatusDeclined, AdminNote: "edited", Fraud: ptr(true), Reviewer: "rita@a.test",
				Photos: []milepost.PhotoReview{{UploadID: "up1", MarkedInvalidByReview: ptr(true)}}}, ""},
		{"refused by the lifecycle", url.Values{"status": {"OnHold"}, "adminNote": {"my note"}},
			milepost.Errorf(milepost.CodeConflict, milepost.ReasonCheckinFinal, "The check-in changed meanwhile; reload it."), 409,
			milepost.ReviewDecision{}, "The check-in changed meanwhile; reload it."},
		{"bad fraud value", url.Values{"status": {"OnHold"}, "fraud": {"maybe"}}, nil, 400, milepost.ReviewDecision{}, "fraud must be yes, no or empty."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.f.decideErr = tt.decideErr
			s := h.f.session("rita@a.test")
			tt.form.Set("csrf", s.CSRF)
			w := h.do(request{method: "POST", path: "/console/checkins/c1/decision", session: s, form: tt.form})
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d\n%s", w.Code, tt.status, w.Body)
			}
			if tt.status == 303 {
				if loc := w.Header().Get("Location"); loc != "/console/checkins/c1?saved=1" {
					t.Fatalf("redirect to %q", loc)
				}
				if len(h.f.decisions) != 1 || !sameDecision(h.f.decisions[0], tt.want) {
					t.Fatalf("decisions %+v, want %+v", h.f.decisions, tt.want)
				}
				page := h.do(request{method: "GET", path: "/console/checkins/c1?saved=1", session: s}).Body.String()
				if !strings.Contains(page, "Decision saved: the check-in is "+string(tt.want.Status)) {
					t.Fatalf("page after the decision:\n%s", page)
				}
				return
			}
			// A refused decision shows the page again, the reason and the reviewer's note.
			if body := w.Body.String(); !strings.Contains(body, tt.body) || !strings.Contains(body, `role="alert"`) || !strings.Contains(body, ">"+tt.form.Get("adminNote")+"</textarea>") {
				t.Fatalf("refused decision page:\n%s", body)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func sameDecision(a, b milepost.ReviewDecision) bool {
	if a.Status != b.Status || a.AdminNote != b.AdminNote || a.Reviewer != b.Reviewer || flag(a.Fraud) != flag(b.Fraud) || len(a.Photos) != len(b.Photos) {
		return false
	}
	for i := range a.Photos {
		p, q := a.Photos[i], b.Photos[i]
		if p.UploadID != q.UploadID || flag(p.MarkedInvalidByReview) != flag(q.MarkedInvalidByReview) || flag(p.DamageDetected) != flag(q.DamageDetected) {
			return false
		}
	}
	return true
}

func TestPhotoMarks(t *testing.T) {
	c := &milepost.Checkin{Photos: []milepost.CheckinPhoto{{UploadID: "a"}, {UploadID: "b", DamageDetected: true}, {UploadID: "c", MarkedInvalidByReview: true}}}
	tests := []struct {
		name string
		form url.Values
		want []milepost.PhotoReview
	}{
		{"nothing changed", url.Values{"photo": {"a", "b", "c"}, "damage": {"b"}, "invalid": {"c"}}, nil},
		{"marks set and cleared", url.Values{"photo": {"a", "b", "c"}, "invalid": {"a"}},
			[]milepost.PhotoReview{{UploadID: "a", MarkedInvalidByReview: ptr(true)}, {UploadID: "b", DamageDetected: ptr(false)}, {UploadID: "c", MarkedInvalidByReview: ptr(false)}}},
		{"photos not on the form are left alone", url.Values{"photo": {"a"}}, nil},
		{"unknown photos are ignored", url.Values{"photo": {"zzz"}, "invalid": {"zzz"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := photoMarks(c, tt.form)
			if !sameDecision(milepost.ReviewDecision{Photos: got}, milepost.ReviewDecision{Photos: tt.want}) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestAnotherPartnersPages(t *testing.T) {
	h := newHarness(t)
	bob := h.f.session("bob@b.test")
	for _, path := range []string{"/console/checkins/c1", "/console/vehicles/v1", "/console/users/u1", "/console/photos/up1"} {
		w := h.do(request{method: "GET", path: path, session: bob})
		if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "belongs to another partner") {
			t.Errorf("bob GET %s: %d\n%s", path, w.Code, w.Body)
		}
		if strings.Contains(w.Body.String(), "12,345") || strings.Contains(w.Body.String(), "Ann") {
			t.Errorf("bob GET %s shows partner A's data", path)
		}
	}
	w := h.do(request{method: "POST", path: "/console/checkins/c1/decision", session: bob, form: url.Values{"csrf": {bob.CSRF}, "status": {"Confirmed"}}})
	if w.Code != http.StatusForbidden || len(h.f.decisions) != 0 {
		t.Fatalf("bob decided A's check-in: %d %v", w.Code, h.f.decisions)
	}
	if w := h.do(request{method: "GET", path: "/console/checkins/missing", session: bob}); w.Code != http.StatusNotFound {
		t.Fatalf("missing check-in: %d", w.Code)
	}
	// Bob's queue holds only partner B's check-in.
	q := h.do(request{method: "GET", path: "/console/", session: bob}).Body.String()
	if strings.Contains(q, "/console/checkins/c1") || !strings.Contains(q, "/console/checkins/cB") {
		t.Fatalf("bob's queue:\n%s", q)
	}
}

func TestSecurityHeaders(t *testing.T) {
	h := newHarness(t)
	s := h.f.session("rita@a.test")
	for _, path := range []string{"/console/login", "/console/", "/console/checkins/c1", "/console/vehicles/v1", "/console/users/u1", "/console/audit", "/console/nope"} {
		w := h.do(request{method: "GET", path: path, session: s})
		hd := w.Header()
		if hd.Get("Content-Security-Policy") != contentSecurityPolicy || hd.Get("X-Frame-Options") != "DENY" || hd.Get("Cache-Control") != "no-store" ||
			hd.Get("Referrer-Policy") != "same-origin" || hd.Get("X-Content-Type-Options") != "nosniff" || hd.Get("Content-Type") != "text/html; charset=utf-8" {
			t.Errorf("GET %s (%d) headers %v", path, w.Code, hd)
		}
	}
	if !strings.Contains(contentSecurityPolicy, "script-src 'self';") || strings.Contains(contentSecurityPolicy, "unsafe") {
		t.Fatalf("CSP %q", contentSecurityPolicy)
	}
}

// TestTemplatesFitTheCSP checks that no template relies on what the Content-Security-Policy
// blocks: inline scripts, event-handler attributes, style attributes or elements, other origins.
func TestTemplatesFitTheCSP(t *testing.T) {
	bad := regexp.MustCompile(`(?i)<script>|<script [^>]*>[^<]|\son[a-z]+=|\sstyle=|<style|https?://|javascript:`)
	entries, err := templateFS.ReadDir("templates")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, _ := templateFS.ReadFile("templates/" + e.Name())
		if m := bad.FindString(string(b)); m != "" {
			t.Errorf("%s: %q would be blocked by the CSP or reach another origin", e.Name(), m)
		}
	}
}

func TestUserTextIsEscaped(t *testing.T) {
	h := newHarness(t)
	evil := `<script>alert(1)</script><img src=x onerror=alert(2)>`
	h.f.checkins["c1"].AdminNote = evil
	h.f.checkins["c1"].License = evil
	h.f.users["u1"].FirstName = evil
	h.f.signals["c1"] = []milepost.Signal{{Name: "plate_mismatch", Verdict: milepost.VerdictHold, Reason: evil, Value: evil}}
	h.f.audit = append(h.f.audit, &milepost.AuditEntry{PartnerID: "pA", CheckinID: "c1", Reviewer: evil, NoteAfter: evil})
	s := h.f.session("rita@a.test")
	for _, path := range []string{"/console/", "/console/checkins/c1", "/console/users/u1", "/console/audit"} {
		body := h.do(request{method: "GET", path: path, session: s}).Body.String()
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
			t.Errorf("GET %s renders user text unescaped", path)
		}
		if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("GET %s does not show the escaped text", path)
		}
	}
}

func TestCheckinPage(t *testing.T) {
	h := newHarness(t)
	h.f.signals["c1"] = []milepost.Signal{
		{Analyzer: "tamper", Name: "claimed_mismatch", Value: "distance 1987000m", Verdict: milepost.VerdictHold, Fraud: true, UploadID: "up1",
			Reason: "The odometer photo's location does not match the location reported by the app."},
		{Analyzer: "evidence", Name: "evidence_present", Value: "license=1,odometer=1", Verdict: milepost.VerdictPass},
	}
	h.f.history["v1"] = &milepost.OdometerHistory{VIN: "1HGCM82633A004352", Readings: []milepost.OdometerReading{
		{Source: milepost.SourceMileageCheckin, SourceID: "c0", At: t0.AddDate(0, -1, 0), Value: 12000, Unit: milepost.Miles, Miles: 12000}}}
	s := h.f.session("rita@a.test")
	body := h.do(request{method: "GET", path: "/console/checkins/c1", session: s}).Body.String()
	for _, want := range []string{
		`<img src="/console/photos/up1"`, // every photo, large
		"Odometer", "License plate",
		"2026-05-01 06:30 UTC",                   // capture time from the file
		"2 h 59 min apart",                       // against the app's claim
		"Times do not match",                     // highlighted
		"Places do not match",                    // the signal and the distance both say so
		"File versus app: Needs review", "Fraud", // the signal in plain language
		"1 checks passed", "Required photos",
		`class="odometer-chart"`, "12,345 mi", "$2.00",
		`name="csrf" value="csrf-rita@a.test"`, `data-key="c"`, `data-key="d"`, `data-key="h"`,
		`name="invalid" value="up1" form="decision"`, `name="damage" value="up2" form="decision"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("check-in page lacks %q", want)
		}
	}
	// A decided check-in has no form.
	h.f.checkins["c1"].Status = milepost.StatusConfirmed
	body = h.do(request{method: "GET", path: "/console/checkins/c1", session: s}).Body.String()
	if strings.Contains(body, `id="decision"`) || !strings.Contains(body, "which is final") {
		t.Fatalf("decided check-in page offers a decision")
	}
}

func TestQueue(t *testing.T) {
	tests := []struct {
		query  string
		status int
		check  func(milepost.ReviewFilter) bool
		body   string
	}{
		{"", 200, func(f milepost.ReviewFilter) bool {
			return f.Type == "" && f.Status == "" && f.Fraud == nil && f.Page == 0 && f.Size == queuePageSize
		}, "1 waiting, oldest first"},
		{"?type=condition&status=OnHold&fraud=yes&damage=no&page=2", 200, func(f milepost.ReviewFilter) bool {
			return f.Type == milepost.CheckinCondition && f.Status == milepost.StatusOnHold && *f.Fraud && !*f.Damage && f.Page == 1
		}, "Nothing is waiting for review with these filters"},
		{"?from=2026-05-01&to=2026-05-01", 200, func(f milepost.ReviewFilter) bool {
			return f.From.Equal(time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)) && f.To.Equal(time.Date(2026, 5, 1, 23, 59, 59, 999e6, time.UTC))
		}, ""},
		{"?type=bogus", 400, nil, "Choose a check-in type from the list."},
		{"?status=Confirmed", 400, nil, "The queue holds only Pending and OnHold check-ins."},
		{"?from=05/01/2026", 400, nil, "Dates are written YYYY-MM-DD."},
		{"?from=2026-05-02&to=2026-05-01", 400, nil, "The end date is before the start date."},
		{"?page=0", 400, nil, "The page must be a number from 1."},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			h := newHarness(t)
			s := h.f.session("rita@a.test")
			w := h.do(request{method: "GET", path: "/console/" + tt.query, session: s})
			if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.body) {
				t.Fatalf("status %d, want %d; body lacks %q\n%s", w.Code, tt.status, tt.body, w.Body)
			}
			if tt.check != nil && (len(h.f.filters) != 1 || !tt.check(h.f.filters[0])) {
				t.Fatalf("filters %+v", h.f.filters)
			}
			if tt.check == nil && len(h.f.filters) != 0 {
				t.Fatalf("an invalid filter reached the service: %+v", h.f.filters)
			}
			if !strings.Contains(w.Body.String(), `<strong id="count-pending">1</strong>`) {
				t.Fatalf("counts missing")
			}
		})
	}
}

func TestPhotos(t *testing.T) {
	h := newHarness(t)
	s := h.f.session("rita@a.test")
	w := h.do(request{method: "GET", path: "/console/photos/up1", session: s})
	if w.Code != 200 || w.Header().Get("Content-Type") != "image/jpeg" || w.Body.String() != "JPEG" || w.Header().Get("ETag") != `"aa11"` {
		t.Fatalf("photo: %d %v", w.Code, w.Header())
	}
	if w := h.do(request{method: "GET", path: "/console/photos/up1", session: s, header: map[string]string{"If-None-Match": `"aa11"`}}); w.Code != http.StatusNotModified {
		t.Fatalf("revalidation: %d", w.Code)
	}
	w = h.do(request{method: "GET", path: "/console/photos/doc", session: s})
	if w.Header().Get("Content-Type") != "application/octet-stream" || !strings.HasPrefix(w.Header().Get("Content-Disposition"), "attachment;") {
		t.Fatalf("a PDF is not a download: %v", w.Header())
	}
}

func TestSignOut(t *testing.T) {
	h := newHarness(t)
	s := h.f.session("rita@a.test")
	if w := h.do(request{method: "POST", path: "/console/logout", session: s, form: url.Values{}}); w.Code != http.StatusForbidden {
		t.Fatalf("sign-out without a token: %d", w.Code)
	}
	w := h.do(request{method: "POST", path: "/console/logout", session: s, form: url.Values{"csrf": {s.CSRF}}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/console/login" {
		t.Fatalf("sign-out: %d", w.Code)
	}
	if _, err := h.f.Session(t.Context(), s.Token); err == nil {
		t.Fatal("the session outlived the sign-out")
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"":                             "/console/",
		"/console/checkins/x?saved=1":  "/console/checkins/x?saved=1",
		"//evil.test/console/":         "/console/",
		"https://evil.test/console/":   "/console/",
		"/console/../api/users":        "/console/../api/users", // stays on this server; the mux cleans it
		"/api/users":                   "/console/",
		"/console/\\evil":              "/console/",
		"/console/login?next=/console": "/console/",
		"javascript:alert(1)":          "/console/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
