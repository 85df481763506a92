package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/milepost/milepost"
)

// Registrations implements milepost.OdometerRegistrationService.
type Registrations struct{ db *DB }

// Registrations returns the odometer registration service of this store.
func (db *DB) Registrations() *Registrations { return &Registrations{db: db} }

var _ milepost.OdometerRegistrationService = (*Registrations)(nil)

const registrationCols = "id, partner_id, vin, value_km, ticket_id, is_breaking, created_at"

func scanRegistration(row interface{ Scan(...any) error }) (*milepost.OdometerRegistration, error) {
	var r milepost.OdometerRegistration
	var created int64
	if err := row.Scan(&r.ID, &r.PartnerID, &r.VIN, &r.ValueKm, &r.TicketID, &r.IsBreaking, &created); err != nil {
		return nil, err
	}
	r.CreatedAt = fromMS(created)
	return &r, nil
}

// CreateRegistration stores a registration and flags it breaking when it is lower than the
// previous one of the VIN. The previous value and the count come from the VIN's head row, read
// and updated under a row lock in the same transaction, so the cost does not grow with the VIN's
// history and concurrent registrations of one VIN are ordered. An equal value is not breaking.
func (s *Registrations) CreateRegistration(ctx context.Context, actor milepost.Actor, in milepost.NewOdometerRegistration) (*milepost.OdometerRegistration, error) {
	if err := actor.RequireAdmin(); err != nil {
		return nil, err
	}
	in, err := in.Validate()
	if err != nil {
		return nil, err
	}
	return writeOne(ctx, s.db, func(tx *Tx) (*milepost.OdometerRegistration, error) {
		// Make sure the head row exists (a no-op when it does), then lock it: concurrent
		// registrations of the VIN queue here, and the id and time are taken after the lock so
		// their order is the order is_breaking was computed in.
		if _, err := tx.exec(ctx, `INSERT INTO odometer_heads (partner_id, vin, last_value_km, last_at, total) VALUES (?, ?, 0, 0, 0)
			ON CONFLICT (partner_id, vin) DO NOTHING`, actor.PartnerID, in.VIN); err != nil {
			return nil, fmt.Errorf("create odometer head: %w", err)
		}
		var last float64
		var total int64
		if err := tx.queryRow(ctx, "SELECT last_value_km, total FROM odometer_heads WHERE partner_id = ? AND vin = ?"+tx.d.forUpdate(),
			actor.PartnerID, in.VIN).Scan(&last, &total); err != nil {
			return nil, fmt.Errorf("read odometer head: %w", err)
		}
		now := s.db.now()
		if now.Before(tx.now) {
			now = tx.now
		}
		r := &milepost.OdometerRegistration{ID: newID(), PartnerID: actor.PartnerID, VIN: in.VIN, ValueKm: in.ValueKm, TicketID: in.TicketID,
			CreatedAt: now, IsBreaking: total > 0 && in.ValueKm < last}
		if _, err := tx.exec(ctx, "UPDATE odometer_heads SET last_value_km = ?, last_at = ?, total = total + 1 WHERE partner_id = ? AND vin = ?",
			r.ValueKm, r.CreatedAt.UnixMilli(), r.PartnerID, r.VIN); err != nil {
			return nil, fmt.Errorf("update odometer head: %w", err)
		}
		_, err := tx.exec(ctx, "INSERT INTO odometer_registrations ("+registrationCols+") VALUES (?, ?, ?, ?, ?, ?, ?)",
			r.ID, r.PartnerID, r.VIN, r.ValueKm, r.TicketID, r.IsBreaking, r.CreatedAt.UnixMilli())
		if err != nil {
			return nil, fmt.Errorf("insert registration: %w", err)
		}
		return r, nil
	})
}

// FindRegistration returns one registration of the actor's partner.
func (s *Registrations) FindRegistration(ctx context.Context, actor milepost.Actor, id string) (*milepost.OdometerRegistration, error) {
	id = strings.ToLower(strings.TrimSpace(id))
	if !milepost.ValidUUID(id) {
		return nil, milepost.Invalidf("odometer-registration-id", "The odometer registration id must be a UUID.")
	}
	r, err := readOne(ctx, s.db, func(tx *Tx) (*milepost.OdometerRegistration, error) {
		return scanRegistration(tx.queryRow(ctx, "SELECT "+registrationCols+" FROM odometer_registrations WHERE id = ?", id))
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, milepost.Errorf(milepost.CodeNotFound, "", "No odometer registration %s.", id)
	}
	if err != nil {
		return nil, err
	}
	if r.PartnerID != actor.PartnerID {
		return nil, milepost.Errorf(milepost.CodeForbidden, milepost.ReasonNoPermissions, "This odometer registration belongs to another partner.")
	}
	return r, nil
}

// ListRegistrations returns a page of one VIN's registrations and the VIN's total (from its head
// row: no count over the history).
func (s *Registrations) ListRegistrations(ctx context.Context, actor milepost.Actor, f milepost.RegistrationFilter) (*milepost.RegistrationPage, error) {
	f.VIN = milepost.NormalizeVIN(f.VIN)
	if !milepost.ValidVINShape(f.VIN) {
		return nil, milepost.Invalidf("vin", "vin is required: exactly 17 characters of the VIN alphabet.")
	}
	if f.Limit < 0 || f.Limit > 1000 {
		return nil, milepost.Invalidf("limit", "limit must be between 0 and 1000.")
	}
	if f.Offset < 0 {
		return nil, milepost.Invalidf("offset", "offset must be 0 or more.")
	}
	dir := "ASC"
	if f.Desc {
		dir = "DESC"
	}
	return readOne(ctx, s.db, func(tx *Tx) (*milepost.RegistrationPage, error) {
		page := &milepost.RegistrationPage{Registrations: []*milepost.OdometerRegistration{}}
		err := tx.queryRow(ctx, "SELECT total FROM odometer_heads WHERE partner_id = ? AND vin = ?", actor.PartnerID, f.VIN).Scan(&page.Total)
		if errors.Is(err, sql.ErrNoRows) || f.Limit == 0 {
			return page, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read odometer head: %w", err)
		}
		rows, err := tx.query(ctx, "SELECT "+registrationCols+" FROM odometer_registrations WHERE partner_id = ? AND vin = ? ORDER BY created_at "+dir+", id "+dir+" LIMIT ? OFFSET ?",
			actor.PartnerID, f.VIN, f.Limit, f.Offset)
		if err != nil {
			return nil, fmt.Errorf("list registrations: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanRegistration(rows)
			if err != nil {
				return nil, fmt.Errorf("scan registration: %w", err)
			}
			page.Registrations = append(page.Registrations, r)
		}
		return page, rows.Err()
	})
}

// SeedRegistrations inserts n registrations of one VIN for partnerID in one transaction and sets
// the VIN's head row, for benchmarks and load tests (it skips the per-row checks).
func (db *DB) SeedRegistrations(ctx context.Context, partnerID, vin string, n int) error {
	return db.update(ctx, func(tx *Tx) error {
		at := tx.now.Add(-time.Duration(n) * time.Millisecond)
		for i := 0; i < n; i++ {
			if _, err := tx.exec(ctx, "INSERT INTO odometer_registrations ("+registrationCols+") VALUES (?, ?, ?, ?, ?, ?, ?)",
				newID(), partnerID, vin, float64(1000+i), "595be628-f6f2-4262-9c10-6389c6c4a5b8", false, at.Add(time.Duration(i)*time.Millisecond).UnixMilli()); err != nil {
				return fmt.Errorf("seed registration: %w", err)
			}
		}
		_, err := tx.exec(ctx, `INSERT INTO odometer_heads (partner_id, vin, last_value_km, last_at, total) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (partner_id, vin) DO UPDATE SET last_value_km = excluded.last_value_km, last_at = excluded.last_at, total = odometer_heads.total + excluded.total`,
			partnerID, vin, float64(1000+n-1), tx.now.UnixMilli(), n)
		return err
	})
}
