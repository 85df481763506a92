package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/milepost/milepost"
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "run the HTTP server (and its workers)", runServe},
		{"migrate", "apply database migrations and exit", runMigrate},
		{"partner", "manage partners: create --name NAME | list", runPartner},
		{"vehicles", "vehicle reference data: import-plates FILE.csv", runVehicles},
		{"odometer", "odometer history of a VIN: history --vin VIN", runOdometer},
		{"report", "reports: mileage-log --vin VIN --year YYYY [--format csv]", runReport},
		{"campaign", "campaigns: apply --file campaign.yaml | show --partner ID", runCampaign},
		{"webhook", "webhook endpoints: add --partner ID --url URL", runWebhook},
		{"ledger", "reward ledger: check", runLedger},
		{"reviewer", "review console accounts: add --partner ID --email E", runReviewer},
		{"bench", "measure the main endpoints beside a bare handler: [--duration 10s] [--connections 64] [--url URL] [--json]", runBench},
	}
}

// errUsage marks errors that are the user's mistake; they print without a stack of context.
var errUsage = errors.New("usage error")

// Main runs the command line and returns the process exit code: 0 success, 2 usage error,
// 1 any other failure.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(ctx, args[1:], stdout, stderr)
			switch {
			case err == nil:
				return 0
			case errors.Is(err, flag.ErrHelp):
				return 0
			case errors.Is(err, errUsage):
				fmt.Fprintln(stderr, "milepost "+c.name+":", strings.TrimSuffix(err.Error(), ": "+errUsage.Error()))
				return 2
			case milepost.ErrorCode(err) != milepost.CodeInternal:
				// A domain error: its message is written for people.
				fmt.Fprintln(stderr, "milepost "+c.name+":", milepost.ErrorMessage(err))
				return 1
			default:
				fmt.Fprintln(stderr, "milepost "+c.name+":", err)
				return 1
			}
		}
	}
	fmt.Fprintf(stderr, "milepost: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Milepost: a server for verified vehicle data.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: milepost <command> [flags]")
	fmt.Fprintln(w)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Environment variables (flags win over them):")
	var names []string
	for name := range envDocs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-28s %s\n", n, envDocs[n])
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run `milepost <command> -h` for a command's flags.")
}

func usageErrorf(format string, args ...any) error {
	return fmt.Errorf(format+": %w", append(args, errUsage)...)
}
