// Package verify is the verification engine for check-ins: analyzers each look at one aspect of
// a check-in run and report named milepost.Signals, and milepost.Decide turns the signals into
// a decision (any decline → Declined, else any hold → OnHold, else Confirmed).
//
// The engine works only on a *milepost.VerificationInput: no HTTP, no SQL, no clock of its own
// (ages are measured against the run's SubmittedAt), so the same input always gives the same
// decision. Thresholds are a Policy, read from JSON with LoadPolicy.
//
// Built-in analyzers:
//
//   - evidence: the photos the check-in's type requires are present and not marked invalid by
//     a reviewer; a mileage check-in's plate is the vehicle's.
//   - recency: each photo was taken shortly before the submission (EXIF capture time, else the
//     app's takenOn).
//   - velocity: a mileage reading did not rise faster than a vehicle can be driven since the
//     last confirmed one.
//
// More analyzers (fraud, image quality, OCR, damage) plug in through New's extra arguments.
// docs/verification.md lists every signal for partners and operators.
package verify
