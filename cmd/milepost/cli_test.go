package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/milepost/milepost/milepostest"
)

// runCLI runs the command words (e.g. "partner", "create") in-process with the store flags of s
// followed by args.
func runCLI(t *testing.T, s milepostest.Store, words []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	full := append(append(append([]string{}, words...), "--data-dir", s.DataDir, "--database-url", s.URL, "--log-level", "warn"), args...)
	code = Main(context.Background(), full, &out, &errb)
	return code, out.String(), errb.String()
}

func TestCLIPartners(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		code, out, errs := runCLI(t, s, []string{"partner", "create"}, "--name", "Acme Insurance")
		if code != 0 {
			t.Fatalf("partner create: %d %s", code, errs)
		}
		var created map[string]string
		if err := json.Unmarshal([]byte(out), &created); err != nil || created["partnerId"] == "" || created["clientId"] == "" || !strings.HasPrefix(created["clientSecret"], "mps_") {
			t.Fatalf("partner create printed %q", out)
		}
		code, out, _ = runCLI(t, s, []string{"partner", "list"})
		if code != 0 || !strings.Contains(out, "Acme Insurance") || !strings.Contains(out, created["partnerId"]) || strings.Contains(out, created["clientSecret"]) {
			t.Fatalf("partner list: %d %q", code, out)
		}
		if code, _, errs := runCLI(t, s, []string{"partner", "create"}); code != 2 || !strings.Contains(errs, "--name") {
			t.Fatalf("partner create without name: %d %q", code, errs)
		}
		if code, _, _ := runCLI(t, s, []string{"partner", "delete"}); code != 2 {
			t.Fatalf("unknown subcommand exit %d", code)
		}
		code, out, errs = runCLI(t, s, []string{"partner", "configure"}, "--id", created["partnerId"], "--mileage-cadence-days", "7", "--policy-dates-optional", "true")
		if code != 0 || !strings.Contains(out, `"mileage": 7`) || !strings.Contains(out, `"condition": 90`) || !strings.Contains(out, `"policyDatesOptional": true`) {
			t.Fatalf("partner configure: %d %q %q", code, out, errs)
		}
		if code, _, _ := runCLI(t, s, []string{"partner", "configure"}, "--id", created["partnerId"], "--condition-cadence-days", "99999"); code != 1 {
			t.Fatalf("out-of-range cadence: exit %d", code)
		}
		if code, _, _ := runCLI(t, s, []string{"partner", "configure"}, "--id", "nope", "--mileage-cadence-days", "1"); code != 1 {
			t.Fatalf("unknown partner: exit %d", code)
		}
		// The credentials work against a server on the same store.
		a := startApp(t, s)
		p := creds{"partnerId": created["partnerId"], "clientId": created["clientId"], "clientSecret": created["clientSecret"]}
		a.expect(a.do("GET", "/api/users", p, nil), 200, "")
	})
}

func TestCLIMigrate(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		code, out, errs := runCLI(t, s, []string{"migrate"})
		if code != 0 || !strings.Contains(out, "applied ") || strings.Contains(out, "applied 0") {
			t.Fatalf("migrate: %d %q %q", code, out, errs)
		}
		code, out, _ = runCLI(t, s, []string{"migrate"})
		if code != 0 || !strings.Contains(out, "applied 0 migration") {
			t.Fatalf("second migrate: %d %q", code, out)
		}
	})
}

func TestServeRefusesOutdatedSchemaWithoutMigrate(t *testing.T) {
	s := milepostest.Stores(t)[0]
	cfg := testConfig(s)
	cfg.Migrate = false
	app := NewApp(cfg, nil, &bytes.Buffer{})
	app.log = newLogger(&Config{LogLevel: "error", LogFormat: "text"}, &bytes.Buffer{})
	err := app.Open(context.Background())
	app.Close()
	if err == nil || !strings.Contains(err.Error(), "milepost migrate") {
		t.Fatalf("Open on an empty store without --migrate: %v", err)
	}
}

func TestCLIImportPlates(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		dir := t.TempDir()
		good := filepath.Join(dir, "good.csv")
		os.WriteFile(good, []byte("state,plate,vin,make,model,year\nTX,ABC 123,1G4AH59H45G118341,Buick,LeSabre,2005\nca,xyz-9,1HGCM82633A004352,,,\n"), 0o600)
		code, out, errs := runCLI(t, s, []string{"vehicles", "import-plates"}, good)
		if code != 0 || !strings.Contains(out, `"imported": 2`) {
			t.Fatalf("import: %d %q %q", code, out, errs)
		}
		bad := filepath.Join(dir, "bad.csv")
		os.WriteFile(bad, []byte("state,plate,vin\nTX,OK1,1HGCM82633A004352\nZZ,BAD1,1HGCM82633A004352\nTX,BAD2,1HGCM82634A004352\nTX,OK1,1HGCM82633A004352\n"), 0o600)
		code, _, errs = runCLI(t, s, []string{"vehicles", "import-plates"}, bad)
		if code != 1 || !strings.Contains(errs, "line 3") || !strings.Contains(errs, "line 4") || !strings.Contains(errs, "line 5") || !strings.Contains(errs, "not imported") {
			t.Fatalf("bad file: %d %q", code, errs)
		}
		// Nothing of the bad file was imported: OK1 is unknown.
		a := startApp(t, s)
		c := legacy(a.partner())
		a.user(c, "+15557000001")
		a.expect(a.do("POST", "/api/vehicles/create/by-license", c, map[string]any{"phone": "+15557000001", "licensePlate": "OK1", "state": "TX"}), 404, "ERROR_VEHICLE_NOT_FOUND")
		a.expect(a.do("POST", "/api/vehicles/create/by-license", c, map[string]any{"phone": "+15557000001", "licensePlate": "XYZ9", "state": "CA"}), 200, "")
		noHeader := filepath.Join(dir, "noheader.csv")
		os.WriteFile(noHeader, []byte("TX,ABC,1G4AH59H45G118341\n"), 0o600)
		if code, _, errs := runCLI(t, s, []string{"vehicles", "import-plates"}, noHeader); code != 2 || !strings.Contains(errs, "line 1") {
			t.Fatalf("no header: %d %q", code, errs)
		}
		if code, _, _ := runCLI(t, s, []string{"vehicles", "import-plates"}, filepath.Join(dir, "missing.csv")); code != 1 {
			t.Fatalf("missing file: exit %d", code)
		}
	})
}

func TestCLIUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Main(context.Background(), []string{"help"}, &out, &errb); code != 0 || !strings.Contains(out.String(), "MILEPOST_DATABASE_URL") {
		t.Fatalf("help: %d %q", code, out.String())
	}
	if code := Main(context.Background(), []string{"frobnicate"}, &out, &errb); code != 2 {
		t.Fatalf("unknown command: exit %d", code)
	}
	if code := Main(context.Background(), []string{"serve", "--max-upload-bytes", "5"}, &out, &errb); code != 2 {
		t.Fatalf("bad flag value: exit %d", code)
	}
	if code := Main(context.Background(), []string{"serve", "--no-such-flag"}, &out, &errb); code != 2 {
		t.Fatalf("unknown flag: exit %d", code)
	}
}

// TestServeGracefulShutdown runs `milepost serve` as the binary would and stops it the way
// SIGINT/SIGTERM do (context cancellation), checking it answered and then exited cleanly.
func TestServeGracefulShutdown(t *testing.T) {
	s := milepostest.Stores(t)[0]
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, []string{"serve", "--addr", addr, "--data-dir", s.DataDir, "--log-level", "warn"}, &out, &errb)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for {
		res, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			res.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not come up: %v; %s", err, errb.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d: %s", code, errb.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not shut down")
	}
	if _, err := os.Stat(filepath.Join(s.DataDir, "milepost.db")); err != nil {
		t.Fatalf("no SQLite file in the data dir: %v", err)
	}
}

func TestCLIReviewerAdd(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		code, out, errs := runCLI(t, s, []string{"partner", "create"}, "--name", "Acme")
		var p map[string]string
		if code != 0 || json.Unmarshal([]byte(out), &p) != nil {
			t.Fatalf("partner create: %d %q %q", code, out, errs)
		}
		code, out, errs = runCLI(t, s, []string{"reviewer", "add"}, "--partner", p["partnerId"], "--email", "Rita@Example.com")
		var r map[string]string
		if code != 0 || json.Unmarshal([]byte(out), &r) != nil || r["email"] != "rita@example.com" || len(r["password"]) < 20 || len(r) != 2 {
			t.Fatalf("reviewer add: %d %q %q", code, out, errs)
		}
		if code, _, errs := runCLI(t, s, []string{"reviewer", "add"}, "--partner", p["partnerId"], "--email", "rita@example.com"); code != 1 || !strings.Contains(errs, "already exists") {
			t.Fatalf("duplicate reviewer: %d %q", code, errs)
		}
		if code, _, _ := runCLI(t, s, []string{"reviewer", "add"}, "--partner", p["partnerId"]); code != 2 {
			t.Fatalf("no --email: exit %d", code)
		}
		if code, _, _ := runCLI(t, s, []string{"reviewer", "remove"}); code != 2 {
			t.Fatalf("unknown subcommand: exit %d", code)
		}
	})
}
