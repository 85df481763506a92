package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/milepost/milepost"
)

// Trips implements milepost.TripService (the trip log: trips and cars).
type Trips struct{ db *DB }

// Trips returns the trip log service of this store.
func (db *DB) Trips() *Trips { return &Trips{db: db} }

var _ milepost.TripService = (*Trips)(nil)

// maxBulkItems bounds one bulk save.
const maxBulkItems = 1000

const tripCols = `id, partner_id, user_id, trip_date, status, mileage_status, description, notes, customer_id, class_segment_ids,
	distance_micro, distance_unit, distance_source, start_point, end_point, duration_ms, deduction_cents, deduction_source,
	irs_rate, car_id, custom_data, created_at, updated_at`

// pointJSON is how a trip point is kept in its column.
type pointJSON struct {
	Time       *time.Time            `json:"time,omitempty"`
	Lat        *float64              `json:"lat,omitempty"`
	Lng        *float64              `json:"lng,omitempty"`
	LocationID string                `json:"locationId,omitempty"`
	Address    *milepost.TripAddress `json:"address,omitempty"`
}

func encodeJSON(v any, empty bool) (string, error) {
	if empty {
		return "", nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}

func pointText(p milepost.TripPoint) (string, error) {
	empty := p.Time == nil && p.Lat == nil && p.LocationID == "" && p.Address == nil
	return encodeJSON(pointJSON{Time: p.Time, Lat: p.Lat, Lng: p.Lng, LocationID: p.LocationID, Address: p.Address}, empty)
}

func decodePoint(s string) (milepost.TripPoint, error) {
	if s == "" {
		return milepost.TripPoint{}, nil
	}
	var p pointJSON
	err := json.Unmarshal([]byte(s), &p)
	return milepost.TripPoint{Time: p.Time, Lat: p.Lat, Lng: p.Lng, LocationID: p.LocationID, Address: p.Address}, err
}

func scanTrip(row interface{ Scan(...any) error }) (*milepost.Trip, error) {
	var t milepost.Trip
	var date, segments, unit, start, end, custom string
	var duration sql.NullInt64
	var created, updated int64
	err := row.Scan(&t.ID, &t.PartnerID, &t.UserID, &date, &t.Status, &t.MileageStatus, &t.Description, &t.Notes, &t.CustomerID, &segments,
		&t.DistanceMicro, &unit, &t.DistanceSource, &start, &end, &duration, &t.DeductionCents, &t.DeductionSource,
		&t.IRSRateTenthCents, &t.CarID, &custom, &created, &updated)
	if err != nil {
		return nil, err
	}
	if t.Date, err = time.Parse(time.DateOnly, date); err != nil {
		return nil, fmt.Errorf("trip %s date: %w", t.ID, err)
	}
	if segments != "" {
		if err := json.Unmarshal([]byte(segments), &t.ClassSegmentIDs); err != nil {
			return nil, fmt.Errorf("trip %s segments: %w", t.ID, err)
		}
	}
	if t.Start, err = decodePoint(start); err != nil {
		return nil, fmt.Errorf("trip %s start: %w", t.ID, err)
	}
	if t.End, err = decodePoint(end); err != nil {
		return nil, fmt.Errorf("trip %s end: %w", t.ID, err)
	}
	if duration.Valid {
		t.DurationMS = &duration.Int64
	}
	if custom != "" {
		t.CustomData = json.RawMessage(custom)
	}
	t.DistanceUnit = milepost.DistanceUnit(unit)
	t.CreatedAt, t.UpdatedAt = fromMS(created), fromMS(updated)
	return &t, nil
}

func tripArgs(t *milepost.Trip) ([]any, error) {
	segments, err := encodeJSON(t.ClassSegmentIDs, len(t.ClassSegmentIDs) == 0)
	if err != nil {
		return nil, err
	}
	start, err := pointText(t.Start)
	if err != nil {
		return nil, err
	}
	end, err := pointText(t.End)
	if err != nil {
		return nil, err
	}
	var duration sql.NullInt64
	if t.DurationMS != nil {
		duration = sql.NullInt64{Int64: *t.DurationMS, Valid: true}
	}
	return []any{t.ID, t.PartnerID, t.UserID, t.Date.Format(time.DateOnly), t.Status, t.MileageStatus, t.Description, t.Notes, t.CustomerID,
		segments, t.DistanceMicro, string(t.DistanceUnit), t.DistanceSource, start, end, duration, t.DeductionCents, t.DeductionSource,
		t.IRSRateTenthCents, t.CarID, string(t.CustomData), t.CreatedAt.UnixMilli(), t.UpdatedAt.UnixMilli()}, nil
}

// ownRecord checks that a record of partnerID and userID is the actor's: another partner's, or
// with a user token another user's, is CodeForbidden.
func ownRecord(actor milepost.Actor, partnerID, userID, what string) error {
	if partnerID != actor.PartnerID || (actor.Scope == milepost.ScopeUser && userID != actor.UserID) {
		return milepost.Errorf(milepost.CodeForbidden, milepost.ReasonNoPermissions, "This %s belongs to someone else.", what)
	}
	return nil
}

func needUser(actor milepost.Actor, what string) error {
	if actor.Scope != milepost.ScopeUser {
		return milepost.Errorf(milepost.CodeForbidden, milepost.ReasonNoPermissions,
			"Saving %s needs a user-scoped token: request one with the userId of the trip log's owner.", what)
	}
	return nil
}

func findTrip(ctx context.Context, tx *Tx, actor milepost.Actor, id string) (*milepost.Trip, error) {
	t, err := scanTrip(tx.queryRow(ctx, "SELECT "+tripCols+" FROM trips WHERE id = ?", strings.TrimSpace(id)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, milepost.Errorf(milepost.CodeNotFound, milepost.ReasonInvalidValue, "No mileage record %s.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find trip: %w", err)
	}
	return t, ownRecord(actor, t.PartnerID, t.UserID, "mileage record")
}

// SaveTrips creates or updates trips; see milepost.TripService. All items are saved in one
// transaction; an item that fails its checks is reported and skipped, the others are saved.
func (s *Trips) SaveTrips(ctx context.Context, actor milepost.Actor, items []milepost.TripInput) ([]milepost.ItemResult[*milepost.Trip], error) {
	if err := needUser(actor, "mileage"); err != nil {
		return nil, err
	}
	if len(items) > maxBulkItems {
		return nil, milepost.Invalidf("data", "data may hold at most %d items.", maxBulkItems)
	}
	return writeOne(ctx, s.db, func(tx *Tx) ([]milepost.ItemResult[*milepost.Trip], error) {
		out := make([]milepost.ItemResult[*milepost.Trip], len(items))
		for i, in := range items {
			t, err := s.saveTrip(ctx, tx, actor, in)
			if err != nil && milepost.ErrorCode(err) == milepost.CodeInternal {
				return nil, err
			}
			out[i] = milepost.ItemResult[*milepost.Trip]{Value: t, Err: err}
		}
		return out, nil
	})
}

func (s *Trips) saveTrip(ctx context.Context, tx *Tx, actor milepost.Actor, in milepost.TripInput) (*milepost.Trip, error) {
	var existing *milepost.Trip
	if in.ID != "" {
		var err error
		if existing, err = findTrip(ctx, tx, actor, in.ID); err != nil {
			return nil, err
		}
	}
	t, err := milepost.ApplyTrip(existing, in)
	if err != nil {
		return nil, err
	}
	if in.CarID != nil && t.CarID != "" {
		c, err := findCar(ctx, tx, actor, t.CarID)
		if err != nil || c.Status != milepost.TripActive {
			return nil, &milepost.Error{Code: milepost.CodeInvalid, Reason: milepost.ReasonInvalidValue, Params: []string{"carId"},
				Message: "carId " + t.CarID + " is not an active car of this user."}
		}
	}
	t.UpdatedAt = tx.now
	if existing == nil {
		t.ID, t.PartnerID, t.UserID, t.CreatedAt = prefixedID("mlg"), actor.PartnerID, actor.UserID, tx.now
	}
	args, err := tripArgs(t)
	if err != nil {
		return nil, err
	}
	if existing == nil {
		_, err = tx.exec(ctx, "INSERT INTO trips ("+tripCols+") VALUES ("+placeholders(23)+")", args...)
	} else {
		_, err = tx.exec(ctx, `UPDATE trips SET trip_date = ?, status = ?, mileage_status = ?, description = ?, notes = ?, customer_id = ?,
			class_segment_ids = ?, distance_micro = ?, distance_unit = ?, distance_source = ?, start_point = ?, end_point = ?, duration_ms = ?,
			deduction_cents = ?, deduction_source = ?, irs_rate = ?, car_id = ?, custom_data = ?, updated_at = ? WHERE id = ?`,
			slices.Concat(args[3:21], []any{args[22], t.ID})...)
	}
	if err != nil {
		return nil, fmt.Errorf("save trip: %w", err)
	}
	return t, nil
}

// FindTrip returns one trip of the actor's.
func (s *Trips) FindTrip(ctx context.Context, actor milepost.Actor, id string) (*milepost.Trip, error) {
	return readOne(ctx, s.db, func(tx *Tx) (*milepost.Trip, error) { return findTrip(ctx, tx, actor, id) })
}

// DeleteTrip marks a trip INACTIVE (a soft delete) and returns it.
func (s *Trips) DeleteTrip(ctx context.Context, actor milepost.Actor, id string) (*milepost.Trip, error) {
	return writeOne(ctx, s.db, func(tx *Tx) (*milepost.Trip, error) {
		t, err := findTrip(ctx, tx, actor, id)
		if err != nil {
			return nil, err
		}
		t.Status, t.UpdatedAt = milepost.TripInactive, tx.now
		if _, err := tx.exec(ctx, "UPDATE trips SET status = ?, updated_at = ? WHERE id = ?", t.Status, t.UpdatedAt.UnixMilli(), t.ID); err != nil {
			return nil, fmt.Errorf("delete trip: %w", err)
		}
		return t, nil
	})
}

// filterSQL turns a StringFilter on col into conditions.
func filterSQL(col string, f milepost.StringFilter) ([]string, []any) {
	var conds []string
	var args []any
	if len(f.In) > 0 {
		conds = append(conds, col+" IN ("+placeholders(len(f.In))+")")
		for _, v := range f.In {
			args = append(args, v)
		}
	}
	if len(f.NotIn) > 0 {
		conds = append(conds, col+" NOT IN ("+placeholders(len(f.NotIn))+")")
		for _, v := range f.NotIn {
			args = append(args, v)
		}
	}
	for _, op := range []struct {
		v  *string
		op string
	}{{f.Equal, "="}, {f.NotEqual, "<>"}, {f.Greater, ">"}, {f.GreaterEq, ">="}, {f.Less, "<"}, {f.LessEq, "<="}} {
		if op.v != nil {
			conds = append(conds, col+" "+op.op+" ?")
			args = append(args, *op.v)
		}
	}
	return conds, args
}

// pageQuery builds the WHERE, ORDER and LIMIT of a keyset page over (sortCol, id); key turns a
// page key's Date into the sort column's value.
func pageQuery(where []string, args []any, sortCol string, q milepost.TripQuery, key func(string) any) (string, []any, bool) {
	desc := q.Desc
	backward := q.Before != nil
	if q.After != nil {
		op := ">"
		if desc {
			op = "<"
		}
		where = append(where, "("+sortCol+" "+op+" ? OR ("+sortCol+" = ? AND id "+op+" ?))")
		args = append(args, key(q.After.Date), key(q.After.Date), q.After.ID)
	}
	if backward {
		op := "<"
		if desc {
			op = ">"
		}
		where = append(where, "("+sortCol+" "+op+" ? OR ("+sortCol+" = ? AND id "+op+" ?))")
		args = append(args, key(q.Before.Date), key(q.Before.Date), q.Before.ID)
	}
	dir := "ASC"
	if desc != backward {
		dir = "DESC"
	}
	return " WHERE " + strings.Join(where, " AND ") + " ORDER BY " + sortCol + " " + dir + ", id " + dir + " LIMIT ?", append(args, q.Limit+1), backward
}

func normalizeQuery(q milepost.TripQuery) (milepost.TripQuery, error) {
	if q.Limit == 0 {
		q.Limit = milepost.DefaultQueryLimit
	}
	if q.Limit < 1 || q.Limit > milepost.MaxQueryLimit {
		return q, milepost.Invalidf("limit", "limit must be between 1 and %d.", milepost.MaxQueryLimit)
	}
	if q.After != nil && q.Before != nil {
		return q, milepost.Invalidf("cursor", "use one cursor, after or before.")
	}
	if !q.Status.Set() {
		active := milepost.TripActive
		q.Status.Equal = &active
	}
	return q, nil
}

// pageBounds trims a page fetched with one extra row and works out the neighbouring pages' keys.
func pageBounds[T any](items []T, key func(T) milepost.PageKey, q milepost.TripQuery, backward bool) ([]T, *milepost.PageKey, *milepost.PageKey) {
	more := len(items) > q.Limit
	if more {
		items = items[:q.Limit]
	}
	if backward {
		for i, j := 0, len(items)-1; i < j; i, j = i+1, j-1 {
			items[i], items[j] = items[j], items[i]
		}
	}
	if len(items) == 0 {
		return items, nil, nil
	}
	first, last := key(items[0]), key(items[len(items)-1])
	var after, before *milepost.PageKey
	if (!backward && more) || backward {
		after = &last
	}
	if (backward && more) || (!backward && q.After != nil) {
		before = &first
	}
	return items, after, before
}

// QueryTrips returns a page of trips; see milepost.TripService.
func (s *Trips) QueryTrips(ctx context.Context, actor milepost.Actor, q milepost.TripQuery) (*milepost.TripPage, error) {
	q, err := normalizeQuery(q)
	if err != nil {
		return nil, err
	}
	where, args := []string{"partner_id = ?"}, []any{actor.PartnerID}
	if actor.Scope == milepost.ScopeUser {
		where, args = append(where, "user_id = ?"), append(args, actor.UserID)
	}
	for _, f := range []struct {
		col string
		f   milepost.StringFilter
	}{{"status", q.Status}, {"mileage_status", q.MileageStatus}, {"trip_date", q.Date}, {"car_id", q.CarID}} {
		c, a := filterSQL(f.col, f.f)
		where, args = append(where, c...), append(args, a...)
	}
	tail, args, backward := pageQuery(where, args, "trip_date", q, func(d string) any { return d })
	return readOne(ctx, s.db, func(tx *Tx) (*milepost.TripPage, error) {
		rows, err := tx.query(ctx, "SELECT "+tripCols+" FROM trips"+tail, args...)
		if err != nil {
			return nil, fmt.Errorf("query trips: %w", err)
		}
		defer rows.Close()
		var trips []*milepost.Trip
		for rows.Next() {
			t, err := scanTrip(rows)
			if err != nil {
				return nil, fmt.Errorf("scan trip: %w", err)
			}
			trips = append(trips, t)
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		page := &milepost.TripPage{}
		page.Trips, page.After, page.Before = pageBounds(trips, func(t *milepost.Trip) milepost.PageKey {
			return milepost.PageKey{Date: t.Date.Format(time.DateOnly), ID: t.ID}
		}, q, backward)
		if page.Trips == nil {
			page.Trips = []*milepost.Trip{}
		}
		return page, nil
	})
}
