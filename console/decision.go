package console

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/milepost/milepost"
)

// decide applies the decision form through ReviewService.DecideCheckin: the lifecycle, the
// reward change, the webhook and the audit entry all happen there, as for the partner API.
// The form sends every photo's marks; only the marks that changed are passed on, so the audit
// log lists what the reviewer actually did.
func (c *Console) decide(w http.ResponseWriter, r *http.Request, s *milepost.ConsoleSession) {
	id := r.PathValue("id")
	v, err := c.loadCheckin(r.Context(), s, id)
	if err != nil {
		c.renderError(w, r, err)
		return
	}
	f := r.PostForm
	d := milepost.ReviewDecision{Status: milepost.CheckinStatus(f.Get("status")), AdminNote: f.Get("adminNote"), Reviewer: s.Reviewer.Email}
	v.Note, v.Fraud = d.AdminNote, f.Get("fraud")
	if d.Fraud, err = yesNo("fraud", v.Fraud); err == nil {
		d.Photos = photoMarks(v.C, f)
		_, err = c.cfg.Reviews.DecideCheckin(r.Context(), s.Actor(), id, d)
	}
	switch milepost.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/console/checkins/"+url.PathEscape(id)+"?saved=1", http.StatusSeeOther)
	case milepost.CodeInvalid, milepost.CodeConflict:
		// Show the page again with the reviewer's note kept and the reason the decision was
		// refused; a check-in decided meanwhile shows its new status.
		if fresh, ferr := c.loadCheckin(r.Context(), s, id); ferr == nil {
			fresh.Note, fresh.Fraud = v.Note, v.Fraud
			v = fresh
		}
		v.Error = milepost.ErrorMessage(err)
		c.render(w, r, statusOf[milepost.ErrorCode(err)], "checkin", typeLabel(v.C.Type)+" check-in", v)
	default:
		c.renderError(w, r, err)
	}
}

// photoMarks reads the per-photo checkboxes ("invalid" and "damage" carry the upload ids that
// are ticked) and returns the marks that differ from the check-in's.
func photoMarks(c *milepost.Checkin, f url.Values) []milepost.PhotoReview {
	var out []milepost.PhotoReview
	for _, p := range c.Photos {
		if !slices.Contains(f["photo"], p.UploadID) {
			continue // not on the form the reviewer saw
		}
		invalid := slices.Contains(f["invalid"], p.UploadID)
		damage := slices.Contains(f["damage"], p.UploadID)
		if invalid == p.MarkedInvalidByReview && damage == p.DamageDetected {
			continue
		}
		pr := milepost.PhotoReview{UploadID: p.UploadID}
		if invalid != p.MarkedInvalidByReview {
			pr.MarkedInvalidByReview = &invalid
		}
		if damage != p.DamageDetected {
			pr.DamageDetected = &damage
		}
		out = append(out, pr)
	}
	return out
}
