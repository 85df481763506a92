package damage

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// MaxAnswer is the largest answer Client accepts from an analyzer: findings are small, and
// an analyzer gone wrong must not fill the worker's memory.
const MaxAnswer = 1 << 20

// DefaultTimeout bounds a whole exchange with the analyzer when Client.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// maxRedirects on the analyzer's own host; a load balancer may move a path once or twice.
const maxRedirects = 3

// Client calls an external damage analyzer over HTTP: it POSTs a Request as JSON to URL and
// decodes the Findings it answers. The zero Timeout means DefaultTimeout; a nil HTTP means
// http.DefaultTransport. Every failure is an error, and the caller must treat an error as
// "needs review", never as "no damage".
type Client struct {
	URL     string
	Token   string // sent as "Authorization: Bearer <Token>" when set
	Timeout time.Duration
	HTTP    *http.Client
}

// HTTPError is an answer with a status other than 2xx.
type HTTPError struct {
	StatusCode int
	Body       string // the start of the answer, for the operator's log
}

// Error names the status and quotes the start of the answer.
func (e *HTTPError) Error() string {
	msg := fmt.Sprintf("damage analyzer: status %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.Body != "" {
		msg += ": " + e.Body
	}
	return msg
}

// Analyze sends req and returns the analyzer's findings. It fails when the request is
// incomplete, the exchange takes longer than the timeout or ctx ends, the analyzer answers a
// status other than 2xx (*HTTPError), redirects to another host, or answers something other
// than a valid JSON Findings document of at most MaxAnswer bytes. Unknown fields in the answer
// are ignored; a field of the wrong type or out of its range is an error.
func (c *Client) Analyze(ctx context.Context, req Request) (Findings, error) {
	if err := req.validate(); err != nil {
		return Findings{}, fmt.Errorf("damage analyzer: request: %w", err)
	}
	target, err := url.Parse(c.URL)
	if err != nil || (target.Scheme != "https" && target.Scheme != "http") || target.Host == "" {
		return Findings{}, fmt.Errorf("damage analyzer: URL %q is not an absolute http(s) URL", c.URL)
	}
	body, err := json.Marshal(req)
	if err != nil {
		return Findings{}, fmt.Errorf("damage analyzer: encode request: %w", err)
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, target.String(), bytes.NewReader(body))
	if err != nil {
		return Findings{}, fmt.Errorf("damage analyzer: %w", err)
	}
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("Accept", "application/json")
	hr.Header.Set("User-Agent", "milepost-damage/1")
	if c.Token != "" {
		hr.Header.Set("Authorization", "Bearer "+c.Token)
	}
	resp, err := c.client(target).Do(hr)
	if err != nil {
		if ctx.Err() != nil {
			return Findings{}, fmt.Errorf("damage analyzer: no answer within %v: %w", timeout, ctx.Err())
		}
		return Findings{}, fmt.Errorf("damage analyzer: %w", err)
	}
	defer resp.Body.Close()

	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswer+1))
	if err != nil {
		if ctx.Err() != nil {
			return Findings{}, fmt.Errorf("damage analyzer: answer not complete within %v: %w", timeout, ctx.Err())
		}
		return Findings{}, fmt.Errorf("damage analyzer: read answer: %w", err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return Findings{}, &HTTPError{StatusCode: resp.StatusCode, Body: snippet(data)}
	}
	if len(data) > MaxAnswer {
		return Findings{}, fmt.Errorf("damage analyzer: answer larger than %d bytes", MaxAnswer)
	}
	if mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type")); err != nil ||
		(mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return Findings{}, fmt.Errorf("damage analyzer: answer is %q, not application/json", resp.Header.Get("Content-Type"))
	}
	f, err := decodeFindings(data, req.Angle)
	if err != nil {
		return Findings{}, fmt.Errorf("damage analyzer: malformed answer: %w", err)
	}
	return f, nil
}

// client is c.HTTP (or a default) refusing redirects that leave the analyzer's host, so a
// compromised or misconfigured analyzer cannot send our photos and token elsewhere. The
// caller's client is copied, never changed.
func (c *Client) client(target *url.URL) *http.Client {
	hc := &http.Client{}
	if c.HTTP != nil {
		cp := *c.HTTP
		hc = &cp
	}
	hc.CheckRedirect = func(r *http.Request, via []*http.Request) error {
		if r.URL.Scheme != target.Scheme || r.URL.Host != target.Host {
			return fmt.Errorf("redirect to another host (%s) refused", r.URL.Host)
		}
		if len(via) > maxRedirects {
			return fmt.Errorf("more than %d redirects", maxRedirects)
		}
		return nil
	}
	return hc
}

// decodeFindings decodes one JSON document, refusing wrong types and trailing data.
func decodeFindings(data []byte, angle string) (Findings, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var w wireFindings
	if err := dec.Decode(&w); err != nil {
		return Findings{}, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Findings{}, errors.New("data after the JSON document")
	}
	return w.check(angle)
}

// snippet is the start of an error answer on one line, for logs.
func snippet(b []byte) string {
	const n = 200
	s := strings.Join(strings.Fields(strings.ToValidUTF8(string(b[:min(len(b), n)]), "")), " ")
	if len(b) > n {
		s += "…"
	}
	return s
}
