package damage

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

// benchPair is a re-shot 500×375 car scene with a dent, the size Compare is made for.
func benchPair(b *testing.B) trial {
	b.Helper()
	return newTrial(b, carScene(11, baseSide, baseSide*3/4), dent, 1, 11)
}

func BenchmarkCompare(b *testing.B) {
	tr := benchPair(b)
	b.ReportAllocs()
	for b.Loop() {
		Compare(tr.before, tr.after, Options{})
	}
}

// BenchmarkRegister and BenchmarkDetect split Compare into its two halves.
func BenchmarkRegister(b *testing.B) {
	tr := benchPair(b)
	a, bb := fromGray(tr.after), fromGray(tr.before)
	for b.Loop() {
		register(a, bb)
	}
}

func BenchmarkDetect(b *testing.B) {
	tr := benchPair(b)
	a, bb := fromGray(tr.after), fromGray(tr.before)
	sim, _, _ := register(a, bb)
	for b.Loop() {
		detect(a, bb, sim, DefaultOptions())
	}
}

func BenchmarkAnalyze(b *testing.B) {
	srv := httptest.NewServer(answer(http.StatusOK, "application/json", goodAnswer))
	defer srv.Close()
	c := &Client{URL: srv.URL}
	req := testRequest()
	req.Photo.Data = make([]byte, 200<<10) // a 200 KiB JPEG inline
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Analyze(context.Background(), req); err != nil {
			b.Fatal(err)
		}
	}
}
