package main

import (
	"context"
	"encoding/json"
	"flag"
	"io"
)

func runPartner(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageErrorf("missing subcommand: create --name NAME | list")
	}
	var cfg Config
	fs := flag.NewFlagSet("partner "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	storeFlags(fs, &cfg)
	switch args[0] {
	case "create":
		name := fs.String("name", "", "the partner's name (required)")
		if err := parseFlags(fs, args[1:], 0); err != nil {
			return err
		}
		if *name == "" {
			return usageErrorf("--name is required")
		}
		return withStore(ctx, cfg, stderr, func(s storeHandle) error {
			creds, err := s.db.Partners().CreatePartner(ctx, *name)
			if err != nil {
				return err
			}
			return writeJSON(stdout, map[string]string{
				"partnerId": creds.Partner.ID, "clientId": creds.Partner.ClientID, "clientSecret": creds.ClientSecret,
			})
		})
	case "list":
		if err := parseFlags(fs, args[1:], 0); err != nil {
			return err
		}
		return withStore(ctx, cfg, stderr, func(s storeHandle) error {
			ps, err := s.db.Partners().ListPartners(ctx)
			if err != nil {
				return err
			}
			type item struct {
				PartnerID string `json:"partnerId"`
				Name      string `json:"name"`
				ClientID  string `json:"clientId"`
				CreatedAt string `json:"createdAt"`
			}
			out := make([]item, len(ps))
			for i, p := range ps {
				out[i] = item{p.ID, p.Name, p.ClientID, p.CreatedAt.Format("2006-01-02T15:04:05.000Z")}
			}
			return writeJSON(stdout, out)
		})
	}
	return usageErrorf("unknown subcommand %q: use create or list", args[0])
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
