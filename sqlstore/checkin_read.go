package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/milepost/milepost"
)

// Checkins implements milepost.CheckinService, milepost.ReviewService and
// milepost.VerificationStore.
type Checkins struct{ db *DB }

// Checkins returns the check-in service of this store.
func (db *DB) Checkins() *Checkins { return &Checkins{db: db} }

var (
	_ milepost.CheckinService    = (*Checkins)(nil)
	_ milepost.ReviewService     = (*Checkins)(nil)
	_ milepost.VerificationStore = (*Checkins)(nil)
)

const checkinCols = `c.id, c.partner_id, c.user_id, c.vehicle_id, c.type, c.status, c.fraud, c.admin_note, c.user_note,
	c.license, c.state, c.mileage, c.document_type, c.address_type, c.has_address, c.address_line1, c.address_line2,
	c.address_city, c.address_state, c.address_country, c.address_zip, c.address_latitude, c.address_longitude,
	c.latitude, c.longitude, c.insights, c.run, c.submitted_at, c.created_at, c.updated_at, c.odometer_offset`

// insightsJSON is how AddressInsights is kept in the insights column.
type insightsJSON struct {
	FirstName string           `json:"firstName"`
	LastName  string           `json:"lastName"`
	Address   milepost.Address `json:"address"`
}

func scanCheckin(row interface{ Scan(...any) error }) (*milepost.Checkin, error) {
	var c milepost.Checkin
	var vehicleID sql.NullString
	var typ, status, insights string
	var hasAddress bool
	var a milepost.CheckinAddress
	var addrLat, addrLon, lat, lon sql.NullFloat64
	var submitted, created, updated int64
	err := row.Scan(&c.ID, &c.PartnerID, &c.UserID, &vehicleID, &typ, &status, &c.Fraud, &c.AdminNote, &c.UserNote,
		&c.License, &c.State, &c.Mileage, &c.DocumentType, &c.AddressType, &hasAddress, &a.Line1, &a.Line2,
		&a.City, &a.State, &a.Country, &a.Zip, &addrLat, &addrLon, &lat, &lon, &insights, &c.Run, &submitted, &created, &updated, &c.OdometerOffset)
	if err != nil {
		return nil, err
	}
	c.VehicleID, c.Type, c.Status = vehicleID.String, milepost.CheckinType(typ), milepost.CheckinStatus(status)
	if hasAddress {
		a.Latitude, a.Longitude = floatPtr(addrLat), floatPtr(addrLon)
		c.Address = &a
	}
	c.Latitude, c.Longitude = floatPtr(lat), floatPtr(lon)
	if insights != "" {
		var in insightsJSON
		if err := json.Unmarshal([]byte(insights), &in); err != nil {
			return nil, fmt.Errorf("decode insights of %s: %w", c.ID, err)
		}
		c.Insights = &milepost.AddressInsights{FirstName: in.FirstName, LastName: in.LastName, Address: in.Address}
	}
	c.SubmittedAt, c.CreatedAt, c.UpdatedAt = fromMS(submitted), fromMS(created), fromMS(updated)
	return &c, nil
}

// findCheckinRow loads a check-in without its photos and without an access check.
func findCheckinRow(ctx context.Context, tx *Tx, id string, lock bool) (*milepost.Checkin, error) {
	q := "SELECT " + checkinCols + " FROM checkins c WHERE c.id = ?"
	if lock {
		q += tx.d.forUpdate()
	}
	c, err := scanCheckin(tx.queryRow(ctx, q, strings.TrimSpace(id)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, milepost.Errorf(milepost.CodeNotFound, "", "Check-in not found.")
	}
	if err != nil {
		return nil, fmt.Errorf("find check-in: %w", err)
	}
	return c, nil
}

// findCheckin loads a check-in of type t that the actor may see, with its photos. A check-in of
// another type is "not found" with t's reason, as the partner API's per-type endpoints expect.
func findCheckin(ctx context.Context, tx *Tx, actor milepost.Actor, t milepost.CheckinType, id string, lock bool) (*milepost.Checkin, error) {
	c, err := findCheckinRow(ctx, tx, id, lock)
	if milepost.ErrorCode(err) == milepost.CodeNotFound || (err == nil && t != "" && c.Type != t) {
		return nil, milepost.Errorf(milepost.CodeNotFound, t.NotFoundReason(), "Check-in not found or Vehicle not found or owning User not found.")
	}
	if err != nil {
		return nil, err
	}
	if err := actor.CanAccessUser(c.PartnerID, c.UserID); err != nil {
		return nil, err
	}
	if err := loadPhotos(ctx, tx, []*milepost.Checkin{c}); err != nil {
		return nil, err
	}
	return c, nil
}

// queryCheckins runs a SELECT of checkinCols and loads the photos of every row.
func queryCheckins(ctx context.Context, tx *Tx, q string, args ...any) ([]*milepost.Checkin, error) {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list check-ins: %w", err)
	}
	var out []*milepost.Checkin
	for rows.Next() {
		c, err := scanCheckin(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("scan check-in: %w", err)
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := loadPhotos(ctx, tx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// prefixed turns "a, b,\n c" into "p.a, p.b, p.c".
func prefixed(cols, p string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

// loadPhotos fills the photos (with their uploads) of the check-ins: one query for the photo
// rows, and one for the uploads that are not in the upload cache yet.
func loadPhotos(ctx context.Context, tx *Tx, cs []*milepost.Checkin) error {
	if len(cs) == 0 {
		return nil
	}
	byID := make(map[string]*milepost.Checkin, len(cs))
	args := make([]any, len(cs))
	for i, c := range cs {
		byID[c.ID] = c
		args[i] = c.ID
		c.Photos = c.Photos[:0]
	}
	type photoRow struct {
		c *milepost.Checkin
		p milepost.CheckinPhoto
	}
	var photos []photoRow
	err := eachRow(tx.query(ctx, `SELECT checkin_id, upload_id, role, kind, ordinal, marked_invalid, damage_detected, attached_at
		FROM checkin_photos WHERE checkin_id IN (`+placeholders(len(cs))+`) ORDER BY checkin_id, position`, args...))(func(rows *sql.Rows) error {
		var checkinID, role string
		var attached int64
		var p milepost.CheckinPhoto
		if err := rows.Scan(&checkinID, &p.UploadID, &role, &p.Kind, &p.Ordinal, &p.MarkedInvalidByReview, &p.DamageDetected, &attached); err != nil {
			return err
		}
		p.Role, p.AttachedAt = milepost.PhotoRole(role), fromMS(attached)
		photos = append(photos, photoRow{byID[checkinID], p})
		return nil
	})
	if err != nil {
		return fmt.Errorf("load check-in photos: %w", err)
	}
	ids := make([]string, len(photos))
	for i := range photos {
		ids[i] = photos[i].p.UploadID
	}
	ups, err := loadUploads(ctx, tx, ids)
	if err != nil {
		return err
	}
	for _, r := range photos {
		u := ups[r.p.UploadID]
		if u == nil {
			return fmt.Errorf("load check-in photos: upload %s of check-in %s is missing", r.p.UploadID, r.c.ID)
		}
		r.p.Upload = u
		r.c.Photos = append(r.c.Photos, r.p)
	}
	return nil
}

// loadUploads returns the uploads of ids by id (an id not found maps to nil), each a copy of
// its own (the caller may change it). Upload rows never change once written, so those read are
// kept in the store's upload cache and later found there: at once when read on the read pool
// (committed data), after the commit when read in a write transaction.
func loadUploads(ctx context.Context, tx *Tx, ids []string) (map[string]*milepost.Upload, error) {
	out := make(map[string]*milepost.Upload, len(ids))
	var missing []any
	for _, id := range ids {
		if _, done := out[id]; done {
			continue
		}
		if u := tx.db.uploads.get(id); u != nil {
			out[id] = u
			continue
		}
		out[id] = nil
		missing = append(missing, id)
	}
	if len(missing) == 0 {
		return out, nil
	}
	err := eachRow(tx.query(ctx, "SELECT "+uploadCols+" FROM uploads WHERE id IN ("+placeholders(len(missing))+")", missing...))(func(rows *sql.Rows) error {
		u, err := scanUpload(rows)
		if err != nil {
			return err
		}
		if tx.sqlTx == nil {
			tx.db.uploads.put(u)
		} else {
			tx.afterCommit = append(tx.afterCommit, func() { tx.db.uploads.put(u) })
		}
		cp := *u
		out[u.ID] = &cp
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load uploads: %w", err)
	}
	return out, nil
}

// withNextDates sets NextCheckInDate from the partner's cadence (the campaign's where it has one).
func withNextDates(ctx context.Context, tx *Tx, partnerID string, cs ...*milepost.Checkin) error {
	if len(cs) == 0 {
		return nil
	}
	t, err := partnerTerms(ctx, tx, partnerID)
	if err != nil {
		return err
	}
	for _, c := range cs {
		next := c.CreatedAt.AddDate(0, 0, t.cadence.Days(c.Type))
		c.NextCheckInDate = &next
	}
	return nil
}

// FindCheckin returns a check-in of type t; see milepost.CheckinService.
func (s *Checkins) FindCheckin(ctx context.Context, actor milepost.Actor, t milepost.CheckinType, id string) (*milepost.Checkin, error) {
	return readOne(ctx, s.db, func(tx *Tx) (*milepost.Checkin, error) {
		c, err := findCheckin(ctx, tx, actor, t, id, false)
		if err != nil {
			return nil, err
		}
		return c, withNextDates(ctx, tx, c.PartnerID, c)
	})
}
