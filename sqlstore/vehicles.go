package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/milepost/milepost"
)

// Vehicles implements milepost.VehicleService.
type Vehicles struct {
	db     *DB
	vin    milepost.VINValidator
	plates milepost.PlateResolver
}

// Vehicles returns the vehicle service of this store. VINs are checked with v; plates are
// resolved with plates, or with this store's plate table when plates is nil.
func (db *DB) Vehicles(v milepost.VINValidator, plates milepost.PlateResolver) *Vehicles {
	if plates == nil {
		plates = db.Plates()
	}
	return &Vehicles{db: db, vin: v, plates: plates}
}

var _ milepost.VehicleService = (*Vehicles)(nil)

const vehicleCols = `v.id, v.partner_id, v.user_id, v.vin, v.make, v.model, v.year, v.license, v.state, v.photo_url,
	v.active, v.initial_mileage, v.created_at, v.updated_at, u.first_name, u.last_name, u.email, u.phone`

const vehicleFrom = " FROM vehicles v JOIN users u ON u.id = v.user_id"

func scanVehicle(row interface{ Scan(...any) error }) (*milepost.Vehicle, error) {
	var v milepost.Vehicle
	var created, updated int64
	err := row.Scan(&v.ID, &v.PartnerID, &v.UserID, &v.VIN, &v.Make, &v.Model, &v.Year, &v.License, &v.State, &v.PhotoURL,
		&v.Active, &v.InitialMileage, &created, &updated, &v.Owner.FirstName, &v.Owner.LastName, &v.Owner.Email, &v.Owner.Phone)
	if err != nil {
		return nil, err
	}
	v.Owner.ID = v.UserID
	v.CreatedAt, v.UpdatedAt = fromMS(created), fromMS(updated)
	return &v, nil
}

func vehicleNotFound() error {
	return milepost.Errorf(milepost.CodeNotFound, milepost.ReasonVehicleNotFound, "Vehicle not found or owning User not found.")
}

// findVehicle loads a vehicle the actor may see, or CodeNotFound / CodeForbidden.
func findVehicle(ctx context.Context, tx *Tx, actor milepost.Actor, id string) (*milepost.Vehicle, error) {
	return findVehicleWhere(ctx, tx, actor, "v.id = ?", strings.TrimSpace(id))
}

func findVehicleWhere(ctx context.Context, tx *Tx, actor milepost.Actor, where string, args ...any) (*milepost.Vehicle, error) {
	v, err := scanVehicle(tx.queryRow(ctx, "SELECT "+vehicleCols+vehicleFrom+" WHERE "+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vehicleNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("find vehicle: %w", err)
	}
	if err := actor.CanAccessUser(v.PartnerID, v.UserID); err != nil {
		return nil, err
	}
	return v, nil
}

// checkVehicleFree returns CodeConflict when another active vehicle of the partner has the VIN or
// the state and plate. The partial unique indexes enforce the same rule; this check runs first
// so the client learns which of the two clashed.
func checkVehicleFree(ctx context.Context, tx *Tx, partnerID, exceptID, vin, state, plate string) error {
	var id string
	err := tx.queryRow(ctx, "SELECT id FROM vehicles WHERE partner_id = ? AND vin = ? AND active AND id <> ? LIMIT 1",
		partnerID, vin, exceptID).Scan(&id)
	if err == nil {
		return milepost.Errorf(milepost.CodeConflict, milepost.ReasonVehicleExists,
			"Vehicle with same VIN or license plate exists: an active vehicle already has VIN %s.", vin)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("check vin: %w", err)
	}
	if plate == "" {
		return nil
	}
	err = tx.queryRow(ctx, "SELECT id FROM vehicles WHERE partner_id = ? AND state = ? AND license = ? AND active AND id <> ? LIMIT 1",
		partnerID, state, plate, exceptID).Scan(&id)
	if err == nil {
		return milepost.Errorf(milepost.CodeConflict, milepost.ReasonVehicleExists,
			"Vehicle with same VIN or license plate exists: an active vehicle already has license plate %s %s.", state, plate)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("check plate: %w", err)
	}
	return nil
}

func vehicleExists() error {
	return milepost.Errorf(milepost.CodeConflict, milepost.ReasonVehicleExists, "Vehicle with same VIN or license plate exists.")
}

func insertVehicle(ctx context.Context, tx *Tx, v *milepost.Vehicle) error {
	_, err := tx.exec(ctx, `INSERT INTO vehicles (id, partner_id, user_id, vin, make, model, year, license, state, photo_url,
		active, initial_mileage, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		v.ID, v.PartnerID, v.UserID, v.VIN, v.Make, v.Model, v.Year, v.License, v.State, v.PhotoURL,
		v.Active, v.InitialMileage, v.CreatedAt.UnixMilli(), v.UpdatedAt.UnixMilli())
	if tx.d.isUniqueViolation(err) {
		return vehicleExists()
	}
	if err != nil {
		return fmt.Errorf("insert vehicle: %w", err)
	}
	return nil
}

func saveVehicle(ctx context.Context, tx *Tx, v *milepost.Vehicle) error {
	_, err := tx.exec(ctx, "UPDATE vehicles SET license = ?, state = ?, model = ?, active = ?, updated_at = ? WHERE id = ?",
		v.License, v.State, v.Model, v.Active, v.UpdatedAt.UnixMilli(), v.ID)
	if tx.d.isUniqueViolation(err) {
		return vehicleExists()
	}
	if err != nil {
		return fmt.Errorf("update vehicle: %w", err)
	}
	return nil
}

// createVehicle inserts a new active vehicle for owner after the uniqueness checks.
func createVehicle(ctx context.Context, tx *Tx, owner *milepost.User, v *milepost.Vehicle) error {
	if err := checkVehicleFree(ctx, tx, owner.PartnerID, "", v.VIN, v.State, v.License); err != nil {
		return err
	}
	v.ID, v.PartnerID, v.UserID, v.Active = newID(), owner.PartnerID, owner.ID, true
	v.CreatedAt, v.UpdatedAt = tx.now, tx.now
	v.Owner = milepost.VehicleOwner{ID: owner.ID, FirstName: owner.FirstName, LastName: owner.LastName, Email: owner.Email, Phone: owner.Phone}
	return insertVehicle(ctx, tx, v)
}

// CreateVehicleByVIN validates the VIN and creates the vehicle; see milepost.VehicleService.
func (s *Vehicles) CreateVehicleByVIN(ctx context.Context, actor milepost.Actor, in milepost.NewVehicleByVIN) (*milepost.Vehicle, error) {
	if err := actor.RequireAdmin(); err != nil {
		return nil, err
	}
	in, err := in.Validate(s.db.now())
	if err != nil {
		return nil, err
	}
	if _, err := s.vin.ValidateVIN(in.VIN, in.Make, in.Year); err != nil {
		return nil, err
	}
	return writeOne(ctx, s.db, func(tx *Tx) (*milepost.Vehicle, error) {
		owner, err := findUser(ctx, tx, actor, in.UserID)
		if err != nil {
			return nil, err
		}
		v := &milepost.Vehicle{VIN: in.VIN, Make: in.Make, Model: in.Model, Year: in.Year, License: in.LicensePlate, State: in.State}
		return v, createVehicle(ctx, tx, owner, v)
	})
}

// CreateVehicleByPlate resolves the plate to a VIN and creates the vehicle; see milepost.VehicleService.
func (s *Vehicles) CreateVehicleByPlate(ctx context.Context, actor milepost.Actor, in milepost.NewVehicleByPlate) (*milepost.Vehicle, error) {
	if err := actor.RequireAdmin(); err != nil {
		return nil, err
	}
	in, err := in.Validate()
	if err != nil {
		return nil, err
	}
	owner, err := readOne(ctx, s.db, func(tx *Tx) (*milepost.User, error) { return findUserByPhone(ctx, tx, actor, in.Phone) })
	if err != nil {
		return nil, err
	}
	rec, err := s.plates.ResolvePlate(ctx, in.State, in.LicensePlate)
	if milepost.ErrorCode(err) == milepost.CodeNotFound {
		return nil, milepost.Errorf(milepost.CodeNotFound, milepost.ReasonVehicleNotFound,
			"No VIN match was found for license plate %s in %s, so the vehicle was not created.", in.LicensePlate, in.State)
	}
	if err != nil {
		return nil, err
	}
	info, err := s.vin.ValidateVIN(rec.VIN, rec.Make, rec.Year)
	if err != nil {
		return nil, fmt.Errorf("plate %s %s resolves to an invalid VIN: %w", in.State, in.LicensePlate, err)
	}
	v := &milepost.Vehicle{VIN: info.VIN, Make: rec.Make, Model: rec.Model, Year: rec.Year, License: in.LicensePlate, State: in.State, InitialMileage: in.Mileage}
	if v.Make == "" && len(info.Makes) > 0 {
		v.Make = info.Makes[0]
	}
	if v.Year == 0 && len(info.ModelYears) > 0 {
		v.Year = info.ModelYears[0]
	}
	return writeOne(ctx, s.db, func(tx *Tx) (*milepost.Vehicle, error) {
		// The owner is read again inside the write transaction so a concurrent change is seen.
		owner, err := findUser(ctx, tx, actor, owner.ID)
		if err != nil {
			return nil, err
		}
		return v, createVehicle(ctx, tx, owner, v)
	})
}

// UpdateVehicle changes a vehicle's plate and state; see milepost.VehicleService.
func (s *Vehicles) UpdateVehicle(ctx context.Context, actor milepost.Actor, upd milepost.VehicleUpdate) (*milepost.Vehicle, error) {
	if err := actor.RequireAdmin(); err != nil {
		return nil, err
	}
	upd, err := upd.Validate()
	if err != nil {
		return nil, err
	}
	return writeOne(ctx, s.db, func(tx *Tx) (*milepost.Vehicle, error) {
		v, err := findVehicle(ctx, tx, actor, upd.ID)
		if err != nil {
			return nil, err
		}
		if upd.LicensePlate != nil {
			v.License = *upd.LicensePlate
		}
		if upd.State != nil {
			v.State = *upd.State
		}
		if upd.Model != nil {
			v.Model = *upd.Model
		}
		if v.Active && v.License != "" {
			if err := checkVehicleFree(ctx, tx, v.PartnerID, v.ID, "", v.State, v.License); err != nil {
				return nil, err
			}
		}
		v.UpdatedAt = tx.now
		return v, saveVehicle(ctx, tx, v)
	})
}

// SetVehicleActive deactivates or reactivates a vehicle; see milepost.VehicleService.
func (s *Vehicles) SetVehicleActive(ctx context.Context, actor milepost.Actor, id string, active bool) (*milepost.Vehicle, error) {
	if err := actor.RequireAdmin(); err != nil {
		return nil, err
	}
	return writeOne(ctx, s.db, func(tx *Tx) (*milepost.Vehicle, error) {
		v, err := findVehicle(ctx, tx, actor, id)
		if err != nil || v.Active == active {
			return v, err
		}
		if active {
			if err := checkVehicleFree(ctx, tx, v.PartnerID, v.ID, v.VIN, v.State, v.License); err != nil {
				return nil, err
			}
		}
		v.Active = active
		v.UpdatedAt = tx.now
		return v, saveVehicle(ctx, tx, v)
	})
}

// FindVehicleByID returns a vehicle the actor may see; see milepost.VehicleService.
func (s *Vehicles) FindVehicleByID(ctx context.Context, actor milepost.Actor, id string) (*milepost.Vehicle, error) {
	return readOne(ctx, s.db, func(tx *Tx) (*milepost.Vehicle, error) { return findVehicle(ctx, tx, actor, id) })
}

// FindActiveVehicleByPlate returns the partner's active vehicle with that plate; see milepost.VehicleService.
func (s *Vehicles) FindActiveVehicleByPlate(ctx context.Context, actor milepost.Actor, state, plate string) (*milepost.Vehicle, error) {
	state, err := milepost.NormalizeState("state", state)
	if err != nil {
		return nil, err
	}
	plate, err = milepost.NormalizePlate("licensePlateNumber", plate)
	if err != nil {
		return nil, err
	}
	if plate == "" {
		return nil, milepost.Invalidf("licensePlateNumber", "licensePlateNumber is required.")
	}
	return readOne(ctx, s.db, func(tx *Tx) (*milepost.Vehicle, error) {
		return findVehicleWhere(ctx, tx, actor, "v.partner_id = ? AND v.state = ? AND v.license = ? AND v.active", actor.PartnerID, state, plate)
	})
}
