package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/milepost/milepost/milepostest"
)

// The review console's browser tests drive headless Chromium (Debian's package; the test
// command installs it with scripts/setup-browser.sh and exports MILEPOST_CHROMIUM) against the
// real server on SQLite and on PostgreSQL. One browser serves the whole test; each store and
// each reviewer gets its own browser context (own cookies), so sessions never mix.

// browser starts headless Chromium for the test and returns a context that has it running.
// Without a browser the test is skipped, except under CI=true where that is a failure.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv("MILEPOST_CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no Chromium at %s (scripts/setup-browser.sh installs it): %v", path, err)
		}
		t.Skipf("no Chromium at %s (run scripts/setup-browser.sh, or set MILEPOST_CHROMIUM): %v", path, err)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900), // a laptop screen
	)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("start Chromium %s: %v", path, err)
	}
	return ctx
}

// tab is one browser tab in a browser context of its own, with the page errors it saw.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
	dir  string // where screenshots go
	shot int

	mu       sync.Mutex
	errs     []string
	expected map[string]bool // URLs whose error status the test asked for
}

// newTab opens a tab in a fresh browser context (no cookies) and records console errors,
// uncaught exceptions and error log entries of its pages; the test fails on any of them when
// it ends.
func newTab(t *testing.T, browser context.Context, base string) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	tb := &tab{t: t, ctx: ctx, base: base, dir: t.TempDir(), expected: map[string]bool{}}
	if keep := os.Getenv("MILEPOST_SCREENSHOT_DIR"); keep != "" {
		tb.dir = filepath.Join(keep, strings.ReplaceAll(t.Name(), "/", "_"))
		if err := os.MkdirAll(tb.dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Listen(ctx, tb.event); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	t.Cleanup(func() {
		tb.mu.Lock()
		defer tb.mu.Unlock()
		for _, e := range tb.errs {
			t.Errorf("page error: %s", e)
		}
		cancel()
	})
	return tb
}

// event runs on the tab's reader goroutine: it only records.
func (tb *tab) event(ev any) {
	var msg string
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if e.Type != runtime.ConsoleAPICalledTypeError && e.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		var parts []string
		for _, a := range e.Args {
			parts = append(parts, fmt.Sprint(a.Value, a.Description))
		}
		msg = "console." + string(e.Type) + ": " + strings.Join(parts, " ")
	case *runtime.EventExceptionThrown:
		d := e.ExceptionDetails
		msg = fmt.Sprintf("exception: %s at %s:%d", d.Text, d.URL, d.LineNumber)
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
	case *cdplog.EventEntryAdded:
		if e.Entry.Level != cdplog.EntryLevelError {
			return
		}
		tb.mu.Lock()
		ok := tb.expected[e.Entry.URL]
		tb.mu.Unlock()
		if ok {
			return // the error page the test navigated to on purpose
		}
		msg = fmt.Sprintf("log %s: %s (%s)", e.Entry.Source, e.Entry.Text, e.Entry.URL)
	default:
		return
	}
	tb.mu.Lock()
	tb.errs = append(tb.errs, msg)
	tb.mu.Unlock()
}

// do runs steps with a time limit, failing the test with what failed.
func (tb *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tb.screenshot("failed")
		tb.t.Fatalf("%s: %v", what, err)
	}
}

// text returns the visible text of the first element matching a CSS selector.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 15*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		tb.screenshot("failed")
		tb.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// attr returns an attribute of the first element matching sel.
func (tb *tab) attr(sel, name string) string {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 15*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(sel), name))
	if err != nil || !v.Exists {
		tb.t.Fatalf("attribute %s of %s: %v %v", name, sel, v, err)
	}
	return v.Value
}

// open navigates to a console path and returns the HTTP status of the document. A status of
// 400 or more is expected by the caller, so its "failed to load" log entry is not an error.
func (tb *tab) open(path string, wantStatus int) {
	tb.t.Helper()
	if wantStatus >= 400 {
		tb.mu.Lock()
		tb.expected[tb.base+path] = true
		tb.mu.Unlock()
	}
	ctx, cancel := context.WithTimeout(tb.ctx, 15*time.Second)
	defer cancel()
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(tb.base+path))
	if err != nil {
		tb.t.Fatalf("open %s: %v", path, err)
	}
	if int(res.Status) != wantStatus {
		tb.screenshot("failed")
		tb.t.Fatalf("open %s: status %d, want %d", path, res.Status, wantStatus)
	}
}

// screenshot saves the whole page as a PNG under the test's temp dir (or under
// $MILEPOST_SCREENSHOT_DIR, to keep them).
func (tb *tab) screenshot(name string) {
	tb.shot++
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Logf("screenshot %s: %v", name, err)
		return
	}
	file := filepath.Join(tb.dir, fmt.Sprintf("%02d-%s.png", tb.shot, name))
	if err := os.WriteFile(file, png, 0o600); err != nil {
		tb.t.Fatal(err)
	}
	tb.t.Logf("screenshot %s", file)
}

// signIn signs a reviewer in through the form at /console/login, starting from path (a page
// that needs a session) and ending back on it.
func (tb *tab) signIn(path, email, password, waitFor string) {
	tb.t.Helper()
	tb.do("sign in as "+email,
		chromedp.Navigate(tb.base+path),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS(`.login button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(waitFor)),
	)
}

// consoleClient signs a reviewer in with a plain HTTP client (cookie jar, no redirects).
func consoleClient(t *testing.T, base, email, password string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(base + "/console/login")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("no csrf field on the sign-in page: %s", body)
	}
	res, err = c.PostForm(base+"/console/login", url.Values{"csrf": {string(m[1])}, "email": {email}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in over HTTP: status %d", res.StatusCode)
	}
	return c
}

func TestConsoleBrowser(t *testing.T) {
	b := browser(t)
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		cfg := testConfig(s)
		cfg.Role = "api" // no verification workers: check-ins stay Pending for the reviewer
		a := startAppWith(t, cfg)
		ctx := context.Background()
		pa, pb := a.partner(), a.partner()
		c := legacy(pa)
		applyCampaign(t, s, campaignYAML(pa.Partner.ID, "2.00"))
		uid := a.user(c, "+15558700001")
		v1 := a.vehicle(c, uid, "1HGCM82633A004352", "Honda", 2003, "ABC123")
		v2 := a.vehicle(c, uid, "1M8GDM9AXKP042788", "Motor Coach", 1989, "XYZ789")
		checkin := func(vid, plate string, mileage, seed int) string {
			t.Helper()
			r := a.expect(a.do("POST", "/api/vehicles/checkin/mileage", c, mileageBody(vid, plate, mileage, a.freshPhoto(c, uid, seed), a.freshPhoto(c, uid, seed+1))), 200, "")
			return r.obj(t)["id"].(string)
		}
		m1 := checkin(v1, "ABC123", 41_200, 1)
		m2 := checkin(v2, "XYZ789", 88_000, 3)
		m3 := checkin(v1, "ABC123", 41_900, 5)
		for _, id := range []string{m1, m2} {
			if rw := a.rewardOf(c, uid, id); rw == nil || rw["status"] != "Pending" {
				t.Fatalf("reward of %s before review: %v", id, rw)
			}
		}
		ra, err := a.app.DB.Reviewers().AddReviewer(ctx, pa.Partner.ID, "rita@example.com")
		if err != nil {
			t.Fatal(err)
		}
		rb, err := a.app.DB.Reviewers().AddReviewer(ctx, pb.Partner.ID, "bob@example.org")
		if err != nil {
			t.Fatal(err)
		}
		base := a.app.URL()

		// Partner A's reviewer: the queue needs a session, so it leads to the sign-in form and
		// back.
		ta := newTab(t, b, base)
		ta.signIn("/console/", ra.Reviewer.Email, ra.Password, "#queue")
		if got := ta.text("#count-pending"); got != "3" {
			t.Fatalf("pending count %q, want 3", got)
		}
		if href := ta.attr("#queue a[data-row]", "href"); href != "/console/checkins/"+m1 {
			t.Fatalf("first row links to %s, want the oldest check-in %s", href, m1)
		}
		ta.screenshot("queue")

		// Open the oldest and confirm it with the keyboard shortcut c.
		ta.do("open the first check-in",
			chromedp.Click(chromedp.CSS("#queue a[data-row]")),
			chromedp.WaitVisible(chromedp.CSS("#decision")),
		)
		if _, err := chromedp.Run(ta.ctx, chromedp.Poll[bool]("document.documentElement.dataset.js === 'on'", chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			t.Fatalf("console.js did not run: %v", err) // the shortcuts below need it
		}
		if got := ta.text("#checkin-status"); got != "Pending" {
			t.Fatalf("status %q", got)
		}
		if got := ta.text("#checkin-reward"); !strings.Contains(got, "$2.00") || !strings.Contains(got, "Pending") {
			t.Fatalf("reward before the decision %q", got)
		}
		photoURL := ta.attr(".photo img", "src")
		ta.screenshot("checkin")
		ta.do("confirm with c",
			chromedp.KeyEvent("c"),
			chromedp.WaitVisible(chromedp.CSS("#saved")),
		)
		if got := ta.text("#checkin-status"); got != "Confirmed" {
			t.Fatalf("status after confirming %q", got)
		}
		if got := ta.text("#checkin-reward"); !strings.Contains(got, "Confirmed") {
			t.Fatalf("reward after confirming %q", got)
		}
		ta.screenshot("confirmed")
		if rw := a.rewardOf(c, uid, m1); rw == nil || rw["status"] != "Confirmed" {
			t.Fatalf("reward over the API after confirming: %v", rw)
		}
		if got := a.expect(a.do("GET", "/api/vehicles/checkin/mileage/"+m1, c, nil), 200, "").obj(t)["checkInStatus"]; got != "Confirmed" {
			t.Fatalf("API status %v", got)
		}

		// Decline the second with a note: the page and the audit log show it.
		const note = "The odometer photo is too blurry to read; please retake it."
		ta.open("/console/checkins/"+m2, 200)
		ta.do("decline with a note",
			chromedp.WaitVisible(chromedp.CSS("#adminNote")),
			chromedp.SendKeys(chromedp.CSS("#adminNote"), note),
			chromedp.Click(chromedp.CSS("button.decline")),
			chromedp.WaitVisible(chromedp.CSS("#saved")),
		)
		if got := ta.text("#checkin-status"); got != "Declined" {
			t.Fatalf("status after declining %q", got)
		}
		if got := ta.text("#checkin-note"); got != note {
			t.Fatalf("note %q", got)
		}
		if rw := a.rewardOf(c, uid, m2); rw == nil || rw["status"] != "Declined" {
			t.Fatalf("reward after declining: %v", rw)
		}
		ta.screenshot("declined")
		ta.open("/console/audit", 200)
		audit := ta.text("main")
		for _, want := range []string{note, ra.Reviewer.Email, "Declined", "Confirmed"} {
			if !strings.Contains(audit, want) {
				t.Fatalf("audit log lacks %q:\n%s", want, audit)
			}
		}
		ta.screenshot("audit")
		ta.open("/console/", 200)
		if got := ta.text("#count-pending"); got != "1" {
			t.Fatalf("pending count after two decisions %q", got)
		}

		// Partner B's reviewer sees neither partner A's check-in nor its photos.
		tb := newTab(t, b, base)
		tb.signIn("/console/", rb.Reviewer.Email, rb.Password, "main h1")
		if got := tb.text("#count-pending"); got != "0" {
			t.Fatalf("partner B's pending count %q", got)
		}
		tb.mu.Lock()
		tb.expected[base+"/console/checkins/"+m3] = true
		tb.mu.Unlock()
		ctxB, cancelB := context.WithTimeout(tb.ctx, 15*time.Second)
		res, err := chromedp.Run(ctxB, chromedp.NavigateResponse(base+"/console/checkins/"+m3))
		cancelB()
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != 403 && res.Status != 404 {
			t.Fatalf("partner B opened partner A's check-in: status %d", res.Status)
		}
		page := tb.text("body")
		for _, leak := range []string{"1HGCM82633A004352", "Ann", "41,900", "41900", "ABC123", "decision"} {
			if strings.Contains(page, leak) {
				t.Fatalf("partner B's error page shows %q:\n%s", leak, page)
			}
		}
		tb.screenshot("foreign-checkin")
		photoPath := strings.TrimPrefix(photoURL, base)
		tb.mu.Lock()
		tb.expected[base+photoPath] = true
		tb.mu.Unlock()
		ctxB, cancelB = context.WithTimeout(tb.ctx, 15*time.Second)
		res, err = chromedp.Run(ctxB, chromedp.NavigateResponse(base+photoPath))
		cancelB()
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != 403 && res.Status != 404 {
			t.Fatalf("partner B opened partner A's photo %s: status %d", photoPath, res.Status)
		}

		// A form post without the session's CSRF token is refused and changes nothing, also
		// with a valid session cookie.
		hc := consoleClient(t, base, ra.Reviewer.Email, ra.Password)
		post := func(form url.Values) int {
			t.Helper()
			res, err := hc.PostForm(base+"/console/checkins/"+m3+"/decision", form)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res.StatusCode
		}
		if got := post(url.Values{"status": {"Confirmed"}}); got != http.StatusForbidden {
			t.Fatalf("decision without a CSRF token: status %d", got)
		}
		if got := post(url.Values{"status": {"Confirmed"}, "csrf": {"not-the-token"}}); got != http.StatusForbidden {
			t.Fatalf("decision with a wrong CSRF token: status %d", got)
		}
		res2, err := hc.Get(base + "/console/checkins/" + m3)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res2.Body)
		res2.Body.Close()
		if res2.StatusCode != 200 {
			t.Fatalf("the session cookie does not work: status %d", res2.StatusCode)
		}
		if got := a.expect(a.do("GET", "/api/vehicles/checkin/mileage/"+m3, c, nil), 200, "").obj(t)["checkInStatus"]; got != "Pending" {
			t.Fatalf("a refused post changed the check-in: %v", got)
		}
		// The same post with the page's token goes through (the refusals above were the token's).
		tok := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(body)
		if tok == nil {
			t.Fatal("no csrf field on the check-in page")
		}
		if got := post(url.Values{"status": {"OnHold"}, "csrf": {string(tok[1])}, "adminNote": {"checking the plate"}}); got != http.StatusSeeOther {
			t.Fatalf("decision with the token: status %d", got)
		}
	})
}
