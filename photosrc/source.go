// Package photosrc gives verification the bytes and pixels of uploaded photos: it reads them
// from the blob store and decodes them upright at the size an analyzer asks for.
package photosrc

import (
	"context"
	"fmt"
	"image"
	"io"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/photo"
)

// Source reads uploads' bytes from a blob store. It is safe for concurrent use.
type Source struct {
	blobs milepost.BlobStore
}

// New returns a Source over blobs.
func New(blobs milepost.BlobStore) *Source { return &Source{blobs: blobs} }

// Bytes returns an upload's stored bytes.
func (s *Source) Bytes(ctx context.Context, u *milepost.Upload) ([]byte, error) {
	rc, err := s.blobs.OpenBlob(ctx, u.SHA256)
	if err != nil {
		return nil, fmt.Errorf("open upload %s: %w", u.ID, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, fmt.Errorf("read upload %s: %w", u.ID, err)
	}
	return data, nil
}

// Gray returns an upload's picture upright in gray levels, its long side at most maxSide.
func (s *Source) Gray(ctx context.Context, u *milepost.Upload, maxSide int) (*image.Gray, error) {
	data, err := s.Bytes(ctx, u)
	if err != nil {
		return nil, err
	}
	img, err := photo.DecodeGray(data, maxSide)
	if err != nil {
		return nil, fmt.Errorf("decode upload %s: %w", u.ID, err)
	}
	return img, nil
}
