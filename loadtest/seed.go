package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"
)

// seed creates what the endpoints need through the API and remembers what it made, so
// endpoints share users and their evidence photos.
type seed struct {
	c        *client
	workers  int
	progress io.Writer
	nonce    string // tells this run's request ids from other runs' on a long-lived server

	mu       sync.Mutex
	pool     []string // users, one per worker
	evidence map[string][2]string
	photos   [2][]byte // license and odometer pictures, generated once
}

func (s *seed) logf(format string, args ...any) {
	fmt.Fprintf(s.progress, format+"\n", args...)
}

// users returns one user per worker, creating them on first use.
func (s *seed) users(ctx context.Context) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pool != nil {
		return s.pool, nil
	}
	pool := make([]string, s.workers)
	err := parallel(ctx, len(pool), func(i int) error {
		var err error
		pool[i], err = s.c.createUser(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("create users: %w", err)
	}
	s.pool = pool
	return pool, nil
}

// evidenceFor uploads a license and an odometer photo for a user once and returns their
// photoUrls. Check-ins then reuse them: the API allows it (verification would call it a replay,
// which does not change the request's cost).
func (s *seed) evidenceFor(ctx context.Context, userID string) (license, odometer string, err error) {
	s.mu.Lock()
	if s.evidence == nil {
		s.evidence = map[string][2]string{}
		for i := range s.photos {
			if s.photos[i], err = PhotoJPEG(i+1, evidenceWidth, evidenceHeight, time.Now()); err != nil {
				s.mu.Unlock()
				return "", "", err
			}
		}
	}
	e, ok := s.evidence[userID]
	photos := s.photos
	s.mu.Unlock()
	if ok {
		return e[0], e[1], nil
	}
	for i := range e {
		if e[i], err = s.c.uploadPhoto(ctx, userID, photos[i]); err != nil {
			return "", "", fmt.Errorf("upload evidence: %w", err)
		}
	}
	s.mu.Lock()
	s.evidence[userID] = e
	s.mu.Unlock()
	return e[0], e[1], nil
}

// seedConcurrency bounds the seeding calls in flight.
const seedConcurrency = 8

// parallel runs fn(0..n-1) on a few goroutines and returns the first error.
func parallel(ctx context.Context, n int, fn func(i int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(n, seedConcurrency) {
		wg.Go(func() {
			for i := range next {
				if err := fn(i); err != nil {
					cancel(err)
				}
			}
		})
	}
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(next)
	wg.Wait()
	return context.Cause(ctx)
}

// jsonString quotes s as a JSON string.
func jsonString(s string) string {
	b, _ := json.Marshal(s) // a string always encodes
	return string(b)
}
