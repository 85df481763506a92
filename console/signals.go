package console

import "github.com/milepost/milepost"

// signalInfo names each verification signal in plain language and says what it checks, as
// docs/verification.md does; the signal's own reason says what was found.
var signalInfo = map[string]struct{ Title, Checks string }{
	"evidence_present":  {"Required photos", "Every required photo is there: plate and odometer for mileage, the four sides for condition, a document or home photo for proof of address."},
	"plate_mismatch":    {"License plate", "The plate typed in the check-in is the vehicle's plate."},
	"capture_time":      {"Capture time", "The photo has a capture time (from the file, else from the app) that is not in the future."},
	"photo_age":         {"Photo age", "The photo was taken shortly before the check-in was sent."},
	"miles_per_day":     {"Miles per day", "The mileage rose no faster than a vehicle can be driven since the last confirmed reading."},
	"mileage_decrease":  {"Mileage decrease", "The mileage is not lower than the last confirmed reading."},
	"odometer_rollover": {"Odometer rollover", "A lower reading is explained by the odometer wrapping around (for example 99,990 → 5)."},
	"editing_software":  {"Editing software", "The file does not name a photo editor as the software that wrote it."},
	"claimed_mismatch":  {"File versus app", "The capture time and place written in the file match what the app reported."},
	"device_mismatch":   {"Camera versus device", "The camera maker in the file is the maker of the device the app reported."},
	"photo_spread":      {"Taken together", "The check-in's photos were taken at about the same time and place."},
	"photo_quality":     {"Photo quality", "The photo's size, exposure and sharpness were measured."},
	"photo_size":        {"Photo size", "The photo is large enough to read."},
	"photo_exposure":    {"Exposure", "The photo is neither too dark nor blown out."},
	"photo_blur":        {"Sharpness", "The photo is in focus."},
	"screen_photo":      {"Photo of a screen", "The photo does not show the pattern of a photographed screen."},
	"shared_device":     {"Shared device", "The device that took the photo is not used by many users."},
	"replayed_photo":    {"Reused photo", "The photo was not already used in another check-in, as the same file or a near copy."},
	"document_text":     {"Document text", "The document's text could be read."},
	"document_name":     {"Name on document", "The document is addressed to the user."},
	"document_address":  {"Address on document", "The document shows the check-in's address."},
	"document_age":      {"Document date", "The document is recent enough."},
	"home_location":     {"Home photo location", "The home photo was taken near the address."},
	"odometer_reading":  {"Odometer reading", "The odometer read from the photo matches the mileage typed in."},
	"plate_reading":     {"Plate reading", "The plate read from the photo matches the plate typed in."},
	"damage_change":     {"Changes since last time", "Each side looks as it did in the last confirmed condition check-in."},
	"damage_model":      {"Damage model", "The partner's damage model found no damage."},
}

// signalView is one signal as the check-in page shows it.
type signalView struct {
	Title   string
	Checks  string
	Name    string
	Verdict milepost.Verdict
	Fraud   bool
	Reason  string
	Value   string
	Photo   string // the photo it is about, "" for the whole check-in
	Damage  bool
}

// viewSignals splits signals into those that need the reviewer's attention (hold or decline,
// declines first) and those that passed. photoLabels names the photos by upload id.
func viewSignals(signals []milepost.Signal, photoLabels map[string]string) (attention, passed []signalView) {
	var declines, holds []signalView
	for _, s := range signals {
		info, ok := signalInfo[s.Name]
		if !ok {
			info.Title = s.Name
		}
		v := signalView{Title: info.Title, Checks: info.Checks, Name: s.Name, Verdict: s.Verdict, Fraud: s.Fraud,
			Reason: s.Reason, Value: s.Value, Photo: photoLabels[s.UploadID], Damage: s.Damage}
		switch s.Verdict {
		case milepost.VerdictDecline:
			declines = append(declines, v)
		case milepost.VerdictHold:
			holds = append(holds, v)
		default:
			passed = append(passed, v)
		}
	}
	return append(declines, holds...), passed
}
