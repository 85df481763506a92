package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/milepost/milepost"
)

// OdometerHistory implements milepost.OdometerHistoryService and milepost.MileageLogSource:
// one odometer history per VIN from confirmed mileage check-ins (miles), odometer registrations
// (km), trip-log cars' start-of-year odometers (miles) and the odometer given when a vehicle was
// created by plate (miles).
type OdometerHistory struct{ db *DB }

// OdometerHistory returns the odometer history service of this store.
func (db *DB) OdometerHistory() *OdometerHistory { return &OdometerHistory{db: db} }

var (
	_ milepost.OdometerHistoryService = (*OdometerHistory)(nil)
	_ milepost.MileageLogSource       = (*OdometerHistory)(nil)
)

// VehicleOdometerHistory is the history of a vehicle's VIN within the actor's partner.
func (s *OdometerHistory) VehicleOdometerHistory(ctx context.Context, actor milepost.Actor, vehicleID string) (*milepost.OdometerHistory, error) {
	return readOne(ctx, s.db, func(tx *Tx) (*milepost.OdometerHistory, error) {
		v, err := findVehicle(ctx, tx, actor, vehicleID)
		if err != nil {
			return nil, err
		}
		return history(ctx, tx, v.PartnerID, v.VIN)
	})
}

// VINOdometerHistory is the history of a VIN across every partner.
func (s *OdometerHistory) VINOdometerHistory(ctx context.Context, vin string) (*milepost.OdometerHistory, error) {
	vin = milepost.NormalizeVIN(vin)
	if !milepost.ValidVINShape(vin) {
		return nil, milepost.Invalidf("vin", "vin must be 17 characters of the VIN alphabet.")
	}
	return readOne(ctx, s.db, func(tx *Tx) (*milepost.OdometerHistory, error) { return history(ctx, tx, "", vin) })
}

// MileageLogData returns a VIN's history and the trips of its cars; see milepost.MileageLogSource.
func (s *OdometerHistory) MileageLogData(ctx context.Context, partnerID, vin string) (*milepost.OdometerHistory, []*milepost.Trip, error) {
	var trips []*milepost.Trip
	h, err := readOne(ctx, s.db, func(tx *Tx) (*milepost.OdometerHistory, error) {
		h, err := history(ctx, tx, partnerID, vin)
		if err != nil {
			return nil, err
		}
		where, args := "c.vin = ?", []any{vin}
		if partnerID != "" {
			where, args = where+" AND c.partner_id = ?", append(args, partnerID)
		}
		rows, err := tx.query(ctx, "SELECT "+prefixed(tripCols, "t.")+" FROM trips t JOIN cars c ON c.id = t.car_id WHERE "+where+" ORDER BY t.trip_date, t.id", args...)
		if err != nil {
			return nil, fmt.Errorf("mileage log trips: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanTrip(rows)
			if err != nil {
				return nil, fmt.Errorf("scan trip: %w", err)
			}
			trips = append(trips, t)
		}
		return h, rows.Err()
	})
	return h, trips, err
}

// history gathers every reading of a VIN (for one partner, or all when partnerID is "").
func history(ctx context.Context, tx *Tx, partnerID, vin string) (*milepost.OdometerHistory, error) {
	h := &milepost.OdometerHistory{VIN: vin, Readings: []milepost.OdometerReading{}}
	partner := func(col string) (string, []any) {
		if partnerID == "" {
			return "", []any{vin}
		}
		return " AND " + col + " = ?", []any{vin, partnerID}
	}
	add := func(source, id string, at time.Time, value float64, unit milepost.DistanceUnit) {
		h.Readings = append(h.Readings, milepost.OdometerReading{Source: source, SourceID: id, At: at, Value: value, Unit: unit,
			Miles: milepost.ToMiles(value, unit), Km: milepost.ToKilometers(value, unit)})
	}
	var id string
	var at, miles int64
	var km float64
	cond, args := partner("v.partner_id")
	// A check-in's reading counts the rollovers before it, so a rolled-over odometer is not taken
	// for a rollback.
	err := eachRow(tx.query(ctx, `SELECT c.id, c.created_at, c.mileage + c.odometer_offset FROM checkins c JOIN vehicles v ON v.id = c.vehicle_id
		WHERE v.vin = ?`+cond+` AND c.type = 'mileage' AND c.status = 'Confirmed'`, args...))(func(rows *sql.Rows) error {
		if err := rows.Scan(&id, &at, &miles); err != nil {
			return err
		}
		add(milepost.SourceMileageCheckin, id, fromMS(at), float64(miles), milepost.Miles)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("history check-ins: %w", err)
	}
	cond, args = partner("partner_id")
	var breaking bool
	err = eachRow(tx.query(ctx, "SELECT id, created_at, value_km, is_breaking FROM odometer_registrations WHERE vin = ?"+cond, args...))(func(rows *sql.Rows) error {
		if err := rows.Scan(&id, &at, &km, &breaking); err != nil {
			return err
		}
		add(milepost.SourceRegistration, id, fromMS(at), km, milepost.Kilometers)
		h.Readings[len(h.Readings)-1].Breaking = breaking
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("history registrations: %w", err)
	}
	err = eachRow(tx.query(ctx, "SELECT "+carCols+" FROM cars WHERE vin = ?"+cond, args...))(func(rows *sql.Rows) error {
		c, err := scanCar(rows)
		if err != nil {
			return err
		}
		for _, d := range c.Details {
			add(milepost.SourceCarYearStart, c.ID+":"+strconv.Itoa(d.Year), time.Date(d.Year, 1, 1, 0, 0, 0, 0, time.UTC), d.Odometer, milepost.Miles)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("history cars: %w", err)
	}
	err = eachRow(tx.query(ctx, "SELECT id, created_at, initial_mileage FROM vehicles WHERE vin = ?"+cond+" AND initial_mileage > 0", args...))(func(rows *sql.Rows) error {
		if err := rows.Scan(&id, &at, &miles); err != nil {
			return err
		}
		add(milepost.SourceVehicleCreated, id, fromMS(at), float64(miles), milepost.Miles)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("history vehicles: %w", err)
	}
	milepost.MarkRollbacks(h.Readings)
	return h, nil
}
