package tripapi

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/milepost/milepost"
)

// flexNumber is a number sent as a JSON string (as the Tight API writes lat, lng and distance)
// or as a JSON number; Raw keeps the text.
type flexNumber struct {
	Raw string
}

// UnmarshalJSON accepts "12.5" and 12.5.
func (f *flexNumber) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		f.Raw = strings.TrimSpace(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	f.Raw = n.String()
	return nil
}

func (f *flexNumber) float(param string) (*float64, error) {
	if f == nil || f.Raw == "" {
		return nil, nil
	}
	v, err := strconv.ParseFloat(f.Raw, 64)
	if err != nil {
		return nil, &milepost.Error{Code: milepost.CodeInvalid, Reason: "INVALID_FORMAT", Params: []string{param}, Message: param + " must be a decimal number."}
	}
	return &v, nil
}

// formatFloat writes a coordinate the way the API reads it back: a decimal string.
func formatFloat(f *float64) *string {
	if f == nil {
		return nil
	}
	s := strconv.FormatFloat(*f, 'f', -1, 64)
	return &s
}

func parseDate(param, s string) (*time.Time, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return nil, &milepost.Error{Code: milepost.CodeInvalid, Reason: "INVALID_FORMAT", Params: []string{param}, Message: param + " must be a date like 2024-03-15."}
	}
	return &t, nil
}

func parseInstant(param, s string) (*time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(s))
	if err != nil {
		return nil, &milepost.Error{Code: milepost.CodeInvalid, Reason: "INVALID_FORMAT", Params: []string{param}, Message: param + " must be an ISO-8601 time like 2023-11-07T05:31:56Z."}
	}
	t = t.UTC()
	return &t, nil
}

// decodeItem decodes one item of a bulk request, reporting JSON problems as the item's error.
func decodeItem(raw json.RawMessage, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if ok := asType(err, &te); ok && te.Field != "" {
			return &milepost.Error{Code: milepost.CodeInvalid, Reason: "INVALID_FORMAT", Params: []string{te.Field},
				Message: te.Field + " has the wrong type (a JSON " + te.Value + ")."}
		}
		return &milepost.Error{Code: milepost.CodeInvalid, Reason: "JSON_ERROR", Message: "The item is not a valid JSON object."}
	}
	return nil
}

func asType(err error, target **json.UnmarshalTypeError) bool {
	te, ok := err.(*json.UnmarshalTypeError)
	if ok {
		*target = te
	}
	return ok
}
