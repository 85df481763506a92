package main

import (
	"context"
	"flag"
	"io"
)

// runReviewer adds review console accounts.
func runReviewer(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return usageErrorf("usage: milepost reviewer add --partner ID --email E")
	}
	var cfg Config
	fs := flag.NewFlagSet("reviewer add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	storeFlags(fs, &cfg)
	partner := fs.String("partner", "", "the partner's id (required)")
	email := fs.String("email", "", "the reviewer's e-mail, used to sign in (required)")
	if err := parseFlags(fs, args[1:], 0); err != nil {
		return err
	}
	if *partner == "" || *email == "" {
		return usageErrorf("--partner and --email are required")
	}
	return withStore(ctx, cfg, stderr, func(s storeHandle) error {
		c, err := s.db.Reviewers().AddReviewer(ctx, *partner, *email)
		if err != nil {
			return err
		}
		// The password is shown only here; the store keeps its Argon2id hash.
		return writeJSON(stdout, map[string]string{"email": c.Reviewer.Email, "password": c.Password})
	})
}
