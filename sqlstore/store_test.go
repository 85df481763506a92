package sqlstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/milepostest"
	"github.com/milepost/milepost/sqlstore"
	"github.com/milepost/milepost/vin"
)

// openDB opens and migrates a fresh store for s.
func openDB(t *testing.T, s milepostest.Store) *sqlstore.DB { return openDBB(t, s) }

// openDBB is openDB for tests and benchmarks.
func openDBB(t testing.TB, s milepostest.Store) *sqlstore.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, sqlstore.Config{URL: s.URL, DataDir: s.DataDir})
	if err != nil {
		t.Fatalf("open %s store: %v", s.Name, err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

func newPartner(t *testing.T, db *sqlstore.DB) (*milepost.PartnerCredentials, milepost.Actor) {
	return newPartnerB(t, db)
}

func newPartnerB(t testing.TB, db *sqlstore.DB) (*milepost.PartnerCredentials, milepost.Actor) {
	t.Helper()
	creds, err := db.Partners().CreatePartner(context.Background(), "Partner "+t.Name())
	if err != nil {
		t.Fatalf("create partner: %v", err)
	}
	return creds, milepost.Actor{PartnerID: creds.Partner.ID, Scope: milepost.ScopeAdmin}
}

func newUser(t *testing.T, db *sqlstore.DB, a milepost.Actor, phone string) *milepost.User {
	t.Helper()
	u, _, err := db.Users().CreateUser(context.Background(), a, milepost.NewUser{
		FirstName: "Ann", LastName: "Lee", Phone: phone, Address: &milepost.Address{State: "CA"},
	}, milepost.CreateUserOptions{})
	if err != nil {
		t.Fatalf("create user: %v", err)
	}
	return u
}

func wantCode(t *testing.T, err error, code, reason string) {
	t.Helper()
	if milepost.ErrorCode(err) != code || (reason != "" && milepost.ErrorReason(err) != reason) {
		t.Fatalf("got error %v, want code %s reason %s", err, code, reason)
	}
}

func TestMigrations(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		ctx := context.Background()
		db, err := sqlstore.Open(ctx, sqlstore.Config{URL: s.URL, DataDir: s.DataDir})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.CheckSchema(ctx); err == nil {
			t.Fatal("CheckSchema on an empty database: want an error asking to migrate")
		}
		n, err := db.Migrate(ctx)
		if err != nil || n == 0 {
			t.Fatalf("first Migrate = %d, %v; want > 0 migrations applied", n, err)
		}
		n, err = db.Migrate(ctx)
		if err != nil || n != 0 {
			t.Fatalf("second Migrate = %d, %v; want 0 (idempotent)", n, err)
		}
		if err := db.CheckSchema(ctx); err != nil {
			t.Fatalf("CheckSchema after Migrate: %v", err)
		}
		cur, latest, err := db.SchemaVersion(ctx)
		if err != nil || cur != latest || cur < 1 {
			t.Fatalf("SchemaVersion = %d, %d, %v", cur, latest, err)
		}
	})
}

func TestConcurrentMigrate(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		ctx := context.Background()
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				db, err := sqlstore.Open(ctx, sqlstore.Config{URL: s.URL, DataDir: s.DataDir})
				if err != nil {
					errs <- err
					return
				}
				defer db.Close()
				_, err = db.Migrate(ctx)
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("concurrent migrate: %v", err)
			}
		}
	})
}

func TestPartnerAuthentication(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		db := openDB(t, s)
		ctx := context.Background()
		creds, _ := newPartner(t, db)
		other, _ := newPartner(t, db)
		p := creds.Partner
		tests := []struct {
			name                        string
			partnerID, clientID, secret string
			ok                          bool
		}{
			{"right credentials", p.ID, p.ClientID, creds.ClientSecret, true},
			{"without partner id", "", p.ClientID, creds.ClientSecret, true},
			{"wrong secret", p.ID, p.ClientID, creds.ClientSecret + "x", false},
			{"other partner's secret", p.ID, p.ClientID, other.ClientSecret, false},
			{"wrong partner id", other.Partner.ID, p.ClientID, creds.ClientSecret, false},
			{"unknown client", p.ID, "mpc_nope", creds.ClientSecret, false},
			{"empty secret", p.ID, p.ClientID, "", false},
		}
		for _, tt := range tests {
			got, err := db.Partners().Authenticate(ctx, tt.partnerID, tt.clientID, tt.secret)
			if tt.ok {
				if err != nil || got.ID != p.ID {
					t.Errorf("%s: got %v, %v; want partner %s", tt.name, got, err, p.ID)
				}
				continue
			}
			if milepost.ErrorCode(err) != milepost.CodeUnauthorized {
				t.Errorf("%s: got %v; want unauthorized", tt.name, err)
			}
		}
		list, err := db.Partners().ListPartners(ctx)
		if err != nil || len(list) != 2 || list[0].ID != p.ID {
			t.Fatalf("ListPartners = %v, %v", list, err)
		}
	})
}

func TestCreateFirstPartnerOnce(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		db := openDB(t, s)
		var wg sync.WaitGroup
		var mu sync.Mutex
		created := 0
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, ok, err := db.Partners().CreateFirstPartner(context.Background(), "Demo partner")
				if err != nil {
					t.Errorf("CreateFirstPartner: %v", err)
				}
				if ok {
					mu.Lock()
					created++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if created != 1 {
			t.Fatalf("created %d demo partners, want exactly 1", created)
		}
	})
}

func TestSecretIsStable(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		db := openDB(t, s)
		a, err := db.Secret(context.Background(), "k")
		if err != nil || len(a) != 32 {
			t.Fatalf("Secret = %x, %v", a, err)
		}
		b, _ := db.Secret(context.Background(), "k")
		c, _ := db.Secret(context.Background(), "other")
		if string(a) != string(b) || string(a) == string(c) {
			t.Fatal("a secret must be stable per name and differ between names")
		}
	})
}

// TestConcurrentDuplicates proves the uniqueness rules hold under concurrent requests: of many
// simultaneous creations with the same phone or VIN exactly one wins and the rest get a conflict
// (never an internal error).
func TestConcurrentDuplicates(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		db := openDB(t, s)
		ctx := context.Background()
		_, admin := newPartner(t, db)
		owner := newUser(t, db, admin, "+15550000001")
		vehicles := db.Vehicles(vin.New(), nil)
		const n = 16
		var wg sync.WaitGroup
		results := make(chan error, 2*n)
		for i := 0; i < n; i++ {
			wg.Add(2)
			go func() {
				defer wg.Done()
				_, _, err := db.Users().CreateUser(ctx, admin, milepost.NewUser{FirstName: "B", LastName: "C", Phone: "+15550000002",
					Address: &milepost.Address{State: "NY"}}, milepost.CreateUserOptions{})
				results <- err
			}()
			go func() {
				defer wg.Done()
				_, err := vehicles.CreateVehicleByVIN(ctx, admin, milepost.NewVehicleByVIN{UserID: owner.ID, VIN: "1HGCM82633A004352",
					Make: "Honda", Model: "Accord", Year: 2003})
				results <- err
			}()
		}
		wg.Wait()
		close(results)
		okCount, conflicts := 0, 0
		for err := range results {
			switch milepost.ErrorCode(err) {
			case "":
				okCount++
			case milepost.CodeConflict:
				conflicts++
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if okCount != 2 || conflicts != 2*n-2 {
			t.Fatalf("got %d successes and %d conflicts; want 2 and %d", okCount, conflicts, 2*n-2)
		}
	})
}

func TestVehicleLifecycle(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		db := openDB(t, s)
		ctx := context.Background()
		_, admin := newPartner(t, db)
		owner := newUser(t, db, admin, "+15550000003")
		vs := db.Vehicles(vin.New(), nil)
		in := milepost.NewVehicleByVIN{UserID: owner.ID, VIN: "1hgcm82633a004352", Make: "honda", Model: "Accord", Year: 2003, LicensePlate: "abc 123", State: "ca"}
		v1, err := vs.CreateVehicleByVIN(ctx, admin, in)
		if err != nil {
			t.Fatal(err)
		}
		if v1.VIN != "1HGCM82633A004352" || v1.License != "ABC123" || v1.State != "CA" || !v1.Active || v1.Owner.Phone != owner.Phone {
			t.Fatalf("created vehicle = %+v", v1)
		}
		_, err = vs.CreateVehicleByVIN(ctx, admin, in)
		wantCode(t, err, milepost.CodeConflict, milepost.ReasonVehicleExists)

		if _, err := vs.SetVehicleActive(ctx, admin, v1.ID, false); err != nil {
			t.Fatal(err)
		}
		again, err := vs.SetVehicleActive(ctx, admin, v1.ID, false)
		if err != nil || again.Active {
			t.Fatalf("deactivating twice: %v, %+v", err, again)
		}
		v2, err := vs.CreateVehicleByVIN(ctx, admin, in)
		if err != nil {
			t.Fatalf("same VIN after deactivation: %v", err)
		}
		_, err = vs.SetVehicleActive(ctx, admin, v1.ID, true)
		wantCode(t, err, milepost.CodeConflict, milepost.ReasonVehicleExists)

		blank := ""
		if _, err := vs.UpdateVehicle(ctx, admin, milepost.VehicleUpdate{ID: v2.ID, LicensePlate: &blank}); err != nil {
			t.Fatal(err)
		}
		_, err = vs.SetVehicleActive(ctx, admin, v1.ID, true)
		wantCode(t, err, milepost.CodeConflict, milepost.ReasonVehicleExists) // the VIN still clashes

		if _, err := vs.FindActiveVehicleByPlate(ctx, admin, "CA", "ABC123"); milepost.ErrorCode(err) != milepost.CodeNotFound {
			t.Fatalf("plate of an inactive vehicle: %v; want not found", err)
		}
		_, otherAdmin := newPartner(t, db)
		_, err = vs.FindVehicleByID(ctx, otherAdmin, v2.ID)
		wantCode(t, err, milepost.CodeForbidden, milepost.ReasonNoPermissions)
		user := milepost.Actor{PartnerID: admin.PartnerID, Scope: milepost.ScopeUser, UserID: owner.ID}
		if _, err := vs.FindVehicleByID(ctx, user, v2.ID); err != nil {
			t.Fatalf("owner's user token: %v", err)
		}
		_, err = vs.SetVehicleActive(ctx, user, v2.ID, false)
		wantCode(t, err, milepost.CodeForbidden, milepost.ReasonNoPermissions)
	})
}

func TestListVehiclesFilters(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		db := openDB(t, s)
		ctx := context.Background()
		clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return clock }
		_, admin := newPartner(t, db)
		owner := newUser(t, db, admin, "+15550000004")
		vs := db.Vehicles(vin.New(), nil)
		vins := []string{"1HGCM82633A004352", "1G4AH59H45G118341", "JH4KA7630PC007649"}
		makes := []string{"Honda", "Buick", "Acura"}
		years := []int{2003, 2005, 1993}
		for i, v := range vins {
			clock = clock.Add(24 * time.Hour)
			if _, err := vs.CreateVehicleByVIN(ctx, admin, milepost.NewVehicleByVIN{UserID: owner.ID, VIN: v, Make: makes[i], Model: "M", Year: years[i],
				LicensePlate: "PL" + string(rune('A'+i)), State: "TX"}); err != nil {
				t.Fatal(err)
			}
		}
		// Another partner's vehicles never show.
		_, other := newPartner(t, db)
		otherOwner := newUser(t, db, other, "+15550000005")
		if _, err := vs.CreateVehicleByVIN(ctx, other, milepost.NewVehicleByVIN{UserID: otherOwner.ID, VIN: vins[0], Make: "Honda", Model: "A", Year: 2003}); err != nil {
			t.Fatal(err)
		}
		day2 := time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC)
		yes := true
		tests := []struct {
			name  string
			f     milepost.VehicleFilter
			total int
			first string
		}{
			{"default newest first", milepost.VehicleFilter{}, 3, vins[2]},
			{"vin asc", milepost.VehicleFilter{SortBy: "vin", SortDirection: milepost.SortAsc}, 3, vins[1]},
			{"search license contains", milepost.VehicleFilter{SearchBy: "license", SearchValue: "plb"}, 1, vins[1]},
			{"search vin", milepost.VehicleFilter{SearchBy: "vin", SearchValue: "ka7630"}, 1, vins[2]},
			{"search owner name", milepost.VehicleFilter{SearchBy: "userFirstName", SearchValue: "AN"}, 3, vins[2]},
			{"search wildcard is literal", milepost.VehicleFilter{SearchBy: "userEmail", SearchValue: "%"}, 0, ""},
			{"added from", milepost.VehicleFilter{AddedFrom: &day2}, 2, vins[2]},
			{"added to (inclusive)", milepost.VehicleFilter{AddedTo: &day2, SortDirection: milepost.SortAsc}, 2, vins[0]},
			{"active", milepost.VehicleFilter{Active: &yes}, 3, vins[2]},
			{"page 1 of size 2", milepost.VehicleFilter{PageRequest: milepost.PageRequest{Page: 1, Size: 2}}, 3, vins[0]},
		}
		for _, tt := range tests {
			page, err := vs.ListVehicles(ctx, admin, tt.f)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if page.TotalItems != tt.total {
				t.Errorf("%s: total %d, want %d", tt.name, page.TotalItems, tt.total)
			}
			if tt.first != "" && (len(page.Vehicles) == 0 || page.Vehicles[0].VIN != tt.first) {
				t.Errorf("%s: first vehicle %v, want %s", tt.name, page.Vehicles, tt.first)
			}
		}
	})
}
