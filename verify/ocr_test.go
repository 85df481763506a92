package verify_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/ocr"
	"github.com/milepost/milepost/verify"
)

// readings is an OCR stand-in: fixed readings of the odometer and the plate, or an error.
type readings struct {
	odo, plate ocr.Reading
	found      bool
	err        error
}

func (r readings) ReadOdometer(context.Context, *milepost.Upload) (ocr.Reading, bool, error) {
	return r.odo, r.found, r.err
}

func (r readings) ReadPlate(context.Context, *milepost.Upload) (ocr.Reading, bool, error) {
	return r.plate, r.found, r.err
}

func TestOCRAnalyzer(t *testing.T) {
	plate := ocr.Reading{Text: "ABC123", Confidence: 0.95}
	odo := func(v int64, conf float64, unit string) ocr.Reading {
		return ocr.Reading{Value: v, Text: fmt.Sprint(v), Unit: unit, Confidence: conf}
	}
	tests := []struct {
		name   string
		reader verify.PhotoReader
		status milepost.CheckinStatus
		note   string
		values []string // odometer_reading then plate_reading values
	}{
		{"no engine", nil, milepost.StatusConfirmed, "", []string{"unavailable", "unavailable"}},
		{"engine not installed", readings{err: fmt.Errorf("tesseract not found: %w", verify.ErrUnavailable)}, milepost.StatusConfirmed, "",
			[]string{"unavailable", "unavailable"}},
		{"nothing found", readings{}, milepost.StatusConfirmed, "", []string{"unread", "unread"}},
		{"both agree", readings{odo: odo(12_050, 0.93, ""), plate: plate, found: true}, milepost.StatusConfirmed, "",
			[]string{"read=12050 claimed=12000", "read=ABC123 claimed=ABC123"}},
		{"odometer differs", readings{odo: odo(42_000, 0.93, ""), plate: plate, found: true}, milepost.StatusOnHold,
			"The odometer photo reads 42,000 but 12,000 was entered; please check the mileage.", []string{"read=42000 claimed=12000", "read=ABC123 claimed=ABC123"}},
		{"odometer differs but not confidently", readings{odo: odo(42_000, 0.6, ""), plate: plate, found: true}, milepost.StatusConfirmed, "",
			[]string{"read=42000 conf=0.60", "read=ABC123 claimed=ABC123"}},
		{"a kilometre display", readings{odo: odo(19_312, 0.9, "km"), plate: plate, found: true}, milepost.StatusConfirmed, "",
			[]string{"read=19312 claimed=12000", "read=ABC123 claimed=ABC123"}},
		{"another plate", readings{odo: odo(12_000, 0.9, ""), plate: ocr.Reading{Text: "XYZ789", Confidence: 0.9}, found: true}, milepost.StatusOnHold,
			"The license plate photo reads XYZ789, not ABC123; please check the plate.", []string{"read=12000 claimed=12000", "read=XYZ789 claimed=ABC123"}},
		{"O read for 0", readings{odo: odo(12_000, 0.9, ""), plate: ocr.Reading{Text: "ABCI23", Confidence: 0.9}, found: true}, milepost.StatusConfirmed, "",
			[]string{"read=12000 claimed=12000", "read=ABCI23 claimed=ABC123"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := verify.New(verify.DefaultPolicy(), verify.NewOCRAnalyzer(verify.DefaultPolicy(), tt.reader))
			d := mustVerify(t, e, freshMileage())
			if d.Status != tt.status || d.AdminNote != tt.note {
				t.Fatalf("%s %q, want %s %q:%s", d.Status, d.AdminNote, tt.status, tt.note, dump(d.Signals))
			}
			o, p := signalsNamed(d, "ocr", "odometer_reading"), signalsNamed(d, "ocr", "plate_reading")
			if len(o) != 1 || len(p) != 1 || o[0].Value != tt.values[0] || p[0].Value != tt.values[1] || o[0].Reason == "" {
				t.Fatalf("signals:%s", dump(d.Signals))
			}
		})
	}
	e := verify.New(verify.DefaultPolicy(), verify.NewOCRAnalyzer(verify.DefaultPolicy(), readings{err: errors.New("tesseract crashed")}))
	if _, err := e.Verify(context.Background(), freshMileage()); err == nil || !strings.Contains(err.Error(), "tesseract crashed") {
		t.Fatalf("a failing engine must fail the run: %v", err)
	}
	if d := mustVerify(t, e, condition(milepost.RequiredAngles...)); len(signalsNamed(d, "ocr", "odometer_reading")) != 0 {
		t.Fatal("OCR ran on a condition check-in")
	}
}
