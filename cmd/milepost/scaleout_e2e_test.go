package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/blob"
	"github.com/milepost/milepost/milepostest"
	"github.com/milepost/milepost/webhook"
)

// The scale-out test's load: mileage check-ins (one vehicle each) and condition check-ins.
const (
	scaleMileage   = 40
	scaleCondition = 6
)

// TestScaleOut runs Milepost as it runs at scale: two API nodes and two workers sharing one
// PostgreSQL schema and one S3 bucket prefix, and nothing else (each node has its own empty data
// directory). Check-ins and uploads go through both API nodes alternately, half of them before
// any worker runs; then every check-in is verified exactly once, every webhook event delivered
// exactly once, and photos and signed links issued by one node work on the other.
func TestScaleOut(t *testing.T) {
	if testing.Short() {
		t.Skip("the scale-out test runs four nodes and 46 verifications; skipped with -short")
	}
	pgBase := requiredEnv(t, milepostest.EnvDatabaseURL, "PostgreSQL")
	s3URL := requiredEnv(t, "MILEPOST_TEST_S3_URL", "an S3 server (scripts/setup-s3.sh)")
	ctx := context.Background()
	dbURL := milepostest.PostgresSchema(t, pgBase)
	blobURL, bucket := s3TestPrefix(t, s3URL)
	rc := newCountingReceiver(t)
	lb := newBalancer(t) // the load balancer the API nodes' public URL names

	nodeConfig := func(role string) Config {
		cfg := testConfig(milepostest.Store{Name: "postgres", URL: dbURL, DataDir: t.TempDir()})
		cfg.Role, cfg.BlobURL, cfg.PublicURL, cfg.Workers = role, blobURL, lb.srv.URL, 4
		return cfg
	}

	// The API nodes start at once on an empty schema: both migrate, create the demo partner and
	// the signing keys, and check the bucket.
	api := startNodes(t, nodeConfig("api"), nodeConfig("api"))
	lb.setTargets(api[0].base, api[1].base)
	for i, n := range api {
		if n.app.Workers != nil {
			t.Fatalf("API node %d runs workers", i+1)
		}
	}
	a1, a2 := api[0], api[1]
	p := a1.partner()
	c := legacy(p)
	ep := a2.expect(a2.do("POST", a2.base+"/api/webhooks", c, map[string]any{"url": rc.srv.URL + "/hooks"}), 200, "").obj(t)
	rc.setSecret(ep["secret"].(string))
	var users []string
	for i := range 4 {
		n := api[i%2]
		users = append(users, n.user(c, fmt.Sprintf("+1555970%04d", i)))
	}

	// Photos and files uploaded through one node are served, and signed, by the other: the bytes
	// are in S3, the metadata and the link-signing key in PostgreSQL.
	t.Run("uploads across nodes", func(t *testing.T) {
		photo := milepostest.PhotoJPEG(t, milepostest.PhotoOptions{TakenAt: time.Now(), Offset: "+00:00", Make: "Apple", Model: "iPhone 15", Seed: 9999})
		up := a1.expect(a1.do("POST", a1.base+"/api/photo/upload", c, photoBody(users[0], photo)), 200, "").obj(t)
		photoURL, photoID := up["photoUrl"].(string), up["id"].(string)
		if !strings.HasPrefix(photoURL, lb.srv.URL+"/") {
			t.Fatalf("photoUrl %s is not under the public URL %s", photoURL, lb.srv.URL)
		}
		got := a2.expect(a2.do("GET", a2.at(photoURL), c, nil), 200, "")
		if !bytes.Equal(got.body, photo) {
			t.Fatal("node 2 served other bytes than node 1 stored")
		}
		link := a1.expect(a1.do("GET", a1.base+"/api/photos/"+photoID+"/signed-url", c, nil), 200, "").obj(t)["url"].(string)
		for _, n := range api {
			if got := n.expect(n.do("GET", n.at(link), nil, nil), 200, ""); !bytes.Equal(got.body, photo) {
				t.Fatal("signed photo link served other bytes")
			}
		}
		// A token issued by node 2 is accepted by node 1.
		tok := bearer(a2.expect(a2.do("POST", a2.base+"/api/auth/token", nil, map[string]any{
			"clientId": p.Partner.ClientID, "clientSecret": p.ClientSecret, "partnerId": p.Partner.ID, "scope": "user", "userId": users[0],
		}), 200, "").obj(t)["access_token"].(string))
		a1.expect(a1.do("GET", a1.at(photoURL), tok, nil), 200, "")

		doc := []byte("%PDF-1.4\n% milepost scale-out test\n%%EOF\n")
		file := a2.expect(a2.do("POST", a2.base+"/api/file/upload", c, map[string]any{
			"userId": users[1], "name": "doc.pdf", "file": base64.StdEncoding.EncodeToString(doc)}), 200, "").obj(t)
		fileLink := a2.expect(a2.do("GET", a2.base+"/api/files/"+file["id"].(string)+"/signed-url", c, nil), 200, "").obj(t)["url"].(string)
		if got := a1.expect(a1.do("GET", a1.at(fileLink), nil, nil), 200, ""); !bytes.Equal(got.body, doc) {
			t.Fatal("signed file link served other bytes on node 1")
		}
		if got := a1.expect(a1.do("GET", a1.at(file["fileUrl"].(string)), c, nil), 200, ""); !bytes.Equal(got.body, doc) {
			t.Fatal("node 1 served other file bytes")
		}
		// Through the load balancer, whichever node answers.
		for range 2 {
			if got := a1.expect(a1.do("GET", link, nil, nil), 200, ""); !bytes.Equal(got.body, photo) {
				t.Fatal("signed link through the balancer served other bytes")
			}
		}
	})

	// Half the check-ins are created before any worker runs: they wait in the queue.
	var checkins []scaleCheckin
	var mu sync.Mutex
	add := func(ck scaleCheckin) {
		mu.Lock()
		checkins = append(checkins, ck)
		mu.Unlock()
	}
	createCheckins(t, api, users, c, 0, scaleMileage/2, 0, scaleCondition/2, add)
	db := openSchema(t, dbURL)
	if n := queryInt(t, db, "SELECT COUNT(*) FROM checkins WHERE status <> 'Pending'"); n != 0 {
		t.Fatalf("%d check-ins decided with only API nodes running", n)
	}
	if n := queryInt(t, db, "SELECT COUNT(*) FROM jobs WHERE state <> 'available' OR attempt <> 0"); n != 0 {
		t.Fatalf("%d jobs were claimed with only API nodes running", n)
	}
	if hits := rc.total(); hits != 0 {
		t.Fatalf("%d webhooks sent with only API nodes running", hits)
	}

	// The workers start together and drain the queue while the rest is created. Who holds the
	// running jobs meanwhile shows that both take part.
	stopSampling := sampleJobHolders(t, db)
	workers := startNodes(t, nodeConfig("worker"), nodeConfig("worker"))
	for i, w := range workers {
		if w.app.Workers == nil || w.app.Partner != nil || w.app.Console != nil {
			t.Fatalf("worker node %d: workers %v, API %v", i+1, w.app.Workers != nil, w.app.Partner != nil)
		}
		for _, path := range []string{"/api/users/" + users[0], "/api/photos/x", "/v2/vehicles/x/odometer-registrations", "/v6/trips", "/console/"} {
			w.expect(w.do("GET", w.base+path, c, nil), 404, "")
		}
		w.expect(w.do("POST", w.base+"/api/photo/upload", c, map[string]any{}), 404, "")
		w.expect(w.do("GET", w.base+"/healthz", nil, nil), 200, "")
		w.expect(w.do("GET", w.base+"/readyz", nil, nil), 200, "")
	}
	createCheckins(t, api, users, c, scaleMileage/2, scaleMileage, scaleCondition/2, scaleCondition, add)
	if t.Failed() {
		t.FailNow()
	}
	total := scaleMileage + scaleCondition
	if len(checkins) != total {
		t.Fatalf("created %d check-ins, want %d", len(checkins), total)
	}

	// Every check-in is decided; every job and delivery settles.
	waitFor(t, 3*time.Minute, "every check-in decided and every job done", func() (bool, string) {
		pending := queryInt(t, db, "SELECT COUNT(*) FROM checkins WHERE status = 'Pending'")
		open := queryInt(t, db, "SELECT COUNT(*) FROM jobs WHERE state IN ('available', 'running')")
		return pending == 0 && open == 0, fmt.Sprintf("%d pending check-ins, %d open jobs", pending, open)
	})
	holders := stopSampling()
	if len(holders) < 2 {
		t.Errorf("jobs were seen running on %d workers (%v), want both", len(holders), holders)
	}
	t.Logf("jobs seen running on workers %v", holders)
	// A late duplicate delivery would arrive now.
	time.Sleep(300 * time.Millisecond)

	t.Run("verified exactly once", func(t *testing.T) {
		decisions := map[string]int{}
		rows, err := db.QueryContext(ctx, "SELECT checkin_id, COUNT(*) FROM checkin_transitions WHERE from_status = 'Pending' AND actor_kind = $1 GROUP BY checkin_id", string(milepost.ByEngine))
		if err == nil {
			err = scanCounts(rows, decisions)
		}
		if err != nil {
			t.Fatal(err)
		}
		runs := map[string]int{}
		rows, err = db.QueryContext(ctx, "SELECT payload, state, attempt FROM jobs WHERE kind = $1", milepost.JobVerifyCheckin)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var payload, state string
			var attempt int
			if err := rows.Scan(&payload, &state, &attempt); err != nil {
				t.Fatal(err)
			}
			var pl milepost.VerifyCheckinPayload
			if err := json.Unmarshal([]byte(payload), &pl); err != nil {
				t.Fatal(err)
			}
			runs[pl.CheckinID]++
			if state != "done" || attempt != 1 {
				t.Errorf("verification job of %s: state %s after %d attempts, want done after 1", pl.CheckinID, state, attempt)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		statuses := map[string]int{}
		for i, ck := range checkins {
			if decisions[ck.id] != 1 || runs[ck.id] != 1 {
				t.Errorf("%s check-in %s: %d decisions by the engine, %d verification jobs; want 1 and 1", ck.kind, ck.id, decisions[ck.id], runs[ck.id])
			}
			// Both API nodes read the decision.
			n := api[i%2]
			st := n.expect(n.do("GET", n.base+"/api/vehicles/checkin/"+ck.kind+"/"+ck.id, c, nil), 200, "").obj(t)["checkInStatus"].(string)
			if st == "Pending" {
				t.Errorf("check-in %s still Pending on API node %d", ck.id, i%2+1)
			}
			statuses[st]++
		}
		if len(decisions) != total || len(runs) != total {
			t.Errorf("%d check-ins decided and %d verification jobs, want %d of each", len(decisions), len(runs), total)
		}
		t.Logf("outcomes: %v", statuses)
	})

	t.Run("webhooks delivered exactly once", func(t *testing.T) {
		want := map[string]bool{}
		rows, err := db.QueryContext(ctx, "SELECT event_id, status, attempts FROM webhook_deliveries WHERE endpoint_id = $1", ep["id"])
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var id, status string
			var attempts int
			if err := rows.Scan(&id, &status, &attempts); err != nil {
				t.Fatal(err)
			}
			want[id] = true
			if status != milepost.DeliveryDelivered || attempts != 1 {
				t.Errorf("delivery of event %s: %s after %d attempts, want delivered after 1", id, status, attempts)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rc.mu.Lock()
		defer rc.mu.Unlock()
		if len(rc.bad) != 0 {
			t.Errorf("receiver refused %d requests: %v", len(rc.bad), rc.bad)
		}
		statusChanged := 0
		for id, n := range rc.count {
			if n != 1 {
				t.Errorf("event %s received %d times", id, n)
			}
			if !want[id] {
				t.Errorf("event %s received but not in the outbox", id)
			}
			if rc.types[id] == milepost.EventCheckinStatusChanged {
				statusChanged++
			}
		}
		for id := range want {
			if rc.count[id] == 0 {
				t.Errorf("event %s never received", id)
			}
		}
		// Each check-in: created Pending, then decided.
		if statusChanged != 2*total || rc.hits != len(want) {
			t.Errorf("received %d requests for %d events (%d status changes, want %d)", rc.hits, len(want), statusChanged, 2*total)
		}
	})

	t.Run("blobs only in S3", func(t *testing.T) {
		objects := s3Objects(t, blobURL)
		uploads := queryInt(t, db, "SELECT COUNT(DISTINCT sha256) FROM uploads")
		if objects == 0 || objects != uploads {
			t.Errorf("%d objects in the bucket %s, want one per distinct upload (%d)", objects, bucket, uploads)
		}
		for _, n := range append(api, workers...) {
			entries, err := os.ReadDir(filepath.Join(n.app.cfg.DataDir, "blobs"))
			if err == nil && len(entries) > 0 {
				t.Errorf("a node kept blobs in its data directory: %v", entries)
			}
		}
	})
}

// scaleCheckin is a check-in the test created: its API kind (mileage or condition) and id.
type scaleCheckin struct{ kind, id string }

// node is an App of the scale-out test and its own address (its App.URL is the balancer's).
type node struct {
	*testApp
	base string
}

// at rewrites a URL under the public (balancer) URL to this node's address.
func (n *node) at(publicURL string) string {
	u, err := url.Parse(publicURL)
	if err != nil {
		n.t.Fatal(err)
	}
	return n.base + u.RequestURI()
}

// startNodes opens an App for each config at the same time, as nodes of a deployment start,
// then runs them until the test ends.
func startNodes(t *testing.T, cfgs ...Config) []*node {
	t.Helper()
	apps := make([]*App, len(cfgs))
	errs := make([]error, len(cfgs))
	var wg sync.WaitGroup
	for i, cfg := range cfgs {
		if err := cfg.ValidateServe(); err != nil {
			t.Fatalf("config: %v", err)
		}
		log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
		apps[i] = NewApp(cfg, log, io.Discard)
		fastBackoff(apps[i])
		wg.Go(func() { errs[i] = apps[i].Open(context.Background()) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			for _, a := range apps {
				a.Close()
			}
			t.Fatalf("open node %d (%s): %v", i+1, cfgs[i].Role, err)
		}
	}
	nodes := make([]*node, len(apps))
	for i, app := range apps {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- app.Run(ctx) }()
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("run node %d: %v", i+1, err)
			}
			app.Close()
		})
		ta := &testApp{t: t, app: app, client: &http.Client{Timeout: 60 * time.Second}, stdout: &bytes.Buffer{}}
		nodes[i] = &node{testApp: ta, base: "http://" + app.listener.Addr().String()}
	}
	return nodes
}

// createCheckins creates mileage check-ins [m0, m1) and condition check-ins [c0, c1) from 8
// goroutines. Check-in i's photos are uploaded through one API node and the check-in created
// through the other, its vehicle through either.
func createCheckins(t *testing.T, api []*node, users []string, c creds, m0, m1, c0, c1 int, add func(scaleCheckin)) {
	t.Helper()
	type task struct {
		kind string
		i    int
	}
	tasks := make(chan task)
	go func() {
		defer close(tasks)
		for i := m0; i < m1; i++ {
			tasks <- task{"mileage", i}
		}
		for i := c0; i < c1; i++ {
			tasks <- task{"condition", i}
		}
	}()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for tk := range tasks {
				if err := createCheckin(t, api, users, c, tk.kind, tk.i, add); err != nil {
					t.Errorf("%s check-in %d: %v", tk.kind, tk.i, err)
				}
			}
		})
	}
	wg.Wait()
}

func createCheckin(t *testing.T, api []*node, users []string, c creds, kind string, i int, add func(scaleCheckin)) error {
	up, in := api[i%2], api[(i+1)%2]
	uid := users[i%len(users)]
	serial := i
	if kind == "condition" {
		serial = 1000 + i
	}
	plate := fmt.Sprintf("SO%04d", serial)
	var v map[string]any
	if err := send(in, "POST", "/api/vehicles/create/by-vin", c, map[string]any{
		"userId": uid, "vin": hondaVIN(t, 500+serial), "make": "Honda", "model": "Accord", "year": 2003, "licensePlate": plate, "state": "CA",
	}, &v); err != nil {
		return err
	}
	vid, _ := v["id"].(string)
	photo := func(seed int) (string, error) {
		data := milepostest.PhotoJPEG(t, milepostest.PhotoOptions{TakenAt: time.Now(), Offset: "+00:00", Make: "Apple", Model: "iPhone 15", Seed: seed})
		var r map[string]any
		if err := send(up, "POST", "/api/photo/upload", c, photoBody(uid, data), &r); err != nil {
			return "", err
		}
		return r["photoUrl"].(string), nil
	}
	var body map[string]any
	if kind == "mileage" {
		license, err := photo(10 * serial)
		if err != nil {
			return err
		}
		odometer, err := photo(10*serial + 1)
		if err != nil {
			return err
		}
		body = mileageBody(vid, plate, 1000+i, license, odometer)
	} else {
		ph := map[string]string{}
		for k, angle := range []string{"Front", "Back", "DriverSide", "PassengerSide"} {
			u, err := photo(10*serial + k)
			if err != nil {
				return err
			}
			ph[angle] = u
		}
		body = map[string]any{"vehicleId": vid, "photos": angles(ph)}
	}
	var r map[string]any
	if err := send(in, "POST", "/api/vehicles/checkin/"+kind, c, body, &r); err != nil {
		return err
	}
	id, _ := r["id"].(string)
	if id == "" {
		return fmt.Errorf("no id in %v", r)
	}
	add(scaleCheckin{kind: kind, id: id})
	return nil
}

// send is a request to a node that may run on any goroutine: it returns an error (for anything
// but a 200) instead of failing the test, and decodes the JSON answer into out.
func send(n *node, method, path string, c creds, body any, out any) error {
	enc, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequest(method, n.base+path, bytes.NewReader(enc))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range c {
		req.Header.Set(k, v)
	}
	res, err := n.client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: status %d: %s", method, path, res.StatusCode, b)
	}
	return json.Unmarshal(b, out)
}

// requiredEnv returns the variable name, skipping the test when it is unset, except under
// CI=true, where the test command always sets it and a skip would hide a broken setup.
func requiredEnv(t *testing.T, name, what string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is unset but CI=true: the test command must provide %s", name, what)
		}
		t.Skipf("%s is unset: the scale-out test needs %s", name, what)
	}
	return v
}

// s3TestPrefix returns the S3 URL with a prefix of its own for this test (its objects are
// removed when it ends) and the bucket's name.
func s3TestPrefix(t *testing.T, raw string) (string, string) {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal("MILEPOST_TEST_S3_URL is not a URL")
	}
	q := u.Query()
	q.Set("prefix", q.Get("prefix")+fmt.Sprintf("scaleout-%d-%d/", os.Getpid(), time.Now().UnixNano()))
	u.RawQuery = q.Encode()
	cfg, err := blob.ParseS3URL(u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		client, prefix := s3Client(t, u.String())
		ctx := context.Background()
		for obj := range client.ListObjects(ctx, cfg.Bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
			if obj.Err != nil {
				t.Logf("clean up the test's objects: %v", obj.Err)
				return
			}
			if err := client.RemoveObject(ctx, cfg.Bucket, obj.Key, minio.RemoveObjectOptions{}); err != nil {
				t.Logf("clean up %s: %v", obj.Key, err)
			}
		}
	})
	return u.String(), cfg.Bucket
}

// s3Client is a plain S3 client for the store at raw, for the test to look into the bucket,
// and the store's object prefix.
func s3Client(t *testing.T, raw string) (*minio.Client, string) {
	t.Helper()
	cfg, err := blob.ParseS3URL(raw)
	if err != nil {
		t.Fatal(err)
	}
	client, err := minio.New(cfg.Endpoint, &minio.Options{Creds: credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure: cfg.TLS, Region: cfg.Region, BucketLookup: minio.BucketLookupPath})
	if err != nil {
		t.Fatal(err)
	}
	return client, cfg.Prefix
}

// s3Objects counts the objects under the store's prefix.
func s3Objects(t *testing.T, raw string) int {
	t.Helper()
	cfg, err := blob.ParseS3URL(raw)
	if err != nil {
		t.Fatal(err)
	}
	client, prefix := s3Client(t, raw)
	n := 0
	for obj := range client.ListObjects(context.Background(), cfg.Bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if obj.Err != nil {
			t.Fatal(obj.Err)
		}
		n++
	}
	return n
}

// openSchema opens the test's PostgreSQL schema for the test's own queries.
func openSchema(t *testing.T, dbURL string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func queryInt(t *testing.T, db *sql.DB, query string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func scanCounts(rows *sql.Rows, into map[string]int) error {
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return err
		}
		into[k] = n
	}
	return rows.Err()
}

// sampleJobHolders records, until the returned function is called, which workers hold running
// jobs (the claim's locked_by), and returns the set.
func sampleJobHolders(t *testing.T, db *sql.DB) func() map[string]bool {
	holders := map[string]bool{}
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
			rows, err := db.Query("SELECT DISTINCT locked_by FROM jobs WHERE state = 'running'")
			if err != nil {
				t.Errorf("sample running jobs: %v", err)
				return
			}
			for rows.Next() {
				var w string
				if rows.Scan(&w) == nil {
					holders[w] = true
				}
			}
			rows.Close()
		}
	}()
	return func() map[string]bool {
		close(stop)
		<-done
		return holders
	}
}

// waitFor polls cond until it holds, failing with its last description after d.
func waitFor(t *testing.T, d time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		ok, state := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s: %s", what, state)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// countingReceiver is a webhook endpoint that counts every signed delivery per event id, so a
// duplicate shows as a count of 2.
type countingReceiver struct {
	srv    *httptest.Server
	secret atomic.Value // string

	mu    sync.Mutex
	hits  int
	count map[string]int    // deliveries per event id
	types map[string]string // event type per id
	bad   []string
}

func newCountingReceiver(t *testing.T) *countingReceiver {
	rc := &countingReceiver{count: map[string]int{}, types: map[string]string{}}
	rc.secret.Store("")
	rc.srv = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *countingReceiver) setSecret(s string) { rc.secret.Store(s) }

func (rc *countingReceiver) total() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.hits
}

func (rc *countingReceiver) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.hits++
	if err := webhook.Verify(rc.secret.Load().(string), r.Header.Get(webhook.HeaderSignature), body, time.Now(), 0); err != nil {
		rc.bad = append(rc.bad, err.Error())
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	var ev struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	}
	if err := json.Unmarshal(body, &ev); err != nil || ev.ID == "" {
		rc.bad = append(rc.bad, "bad body: "+string(body))
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	rc.count[ev.ID]++
	rc.types[ev.ID] = ev.Type
	w.WriteHeader(http.StatusNoContent)
}

// balancer is a round-robin reverse proxy over the API nodes: the public URL they share.
type balancer struct {
	srv     *httptest.Server
	mu      sync.Mutex
	targets []*url.URL
	next    int
}

func newBalancer(t *testing.T) *balancer {
	b := &balancer{}
	proxy := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		b.mu.Lock()
		target := b.targets[b.next%len(b.targets)]
		b.next++
		b.mu.Unlock()
		r.SetURL(target)
		r.Out.Host = r.In.Host // the nodes see the public host, as behind a real balancer
	}}
	b.srv = httptest.NewServer(proxy)
	t.Cleanup(b.srv.Close)
	return b
}

func (b *balancer) setTargets(bases ...string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range bases {
		u, _ := url.Parse(s)
		b.targets = append(b.targets, u)
	}
}
