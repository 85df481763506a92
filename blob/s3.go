package blob

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/milepost/milepost"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// Bounds on how long a request to a server that is down can take. minio-go's defaults (10
// attempts, 30 s to connect) would hold an upload for about a minute before its 503; three
// attempts still ride out a server restart or a brief SlowDown.
const (
	s3Attempts    = 3
	s3DialTimeout = 5 * time.Second
)

// S3 is a milepost.BlobStore in a bucket of an S3-compatible object store, reached with
// path-style requests. A blob is the object prefix + ab/<key>, where ab is the key's first byte
// pair. An object appears whole or not at all, so a failed put leaves nothing behind. S3 keeps
// no state of its own: any number of nodes may share a bucket. It is safe for concurrent use.
type S3 struct {
	client *minio.Client
	cfg    S3Config
}

var _ milepost.BlobStore = (*S3)(nil)

// NewS3 returns an S3 store for cfg. It checks cfg but does not contact the server; call
// EnsureBucket for that.
func NewS3(cfg S3Config) (*S3, error) {
	if cfg.Region == "" {
		cfg.Region = DefaultS3Region
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	tr, err := minio.DefaultTransport(cfg.TLS)
	if err != nil {
		return nil, fmt.Errorf("blob: S3 transport: %w", err)
	}
	tr.DialContext = (&net.Dialer{Timeout: s3DialTimeout, KeepAlive: 30 * time.Second}).DialContext
	client, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, cfg.SessionToken),
		Secure:       cfg.TLS,
		Region:       cfg.Region, // known, so no GetBucketLocation round trip
		BucketLookup: minio.BucketLookupPath,
		Transport:    tr,
		MaxRetries:   s3Attempts,
	})
	if err != nil {
		return nil, fmt.Errorf("blob: S3 client for %s: %w", cfg, err)
	}
	return &S3{client: client, cfg: cfg}, nil
}

// String names the store without its credentials, for logs.
func (s *S3) String() string { return s.cfg.String() }

// EnsureBucket checks that the bucket is reachable with the credentials and creates it when it
// is missing. Another node creating it at the same moment is not an error. Any failure is a
// CodeUnavailable error wrapping the server's answer.
func (s *S3) EnsureBucket(ctx context.Context) error {
	what := "check bucket " + s.cfg.Bucket
	ok, err := s.client.BucketExists(ctx, s.cfg.Bucket)
	if err != nil {
		return s.fail(ctx, what, false, err)
	}
	if ok {
		return nil
	}
	err = s.client.MakeBucket(ctx, s.cfg.Bucket, minio.MakeBucketOptions{Region: s.cfg.Region})
	if err == nil {
		return nil
	}
	// Servers differ in how they answer a create that lost a race; asking again settles it.
	if ok, err2 := s.client.BucketExists(ctx, s.cfg.Bucket); err2 == nil && ok {
		return nil
	}
	return s.fail(ctx, "create bucket "+s.cfg.Bucket, true, err)
}

// PutBlob stores data under key, a SHA-256 of data in lowercase hex (else a CodeInvalid error).
// It is idempotent: when an object of the same size is already stored under key it returns at
// once, trusting the content hash. The upload is one PUT request, so the object is either
// complete or absent. A failure of the server or the network is a CodeUnavailable error
// wrapping the cause; a canceled ctx returns its error.
func (s *S3) PutBlob(ctx context.Context, key string, data []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkKey(key); err != nil {
		return err
	}
	what, name := "put "+key, s.objectName(key)
	info, err := s.client.StatObject(ctx, s.cfg.Bucket, name, minio.StatObjectOptions{})
	switch {
	case err == nil && info.Size == int64(len(data)):
		return nil
	case err != nil && s3Code(err) != minio.NoSuchKey:
		return s.fail(ctx, what, false, err)
	}
	// One plain PUT whatever the size (uploads are far below S3's 5 GiB limit for one), so a
	// failed put leaves no stray multipart parts. The key is the payload's SHA-256, so it is
	// signed as x-amz-content-sha256 and the server refuses bytes changed on the way. (Without
	// it minio-go streams aws-chunked over plain http, which sends an empty blob with no length.)
	_, err = minio.Core{Client: s.client}.PutObject(ctx, s.cfg.Bucket, name, bytes.NewReader(data),
		int64(len(data)), "", key, minio.PutObjectOptions{DisableContentSha256: true})
	if c := s3Code(err); c == "XAmzContentSHA256Mismatch" || c == "BadDigest" {
		// Not the storage's fault: the caller's key is not the hash of its bytes.
		return fmt.Errorf("blob: %s: the server refused the bytes, which do not hash to the key: %w", what, err)
	}
	if err != nil {
		return s.fail(ctx, what, true, err)
	}
	return nil
}

// OpenBlob opens the bytes stored under key; the caller closes them, and ctx must stay alive
// while they are read. A key that is not stored is a CodeNotFound error, a malformed key a
// CodeInvalid error, a failure of the server or the network a CodeUnavailable error.
func (s *S3) OpenBlob(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := checkKey(key); err != nil {
		return nil, err
	}
	// Core's GetObject is one GET whose error carries the server's code; the Object of
	// Client.GetObject would first send a HEAD, whose 404 cannot tell a missing key from a
	// missing bucket.
	body, _, _, err := minio.Core{Client: s.client}.GetObject(ctx, s.cfg.Bucket, s.objectName(key), minio.GetObjectOptions{})
	if err != nil {
		if s3Code(err) == minio.NoSuchKey {
			return nil, milepost.Errorf(milepost.CodeNotFound, "", "Blob %s not found.", key)
		}
		return nil, s.fail(ctx, "open "+key, false, err)
	}
	return body, nil
}

// objectName shards by the key's first byte pair, like FS, so a listing of the bucket can be
// split and no single key range gets all the writes.
func (s *S3) objectName(key string) string {
	return s.cfg.Prefix + key[:2] + "/" + key
}

// fail turns a client error into the store's error for the step what: the caller's own
// cancellation stays a context error, anything else means the storage is unavailable (or full,
// when a write says so).
func (s *S3) fail(ctx context.Context, what string, write bool, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		if errors.Is(err, cerr) {
			return fmt.Errorf("blob: %s: %w", what, err)
		}
		// The retry loop gave up because of ctx; its last error is only context for the log.
		return fmt.Errorf("blob: %s: %w (last error: %v)", what, cerr, err)
	}
	var resp minio.ErrorResponse
	full := write && errors.As(err, &resp) &&
		(resp.StatusCode == http.StatusInsufficientStorage || resp.Code == "XMinioStorageFull")
	return unavailable(what, full, fmt.Errorf("%s: %w", s.cfg, err))
}

// s3Code is the S3 error code in err ("NoSuchKey", "AccessDenied"…), or "" when the server did
// not answer.
func s3Code(err error) string {
	var resp minio.ErrorResponse
	if errors.As(err, &resp) {
		return resp.Code
	}
	return ""
}
