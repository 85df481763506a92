package httpx

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// ClientAddr returns the address the limiter charges r's unauthenticated requests to. It is
// the connection's remote address, or, when the limiter was made WithProxyHops(n), the n-th
// address from the right of X-Forwarded-For: each proxy appends what it saw, so entries left of
// our proxies' are whatever the client wrote and are never trusted. An IPv6 address is cut to
// its /64, since one host or home commonly holds a whole /64 and could otherwise rotate
// through it. Works on a nil limiter (no proxies).
func (l *RateLimiter) ClientAddr(r *http.Request) string {
	hops := 0
	if l != nil {
		hops = l.proxyHops
	}
	if hops > 0 {
		if a, ok := forwardedAddr(r.Header.Values("X-Forwarded-For"), hops); ok {
			return addrKey(a)
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if a, err := netip.ParseAddr(host); err == nil {
		return addrKey(a)
	}
	return host
}

// forwardedAddr picks the hops-th entry from the right of the X-Forwarded-For values (all
// header lines joined in order). With fewer entries, the leftmost is the farthest address known.
func forwardedAddr(values []string, hops int) (netip.Addr, bool) {
	var entries []string
	for _, v := range values {
		for e := range strings.SplitSeq(v, ",") {
			if e = strings.TrimSpace(e); e != "" {
				entries = append(entries, e)
			}
		}
	}
	if len(entries) == 0 {
		return netip.Addr{}, false
	}
	e := entries[max(len(entries)-hops, 0)]
	if ap, err := netip.ParseAddrPort(e); err == nil {
		return ap.Addr(), true
	}
	a, err := netip.ParseAddr(strings.Trim(e, "[]"))
	return a, err == nil
}

// addrKey writes an address as the limiter keys it: IPv4 (also when IPv4-mapped) as is, IPv6 as
// its /64 network.
func addrKey(a netip.Addr) string {
	a = a.Unmap().WithZone("")
	if a.Is4() {
		return a.String()
	}
	p, _ := a.Prefix(64)
	return p.String()
}
