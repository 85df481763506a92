package verify

import (
	"fmt"
	"strconv"
	"time"

	"github.com/milepost/milepost"
)

// The built-in analyzers and the names of their signals; docs/verification.md lists them all
// (TestDocsListEverySignal keeps the two in step).
const (
	analyzerEvidence = "evidence"
	analyzerRecency  = "recency"
	analyzerVelocity = "velocity"
	analyzerTamper   = "tamper"
	analyzerDevice   = "device"
	analyzerQuality  = "quality"
	analyzerReplay   = "replay"
	analyzerDocument = "document"
	analyzerOCR      = "ocr"
	analyzerDamage   = "damage"

	signalEvidencePresent  = "evidence_present"
	signalPlateMismatch    = "plate_mismatch"
	signalCaptureTime      = "capture_time"
	signalPhotoAge         = "photo_age"
	signalMilesPerDay      = "miles_per_day"
	signalMileageDecrease  = "mileage_decrease"
	signalEditingSoftware  = "editing_software"
	signalClaimedMismatch  = "claimed_mismatch"
	signalDeviceMismatch   = "device_mismatch"
	signalPhotoSpread      = "photo_spread"
	signalSharedDevice     = "shared_device"
	signalPhotoQuality     = "photo_quality"
	signalPhotoSize        = "photo_size"
	signalPhotoExposure    = "photo_exposure"
	signalPhotoBlur        = "photo_blur"
	signalScreenPhoto      = "screen_photo"
	signalReplayedPhoto    = "replayed_photo"
	signalOdometerRollover = "odometer_rollover"
	signalDocumentText     = "document_text"
	signalDocumentName     = "document_name"
	signalDocumentAddress  = "document_address"
	signalDocumentAge      = "document_age"
	signalHomeLocation     = "home_location"
	signalOdometerReading  = "odometer_reading"
	signalPlateReading     = "plate_reading"
	signalDamageChange     = "damage_change"
	signalDamageModel      = "damage_model"
)

// roleLabel names a photo's subject for users and reviewers: "license plate", "odometer", the
// angle ("DriverSide"), "home" or "document".
func roleLabel(ph milepost.CheckinPhoto) string {
	switch ph.Role {
	case milepost.RoleLicense:
		return "license plate"
	case milepost.RoleOdometer:
		return "odometer"
	case milepost.RoleAngle:
		if ph.Kind != "" {
			return ph.Kind
		}
		return "vehicle"
	case milepost.RoleHome:
		return "home"
	case milepost.RoleDocument:
		return "document"
	}
	if ph.Role == "" {
		return "check-in"
	}
	return string(ph.Role)
}

// photoRef identifies a photo in reviewer-facing reasons: its position in the check-in, what it
// shows and its upload.
func photoRef(i int, ph milepost.CheckinPhoto) string {
	return fmt.Sprintf("photo %d (%s, upload %s)", i+1, roleLabel(ph), ph.UploadID)
}

// humanDuration writes a policy duration for people: "72 hours", "10 minutes", "1h30m".
func humanDuration(d time.Duration) string {
	switch {
	case d == 0:
		return "0 minutes"
	case d%time.Hour == 0:
		return plural(int64(d/time.Hour), "hour")
	case d%time.Minute == 0 && d < time.Hour:
		return plural(int64(d/time.Minute), "minute")
	}
	return Duration(d).String()
}

// hours writes a duration as decimal hours for reviewers ("80.0 hours").
func hours(d time.Duration) string {
	return strconv.FormatFloat(d.Hours(), 'f', 1, 64) + " hours"
}

func plural(n int64, unit string) string {
	if n == 1 || n == -1 {
		return strconv.FormatInt(n, 10) + " " + unit
	}
	return strconv.FormatInt(n, 10) + " " + unit + "s"
}

// thousands writes an integer with comma separators ("12,345").
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3+1)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}
