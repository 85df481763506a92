package milepost

import "time"

// CheckinStatus is where a check-in is in its lifecycle.
type CheckinStatus string

// The lifecycle shared by all three check-in types (seed 003):
//
//	POST ─► Pending ──verification──► Confirmed (terminal)
//	           ▲      ├─────────────► Declined  (terminal)
//	           │      └─────────────► OnHold ──reviewer──► Confirmed / Declined
//	           └──── PUT (change flow) ◄─┘
const (
	// StatusPending: accepted, waiting for verification.
	StatusPending CheckinStatus = "Pending"
	// StatusConfirmed: verified; counts toward the history and earns its reward. Terminal.
	StatusConfirmed CheckinStatus = "Confirmed"
	// StatusDeclined: rejected (fraud, or evidence that cannot be accepted). Terminal.
	StatusDeclined CheckinStatus = "Declined"
	// StatusOnHold: needs better or more data (the adminNote says what), or a reviewer's decision.
	StatusOnHold CheckinStatus = "OnHold"
)

// CheckinStatuses lists the statuses in lifecycle order.
var CheckinStatuses = []CheckinStatus{StatusPending, StatusConfirmed, StatusDeclined, StatusOnHold}

// Valid reports whether s is a lifecycle status.
func (s CheckinStatus) Valid() bool {
	return s == StatusPending || s == StatusConfirmed || s == StatusDeclined || s == StatusOnHold
}

// Final reports whether no transition leaves s.
func (s CheckinStatus) Final() bool { return s == StatusConfirmed || s == StatusDeclined }

// ActorKind is who moves a check-in.
type ActorKind string

// Who moves check-ins.
const (
	ByEngine   ActorKind = "engine"   // the verification rules
	ByReviewer ActorKind = "reviewer" // a partner's human reviewer
	ByPartner  ActorKind = "partner"  // the partner's app, through the change flow (PUT)
)

// transitions is the lifecycle: from → to → who may make that move.
var transitions = map[CheckinStatus]map[CheckinStatus][]ActorKind{
	StatusPending: {
		StatusConfirmed: {ByEngine, ByReviewer},
		StatusDeclined:  {ByEngine, ByReviewer},
		StatusOnHold:    {ByEngine, ByReviewer},
	},
	StatusOnHold: {
		StatusPending:   {ByPartner},
		StatusConfirmed: {ByReviewer},
		StatusDeclined:  {ByReviewer},
	},
}

// CanTransition reports whether the lifecycle allows moving from one status to another at all.
func CanTransition(from, to CheckinStatus) bool {
	_, ok := transitions[from][to]
	return ok
}

// CanTransitionBy reports whether who may move a check-in from one status to another.
func CanTransitionBy(from, to CheckinStatus, who ActorKind) bool {
	for _, k := range transitions[from][to] {
		if k == who {
			return true
		}
	}
	return false
}

// Transition is one recorded move of a check-in.
type Transition struct {
	From    CheckinStatus // "" for the creation
	To      CheckinStatus
	By      ActorKind
	ActorID string // the reviewer, the partner, or the verification job
	Reason  string
	At      time.Time
}
