package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/milepost/milepost"
)

// vehicleForCheckin loads the vehicle a check-in is submitted on, locks it (PostgreSQL; SQLite's
// single writer already excludes other writers) so concurrent check-ins on one vehicle are
// checked one after the other, and refuses a deactivated vehicle.
func vehicleForCheckin(ctx context.Context, tx *Tx, actor milepost.Actor, vehicleID string) (*milepost.Vehicle, error) {
	if f := tx.d.forUpdate(); f != "" {
		var id string
		err := tx.queryRow(ctx, "SELECT id FROM vehicles WHERE id = ?"+f, vehicleID).Scan(&id)
		if err != nil && err != sql.ErrNoRows {
			return nil, fmt.Errorf("lock vehicle: %w", err)
		}
	}
	v, err := findVehicle(ctx, tx, actor, vehicleID)
	if err != nil {
		return nil, err
	}
	if !v.Active {
		return nil, milepost.Errorf(milepost.CodeConflict, milepost.ReasonVehicleInactive,
			"Vehicle %s is deactivated; no check-ins are allowed on deactivated vehicles.", v.ID)
	}
	return v, nil
}

// resolveEvidence turns evidence references into check-in photos after checking that each is an
// upload of the check-in's partner and user (documents may be files, the rest must be photos).
func resolveEvidence(ctx context.Context, tx *Tx, partnerID, userID, field string, role milepost.PhotoRole, refs []milepost.EvidenceRef) ([]milepost.CheckinPhoto, error) {
	if len(refs) == 0 {
		return nil, nil
	}
	ids := make([]string, len(refs))
	for i, r := range refs {
		ids[i] = r.UploadID
	}
	found, err := loadUploads(ctx, tx, ids)
	if err != nil {
		return nil, fmt.Errorf("load evidence: %w", err)
	}
	out := make([]milepost.CheckinPhoto, len(refs))
	for i, r := range refs {
		u := found[r.UploadID]
		ok := u != nil && u.PartnerID == partnerID && u.UserID == userID && (u.Kind == milepost.UploadPhoto || role == milepost.RoleDocument)
		if !ok {
			what := "a photo uploaded with /api/photo/upload for this check-in's user"
			if role == milepost.RoleDocument {
				what = "a photo or file uploaded (/api/photo/upload or /api/file/upload) for this check-in's user"
			}
			return nil, milepost.Invalidf(field, "%s[%d].url %q is not %s.", field, i, r.Ref, what)
		}
		out[i] = milepost.CheckinPhoto{UploadID: u.ID, Role: role, Kind: r.Kind, Ordinal: r.Ordinal, Upload: u}
	}
	return out, nil
}

// checkMileageOrder enforces the monotonic odometer: a mileage check-in may not be lower than a
// non-Declined check-in of the vehicle made before it, nor (when an older check-in is changed)
// higher than one made after it — comparing the distances really covered, so that a reading
// after an odometer rollover (milepost.Rollover) is accepted and carries the wrap in its
// OdometerOffset. The caller holds the vehicle lock.
func checkMileageOrder(ctx context.Context, tx *Tx, c *milepost.Checkin) error {
	var prevMiles, prevOffset sql.NullInt64
	// "+created_at" keeps the planner off the (vehicle_id, type, created_at) index: walking
	// checkins_vehicle_distance from the top stops at the first earlier entry instead of sorting
	// every check-in of the vehicle.
	err := tx.queryRow(ctx, `SELECT mileage, odometer_offset FROM checkins WHERE vehicle_id = ? AND type = 'mileage' AND status <> 'Declined'
		AND id <> ? AND +created_at <= ? ORDER BY mileage + odometer_offset DESC LIMIT 1`, c.VehicleID, c.ID, c.CreatedAt.UnixMilli()).Scan(&prevMiles, &prevOffset)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("check mileage order: %w", err)
	}
	c.OdometerOffset = prevOffset.Int64
	if prevMiles.Valid && c.Mileage < prevMiles.Int64 {
		wrap, ok := milepost.Rollover(prevMiles.Int64, c.Mileage)
		if !ok {
			return milepost.Errorf(milepost.CodeConflict, milepost.ReasonMileageLowerThanPrevious,
				"mileage %d is lower than %d, reported by an earlier check-in of this vehicle; the mileage must equal or exceed it.", c.Mileage, prevMiles.Int64)
		}
		c.OdometerOffset += wrap
	}
	var later sql.NullInt64
	err = tx.queryRow(ctx, `SELECT MIN(mileage + odometer_offset) FROM checkins WHERE vehicle_id = ? AND type = 'mileage' AND status <> 'Declined'
		AND id <> ? AND created_at > ?`, c.VehicleID, c.ID, c.CreatedAt.UnixMilli()).Scan(&later)
	if err != nil {
		return fmt.Errorf("check mileage order: %w", err)
	}
	if later.Valid && c.TotalMiles() > later.Int64 {
		return milepost.Errorf(milepost.CodeConflict, milepost.ReasonMileageLowerThanPrevious,
			"mileage %d is higher than a later check-in of this vehicle reported.", c.Mileage)
	}
	return nil
}

func insightsText(in *milepost.AddressInsights) (string, error) {
	if in == nil {
		return "", nil
	}
	b, err := json.Marshal(insightsJSON{FirstName: in.FirstName, LastName: in.LastName, Address: in.Address})
	return string(b), err
}

func addressArgs(a *milepost.CheckinAddress) []any {
	if a == nil {
		return []any{false, "", "", "", "", "", "", sql.NullFloat64{}, sql.NullFloat64{}}
	}
	return []any{true, a.Line1, a.Line2, a.City, a.State, a.Country, a.Zip, nullFloat(a.Latitude), nullFloat(a.Longitude)}
}

func insertCheckin(ctx context.Context, tx *Tx, c *milepost.Checkin) error {
	insights, err := insightsText(c.Insights)
	if err != nil {
		return err
	}
	var vehicleID sql.NullString
	if c.VehicleID != "" {
		vehicleID = sql.NullString{String: c.VehicleID, Valid: true}
	}
	args := []any{c.ID, c.PartnerID, c.UserID, vehicleID, string(c.Type), string(c.Status), c.Fraud, c.AdminNote, c.UserNote,
		c.License, c.State, c.Mileage, c.DocumentType, c.AddressType}
	args = append(args, addressArgs(c.Address)...)
	args = append(args, nullFloat(c.Latitude), nullFloat(c.Longitude), insights, c.Run,
		c.SubmittedAt.UnixMilli(), c.CreatedAt.UnixMilli(), c.UpdatedAt.UnixMilli(), c.OdometerOffset)
	_, err = tx.exec(ctx, `INSERT INTO checkins (id, partner_id, user_id, vehicle_id, type, status, fraud, admin_note, user_note,
		license, state, mileage, document_type, address_type, has_address, address_line1, address_line2, address_city,
		address_state, address_country, address_zip, address_latitude, address_longitude, latitude, longitude, insights, run,
		submitted_at, created_at, updated_at, odometer_offset) VALUES (`+placeholders(31)+`)`, args...)
	if err != nil {
		return fmt.Errorf("insert check-in: %w", err)
	}
	return addPhotos(ctx, tx, c) // a new check-in has no photos to clear
}

// insertPhotos replaces the check-in's photos with c.Photos.
func insertPhotos(ctx context.Context, tx *Tx, c *milepost.Checkin) error {
	if _, err := tx.exec(ctx, "DELETE FROM checkin_photos WHERE checkin_id = ?", c.ID); err != nil {
		return fmt.Errorf("clear check-in photos: %w", err)
	}
	return addPhotos(ctx, tx, c)
}

// addPhotos records c.Photos, in order, and their uses.
func addPhotos(ctx context.Context, tx *Tx, c *milepost.Checkin) error {
	for i := range c.Photos {
		p := &c.Photos[i]
		if p.AttachedAt.IsZero() {
			p.AttachedAt = tx.now
		}
		_, err := tx.exec(ctx, `INSERT INTO checkin_photos (checkin_id, position, upload_id, role, kind, ordinal, marked_invalid, damage_detected, attached_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, i, p.UploadID, string(p.Role), p.Kind, p.Ordinal, p.MarkedInvalidByReview, p.DamageDetected, p.AttachedAt.UnixMilli())
		if err != nil {
			return fmt.Errorf("insert check-in photo: %w", err)
		}
	}
	return recordPhotoUses(ctx, tx, c)
}

func insertTransition(ctx context.Context, tx *Tx, checkinID string, t milepost.Transition) error {
	_, err := tx.exec(ctx, `INSERT INTO checkin_transitions (id, checkin_id, from_status, to_status, actor_kind, actor_id, reason, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, newID(), checkinID, string(t.From), string(t.To), string(t.By), t.ActorID, t.Reason, tx.now.UnixMilli())
	if err != nil {
		return fmt.Errorf("record transition: %w", err)
	}
	return nil
}

// actorName identifies the caller in the history.
func actorName(a milepost.Actor) string {
	if a.Scope == milepost.ScopeUser {
		return "user:" + a.UserID
	}
	return "partner:" + a.PartnerID
}

// submitNew records a new Pending check-in, its reward (when the campaign rewards it), its
// creation in the history (with its webhook event) and its verification job, all in tx.
func (s *Checkins) submitNew(ctx context.Context, tx *Tx, actor milepost.Actor, c *milepost.Checkin) (*milepost.Checkin, error) {
	c.Status, c.Run = milepost.StatusPending, 1
	c.SubmittedAt, c.CreatedAt, c.UpdatedAt = tx.now, tx.now, tx.now
	if err := insertCheckin(ctx, tx, c); err != nil {
		return nil, err
	}
	tm, err := partnerTerms(ctx, tx, c.PartnerID)
	if err != nil {
		return nil, err
	}
	if err := createCheckinReward(ctx, tx, c, tm); err != nil {
		return nil, err
	}
	if err := afterTransition(ctx, tx, c, milepost.Transition{To: milepost.StatusPending, By: milepost.ByPartner, ActorID: actorName(actor), Reason: "submitted"}, "", false); err != nil {
		return nil, err
	}
	if err := enqueueJob(ctx, tx, milepost.JobVerifyCheckin, milepost.VerifyCheckinPayload{CheckinID: c.ID, Run: c.Run}, tx.now); err != nil {
		return nil, err
	}
	next := c.CreatedAt.AddDate(0, 0, tm.cadence.Days(c.Type))
	c.NextCheckInDate = &next
	return c, nil
}

// checkinForChange loads a check-in for the change flow: it must be the actor's, of type t, and
// OnHold. Its vehicle (if any) is locked and must be active.
func checkinForChange(ctx context.Context, tx *Tx, actor milepost.Actor, t milepost.CheckinType, id string) (*milepost.Checkin, error) {
	c, err := findCheckin(ctx, tx, actor, t, id, false)
	if err != nil {
		return nil, err
	}
	if c.VehicleID != "" {
		if _, err := vehicleForCheckin(ctx, tx, actor, c.VehicleID); err != nil {
			return nil, err
		}
	}
	switch {
	case c.Status.Final():
		return nil, milepost.Errorf(milepost.CodeConflict, milepost.ReasonCheckinFinal,
			"This %s is %s, which is final; it cannot be changed.", t.Label(), c.Status)
	case c.Status != milepost.StatusOnHold:
		return nil, milepost.Errorf(milepost.CodeConflict, milepost.ReasonCheckinNotOnHold,
			"This %s is %s; it can be changed only while OnHold.", t.Label(), c.Status)
	}
	return c, nil
}

// resubmit puts a changed OnHold check-in back to Pending for a new verification run. The
// update is guarded on the status, so two concurrent changes cannot both succeed.
func (s *Checkins) resubmit(ctx context.Context, tx *Tx, actor milepost.Actor, c *milepost.Checkin) (*milepost.Checkin, error) {
	insights, err := insightsText(c.Insights)
	if err != nil {
		return nil, err
	}
	c.Run++
	c.Status, c.AdminNote, c.SubmittedAt, c.UpdatedAt = milepost.StatusPending, "", tx.now, tx.now
	args := []any{c.Run, c.UserNote, c.License, c.State, c.Mileage, c.DocumentType, c.AddressType}
	args = append(args, addressArgs(c.Address)...)
	args = append(args, nullFloat(c.Latitude), nullFloat(c.Longitude), insights, c.SubmittedAt.UnixMilli(), c.UpdatedAt.UnixMilli(), c.OdometerOffset, c.ID)
	res, err := tx.exec(ctx, `UPDATE checkins SET status = 'Pending', admin_note = '', run = ?, user_note = ?, license = ?, state = ?,
		mileage = ?, document_type = ?, address_type = ?, has_address = ?, address_line1 = ?, address_line2 = ?, address_city = ?,
		address_state = ?, address_country = ?, address_zip = ?, address_latitude = ?, address_longitude = ?, latitude = ?,
		longitude = ?, insights = ?, submitted_at = ?, updated_at = ?, odometer_offset = ? WHERE id = ? AND status = 'OnHold'`, args...)
	if err != nil {
		return nil, fmt.Errorf("resubmit check-in: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, milepost.Errorf(milepost.CodeConflict, milepost.ReasonCheckinNotOnHold, "The check-in changed meanwhile; fetch it and try again.")
	}
	if err := insertPhotos(ctx, tx, c); err != nil {
		return nil, err
	}
	if err := afterTransition(ctx, tx, c, milepost.Transition{From: milepost.StatusOnHold, To: milepost.StatusPending, By: milepost.ByPartner,
		ActorID: actorName(actor), Reason: "changed through the change flow"}, "", c.Fraud); err != nil {
		return nil, err
	}
	if err := enqueueJob(ctx, tx, milepost.JobVerifyCheckin, milepost.VerifyCheckinPayload{CheckinID: c.ID, Run: c.Run}, tx.now); err != nil {
		return nil, err
	}
	return c, withNextDates(ctx, tx, c.PartnerID, c)
}

// replaceRole swaps the photos of one role for new ones, keeping the others in order.
func replaceRole(photos []milepost.CheckinPhoto, role milepost.PhotoRole, repl []milepost.CheckinPhoto) []milepost.CheckinPhoto {
	if len(repl) == 0 {
		return photos
	}
	out := make([]milepost.CheckinPhoto, 0, len(photos)+len(repl))
	for _, p := range photos {
		if p.Role != role {
			out = append(out, p)
		}
	}
	return append(out, repl...)
}
