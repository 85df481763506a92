package docscan

import (
	"fmt"

	"github.com/milepost/milepost"
)

// DefaultHomePhotoDistance is how far a home photo's GPS position may be from the address's
// coordinates before it is a signal: phone GPS is good to tens of meters outdoors, geocoders
// put an address anywhere on its parcel or street segment (rural lots and long driveways run
// to hundreds of meters), and a kilometre still catches a photo taken across town.
const DefaultHomePhotoDistance = 1000.0

// DistanceMeters is the great-circle (haversine) distance between two points in degrees. It
// uses the domain's GreatCircleMiles, so trips and documents measure the Earth alike.
func DistanceMeters(lat1, lon1, lat2, lon2 float64) float64 {
	return milepost.GreatCircleMiles(lat1, lon1, lat2, lon2) * milepost.KilometersPerMile * 1000
}

// GeoCheck is the result of comparing a home photo's position with the address.
type GeoCheck struct {
	DistanceMeters float64
	Far            bool   // farther than the allowed distance: a signal for reviewers
	Reason         string // plain English for reviewers
}

// CheckHomePhoto compares a home photo's GPS position with the address's coordinates;
// maxMeters <= 0 means DefaultHomePhotoDistance.
func CheckHomePhoto(photoLat, photoLon, addrLat, addrLon, maxMeters float64) GeoCheck {
	if maxMeters <= 0 {
		maxMeters = DefaultHomePhotoDistance
	}
	d := DistanceMeters(photoLat, photoLon, addrLat, addrLon)
	g := GeoCheck{DistanceMeters: d, Far: d > maxMeters}
	if g.Far {
		g.Reason = fmt.Sprintf("the home photo was taken %s from the address (more than %s)", formatMeters(d), formatMeters(maxMeters))
	} else {
		g.Reason = fmt.Sprintf("the home photo was taken %s from the address", formatMeters(d))
	}
	return g
}

func formatMeters(m float64) string {
	switch {
	case m < 1000:
		return fmt.Sprintf("%.0f m", m)
	case m == float64(int(m/1000))*1000:
		return fmt.Sprintf("%.0f km", m/1000)
	}
	return fmt.Sprintf("%.1f km", m/1000)
}
