package main

// Fault tests of issue 8 (see docs/operations.md): the server killed with SIGKILL under a write
// load, PostgreSQL stopped and started under the server, and the data directory's filesystem
// full. Each is bounded in time and runs on loopback only. The principle they check: infra
// failure is a 503 in the dialect's own error format with Retry-After (never a 500, a panic or a
// hang), the server recovers by itself once the infra is back, and nothing acknowledged is lost.

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/milepost/milepost/milepostest"
)

// TestFaultKillUnderLoad kills `milepost serve` with SIGKILL while clients create mileage
// check-ins, restarts it on the same data, and checks that every check-in answered 2xx before the
// kill is there and gets verified, and that the database is intact.
func TestFaultKillUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server binary")
	}
	bin := buildMilepost(t)
	for _, s := range milepostest.Stores(t) {
		t.Run(s.Name, func(t *testing.T) { killUnderLoad(t, bin, s) })
	}
}

func killUnderLoad(t *testing.T, bin string, s milepostest.Store) {
	flags := []string{"--data-dir", s.DataDir}
	if s.URL != "" {
		flags = append(flags, "--database-url", s.URL)
	}
	serve := append([]string{"--webhook-allow-private"}, flags...)
	p := startServerProc(t, bin, serve...)
	c := p.demoCreds(t)
	client := &http.Client{Timeout: 10 * time.Second}
	rc := newReceiver(t)
	ep := mustCall(t, client, "POST", p.url+"/api/webhooks", c, map[string]any{"url": rc.srv.URL + "/hooks"}, 200)
	rc.set(ep["secret"].(string), false)

	// One user and vehicle per client goroutine, so each raises its own mileage in order.
	const clients = 8
	type rig struct{ vid, lic, odo string }
	rigs := make([]rig, clients)
	for i := range rigs {
		u := mustCall(t, client, "POST", p.url+"/api/users", c, map[string]any{
			"firstName": "Kim", "lastName": "Fault", "phone": fmt.Sprintf("+1555771%04d", i), "address": map[string]any{"state": "CA"}}, 200)
		uid := u["id"].(string)
		v := mustCall(t, client, "POST", p.url+"/api/vehicles/create/by-vin", c, map[string]any{
			"userId": uid, "vin": faultVIN(t, 100+i), "make": "Honda", "model": "Accord", "year": 2003, "licensePlate": fmt.Sprintf("KIL%03d", i), "state": "CA"}, 200)
		photo := func(seed int) string {
			data := milepostest.PhotoJPEG(t, milepostest.PhotoOptions{TakenAt: time.Now(), Offset: "+00:00", Make: "Apple", Model: "iPhone 15", Seed: seed})
			return mustCall(t, client, "POST", p.url+"/api/photo/upload", c, photoBody(uid, data), 200)["photoUrl"].(string)
		}
		rigs[i] = rig{vid: v["id"].(string), lic: photo(1000 + 2*i), odo: photo(1001 + 2*i)}
	}

	var (
		mu        sync.Mutex
		acked     = map[string]float64{} // check-in id → mileage, for every 2xx
		badBefore []string               // non-2xx answers while the server was alive
		killed    = make(chan struct{})
		wg        sync.WaitGroup
	)
	for i, r := range rigs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 1; ; n++ {
				select {
				case <-killed:
					return
				default:
				}
				res, err := callRaw(client, "POST", p.url+"/api/vehicles/checkin/mileage", c,
					mileageBody(r.vid, fmt.Sprintf("KIL%03d", i), 1000+10*n, r.lic, r.odo))
				if err != nil {
					return // the server is gone: this request's fate is unknown, and that is allowed
				}
				if res.status/100 != 2 {
					select {
					case <-killed: // answered while dying; not acknowledged
					default:
						mu.Lock()
						badBefore = append(badBefore, fmt.Sprintf("%d %s", res.status, res.body))
						mu.Unlock()
					}
					continue
				}
				var m map[string]any
				if err := json.Unmarshal(res.body, &m); err != nil || m["id"] == nil {
					mu.Lock()
					badBefore = append(badBefore, fmt.Sprintf("2xx without an id: %s", res.body))
					mu.Unlock()
					continue
				}
				mu.Lock()
				acked[m["id"].(string)] = m["mileage"].(float64)
				mu.Unlock()
			}
		}()
	}
	// Kill once the load is well under way: enough acknowledged writes, or 4 s.
	deadline := time.Now().Add(4 * time.Second)
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 80 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	pid := p.cmd.Process.Pid
	p.kill(t)
	close(killed)
	wg.Wait()
	if len(badBefore) > 0 {
		t.Fatalf("%d non-2xx answers under load before the kill, first: %s", len(badBefore), badBefore[0])
	}
	if len(acked) < 8 {
		t.Fatalf("only %d check-ins acknowledged before the kill; the load did not run", len(acked))
	}
	t.Logf("%s: %d check-ins acknowledged before SIGKILL", s.Name, len(acked))

	// Verification jobs the dead process had claimed stay leased to it for the lease (5 min)
	// before any worker takes them again. Play that time forward: expire the dead worker's leases.
	db, _ := openStoreDB(t, s.DataDir, s.URL)
	host, _ := os.Hostname()
	worker := fmt.Sprintf("%s:%d", host, pid) // the runner's id is host:pid or host:pid:random
	res, err := db.Exec(rebindFor(s.URL, "UPDATE jobs SET locked_until = 0 WHERE state = 'running' AND (locked_by = ? OR locked_by LIKE ?)"), worker, worker+":%")
	if err != nil {
		t.Fatalf("expire the dead worker's leases: %v", err)
	}
	expired, _ := res.RowsAffected()
	t.Logf("%s: %d job leases of the killed worker expired", s.Name, expired)

	p2 := startServerProc(t, bin, serve...)
	if strings.Contains(p2.stdout.String(), "demo partner") {
		t.Fatalf("the restart created another demo partner: %s", p2.stdout.String())
	}
	// Every acknowledged check-in is there, with its mileage, and gets verified.
	for id, mileage := range acked {
		m := mustCall(t, client, "GET", p2.url+"/api/vehicles/checkin/mileage/"+id, c, nil, 200)
		if m["mileage"] != mileage {
			t.Fatalf("check-in %s has mileage %v after the restart, acknowledged %v", id, m["mileage"], mileage)
		}
	}
	pending := map[string]bool{}
	for id := range acked {
		pending[id] = true
	}
	decided := map[string]string{} // check-in id → its final status
	wait := time.Now().Add(45 * time.Second)
	for len(pending) > 0 {
		for id := range pending {
			m := mustCall(t, client, "GET", p2.url+"/api/vehicles/checkin/mileage/"+id, c, nil, 200)
			if st := m["checkInStatus"].(string); st != "Pending" {
				decided[id] = st
				delete(pending, id)
			}
		}
		if len(pending) == 0 {
			break
		}
		if time.Now().After(wait) {
			t.Fatalf("%d of %d acknowledged check-ins still Pending 45 s after the restart", len(pending), len(acked))
		}
		time.Sleep(200 * time.Millisecond)
	}
	// Every decision reached the partner's webhook (at least once: a delivery cut by the kill
	// is sent again).
	rc.wait(t, "a checkin.status_changed event for every decision", func(events map[string]map[string]any, _ int) bool {
		seen := map[string]bool{}
		for _, ev := range events {
			if d, ok := ev["data"].(map[string]any); ok && ev["type"] == "checkin.status_changed" && d["status"] == decided[fmt.Sprint(d["checkinId"])] {
				seen[fmt.Sprint(d["checkinId"])] = true
			}
		}
		return len(seen) == len(decided)
	})
	rc.mu.Lock()
	badSigs := rc.badSigs
	rc.mu.Unlock()
	if len(badSigs) > 0 {
		t.Fatalf("webhook deliveries with bad signatures or bodies: %v", badSigs)
	}
	// No verification job is left behind.
	var left int
	if err := db.QueryRow("SELECT COUNT(*) FROM jobs WHERE kind = 'verify_checkin' AND state IN ('available', 'running')").Scan(&left); err != nil {
		t.Fatalf("count jobs: %v", err)
	}
	p2.terminate(t)
	if left != 0 {
		t.Errorf("%d verification jobs still queued after every check-in was decided", left)
	}

	// The store is intact: SQLite's own checks, and the reward ledger's invariants.
	if s.URL == "" {
		sqliteIntegrity(t, s.DataDir)
	}
	out, err := exec.Command(bin, append([]string{"ledger", "check"}, flags...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("milepost ledger check: %v\n%s", err, out)
	}
}

// rebindFor turns ? placeholders into $n for PostgreSQL (url set).
func rebindFor(url, q string) string {
	if url == "" {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// unavailable503 checks that r is a 503 with Retry-After; the caller checks the body's format.
func unavailable503(t *testing.T, what string, r rawResponse, err error, took time.Duration) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: no answer while the dependency is down: %v (after %v)", what, err, took)
	}
	if r.status != http.StatusServiceUnavailable {
		t.Fatalf("%s: status %d, want 503: %s", what, r.status, r.body)
	}
	if r.header.Get("Retry-After") == "" {
		t.Fatalf("%s: 503 without Retry-After", what)
	}
	if took > 10*time.Second {
		t.Fatalf("%s: the 503 took %v", what, took)
	}
}

// checkDialect503 checks a 503 in each dialect's own error format.
func checkDialect503(t *testing.T, dialect string, r rawResponse) {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("%s: 503 body is not JSON: %s", dialect, r.body)
	}
	switch dialect {
	case "ownli":
		if m["error_code"] != "ERROR_SERVICE_UNAVAILABLE" || m["error_message"] == "" {
			t.Fatalf("ownli 503 body %s", r.body)
		}
	case "jifeline":
		if ct := r.header.Get("Content-Type"); ct != "application/problem+json" || m["status"] != float64(503) ||
			m["title"] == "" || m["detail"] == "" || !strings.HasPrefix(fmt.Sprint(m["type"]), "tag:milepost") {
			t.Fatalf("jifeline 503 (%s) body %s", ct, r.body)
		}
	case "tight":
		errs, _ := m["error"].([]any)
		if m["result"] != "FAILURE" || len(errs) != 1 || errs[0].(map[string]any)["message"] == "" {
			t.Fatalf("tight 503 body %s", r.body)
		}
	}
}

// TestFaultPostgresRestart stops the PostgreSQL server under a running App (and a light write
// load), checks that every dialect answers 503 in its own format, starts PostgreSQL again and
// checks that the App recovers by itself: ready, writes accepted, verification resumed.
func TestFaultPostgresRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster")
	}
	pg := startThrowawayPG(t)
	s := milepostest.Store{Name: "postgres", URL: pg.url, DataDir: t.TempDir()}
	a := startAppWith(t, testConfig(s), func(app *App) {
		app.JobBackoff = func(int) time.Duration { return 200 * time.Millisecond }
	})
	client := &http.Client{Timeout: 15 * time.Second}
	p := a.partner()
	c := legacy(p)
	uid := a.user(c, "+15557720001")
	vid := a.vehicle(c, uid, faultVIN(t, 7), "Honda", 2003, "PGR001")
	lic, odo := a.freshPhoto(c, uid, 11), a.freshPhoto(c, uid, 12)
	first := a.expect(a.do("POST", "/api/vehicles/checkin/mileage", c, mileageBody(vid, "PGR001", 1000, lic, odo)), 200, "").obj(t)
	a.waitStatus(c, "/api/vehicles/checkin/mileage/"+first["id"].(string), "Confirmed")
	jif := a.jifelineToken(p)
	tight := a.tightToken(p, uid)
	cold := a.partner() // never used before the outage
	base := a.app.URL()

	// A light write load across the outage, on its own vehicle: every answer is 2xx or 503.
	loadUser := a.user(c, "+15557720002")
	loadVID := a.vehicle(c, loadUser, faultVIN(t, 8), "Honda", 2003, "PGR002")
	llic, lodo := a.freshPhoto(c, loadUser, 13), a.freshPhoto(c, loadUser, 14)
	var (
		mu     sync.Mutex
		acked  []string
		counts = map[int]int{}
		bad    []string
		stop   = make(chan struct{})
		wg     sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for n := 1; ; n++ {
			select {
			case <-stop:
				return
			default:
			}
			start := time.Now()
			r, err := callRaw(client, "POST", base+"/api/vehicles/checkin/mileage", c, mileageBody(loadVID, "PGR002", 1000+n, llic, lodo))
			mu.Lock()
			switch {
			case err != nil:
				bad = append(bad, fmt.Sprintf("transport error after %v: %v", time.Since(start), err))
			case r.status == 200:
				var m map[string]any
				_ = json.Unmarshal(r.body, &m)
				acked = append(acked, fmt.Sprint(m["id"]))
			case r.status == 503 && r.header.Get("Retry-After") != "":
			default:
				bad = append(bad, fmt.Sprintf("%d: %s", r.status, r.body))
			}
			counts[r.status]++
			mu.Unlock()
			time.Sleep(20 * time.Millisecond)
		}
	}()
	time.Sleep(300 * time.Millisecond)

	pg.stop(t)
	downAt := time.Now()
	// /readyz turns 503 at once: the pool's connections are gone.
	r, err := callRaw(client, "GET", base+"/readyz", nil, nil)
	if err != nil || r.status != 503 {
		t.Fatalf("readyz with PostgreSQL down: %v %d %s", err, r.status, r.body)
	}
	check := func(dialect, method, path string, cr creds, body any) {
		t.Helper()
		start := time.Now()
		r, err := callRaw(client, method, base+path, cr, body)
		unavailable503(t, dialect+" "+method+" "+path, r, err, time.Since(start))
		checkDialect503(t, dialect, r)
	}
	check("ownli", "GET", "/api/vehicles/"+vid+"/checkins/mileage", c, nil)
	check("ownli", "POST", "/api/vehicles/checkin/mileage", c, mileageBody(vid, "PGR001", 1100, lic, odo))
	check("ownli", "POST", "/api/users", c, map[string]any{"firstName": "Ann", "lastName": "Lee", "phone": "+15557720009", "address": map[string]any{"state": "CA"}})
	check("jifeline", "POST", "/v2/vehicles/odometer-registrations", jif, registration(faultVIN(t, 7), 1000))
	check("jifeline", "GET", "/v2/vehicles/odometer-registrations?vin="+faultVIN(t, 7), jif, nil)
	check("tight", "POST", "/v6/mileage/cars", tight, map[string]any{"data": []map[string]any{{"name": "Down car", "isPrimary": false}}})
	check("tight", "GET", "/v6/mileage/cars/car_unknown", tight, nil)
	// Credentials the server has not cached, and new tokens, need the database too: 503, not 401.
	check("ownli", "GET", "/api/vehicles/"+vid+"/checkins/mileage", legacy(cold), nil)
	check("jifeline", "POST", "/oauth2/token", nil, url.Values{"grant_type": {"client_credentials"},
		"client_id": {cold.Partner.ClientID}, "client_secret": {cold.ClientSecret}})
	check("tight", "POST", "/v6/auth/token", creds{"Authorization": "Basic " +
		base64.StdEncoding.EncodeToString([]byte(cold.Partner.ClientID+":"+cold.ClientSecret))}, url.Values{"grant_type": {"client_credentials"}})
	time.Sleep(500 * time.Millisecond) // let the load and the workers meet the outage

	pg.start(t)
	t.Logf("PostgreSQL was down for %v", time.Since(downAt))
	// The App recovers without a restart.
	deadline := time.Now().Add(30 * time.Second)
	for {
		r, err := callRaw(client, "GET", base+"/readyz", nil, nil)
		if err == nil && r.status == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("readyz not 200 30 s after PostgreSQL came back: %v %d %s", err, r.status, r.body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // some load after the recovery
	close(stop)
	wg.Wait()
	if len(bad) > 0 {
		t.Fatalf("answers under load other than 200 or 503+Retry-After: %d, first: %s (all: %v)", len(bad), bad[0], counts)
	}
	t.Logf("load answers across the outage: %v", counts)
	if counts[503] == 0 {
		t.Errorf("the load never met the outage (answers %v)", counts)
	}

	a.expect(a.do("GET", "/api/vehicles/"+vid+"/checkins/mileage", c, nil), 200, "")
	lic2, odo2 := a.freshPhoto(c, uid, 15), a.freshPhoto(c, uid, 16)
	after := a.expect(a.do("POST", "/api/vehicles/checkin/mileage", c, mileageBody(vid, "PGR001", 1001, lic2, odo2)), 200, "").obj(t)
	a.waitStatus(c, "/api/vehicles/checkin/mileage/"+after["id"].(string), "Confirmed") // workers resumed
	a.problemOK(a.do("POST", "/v2/vehicles/odometer-registrations", jif, registration(faultVIN(t, 7), 1000)))
	a.tight(a.do("POST", "/v6/mileage/cars", tight, map[string]any{"data": []map[string]any{{"name": "Back car", "isPrimary": false}}}), 200, "SUCCESS", "", "")
	// Nothing acknowledged was lost, and the acknowledged load check-ins get verified too.
	for _, id := range acked {
		a.waitDecided(c, "/api/vehicles/checkin/mileage/"+id)
	}
}

// problemOK checks a 2xx answer of the Jifeline dialect.
func (a *testApp) problemOK(r response) {
	a.t.Helper()
	if r.status/100 != 2 {
		a.t.Fatalf("status %d, want 2xx: %s", r.status, r.body)
	}
}

// TestFaultDiskFull runs the server with its data directory (SQLite file and photos) on a small
// tmpfs, fills it, and checks that uploads and writes fail cleanly with 503 (never 500), that
// the server works again once space is freed, and that nothing acknowledged was lost.
func TestFaultDiskFull(t *testing.T) {
	dir := mountTmpfs(t, "16m")
	s := milepostest.Store{Name: "sqlite", DataDir: dir}
	a := startAppWith(t, testConfig(s), func(app *App) {
		app.JobBackoff = func(int) time.Duration { return 200 * time.Millisecond }
	})
	a.client.Timeout = 15 * time.Second
	p := a.partner()
	c := legacy(p)
	uid := a.user(c, "+15557730001")
	vid := a.vehicle(c, uid, faultVIN(t, 9), "Honda", 2003, "DSK001")
	lic, odo := a.freshPhoto(c, uid, 21), a.freshPhoto(c, uid, 22)
	before := a.expect(a.do("POST", "/api/vehicles/checkin/mileage", c, mileageBody(vid, "DSK001", 1000, lic, odo)), 200, "").obj(t)
	a.waitStatus(c, "/api/vehicles/checkin/mileage/"+before["id"].(string), "Confirmed")
	jif := a.jifelineToken(p)
	acked := []string{before["id"].(string)}

	filler := fillDisk(t, dir)
	photo := milepostest.PhotoJPEG(t, milepostest.PhotoOptions{TakenAt: time.Now(), Offset: "+00:00", Make: "Apple", Model: "iPhone 15", Seed: 23})
	start := time.Now()
	r, err := callRaw(a.client, "POST", a.app.URL()+"/api/photo/upload", c, photoBody(uid, photo))
	unavailable503(t, "photo upload on a full disk", r, err, time.Since(start))
	checkDialect503(t, "ownli", r)
	if !strings.Contains(string(r.body), "full") {
		t.Errorf("the 503 does not say storage is full: %s", r.body)
	}
	counts := map[string]int{}
	// Database writes: SQLite may still find room in pages it already has, so 200 is fine; a
	// failure must be a 503 in the dialect's format.
	for i := 0; i < 20; i++ {
		r, err := callRaw(a.client, "POST", a.app.URL()+"/api/vehicles/checkin/mileage", c, mileageBody(vid, "DSK001", 1001+i, lic, odo))
		if err != nil {
			t.Fatalf("check-in on a full disk: %v", err)
		}
		counts[fmt.Sprintf("checkin %d", r.status)]++
		switch r.status {
		case 200:
			var m map[string]any
			_ = json.Unmarshal(r.body, &m)
			acked = append(acked, fmt.Sprint(m["id"]))
		case 503:
			unavailable503(t, "check-in on a full disk", r, nil, 0)
			checkDialect503(t, "ownli", r)
		default:
			t.Fatalf("check-in on a full disk: %d %s", r.status, r.body)
		}
		r, err = callRaw(a.client, "POST", a.app.URL()+"/v2/vehicles/odometer-registrations", jif, registration(faultVIN(t, 9), float64(1000+i)))
		if err != nil {
			t.Fatalf("registration on a full disk: %v", err)
		}
		counts[fmt.Sprintf("registration %d", r.status)]++
		if r.status == 503 {
			unavailable503(t, "registration on a full disk", r, nil, 0)
			checkDialect503(t, "jifeline", r)
		} else if r.status/100 != 2 {
			t.Fatalf("registration on a full disk: %d %s", r.status, r.body)
		}
	}
	t.Logf("answers on a full disk: %v", counts)
	r, err = callRaw(a.client, "GET", a.app.URL()+"/api/vehicles/"+vid+"/checkins/mileage", c, nil)
	if err != nil || r.status != 200 {
		t.Fatalf("reads on a full disk: %v %d %s", err, r.status, r.body)
	}

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	// Space is back: the same requests succeed without a restart.
	lic2, odo2 := a.freshPhoto(c, uid, 24), a.freshPhoto(c, uid, 25)
	after := a.expect(a.do("POST", "/api/vehicles/checkin/mileage", c, mileageBody(vid, "DSK001", 1021, lic2, odo2)), 200, "").obj(t)
	acked = append(acked, after["id"].(string))
	a.waitStatus(c, "/api/vehicles/checkin/mileage/"+after["id"].(string), "Confirmed")
	for _, id := range acked {
		a.waitDecided(c, "/api/vehicles/checkin/mileage/"+id)
	}
	a.stop()
	sqliteIntegrity(t, dir)
}
