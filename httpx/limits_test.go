package httpx

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/milepost/milepost"
)

// errReader fails the test if anything reads it: a body refused by its declared length must not
// be read at all.
type errReader struct{ t *testing.T }

func (e errReader) Read([]byte) (int, error) {
	e.t.Error("the body of an oversized request was read")
	return 0, io.EOF
}

func TestLimitBody(t *testing.T) {
	cases := []struct {
		name     string
		body     io.Reader
		length   int64
		wantCode string
		unread   bool
	}{
		{"under the limit", strings.NewReader(`{"name":"x"}`), 12, "", false},
		{"declared over the limit: refused unread", nil, 1 << 30, milepost.CodeTooLarge, true},
		{"chunked over the limit", strings.NewReader(`{"name":"` + strings.Repeat("x", 200) + `"}`), -1, milepost.CodeTooLarge, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got error
			h := LimitBody(100, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				var v struct{ Name string }
				got = DecodeJSON(r, &v)
			}))
			body := c.body
			if c.unread {
				body = errReader{t}
			}
			r := httptest.NewRequest("POST", "/", body)
			r.ContentLength = c.length
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if milepost.ErrorCode(got) != c.wantCode {
				t.Fatalf("DecodeJSON = %v, want code %q", got, c.wantCode)
			}
			if c.wantCode != "" && !strings.Contains(milepost.ErrorMessage(got), "limit of 100 bytes") {
				t.Fatalf("message %q does not name the limit", milepost.ErrorMessage(got))
			}
			if c.unread && rec.Header().Get("Connection") != "close" {
				t.Fatal("an oversized request's connection is not closed")
			}
		})
	}
	// A form parser sees the same *http.MaxBytesError.
	h := LimitBody(10, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var mbe *http.MaxBytesError
		if err := r.ParseForm(); !errors.As(err, &mbe) || mbe.Limit != 10 {
			t.Errorf("ParseForm = %v, want a MaxBytesError of 10", err)
		}
	}))
	r := httptest.NewRequest("POST", "/", strings.NewReader("a="+strings.Repeat("b", 100)))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	h.ServeHTTP(httptest.NewRecorder(), r)
}

func TestDefaultServerTimeouts(t *testing.T) {
	d := DefaultServerTimeouts()
	var srv http.Server
	d.Apply(&srv)
	if srv.ReadHeaderTimeout != d.ReadHeader || srv.ReadTimeout != d.Read || srv.WriteTimeout != d.Write ||
		srv.IdleTimeout != d.Idle || srv.MaxHeaderBytes != d.MaxHeaderBytes {
		t.Fatalf("Apply left %v %v %v %v %v", srv.ReadHeaderTimeout, srv.ReadTimeout, srv.WriteTimeout, srv.IdleTimeout, srv.MaxHeaderBytes)
	}
	// Every limit is set: a zero would mean no limit at all.
	if d.ReadHeader <= 0 || d.Read <= 0 || d.Write <= 0 || d.Idle <= 0 || d.Upload <= 0 || d.MaxHeaderBytes <= 0 {
		t.Fatalf("a time-out is unset: %+v", d)
	}
	// The largest upload (20 MB, as Base64 JSON) fits in Upload at 0.4 Mbit/s; the largest
	// other body (8 MB) fits in Read at 70 KB/s.
	const slowUplink = 400_000 / 8 // bytes per second
	if need := transferTime(milepost.DefaultMaxUploadBytes*4/3, slowUplink); need > d.Upload {
		t.Errorf("a 20 MB upload on a slow link needs %v, Upload is %v", need, d.Upload)
	}
	if need := transferTime(8<<20, 70_000); need > d.Read {
		t.Errorf("an 8 MB bulk write at 70 KB/s needs %v, Read is %v", need, d.Read)
	}
	if d.ReadHeader > 30*time.Second {
		t.Errorf("ReadHeader %v leaves room for slowloris", d.ReadHeader)
	}
}

func transferTime(bytes, perSecond int64) time.Duration {
	return time.Duration(bytes) * time.Second / time.Duration(perSecond)
}

// TestExtendDeadlines runs a real server whose read time-out is shorter than a slow body: the
// route that extends its deadline reads it all, the one that does not is cut off.
func TestExtendDeadlines(t *testing.T) {
	read := make(chan error, 1)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/extend" {
			ExtendDeadlines(w, time.Minute)
		}
		_, err := io.Copy(io.Discard, r.Body)
		read <- err
	})
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ReadTimeout = 300 * time.Millisecond
	srv.Start()
	defer srv.Close()
	for _, c := range []struct {
		path   string
		wantOK bool
	}{{"/extend", true}, {"/plain", false}} {
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		var req bytes.Buffer
		req.WriteString("POST " + c.path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nab")
		if _, err := conn.Write(req.Bytes()); err != nil {
			t.Fatal(err)
		}
		// The rest of the body comes after the server's read time-out has passed.
		time.Sleep(600 * time.Millisecond)
		_, _ = conn.Write([]byte("cd"))
		err = <-read
		conn.Close()
		if (err == nil) != c.wantOK {
			t.Errorf("%s: reading the body: %v, want ok=%v", c.path, err, c.wantOK)
		}
	}
}
