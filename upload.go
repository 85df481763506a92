package milepost

import (
	"context"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// UploadKind tells a photo (for check-ins) from a document file.
type UploadKind string

// The two kinds of upload.
const (
	UploadPhoto UploadKind = "photo"
	UploadFile  UploadKind = "file"
)

// Device is what the partner's app says about the device that took a photo.
type Device struct {
	Identifier   string
	Manufacturer string
	Model        string
	OS           string
}

// EXIF is the metadata read from the file itself. Absent values are nil or empty; a file whose
// metadata cannot be read has an empty EXIF.
type EXIF struct {
	// TakenAt is DateTimeOriginal. When TakenAtHasZone is false the file gave no offset and the
	// camera's local time was read as UTC.
	TakenAt        *time.Time
	TakenAtHasZone bool
	Latitude       *float64
	Longitude      *float64
	Make           string
	Model          string
	Software       string
	Orientation    int // 1-8, 0 when absent
}

// Media is what inspecting an uploaded file's bytes tells.
type Media struct {
	ContentType string // image/jpeg, image/png, image/heic, image/heif, image/webp, application/pdf
	Width       int    // pixels; 0 for PDF
	Height      int
	EXIF        EXIF
	// Analysis is what the pixels say (pictures only; nil for PDF and for uploads stored before
	// photos were analysed).
	Analysis *PhotoAnalysis
	// Text is a document's text layer (PDF only; empty when it has none), at most MaxDocumentText
	// bytes.
	Text string
}

// MaxDocumentText bounds the text kept from one document.
const MaxDocumentText = 64 << 10

// PhotoAnalysis is what a picture's pixels say, computed once at upload from a reduced-size
// decode of the upright picture (EXIF orientation applied). Verification reads it instead of
// decoding the photo again.
type PhotoAnalysis struct {
	// PHash is the 64-bit DCT perceptual hash and DHash the 64-bit difference hash of the
	// upright picture; near-duplicates differ in few bits (Hamming distance).
	PHash uint64 `json:"phash,string"`
	DHash uint64 `json:"dhash,string"`
	// ShortSide is the short side of the full picture in pixels.
	ShortSide int `json:"shortSide"`
	// Brightness is the mean luma, 0 (black) to 255 (white).
	Brightness float64 `json:"brightness"`
	// Dark and Clipped are the fractions of pixels that are near black (luma ≤ 16) and blown out
	// (luma ≥ 250).
	Dark    float64 `json:"dark"`
	Clipped float64 `json:"clipped"`
	// Sharpness grows with fine detail; a blurred picture scores low (see docs/verification.md
	// for the scale and the default threshold).
	Sharpness float64 `json:"sharpness"`
	// Moire is the strength of fine periodic patterns typical of a photographed screen, 0 to 1.
	Moire float64 `json:"moire"`
}

// Upload is a stored photo or document. Its bytes are kept once per content (SHA256) in the
// blob store; the upload row ties them to a partner, a user and what the app claimed.
type Upload struct {
	ID        string
	PartnerID string
	UserID    string
	Kind      UploadKind
	Name      string
	SHA256    string // hex
	Size      int64
	Media     Media
	Device    Device
	// TakenOn, Latitude and Longitude are what the app claimed at upload.
	TakenOn   *time.Time
	Latitude  *float64
	Longitude *float64
	CreatedAt time.Time
}

// NewUpload is the input of an upload.
type NewUpload struct {
	UserID    string
	Name      string
	Data      []byte
	Device    Device
	TakenOn   *time.Time
	Latitude  *float64
	Longitude *float64
}

// DefaultMaxUploadBytes is the default limit on an uploaded file's decoded size (20 MB).
const DefaultMaxUploadBytes = 20 << 20

// Validate checks the fields of an upload that need no inspection of the bytes: a photo needs
// takenOn, latitude and longitude; coordinates must be on Earth; the file must not be empty or
// over maxBytes (CodeTooLarge).
func (in NewUpload) Validate(kind UploadKind, maxBytes int64) (NewUpload, error) {
	var err error
	dataField := "photo"
	if kind == UploadFile {
		dataField = "file"
	}
	if strings.TrimSpace(in.UserID) == "" {
		return in, Invalidf("userId", "userId is required.")
	}
	if in.Name, err = requiredText("name", in.Name, 255); err != nil {
		return in, err
	}
	if len(in.Data) == 0 {
		return in, Invalidf(dataField, "%s is required: the Base64-encoded bytes of the %s.", dataField, kind)
	}
	if int64(len(in.Data)) > maxBytes {
		return in, &Error{Code: CodeTooLarge, Reason: ReasonPayloadTooLarge, Params: []string{dataField},
			Message: "The " + string(kind) + " is larger than the limit of " + formatBytes(maxBytes) + "."}
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"deviceIdentifier", &in.Device.Identifier}, {"deviceManufacturer", &in.Device.Manufacturer}, {"deviceModel", &in.Device.Model}, {"deviceOS", &in.Device.OS}} {
		if *f.v, err = optionalText(f.name, *f.v, 255); err != nil {
			return in, err
		}
	}
	if kind == UploadPhoto {
		if in.TakenOn == nil {
			return in, Invalidf("takenOn", "takenOn is required (ISO8601 UTC, e.g. 2024-01-01T00:00:00.000Z).")
		}
		if in.Latitude == nil {
			return in, Invalidf("latitude", "latitude is required.")
		}
		if in.Longitude == nil {
			return in, Invalidf("longitude", "longitude is required.")
		}
	}
	if in.Latitude != nil && (math.IsNaN(*in.Latitude) || *in.Latitude < -90 || *in.Latitude > 90) {
		return in, Invalidf("latitude", "latitude must be between -90 and 90.")
	}
	if in.Longitude != nil && (math.IsNaN(*in.Longitude) || *in.Longitude < -180 || *in.Longitude > 180) {
		return in, Invalidf("longitude", "longitude must be between -180 and 180.")
	}
	return in, nil
}

func formatBytes(n int64) string {
	const mb = 1 << 20
	if n%mb == 0 {
		return strconv.FormatInt(n/mb, 10) + " MB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// UploadService stores photos and documents and serves them back to their partner.
type UploadService interface {
	// Upload inspects the bytes (real type, size, pixel limits, decodability, EXIF), stores them
	// and records the upload for the user. A file of the wrong type or that cannot be decoded is
	// CodeInvalid; an unknown user CodeNotFound; another partner's user CodeForbidden.
	Upload(ctx context.Context, actor Actor, kind UploadKind, in NewUpload) (*Upload, error)
	// FindUpload returns an upload's record (not its bytes) when the actor may read it.
	FindUpload(ctx context.Context, actor Actor, id string) (*Upload, error)
	// OpenUpload returns an upload and its bytes when the actor may read it.
	OpenUpload(ctx context.Context, actor Actor, id string) (*Upload, io.ReadCloser, error)
	// OpenUploadUnchecked returns an upload and its bytes without an actor; callers must have
	// authorized the request another way (a valid signed link).
	OpenUploadUnchecked(ctx context.Context, id string) (*Upload, io.ReadCloser, error)
}

// MediaInspector reads uploaded bytes. Implementations must never hang or panic on hostile
// input and must refuse decompression bombs before decoding.
type MediaInspector interface {
	// InspectPhoto accepts JPEG, PNG, HEIC/HEIF and WebP pictures that decode; anything else is
	// a CodeInvalid error saying why. Broken metadata leaves EXIF empty, it is not an error.
	InspectPhoto(data []byte) (Media, error)
	// InspectFile accepts PDF, JPEG and PNG documents.
	InspectFile(data []byte) (Media, error)
}

// BlobStore keeps file bytes by key. Put is idempotent: the keys are content hashes.
type BlobStore interface {
	PutBlob(ctx context.Context, key string, data []byte) error
	// OpenBlob returns the bytes of key, or a CodeNotFound error.
	OpenBlob(ctx context.Context, key string) (io.ReadCloser, error)
}
