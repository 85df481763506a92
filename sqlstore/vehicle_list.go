package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/milepost/milepost"
)

var vehicleSortColumns = map[string]string{
	"license": "v.license", "vin": "v.vin", "state": "v.state", "dateAdded": "v.created_at", "active": "v.active",
}

var vehicleSearchColumns = map[string]string{
	"license": "v.license", "vin": "v.vin", "state": "v.state",
	"userFirstName": "LOWER(u.first_name)", "userLastName": "LOWER(u.last_name)", "userEmail": "u.email_norm", "userPhone": "u.phone",
}

// ListVehicles returns a page of the partner's vehicles; see milepost.VehicleService.
// Search is a case-insensitive "contains" match on the chosen field.
func (s *Vehicles) ListVehicles(ctx context.Context, actor milepost.Actor, f milepost.VehicleFilter) (*milepost.VehiclePage, error) {
	if err := actor.RequireAdmin(); err != nil {
		return nil, err
	}
	f, err := f.Validate()
	if err != nil {
		return nil, err
	}
	where := []string{"v.partner_id = ?"}
	args := []any{actor.PartnerID}
	if f.SearchBy != "" {
		value := strings.ToLower(f.SearchValue)
		switch f.SearchBy {
		case "license", "vin", "state":
			// These are stored upper case and without separators.
			value = strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(f.SearchValue))
		}
		where = append(where, vehicleSearchColumns[f.SearchBy]+` LIKE ? ESCAPE '\'`)
		args = append(args, likeContains(value))
	}
	if f.Active != nil {
		where = append(where, "v.active = ?")
		args = append(args, *f.Active)
	}
	if f.AddedFrom != nil {
		where = append(where, "v.created_at >= ?")
		args = append(args, f.AddedFrom.UnixMilli())
	}
	if f.AddedTo != nil {
		where = append(where, "v.created_at <= ?")
		args = append(args, f.AddedTo.UnixMilli())
	}
	cond := strings.Join(where, " AND ")
	page := &milepost.VehiclePage{Page: f.PageRequest}
	err = s.db.view(ctx, func(tx *Tx) error {
		if err := tx.queryRow(ctx, "SELECT COUNT(*)"+vehicleFrom+" WHERE "+cond, args...).Scan(&page.TotalItems); err != nil {
			return fmt.Errorf("count vehicles: %w", err)
		}
		dir := sqlDirection(f.SortDirection)
		q := "SELECT " + vehicleCols + vehicleFrom + " WHERE " + cond + " ORDER BY " + vehicleSortColumns[f.SortBy] + " " + dir + ", v.id " + dir + " LIMIT ? OFFSET ?"
		rows, err := tx.query(ctx, q, append(args, f.Size, f.Offset())...)
		if err != nil {
			return fmt.Errorf("list vehicles: %w", err)
		}
		defer rows.Close()
		page.Vehicles = make([]*milepost.Vehicle, 0, f.Size)
		for rows.Next() {
			v, err := scanVehicle(rows)
			if err != nil {
				return fmt.Errorf("scan vehicle: %w", err)
			}
			page.Vehicles = append(page.Vehicles, v)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return page, nil
}
