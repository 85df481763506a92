package milepost

import "math"

// earthRadiusMiles is the mean Earth radius (IUGG, 6371.0088 km) in miles.
const earthRadiusMiles = 6371.0088 / KilometersPerMile

// GreatCircleMiles is the haversine distance between two points in degrees, in miles.
func GreatCircleMiles(lat1, lng1, lat2, lng2 float64) float64 {
	rad := math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLng := (lng2 - lng1) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * earthRadiusMiles * math.Asin(math.Min(1, math.Sqrt(a)))
}
