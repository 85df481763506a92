package milepost

import (
	"context"
	"time"
)

// PhotoUse records that an upload was used as evidence in a check-in. Uses are append-only and
// numbered in commit order (Seq), so "a photo already used in another check-in" means a use of
// another check-in with a lower Seq.
type PhotoUse struct {
	Seq       int64
	CheckinID string
	UploadID  string
	PartnerID string
	UserID    string
	VehicleID string
	SHA256    string
	// PHash and DHash are the upload's perceptual hashes (nil for documents and uploads stored
	// before photos were analysed).
	PHash, DHash *uint64
	CreatedAt    time.Time
}

// PhotoUseStore is what replay detection reads.
type PhotoUseStore interface {
	// PhotoUsesSince returns up to limit uses with Seq > after, in Seq order.
	PhotoUsesSince(ctx context.Context, after int64, limit int) ([]PhotoUse, error)
	// PhotoUsesBySHA256 returns every use of the exact bytes, in Seq order.
	PhotoUsesBySHA256(ctx context.Context, sha string) ([]PhotoUse, error)
	// PhotoUsesOf returns the uses of one check-in, in Seq order.
	PhotoUsesOf(ctx context.Context, checkinID string) ([]PhotoUse, error)
	// PhotoUsesBySeq returns the uses with these sequence numbers (any order).
	PhotoUsesBySeq(ctx context.Context, seqs []int64) ([]PhotoUse, error)
}

// PhotoMatch is an earlier use of the same picture by another check-in.
type PhotoMatch struct {
	// UploadID is the photo of the check-in being verified.
	UploadID string
	// Earlier is the other check-in's use of the same picture.
	Earlier PhotoUse
	// Exact is true for the same bytes; else PHashDistance and DHashDistance say how close the
	// perceptual hashes are.
	Exact                        bool
	PHashDistance, DHashDistance int
}

// DeviceStats counts how many distinct users uploaded photos from one device identifier.
type DeviceStats interface {
	// DeviceUsers returns the number of distinct users (across partners) whose uploads carry the
	// device identifier.
	DeviceUsers(ctx context.Context, identifier string) (int, error)
}
