package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/milepost/milepost/sqlstore"
)

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	storeFlags(fs, &cfg)
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	db, err := sqlstore.Open(ctx, sqlstore.Config{URL: cfg.DatabaseURL, DataDir: cfg.DataDir, Logger: newLogger(&cfg, stderr)})
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	cur, _, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: applied %d migration(s); schema version %d\n", db.Location, applied, cur)
	return nil
}
