package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"syscall"
	"time"

	"github.com/milepost/milepost"
)

// Delivery limits.
const (
	// DefaultTimeout bounds one attempt (connect, send, headers and the read of the answer) when
	// the Deliverer has no Client of its own.
	DefaultTimeout = 10 * time.Second
	// MaxResponseBytes is the most of a receiver's answer that is read (and discarded).
	MaxResponseBytes = 64 << 10
)

// ErrBlockedAddress is wrapped by Deliver's error when the endpoint's host resolves to a
// loopback, private, link-local, unspecified, multicast or otherwise reserved address and the
// Deliverer does not allow private addresses.
var ErrBlockedAddress = errors.New("webhook: blocked address")

// Deliverer makes delivery attempts. Set its fields before the first Deliver; it is then safe for
// concurrent use.
type Deliverer struct {
	// Client sends the requests. nil: a client with DefaultTimeout and its own transport that
	// goes direct (no proxy). Redirects are never followed, whatever the client's CheckRedirect.
	// When AllowPrivate is false, the client's Transport must be nil or an *http.Transport: it
	// is cloned with a dialer that checks every address it connects to (its DialContext and
	// DialTLSContext are replaced).
	Client *http.Client
	// AllowPrivate lets deliveries reach loopback, private, link-local and other internal
	// addresses (tests, private deployments). false: such addresses are refused as they are
	// dialed, after DNS resolution, so a name that resolves (or rebinds) to one is refused too.
	AllowPrivate bool
	// Now is the clock of the signature timestamp; nil means time.Now.
	Now func() time.Time

	once   sync.Once
	client *http.Client
	err    error
}

// Deliver POSTs dl.Payload to ep.URL, signed with ep.Secret, with the Milepost-Event,
// Milepost-Delivery and Milepost-Signature headers. It reads at most MaxResponseBytes of the
// answer and discards them. A 2xx answer returns (status, nil); any other answer, including a
// redirect, returns (status, error "receiver answered <status>"); no answer (network error,
// timeout, a blocked address wrapping ErrBlockedAddress) returns (0, error).
func (d *Deliverer) Deliver(ctx context.Context, ep *milepost.WebhookEndpoint, dl *milepost.WebhookDelivery) (status int, err error) {
	if ep == nil || dl == nil {
		return 0, errors.New("webhook: deliver: no endpoint or delivery")
	}
	client, err := d.httpClient()
	if err != nil {
		return 0, err
	}
	url, err := milepost.ValidateWebhookURL(ep.URL)
	if err != nil {
		return 0, fmt.Errorf("webhook: deliver: %w", err)
	}
	now := time.Now
	if d.Now != nil {
		now = d.Now
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(dl.Payload))
	if err != nil {
		return 0, fmt.Errorf("webhook: build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set(HeaderEvent, dl.EventType)
	req.Header.Set(HeaderDelivery, dl.ID)
	req.Header.Set(HeaderSignature, Sign(ep.Secret, now(), dl.Payload))

	resp, err := client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("webhook: post: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, MaxResponseBytes))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return resp.StatusCode, nil
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return resp.StatusCode, fmt.Errorf("receiver answered %d (redirects are not followed)", resp.StatusCode)
	}
	return resp.StatusCode, fmt.Errorf("receiver answered %d", resp.StatusCode)
}

// httpClient builds, once, the client Deliver uses: d.Client (or a default one) that follows no
// redirect and, unless AllowPrivate, dials through the address guard.
func (d *Deliverer) httpClient() (*http.Client, error) {
	d.once.Do(func() {
		c := http.Client{Timeout: DefaultTimeout}
		if d.Client != nil {
			c = *d.Client
		}
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		switch t := c.Transport.(type) {
		case nil:
			base := http.DefaultTransport.(*http.Transport).Clone()
			base.Proxy = nil
			c.Transport = d.guarded(base)
		case *http.Transport:
			c.Transport = d.guarded(t.Clone())
		default:
			if !d.AllowPrivate {
				d.err = errors.New("webhook: Deliverer.Client.Transport must be nil or an *http.Transport when AllowPrivate is false, so that dialed addresses can be checked")
			}
		}
		d.client = &c
	})
	return d.client, d.err
}

// guarded installs the address guard on t unless private addresses are allowed.
func (d *Deliverer) guarded(t *http.Transport) *http.Transport {
	if d.AllowPrivate {
		return t
	}
	dialer := &net.Dialer{Timeout: DefaultTimeout, KeepAlive: 30 * time.Second, Control: guard}
	t.DialContext = dialer.DialContext
	t.DialTLSContext = nil
	return t
}

// guard refuses a connection to a blocked address. It runs on the IP actually being dialed,
// after name resolution.
func guard(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("%w: cannot check %q", ErrBlockedAddress, address)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("%w: cannot check %q", ErrBlockedAddress, address)
	}
	if why := blocked(ip); why != "" {
		return fmt.Errorf("%w: %s is %s", ErrBlockedAddress, ip.WithZone(""), why)
	}
	return nil
}

var (
	thisNetwork  = netip.MustParsePrefix("0.0.0.0/8")
	sharedSpace  = netip.MustParsePrefix("100.64.0.0/10") // carrier-grade NAT, some clouds' metadata
	ietfProtocol = netip.MustParsePrefix("192.0.0.0/24")
	reserved     = netip.MustParsePrefix("240.0.0.0/4") // includes the broadcast address
	nat64        = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour    = netip.MustParsePrefix("2002::/16")
)

// blocked says why ip must not receive webhooks, or "" when it may.
func blocked(ip netip.Addr) string {
	ip = ip.WithZone("").Unmap()
	switch {
	case !ip.IsValid():
		return "not an address"
	case ip.IsUnspecified():
		return "an unspecified address"
	case ip.IsLoopback():
		return "a loopback address"
	case ip.IsPrivate():
		return "a private address"
	case ip.IsLinkLocalUnicast(), ip.IsLinkLocalMulticast():
		return "a link-local address"
	case ip.IsMulticast(), ip.IsInterfaceLocalMulticast():
		return "a multicast address"
	case thisNetwork.Contains(ip), sharedSpace.Contains(ip), ietfProtocol.Contains(ip), reserved.Contains(ip):
		return "a reserved address"
	case nat64.Contains(ip):
		b := ip.As16()
		if why := blocked(netip.AddrFrom4([4]byte(b[12:16]))); why != "" {
			return why + " (through NAT64)"
		}
	case sixToFour.Contains(ip):
		b := ip.As16()
		if why := blocked(netip.AddrFrom4([4]byte(b[2:6]))); why != "" {
			return why + " (through 6to4)"
		}
	}
	return ""
}
