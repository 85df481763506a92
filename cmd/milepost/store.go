package main

import (
	"context"
	"io"

	"github.com/milepost/milepost/sqlstore"
)

// storeHandle is what administration commands get: an open, migrated store.
type storeHandle struct {
	db *sqlstore.DB
}

// withStore validates the shared flags, opens and migrates the store, runs fn and closes it.
func withStore(ctx context.Context, cfg Config, stderr io.Writer, fn func(storeHandle) error) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	db, err := openStore(ctx, cfg, newLogger(&cfg, stderr), true)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(storeHandle{db: db})
}
