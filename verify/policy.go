package verify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"os"
	"reflect"
	"slices"
	"strings"
	"time"
)

// Policy holds the thresholds of the built-in analyzers. It is read from a JSON file whose keys
// are the json tags below; durations are Go duration strings such as "72h" or "10m".
type Policy struct {
	// MaxPhotoAge is how long before the submission a photo may have been taken (default 72h).
	MaxPhotoAge Duration `json:"maxPhotoAge"`
	// MaxFutureSkew is how far after the submission a capture time may lie, for device clocks
	// that run a little fast (default 10m).
	MaxFutureSkew Duration `json:"maxFutureSkew"`
	// ClockSkewNoZone is the extra allowance, both ways, for an EXIF capture time without a
	// time zone: the camera's local time was read as UTC (default 14h, the widest UTC offset).
	ClockSkewNoZone Duration `json:"clockSkewNoZone"`
	// MaxMilesPerDay is the highest plausible rate between two confirmed mileage readings
	// (default 1500).
	MaxMilesPerDay float64 `json:"maxMilesPerDay"`

	// EditorSoftware lists names (matched case-insensitively inside EXIF Software) of programs
	// that edit pictures; a photo saved by one of them is held as possibly edited.
	EditorSoftware []string `json:"editorSoftware"`
	// MaxClaimedTimeSkew is how far the EXIF capture time may be from the takenOn the app claimed
	// (default 10m; an EXIF time without zone gets clockSkewNoZone more).
	MaxClaimedTimeSkew Duration `json:"maxClaimedTimeSkew"`
	// MaxClaimedDistanceMeters is how far the EXIF GPS position may be from the position the app
	// claimed (default 1000).
	MaxClaimedDistanceMeters float64 `json:"maxClaimedDistanceMeters"`
	// MaxPhotoSpread is the longest time between the capture times of one check-in's photos
	// (default 12h).
	MaxPhotoSpread Duration `json:"maxPhotoSpread"`
	// MaxPhotoSpreadMeters is the farthest two photos of one check-in may have been taken apart
	// (default 1000).
	MaxPhotoSpreadMeters float64 `json:"maxPhotoSpreadMeters"`
	// MaxUsersPerDevice is how many users' photos may come from one device identifier before it
	// is held as shared (default 3).
	MaxUsersPerDevice int `json:"maxUsersPerDevice"`

	// MinShortSide is the smallest short side of a photo in pixels (default 640).
	MinShortSide int `json:"minShortSide"`
	// MinBrightness is the lowest mean luma, 0-255 (default 40), and MaxDark the largest share of
	// near-black blocks (default 0.5), of photos taken outside (not odometers: a dashboard at night
	// is dark); MaxClipped is the largest share of blown-out blocks (default 0.25).
	MinBrightness float64 `json:"minBrightness"`
	MaxDark       float64 `json:"maxDark"`
	MaxClipped    float64 `json:"maxClipped"`
	// MinSharpness is the lowest sharpness (photo analysis scale, docs/photo-analysis.md;
	// default 0.8).
	MinSharpness float64 `json:"minSharpness"`
	// MaxMoire is the highest screen-pattern strength, 0-1 (default 0.05).
	MaxMoire float64 `json:"maxMoire"`

	// MaxReplayPHashDistance and MaxReplayDHashDistance are the Hamming distances (0-64) within
	// which two photos' perceptual and difference hashes make them a candidate replay, held for
	// review (defaults 10 and 16).
	MaxReplayPHashDistance int `json:"maxReplayPHashDistance"`
	MaxReplayDHashDistance int `json:"maxReplayDHashDistance"`
	// DeclineReplayPHashDistance and DeclineReplayDHashDistance are the closer distances of an
	// almost certain copy, declined as fraud — except for odometer photos and photos of the same
	// vehicle, which look alike when genuinely taken again (defaults 6 and 8).
	DeclineReplayPHashDistance int `json:"declineReplayPHashDistance"`
	DeclineReplayDHashDistance int `json:"declineReplayDHashDistance"`

	// MaxDocumentAge is how old a proof-of-address document may be (default 2160h, 90 days).
	MaxDocumentAge Duration `json:"maxDocumentAge"`
	// MaxHomePhotoDistanceMeters is how far from the address's coordinates a home photo may have
	// been taken (default 1000).
	MaxHomePhotoDistanceMeters float64 `json:"maxHomePhotoDistanceMeters"`

	// MinOCRConfidence is the confidence (0-1) from which an OCR reading is acted on (default
	// 0.85); MaxOdometerDifference is how many miles a confident odometer reading may differ
	// from the mileage entered (default 100).
	MinOCRConfidence      float64 `json:"minOCRConfidence"`
	MaxOdometerDifference float64 `json:"maxOdometerDifference"`

	// DamageThreshold is the share of a region's pixels that must have changed since the last
	// confirmed photo of the same angle to flag it (docs/damage-analysis.md; default 0.02).
	DamageThreshold float64 `json:"damageThreshold"`
}

// DefaultPolicy returns the policy used when no file is given.
func DefaultPolicy() Policy {
	return Policy{
		MaxPhotoAge:     Duration(72 * time.Hour),
		MaxFutureSkew:   Duration(10 * time.Minute),
		ClockSkewNoZone: Duration(14 * time.Hour),
		MaxMilesPerDay:  1500,
		EditorSoftware: []string{"Photoshop", "Lightroom", "GIMP", "Snapseed", "Pixelmator", "Affinity Photo", "Paint.NET",
			"PicsArt", "Fotor", "Canva", "VSCO", "Facetune", "Meitu", "Polarr", "Luminar", "PhotoDirector", "Photoscape"},
		MaxClaimedTimeSkew:         Duration(10 * time.Minute),
		MaxClaimedDistanceMeters:   1000,
		MaxPhotoSpread:             Duration(12 * time.Hour),
		MaxPhotoSpreadMeters:       1000,
		MaxUsersPerDevice:          3,
		MinShortSide:               640,
		MinBrightness:              40,
		MaxDark:                    0.5,
		MaxClipped:                 0.25,
		MinSharpness:               0.8,
		MaxMoire:                   0.05,
		MaxReplayPHashDistance:     10,
		MaxReplayDHashDistance:     16,
		DeclineReplayPHashDistance: 6,
		DeclineReplayDHashDistance: 8,
		MaxDocumentAge:             Duration(90 * 24 * time.Hour),
		MaxHomePhotoDistanceMeters: 1000,
		MinOCRConfidence:           0.85,
		MaxOdometerDifference:      100,
		DamageThreshold:            0.02,
	}
}

// LoadPolicy reads a policy from a JSON file. Fields missing from the file keep their defaults;
// an unknown field, a value of the wrong type or a value Validate refuses is an error naming the
// field.
func LoadPolicy(path string) (Policy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Policy{}, fmt.Errorf("read verification policy: %w", err)
	}
	p, err := ParsePolicy(data)
	if err != nil {
		return Policy{}, fmt.Errorf("verification policy %s: %w", path, err)
	}
	return p, nil
}

// ParsePolicy is LoadPolicy on the bytes of a JSON document.
func ParsePolicy(data []byte) (Policy, error) {
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&raw); err != nil {
		return Policy{}, fmt.Errorf("not a JSON object: %w", err)
	}
	if raw == nil {
		return Policy{}, errors.New("not a JSON object: null")
	}
	if dec.More() {
		return Policy{}, errors.New("not a JSON object: more data after the object")
	}
	p := DefaultPolicy()
	v := reflect.ValueOf(&p).Elem()
	fields := map[string]reflect.Value{}
	var names []string
	for i := range v.NumField() {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
		fields[name] = v.Field(i)
		names = append(names, name)
	}
	var errs []error
	for _, key := range slices.Sorted(maps.Keys(raw)) {
		f, ok := fields[key]
		if !ok {
			errs = append(errs, fmt.Errorf("unknown field %q (known fields: %s)", key, strings.Join(names, ", ")))
			continue
		}
		if err := json.Unmarshal(raw[key], f.Addr().Interface()); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				err = fmt.Errorf("must be a %s, not a JSON %s", kindName(f.Type()), te.Value)
			}
			errs = append(errs, fmt.Errorf("%s: %w", key, err))
		}
	}
	if err := joinErrors(errs); err != nil {
		return Policy{}, err
	}
	if err := p.Validate(); err != nil {
		return Policy{}, err
	}
	return p, nil
}

// Validate reports every threshold that is out of range, each error naming its JSON field:
// maxPhotoAge and maxMilesPerDay must be positive, the two skews zero or more.
func (p Policy) Validate() error {
	var errs []error
	if p.MaxPhotoAge <= 0 {
		errs = append(errs, fmt.Errorf("maxPhotoAge must be positive, got %s", p.MaxPhotoAge))
	}
	if p.MaxFutureSkew < 0 {
		errs = append(errs, fmt.Errorf("maxFutureSkew must not be negative, got %s", p.MaxFutureSkew))
	}
	if p.ClockSkewNoZone < 0 {
		errs = append(errs, fmt.Errorf("clockSkewNoZone must not be negative, got %s", p.ClockSkewNoZone))
	}
	positive := func(name string, v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
			errs = append(errs, fmt.Errorf("%s must be a positive number, got %v", name, v))
		}
	}
	positive("maxMilesPerDay", p.MaxMilesPerDay)
	for _, name := range p.EditorSoftware {
		if strings.TrimSpace(name) == "" {
			errs = append(errs, errors.New("editorSoftware must not hold empty names"))
			break
		}
	}
	if p.MaxClaimedTimeSkew <= 0 {
		errs = append(errs, fmt.Errorf("maxClaimedTimeSkew must be positive, got %s", p.MaxClaimedTimeSkew))
	}
	positive("maxClaimedDistanceMeters", p.MaxClaimedDistanceMeters)
	if p.MaxPhotoSpread <= 0 {
		errs = append(errs, fmt.Errorf("maxPhotoSpread must be positive, got %s", p.MaxPhotoSpread))
	}
	positive("maxPhotoSpreadMeters", p.MaxPhotoSpreadMeters)
	if p.MaxUsersPerDevice < 1 {
		errs = append(errs, fmt.Errorf("maxUsersPerDevice must be at least 1, got %d", p.MaxUsersPerDevice))
	}
	if p.MinShortSide < 0 {
		errs = append(errs, fmt.Errorf("minShortSide must not be negative, got %d", p.MinShortSide))
	}
	between := func(name string, v, lo, hi float64) {
		if math.IsNaN(v) || v < lo || v > hi {
			errs = append(errs, fmt.Errorf("%s must be between %v and %v, got %v", name, lo, hi, v))
		}
	}
	between("minBrightness", p.MinBrightness, 0, 255)
	between("maxDark", p.MaxDark, 0, 1)
	between("maxClipped", p.MaxClipped, 0, 1)
	between("minSharpness", p.MinSharpness, 0, math.MaxFloat64)
	between("maxMoire", p.MaxMoire, 0, 1)
	between("maxReplayPHashDistance", float64(p.MaxReplayPHashDistance), 0, 32)
	between("maxReplayDHashDistance", float64(p.MaxReplayDHashDistance), 0, 32)
	between("declineReplayPHashDistance", float64(p.DeclineReplayPHashDistance), 0, float64(p.MaxReplayPHashDistance))
	between("declineReplayDHashDistance", float64(p.DeclineReplayDHashDistance), 0, float64(p.MaxReplayDHashDistance))
	if p.MaxDocumentAge < Duration(24*time.Hour) {
		errs = append(errs, fmt.Errorf("maxDocumentAge must be at least 24h, got %s", p.MaxDocumentAge))
	}
	positive("maxHomePhotoDistanceMeters", p.MaxHomePhotoDistanceMeters)
	between("minOCRConfidence", p.MinOCRConfidence, 0, 1)
	between("maxOdometerDifference", p.MaxOdometerDifference, 0, math.MaxFloat64)
	between("damageThreshold", p.DamageThreshold, 0.001, 1)
	return joinErrors(errs)
}

// joinErrors joins problems on one line ("a; b"), for logs and terminals alike; nil when none.
func joinErrors(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	msgs := make([]string, len(errs))
	for i, err := range errs {
		msgs[i] = err.Error()
	}
	return errors.New(strings.Join(msgs, "; "))
}

// Duration is a time.Duration written in JSON as a Go duration string ("72h", "90m", "1h30m").
type Duration time.Duration

// String formats d like time.Duration without trailing zero units: "72h", "10m", "1h30m".
func (d Duration) String() string {
	s := time.Duration(d).String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// MarshalJSON writes d as a duration string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads a duration string; a number or a string time.ParseDuration refuses is an
// error that says what is expected.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("must be a duration string such as \"72h\" or \"10m\", not %s", b)
	}
	v, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("%q is not a duration: use hours, minutes or seconds such as \"72h\", \"90m\" or \"1h30m\"", s)
	}
	*d = Duration(v)
	return nil
}

// kindName names what a policy field holds, for error messages.
func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Float32, reflect.Float64, reflect.Int, reflect.Int64:
		return "number"
	}
	return t.String()
}
