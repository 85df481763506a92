package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/milepost/milepost"
)

// ListVehicleCheckins returns a vehicle's check-ins of one type; see milepost.CheckinService.
func (s *Checkins) ListVehicleCheckins(ctx context.Context, actor milepost.Actor, vehicleID string, t milepost.CheckinType) ([]*milepost.Checkin, error) {
	return readOne(ctx, s.db, func(tx *Tx) ([]*milepost.Checkin, error) {
		v, err := findVehicle(ctx, tx, actor, vehicleID)
		if err != nil {
			return nil, err
		}
		cs, err := queryCheckins(ctx, tx, "SELECT "+checkinCols+" FROM checkins c WHERE c.vehicle_id = ? AND c.type = ? ORDER BY c.created_at DESC, c.id DESC",
			v.ID, string(t))
		if err != nil {
			return nil, err
		}
		return cs, withNextDates(ctx, tx, v.PartnerID, cs...)
	})
}

// ListUserAddressCheckins returns a user's proof-of-address check-ins; see milepost.CheckinService.
func (s *Checkins) ListUserAddressCheckins(ctx context.Context, actor milepost.Actor, userID string) ([]*milepost.Checkin, error) {
	return readOne(ctx, s.db, func(tx *Tx) ([]*milepost.Checkin, error) {
		u, err := findUser(ctx, tx, actor, userID)
		if err != nil {
			return nil, err
		}
		cs, err := queryCheckins(ctx, tx, "SELECT "+checkinCols+" FROM checkins c WHERE c.user_id = ? AND c.type = ? ORDER BY c.created_at DESC, c.id DESC",
			u.ID, string(milepost.CheckinProofOfAddress))
		if err != nil {
			return nil, err
		}
		return cs, withNextDates(ctx, tx, u.PartnerID, cs...)
	})
}

var checkinSearchColumns = map[string]string{
	"id": "c.id", "license": "c.license", "vin": "v.vin", "state": "c.state", "city": "LOWER(c.address_city)",
	"userFirstName": "LOWER(u.first_name)", "userLastName": "LOWER(u.last_name)", "userEmail": "u.email_norm", "userPhone": "u.phone",
}

// ListCheckins returns a page of the partner's check-ins of one type; see milepost.CheckinService.
// Search is a case-insensitive contains match; for proof of address, state searches the
// check-in's address.
func (s *Checkins) ListCheckins(ctx context.Context, actor milepost.Actor, f milepost.CheckinFilter) (*milepost.CheckinPage, error) {
	if err := actor.RequireAdmin(); err != nil {
		return nil, err
	}
	f, err := f.Validate()
	if err != nil {
		return nil, err
	}
	where := []string{"c.partner_id = ?", "c.type = ?"}
	args := []any{actor.PartnerID, string(f.Type)}
	if f.SearchBy != "" {
		col, value := checkinSearchColumns[f.SearchBy], strings.ToLower(f.SearchValue)
		switch {
		case f.SearchBy == "state" && f.Type == milepost.CheckinProofOfAddress:
			col, value = "c.address_state", strings.ToUpper(f.SearchValue)
		case f.SearchBy == "license" || f.SearchBy == "vin" || f.SearchBy == "state":
			value = strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(f.SearchValue))
		case f.SearchBy == "id":
			value = f.SearchValue
		}
		where = append(where, col+` LIKE ? ESCAPE '\'`)
		args = append(args, likeContains(value))
	}
	switch f.Status {
	case "", "All":
	case "Archived":
		where = append(where, "1 = 0")
	default:
		where = append(where, "c.status = ?")
		args = append(args, f.Status)
	}
	if f.VehicleID != "" {
		where = append(where, "c.vehicle_id = ?")
		args = append(args, f.VehicleID)
	}
	if f.Fraud != nil {
		where = append(where, "c.fraud = ?")
		args = append(args, *f.Fraud)
	}
	if f.DamageDetected != nil {
		cond := "EXISTS (SELECT 1 FROM checkin_photos p WHERE p.checkin_id = c.id AND p.damage_detected)"
		if !*f.DamageDetected {
			cond = "NOT " + cond
		}
		where = append(where, cond)
	}
	for _, r := range []struct {
		cond string
		t    *time.Time
	}{
		{"c.created_at >= ?", f.CheckinFrom}, {"c.created_at <= ?", f.CheckinTo},
		{"c.updated_at >= ?", f.UpdatedFrom}, {"c.updated_at <= ?", f.UpdatedTo},
	} {
		if r.t != nil {
			where = append(where, r.cond)
			args = append(args, r.t.UnixMilli())
		}
	}
	from := " FROM checkins c JOIN users u ON u.id = c.user_id LEFT JOIN vehicles v ON v.id = c.vehicle_id WHERE " + strings.Join(where, " AND ")
	sortCol := "c.created_at"
	if f.SortBy == "dateUpdated" {
		sortCol = "c.updated_at"
	}
	dir := sqlDirection(f.SortDirection)
	return readOne(ctx, s.db, func(tx *Tx) (*milepost.CheckinPage, error) {
		page := &milepost.CheckinPage{Page: f.PageRequest}
		if err := tx.queryRow(ctx, "SELECT COUNT(*)"+from, args...).Scan(&page.TotalItems); err != nil {
			return nil, fmt.Errorf("count check-ins: %w", err)
		}
		cs, err := queryCheckins(ctx, tx, "SELECT "+checkinCols+from+" ORDER BY "+sortCol+" "+dir+", c.id "+dir+" LIMIT ? OFFSET ?",
			append(args, f.Size, f.Offset())...)
		if err != nil {
			return nil, err
		}
		page.Checkins = cs
		return page, withNextDates(ctx, tx, actor.PartnerID, cs...)
	})
}
