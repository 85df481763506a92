package loadtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// Target is what a run drives.
type Target struct {
	Name string
	// Request returns the seq-th request (from 0) of a worker (0 to Connections-1). Each worker
	// calls it from its own goroutine only, so state kept per worker needs no locking. An error
	// stops the run.
	Request func(worker, seq int) (*http.Request, error)
	// Expect is the status of a successful answer (default 200); any other is an error.
	Expect int
}

// Options shape a closed-loop run.
type Options struct {
	// Connections is the number of workers, each sending its next request as soon as the
	// previous one is answered, over its own keep-alive connection.
	Connections int
	// Warmup is run first and not measured (connections open, caches and pools fill).
	Warmup time.Duration
	// Duration is the measured window.
	Duration time.Duration
	// OnMeasure, when set, is called as the measured window opens; the function it returns is
	// called as the window closes (profiling hooks).
	OnMeasure func() (stop func())
}

// Result is what one run measured. Only answers that arrived inside the measured window count.
type Result struct {
	Name        string
	Connections int
	Window      time.Duration
	// Requests is the number of successful answers, Latency their latencies.
	Requests int64
	Latency  *Histogram
	// Errors counts the other answers and failed requests, by kind ("status 409", "transport").
	Errors       int64
	ErrorKinds   map[string]int64
	ErrorSamples map[string]string // the first body or message of each kind
}

// RPS is successful requests per second of the measured window.
func (r *Result) RPS() float64 {
	if r.Window <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Window.Seconds()
}

// grace bounds how long the requests still in flight at the window's end may take before they
// are cancelled; they are not counted either way.
const grace = 30 * time.Second

// Run drives t with o.Connections closed-loop workers for o.Warmup and then o.Duration, and
// returns what the measured window saw. It fails only when a request cannot be built or ctx
// ends; errors answered by the server are counted, not returned.
func Run(ctx context.Context, t Target, o Options) (*Result, error) {
	if o.Connections < 1 || o.Duration <= 0 || o.Warmup < 0 {
		return nil, fmt.Errorf("run %s: need at least one connection and a positive duration", t.Name)
	}
	expect := t.Expect
	if expect == 0 {
		expect = http.StatusOK
	}
	tr := newTransport(o.Connections)
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}

	start := time.Now()
	from, to := start.Add(o.Warmup), start.Add(o.Warmup+o.Duration)
	ctx, cancel := context.WithDeadline(ctx, to.Add(grace))
	defer cancel()

	var hooks sync.WaitGroup
	if o.OnMeasure != nil {
		hooks.Go(func() {
			if !sleepUntil(ctx, from) {
				return
			}
			stop := o.OnMeasure()
			sleepUntil(ctx, to)
			stop()
		})
	}

	workers := make([]worker, o.Connections)
	var wg sync.WaitGroup
	for i := range workers {
		w := &workers[i]
		w.latency = &Histogram{}
		wg.Go(func() { w.loop(ctx, client, t, i, expect, from, to) })
	}
	wg.Wait()
	hooks.Wait()

	res := &Result{Name: t.Name, Connections: o.Connections, Window: o.Duration, Latency: &Histogram{},
		ErrorKinds: map[string]int64{}, ErrorSamples: map[string]string{}}
	for i := range workers {
		w := &workers[i]
		if w.err != nil {
			return nil, fmt.Errorf("run %s: %w", t.Name, w.err)
		}
		res.Requests += w.ok
		res.Latency.Merge(w.latency)
		for k, n := range w.errs {
			res.Errors += n
			res.ErrorKinds[k] += n
			if _, ok := res.ErrorSamples[k]; !ok {
				res.ErrorSamples[k] = w.samples[k]
			}
		}
	}
	if err := ctx.Err(); err != nil && time.Now().Before(to) {
		return nil, fmt.Errorf("run %s: %w", t.Name, err)
	}
	return res, nil
}

// newTransport keeps one idle connection per worker, so each worker reuses its own.
func newTransport(conns int) *http.Transport {
	return &http.Transport{
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          conns,
		MaxIdleConnsPerHost:   conns,
		MaxConnsPerHost:       conns,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 2 * time.Minute,
		DisableCompression:    true,
	}
}

func sleepUntil(ctx context.Context, t time.Time) bool {
	timer := time.NewTimer(time.Until(t))
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// worker is one closed loop's tally; only its goroutine touches it until Run merges them.
type worker struct {
	ok      int64
	latency *Histogram
	errs    map[string]int64
	samples map[string]string
	err     error
}

func (w *worker) loop(ctx context.Context, client *http.Client, t Target, id, expect int, from, to time.Time) {
	for seq := 0; time.Now().Before(to) && ctx.Err() == nil; seq++ {
		req, err := t.Request(id, seq)
		if err != nil {
			w.err = fmt.Errorf("build request %d of worker %d: %w", seq, id, err)
			return
		}
		began := time.Now()
		status, body, err := send(ctx, client, req, expect)
		done := time.Now()
		if done.Before(from) || done.After(to) {
			continue
		}
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return
			}
			w.fail("transport", err.Error())
			// A refused or broken connection fails at once; pausing keeps a dead server from
			// turning the loop into a busy spin.
			time.Sleep(10 * time.Millisecond)
		case status != expect:
			w.fail(fmt.Sprintf("status %d", status), body)
		default:
			w.ok++
			w.latency.Record(done.Sub(began))
		}
	}
}

func (w *worker) fail(kind, sample string) {
	if w.errs == nil {
		w.errs, w.samples = map[string]int64{}, map[string]string{}
	}
	w.errs[kind]++
	if _, ok := w.samples[kind]; !ok {
		w.samples[kind] = sample
	}
}

// maxSample bounds the error body kept for the report.
const maxSample = 300

// send issues req and reads the whole answer (so the connection is reused). It returns the
// status and, for an answer other than expect, the start of its body.
func send(ctx context.Context, client *http.Client, req *http.Request, expect int) (int, string, error) {
	res, err := client.Do(req.WithContext(ctx))
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	var sample []byte
	if res.StatusCode != expect {
		sample, _ = io.ReadAll(io.LimitReader(res.Body, maxSample))
	}
	if _, err := io.Copy(io.Discard, res.Body); err != nil && !errors.Is(err, context.Canceled) {
		return 0, "", err
	}
	return res.StatusCode, string(sample), nil
}
