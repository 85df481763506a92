package milepost_test

import (
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/milepost/milepost"
)

func TestCanTransition(t *testing.T) {
	allowed := map[[2]milepost.CheckinStatus]bool{
		{"Pending", "Confirmed"}: true, {"Pending", "Declined"}: true, {"Pending", "OnHold"}: true,
		{"OnHold", "Pending"}: true, {"OnHold", "Confirmed"}: true, {"OnHold", "Declined"}: true,
	}
	for _, from := range milepost.CheckinStatuses {
		for _, to := range milepost.CheckinStatuses {
			if got := milepost.CanTransition(from, to); got != allowed[[2]milepost.CheckinStatus{from, to}] {
				t.Errorf("CanTransition(%s, %s) = %v", from, to, got)
			}
		}
	}
	if milepost.CanTransitionBy(milepost.StatusOnHold, milepost.StatusConfirmed, milepost.ByEngine) {
		t.Error("the engine must not confirm an OnHold check-in: that is the reviewer's call")
	}
	if milepost.CanTransitionBy(milepost.StatusPending, milepost.StatusConfirmed, milepost.ByPartner) {
		t.Error("a partner must not confirm its own check-in")
	}
	if !milepost.CanTransitionBy(milepost.StatusOnHold, milepost.StatusPending, milepost.ByPartner) {
		t.Error("the change flow must be allowed")
	}
	if !milepost.StatusConfirmed.Final() || !milepost.StatusDeclined.Final() || milepost.StatusOnHold.Final() {
		t.Error("Final")
	}
}

// TestLifecycleDocMatchesTable keeps docs/checkin-lifecycle.md true: its transition list must be
// exactly the table in code, with who may make each move.
func TestLifecycleDocMatchesTable(t *testing.T) {
	b, err := os.ReadFile("docs/checkin-lifecycle.md")
	if err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile(`(?m)^- (\w+) → (\w+): ([a-z, ]+)$`)
	var doc, code []string
	for _, m := range line.FindAllStringSubmatch(string(b), -1) {
		for _, who := range strings.Split(m[3], ", ") {
			doc = append(doc, m[1]+">"+m[2]+":"+who)
		}
	}
	for _, from := range milepost.CheckinStatuses {
		for _, to := range milepost.CheckinStatuses {
			for _, who := range []milepost.ActorKind{milepost.ByEngine, milepost.ByReviewer, milepost.ByPartner} {
				if milepost.CanTransitionBy(from, to, who) {
					code = append(code, string(from)+">"+string(to)+":"+string(who))
				}
			}
		}
	}
	sort.Strings(doc)
	sort.Strings(code)
	if strings.Join(doc, " ") != strings.Join(code, " ") {
		t.Fatalf("docs/checkin-lifecycle.md lists\n  %v\nbut the table allows\n  %v", doc, code)
	}
}

func TestDecide(t *testing.T) {
	pass := milepost.Signal{Name: "a", Verdict: milepost.VerdictPass, Reason: "fine"}
	hold1 := milepost.Signal{Name: "b", Verdict: milepost.VerdictHold, Reason: "old photo", Note: "Take fresh photos."}
	hold2 := milepost.Signal{Name: "c", Verdict: milepost.VerdictHold, Reason: "plate", Note: "Check the plate.", Fraud: true}
	decline := milepost.Signal{Name: "d", Verdict: milepost.VerdictDecline, Reason: "replayed photo", Fraud: true}
	tests := []struct {
		name    string
		signals []milepost.Signal
		status  milepost.CheckinStatus
		fraud   bool
		note    string
	}{
		{"nothing against", []milepost.Signal{pass}, milepost.StatusConfirmed, false, ""},
		{"no signals", nil, milepost.StatusConfirmed, false, ""},
		{"holds join their notes", []milepost.Signal{pass, hold1, hold2, hold1}, milepost.StatusOnHold, true, "Take fresh photos. Check the plate."},
		{"decline wins, with its reason", []milepost.Signal{hold1, decline}, milepost.StatusDeclined, true, "replayed photo"},
	}
	for _, tt := range tests {
		d := milepost.Decide(tt.signals)
		if d.Status != tt.status || d.Fraud != tt.fraud || d.AdminNote != tt.note || len(d.Signals) != len(tt.signals) {
			t.Errorf("%s: %+v", tt.name, d)
		}
	}
}
