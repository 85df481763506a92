package milepost

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// Evidence limits.
const (
	maxPhotosPerList = 10
	MaxMileage       = 10_000_000 // miles; no odometer shows more
	maxNoteLen       = 2000
)

// Validate checks a mileage check-in and returns it normalized. On creation (create=true) the
// vehicle, plate, mileage and both photo lists are required; on a change-flow update the plate
// and mileage are required and an absent or empty photo list keeps the current photos.
func (in NewMileageCheckin) Validate(create bool) (NewMileageCheckin, error) {
	var err error
	if create && strings.TrimSpace(in.VehicleID) == "" {
		return in, Invalidf("vehicleId", "vehicleId is required.")
	}
	if in.LicensePlate, in.State, err = normalizePlateState(in.LicensePlate, in.State, false); err != nil {
		return in, err
	}
	if in.LicensePlate == "" {
		return in, Invalidf("licensePlate", "licensePlate is required.")
	}
	if in.Mileage < 1 || in.Mileage > MaxMileage {
		return in, Invalidf("mileage", "mileage must be between 1 and %d.", MaxMileage)
	}
	if create && len(in.LicensePhotos) == 0 {
		return in, Invalidf("licensePhotos", "licensePhotos needs at least one photo of the license plate.")
	}
	if create && len(in.OdometerPhotos) == 0 {
		return in, Invalidf("odometerPhotos", "odometerPhotos needs at least one photo of the odometer.")
	}
	if err := checkEvidenceLists(map[string][]EvidenceRef{"licensePhotos": in.LicensePhotos, "odometerPhotos": in.OdometerPhotos}); err != nil {
		return in, err
	}
	return in, nil
}

// Validate checks a condition check-in's own fields and photo types. Whether the four required
// angles are present is checked on the complete set by CheckAngles (an update may send only the
// angles it retakes).
func (in NewConditionCheckin) Validate(create bool) (NewConditionCheckin, error) {
	var err error
	if create && strings.TrimSpace(in.VehicleID) == "" {
		return in, Invalidf("vehicleId", "vehicleId is required.")
	}
	if in.LicensePlate, in.State, err = normalizePlateState(in.LicensePlate, in.State, false); err != nil {
		return in, err
	}
	if in.UserNote, err = optionalText("userNote", in.UserNote, maxNoteLen); err != nil {
		return in, err
	}
	if len(in.Photos) == 0 {
		return in, Invalidf("photos", "photos is required: the vehicle from the angles %s.", strings.Join(RequiredAngles, ", "))
	}
	all := append(append([]string{}, RequiredAngles...), EnhancedAngles...)
	seen := map[string]bool{}
	for i, p := range in.Photos {
		if !slices.Contains(all, p.Kind) {
			return in, Invalidf("photos", "photos[%d].type %s is not an angle: use one of %s.", i, quote(p.Kind), strings.Join(all, ", "))
		}
		if seen[p.Kind] {
			return in, Invalidf("photos", "photos has the angle %s twice; send one photo per angle.", p.Kind)
		}
		seen[p.Kind] = true
	}
	if err := checkEvidenceLists(map[string][]EvidenceRef{"photos": in.Photos}); err != nil {
		return in, err
	}
	return in, nil
}

// CheckAngles returns a CodeInvalid error naming the first required angle missing from photos.
func CheckAngles(photos []EvidenceRef) error {
	have := map[string]bool{}
	for _, p := range photos {
		have[p.Kind] = true
	}
	for _, a := range RequiredAngles {
		if !have[a] {
			return Invalidf("photos", "photos is missing the required angle %s (required: %s; optional: %s).",
				a, strings.Join(RequiredAngles, ", "), strings.Join(EnhancedAngles, ", "))
		}
	}
	return nil
}

// Validate checks a proof-of-address check-in and returns it normalized.
func (in NewAddressCheckin) Validate(create bool) (NewAddressCheckin, error) {
	var err error
	if create && strings.TrimSpace(in.UserID) == "" {
		return in, Invalidf("userId", "userId is required.")
	}
	if !slices.Contains(DocumentTypes, in.DocumentType) {
		return in, Invalidf("documentType", "documentType must be one of %s.", strings.Join(DocumentTypes, ", "))
	}
	if in.AddressType != "" && !slices.Contains(AddressTypes, in.AddressType) {
		return in, Invalidf("addressType", "addressType must be one of %s.", strings.Join(AddressTypes, ", "))
	}
	if in.Latitude == nil || math.IsNaN(*in.Latitude) || *in.Latitude < -90 || *in.Latitude > 90 {
		return in, Invalidf("latitude", "latitude is required, between -90 and 90.")
	}
	if in.Longitude == nil || math.IsNaN(*in.Longitude) || *in.Longitude < -180 || *in.Longitude > 180 {
		return in, Invalidf("longitude", "longitude is required, between -180 and 180.")
	}
	if in.UserNote, err = optionalText("userNote", in.UserNote, maxNoteLen); err != nil {
		return in, err
	}
	if in.Address != nil {
		a := *in.Address
		norm, err := Address{Line1: a.Line1, Line2: a.Line2, City: a.City, State: a.State, Country: a.Country, Zip: a.Zip}.Normalize("address")
		if err != nil {
			return in, err
		}
		a.Line1, a.Line2, a.City, a.State, a.Country, a.Zip = norm.Line1, norm.Line2, norm.City, norm.State, norm.Country, norm.Zip
		if (a.Latitude != nil && (*a.Latitude < -90 || *a.Latitude > 90)) || (a.Longitude != nil && (*a.Longitude < -180 || *a.Longitude > 180)) {
			return in, Invalidf("address", "address latitude and longitude must be valid coordinates.")
		}
		in.Address = &a
	}
	for i, p := range in.Photos {
		if !slices.Contains(HomePhotoTypes, p.Kind) {
			return in, Invalidf("photos", "photos[%d].type must be one of %s.", i, strings.Join(HomePhotoTypes, ", "))
		}
	}
	for i, d := range in.Documents {
		if !slices.Contains(DocumentSourceType, d.Kind) {
			return in, Invalidf("documents", "documents[%d].type must be one of %s.", i, strings.Join(DocumentSourceType, ", "))
		}
	}
	if create && len(in.Documents) == 0 && len(in.Photos) == 0 {
		return in, Invalidf("documents", "A proof-of-address check-in needs a document (or photos) proving residence.")
	}
	if err := checkEvidenceLists(map[string][]EvidenceRef{"photos": in.Photos, "documents": in.Documents}); err != nil {
		return in, err
	}
	return in, nil
}

// checkEvidenceLists bounds each list and refuses the same upload twice in one check-in.
func checkEvidenceLists(lists map[string][]EvidenceRef) error {
	seen := map[string]string{}
	for _, name := range []string{"licensePhotos", "odometerPhotos", "photos", "documents"} {
		list := lists[name]
		if len(list) > maxPhotosPerList {
			return Invalidf(name, "%s may hold at most %d items.", name, maxPhotosPerList)
		}
		for i, e := range list {
			if strings.TrimSpace(e.UploadID) == "" {
				return Invalidf(name, "%s[%d].url is required: a URL returned by the upload API.", name, i)
			}
			if prev, dup := seen[e.UploadID]; dup {
				return Invalidf(name, "%s[%d] is the same upload as %s; use each photo once per check-in.", name, i, prev)
			}
			seen[e.UploadID] = name + "[" + strconv.Itoa(i) + "]"
		}
	}
	return nil
}
