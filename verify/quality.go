package verify

import (
	"context"
	"fmt"
	"strconv"

	"github.com/milepost/milepost"
)

// qualityAnalyzer holds photos a reviewer or a buyer could not use: too small, too dark,
// overexposed, blurred, or a photo of a screen. It reads the analysis made at upload, so it
// decodes nothing; uploads stored before photos were analysed are reported as not analysed.
type qualityAnalyzer struct{ p Policy }

func (qualityAnalyzer) Name() string { return analyzerQuality }

// Analyze never fails: it reads only the input.
func (a qualityAnalyzer) Analyze(_ context.Context, in *milepost.VerificationInput) ([]milepost.Signal, error) {
	var out []milepost.Signal
	for i, ph := range in.Checkin.Photos {
		u := ph.Upload
		if u == nil || ph.MarkedInvalidByReview || u.Media.ContentType == "application/pdf" {
			continue
		}
		ref, label := photoRef(i, ph), roleLabel(ph)
		an := u.Media.Analysis
		if an == nil {
			out = append(out, milepost.Signal{Analyzer: analyzerQuality, Name: signalPhotoQuality, Value: "not analysed", Verdict: milepost.VerdictPass,
				UploadID: ph.UploadID, Reason: ref + ": stored before photos were analysed; quality not checked."})
			continue
		}
		hold := func(name, value, reason, note string, fraud bool) {
			out = append(out, milepost.Signal{Analyzer: analyzerQuality, Name: name, Value: value, Verdict: milepost.VerdictHold, Fraud: fraud,
				UploadID: ph.UploadID, Reason: ref + ": " + reason, Note: note})
		}
		before := len(out)
		if an.ShortSide < a.p.MinShortSide {
			hold(signalPhotoSize, strconv.Itoa(an.ShortSide)+"px",
				fmt.Sprintf("its short side is %d pixels, under the minimum of %d.", an.ShortSide, a.p.MinShortSide),
				fmt.Sprintf("The %s photo is too small; take it again with the camera app at full resolution.", label), false)
		}
		// A dashboard at night is dark and still readable: odometers are not held for darkness.
		dark := ph.Role != milepost.RoleOdometer && (an.Brightness < a.p.MinBrightness || an.Dark > a.p.MaxDark)
		switch {
		case dark:
			hold(signalPhotoExposure, fmt.Sprintf("dark brightness=%s dark=%s", num(an.Brightness, 0), num(an.Dark, 2)),
				fmt.Sprintf("it is too dark: mean brightness %s (minimum %s), %s%% of the pixels near black (maximum %s%%).",
					num(an.Brightness, 0), num(a.p.MinBrightness, 0), num(an.Dark*100, 0), num(a.p.MaxDark*100, 0)),
				fmt.Sprintf("The %s photo is too dark; take it again with more light.", label), false)
		case an.Clipped > a.p.MaxClipped:
			hold(signalPhotoExposure, fmt.Sprintf("overexposed clipped=%s", num(an.Clipped, 2)),
				fmt.Sprintf("it is overexposed: %s%% of the pixels are blown out (maximum %s%%).", num(an.Clipped*100, 0), num(a.p.MaxClipped*100, 0)),
				fmt.Sprintf("The %s photo is overexposed; take it again without glare or direct light on the lens.", label), false)
		}
		if an.Sharpness < a.p.MinSharpness {
			hold(signalPhotoBlur, num(an.Sharpness, 3),
				fmt.Sprintf("it is blurred: sharpness %s, under the minimum of %s.", num(an.Sharpness, 3), num(a.p.MinSharpness, 3)),
				fmt.Sprintf("The %s photo is blurred; take it again closer, in focus.", label), false)
		}
		if an.Moire > a.p.MaxMoire {
			hold(signalScreenPhoto, num(an.Moire, 3),
				fmt.Sprintf("it shows the fine periodic pattern of a photographed screen (moiré %s, maximum %s)%s.",
					num(an.Moire, 3), num(a.p.MaxMoire, 3), cameraNote(u)),
				fmt.Sprintf("The %s photo looks like a photo of a screen; please photograph the vehicle itself.", label), true)
		}
		if len(out) == before {
			out = append(out, milepost.Signal{Analyzer: analyzerQuality, Name: signalPhotoQuality, Verdict: milepost.VerdictPass, UploadID: ph.UploadID,
				Value:  fmt.Sprintf("%dpx brightness=%s sharpness=%s moire=%s", an.ShortSide, num(an.Brightness, 0), num(an.Sharpness, 3), num(an.Moire, 3)),
				Reason: ref + ": size, exposure and sharpness are within the limits and it shows no screen pattern."})
		}
	}
	return out, nil
}

// cameraNote adds to a screen finding that the file carries no camera make, as screenshots and
// re-photographed pictures often do not.
func cameraNote(u *milepost.Upload) string {
	if u.Media.EXIF.Make == "" && u.Media.EXIF.Model == "" {
		return "; the file also names no camera"
	}
	return ""
}

func num(v float64, decimals int) string { return strconv.FormatFloat(v, 'f', decimals, 64) }
