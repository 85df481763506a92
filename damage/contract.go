package damage

import (
	"errors"
	"fmt"
	"net/url"
)

// Request is what Client.Analyze sends to an external damage analyzer, as JSON
// (docs/damage-analysis.md has a full example).
type Request struct {
	CheckinID string `json:"checkinId"`
	VehicleID string `json:"vehicleId,omitempty"`
	VIN       string `json:"vin,omitempty"`
	// Angle is the photo's angle: Front, Back, DriverSide, PassengerSide or one of the
	// enhanced angles (DriverSideFront, ...).
	Angle string `json:"angle"`
	// Photo is the photo to analyse.
	Photo Image `json:"photo"`
	// Previous is the same angle of the vehicle's last confirmed condition check-in, when
	// there is one, so the analyzer can tell new damage from old.
	Previous *Image `json:"previousPhoto,omitempty"`
	// PreviousCheckinID names the check-in Previous comes from.
	PreviousCheckinID string `json:"previousCheckinId,omitempty"`
}

// Image is a photo either by URL, which the analyzer fetches (a short-lived signed URL), or
// inline: Data travels base64-encoded in JSON with its ContentType. Exactly one of URL and
// Data is set.
type Image struct {
	URL         string `json:"url,omitempty"`
	ContentType string `json:"contentType,omitempty"`
	Data        []byte `json:"data,omitempty"`
}

// DamageType is the kind of a finding.
type DamageType string

// The damage types of the contract; an analyzer maps anything else to TypeOther.
const (
	TypeDent        DamageType = "dent"
	TypeScratch     DamageType = "scratch"
	TypeCrack       DamageType = "crack"
	TypeBroken      DamageType = "broken"
	TypeMissingPart DamageType = "missing_part"
	TypeOther       DamageType = "other"
)

func (t DamageType) valid() bool {
	switch t {
	case TypeDent, TypeScratch, TypeCrack, TypeBroken, TypeMissingPart, TypeOther:
		return true
	}
	return false
}

// Box is a region of the photo in relative coordinates: (X, Y) is the top-left corner and
// every value lies in 0..1, so boxes survive any resizing of the photo.
type Box struct {
	X      float64 `json:"x"`
	Y      float64 `json:"y"`
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
}

// Finding is one piece of damage an analyzer saw.
type Finding struct {
	Angle       string     `json:"angle"`
	Type        DamageType `json:"type"`
	Severity    float64    `json:"severity"`   // 0 cosmetic .. 1 severe
	Confidence  float64    `json:"confidence"` // 0..1
	Box         *Box       `json:"box,omitempty"`
	Description string     `json:"description,omitempty"`
}

// Findings is an analyzer's answer: its verdict, what it saw, and which model said so.
type Findings struct {
	DamageDetected bool      `json:"damageDetected"`
	Items          []Finding `json:"findings"`
	Model          string    `json:"model"`
	ModelVersion   string    `json:"modelVersion,omitempty"`
}

// validate refuses a request an analyzer could not act on, before anything is sent.
func (r Request) validate() error {
	if r.CheckinID == "" {
		return errors.New("checkinId is required")
	}
	if r.Angle == "" {
		return errors.New("angle is required")
	}
	if err := r.Photo.validate(); err != nil {
		return fmt.Errorf("photo: %w", err)
	}
	if r.Previous != nil {
		if err := r.Previous.validate(); err != nil {
			return fmt.Errorf("previousPhoto: %w", err)
		}
	}
	return nil
}

func (im Image) validate() error {
	switch {
	case im.URL != "" && len(im.Data) > 0:
		return errors.New("give either url or data, not both")
	case len(im.Data) > 0:
		if im.ContentType == "" {
			return errors.New("contentType is required with data")
		}
		return nil
	case im.URL == "":
		return errors.New("url or data is required")
	}
	u, err := url.Parse(im.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("url %q is not an absolute http(s) URL", im.URL)
	}
	return nil
}

// wireFindings is the answer as decoded: pointers tell a missing field from a zero one.
type wireFindings struct {
	DamageDetected *bool     `json:"damageDetected"`
	Findings       []Finding `json:"findings"`
	Model          string    `json:"model"`
	ModelVersion   string    `json:"modelVersion"`
}

// check validates an answer to a request for angle and fills a finding's missing angle.
func (w wireFindings) check(angle string) (Findings, error) {
	if w.DamageDetected == nil {
		return Findings{}, errors.New("damageDetected is missing")
	}
	if w.Model == "" {
		return Findings{}, errors.New("model is missing")
	}
	f := Findings{DamageDetected: *w.DamageDetected, Items: w.Findings, Model: w.Model, ModelVersion: w.ModelVersion}
	for i := range f.Items {
		it := &f.Items[i]
		if it.Angle == "" {
			it.Angle = angle
		}
		if err := it.check(angle); err != nil {
			return Findings{}, fmt.Errorf("findings[%d]: %w", i, err)
		}
	}
	return f, nil
}

func (it Finding) check(angle string) error {
	const eps = 1e-6 // rounding in the analyzer's float printing
	in01 := func(v float64) bool { return v >= 0 && v <= 1 }
	switch {
	case it.Angle != angle:
		return fmt.Errorf("angle %q, but %q was asked", it.Angle, angle)
	case !it.Type.valid():
		return fmt.Errorf("unknown type %q", it.Type)
	case !in01(it.Severity):
		return fmt.Errorf("severity %v is outside 0..1", it.Severity)
	case !in01(it.Confidence):
		return fmt.Errorf("confidence %v is outside 0..1", it.Confidence)
	}
	if b := it.Box; b != nil {
		if !in01(b.X) || !in01(b.Y) || !in01(b.Width) || !in01(b.Height) ||
			b.X+b.Width > 1+eps || b.Y+b.Height > 1+eps {
			return fmt.Errorf("box %+v is not within the photo (relative coordinates 0..1)", *b)
		}
	}
	return nil
}
