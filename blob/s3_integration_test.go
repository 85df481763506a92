package blob

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/milepost/milepost"
	"github.com/minio/minio-go/v7"
)

// realS3Config is the S3 server of MILEPOST_TEST_S3_URL (scripts/setup-s3.sh starts one). The
// test is skipped when the variable is unset, except under CI=true, where the test command
// always provides it and a skip would hide a broken setup.
func realS3Config(t *testing.T) S3Config {
	t.Helper()
	raw := os.Getenv("MILEPOST_TEST_S3_URL")
	if raw == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("MILEPOST_TEST_S3_URL is unset but CI=true: the test command must start an S3 server (scripts/setup-s3.sh)")
		}
		t.Skip(`MILEPOST_TEST_S3_URL is unset; run eval "$(scripts/setup-s3.sh)" to test against a real S3 server`)
	}
	cfg, err := ParseS3URL(raw)
	if err != nil {
		t.Fatalf("MILEPOST_TEST_S3_URL: %v", err)
	}
	return cfg
}

func randomName(t *testing.T) string {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// cleanUp removes the objects under s's prefix, and the bucket too when removeBucket is set, so
// a long-lived test server does not fill up with test data.
func cleanUp(t *testing.T, s *S3, removeBucket bool) {
	t.Cleanup(func() {
		ctx := context.Background()
		for obj := range s.client.ListObjects(ctx, s.cfg.Bucket, minio.ListObjectsOptions{Prefix: s.cfg.Prefix, Recursive: true}) {
			if obj.Err != nil {
				if s3Code(obj.Err) != minio.NoSuchBucket {
					t.Logf("clean up %s: %v", s, obj.Err)
				}
				return
			}
			if err := s.client.RemoveObject(ctx, s.cfg.Bucket, obj.Key, minio.RemoveObjectOptions{}); err != nil {
				t.Logf("clean up %s: %v", obj.Key, err)
			}
		}
		if removeBucket {
			if err := s.client.RemoveBucket(ctx, s.cfg.Bucket); err != nil {
				t.Logf("remove bucket %s: %v", s.cfg.Bucket, err)
			}
		}
	})
}

func TestS3Real(t *testing.T) {
	t.Parallel()
	base := realS3Config(t)
	testS3Store(t, func(t *testing.T) (*S3, *S3) {
		cfg := base
		cfg.Prefix += "test-" + randomName(t) + "/" // each test its own objects, so they can run at once
		s := newS3(t, cfg)
		cleanUp(t, s, false)
		return s, newS3(t, cfg)
	})
}

func TestS3RealBucketCreation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := realS3Config(t)
	cfg.Bucket = "milepost-test-" + randomName(t)
	s, err := NewS3(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cleanUp(t, s, true)
	data := []byte("x")
	if err := s.PutBlob(ctx, keyOf(data), data); milepost.ErrorCode(err) != milepost.CodeUnavailable {
		t.Errorf("put before the bucket exists = %v, want CodeUnavailable", err)
	}
	// Nodes starting together all create the bucket; none fails.
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			n, err := NewS3(cfg)
			if err == nil {
				err = n.EnsureBucket(ctx)
			}
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if err := s.PutBlob(ctx, keyOf(data), data); err != nil {
		t.Fatal(err)
	}
}

func TestS3RealWrongCredentials(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	good := realS3Config(t)
	good.Prefix += "test-" + randomName(t) + "/"
	s := newS3(t, good)
	cleanUp(t, s, false)
	data := []byte("stored with the right keys")
	if err := s.PutBlob(ctx, keyOf(data), data); err != nil {
		t.Fatal(err)
	}

	for name, modify := range map[string]func(*S3Config){
		"wrong secret":     func(c *S3Config) { c.SecretKey = "not-the-secret" },
		"unknown key":      func(c *S3Config) { c.AccessKey = "NOSUCHKEY" },
		"TLS to http port": func(c *S3Config) { c.TLS = true },
	} {
		t.Run(name, func(t *testing.T) {
			cfg := good
			modify(&cfg)
			bad, err := NewS3(cfg)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(ctx, downTimeout)
			defer cancel()
			ensureErr := bad.EnsureBucket(ctx)
			checkUnavailable(t, "EnsureBucket", ensureErr, msgUnavailable)
			// A refused read must not pass for a missing blob.
			_, openErr := bad.OpenBlob(ctx, keyOf(data))
			checkUnavailable(t, "OpenBlob", openErr, msgUnavailable)
			putErr := bad.PutBlob(ctx, keyOf([]byte("other")), []byte("other"))
			checkUnavailable(t, "PutBlob", putErr, msgUnavailable)
			for _, err := range []error{ensureErr, openErr, putErr} {
				if err != nil && (strings.Contains(err.Error(), cfg.SecretKey) || strings.Contains(err.Error(), good.SecretKey)) {
					t.Errorf("error repeats a secret: %v", err)
				}
			}
		})
	}
}

// TestS3RealHashChecked relies on the signed x-amz-content-sha256: bytes that do not hash to the
// key never get stored under it.
func TestS3RealHashChecked(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := realS3Config(t)
	cfg.Prefix += "test-" + randomName(t) + "/"
	s := newS3(t, cfg)
	cleanUp(t, s, false)
	key := keyOf([]byte("the real bytes"))
	err := s.PutBlob(ctx, key, []byte("other bytes"))
	if err == nil {
		t.Fatal("put of bytes that do not match the key succeeded")
	}
	if code := milepost.ErrorCode(err); code != milepost.CodeInternal {
		t.Errorf("code %q (%v), want %q: a caller's bug, not an outage", code, err, milepost.CodeInternal)
	}
	if _, err := s.OpenBlob(ctx, key); milepost.ErrorCode(err) != milepost.CodeNotFound {
		t.Errorf("after a refused put, OpenBlob = %v, want CodeNotFound", err)
	}
}
