package blob

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/milepost/milepost"
	"github.com/minio/minio-go/v7"
)

// downTimeout bounds every call to a server that is down: long enough for the store's retries,
// so reaching it means the store hung instead of giving up (it is a bound, not a measurement).
const downTimeout = 30 * time.Second

// fakeConfig is an S3Config for a server at addr (host:port) speaking plain HTTP.
func fakeConfig(addr, bucket, prefix string) S3Config {
	return S3Config{Endpoint: addr, Bucket: bucket, Region: DefaultS3Region, AccessKey: "test-access",
		SecretKey: "test-secret", Prefix: prefix}
}

// newFakeServer starts gofakes3 in memory, optionally behind wrap, and returns its host:port.
func newFakeServer(t *testing.T, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	var h http.Handler = gofakes3.New(s3mem.New(), gofakes3.WithLogger(gofakes3.DiscardLog())).Server()
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// newS3 returns a store on cfg with its bucket created.
func newS3(t *testing.T, cfg S3Config) *S3 {
	t.Helper()
	s, err := NewS3(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.EnsureBucket(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func readS3(t *testing.T, s *S3, key string) []byte {
	t.Helper()
	r, err := s.OpenBlob(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// testS3Store runs the BlobStore behaviours every S3 server must give; newStore returns a store
// of its own (an empty prefix or bucket), and a second store on the same objects (another node).
func testS3Store(t *testing.T, newStore func(t *testing.T) (*S3, *S3)) {
	ctx := context.Background()

	t.Run("round trip", func(t *testing.T) {
		s, other := newStore(t)
		for _, data := range [][]byte{[]byte("hello"), {}, bytes.Repeat([]byte{0xAB, 0x01}, 3<<19)} {
			key := keyOf(data)
			if err := s.PutBlob(ctx, key, data); err != nil {
				t.Fatalf("put %d bytes: %v", len(data), err)
			}
			if got := readS3(t, s, key); !bytes.Equal(got, data) {
				t.Errorf("read %d bytes, want %d", len(got), len(data))
			}
			// Another node reads what this one wrote: nothing is kept locally.
			if got := readS3(t, other, key); !bytes.Equal(got, data) {
				t.Errorf("other node read %d bytes, want %d", len(got), len(data))
			}
			name := s.cfg.Prefix + key[:2] + "/" + key
			info, err := s.client.StatObject(ctx, s.cfg.Bucket, name, minio.StatObjectOptions{})
			if err != nil {
				t.Fatalf("object not at prefix+ab/key (%s): %v", name, err)
			}
			if info.Size != int64(len(data)) {
				t.Errorf("object size %d, want %d", info.Size, len(data))
			}
		}
	})

	t.Run("idempotent put", func(t *testing.T) {
		s, other := newStore(t)
		data := []byte("same bytes")
		key := keyOf(data)
		for _, st := range []*S3{s, s, other} {
			if err := st.PutBlob(ctx, key, data); err != nil {
				t.Fatal(err)
			}
		}
		if got := readS3(t, s, key); !bytes.Equal(got, data) {
			t.Errorf("read %q, want %q", got, data)
		}
		// An object of the wrong size under the key (not something S3 writes) is replaced.
		name := s.objectName(key)
		if _, err := s.client.PutObject(ctx, s.cfg.Bucket, name, strings.NewReader("short"), 5, minio.PutObjectOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := s.PutBlob(ctx, key, data); err != nil {
			t.Fatal(err)
		}
		if got := readS3(t, s, key); !bytes.Equal(got, data) {
			t.Errorf("after repair read %q, want %q", got, data)
		}
	})

	t.Run("missing key", func(t *testing.T) {
		s, _ := newStore(t)
		_, err := s.OpenBlob(ctx, keyOf([]byte("never stored")))
		if code := milepost.ErrorCode(err); code != milepost.CodeNotFound {
			t.Fatalf("OpenBlob of a missing key: code %q (%v), want %q", code, err, milepost.CodeNotFound)
		}
	})

	t.Run("bad keys", func(t *testing.T) {
		s, _ := newStore(t)
		valid := keyOf([]byte("x"))
		for _, key := range []string{"", "abc", strings.ToUpper(valid), valid[:63], valid + "0", valid[:62] + "/x", "../" + valid[3:]} {
			if err := s.PutBlob(ctx, key, []byte("x")); milepost.ErrorCode(err) != milepost.CodeInvalid {
				t.Errorf("PutBlob(%q) = %v, want CodeInvalid", key, err)
			}
			if _, err := s.OpenBlob(ctx, key); milepost.ErrorCode(err) != milepost.CodeInvalid {
				t.Errorf("OpenBlob(%q) = %v, want CodeInvalid", key, err)
			}
		}
	})

	t.Run("canceled context", func(t *testing.T) {
		s, _ := newStore(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		data := []byte("x")
		if err := s.PutBlob(cctx, keyOf(data), data); !errors.Is(err, context.Canceled) {
			t.Errorf("PutBlob = %v, want context.Canceled", err)
		}
		if _, err := s.OpenBlob(cctx, keyOf(data)); !errors.Is(err, context.Canceled) {
			t.Errorf("OpenBlob = %v, want context.Canceled", err)
		}
	})

	t.Run("concurrent puts of one key", func(t *testing.T) {
		s, other := newStore(t)
		data := bytes.Repeat([]byte("concurrent "), 100_000)
		key := keyOf(data)
		var wg sync.WaitGroup
		for i := range 16 {
			st := s
			if i%2 == 1 {
				st = other
			}
			wg.Go(func() {
				if err := st.PutBlob(ctx, key, data); err != nil {
					t.Error(err)
					return
				}
				// Whatever a reader sees while others write is the whole blob.
				r, err := st.OpenBlob(ctx, key)
				if err != nil {
					t.Error(err)
					return
				}
				defer r.Close()
				if got, err := io.ReadAll(r); err != nil || !bytes.Equal(got, data) {
					t.Errorf("concurrent read: %d bytes, %v", len(got), err)
				}
			})
		}
		wg.Wait()
		if got := readS3(t, s, key); !bytes.Equal(got, data) {
			t.Errorf("read %d bytes, want %d", len(got), len(data))
		}
	})
}

func TestS3Fake(t *testing.T) {
	t.Parallel()
	for _, prefix := range []string{"", "blobs/", "tenant/a/"} {
		t.Run("prefix="+prefix, func(t *testing.T) {
			t.Parallel()
			testS3Store(t, func(t *testing.T) (*S3, *S3) {
				cfg := fakeConfig(newFakeServer(t, nil), "milepost", prefix)
				return newS3(t, cfg), newS3(t, cfg)
			})
		})
	}
}

func TestS3EnsureBucket(t *testing.T) {
	ctx := context.Background()
	s, err := NewS3(fakeConfig(newFakeServer(t, nil), "fresh-bucket", ""))
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("x")
	if err := s.PutBlob(ctx, keyOf(data), data); milepost.ErrorCode(err) != milepost.CodeUnavailable {
		t.Errorf("put before the bucket exists = %v, want CodeUnavailable", err)
	}
	for range 2 { // creates, then finds it
		if err := s.EnsureBucket(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if ok, err := s.client.BucketExists(ctx, "fresh-bucket"); err != nil || !ok {
		t.Fatalf("bucket not created: %v %v", ok, err)
	}
	if err := s.PutBlob(ctx, keyOf(data), data); err != nil {
		t.Fatal(err)
	}
}

// closedAddr returns a loopback address nothing listens on: a server that is down.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// checkUnavailable asserts err is the store's CodeUnavailable error, not the caller's timeout.
func checkUnavailable(t *testing.T, what string, err error, wantMsg string) {
	t.Helper()
	if errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("%s did not give up before the test's %v bound: %v", what, downTimeout, err)
	}
	if code := milepost.ErrorCode(err); code != milepost.CodeUnavailable {
		t.Fatalf("%s: code %q (%v), want %q", what, code, err, milepost.CodeUnavailable)
	}
	if r := milepost.ErrorReason(err); r != milepost.ReasonServiceUnavailable {
		t.Errorf("%s: reason %q, want %q", what, r, milepost.ReasonServiceUnavailable)
	}
	if msg := milepost.ErrorMessage(err); msg != wantMsg {
		t.Errorf("%s: client message %q, want %q", what, msg, wantMsg)
	}
	if strings.Contains(milepost.ErrorMessage(err), "127.0.0.1") {
		t.Errorf("%s: client message names the server: %q", what, milepost.ErrorMessage(err))
	}
}

func TestS3ServerDown(t *testing.T) {
	t.Parallel()
	s, err := NewS3(fakeConfig(closedAddr(t), "milepost", ""))
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("nowhere to go")
	key := keyOf(data)
	calls := []struct {
		name string
		call func(ctx context.Context) error
	}{
		{"EnsureBucket", s.EnsureBucket},
		{"PutBlob", func(ctx context.Context) error { return s.PutBlob(ctx, key, data) }},
		{"OpenBlob", func(ctx context.Context) error { _, err := s.OpenBlob(ctx, key); return err }},
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), downTimeout)
			defer cancel()
			err := c.call(ctx)
			checkUnavailable(t, c.name, err, msgUnavailable)
			if !errors.Is(err, syscall.ECONNREFUSED) {
				t.Errorf("cause is not kept: %v", err)
			}
			if !strings.Contains(err.Error(), s.cfg.Endpoint) || strings.Contains(err.Error(), s.cfg.SecretKey) {
				t.Errorf("log text should name the server but not the secret: %v", err)
			}
		})
	}
}

// s3ErrorServer is gofakes3 answering every request of one method with an S3 error, once
// failing is set to that method; it counts the requests it failed.
func s3ErrorServer(t *testing.T, status int, code string) (addr string, failing *atomic.Value, failed *atomic.Int64) {
	t.Helper()
	failing, failed = new(atomic.Value), new(atomic.Int64)
	failing.Store("")
	addr = newFakeServer(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != failing.Load().(string) {
				h.ServeHTTP(w, r)
				return
			}
			failed.Add(1)
			io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(status)
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>`+code+`</Code><Message>test says `+code+`</Message></Error>`)
		})
	})
	return addr, failing, failed
}

func TestS3ServerErrors(t *testing.T) {
	t.Parallel()
	data := []byte("payload")
	key := keyOf(data)
	for _, tc := range []struct {
		status     int
		code       string
		wantPutMsg string
	}{
		{http.StatusServiceUnavailable, "SlowDown", msgUnavailable},
		{http.StatusInternalServerError, "InternalError", msgUnavailable},
		{http.StatusForbidden, "AccessDenied", msgUnavailable},
		{http.StatusNotFound, "NoSuchBucket", msgUnavailable},
		{http.StatusInsufficientStorage, "XMinioStorageFull", msgFull},
	} {
		t.Run(tc.code, func(t *testing.T) {
			t.Parallel()
			addr, failing, failed := s3ErrorServer(t, tc.status, tc.code)
			s := newS3(t, fakeConfig(addr, "milepost", ""))
			ctx, cancel := context.WithTimeout(context.Background(), downTimeout)
			defer cancel()

			failing.Store(http.MethodGet)
			_, err := s.OpenBlob(ctx, key)
			checkUnavailable(t, "OpenBlob", err, msgUnavailable)
			if !strings.Contains(err.Error(), "test says "+tc.code) {
				t.Errorf("the server's answer is not in the log text: %v", err)
			}
			// Retries are bounded: a server that keeps failing is given up on.
			if n := failed.Load(); n < 1 || n > s3Attempts {
				t.Errorf("OpenBlob sent %d requests, want 1..%d", n, s3Attempts)
			}

			failing.Store(http.MethodPut)
			checkUnavailable(t, "PutBlob", s.PutBlob(ctx, key, data), tc.wantPutMsg)
			failing.Store("")
			if _, err := s.OpenBlob(ctx, key); milepost.ErrorCode(err) != milepost.CodeNotFound {
				t.Errorf("after a failed put, OpenBlob = %v, want CodeNotFound", err)
			}
		})
	}
}

// TestS3FailedPutLeavesNothing cuts PUT requests off half-way through the body, as a network
// failure or a server dying mid-upload does, and checks no object is left under the key.
func TestS3FailedPutLeavesNothing(t *testing.T) {
	t.Parallel()
	var cut atomic.Bool
	cut.Store(true)
	addr := newFakeServer(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			// Only object uploads; the bucket is created through the same handler.
			if r.Method != http.MethodPut || !cut.Load() || !strings.Contains(r.URL.Path, "/blobs/") {
				h.ServeHTTP(w, r)
				return
			}
			io.CopyN(io.Discard, r.Body, r.ContentLength/2)
			conn, _, err := http.NewResponseController(w).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			conn.Close()
		})
	})
	s := newS3(t, fakeConfig(addr, "milepost", "blobs/"))
	ctx, cancel := context.WithTimeout(context.Background(), downTimeout)
	defer cancel()
	data := bytes.Repeat([]byte("half "), 200_000)
	key := keyOf(data)

	checkUnavailable(t, "PutBlob", s.PutBlob(ctx, key, data), msgUnavailable)
	if _, err := s.OpenBlob(ctx, key); milepost.ErrorCode(err) != milepost.CodeNotFound {
		t.Fatalf("after a failed put, OpenBlob = %v, want CodeNotFound", err)
	}
	// The client's retry after the outage stores the whole blob.
	cut.Store(false)
	if err := s.PutBlob(ctx, key, data); err != nil {
		t.Fatal(err)
	}
	if got := readS3(t, s, key); !bytes.Equal(got, data) {
		t.Errorf("read %d bytes, want %d", len(got), len(data))
	}
}
