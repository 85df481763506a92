package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/milepost/milepost"
)

const carCols = "id, partner_id, user_id, make, model, name, year, is_primary, status, vin, details, custom_data, created_at, updated_at"

func scanCar(row interface{ Scan(...any) error }) (*milepost.Car, error) {
	var c milepost.Car
	var details, custom string
	var created, updated int64
	err := row.Scan(&c.ID, &c.PartnerID, &c.UserID, &c.Make, &c.Model, &c.Name, &c.Year, &c.IsPrimary, &c.Status, &c.VIN, &details, &custom, &created, &updated)
	if err != nil {
		return nil, err
	}
	if details != "" {
		if err := json.Unmarshal([]byte(details), &c.Details); err != nil {
			return nil, fmt.Errorf("car %s details: %w", c.ID, err)
		}
	}
	if custom != "" {
		c.CustomData = json.RawMessage(custom)
	}
	c.CreatedAt, c.UpdatedAt = fromMS(created), fromMS(updated)
	return &c, nil
}

func findCar(ctx context.Context, tx *Tx, actor milepost.Actor, id string) (*milepost.Car, error) {
	c, err := scanCar(tx.queryRow(ctx, "SELECT "+carCols+" FROM cars WHERE id = ?", strings.TrimSpace(id)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, milepost.Errorf(milepost.CodeNotFound, milepost.ReasonInvalidValue, "No car %s.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find car: %w", err)
	}
	return c, ownRecord(actor, c.PartnerID, c.UserID, "car")
}

// SaveCars creates or updates cars; see milepost.TripService. A car marked primary makes the
// user's other cars non-primary. vehicleId links the car to the partner's vehicle (its VIN).
func (s *Trips) SaveCars(ctx context.Context, actor milepost.Actor, items []milepost.CarInput) ([]milepost.ItemResult[*milepost.Car], error) {
	if err := needUser(actor, "cars"); err != nil {
		return nil, err
	}
	if len(items) > maxBulkItems {
		return nil, milepost.Invalidf("data", "data may hold at most %d items.", maxBulkItems)
	}
	return writeOne(ctx, s.db, func(tx *Tx) ([]milepost.ItemResult[*milepost.Car], error) {
		out := make([]milepost.ItemResult[*milepost.Car], len(items))
		for i, in := range items {
			c, err := saveCar(ctx, tx, actor, in)
			if err != nil && milepost.ErrorCode(err) == milepost.CodeInternal {
				return nil, err
			}
			out[i] = milepost.ItemResult[*milepost.Car]{Value: c, Err: err}
		}
		return out, nil
	})
}

func saveCar(ctx context.Context, tx *Tx, actor milepost.Actor, in milepost.CarInput) (*milepost.Car, error) {
	var existing *milepost.Car
	if in.ID != "" {
		var err error
		if existing, err = findCar(ctx, tx, actor, in.ID); err != nil {
			return nil, err
		}
	}
	if in.VehicleID != nil && *in.VehicleID != "" {
		v, err := findVehicle(ctx, tx, milepost.Actor{PartnerID: actor.PartnerID, Scope: milepost.ScopeAdmin}, *in.VehicleID)
		if err != nil {
			return nil, &milepost.Error{Code: milepost.CodeInvalid, Reason: milepost.ReasonInvalidValue, Params: []string{"vehicleId"},
				Message: "vehicleId " + *in.VehicleID + " is not a vehicle of this partner."}
		}
		in.VIN = &v.VIN
	}
	c, err := milepost.ApplyCar(existing, in, tx.now)
	if err != nil {
		return nil, err
	}
	c.UpdatedAt = tx.now
	if existing == nil {
		c.ID, c.PartnerID, c.UserID, c.CreatedAt = prefixedID("car"), actor.PartnerID, actor.UserID, tx.now
	}
	details, err := encodeJSON(c.Details, len(c.Details) == 0)
	if err != nil {
		return nil, err
	}
	if c.IsPrimary {
		if _, err := tx.exec(ctx, "UPDATE cars SET is_primary = ? WHERE user_id = ? AND id <> ? AND is_primary", false, c.UserID, c.ID); err != nil {
			return nil, fmt.Errorf("clear primary car: %w", err)
		}
	}
	args := []any{c.ID, c.PartnerID, c.UserID, c.Make, c.Model, c.Name, c.Year, c.IsPrimary, c.Status, c.VIN, details, string(c.CustomData),
		c.CreatedAt.UnixMilli(), c.UpdatedAt.UnixMilli()}
	if existing == nil {
		_, err = tx.exec(ctx, "INSERT INTO cars ("+carCols+") VALUES ("+placeholders(14)+")", args...)
	} else {
		_, err = tx.exec(ctx, `UPDATE cars SET make = ?, model = ?, name = ?, year = ?, is_primary = ?, status = ?, vin = ?, details = ?,
			custom_data = ?, updated_at = ? WHERE id = ?`, c.Make, c.Model, c.Name, c.Year, c.IsPrimary, c.Status, c.VIN, details,
			string(c.CustomData), c.UpdatedAt.UnixMilli(), c.ID)
	}
	if err != nil {
		return nil, fmt.Errorf("save car: %w", err)
	}
	return c, nil
}

// FindCar returns one car of the actor's.
func (s *Trips) FindCar(ctx context.Context, actor milepost.Actor, id string) (*milepost.Car, error) {
	return readOne(ctx, s.db, func(tx *Tx) (*milepost.Car, error) { return findCar(ctx, tx, actor, id) })
}

// DeleteCar marks a car INACTIVE and returns it.
func (s *Trips) DeleteCar(ctx context.Context, actor milepost.Actor, id string) (*milepost.Car, error) {
	return writeOne(ctx, s.db, func(tx *Tx) (*milepost.Car, error) {
		c, err := findCar(ctx, tx, actor, id)
		if err != nil {
			return nil, err
		}
		c.Status, c.UpdatedAt = milepost.TripInactive, tx.now
		if _, err := tx.exec(ctx, "UPDATE cars SET status = ?, updated_at = ? WHERE id = ?", c.Status, c.UpdatedAt.UnixMilli(), c.ID); err != nil {
			return nil, fmt.Errorf("delete car: %w", err)
		}
		return c, nil
	})
}

// QueryCars returns a page of cars, oldest first (the page key's Date is the creation time).
func (s *Trips) QueryCars(ctx context.Context, actor milepost.Actor, q milepost.TripQuery) (*milepost.CarPage, error) {
	q, err := normalizeQuery(q)
	if err != nil {
		return nil, err
	}
	where, args := []string{"partner_id = ?"}, []any{actor.PartnerID}
	if actor.Scope == milepost.ScopeUser {
		where, args = append(where, "user_id = ?"), append(args, actor.UserID)
	}
	c, a := filterSQL("status", q.Status)
	where, args = append(where, c...), append(args, a...)
	for _, k := range []*milepost.PageKey{q.After, q.Before} {
		if k != nil {
			if _, err := strconv.ParseInt(k.Date, 10, 64); err != nil {
				return nil, milepost.Invalidf("cursor", "the cursor is not a car list cursor.")
			}
		}
	}
	tail, args, backward := pageQuery(where, args, "created_at", q, func(d string) any {
		n, _ := strconv.ParseInt(d, 10, 64) // checked above
		return n
	})
	return readOne(ctx, s.db, func(tx *Tx) (*milepost.CarPage, error) {
		rows, err := tx.query(ctx, "SELECT "+carCols+" FROM cars"+tail, args...)
		if err != nil {
			return nil, fmt.Errorf("query cars: %w", err)
		}
		defer rows.Close()
		var cars []*milepost.Car
		for rows.Next() {
			c, err := scanCar(rows)
			if err != nil {
				return nil, fmt.Errorf("scan car: %w", err)
			}
			cars = append(cars, c)
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		page := &milepost.CarPage{}
		page.Cars, page.After, page.Before = pageBounds(cars, func(c *milepost.Car) milepost.PageKey {
			return milepost.PageKey{Date: strconv.FormatInt(c.CreatedAt.UnixMilli(), 10), ID: c.ID}
		}, q, backward)
		if page.Cars == nil {
			page.Cars = []*milepost.Car{}
		}
		return page, nil
	})
}
