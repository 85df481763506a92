package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/milepost/milepost"
)

// Plates is the built-in plate → VIN table; it implements milepost.PlateResolver and
// milepost.PlateImporter.
type Plates struct{ db *DB }

// Plates returns the plate table of this store.
func (db *DB) Plates() *Plates { return &Plates{db: db} }

var (
	_ milepost.PlateResolver = (*Plates)(nil)
	_ milepost.PlateImporter = (*Plates)(nil)
)

// ResolvePlate returns the record for a normalized state and plate, or CodeNotFound.
func (s *Plates) ResolvePlate(ctx context.Context, state, plate string) (milepost.PlateRecord, error) {
	rec := milepost.PlateRecord{State: state, Plate: plate}
	err := s.db.view(ctx, func(tx *Tx) error {
		err := tx.queryRow(ctx, "SELECT vin, make, model, year FROM plate_vins WHERE state = ? AND plate = ?", state, plate).
			Scan(&rec.VIN, &rec.Make, &rec.Model, &rec.Year)
		if errors.Is(err, sql.ErrNoRows) {
			return milepost.Errorf(milepost.CodeNotFound, milepost.ReasonVehicleNotFound, "No VIN is known for plate %s %s.", state, plate)
		}
		if err != nil {
			return fmt.Errorf("resolve plate: %w", err)
		}
		return nil
	})
	return rec, err
}

// ImportPlates upserts records (already validated and normalized) in one transaction.
func (s *Plates) ImportPlates(ctx context.Context, recs []milepost.PlateRecord) (int, error) {
	err := s.db.update(ctx, func(tx *Tx) error {
		for _, r := range recs {
			_, err := tx.exec(ctx, `INSERT INTO plate_vins (state, plate, vin, make, model, year, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (state, plate) DO UPDATE SET vin = excluded.vin, make = excluded.make, model = excluded.model,
				year = excluded.year, updated_at = excluded.updated_at`,
				r.State, r.Plate, r.VIN, r.Make, r.Model, r.Year, tx.now.UnixMilli())
			if err != nil {
				return fmt.Errorf("import plate %s %s: %w", r.State, r.Plate, err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(recs), nil
}
