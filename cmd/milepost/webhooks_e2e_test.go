package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/milepost/milepost/milepostest"
	"github.com/milepost/milepost/webhook"
)

// receiver is a partner's webhook endpoint: it verifies every signature and records the events;
// while down it answers 503.
type receiver struct {
	srv *httptest.Server

	mu      sync.Mutex
	secret  string
	down    bool
	hits    int                       // requests received, down or not
	events  map[string]map[string]any // by event id, accepted only
	dupes   int                       // an accepted event received again
	badSigs []string
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{events: map[string]map[string]any{}}
	rc.srv = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.hits++
	if rc.down {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	if err := webhook.Verify(rc.secret, r.Header.Get(webhook.HeaderSignature), body, time.Now(), 0); err != nil {
		rc.badSigs = append(rc.badSigs, err.Error())
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	var ev map[string]any
	if err := json.Unmarshal(body, &ev); err != nil || ev["type"] != r.Header.Get(webhook.HeaderEvent) {
		rc.badSigs = append(rc.badSigs, "bad body or event header: "+string(body))
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	id := ev["id"].(string)
	if _, seen := rc.events[id]; seen {
		rc.dupes++
	}
	rc.events[id] = ev
	w.WriteHeader(http.StatusNoContent)
}

func (rc *receiver) set(secret string, down bool) {
	rc.mu.Lock()
	rc.secret, rc.down = secret, down
	rc.mu.Unlock()
}

// wait polls until cond holds on the received events (under the lock).
func (rc *receiver) wait(t *testing.T, what string, cond func(events map[string]map[string]any, hits int) bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		rc.mu.Lock()
		done := cond(rc.events, rc.hits)
		rc.mu.Unlock()
		if done {
			return
		}
		if time.Now().After(deadline) {
			rc.mu.Lock()
			defer rc.mu.Unlock()
			t.Fatalf("timed out waiting for %s: %d hits, events %v", what, rc.hits, rc.events)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// byType counts events by type, and status-changed events by check-in type and status.
func byType(events map[string]map[string]any) map[string]int {
	n := map[string]int{}
	for _, ev := range events {
		n[ev["type"].(string)]++
		if ev["type"] == "checkin.status_changed" {
			d := ev["data"].(map[string]any)
			n[d["checkInType"].(string)+":"+d["status"].(string)]++
		}
	}
	return n
}

func fastBackoff(app *App) {
	app.JobBackoff = func(int) time.Duration { return 100 * time.Millisecond }
}

func TestWebhooks(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		rc := newReceiver(t)
		a := startAppWith(t, testConfig(s), fastBackoff)
		p := a.partner()
		c := legacy(p)

		// The admin API: add, list, remove; bad input.
		ep := a.expect(a.do("POST", "/api/webhooks", c, map[string]any{"url": rc.srv.URL + "/hooks"}), 200, "").obj(t)
		secret, _ := ep["secret"].(string)
		if !strings.HasPrefix(secret, "whsec_") || ep["url"] != rc.srv.URL+"/hooks" || ep["active"] != true || len(ep["events"].([]any)) != 3 {
			t.Fatalf("endpoint %v", ep)
		}
		rc.set(secret, true) // the receiver is down
		for _, bad := range []any{map[string]any{"url": "ftp://x.example.com/"}, map[string]any{"url": "/relative"}, map[string]any{}, map[string]any{"url": "https://u:p@x.example.com/"}, "["} {
			a.expect(a.do("POST", "/api/webhooks", c, bad), 400, "ERROR_INVALID_PARAMETERS")
		}
		uid := a.user(c, "+15559500001")
		userTok := bearer(a.token(p, "user", uid))
		a.expect(a.do("POST", "/api/webhooks", userTok, map[string]any{"url": rc.srv.URL}), 403, "ERROR_NO_PERMISSIONS_TO_RESOURCE")
		a.expect(a.do("GET", "/api/webhooks", userTok, nil), 403, "ERROR_NO_PERMISSIONS_TO_RESOURCE")
		code, out, errs := runCLI(t, s, []string{"webhook", "add"}, "--partner", p.Partner.ID, "--url", "https://hooks.example.com/milepost")
		var added map[string]any
		if code != 0 || json.Unmarshal([]byte(out), &added) != nil || !strings.HasPrefix(added["secret"].(string), "whsec_") {
			t.Fatalf("webhook add: exit %d %q %q", code, out, errs)
		}
		if code, _, _ := runCLI(t, s, []string{"webhook", "add"}, "--partner", p.Partner.ID, "--url", "nope"); code != 1 {
			t.Fatalf("webhook add with a bad URL: exit %d", code)
		}
		if code, _, _ := runCLI(t, s, []string{"webhook", "add"}, "--partner", p.Partner.ID); code != 2 {
			t.Fatalf("webhook add without --url: exit %d", code)
		}
		var list []map[string]any
		a.expect(a.do("GET", "/api/webhooks", c, nil), 200, "").json(t, &list)
		if len(list) != 2 || list[0]["secret"] != nil || list[1]["id"] != added["id"] {
			t.Fatalf("endpoints %v", list)
		}
		other := legacy(a.partner())
		a.expect(a.do("DELETE", "/api/webhooks/"+added["id"].(string), other, nil), 403, "ERROR_NO_PERMISSIONS_TO_RESOURCE")
		a.expect(a.do("DELETE", "/api/webhooks/"+added["id"].(string), c, nil), 204, "")
		a.expect(a.do("DELETE", "/api/webhooks/"+added["id"].(string), c, nil), 404, "")
		a.expect(a.do("GET", "/api/webhooks/nope/deliveries", c, nil), 404, "")
		a.expect(a.do("GET", "/api/webhooks/"+ep["id"].(string)+"/deliveries?limit=x", c, nil), 400, "ERROR_INVALID_PARAMETERS")

		// Events of every kind while the receiver is down.
		applyCampaign(t, s, campaignYAML(p.Partner.ID, "2.00"))
		vid := a.vehicle(c, uid, "1HGCM82633A004352", "Honda", 2003, "ABC123")
		m := a.expect(a.do("POST", "/api/vehicles/checkin/mileage", c, mileageBody(vid, "ABC123", 100, a.freshPhoto(c, uid, 1), a.freshPhoto(c, uid, 2))), 200, "").obj(t)
		ph := map[string]string{}
		for i, angle := range []string{"Front", "Back", "DriverSide", "PassengerSide"} {
			ph[angle] = a.freshPhoto(c, uid, 10+i)
		}
		cond := a.expect(a.do("POST", "/api/vehicles/checkin/condition", c, map[string]any{"vehicleId": vid, "photos": angles(ph)}), 200, "").obj(t)
		poa := a.expect(a.do("POST", "/api/users/checkin/proof-of-address", c, map[string]any{
			"userId": uid, "documentType": "UtilityBill", "latitude": 30.26, "longitude": -97.74, "addressType": "Apartment",
			"address": map[string]any{"addressLine1": "1 Main St", "city": "Austin", "state": "TX", "country": "US", "zip": "73301"},
			"photos":  []map[string]any{{"url": a.freshPhoto(c, uid, 20), "type": "FrontView"}}}), 200, "").obj(t)
		a.waitStatus(c, "/api/vehicles/checkin/mileage/"+m["id"].(string), "Confirmed")
		a.waitStatus(c, "/api/vehicles/checkin/condition/"+cond["id"].(string), "Confirmed")
		a.waitStatus(c, "/api/users/checkin/proof-of-address/"+poa["id"].(string), "Confirmed")
		a.expect(a.do("POST", "/api/rewards/grant", c, map[string]any{"userId": uid, "amount": 1, "actionCode": "a", "clientReference": "w1"}), 200, "")
		a.expect(a.do("POST", "/api/users/by-id/"+uid+"/rewards/claim?product=amazon-us", c, nil), 200, "")

		// Each delivery has been tried and failed; nothing was lost.
		rc.wait(t, "failed attempts", func(_ map[string]map[string]any, hits int) bool { return hits >= 20 })
		var ds []map[string]any
		a.expect(a.do("GET", "/api/webhooks/"+ep["id"].(string)+"/deliveries", c, nil), 200, "").json(t, &ds)
		// 6 status changes, 4 reward.confirmed (3 check-ins and the grant), 1 payout.created.
		if len(ds) != 11 {
			t.Fatalf("%d deliveries, want 11: %v", len(ds), ds)
		}
		failed := 0
		for _, d := range ds {
			if d["status"] != "pending" && d["status"] != "delivered" {
				t.Fatalf("delivery %v", d)
			}
			if d["attempts"].(float64) >= 1 && d["lastStatusCode"] == float64(503) && d["lastError"] != "" {
				failed++
			}
		}
		if failed == 0 {
			t.Fatalf("no delivery shows a failed attempt: %v", ds)
		}

		// The receiver comes back: everything arrives, signed, once.
		rc.set(secret, false)
		rc.wait(t, "every event", func(events map[string]map[string]any, _ int) bool { return len(events) == 11 })
		n := byType(rc.events)
		want := map[string]int{"checkin.status_changed": 6, "reward.confirmed": 4, "payout.created": 1,
			"Mileage:Pending": 1, "Mileage:Confirmed": 1, "Condition:Pending": 1, "Condition:Confirmed": 1, "ProofOfAddress:Pending": 1, "ProofOfAddress:Confirmed": 1}
		for k, v := range want {
			if n[k] != v {
				t.Fatalf("received %v, want %v", n, want)
			}
		}
		if len(rc.badSigs) != 0 || rc.dupes != 0 {
			t.Fatalf("bad signatures %v, duplicates %d", rc.badSigs, rc.dupes)
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			a.expect(a.do("GET", "/api/webhooks/"+ep["id"].(string)+"/deliveries?limit=5", c, nil), 200, "").json(t, &ds)
			all := len(ds) == 5
			for _, d := range ds {
				all = all && d["status"] == "delivered" && d["lastStatusCode"] == float64(204) && d["deliveredAt"] != ""
			}
			if all {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("deliveries %v", ds)
			}
			time.Sleep(20 * time.Millisecond)
		}
		// Another partner sees nothing of these.
		a.expect(a.do("GET", "/api/webhooks/"+ep["id"].(string)+"/deliveries", other, nil), 403, "ERROR_NO_PERMISSIONS_TO_RESOURCE")
	})
}

// TestWebhookEventsSurviveRestart writes events on a server without workers, stops it, and
// starts one with workers on the same store: the events, kept in the outbox, are delivered.
func TestWebhookEventsSurviveRestart(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		rc := newReceiver(t)
		cfg := testConfig(s)
		cfg.Role = "api"
		a := startAppWith(t, cfg)
		p := a.partner()
		c := legacy(p)
		ep := a.expect(a.do("POST", "/api/webhooks", c, map[string]any{"url": rc.srv.URL}), 200, "").obj(t)
		rc.set(ep["secret"].(string), false)
		uid := a.user(c, "+15559600001")
		for i, ref := range []string{"r1", "r2", "r3"} {
			a.expect(a.do("POST", "/api/rewards/grant", c, map[string]any{"userId": uid, "amount": i + 1, "actionCode": "a", "clientReference": ref}), 200, "")
		}
		a.stop()
		if len(rc.events) != 0 {
			t.Fatalf("a server without workers delivered %v", rc.events)
		}

		cfg.Role = "all"
		startAppWith(t, cfg, fastBackoff)
		rc.wait(t, "the events written before the restart", func(events map[string]map[string]any, _ int) bool { return len(events) == 3 })
		amounts := map[float64]bool{}
		for _, ev := range rc.events {
			amounts[ev["data"].(map[string]any)["amount"].(float64)] = true
		}
		if !amounts[1] || !amounts[2] || !amounts[3] || len(rc.badSigs) != 0 {
			t.Fatalf("events %v, bad signatures %v", rc.events, rc.badSigs)
		}
	})
}
