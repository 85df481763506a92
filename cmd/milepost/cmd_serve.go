package main

import (
	"context"
	"flag"
	"io"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	storeFlags(fs, &cfg)
	if err := serveFlags(fs, &cfg); err != nil {
		return err
	}
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	if err := cfg.ValidateServe(); err != nil {
		return err
	}
	app := NewApp(cfg, newLogger(&cfg, stderr), stdout)
	defer app.Close()
	if err := app.Open(ctx); err != nil {
		return err
	}
	return app.Run(ctx)
}
