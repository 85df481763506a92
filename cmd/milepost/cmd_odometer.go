package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/milepost/milepost"
)

// runOdometer prints the odometer history of a VIN across every partner (an operator's view).
func runOdometer(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "history" {
		return usageErrorf("usage: milepost odometer history --vin VIN [--json]")
	}
	var cfg Config
	fs := flag.NewFlagSet("odometer history", flag.ContinueOnError)
	fs.SetOutput(stderr)
	storeFlags(fs, &cfg)
	vin := fs.String("vin", "", "the VIN (required)")
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if err := parseFlags(fs, args[1:], 0); err != nil {
		return err
	}
	if *vin == "" {
		return usageErrorf("--vin is required")
	}
	return withStore(ctx, cfg, stderr, func(s storeHandle) error {
		h, err := s.db.OdometerHistory().VINOdometerHistory(ctx, *vin)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(stdout, h)
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "WHEN\tSOURCE\tVALUE\tMILES\tKM\tROLLBACK")
		for _, r := range h.Readings {
			fmt.Fprintf(tw, "%s\t%s\t%s %s\t%.1f\t%.1f\t%s\n", r.At.Format(time.DateTime), r.Source,
				strconv.FormatFloat(r.Value, 'f', -1, 64), r.Unit, r.Miles, r.Km, map[bool]string{true: "yes", false: ""}[r.Rollback])
		}
		return tw.Flush()
	})
}

// runReport prints the IRS-style mileage log of a VIN for a year (all partners' data).
func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "mileage-log" {
		return usageErrorf("usage: milepost report mileage-log --vin VIN --year YYYY [--format csv|json] [--partner ID]")
	}
	var cfg Config
	fs := flag.NewFlagSet("report mileage-log", flag.ContinueOnError)
	fs.SetOutput(stderr)
	storeFlags(fs, &cfg)
	vin := fs.String("vin", "", "the VIN (required)")
	year := fs.Int("year", time.Now().Year()-1, "the tax year")
	format := fs.String("format", "csv", "csv or json")
	partner := fs.String("partner", "", "only this partner's data (default: every partner's)")
	if err := parseFlags(fs, args[1:], 0); err != nil {
		return err
	}
	if *vin == "" {
		return usageErrorf("--vin is required")
	}
	if *format != "csv" && *format != "json" {
		return usageErrorf("--format must be csv or json")
	}
	v := milepost.NormalizeVIN(*vin)
	if !milepost.ValidVINShape(v) {
		return usageErrorf("--vin must be 17 characters of the VIN alphabet")
	}
	return withStore(ctx, cfg, stderr, func(s storeHandle) error {
		h, trips, err := s.db.OdometerHistory().MileageLogData(ctx, *partner, v)
		if err != nil {
			return err
		}
		l := milepost.BuildMileageLog(v, *year, h, trips)
		if *format == "json" {
			return writeJSON(stdout, l)
		}
		return l.WriteCSV(stdout)
	})
}
