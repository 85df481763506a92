package sqlstore_test

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/milepostest"
	"github.com/milepost/milepost/sqlstore"
	"github.com/milepost/milepost/vin"
)

// benchBlobs and benchMedia stand in for the blob store and the photo inspector: the check-in
// benchmarks measure the store, not file I/O or decoding.
type benchBlobs struct{}

func (benchBlobs) PutBlob(context.Context, string, []byte) error { return nil }
func (benchBlobs) OpenBlob(context.Context, string) (io.ReadCloser, error) {
	return nil, milepost.Errorf(milepost.CodeNotFound, "", "no blob")
}

type benchMedia struct{}

func (benchMedia) InspectPhoto([]byte) (milepost.Media, error) {
	return milepost.Media{ContentType: "image/jpeg", Width: 640, Height: 480, Analysis: &milepost.PhotoAnalysis{}}, nil
}
func (benchMedia) InspectFile([]byte) (milepost.Media, error) {
	return milepost.Media{ContentType: "application/pdf"}, nil
}

// checkinFixture is a vehicle with a license and an odometer photo of its owner.
type checkinFixture struct {
	db        *sqlstore.DB
	admin     milepost.Actor
	vehicleID string
	license   string
	odometer  string
}

func newCheckinFixture(b *testing.B, s milepostest.Store, phone, vinCode string) checkinFixture {
	db := openDBB(b, s)
	_, admin := newPartnerB(b, db)
	ctx := context.Background()
	owner, _, err := db.Users().CreateUser(ctx, admin, milepost.NewUser{FirstName: "Ann", LastName: "Lee", Phone: phone,
		Address: &milepost.Address{State: "CA"}}, milepost.CreateUserOptions{})
	if err != nil {
		b.Fatal(err)
	}
	v, err := db.Vehicles(vin.New(), nil).CreateVehicleByVIN(ctx, admin, milepost.NewVehicleByVIN{UserID: owner.ID, VIN: vinCode,
		Make: "Honda", Model: "Accord", Year: 2003, LicensePlate: "ABC123", State: "CA"})
	if err != nil {
		b.Fatal(err)
	}
	ups := db.Uploads(benchBlobs{}, benchMedia{}, 0)
	lat, lon, taken := 37.77, -122.42, time.Now().UTC()
	photo := func(name string) string {
		u, err := ups.Upload(ctx, admin, milepost.UploadPhoto, milepost.NewUpload{UserID: owner.ID, Name: name, Data: []byte(name),
			TakenOn: &taken, Latitude: &lat, Longitude: &lon})
		if err != nil {
			b.Fatal(err)
		}
		return u.ID
	}
	return checkinFixture{db: db, admin: admin, vehicleID: v.ID, license: photo("license.jpg"), odometer: photo("odometer.jpg")}
}

func (f checkinFixture) mileage(m int64) milepost.NewMileageCheckin {
	return milepost.NewMileageCheckin{VehicleID: f.vehicleID, LicensePlate: "ABC123", State: "CA", Mileage: m,
		LicensePhotos:  []milepost.EvidenceRef{{UploadID: f.license, Ref: f.license}},
		OdometerPhotos: []milepost.EvidenceRef{{UploadID: f.odometer, Ref: f.odometer}}}
}

// BenchmarkCreateMileageCheckin measures the store's part of POST /api/vehicles/checkin/mileage:
// one at a time ("serial") and from 64 goroutines ("parallel64", where SQLite's group commit
// shares transactions between concurrent check-ins).
func BenchmarkCreateMileageCheckin(b *testing.B) {
	forEachStoreB(b, func(b *testing.B, s milepostest.Store) {
		f := newCheckinFixture(b, s, "+15550000101", "1HGCM82633A004352")
		cs := f.db.Checkins()
		var mileage atomic.Int64
		mileage.Store(1000)
		b.Run("serial", func(b *testing.B) {
			for b.Loop() {
				if _, err := cs.CreateMileageCheckin(context.Background(), f.admin, f.mileage(mileage.Add(1))); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("parallel64", func(b *testing.B) {
			b.SetParallelism(64 / runtime.GOMAXPROCS(0))
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					// Concurrent check-ins on one vehicle may arrive out of mileage order (a 409);
					// any other error fails the benchmark.
					_, err := cs.CreateMileageCheckin(context.Background(), f.admin, f.mileage(mileage.Add(1)))
					if err != nil && milepost.ErrorCode(err) != milepost.CodeConflict {
						b.Fatal(err)
					}
				}
			})
		})
	})
}

// BenchmarkListVehicleCheckins measures GET /api/vehicles/{id}/checkins/mileage's store call
// for a vehicle with 25 check-ins of two photos each, the bench's list.
func BenchmarkListVehicleCheckins(b *testing.B) {
	forEachStoreB(b, func(b *testing.B, s milepostest.Store) {
		f := newCheckinFixture(b, s, "+15550000102", "1HGCM82633A004352")
		cs := f.db.Checkins()
		for i := range 25 {
			if _, err := cs.CreateMileageCheckin(context.Background(), f.admin, f.mileage(int64(1000+100*i))); err != nil {
				b.Fatal(err)
			}
		}
		for _, mode := range []string{"serial", "parallel"} {
			b.Run(mode, func(b *testing.B) {
				list := func() {
					got, err := cs.ListVehicleCheckins(context.Background(), f.admin, f.vehicleID, milepost.CheckinMileage)
					if err != nil || len(got) != 25 {
						panic(fmt.Sprintf("list: %d check-ins, %v", len(got), err))
					}
				}
				if mode == "serial" {
					for b.Loop() {
						list()
					}
					return
				}
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						list()
					}
				})
			})
		}
	})
}

// forEachStoreB runs fn as a sub-benchmark per store (SQLite, and PostgreSQL when configured).
func forEachStoreB(b *testing.B, fn func(b *testing.B, s milepostest.Store)) {
	for _, s := range milepostest.Stores(b) {
		b.Run(s.Name, func(b *testing.B) { fn(b, s) })
	}
}
