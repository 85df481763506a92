package partnerapi

import (
	"strings"
	"time"

	"github.com/milepost/milepost"
)

// timeLayout is how the partner API writes timestamps: ISO8601 UTC with milliseconds.
const timeLayout = "2006-01-02T15:04:05.000Z"

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

func formatTimePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return formatTime(*t)
}

// parseTime reads an ISO8601 timestamp (with or without fraction and zone; a missing zone means
// UTC) or a plain date. "" gives nil. Anything else is CodeInvalid naming param.
func parseTime(param, s string) (*time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			t = t.UTC()
			return &t, nil
		}
	}
	return nil, milepost.Invalidf(param, "%s %q is not an ISO8601 UTC timestamp such as 2024-01-01T00:00:00.000Z.", param, s)
}
