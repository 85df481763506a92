// Package loadtest drives Milepost's main endpoints with a closed-loop load generator and
// measures them beside a bare net/http JSON handler run in the same process, on the same
// machine, in the same way.
//
// Absolute requests per second depend on the machine; the ratio of an endpoint's rate to the
// bare handler's does much less, so targets are stated as ratios. Bench seeds what each
// endpoint needs through the server's own API (users, vehicles with valid VINs, photos,
// earlier check-ins), then runs the endpoints one after another: N workers, each with its own
// keep-alive connection, send requests back to back for a warm-up and then for the measured
// window. Latencies go into a log-linear histogram (HDR-style, under 1 % error) so memory does
// not grow with the run's length.
//
// The package talks HTTP only, so it can target any server by URL; `milepost bench` boots one
// in-process when no URL is given.
package loadtest
