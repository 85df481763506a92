package httpx

import (
	"net/http"
	"time"
)

// ServerTimeouts are the limits an http.Server needs so that slow or idle clients (slowloris)
// cannot hold connections and goroutines for ever.
type ServerTimeouts struct {
	// ReadHeader bounds the time to send the request line and headers.
	ReadHeader time.Duration
	// Read bounds reading the whole request, body included, for every route.
	Read time.Duration
	// Write bounds the time from the end of the headers to the end of the response.
	Write time.Duration
	// Idle bounds how long a kept-alive connection waits for its next request.
	Idle time.Duration
	// Upload is the read and write deadline that upload and download routes extend theirs to
	// once the client has authenticated (ExtendDeadlines): only a known partner gets a long one.
	Upload time.Duration
	// MaxHeaderBytes bounds the request line and headers.
	MaxHeaderBytes int
}

// DefaultServerTimeouts returns the recommended time-outs. Read and Write (2 minutes) carry
// the largest non-upload body, an 8 MB trip-log bulk write, at 70 KB/s. Upload (10 minutes)
// carries a 20 MB photo sent as Base64 JSON (about 27 MB) at 45 KB/s, a poor mobile uplink
// (0.4 Mbit/s); multipart needs a quarter less.
func DefaultServerTimeouts() ServerTimeouts {
	return ServerTimeouts{
		ReadHeader:     10 * time.Second,
		Read:           2 * time.Minute,
		Write:          2 * time.Minute,
		Idle:           2 * time.Minute,
		Upload:         10 * time.Minute,
		MaxHeaderBytes: 64 << 10,
	}
}

// Apply sets the time-outs and the header limit on srv. Upload is not a server setting: the
// routes that need it call ExtendDeadlines.
func (t ServerTimeouts) Apply(srv *http.Server) {
	srv.ReadHeaderTimeout = t.ReadHeader
	srv.ReadTimeout = t.Read
	srv.WriteTimeout = t.Write
	srv.IdleTimeout = t.Idle
	srv.MaxHeaderBytes = t.MaxHeaderBytes
}

// ExtendDeadlines moves the connection's read and write deadlines to d from now, for a route
// that moves large bodies (uploads, downloads) after its client has authenticated. Writers
// that cannot (httptest recorders, HTTP/2 streams on old servers) are left as they are.
func ExtendDeadlines(w http.ResponseWriter, d time.Duration) {
	if d <= 0 {
		return
	}
	rc := http.NewResponseController(w)
	at := time.Now().Add(d)
	_ = rc.SetReadDeadline(at)
	_ = rc.SetWriteDeadline(at)
}
