// Package damage looks for new damage on a vehicle between two condition check-ins.
//
// Compare registers a photo onto the same angle of the vehicle's last confirmed check-in
// (shift, scale and a small rotation), normalises their tones, and scores the change in each
// cell of a grid over their overlap; cells over a threshold are candidates for a reviewer,
// never a verdict. When the photos cannot be registered (a different vehicle, another
// angle, a very different framing) the result says so, and the caller asks a reviewer too.
// A first condition check-in has nothing to compare with: only quality checks apply.
//
// Client sends a photo to an external damage analyzer over HTTP, so a partner can attach a
// real damage model. Every failure of the analyzer is an error, which the caller must turn
// into "needs review", never into Confirmed.
//
// docs/damage-analysis.md describes the method, its calibration and the analyzer's JSON
// contract. The package uses only the standard library: no HTTP server, no SQL, no cgo.
package damage
