// Package milepostest holds test helpers shared by the packages' tests: the stores every storage
// and end-to-end test runs against (SQLite always, PostgreSQL when MILEPOST_TEST_DATABASE_URL is
// set, and required when CI=true). Import it only from _test.go files.
package milepostest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to create and drop test schemas
)

// Store is one database a test can run against.
type Store struct {
	Name string // "sqlite" or "postgres"
	// URL is the database URL to give sqlstore.Open ("" for SQLite in DataDir).
	URL string
	// DataDir is a fresh directory for the SQLite file and blobs.
	DataDir string
}

// EnvDatabaseURL names the PostgreSQL server tests use; each test gets its own schema in it.
const EnvDatabaseURL = "MILEPOST_TEST_DATABASE_URL"

// Stores returns the stores to run a test on: a fresh SQLite store, and a fresh PostgreSQL schema
// when MILEPOST_TEST_DATABASE_URL is set. In CI (CI=true) a missing PostgreSQL is a failure, never a
// silent skip.
func Stores(t testing.TB) []Store {
	t.Helper()
	stores := []Store{{Name: "sqlite", DataDir: t.TempDir()}}
	base := os.Getenv(EnvDatabaseURL)
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: the PostgreSQL suite must run in CI (use the README's test command)", EnvDatabaseURL)
		}
		return stores
	}
	return append(stores, Store{Name: "postgres", URL: PostgresSchema(t, base), DataDir: t.TempDir()})
}

// ForEachStore runs fn as a subtest on every store from Stores.
func ForEachStore(t *testing.T, fn func(t *testing.T, s Store)) {
	t.Helper()
	for _, s := range Stores(t) {
		t.Run(s.Name, func(t *testing.T) { fn(t, s) })
	}
}

// PostgresSchema creates a schema with a random name in the database at base and returns a URL
// whose connections use it (search_path), so tests run in parallel without seeing each other.
// The schema is dropped when the test ends.
func PostgresSchema(t testing.TB, base string) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", EnvDatabaseURL, err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create test schema in %s: %v", EnvDatabaseURL, err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := db.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Logf("drop test schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvDatabaseURL, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Photo returns the bytes of a real test photo. The fixtures live in the repository's
// photo/testdata (copied from ../shared/testdata/photos, CC BY-SA 4.0, see its README); the
// repository root is found by walking up to go.mod.
func Photo(t testing.TB, name string) []byte {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			b, err := os.ReadFile(filepath.Join(dir, "photo", "testdata", name))
			if err != nil {
				t.Fatalf("fixture photo: %v", err)
			}
			return b
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("fixture photo %s: no go.mod above the test's directory", name)
		}
		dir = parent
	}
}
