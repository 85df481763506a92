package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"time"
)

// BaselineName names the bare handler's run in reports.
const BaselineName = "baseline"

// baselineBody is the small JSON object the bare handler answers, encoded on every request as
// a real handler would.
type baselineBody struct {
	Status string `json:"status"`
	Time   int64  `json:"time"`
}

// BaselineHandler is the yardstick: a net/http handler answering a small JSON object, with
// nothing else (no routing, middleware, authentication or storage).
func BaselineHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := json.Marshal(baselineBody{Status: "ok", Time: time.Now().UnixMilli()})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
	})
}

// StartBaseline serves BaselineHandler on a free loopback port, with the same server time-outs
// as Milepost's, and returns its URL and a function that stops it.
func StartBaseline() (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("listen for the baseline: %w", err)
	}
	srv := &http.Server{
		Handler:           BaselineHandler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln) // ErrServerClosed once stopped; a broken listener shows as transport errors
	}()
	stop = func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
	}
	return "http://" + ln.Addr().String(), stop, nil
}

// baselineTarget is a GET of the bare handler.
func baselineTarget(url string) Target {
	return Target{Name: BaselineName, Request: func(int, int) (*http.Request, error) {
		return http.NewRequest(http.MethodGet, url+"/", nil)
	}}
}
