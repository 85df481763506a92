package sqlstore_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/milepostest"
)

// TestRegistrationsConcurrentIsBreaking registers readings of one VIN from many goroutines:
// every one is stored, the total counts them all, and each is_breaking agrees with the order in
// which they were recorded.
func TestRegistrationsConcurrentIsBreaking(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		db := openDB(t, s)
		_, admin := newPartner(t, db)
		regs := db.Registrations()
		const n = 30
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := regs.CreateRegistration(context.Background(), admin, milepost.NewOdometerRegistration{
					VIN: "JH4KA7630PC007649", ValueKm: float64(1000 + (i*7)%n*10), TicketID: "595be628-f6f2-4262-9c10-6389c6c4a5b8"})
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("create: %v", err)
			}
		}
		page, err := regs.ListRegistrations(context.Background(), admin, milepost.RegistrationFilter{VIN: "JH4KA7630PC007649", Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != n || len(page.Registrations) != n {
			t.Fatalf("total %d, listed %d", page.Total, len(page.Registrations))
		}
		rs := page.Registrations
		sort.SliceStable(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID }) // ids are time-ordered
		for i, r := range rs {
			want := i > 0 && r.ValueKm < rs[i-1].ValueKm
			if r.IsBreaking != want {
				t.Fatalf("registration %d (%.0f after %v) is_breaking=%v", i, r.ValueKm, rs[max(i-1, 0)].ValueKm, r.IsBreaking)
			}
		}
	})
}

func TestRegistrationsPerPartnerAndValidation(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		db := openDB(t, s)
		ctx := context.Background()
		_, a := newPartner(t, db)
		_, b := newPartner(t, db)
		regs := db.Registrations()
		in := milepost.NewOdometerRegistration{VIN: "JH4KA7630PC007649", ValueKm: 500, TicketID: "595BE628-F6F2-4262-9C10-6389C6C4A5B8"}
		first, err := regs.CreateRegistration(ctx, a, in)
		if err != nil || first.TicketID != "595be628-f6f2-4262-9c10-6389c6c4a5b8" {
			t.Fatalf("create %+v %v", first, err)
		}
		in.ValueKm = 100
		ob, _ := regs.CreateRegistration(ctx, b, in)
		if ob.IsBreaking {
			t.Fatal("partner B's first registration compared with partner A's")
		}
		if _, err := regs.FindRegistration(ctx, b, first.ID); milepost.ErrorCode(err) != milepost.CodeForbidden {
			t.Fatalf("B reads A's registration: %v", err)
		}
		for _, bad := range []milepost.NewOdometerRegistration{
			{VIN: "JH4KA7630PC00764", ValueKm: 5, TicketID: in.TicketID},
			{VIN: in.VIN, ValueKm: 0.5, TicketID: in.TicketID},
			{VIN: in.VIN, ValueKm: 5, TicketID: "nope"},
		} {
			if _, err := regs.CreateRegistration(ctx, a, bad); milepost.ErrorCode(err) != milepost.CodeInvalid {
				t.Errorf("%+v: %v", bad, err)
			}
		}
		user := milepost.Actor{PartnerID: a.PartnerID, Scope: milepost.ScopeUser, UserID: "u"}
		if _, err := regs.CreateRegistration(ctx, user, in); milepost.ErrorCode(err) != milepost.CodeForbidden {
			t.Fatalf("user token registers: %v", err)
		}
	})
}

// BenchmarkCreateRegistration measures a registration on a VIN with 1 k and with 1 M earlier
// registrations: the cost must stay flat, since is_breaking and the total come from the VIN's
// head row, not from its history.
func BenchmarkCreateRegistration(b *testing.B) {
	for _, rows := range []int{1_000, 1_000_000} {
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			s := milepostest.Stores(b)[0]
			db := openDBB(b, s)
			_, admin := newPartnerB(b, db)
			const vin = "JH4KA7630PC007649"
			if err := db.SeedRegistrations(context.Background(), admin.PartnerID, vin, rows); err != nil {
				b.Fatal(err)
			}
			regs := db.Registrations()
			in := milepost.NewOdometerRegistration{VIN: vin, ValueKm: 5e8, TicketID: "595be628-f6f2-4262-9c10-6389c6c4a5b8"}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := regs.CreateRegistration(context.Background(), admin, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
