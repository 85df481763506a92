package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/campaignfile"
)

// runCampaign applies or shows a partner's campaign.
func runCampaign(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageErrorf("usage: milepost campaign apply --file campaign.yaml | show --partner ID")
	}
	var cfg Config
	fs := flag.NewFlagSet("campaign "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	storeFlags(fs, &cfg)
	switch args[0] {
	case "apply":
		file := fs.String("file", "", "the campaign file (YAML; see docs/campaigns.md)")
		if err := parseFlags(fs, args[1:], 0); err != nil {
			return err
		}
		if *file == "" {
			return usageErrorf("--file is required")
		}
		data, err := os.ReadFile(*file)
		if err != nil {
			return err
		}
		c, err := campaignfile.Parse(data)
		if err != nil {
			return fmt.Errorf("%s was not applied:\n%w", *file, err)
		}
		return withStore(ctx, cfg, stderr, func(s storeHandle) error {
			if err := s.db.Campaigns().ApplyCampaign(ctx, c); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "applied campaign %q to partner %s: %d rewarded check-in types, %d products\n", c.Name, c.PartnerID, len(c.Rewards), len(c.Products))
			return nil
		})
	case "show":
		partner := fs.String("partner", "", "the partner's id (required)")
		if err := parseFlags(fs, args[1:], 0); err != nil {
			return err
		}
		if *partner == "" {
			return usageErrorf("--partner is required")
		}
		return withStore(ctx, cfg, stderr, func(s storeHandle) error {
			c, err := s.db.Campaigns().FindCampaign(ctx, *partner)
			if err != nil {
				return err
			}
			out, err := campaignfile.Format(c)
			if err != nil {
				return err
			}
			_, err = stdout.Write(out)
			return err
		})
	}
	return usageErrorf("unknown subcommand %q: use apply or show", args[0])
}

// runWebhook registers webhook endpoints for a partner.
func runWebhook(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return usageErrorf("usage: milepost webhook add --partner ID --url URL")
	}
	var cfg Config
	fs := flag.NewFlagSet("webhook add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	storeFlags(fs, &cfg)
	partner := fs.String("partner", "", "the partner's id (required)")
	url := fs.String("url", "", "the URL that receives the events (required)")
	if err := parseFlags(fs, args[1:], 0); err != nil {
		return err
	}
	if *partner == "" || *url == "" {
		return usageErrorf("--partner and --url are required")
	}
	return withStore(ctx, cfg, stderr, func(s storeHandle) error {
		e, err := s.db.Webhooks().AddEndpoint(ctx, milepost.Actor{PartnerID: *partner, Scope: milepost.ScopeAdmin}, *url)
		if err != nil {
			return err
		}
		return writeJSON(stdout, map[string]any{"id": e.ID, "url": e.URL, "secret": e.Secret, "events": milepost.EventTypes})
	})
}

// errLedger marks a ledger check that found problems (exit 1 after printing them).
var errLedger = errors.New("the ledger is inconsistent")

// runLedger checks the reward ledger.
func runLedger(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "check" {
		return usageErrorf("usage: milepost ledger check")
	}
	var cfg Config
	fs := flag.NewFlagSet("ledger check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	storeFlags(fs, &cfg)
	if err := parseFlags(fs, args[1:], 0); err != nil {
		return err
	}
	return withStore(ctx, cfg, stderr, func(s storeHandle) error {
		problems, err := s.db.LedgerCheck(ctx)
		if err != nil {
			return err
		}
		if len(problems) == 0 {
			fmt.Fprintln(stdout, "ledger ok: for every user, earned = claimed + unclaimed, and every payout equals its rewards")
			return nil
		}
		for _, p := range problems {
			fmt.Fprintf(stdout, "user %s: %s: %s\n", p.UserID, p.Subject, p.Message)
		}
		return fmt.Errorf("%w: %d problem(s)", errLedger, len(problems))
	})
}
