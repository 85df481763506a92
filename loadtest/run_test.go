package loadtest

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// countingServer answers 200, or 409 with a body for every tenth request of a worker, and
// records each worker's sequence numbers and the connections opened.
type countingServer struct {
	*httptest.Server
	hits  atomic.Int64
	conns atomic.Int64
	mu    sync.Mutex
	seqs  map[string][]int
}

func newCountingServer(t *testing.T) *countingServer {
	s := &countingServer{seqs: map[string][]int{}}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		seq, _ := strconv.Atoi(r.Header.Get("Seq"))
		s.mu.Lock()
		s.seqs[r.Header.Get("Worker")] = append(s.seqs[r.Header.Get("Worker")], seq)
		s.mu.Unlock()
		if seq%10 == 9 {
			http.Error(w, "mileage is lower", http.StatusConflict)
			return
		}
		w.Write([]byte(`{"ok":true}`))
	}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func (s *countingServer) target() Target {
	return Target{Name: "test", Request: func(w, seq int) (*http.Request, error) {
		req, err := http.NewRequest(http.MethodGet, s.URL, nil)
		if err == nil {
			req.Header.Set("Worker", strconv.Itoa(w))
			req.Header.Set("Seq", strconv.Itoa(seq))
		}
		return req, err
	}}
}

func TestRunCountsAnswersOfTheWindowByKind(t *testing.T) {
	s := newCountingServer(t)
	var opened, closed atomic.Int64
	res, err := Run(context.Background(), s.target(), Options{Connections: 3, Warmup: 150 * time.Millisecond, Duration: 300 * time.Millisecond,
		OnMeasure: func() func() {
			opened.Add(1)
			return func() { closed.Add(1) }
		}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests == 0 || res.Latency.Count() != uint64(res.Requests) || res.RPS() != float64(res.Requests)/0.3 {
		t.Fatalf("requests %d, latencies %d, rps %v", res.Requests, res.Latency.Count(), res.RPS())
	}
	// Every tenth answer is a 409: about a tenth of the measured ones, counted with a sample.
	if n := res.ErrorKinds["status 409"]; n != res.Errors || n == 0 || res.ErrorSamples["status 409"] != "mileage is lower\n" {
		t.Fatalf("errors %d %v %q", res.Errors, res.ErrorKinds, res.ErrorSamples)
	}
	if ratio := float64(res.Errors) / float64(res.Errors+res.Requests); ratio < 0.05 || ratio > 0.15 {
		t.Fatalf("error share %.2f, want about 0.1", ratio)
	}
	// Warm-up answers were sent but not counted.
	if total := res.Requests + res.Errors; total >= s.hits.Load() {
		t.Fatalf("%d answers counted of %d sent: the warm-up was measured", total, s.hits.Load())
	}
	if opened.Load() != 1 || closed.Load() != 1 {
		t.Fatalf("OnMeasure opened %d, closed %d", opened.Load(), closed.Load())
	}
	// Each worker numbered its requests 0, 1, 2… and kept one keep-alive connection.
	if len(s.seqs) != 3 {
		t.Fatalf("workers %v", len(s.seqs))
	}
	for w, seqs := range s.seqs {
		for i, seq := range seqs {
			if seq != i {
				t.Fatalf("worker %s: request %d has seq %d", w, i, seq)
			}
		}
	}
	if c := s.conns.Load(); c != 3 {
		t.Fatalf("%d connections opened, want 3", c)
	}
}

func TestRunStopsWhenARequestCannotBeBuilt(t *testing.T) {
	s := newCountingServer(t)
	tg := s.target()
	build := tg.Request
	tg.Request = func(w, seq int) (*http.Request, error) {
		if seq == 5 {
			return nil, errors.New("no more photos")
		}
		return build(w, seq)
	}
	_, err := Run(context.Background(), tg, Options{Connections: 2, Duration: time.Second})
	if err == nil || !strings.Contains(err.Error(), "no more photos") {
		t.Fatalf("err %v", err)
	}
	if s.hits.Load() != 10 {
		t.Fatalf("%d requests sent, want 5 per worker", s.hits.Load())
	}
}

func TestRunCountsTransportErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close() // nothing listens: every request is refused
	res, err := Run(context.Background(), Target{Name: "down", Request: func(int, int) (*http.Request, error) {
		return http.NewRequest(http.MethodGet, url, nil)
	}}, Options{Connections: 2, Duration: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 0 || res.Errors == 0 || res.ErrorKinds["transport"] != res.Errors || res.ErrorSamples["transport"] == "" {
		t.Fatalf("%+v", res)
	}
}

func TestRunRejectsEmptyOptions(t *testing.T) {
	for _, o := range []Options{{Connections: 0, Duration: time.Second}, {Connections: 1}, {Connections: 1, Duration: time.Second, Warmup: -1}} {
		if _, err := Run(context.Background(), Target{Name: "x"}, o); err == nil {
			t.Errorf("options %+v accepted", o)
		}
	}
}

func TestBaselineAnswersJSON(t *testing.T) {
	url, stop, err := StartBaseline()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	res, err := Run(context.Background(), baselineTarget(url), Options{Connections: 2, Duration: 100 * time.Millisecond})
	if err != nil || res.Requests == 0 || res.Errors != 0 {
		t.Fatalf("%+v %v", res, err)
	}
	rec := httptest.NewRecorder()
	BaselineHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/json" || rec.Body.Len() < 20 {
		t.Fatalf("%d %v %s", rec.Code, rec.Header(), rec.Body)
	}
}
