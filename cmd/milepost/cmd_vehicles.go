package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/vin"
)

func runVehicles(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "import-plates" {
		return usageErrorf("usage: milepost vehicles import-plates [flags] FILE.csv")
	}
	var cfg Config
	fs := flag.NewFlagSet("vehicles import-plates", flag.ContinueOnError)
	fs.SetOutput(stderr)
	storeFlags(fs, &cfg)
	if err := parseFlags(fs, args[1:], 1); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErrorf("usage: milepost vehicles import-plates [flags] FILE.csv (columns state,plate,vin and optionally make,model,year)")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	recs, err := readPlates(f, vin.New())
	if err != nil {
		return err
	}
	return withStore(ctx, cfg, stderr, func(s storeHandle) error {
		n, err := s.db.Plates().ImportPlates(ctx, recs)
		if err != nil {
			return err
		}
		return writeJSON(stdout, map[string]int{"imported": n})
	})
}

// maxReportedErrors bounds how many bad rows are listed before giving up on a file.
const maxReportedErrors = 20

// readPlates parses and validates a plate CSV. The whole file is refused when any row is bad, with
// every bad row listed by line number, so nothing is half-imported.
func readPlates(r io.Reader, v milepost.VINValidator) ([]milepost.PlateRecord, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("read header: %w", err)
	}
	cols := map[string]int{}
	for i, h := range header {
		cols[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, need := range []string{"state", "plate", "vin"} {
		if _, ok := cols[need]; !ok {
			return nil, usageErrorf("line 1: the header must name the columns state, plate and vin (and optionally make, model, year)")
		}
	}
	get := func(row []string, name string) string {
		if i, ok := cols[name]; ok && i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	var recs []milepost.PlateRecord
	var problems []string
	seen := map[string]int{}
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			problems = append(problems, err.Error())
			break
		}
		rec, err := plateRecord(row, get, v)
		if err != nil {
			problems = append(problems, fmt.Sprintf("line %d: %s", line, milepost.ErrorMessage(err)))
			if len(problems) >= maxReportedErrors {
				problems = append(problems, "… stopped after 20 errors")
				break
			}
			continue
		}
		key := rec.State + " " + rec.Plate
		if prev, dup := seen[key]; dup {
			problems = append(problems, fmt.Sprintf("line %d: plate %s is already on line %d", line, key, prev))
			continue
		}
		seen[key] = line
		recs = append(recs, rec)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("the file was not imported:\n  %s", strings.Join(problems, "\n  "))
	}
	return recs, nil
}

func plateRecord(row []string, get func([]string, string) string, v milepost.VINValidator) (milepost.PlateRecord, error) {
	var rec milepost.PlateRecord
	var err error
	if rec.State, err = milepost.NormalizeState("state", get(row, "state")); err != nil {
		return rec, err
	}
	if rec.Plate, err = milepost.NormalizePlate("plate", get(row, "plate")); err != nil {
		return rec, err
	}
	if rec.Plate == "" {
		return rec, milepost.Invalidf("plate", "plate is empty.")
	}
	rec.Make, rec.Model = get(row, "make"), get(row, "model")
	if y := get(row, "year"); y != "" {
		if rec.Year, err = strconv.Atoi(y); err != nil {
			return rec, milepost.Invalidf("year", "year %q is not a number.", y)
		}
	}
	info, err := v.ValidateVIN(get(row, "vin"), rec.Make, rec.Year)
	if err != nil {
		return rec, err
	}
	rec.VIN = info.VIN
	return rec, nil
}
