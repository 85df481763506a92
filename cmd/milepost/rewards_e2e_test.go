package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/milepostest"
)

// campaignYAML is a campaign for partnerID; mileageAmount lets a test make a reward under $1.
func campaignYAML(partnerID, mileageAmount string) string {
	return fmt.Sprintf(`partner: %s
campaign: spring-2027
rewards:
  mileage:        {amount: %s, cadenceDays: 14}
  condition:      {amount: 5.00, cadenceDays: 90}
  proofOfAddress: {amount: 3.00, cadenceDays: 365, photoBonus: 1.00}
products:
  - {id: amazon-us, name: Amazon.com Gift Card, category: merchant_cards,
     currencyCodes: [USD], countries: [US], description: "Shop at Amazon.com.",
     disclosure: "Amazon.com is not a sponsor of this promotion.",
     images: [{src: "https://cdn.example.com/amazon.png", type: logo}]}
  - {id: charity-redcross, name: American Red Cross donation, category: charities, countries: [US]}
`, partnerID, mileageAmount)
}

// applyCampaign applies a campaign file through the CLI and fails the test if it is refused.
func applyCampaign(t *testing.T, s milepostest.Store, yaml string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "campaign.yaml")
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runCLI(t, s, []string{"campaign", "apply"}, "--file", file); code != 0 {
		t.Fatalf("campaign apply: exit %d\n%s%s", code, out, errs)
	}
}

// rewards lists a user's rewards over the API.
func (a *testApp) rewards(c creds, userID string) []map[string]any {
	a.t.Helper()
	var out []map[string]any
	a.expect(a.do("GET", "/api/users/by-id/"+userID+"/rewards", c, nil), 200, "").json(a.t, &out)
	return out
}

// rewardOf returns the reward of a check-in (nil when it has none).
func (a *testApp) rewardOf(c creds, userID, checkinID string) map[string]any {
	a.t.Helper()
	for _, r := range a.rewards(c, userID) {
		if r["checkinId"] == checkinID {
			return r
		}
	}
	return nil
}

// ledgerOK runs `milepost ledger check` on the store and fails the test unless it passes.
func ledgerOK(t *testing.T, s milepostest.Store) {
	t.Helper()
	if code, out, errs := runCLI(t, s, []string{"ledger", "check"}); code != 0 || !strings.Contains(out, "ledger ok") {
		t.Fatalf("ledger check: exit %d\n%s%s", code, out, errs)
	}
}

func TestCampaignFiles(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		a := startApp(t, s)
		p := a.partner()
		c := legacy(p)
		var products []map[string]any
		a.expect(a.do("GET", "/api/rewards/products", c, nil), 200, "").json(t, &products)
		if len(products) != 0 {
			t.Fatalf("products without a campaign %v", products)
		}
		applyCampaign(t, s, campaignYAML(p.Partner.ID, "2.00"))
		code, shown, errs := runCLI(t, s, []string{"campaign", "show"}, "--partner", p.Partner.ID)
		if code != 0 || !strings.Contains(shown, "campaign: spring-2027") || !strings.Contains(shown, "photoBonus: 1.00") || !strings.Contains(shown, "amazon-us") {
			t.Fatalf("campaign show: exit %d %q %q", code, shown, errs)
		}
		a.expect(a.do("GET", "/api/rewards/products", c, nil), 200, "").json(t, &products)
		if len(products) != 2 || products[0]["id"] != "amazon-us" || products[0]["category"] != "merchant_cards" ||
			products[0]["images"].([]any)[0].(map[string]any)["type"] != "logo" || products[1]["currencyCodes"] == nil {
			t.Fatalf("products %v", products)
		}

		// A malformed file is refused whole, each problem with its line; nothing changes.
		bad := strings.Replace(strings.Replace(campaignYAML(p.Partner.ID, "2.00"), "cadenceDays: 90", "cadenceDays: -3", 1),
			"category: charities", "category: lottery", 1)
		file := filepath.Join(t.TempDir(), "bad.yaml")
		if err := os.WriteFile(file, []byte(strings.Replace(bad, "spring-2027", "summer", 1)), 0o600); err != nil {
			t.Fatal(err)
		}
		code, _, errs = runCLI(t, s, []string{"campaign", "apply"}, "--file", file)
		if code != 1 || !strings.Contains(errs, "was not applied") || !strings.Contains(errs, "line 5: rewards.condition.cadenceDays") ||
			!strings.Contains(errs, "line 12: products[1].category") {
			t.Fatalf("malformed campaign: exit %d %q", code, errs)
		}
		if _, again, _ := runCLI(t, s, []string{"campaign", "show"}, "--partner", p.Partner.ID); again != shown {
			t.Fatalf("a refused file changed the campaign:\n%s", again)
		}
		// A campaign for a partner that does not exist, and bad invocations.
		applyTo := filepath.Join(t.TempDir(), "other.yaml")
		_ = os.WriteFile(applyTo, []byte(campaignYAML("no-such-partner", "2.00")), 0o600)
		if code, _, errs := runCLI(t, s, []string{"campaign", "apply"}, "--file", applyTo); code != 1 || errs == "" {
			t.Fatalf("unknown partner: exit %d %q", code, errs)
		}
		if code, _, _ := runCLI(t, s, []string{"campaign", "apply"}); code != 2 {
			t.Fatalf("apply without --file: exit %d", code)
		}
		if code, _, _ := runCLI(t, s, []string{"campaign", "show"}, "--partner", "no-such-partner"); code != 1 {
			t.Fatalf("show for an unknown partner: exit %d", code)
		}
		// Replacing the campaign replaces the catalogue.
		applyCampaign(t, s, strings.SplitN(campaignYAML(p.Partner.ID, "2.00"), "products:", 2)[0])
		a.expect(a.do("GET", "/api/rewards/products", c, nil), 200, "").json(t, &products)
		if len(products) != 0 {
			t.Fatalf("products after a catalogue-less campaign %v", products)
		}
	})
}

// TestRewardsMirrorCheckins walks check-ins through every transition with a reviewer (no
// automatic verification) and checks that each check-in's reward follows it.
func TestRewardsMirrorCheckins(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		cfg := testConfig(s)
		cfg.Role = "api"
		a := startAppWith(t, cfg)
		p := a.partner()
		c := legacy(p)
		uid := a.user(c, "+15559000001")
		vid := a.vehicle(c, uid, "1HGCM82633A004352", "Honda", 2003, "ABC123")
		vid2 := a.vehicle(c, uid, "1M8GDM9AXKP042788", "Motor Coach", 1989, "XYZ789")

		// Without a campaign a check-in earns nothing.
		r0 := a.expect(a.do("POST", "/api/vehicles/checkin/mileage", c, mileageBody(vid2, "XYZ789", 50, a.freshPhoto(c, uid, 1), a.freshPhoto(c, uid, 2))), 200, "").obj(t)
		if a.rewardOf(c, uid, r0["id"].(string)) != nil {
			t.Fatal("a check-in earned a reward without a campaign")
		}
		decide := func(id, status string) {
			t.Helper()
			a.expect(a.do("POST", "/api/admin/checkins/"+id+"/decision", c, map[string]any{"status": status}), 200, "")
		}
		decide(r0["id"].(string), "Declined") // so the next check-in on vid2 is unlocked
		applyCampaign(t, s, campaignYAML(p.Partner.ID, "2.00"))

		// Pending → OnHold → (change flow) Pending → Confirmed.
		m := a.expect(a.do("POST", "/api/vehicles/checkin/mileage", c, mileageBody(vid, "ABC123", 100, a.freshPhoto(c, uid, 3), a.freshPhoto(c, uid, 4))), 200, "").obj(t)
		id := m["id"].(string)
		checked, _ := time.Parse("2006-01-02T15:04:05.000Z", m["checkedInAt"].(string))
		next, _ := time.Parse("2006-01-02T15:04:05.000Z", m["nextCheckInDate"].(string))
		if next.Sub(checked) != 14*24*time.Hour {
			t.Fatalf("nextCheckInDate %v is not the campaign's 14 days after %v", next, checked)
		}
		steps := []struct {
			do   func()
			want string
		}{
			{func() {}, "Pending"},
			{func() { decide(id, "OnHold") }, "Pending"},
			{func() {
				a.expect(a.do("PUT", "/api/vehicles/checkin/mileage/"+id, c, mileageBody("", "ABC123", 101, "", a.freshPhoto(c, uid, 5))), 200, "")
			}, "Pending"},
			{func() { decide(id, "Confirmed") }, "Confirmed"},
		}
		for i, st := range steps {
			st.do()
			rw := a.rewardOf(c, uid, id)
			if rw == nil || rw["status"] != st.want || rw["type"] != "MileageCheckIn" || rw["amount"] != 2.0 || rw["vehicleId"] != vid {
				t.Fatalf("step %d: reward %v, want %s", i, rw, st.want)
			}
		}
		// The cadence is locked now: another mileage check-in on vid earns nothing.
		locked := a.expect(a.do("POST", "/api/vehicles/checkin/mileage", c, mileageBody(vid, "ABC123", 120, a.freshPhoto(c, uid, 6), a.freshPhoto(c, uid, 7))), 200, "").obj(t)
		if rw := a.rewardOf(c, uid, locked["id"].(string)); rw != nil {
			t.Fatalf("a check-in within the cadence earned %v", rw)
		}
		sum := a.expect(a.do("GET", "/api/vehicles/"+vid+"/checkin-summary", c, nil), 200, "").obj(t)
		ms := sum["mileageCheckinSummary"].(map[string]any)
		if ms["checkinUnlocked"] != false || ms["rewardAmountForNextCheckin"] != 2.0 || ms["daysToNextCheckin"] != float64(14) {
			t.Fatalf("mileage summary %v", ms)
		}
		items := ms["checkins"].([]any)
		if len(items) != 2 || items[0].(map[string]any)["reward"] != nil {
			t.Fatalf("summary items %v", items)
		}
		if rw, _ := items[1].(map[string]any)["reward"].(map[string]any); rw == nil || rw["status"] != "Confirmed" || rw["amount"] != 2.0 || rw["id"] == "" {
			t.Fatalf("summary item reward %v", items[1])
		}
		if cs := sum["conditionCheckinSummary"].(map[string]any); cs["checkinUnlocked"] != true || cs["rewardAmountForNextCheckin"] != 5.0 {
			t.Fatalf("condition summary %v", cs)
		}

		// Pending → Declined, on the other vehicle (its earlier check-in was declined: unlocked).
		d := a.expect(a.do("POST", "/api/vehicles/checkin/mileage", c, mileageBody(vid2, "XYZ789", 60, a.freshPhoto(c, uid, 8), a.freshPhoto(c, uid, 9))), 200, "").obj(t)
		decide(d["id"].(string), "OnHold")
		decide(d["id"].(string), "Declined")
		if rw := a.rewardOf(c, uid, d["id"].(string)); rw == nil || rw["status"] != "Declined" {
			t.Fatalf("declined check-in's reward %v", rw)
		}

		// Condition → ConditionCheckIn $5; proof of address with a home photo → $3 + $1 bonus.
		ph := map[string]string{}
		for i, angle := range []string{"Front", "Back", "DriverSide", "PassengerSide"} {
			ph[angle] = a.freshPhoto(c, uid, 20+i)
		}
		cond := a.expect(a.do("POST", "/api/vehicles/checkin/condition", c, map[string]any{"vehicleId": vid, "photos": angles(ph)}), 200, "").obj(t)
		decide(cond["id"].(string), "Confirmed")
		if rw := a.rewardOf(c, uid, cond["id"].(string)); rw == nil || rw["type"] != "ConditionCheckIn" || rw["amount"] != 5.0 || rw["status"] != "Confirmed" {
			t.Fatalf("condition reward %v", rw)
		}
		var poaSums []map[string]any
		a.expect(a.do("GET", "/api/users/"+uid+"/proof-of-address/checkin-summary", c, nil), 200, "").json(t, &poaSums)
		if len(poaSums) != 1 || poaSums[0]["rewardAmountForNextCheckin"] != 3.0 || poaSums[0]["photoBonusForNextCheckin"] != 1.0 {
			t.Fatalf("proof-of-address summary %v", poaSums)
		}
		poa := a.expect(a.do("POST", "/api/users/checkin/proof-of-address", c, map[string]any{
			"userId": uid, "documentType": "UtilityBill", "latitude": 30.26, "longitude": -97.74, "addressType": "StandaloneHome",
			"address": map[string]any{"addressLine1": "1 Main St", "city": "Austin", "state": "TX", "country": "US", "zip": "73301"},
			"photos":  []map[string]any{{"url": a.freshPhoto(c, uid, 30), "type": "FrontView"}}}), 200, "").obj(t)
		if rw := a.rewardOf(c, uid, poa["id"].(string)); rw == nil || rw["type"] != "GaragingCheckIn" || rw["amount"] != 4.0 || rw["status"] != "Pending" {
			t.Fatalf("proof-of-address reward %v", rw)
		}
		decide(poa["id"].(string), "Confirmed")
		a.expect(a.do("GET", "/api/users/"+uid+"/proof-of-address/checkin-summary", c, nil), 200, "").json(t, &poaSums)
		if rw, _ := poaSums[0]["checkins"].([]any)[0].(map[string]any)["reward"].(map[string]any); rw == nil || rw["status"] != "Confirmed" || rw["amount"] != 4.0 {
			t.Fatalf("proof-of-address summary item %v", poaSums[0]["checkins"])
		}

		var confirmed []map[string]any
		a.expect(a.do("GET", "/api/users/by-id/"+uid+"/rewards/confirmed", c, nil), 200, "").json(t, &confirmed)
		if len(confirmed) != 3 {
			t.Fatalf("confirmed rewards %v", confirmed)
		}
		for _, rw := range confirmed {
			if rw["status"] != "Confirmed" || rw["payoutId"] != "" {
				t.Fatalf("confirmed list holds %v", rw)
			}
		}
		if all := a.rewards(c, uid); len(all) != 4 {
			t.Fatalf("all rewards %v", all)
		}
		ledgerOK(t, s)
	})
}

func TestGrantRewards(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		a := startApp(t, s)
		p := a.partner()
		c := legacy(p)
		uid, other := a.user(c, "+15559100001"), a.user(c, "+15559100002")
		grant := func(user string, amount any, ref string) response {
			return a.do("POST", "/api/rewards/grant", c, map[string]any{"userId": user, "amount": amount, "actionCode": "survey.done", "clientReference": ref})
		}
		g := a.expect(grant(uid, 12.5, "ref-1"), 200, "").obj(t)
		if g["type"] != "Custom" || g["status"] != "Confirmed" || g["amount"] != 12.5 || g["userId"] != uid || g["replayed"] != false ||
			g["clientReference"] != "ref-1" || g["actionCode"] != "survey.done" || !strings.HasPrefix(g["id"].(string), "XT_") {
			t.Fatalf("grant %v", g)
		}
		again := a.expect(grant(uid, 12.50, "ref-1"), 200, "").obj(t)
		if again["id"] != g["id"] || again["replayed"] != true {
			t.Fatalf("replay %v", again)
		}
		a.expect(grant(uid, 13, "ref-1"), 409, "ERROR_CLIENT_REFERENCE_CONFLICT")
		a.expect(grant(other, 12.5, "ref-1"), 409, "ERROR_CLIENT_REFERENCE_CONFLICT")

		cases := []struct {
			name string
			body any
			code int
			err  string
		}{
			{"under $1", map[string]any{"userId": uid, "amount": 0.99, "actionCode": "a", "clientReference": "r2"}, 400, "ERROR_INVALID_PARAMETERS"},
			{"over $100", map[string]any{"userId": uid, "amount": 100.01, "actionCode": "a", "clientReference": "r2"}, 400, "ERROR_INVALID_PARAMETERS"},
			{"three decimals", map[string]any{"userId": uid, "amount": 1.005, "actionCode": "a", "clientReference": "r2"}, 400, "ERROR_INVALID_PARAMETERS"},
			{"amount missing", map[string]any{"userId": uid, "actionCode": "a", "clientReference": "r2"}, 400, "ERROR_INVALID_PARAMETERS"},
			{"amount as text", map[string]any{"userId": uid, "amount": "5", "actionCode": "a", "clientReference": "r2"}, 400, "ERROR_INVALID_PARAMETERS"},
			{"bad action code", map[string]any{"userId": uid, "amount": 5, "actionCode": "a b", "clientReference": "r2"}, 400, "ERROR_INVALID_PARAMETERS"},
			{"no client reference", map[string]any{"userId": uid, "amount": 5, "actionCode": "a"}, 400, "ERROR_INVALID_PARAMETERS"},
			{"no user", map[string]any{"amount": 5, "actionCode": "a", "clientReference": "r2"}, 400, "ERROR_INVALID_PARAMETERS"},
			{"unknown user", map[string]any{"userId": "nope", "amount": 5, "actionCode": "a", "clientReference": "r2"}, 404, "ERROR_USER_NOT_FOUND"},
			{"not JSON", "{", 400, "ERROR_INVALID_PARAMETERS"},
		}
		for _, tt := range cases {
			t.Run(tt.name, func(t *testing.T) {
				a := a.with(t)
				a.expect(a.do("POST", "/api/rewards/grant", c, tt.body), tt.code, tt.err)
			})
		}
		userTok := bearer(a.token(p, "user", uid))
		a.expect(a.do("POST", "/api/rewards/grant", userTok, map[string]any{"userId": uid, "amount": 5, "actionCode": "a", "clientReference": "r3"}), 403, "ERROR_NO_PERMISSIONS_TO_RESOURCE")

		// The same reference is free for another partner.
		p2 := a.partner()
		u2 := a.user(legacy(p2), "+15559100001")
		a.expect(a.do("POST", "/api/rewards/grant", legacy(p2), map[string]any{"userId": u2, "amount": 3, "actionCode": "a", "clientReference": "ref-1"}), 200, "")
		// Another partner's user is out of reach.
		a.expect(a.do("POST", "/api/rewards/grant", legacy(p2), map[string]any{"userId": uid, "amount": 3, "actionCode": "a", "clientReference": "ref-9"}), 403, "ERROR_NO_PERMISSIONS_TO_RESOURCE")

		// Lists: by id (a user token sees its own), confirmed, by phone.
		for _, cr := range []creds{c, userTok} {
			rs := a.rewards(cr, uid)
			if len(rs) != 1 || rs[0]["id"] != g["id"] || rs[0]["type"] != "Custom" || rs[0]["status"] != "Confirmed" || rs[0]["amount"] != 12.5 {
				t.Fatalf("rewards %v", rs)
			}
		}
		a.expect(a.do("GET", "/api/users/by-id/"+other+"/rewards", userTok, nil), 403, "ERROR_NO_PERMISSIONS_TO_RESOURCE")
		var byPhone []map[string]any
		a.expect(a.do("GET", "/api/users/by-phone/%2B15559100001/rewards", c, nil), 200, "").json(t, &byPhone)
		if len(byPhone) != 1 || byPhone[0]["id"] != g["id"] {
			t.Fatalf("rewards by phone %v", byPhone)
		}
		a.expect(a.do("GET", "/api/users/by-phone/555/rewards", c, nil), 400, "ERROR_INVALID_PARAMETERS")
		a.expect(a.do("GET", "/api/users/by-phone/%2B15559100009/rewards", c, nil), 404, "ERROR_USER_NOT_FOUND")
		a.expect(a.do("GET", "/api/users/by-id/nope/rewards/confirmed", c, nil), 404, "ERROR_USER_NOT_FOUND")
	})
}

func TestClaimAndPayouts(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		cfg := testConfig(s)
		cfg.Role = "api"
		a := startAppWith(t, cfg)
		p := a.partner()
		c := legacy(p)
		uid := a.user(c, "+15559200001")
		claimPath := "/api/users/by-id/" + uid + "/rewards/claim?product=amazon-us&language=en"
		a.expect(a.do("POST", claimPath, c, nil), 400, "ERROR_INVALID_PARAMETERS") // no campaign, no catalogue
		applyCampaign(t, s, campaignYAML(p.Partner.ID, "0.50"))
		a.expect(a.do("POST", claimPath, c, nil), 409, "ERROR_NO_CONFIRMED_REWARDS")
		a.expect(a.do("POST", "/api/users/by-id/"+uid+"/rewards/claim?product=nope", c, nil), 400, "ERROR_INVALID_PARAMETERS")
		a.expect(a.do("POST", "/api/users/by-id/"+uid+"/rewards/claim", c, nil), 400, "ERROR_INVALID_PARAMETERS")
		a.expect(a.do("POST", "/api/users/by-id/"+uid+"/rewards/claim?product=amazon-us&language=english!", c, nil), 400, "ERROR_INVALID_PARAMETERS")
		a.expect(a.do("POST", "/api/users/by-id/nope/rewards/claim?product=amazon-us", c, nil), 404, "ERROR_USER_NOT_FOUND")

		// A confirmed $0.50 mileage reward is under the threshold.
		vid := a.vehicle(c, uid, "1HGCM82633A004352", "Honda", 2003, "ABC123")
		m := a.expect(a.do("POST", "/api/vehicles/checkin/mileage", c, mileageBody(vid, "ABC123", 100, a.freshPhoto(c, uid, 1), a.freshPhoto(c, uid, 2))), 200, "").obj(t)
		a.expect(a.do("POST", "/api/admin/checkins/"+m["id"].(string)+"/decision", c, map[string]any{"status": "Confirmed"}), 200, "")
		a.expect(a.do("POST", claimPath, c, nil), 409, "ERROR_MINIMUM_REWARD_THRESHOLD_NOT_MET")

		// With a $1.25 grant the user claims $1.75 — with a user token, as the app would.
		a.expect(a.do("POST", "/api/rewards/grant", c, map[string]any{"userId": uid, "amount": 1.25, "actionCode": "a", "clientReference": "g1"}), 200, "")
		userTok := bearer(a.token(p, "user", uid))
		link := a.expect(a.do("POST", claimPath, userTok, nil), 200, "").obj(t)["rewardDeliveryLink"].(string)
		if !strings.HasPrefix(link, a.app.URL()+"/payouts/PO_") {
			t.Fatalf("delivery link %q", link)
		}
		a.expect(a.do("POST", claimPath, c, nil), 409, "ERROR_NO_CONFIRMED_REWARDS")
		rs := a.rewards(c, uid)
		var payoutID string
		for _, rw := range rs {
			if rw["status"] != "Claimed" || rw["payoutId"] == "" || (payoutID != "" && rw["payoutId"] != payoutID) {
				t.Fatalf("after the claim %v", rs)
			}
			payoutID = rw["payoutId"].(string)
		}
		for _, path := range []string{"/api/users/by-id/" + uid + "/payouts", "/api/users/by-phone/%2B15559200001/payouts"} {
			var pays []map[string]any
			a.expect(a.do("GET", path, c, nil), 200, "").json(t, &pays)
			if len(pays) != 1 || pays[0]["id"] != payoutID || pays[0]["amount"] != 1.75 || pays[0]["productId"] != "amazon-us" ||
				pays[0]["paymentReferenceLink"] != link || !strings.HasPrefix(pays[0]["paymentReferenceId"].(string), "MP-") || len(pays[0]["rewards"].([]any)) != 2 {
				t.Fatalf("%s: %v", path, pays)
			}
		}
		a.expect(a.do("GET", "/api/users/by-phone/%2B15559200009/payouts", c, nil), 404, "ERROR_USER_NOT_FOUND")

		// The delivery page, reached by its signed link (no credentials), shows product and amount.
		page := a.do("GET", link, nil, nil)
		if page.status != 200 || !strings.Contains(string(page.body), "Amazon.com Gift Card") || !strings.Contains(string(page.body), "$1.75") ||
			!strings.HasPrefix(page.header.Get("Content-Type"), "text/html") {
			t.Fatalf("delivery page %d %s", page.status, page.body)
		}
		if r := a.do("GET", strings.Replace(link, "signature=", "signature=0", 1), nil, nil); r.status != 403 {
			t.Fatalf("tampered link %d", r.status)
		}
		if r := a.do("GET", "/payouts/"+payoutID, nil, nil); r.status != 403 {
			t.Fatalf("unsigned link %d", r.status)
		}
		ledgerOK(t, s)
	})
}

// TestClaimRace sends 50 concurrent claims for one user: exactly one payout is made.
func TestClaimRace(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		a := startApp(t, s)
		p := a.partner()
		c := legacy(p)
		applyCampaign(t, s, campaignYAML(p.Partner.ID, "2.00"))
		uid := a.user(c, "+15559300001")
		for i := range 5 {
			a.expect(a.do("POST", "/api/rewards/grant", c, map[string]any{"userId": uid, "amount": 1.11, "actionCode": "a", "clientReference": fmt.Sprint("race-", i)}), 200, "")
		}
		const n = 50
		statuses := make([]int, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				req, _ := http.NewRequest("POST", a.app.URL()+"/api/users/by-id/"+uid+"/rewards/claim?product=amazon-us", nil)
				for k, v := range c {
					req.Header.Set(k, v)
				}
				res, err := a.client.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				statuses[i] = res.StatusCode
			}()
		}
		close(start)
		wg.Wait()
		okCount, conflicts := 0, 0
		for _, st := range statuses {
			switch st {
			case 200:
				okCount++
			case 409:
				conflicts++
			}
		}
		if okCount != 1 || conflicts != n-1 {
			t.Fatalf("claims answered %v: %d ok, %d conflicts", statuses, okCount, conflicts)
		}
		var pays []map[string]any
		a.expect(a.do("GET", "/api/users/by-id/"+uid+"/payouts", c, nil), 200, "").json(t, &pays)
		if len(pays) != 1 || pays[0]["amount"] != 5.55 || len(pays[0]["rewards"].([]any)) != 5 {
			t.Fatalf("payouts %v", pays)
		}
		ledgerOK(t, s)
	})
}

// switchProvider is a payout provider a test can make fail or stall.
type switchProvider struct {
	mu    sync.Mutex
	fail  bool
	stall chan struct{} // when set, CreatePayout waits for it to close
	calls int
}

func (p *switchProvider) CreatePayout(_ context.Context, req milepost.PayoutRequest) (milepost.PayoutResult, error) {
	p.mu.Lock()
	p.calls++
	fail, stall := p.fail, p.stall
	p.stall = nil
	p.mu.Unlock()
	if stall != nil {
		<-stall
	}
	if fail {
		return milepost.PayoutResult{}, fmt.Errorf("gift card service unavailable")
	}
	return milepost.PayoutResult{ReferenceID: "GC-" + req.PayoutID, Link: "https://gifts.example.com/" + req.PayoutID}, nil
}

func (p *switchProvider) set(fail bool, stall chan struct{}) {
	p.mu.Lock()
	p.fail, p.stall = fail, stall
	p.mu.Unlock()
}

func TestPayoutProviderFailure(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		provider := &switchProvider{fail: true}
		cfg := testConfig(s)
		cfg.Role = "api"
		a := startAppWith(t, cfg, func(app *App) { app.PayoutProvider = provider })
		p := a.partner()
		c := legacy(p)
		applyCampaign(t, s, campaignYAML(p.Partner.ID, "2.00"))
		uid := a.user(c, "+15559400001")
		a.expect(a.do("POST", "/api/rewards/grant", c, map[string]any{"userId": uid, "amount": 7, "actionCode": "a", "clientReference": "f1"}), 200, "")
		claim := "/api/users/by-id/" + uid + "/rewards/claim?product=charity-redcross"

		// The provider fails: 503, and the rewards are Confirmed and claimable again.
		a.expect(a.do("POST", claim, c, nil), 503, "ERROR_CLAIMING_REWARDS")
		if rs := a.rewards(c, uid); len(rs) != 1 || rs[0]["status"] != "Confirmed" || rs[0]["payoutId"] != "" {
			t.Fatalf("after a provider failure %v", rs)
		}
		var pays []map[string]any
		a.expect(a.do("GET", "/api/users/by-id/"+uid+"/payouts", c, nil), 200, "").json(t, &pays)
		if len(pays) != 0 {
			t.Fatalf("a failed payout is listed: %v", pays)
		}
		ledgerOK(t, s)

		// The provider is back: the same rewards are paid once.
		provider.set(false, nil)
		link := a.expect(a.do("POST", claim, c, nil), 200, "").obj(t)["rewardDeliveryLink"]
		if !strings.HasPrefix(link.(string), "https://gifts.example.com/PO_") {
			t.Fatalf("link %v", link)
		}
		ledgerOK(t, s)

		// A claim whose process stalls after recording the payout is finished by reconciliation
		// (the job a crash would leave), and the stalled call then changes nothing.
		a.expect(a.do("POST", "/api/rewards/grant", c, map[string]any{"userId": uid, "amount": 2, "actionCode": "a", "clientReference": "f2"}), 200, "")
		stall := make(chan struct{})
		provider.set(false, stall)
		done := make(chan response, 1)
		go func() { done <- a.do("POST", claim, c, nil) }()
		first := pays0(t, a, c, uid)
		var pending string
		deadline := time.Now().Add(10 * time.Second)
		for pending == "" {
			for _, rw := range a.rewards(c, uid) {
				if rw["status"] == "Claimed" && rw["payoutId"] != first {
					pending = rw["payoutId"].(string)
				}
			}
			if time.Now().After(deadline) {
				t.Fatal("the stalled claim did not record its payout")
			}
			time.Sleep(10 * time.Millisecond)
		}
		if err := a.app.rewards.ReconcilePayout(context.Background(), pending); err != nil {
			t.Fatalf("reconcile: %v", err)
		}
		close(stall)
		if r := <-done; r.status != 200 {
			t.Fatalf("stalled claim answered %d %s", r.status, r.body)
		}
		a.expect(a.do("GET", "/api/users/by-id/"+uid+"/payouts", c, nil), 200, "").json(t, &pays)
		if len(pays) != 2 || pays[0]["id"] != pending || pays[0]["amount"] != 2.0 || pays[0]["paymentReferenceId"] != "GC-"+pending {
			t.Fatalf("payouts after reconciliation %v", pays)
		}
		// Reconciling a payout that is complete asks the provider nothing.
		calls := provider.calls
		if err := a.app.rewards.ReconcilePayout(context.Background(), pending); err != nil || provider.calls != calls {
			t.Fatalf("reconcile of a completed payout: %v, %d provider calls", err, provider.calls-calls)
		}
		ledgerOK(t, s)
	})
}

// pays0 returns the id of the user's newest completed payout ("" without one).
func pays0(t *testing.T, a *testApp, c creds, uid string) string {
	t.Helper()
	var pays []map[string]any
	a.expect(a.do("GET", "/api/users/by-id/"+uid+"/payouts", c, nil), 200, "").json(t, &pays)
	if len(pays) == 0 {
		return ""
	}
	return pays[0]["id"].(string)
}
