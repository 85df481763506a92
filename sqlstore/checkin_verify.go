package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/milepost/milepost"
)

// nothingToVerify says a verification job found its check-in run already decided or replaced.
func nothingToVerify(c *milepost.Checkin, run int) error {
	return milepost.Errorf(milepost.CodeConflict, "", "check-in %s is %s at run %d; run %d needs no verification", c.ID, c.Status, c.Run, run)
}

// LoadVerification returns the verification input of a check-in run; see
// milepost.VerificationStore.
func (s *Checkins) LoadVerification(ctx context.Context, checkinID string, run int) (*milepost.VerificationInput, error) {
	return readOne(ctx, s.db, func(tx *Tx) (*milepost.VerificationInput, error) {
		c, err := findCheckinRow(ctx, tx, checkinID, false)
		if err != nil {
			return nil, err
		}
		if c.Status != milepost.StatusPending || c.Run != run {
			return nil, nothingToVerify(c, run)
		}
		if err := loadPhotos(ctx, tx, []*milepost.Checkin{c}); err != nil {
			return nil, err
		}
		if err := loadDocumentTexts(ctx, tx, c); err != nil {
			return nil, err
		}
		in := &milepost.VerificationInput{Checkin: c, SubmittedAt: c.SubmittedAt}
		system := milepost.Actor{PartnerID: c.PartnerID, Scope: milepost.ScopeAdmin}
		if in.User, err = findUser(ctx, tx, system, c.UserID); err != nil {
			return nil, err
		}
		if c.VehicleID == "" {
			return in, nil
		}
		if in.Vehicle, err = findVehicle(ctx, tx, system, c.VehicleID); err != nil {
			return nil, err
		}
		prev, err := scanCheckin(tx.queryRow(ctx, "SELECT "+checkinCols+` FROM checkins c WHERE c.vehicle_id = ? AND c.type = ?
			AND c.status = 'Confirmed' AND c.created_at < ? ORDER BY c.created_at DESC, c.id DESC LIMIT 1`,
			c.VehicleID, string(c.Type), c.CreatedAt.UnixMilli()))
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return nil, fmt.Errorf("previous confirmed check-in: %w", err)
		default:
			if err := loadPhotos(ctx, tx, []*milepost.Checkin{prev}); err != nil {
				return nil, err
			}
			in.PreviousConfirmed = prev
		}
		return in, nil
	})
}

// loadDocumentTexts fills the text layer of the check-in's documents (kept out of the upload
// columns every read loads).
func loadDocumentTexts(ctx context.Context, tx *Tx, c *milepost.Checkin) error {
	for _, p := range c.Photos {
		if p.Upload == nil || p.Upload.Kind != milepost.UploadFile {
			continue
		}
		if err := tx.queryRow(ctx, "SELECT text_layer FROM uploads WHERE id = ?", p.UploadID).Scan(&p.Upload.Media.Text); err != nil {
			return fmt.Errorf("document text: %w", err)
		}
	}
	return nil
}

// ApplyVerification records a decision for a Pending check-in run; see
// milepost.VerificationStore.
func (s *Checkins) ApplyVerification(ctx context.Context, checkinID string, run int, d milepost.Decision, jobID string) (bool, error) {
	if !milepost.CanTransitionBy(milepost.StatusPending, d.Status, milepost.ByEngine) {
		return false, fmt.Errorf("verification decided %q, which the engine may not", d.Status)
	}
	return writeOne(ctx, s.db, func(tx *Tx) (bool, error) {
		res, err := tx.exec(ctx, "UPDATE checkins SET status = ?, fraud = ?, admin_note = ?, updated_at = ? WHERE id = ? AND status = 'Pending' AND run = ?",
			string(d.Status), d.Fraud, d.AdminNote, tx.now.UnixMilli(), checkinID, run)
		if err != nil {
			return false, fmt.Errorf("apply verification: %w", err)
		}
		applied := false
		if n, _ := res.RowsAffected(); n == 1 {
			applied = true
			if err := insertSignals(ctx, tx, checkinID, run, d.Signals); err != nil {
				return false, err
			}
			if d.Insights != nil {
				text, err := insightsText(d.Insights)
				if err != nil {
					return false, err
				}
				if _, err := tx.exec(ctx, "UPDATE checkins SET insights = ? WHERE id = ?", text, checkinID); err != nil {
					return false, fmt.Errorf("record insights: %w", err)
				}
			}
			for _, up := range d.Damaged {
				if _, err := tx.exec(ctx, "UPDATE checkin_photos SET damage_detected = ? WHERE checkin_id = ? AND upload_id = ?", true, checkinID, up); err != nil {
					return false, fmt.Errorf("mark damage: %w", err)
				}
			}
			reason := d.AdminNote
			if reason == "" {
				reason = "all verification checks passed"
			}
			c, err := findCheckinRow(ctx, tx, checkinID, false)
			if err != nil {
				return false, err
			}
			if err := afterTransition(ctx, tx, c, milepost.Transition{From: milepost.StatusPending, To: d.Status,
				By: milepost.ByEngine, ActorID: "job:" + jobID, Reason: reason}, d.AdminNote, d.Fraud); err != nil {
				return false, err
			}
		}
		if jobID != "" {
			if err := setJobState(ctx, tx, jobID, jobDone, nil, ""); err != nil {
				return false, err
			}
		}
		return applied, nil
	})
}

func insertSignals(ctx context.Context, tx *Tx, checkinID string, run int, signals []milepost.Signal) error {
	if _, err := tx.exec(ctx, "DELETE FROM checkin_signals WHERE checkin_id = ? AND run = ?", checkinID, run); err != nil {
		return fmt.Errorf("clear signals: %w", err)
	}
	for i, sg := range signals {
		_, err := tx.exec(ctx, `INSERT INTO checkin_signals (checkin_id, run, position, analyzer, name, value, verdict, fraud, reason, note,
			upload_id, damage, created_at) VALUES (`+placeholders(13)+`)`, checkinID, run, i, sg.Analyzer, sg.Name, sg.Value, string(sg.Verdict), sg.Fraud,
			sg.Reason, sg.Note, sg.UploadID, sg.Damage, tx.now.UnixMilli())
		if err != nil {
			return fmt.Errorf("insert signal: %w", err)
		}
	}
	return nil
}

// latestSignals returns the signals of a check-in's latest verified run.
func latestSignals(ctx context.Context, tx *Tx, checkinID string) ([]milepost.Signal, error) {
	rows, err := tx.query(ctx, `SELECT analyzer, name, value, verdict, fraud, reason, note, upload_id, damage FROM checkin_signals
		WHERE checkin_id = ? AND run = (SELECT MAX(run) FROM checkin_signals WHERE checkin_id = ?) ORDER BY position`, checkinID, checkinID)
	if err != nil {
		return nil, fmt.Errorf("load signals: %w", err)
	}
	defer rows.Close()
	var out []milepost.Signal
	for rows.Next() {
		var sg milepost.Signal
		var verdict string
		if err := rows.Scan(&sg.Analyzer, &sg.Name, &sg.Value, &verdict, &sg.Fraud, &sg.Reason, &sg.Note, &sg.UploadID, &sg.Damage); err != nil {
			return nil, err
		}
		sg.Verdict = milepost.Verdict(verdict)
		out = append(out, sg)
	}
	return out, rows.Err()
}

// transitionsOf returns a check-in's history, oldest first.
func transitionsOf(ctx context.Context, tx *Tx, checkinID string) ([]milepost.Transition, error) {
	rows, err := tx.query(ctx, `SELECT from_status, to_status, actor_kind, actor_id, reason, created_at FROM checkin_transitions
		WHERE checkin_id = ? ORDER BY created_at, id`, checkinID)
	if err != nil {
		return nil, fmt.Errorf("load transitions: %w", err)
	}
	defer rows.Close()
	var out []milepost.Transition
	for rows.Next() {
		var t milepost.Transition
		var from, to, by string
		var at int64
		if err := rows.Scan(&from, &to, &by, &t.ActorID, &t.Reason, &at); err != nil {
			return nil, err
		}
		t.From, t.To, t.By, t.At = milepost.CheckinStatus(from), milepost.CheckinStatus(to), milepost.ActorKind(by), fromMS(at)
		out = append(out, t)
	}
	return out, rows.Err()
}
