package sqlstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations
var migrationFS embed.FS

// migration is one forward-only schema step: migrations/<dialect>/NNNN_name.sql.
type migration struct {
	version int
	name    string
	sql     string
}

func (db *DB) migrations() ([]migration, error) {
	dir := "migrations/" + db.dialect.name()
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var out []migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number and _", e.Name())
		}
		b, err := migrationFS.ReadFile(path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// SchemaVersion returns the version the database is at and the latest version this binary has.
func (db *DB) SchemaVersion(ctx context.Context) (current, latest int, err error) {
	ms, err := db.migrations()
	if err != nil {
		return 0, 0, err
	}
	if len(ms) > 0 {
		latest = ms[len(ms)-1].version
	}
	if err := db.ensureMigrationTable(ctx); err != nil {
		return 0, latest, err
	}
	err = db.write.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&current)
	if err != nil {
		return 0, latest, classify(fmt.Errorf("read schema version: %w", err))
	}
	return current, latest, nil
}

func (db *DB) ensureMigrationTable(ctx context.Context) error {
	return db.updateAlone(ctx, func(tx *Tx) error {
		if err := lockMigrations(ctx, tx); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    BIGINT PRIMARY KEY,
			name       TEXT NOT NULL,
			applied_at BIGINT NOT NULL)`)
		if err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		return nil
	})
}

// lockMigrations serializes migrators on PostgreSQL, where CREATE TABLE IF NOT EXISTS and DDL in
// general race between sessions. (SQLite's immediate write transaction already serializes.)
func lockMigrations(ctx context.Context, tx *Tx) error {
	if tx.d.name() != "postgres" {
		return nil
	}
	// Lock key: an arbitrary constant naming "milepost migrations".
	if _, err := tx.exec(ctx, "SELECT pg_advisory_xact_lock(7262736101)"); err != nil {
		return fmt.Errorf("lock migrations: %w", err)
	}
	return nil
}

// Migrate applies every migration the database does not have yet, each in its own transaction.
// Concurrent migrators (several nodes starting at once) are serialized: on PostgreSQL by an
// advisory lock, on SQLite by the immediate write transaction.
func (db *DB) Migrate(ctx context.Context) (applied int, err error) {
	ms, err := db.migrations()
	if err != nil {
		return 0, err
	}
	if err := db.ensureMigrationTable(ctx); err != nil {
		return 0, err
	}
	for _, m := range ms {
		did := false
		err := db.updateAlone(ctx, func(tx *Tx) error {
			if err := lockMigrations(ctx, tx); err != nil {
				return err
			}
			var n int
			if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", m.version).Scan(&n); err != nil {
				return fmt.Errorf("check migration %s: %w", m.name, err)
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.exec(ctx, m.sql); err != nil {
				return fmt.Errorf("apply migration %s: %w", m.name, err)
			}
			if _, err := tx.exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				m.version, m.name, tx.now.UnixMilli()); err != nil {
				return fmt.Errorf("record migration %s: %w", m.name, err)
			}
			did = true
			return nil
		})
		if err != nil {
			return applied, err
		}
		if did {
			applied++
			db.log.Info("applied migration", "dialect", db.dialect.name(), "migration", m.name)
		}
	}
	return applied, nil
}

// CheckSchema returns an error unless the database schema is exactly at this binary's version:
// the server refuses to run on an outdated (or newer) schema unless it migrates first.
func (db *DB) CheckSchema(ctx context.Context) error {
	cur, latest, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	switch {
	case cur < latest:
		return fmt.Errorf("database schema is at version %d but this binary needs %d: run `milepost migrate` (or serve with --migrate)", cur, latest)
	case cur > latest:
		return fmt.Errorf("database schema is at version %d, newer than this binary's %d: upgrade milepost", cur, latest)
	}
	return nil
}
