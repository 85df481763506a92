package blob

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/milepost/milepost"
)

// Open returns the blob store named by rawURL: the filesystem store under dataDir/blobs when
// rawURL is empty, an S3 store for an s3:// URL (see ParseS3URL). An S3 bucket is checked and,
// when missing, created, so a server that is down or refuses the credentials fails here, at
// startup, with a CodeUnavailable error. Any other URL is an error that does not repeat it.
func Open(ctx context.Context, rawURL, dataDir string) (milepost.BlobStore, error) {
	if rawURL == "" {
		fs, err := NewFS(filepath.Join(dataDir, "blobs"))
		if err != nil {
			return nil, err
		}
		return fs, nil
	}
	scheme, _, ok := strings.Cut(rawURL, "://")
	if !ok || !strings.EqualFold(scheme, "s3") {
		return nil, errors.New("blob: unsupported blob URL; want s3://ACCESS_KEY:SECRET_KEY@HOST:PORT/BUCKET, or none for files under the data directory")
	}
	cfg, err := ParseS3URL(rawURL)
	if err != nil {
		return nil, err
	}
	s, err := NewS3(cfg)
	if err != nil {
		return nil, err
	}
	if err := s.EnsureBucket(ctx); err != nil {
		return nil, fmt.Errorf("blob: open %s: %w", s, err)
	}
	return s, nil
}
