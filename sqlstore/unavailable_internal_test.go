package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"net"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/milepost/milepost"
)

// TestClassifyUnavailable: what the API answers with 503 (and Retry-After) when the database
// cannot serve, and what stays as it is.
func TestClassifyUnavailable(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{}}
	cases := []struct {
		name string
		err  error
		code string
	}{
		{"connection refused", fmt.Errorf("begin: %w", syscall.ECONNREFUSED), milepost.CodeUnavailable},
		{"connection reset", fmt.Errorf("query: %w", syscall.ECONNRESET), milepost.CodeUnavailable},
		{"net error", refused, milepost.CodeUnavailable},
		{"admin shutdown", &pgconn.PgError{Code: "57P01"}, milepost.CodeUnavailable},
		{"cannot connect now", &pgconn.PgError{Code: "57P03"}, milepost.CodeUnavailable},
		{"connection exception", &pgconn.PgError{Code: "08006"}, milepost.CodeUnavailable},
		{"too many connections", &pgconn.PgError{Code: "53300"}, milepost.CodeUnavailable},
		{"disk full (PostgreSQL)", &pgconn.PgError{Code: "53100"}, milepost.CodeUnavailable},
		{"pool or connect deadline", fmt.Errorf("begin: %w", context.DeadlineExceeded), milepost.CodeUnavailable},
		{"syntax error stays internal", &pgconn.PgError{Code: "42601"}, milepost.CodeInternal},
		{"plain error stays internal", errors.New("boom"), milepost.CodeInternal},
		{"domain error passes", milepost.Invalidf("x", "bad"), milepost.CodeInvalid},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			got := classify(tt.err)
			if code := milepost.ErrorCode(got); code != tt.code {
				t.Fatalf("classify(%v) code %s, want %s", tt.err, code, tt.code)
			}
			if !errors.Is(got, tt.err) {
				t.Fatalf("classify(%v) lost its cause", tt.err)
			}
			if tt.code == milepost.CodeUnavailable && milepost.ErrorReason(got) != milepost.ReasonServiceUnavailable {
				t.Fatalf("reason %q", milepost.ErrorReason(got))
			}
		})
	}
	// A caller that gave up is not the database's fault: the error stays as it is, so the
	// handlers see their own request's cancellation and answer nobody.
	if err := classify(fmt.Errorf("query: %w", context.Canceled)); milepost.ErrorCode(err) != milepost.CodeInternal || !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled became %v", err)
	}
	if classify(nil) != nil {
		t.Fatal("classify(nil) is not nil")
	}
}
