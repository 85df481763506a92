package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/milepost/milepost"
)

// Uploads implements milepost.UploadService: bytes go to the blob store under their SHA-256,
// the row ties them to a partner and user with the metadata read from the file.
type Uploads struct {
	db       *DB
	blobs    milepost.BlobStore
	media    milepost.MediaInspector
	maxBytes int64
}

// Uploads returns the upload service of this store. maxBytes <= 0 means
// milepost.DefaultMaxUploadBytes.
func (db *DB) Uploads(blobs milepost.BlobStore, media milepost.MediaInspector, maxBytes int64) *Uploads {
	if maxBytes <= 0 {
		maxBytes = milepost.DefaultMaxUploadBytes
	}
	return &Uploads{db: db, blobs: blobs, media: media, maxBytes: maxBytes}
}

var _ milepost.UploadService = (*Uploads)(nil)

// MaxBytes is the largest file this service accepts.
func (s *Uploads) MaxBytes() int64 { return s.maxBytes }

const uploadCols = `id, partner_id, user_id, kind, name, sha256, size, content_type, width, height,
	device_identifier, device_manufacturer, device_model, device_os, taken_on, latitude, longitude,
	exif_taken_at, exif_time_has_zone, exif_latitude, exif_longitude, exif_make, exif_model, exif_software, exif_orientation, analysis, created_at`

func scanUpload(row interface{ Scan(...any) error }) (*milepost.Upload, error) {
	var u milepost.Upload
	var kind string
	var takenOn, exifTaken sql.NullInt64
	var lat, lon, exifLat, exifLon sql.NullFloat64
	var created int64
	var analysis string
	m, e, d := &u.Media, &u.Media.EXIF, &u.Device
	err := row.Scan(&u.ID, &u.PartnerID, &u.UserID, &kind, &u.Name, &u.SHA256, &u.Size, &m.ContentType, &m.Width, &m.Height,
		&d.Identifier, &d.Manufacturer, &d.Model, &d.OS, &takenOn, &lat, &lon,
		&exifTaken, &e.TakenAtHasZone, &exifLat, &exifLon, &e.Make, &e.Model, &e.Software, &e.Orientation, &analysis, &created)
	if err != nil {
		return nil, err
	}
	if analysis != "" {
		m.Analysis = new(milepost.PhotoAnalysis)
		if err := json.Unmarshal([]byte(analysis), m.Analysis); err != nil {
			return nil, fmt.Errorf("upload %s: analysis: %w", u.ID, err)
		}
	}
	u.Kind = milepost.UploadKind(kind)
	u.TakenOn, u.Latitude, u.Longitude = timePtr(takenOn), floatPtr(lat), floatPtr(lon)
	e.TakenAt, e.Latitude, e.Longitude = timePtr(exifTaken), floatPtr(exifLat), floatPtr(exifLon)
	u.CreatedAt = fromMS(created)
	return &u, nil
}

// Upload inspects, stores and records an upload; see milepost.UploadService.
func (s *Uploads) Upload(ctx context.Context, actor milepost.Actor, kind milepost.UploadKind, in milepost.NewUpload) (*milepost.Upload, error) {
	in, err := in.Validate(kind, s.maxBytes)
	if err != nil {
		return nil, err
	}
	// The owner is checked before the (costly) inspection so a wrong user id fails fast.
	if err := s.db.view(ctx, func(tx *Tx) error {
		_, err := findUser(ctx, tx, actor, in.UserID)
		return err
	}); err != nil {
		return nil, err
	}
	var media milepost.Media
	if kind == milepost.UploadFile {
		media, err = s.media.InspectFile(in.Data)
	} else {
		media, err = s.media.InspectPhoto(in.Data)
	}
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(in.Data)
	key := hex.EncodeToString(sum[:])
	// The bytes are stored before the row: a crash in between leaves an unreferenced blob, never
	// a row whose bytes are missing.
	if err := s.blobs.PutBlob(ctx, key, in.Data); err != nil {
		return nil, fmt.Errorf("store upload bytes: %w", err)
	}
	u := &milepost.Upload{
		ID: newID(), UserID: in.UserID, Kind: kind, Name: in.Name, SHA256: key, Size: int64(len(in.Data)),
		Media: media, Device: in.Device, TakenOn: in.TakenOn, Latitude: in.Latitude, Longitude: in.Longitude,
	}
	err = s.db.update(ctx, func(tx *Tx) error {
		owner, err := findUser(ctx, tx, actor, in.UserID)
		if err != nil {
			return err
		}
		u.PartnerID, u.CreatedAt = owner.PartnerID, tx.now
		return insertUpload(ctx, tx, u)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

func insertUpload(ctx context.Context, tx *Tx, u *milepost.Upload) error {
	m, e, d := u.Media, u.Media.EXIF, u.Device
	analysis := ""
	if m.Analysis != nil {
		b, err := json.Marshal(m.Analysis)
		if err != nil {
			return fmt.Errorf("encode analysis: %w", err)
		}
		analysis = string(b)
	}
	text := m.Text
	if len(text) > milepost.MaxDocumentText {
		text = strings.ToValidUTF8(text[:milepost.MaxDocumentText], "")
	}
	// The text layer is not in uploadCols: only verification reads it (documentTexts).
	_, err := tx.exec(ctx, "INSERT INTO uploads ("+uploadCols+", text_layer) VALUES ("+placeholders(28)+")",
		u.ID, u.PartnerID, u.UserID, string(u.Kind), u.Name, u.SHA256, u.Size, m.ContentType, m.Width, m.Height,
		d.Identifier, d.Manufacturer, d.Model, d.OS, nullMS(u.TakenOn), nullFloat(u.Latitude), nullFloat(u.Longitude),
		nullMS(e.TakenAt), e.TakenAtHasZone, nullFloat(e.Latitude), nullFloat(e.Longitude), e.Make, e.Model, e.Software, e.Orientation,
		analysis, u.CreatedAt.UnixMilli(), text)
	if err != nil {
		return fmt.Errorf("insert upload: %w", err)
	}
	return nil
}

func uploadNotFound() error {
	return milepost.Errorf(milepost.CodeNotFound, milepost.ReasonUploadNotFound, "Upload not found.")
}

func findUpload(ctx context.Context, tx *Tx, id string) (*milepost.Upload, error) {
	u, err := scanUpload(tx.queryRow(ctx, "SELECT "+uploadCols+" FROM uploads WHERE id = ?", strings.TrimSpace(id)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, uploadNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("find upload: %w", err)
	}
	return u, nil
}

// FindUpload returns an upload's record when the actor may read it; see milepost.UploadService.
func (s *Uploads) FindUpload(ctx context.Context, actor milepost.Actor, id string) (*milepost.Upload, error) {
	u, err := readOne(ctx, s.db, func(tx *Tx) (*milepost.Upload, error) { return findUpload(ctx, tx, id) })
	if err != nil {
		return nil, err
	}
	if err := actor.CanAccessUser(u.PartnerID, u.UserID); err != nil {
		return nil, err
	}
	return u, nil
}

// OpenUpload returns an upload the actor may read, with its bytes; see milepost.UploadService.
func (s *Uploads) OpenUpload(ctx context.Context, actor milepost.Actor, id string) (*milepost.Upload, io.ReadCloser, error) {
	u, err := s.FindUpload(ctx, actor, id)
	if err != nil {
		return nil, nil, err
	}
	return s.open(ctx, u)
}

// OpenUploadUnchecked returns an upload and its bytes without an access check; see
// milepost.UploadService.
func (s *Uploads) OpenUploadUnchecked(ctx context.Context, id string) (*milepost.Upload, io.ReadCloser, error) {
	u, err := readOne(ctx, s.db, func(tx *Tx) (*milepost.Upload, error) { return findUpload(ctx, tx, id) })
	if err != nil {
		return nil, nil, err
	}
	return s.open(ctx, u)
}

func (s *Uploads) open(ctx context.Context, u *milepost.Upload) (*milepost.Upload, io.ReadCloser, error) {
	rc, err := s.blobs.OpenBlob(ctx, u.SHA256)
	if err != nil {
		return nil, nil, fmt.Errorf("open upload %s bytes: %w", u.ID, err)
	}
	return u, rc, nil
}
