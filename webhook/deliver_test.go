package webhook_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/webhook"
)

func endpoint(url string) *milepost.WebhookEndpoint {
	return &milepost.WebhookEndpoint{ID: "we_1", PartnerID: "p1", URL: url, Secret: testSecret, Active: true}
}

func delivery() *milepost.WebhookDelivery {
	return &milepost.WebhookDelivery{ID: "dl_1", EndpointID: "we_1", EventID: "evt_1", EventType: milepost.EventRewardConfirmed,
		Payload: []byte(testBody), Status: milepost.DeliveryPending}
}

func TestDeliverSigned(t *testing.T) {
	now := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	type seen struct {
		method, contentType, userAgent, event, delivery string
		body                                            string
		verify                                          error
	}
	got := make(chan seen, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- seen{r.Method, r.Header.Get("Content-Type"), r.Header.Get("User-Agent"), r.Header.Get(webhook.HeaderEvent),
			r.Header.Get(webhook.HeaderDelivery), string(body),
			webhook.Verify(testSecret, r.Header.Get(webhook.HeaderSignature), body, now.Add(30*time.Second), time.Minute)}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()

	d := &webhook.Deliverer{AllowPrivate: true, Now: func() time.Time { return now }}
	status, err := d.Deliver(context.Background(), endpoint(srv.URL+"/hooks"), delivery())
	if status != http.StatusNoContent || err != nil {
		t.Fatalf("Deliver = %d, %v; want 204, nil", status, err)
	}
	s := <-got
	want := seen{"POST", "application/json", "Milepost-Webhooks/1", "reward.confirmed", "dl_1", testBody, nil}
	if s != want {
		t.Errorf("receiver saw %+v\nwant %+v", s, want)
	}
}

func TestDeliverTamperedBodyFailsVerify(t *testing.T) {
	var verr atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		body = append(body, ' ') // altered on the way
		if err := webhook.Verify(testSecret, r.Header.Get(webhook.HeaderSignature), body, time.Now(), 0); err != nil {
			verr.Store(err)
			http.Error(w, "bad signature", http.StatusBadRequest)
			return
		}
	}))
	defer srv.Close()
	d := &webhook.Deliverer{AllowPrivate: true}
	status, err := d.Deliver(context.Background(), endpoint(srv.URL), delivery())
	if status != http.StatusBadRequest || err == nil || err.Error() != "receiver answered 400" {
		t.Errorf("Deliver = %d, %v; want 400, receiver answered 400", status, err)
	}
	if e, _ := verr.Load().(error); !errors.Is(e, webhook.ErrSignatureMismatch) {
		t.Errorf("Verify of a tampered body = %v, want ErrSignatureMismatch", e)
	}
}

func TestDeliverStatuses(t *testing.T) {
	for _, code := range []int{200, 201, 202, 299, 400, 404, 410, 429, 500, 503} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(code) }))
		d := &webhook.Deliverer{AllowPrivate: true}
		status, err := d.Deliver(context.Background(), endpoint(srv.URL), delivery())
		srv.Close()
		if status != code {
			t.Errorf("status %d: Deliver status = %d", code, status)
		}
		if ok := code < 300; ok != (err == nil) {
			t.Errorf("status %d: Deliver error = %v", code, err)
		}
		if code == 500 && (err == nil || err.Error() != "receiver answered 500") {
			t.Errorf("status 500: error = %v, want receiver answered 500", err)
		}
	}
}

func TestDeliverDoesNotFollowRedirects(t *testing.T) {
	var followed atomic.Bool
	mux := http.NewServeMux()
	mux.HandleFunc("/target", func(w http.ResponseWriter, r *http.Request) { followed.Store(true) })
	mux.HandleFunc("/hook", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/target", http.StatusTemporaryRedirect)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	for _, d := range []*webhook.Deliverer{
		{AllowPrivate: true},
		{AllowPrivate: true, Client: &http.Client{}}, // follows redirects on its own; Deliver must not
	} {
		status, err := d.Deliver(context.Background(), endpoint(srv.URL+"/hook"), delivery())
		if status != http.StatusTemporaryRedirect || err == nil || !strings.Contains(err.Error(), "receiver answered 307") {
			t.Errorf("Deliver = %d, %v; want 307 and an error", status, err)
		}
	}
	if followed.Load() {
		t.Error("the redirect was followed")
	}
}

func TestDeliverTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	d := &webhook.Deliverer{AllowPrivate: true, Client: &http.Client{Timeout: 200 * time.Millisecond}}
	status, err := d.Deliver(context.Background(), endpoint(srv.URL), delivery())
	var ne net.Error
	if status != 0 || !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("Deliver = %d, %v; want 0 and a timeout", status, err)
	}
}

func TestDeliverContextCanceled(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	d := &webhook.Deliverer{AllowPrivate: true}
	if status, err := d.Deliver(ctx, endpoint(srv.URL), delivery()); status != 0 || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Deliver = %d, %v; want 0, context deadline exceeded", status, err)
	}
}

// countingTransport counts the response body bytes the client reads.
type countingTransport struct{ read atomic.Int64 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil {
		resp.Body = &countingBody{ReadCloser: resp.Body, n: &c.read}
	}
	return resp, err
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

func TestDeliverReadsAtMost64KiB(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := []byte(strings.Repeat("x", 32<<10))
		for range 64 << 20 / len(chunk) { // 64 MiB, unless the client hangs up first
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	ct := &countingTransport{}
	d := &webhook.Deliverer{AllowPrivate: true, Client: &http.Client{Transport: ct, Timeout: 10 * time.Second}}
	status, err := d.Deliver(context.Background(), endpoint(srv.URL), delivery())
	if status != http.StatusOK || err != nil {
		t.Fatalf("Deliver = %d, %v; want 200, nil", status, err)
	}
	if n := ct.read.Load(); n > webhook.MaxResponseBytes {
		t.Errorf("read %d bytes of the answer, want at most %d", n, webhook.MaxResponseBytes)
	}
}

func TestDeliverBlocksPrivateAddresses(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	urls := []string{
		srv.URL,                              // 127.0.0.1
		"http://localhost:" + port + "/hook", // a name that resolves to loopback
		"http://[::1]:" + port + "/hook",
		"http://0.0.0.0:" + port + "/",
		"http://169.254.169.254/latest/meta-data/", // cloud metadata (link-local): refused before any packet is sent
		"http://[::ffff:127.0.0.1]:" + port + "/",
	}
	deliverers := map[string]*webhook.Deliverer{
		"default client":            {},
		"client with own transport": {Client: &http.Client{Transport: &http.Transport{}, Timeout: 5 * time.Second}},
	}
	for name, d := range deliverers {
		for _, u := range urls {
			status, err := d.Deliver(context.Background(), endpoint(u), delivery())
			if status != 0 || !errors.Is(err, webhook.ErrBlockedAddress) {
				t.Errorf("%s: Deliver(%s) = %d, %v; want 0, ErrBlockedAddress", name, u, status, err)
			}
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the receiver got %d requests", n)
	}
	// The error says so.
	_, err := (&webhook.Deliverer{}).Deliver(context.Background(), endpoint(srv.URL), delivery())
	if err == nil || !strings.Contains(err.Error(), "127.0.0.1 is a loopback address") {
		t.Errorf("error = %v", err)
	}
}

func TestDeliverRefusesUncheckableTransport(t *testing.T) {
	d := &webhook.Deliverer{Client: &http.Client{Transport: &countingTransport{}}}
	if _, err := d.Deliver(context.Background(), endpoint("https://example.com/hook"), delivery()); err == nil || !strings.Contains(err.Error(), "Transport") {
		t.Errorf("Deliver = %v, want an error about the transport", err)
	}
}

func TestDeliverRejectsBadURL(t *testing.T) {
	d := &webhook.Deliverer{AllowPrivate: true}
	for _, u := range []string{"", "ftp://example.com/", "/relative", "http://user:pw@example.com/"} {
		if status, err := d.Deliver(context.Background(), endpoint(u), delivery()); status != 0 || err == nil {
			t.Errorf("Deliver(%q) = %d, %v; want an error", u, status, err)
		}
	}
	if _, err := d.Deliver(context.Background(), nil, delivery()); err == nil {
		t.Error("Deliver(nil endpoint) succeeded")
	}
}
