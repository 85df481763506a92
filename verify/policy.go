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
}

// DefaultPolicy returns the policy used when no file is given.
func DefaultPolicy() Policy {
	return Policy{
		MaxPhotoAge:     Duration(72 * time.Hour),
		MaxFutureSkew:   Duration(10 * time.Minute),
		ClockSkewNoZone: Duration(14 * time.Hour),
		MaxMilesPerDay:  1500,
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
	if math.IsNaN(p.MaxMilesPerDay) || math.IsInf(p.MaxMilesPerDay, 0) || p.MaxMilesPerDay <= 0 {
		errs = append(errs, fmt.Errorf("maxMilesPerDay must be a positive number, got %v", p.MaxMilesPerDay))
	}
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
