package sqlstore

import (
	"context"

	"github.com/milepost/milepost"
)

// CreateMileageCheckin records a Pending mileage check-in; see milepost.CheckinService.
func (s *Checkins) CreateMileageCheckin(ctx context.Context, actor milepost.Actor, in milepost.NewMileageCheckin) (*milepost.Checkin, error) {
	in, err := in.Validate(true)
	if err != nil {
		return nil, err
	}
	return writeOne(ctx, s.db, func(tx *Tx) (*milepost.Checkin, error) {
		v, err := vehicleForCheckin(ctx, tx, actor, in.VehicleID)
		if err != nil {
			return nil, err
		}
		lic, err := resolveEvidence(ctx, tx, v.PartnerID, v.UserID, "licensePhotos", milepost.RoleLicense, in.LicensePhotos)
		if err != nil {
			return nil, err
		}
		odo, err := resolveEvidence(ctx, tx, v.PartnerID, v.UserID, "odometerPhotos", milepost.RoleOdometer, in.OdometerPhotos)
		if err != nil {
			return nil, err
		}
		c := &milepost.Checkin{ID: newID(), PartnerID: v.PartnerID, UserID: v.UserID, VehicleID: v.ID, Type: milepost.CheckinMileage,
			License: in.LicensePlate, State: in.State, Mileage: in.Mileage, Photos: append(lic, odo...), CreatedAt: tx.now}
		if err := checkMileageOrder(ctx, tx, c); err != nil {
			return nil, err
		}
		return s.submitNew(ctx, tx, actor, c)
	})
}

// UpdateMileageCheckin is the change flow of a mileage check-in; see milepost.CheckinService.
func (s *Checkins) UpdateMileageCheckin(ctx context.Context, actor milepost.Actor, id string, in milepost.NewMileageCheckin) (*milepost.Checkin, error) {
	in, err := in.Validate(false)
	if err != nil {
		return nil, err
	}
	return writeOne(ctx, s.db, func(tx *Tx) (*milepost.Checkin, error) {
		c, err := checkinForChange(ctx, tx, actor, milepost.CheckinMileage, id)
		if err != nil {
			return nil, err
		}
		lic, err := resolveEvidence(ctx, tx, c.PartnerID, c.UserID, "licensePhotos", milepost.RoleLicense, in.LicensePhotos)
		if err != nil {
			return nil, err
		}
		odo, err := resolveEvidence(ctx, tx, c.PartnerID, c.UserID, "odometerPhotos", milepost.RoleOdometer, in.OdometerPhotos)
		if err != nil {
			return nil, err
		}
		c.Photos = replaceRole(replaceRole(c.Photos, milepost.RoleLicense, lic), milepost.RoleOdometer, odo)
		c.License, c.State, c.Mileage = in.LicensePlate, in.State, in.Mileage
		if err := checkMileageOrder(ctx, tx, c); err != nil {
			return nil, err
		}
		return s.resubmit(ctx, tx, actor, c)
	})
}

// CreateConditionCheckin records a Pending condition check-in; see milepost.CheckinService.
func (s *Checkins) CreateConditionCheckin(ctx context.Context, actor milepost.Actor, in milepost.NewConditionCheckin) (*milepost.Checkin, error) {
	in, err := in.Validate(true)
	if err != nil {
		return nil, err
	}
	if err := milepost.CheckAngles(in.Photos); err != nil {
		return nil, err
	}
	return writeOne(ctx, s.db, func(tx *Tx) (*milepost.Checkin, error) {
		v, err := vehicleForCheckin(ctx, tx, actor, in.VehicleID)
		if err != nil {
			return nil, err
		}
		photos, err := resolveEvidence(ctx, tx, v.PartnerID, v.UserID, "photos", milepost.RoleAngle, in.Photos)
		if err != nil {
			return nil, err
		}
		c := &milepost.Checkin{ID: newID(), PartnerID: v.PartnerID, UserID: v.UserID, VehicleID: v.ID, Type: milepost.CheckinCondition,
			License: in.LicensePlate, State: in.State, UserNote: in.UserNote, Photos: photos}
		return s.submitNew(ctx, tx, actor, c)
	})
}

// UpdateConditionCheckin is the change flow of a condition check-in: the photos sent replace
// those of the same angles, the others are kept, and the result must still have the four
// required angles.
func (s *Checkins) UpdateConditionCheckin(ctx context.Context, actor milepost.Actor, id string, in milepost.NewConditionCheckin) (*milepost.Checkin, error) {
	in, err := in.Validate(false)
	if err != nil {
		return nil, err
	}
	return writeOne(ctx, s.db, func(tx *Tx) (*milepost.Checkin, error) {
		c, err := checkinForChange(ctx, tx, actor, milepost.CheckinCondition, id)
		if err != nil {
			return nil, err
		}
		repl, err := resolveEvidence(ctx, tx, c.PartnerID, c.UserID, "photos", milepost.RoleAngle, in.Photos)
		if err != nil {
			return nil, err
		}
		replaced := map[string]bool{}
		for _, p := range repl {
			replaced[p.Kind] = true
		}
		var merged []milepost.CheckinPhoto
		var refs []milepost.EvidenceRef
		for _, p := range c.Photos {
			if !replaced[p.Kind] {
				merged = append(merged, p)
			}
		}
		merged = append(merged, repl...)
		for _, p := range merged {
			refs = append(refs, milepost.EvidenceRef{UploadID: p.UploadID, Kind: p.Kind})
		}
		if err := milepost.CheckAngles(refs); err != nil {
			return nil, err
		}
		c.Photos = merged
		if in.UserNote != "" {
			c.UserNote = in.UserNote
		}
		if in.LicensePlate != "" {
			c.License, c.State = in.LicensePlate, in.State
		}
		return s.resubmit(ctx, tx, actor, c)
	})
}

// CreateAddressCheckin records a Pending proof-of-address check-in; see milepost.CheckinService.
func (s *Checkins) CreateAddressCheckin(ctx context.Context, actor milepost.Actor, in milepost.NewAddressCheckin) (*milepost.Checkin, error) {
	in, err := in.Validate(true)
	if err != nil {
		return nil, err
	}
	return writeOne(ctx, s.db, func(tx *Tx) (*milepost.Checkin, error) {
		u, err := findUser(ctx, tx, actor, in.UserID)
		if err != nil {
			return nil, err
		}
		evidence, err := addressEvidence(ctx, tx, u.PartnerID, u.ID, in)
		if err != nil {
			return nil, err
		}
		c := &milepost.Checkin{ID: newID(), PartnerID: u.PartnerID, UserID: u.ID, Type: milepost.CheckinProofOfAddress,
			DocumentType: in.DocumentType, AddressType: in.AddressType, Address: in.Address, Latitude: in.Latitude,
			Longitude: in.Longitude, UserNote: in.UserNote, Photos: evidence}
		return s.submitNew(ctx, tx, actor, c)
	})
}

func addressEvidence(ctx context.Context, tx *Tx, partnerID, userID string, in milepost.NewAddressCheckin) ([]milepost.CheckinPhoto, error) {
	docs, err := resolveEvidence(ctx, tx, partnerID, userID, "documents", milepost.RoleDocument, in.Documents)
	if err != nil {
		return nil, err
	}
	photos, err := resolveEvidence(ctx, tx, partnerID, userID, "photos", milepost.RoleHome, in.Photos)
	if err != nil {
		return nil, err
	}
	return append(docs, photos...), nil
}

// UpdateAddressCheckin is the change flow of a proof-of-address check-in: the body replaces the
// check-in's fields; a document or photo list that is sent replaces the current one.
func (s *Checkins) UpdateAddressCheckin(ctx context.Context, actor milepost.Actor, id string, in milepost.NewAddressCheckin) (*milepost.Checkin, error) {
	in, err := in.Validate(false)
	if err != nil {
		return nil, err
	}
	return writeOne(ctx, s.db, func(tx *Tx) (*milepost.Checkin, error) {
		c, err := checkinForChange(ctx, tx, actor, milepost.CheckinProofOfAddress, id)
		if err != nil {
			return nil, err
		}
		docs, err := resolveEvidence(ctx, tx, c.PartnerID, c.UserID, "documents", milepost.RoleDocument, in.Documents)
		if err != nil {
			return nil, err
		}
		photos, err := resolveEvidence(ctx, tx, c.PartnerID, c.UserID, "photos", milepost.RoleHome, in.Photos)
		if err != nil {
			return nil, err
		}
		c.Photos = replaceRole(replaceRole(c.Photos, milepost.RoleDocument, docs), milepost.RoleHome, photos)
		c.DocumentType, c.AddressType, c.Latitude, c.Longitude = in.DocumentType, in.AddressType, in.Latitude, in.Longitude
		if in.Address != nil {
			c.Address = in.Address
		}
		if in.UserNote != "" {
			c.UserNote = in.UserNote
		}
		return s.resubmit(ctx, tx, actor, c)
	})
}
