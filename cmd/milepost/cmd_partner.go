package main

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"strconv"

	"github.com/milepost/milepost"
)

func runPartner(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageErrorf("missing subcommand: create --name NAME | list | configure --id ID [settings]")
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
	case "configure":
		return configurePartner(ctx, fs, &cfg, args[1:], stdout, stderr)
	}
	return usageErrorf("unknown subcommand %q: use create, list or configure", args[0])
}

// configurePartner changes a partner's settings: check-in cadences and whether policy dates are
// optional. Only the flags given change.
func configurePartner(ctx context.Context, fs *flag.FlagSet, cfg *Config, args []string, stdout, stderr io.Writer) error {
	id := fs.String("id", "", "the partner's id (required)")
	mileage := fs.Int("mileage-cadence-days", -1, "days between mileage check-ins")
	condition := fs.Int("condition-cadence-days", -1, "days between condition check-ins")
	address := fs.Int("address-cadence-days", -1, "days between proof-of-address check-ins")
	datesOptional := fs.String("policy-dates-optional", "", "true or false: may users be created with undated policies")
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	if *id == "" {
		return usageErrorf("--id is required")
	}
	return withStore(ctx, *cfg, stderr, func(s storeHandle) error {
		p, err := s.db.Partners().FindPartnerByID(ctx, *id)
		if err != nil {
			return err
		}
		var set milepost.PartnerSettings
		cad := p.Cadence
		for _, f := range []struct {
			v   int
			dst *int
		}{{*mileage, &cad.MileageDays}, {*condition, &cad.ConditionDays}, {*address, &cad.ProofOfAddressDays}} {
			if f.v >= 0 {
				*f.dst = f.v
				set.Cadence = &cad
			}
		}
		if *datesOptional != "" {
			b, err := strconv.ParseBool(*datesOptional)
			if err != nil {
				return usageErrorf("--policy-dates-optional must be true or false")
			}
			set.PolicyDatesOptional = &b
		}
		p, err = s.db.Partners().UpdateSettings(ctx, *id, set)
		if err != nil {
			return err
		}
		return writeJSON(stdout, map[string]any{"partnerId": p.ID, "name": p.Name, "policyDatesOptional": p.PolicyDatesOptional,
			"cadenceDays": map[string]int{"mileage": p.Cadence.MileageDays, "condition": p.Cadence.ConditionDays, "proofOfAddress": p.Cadence.ProofOfAddressDays}})
	})
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
