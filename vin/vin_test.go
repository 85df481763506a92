package vin_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/vin"
)

// testNow pins the clock: model-year candidates end two years after it, so the tests do not
// change meaning as years pass.
var testNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func newTestValidator(t testing.TB) *vin.Validator {
	t.Helper()
	return vin.New(vin.WithClock(func() time.Time { return testNow }))
}

func TestValidateVINValid(t *testing.T) {
	v := newTestValidator(t)
	tests := []struct {
		name       string
		vin, make  string
		year       int
		wmi        string
		mfr        string
		makes      []string
		country    string
		vtype      string
		years      []int
		checkDigit bool
	}{
		{name: "Honda Accord", vin: "1HGCM82633A004352", make: "Honda", year: 2003, wmi: "1HG",
			mfr: "AMERICAN HONDA MOTOR CO., INC.", makes: []string{"Honda"}, country: "UNITED STATES (USA)",
			vtype: "Passenger Car", years: []int{2003}, checkDigit: true},
		{name: "lower case and spaces are normalized", vin: "  1hgcm82633a004352 ", make: "honda",
			wmi: "1HG", mfr: "AMERICAN HONDA MOTOR CO., INC.", makes: []string{"Honda"},
			country: "UNITED STATES (USA)", vtype: "Passenger Car", years: []int{2003}, checkDigit: true},
		{name: "Acura declared as Acura", vin: "JH4KA7630PC007649", make: "Acura", year: 1993, wmi: "JH4",
			mfr: "HONDA MOTOR CO., LTD.", makes: []string{"Acura"}, vtype: "Passenger Car",
			years: []int{2023, 1993}, checkDigit: true},
		{name: "Acura declared as Honda (manufacturer word)", vin: "JH4KA7630PC007649", make: "Honda",
			year: 1993, wmi: "JH4", mfr: "HONDA MOTOR CO., LTD.", makes: []string{"Acura"},
			vtype: "Passenger Car", years: []int{2023, 1993}, checkDigit: true},
		{name: "Buick", vin: "1G4AH59H45G118341", make: "Buick", year: 2005, wmi: "1G4",
			mfr: "GENERAL MOTORS LLC", makes: []string{"Buick"}, country: "UNITED STATES (USA)",
			vtype: "Passenger Car", years: []int{2005}, checkDigit: true},
		{name: "check digit X, Motor Coach Industries bus", vin: "1M8GDM9AXKP042788",
			make: "Motor Coach Industries", year: 1989, wmi: "1M8", mfr: "MOTOR COACH INDUSTRIES, INC.",
			makes: []string{"Motor Coach Industries"}, country: "UNITED STATES (USA)", vtype: "Bus",
			years: []int{2019, 1989}, checkDigit: true},
		{name: "Tesla Model 3", vin: "5YJ3E1EAXJF000001", make: "TESLA", year: 2018, wmi: "5YJ",
			mfr: "TESLA, INC.", makes: []string{"Tesla"}, country: "UNITED STATES (USA)",
			vtype: "Passenger Car", years: []int{2018, 1988}, checkDigit: true},
		{name: "European VIN without check digit", vin: "WVWZZZ1JZXW000001", make: "VW", year: 1999,
			wmi: "WVW", mfr: "VOLKSWAGEN AG", makes: []string{"Volkswagen"}, country: "GERMANY",
			vtype: "Passenger Car", years: []int{1999}, checkDigit: false},
		{name: "6-character low-volume WMI", vin: "1P9AB12C4BA213001", make: "Panoz", year: 2011,
			wmi: "1P9213", mfr: "PANOZ AUTO DEVELOPMENT CORPORATION", makes: []string{"Panoz"},
			country: "UNITED STATES (USA)", vtype: "Passenger Car", years: []int{2011, 1981}, checkDigit: true},
		{name: "6-character WMI without makes accepts any make", vin: "SA9AB12CXJAJ00001",
			make: "Morgan", wmi: "SA9J00", mfr: "MORGAN MOTOR COMPANY LIMITED", country: "ENGLAND",
			vtype: "Passenger Car", years: []int{2018, 1988}, checkDigit: true},
		{name: "make prefix", vin: "WDBUF56X88B000001", make: "Mercedes", wmi: "WDB",
			mfr: "Mercedes-Benz Cars", makes: []string{"Maybach", "Mercedes-Benz"}, country: "GERMANY",
			vtype: "Passenger Car", years: []int{2008}, checkDigit: false},
		{name: "make alias", vin: "1GCEK19T54Z000001", make: "chevy", year: 2004, wmi: "1GC",
			mfr: "GENERAL MOTORS LLC", makes: []string{"Chevrolet"}, country: "UNITED STATES (USA)",
			vtype: "Truck", years: []int{2004}, checkDigit: true},
		{name: "make spelled with spaces and dashes", vin: "WDBUF56X88B000001", make: "mercedes benz",
			wmi: "WDB", mfr: "Mercedes-Benz Cars", makes: []string{"Maybach", "Mercedes-Benz"},
			country: "GERMANY", vtype: "Passenger Car", years: []int{2008}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := v.ValidateVIN(tt.vin, tt.make, tt.year)
			if err != nil {
				t.Fatalf("ValidateVIN(%q, %q, %d): %v", tt.vin, tt.make, tt.year, err)
			}
			want := milepost.VINInfo{
				VIN: milepost.NormalizeVIN(tt.vin), WMI: tt.wmi, Manufacturer: tt.mfr, Makes: tt.makes,
				Country: tt.country, VehicleType: tt.vtype, ModelYears: tt.years,
				CheckDigitValid: tt.checkDigit,
			}
			if !equalInfo(got, want) {
				t.Errorf("ValidateVIN(%q) =\n %+v\nwant\n %+v", tt.vin, got, want)
			}
		})
	}
}

func equalInfo(a, b milepost.VINInfo) bool {
	return a.VIN == b.VIN && a.WMI == b.WMI && a.Manufacturer == b.Manufacturer &&
		slices.Equal(a.Makes, b.Makes) && a.Country == b.Country && a.VehicleType == b.VehicleType &&
		slices.Equal(a.ModelYears, b.ModelYears) && a.CheckDigitValid == b.CheckDigitValid
}

func TestValidateVINInvalid(t *testing.T) {
	v := newTestValidator(t)
	tests := []struct {
		name      string
		vin, make string
		year      int
		param     string
		message   string // the whole client message
	}{
		{"empty", "  ", "", 0, "vin", "vin is required."},
		{"16 characters", "1HGCM82633A00435", "", 0, "vin", "vin must be 17 characters (got 16)."},
		{"18 characters", "1HGCM82633A0043521", "", 0, "vin", "vin must be 17 characters (got 18)."},
		{"contains O", "1HGCO82633A004352", "", 0, "vin",
			"vin contains O at position 5, which VINs never use (they leave out I, O and Q)."},
		{"contains a dash", "1HGCM-2633A004352", "", 0, "vin",
			"vin contains '-' at position 6: a VIN has only digits and letters other than I, O and Q."},
		{"non-ASCII counts as one character", "1HGCM82633A00435É", "", 0, "vin",
			"vin contains 'É' at position 17: a VIN has only digits and letters other than I, O and Q."},
		{"wrong check digit", "1HGCM82634A004352", "", 0, "vin",
			"vin check digit (position 9) is 3 but should be 1."},
		{"unknown WMI", "ZZZZZ1234YZ000001", "", 0, "vin", `vin WMI "ZZZ" is not a known manufacturer.`},
		{"unknown low-volume WMI", "1Z9AB12C2BA999001", "", 0, "vin",
			`vin WMI "1Z9" (or "1Z9999" with positions 12-14) is not a known manufacturer.`},
		{"bad model-year code", "WVWZZZ1JZZW000001", "", 0, "vin",
			`vin model-year code (position 10) "Z" is not a valid model-year code (digits 1-9 and letters other than I, O, Q, U and Z).`},
		{"model-year code 0", "WVWZZZ1JZ0W000001", "", 0, "vin",
			`vin model-year code (position 10) "0" is not a valid model-year code (digits 1-9 and letters other than I, O, Q, U and Z).`},
		{"wrong make", "1HGCM82633A004352", "Toyota", 0, "make",
			`make "Toyota" does not match the VIN's manufacturer (AMERICAN HONDA MOTOR CO., INC.: Honda).`},
		{"generic word of the manufacturer", "JH4KA7630PC007649", "Motor", 0, "make",
			`make "Motor" does not match the VIN's manufacturer (HONDA MOTOR CO., LTD.: Acura).`},
		{"prefix too short", "WDBUF56X88B000001", "Me", 0, "make",
			`make "Me" does not match the VIN's manufacturer (Mercedes-Benz Cars: Maybach, Mercedes-Benz).`},
		{"make with no letters", "1HGCM82633A004352", "--", 0, "make",
			`make "--" does not match the VIN's manufacturer (AMERICAN HONDA MOTOR CO., INC.: Honda).`},
		{"many makes are shortened", "1C4RJFAG8FC000001", "Toyota", 0, "make",
			`make "Toyota" does not match the VIN's manufacturer (FCA US LLC: Chrysler, Dodge, Fiat, Jeep, Lancia and 2 more).`},
		{"wrong year", "JH4KA7630PC007649", "", 2015, "year",
			`year 2015 does not match the VIN's model-year code "P" (1993 or 2023).`},
		{"future candidate dropped", "WVWZZZ1JZXW000001", "", 2029, "year",
			`year 2029 does not match the VIN's model-year code "X" (1999).`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := v.ValidateVIN(tt.vin, tt.make, tt.year)
			var e *milepost.Error
			if !errors.As(err, &e) {
				t.Fatalf("ValidateVIN(%q, %q, %d) = %+v, %v; want a *milepost.Error", tt.vin, tt.make, tt.year, got, err)
			}
			if e.Code != milepost.CodeInvalid || e.Reason != milepost.ReasonInvalidParameters ||
				!slices.Equal(e.Params, []string{tt.param}) {
				t.Errorf("error = %+v; want code %s, reason %s, params [%s]", e, milepost.CodeInvalid,
					milepost.ReasonInvalidParameters, tt.param)
			}
			if e.Message != tt.message {
				t.Errorf("message = %q\nwant      %q", e.Message, tt.message)
			}
			if !equalInfo(got, milepost.VINInfo{}) {
				t.Errorf("VINInfo = %+v; want empty on error", got)
			}
		})
	}
}

func TestValidateVINLongMakeIsCut(t *testing.T) {
	v := newTestValidator(t)
	_, err := v.ValidateVIN("1HGCM82633A004352", strings.Repeat("x", 100), 0)
	if msg := milepost.ErrorMessage(err); !strings.Contains(msg, `"`+strings.Repeat("x", 40)+`…"`) {
		t.Errorf("message = %q; want the make cut to 40 characters", msg)
	}
}

// TestValidateVINResultIsACopy checks that a caller changing the result cannot change the
// table that later calls read.
func TestValidateVINResultIsACopy(t *testing.T) {
	v := newTestValidator(t)
	info, err := v.ValidateVIN("1HGCM82633A004352", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	info.Makes[0] = "Changed"
	info.ModelYears[0] = 1
	again, err := v.ValidateVIN("1HGCM82633A004352", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if again.Makes[0] != "Honda" || again.ModelYears[0] != 2003 {
		t.Errorf("second result %+v shows the first caller's changes", again)
	}
}

func TestValidateVINClock(t *testing.T) {
	// Code A is 1980, 2010 or 2040: 2040 becomes a candidate once the clock reaches 2038.
	for _, tt := range []struct {
		now   int
		years []int
	}{
		{2026, []int{2010, 1980}},
		{2037, []int{2010, 1980}},
		{2038, []int{2040, 2010, 1980}},
	} {
		v := vin.New(vin.WithClock(func() time.Time { return time.Date(tt.now, 1, 1, 0, 0, 0, 0, time.UTC) }))
		info, err := v.ValidateVIN("1HGCM8267AA004352", "", 0)
		if err != nil {
			t.Fatalf("now %d: %v", tt.now, err)
		}
		if !slices.Equal(info.ModelYears, tt.years) {
			t.Errorf("now %d: ModelYears = %v; want %v", tt.now, info.ModelYears, tt.years)
		}
	}
	// A clock before 2011 cannot know model year 2011 (code B's only candidate after 1981).
	v := vin.New(vin.WithClock(func() time.Time { return time.Date(1995, 1, 1, 0, 0, 0, 0, time.UTC) }))
	if _, err := v.ValidateVIN("1HGCM82629A004352", "", 0); milepost.ErrorMessage(err) !=
		`vin model-year code (position 10) "9" stands for 2009, later than 1997.` {
		t.Errorf("1995 clock, code 9: %v", err)
	}
}

// TestNewWithTable plugs a small CSV table, as a full decoder or a test would.
func TestNewWithTable(t *testing.T) {
	const csvTable = "wmi,manufacturer,makes,country,vehicle_type,extra\n" +
		"1AA,ACME INC.,Acme|Roadrunner,UNITED STATES (USA),Truck,x\n" +
		"1A9,LOW VOLUME HOLDINGS,Tiny,UNITED STATES (USA),Passenger Car,x\n" +
		"1A9123,SPECIAL LLC,Special,UNITED STATES (USA),Passenger Car,x\n" +
		"1AA,ACME INC. (again),Coyote|acme,,,x\n" +
		"JAA,NAMELESS,,JAPAN,,x\n"
	v, err := vin.NewWithTable(strings.NewReader(csvTable), vin.WithClock(func() time.Time { return testNow }))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		vin, make string
		wmi, mfr  string
		makes     []string
	}{
		{"1AAAB12C1BA123001", "Coyote", "1AA", "ACME INC.", []string{"Acme", "Roadrunner", "Coyote"}},
		{"1A9AB12C5BA123001", "Special", "1A9123", "SPECIAL LLC", []string{"Special"}},
		{"1A9AB12CXBA124001", "Tiny", "1A9", "LOW VOLUME HOLDINGS", []string{"Tiny"}}, // fallback to 3
		{"JAAAB12C0BA124001", "Anything", "JAA", "NAMELESS", nil},
	}
	for _, tt := range tests {
		info, err := v.ValidateVIN(tt.vin, tt.make, 0)
		if err != nil {
			t.Errorf("ValidateVIN(%q, %q): %v", tt.vin, tt.make, err)
			continue
		}
		if info.WMI != tt.wmi || info.Manufacturer != tt.mfr || !slices.Equal(info.Makes, tt.makes) {
			t.Errorf("ValidateVIN(%q) = %+v; want WMI %s, manufacturer %s, makes %v", tt.vin, info, tt.wmi, tt.mfr, tt.makes)
		}
	}
	if _, err := v.ValidateVIN("1HGCM82633A004352", "", 0); err == nil {
		t.Error("a VIN of the built-in table but not of the plugged one was accepted")
	}
}

func TestReadTableErrors(t *testing.T) {
	for _, tt := range []struct{ name, csv, want string }{
		{"empty", "", "header: EOF"},
		{"no wmi column", "manufacturer,makes\nX,Y\n", "no wmi column"},
		{"short wmi", "wmi,makes\n1A,Acme\n", `line 2: wmi "1A" must be 3 or 6`},
		{"bad character", "wmi,makes\n1A-,Acme\n", `line 2: wmi "1A-" must be 3 or 6`},
		{"6 characters without 9", "wmi,makes\n1AB,A\n1AA123,Acme\n", `line 3: 6-character wmi "1AA123" must have 9`},
		{"field count", "wmi,makes\n1AA,Acme,extra\n", "line 2: 3 fields, want 2"},
		{"bad quoting", "wmi,makes\n1AA,\"Acme\n", "extraneous or missing"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := vin.ReadTable(strings.NewReader(tt.csv))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ReadTable error = %v; want one containing %q", err, tt.want)
			}
		})
	}
}

func TestCheckDigit(t *testing.T) {
	for _, tt := range []struct {
		vin   string
		digit byte
		ok    bool
	}{
		{"1HGCM82633A004352", '3', true},
		{"1M8GDM9AXKP042788", 'X', true},
		{"1M8GDM9A0KP042788", 'X', true}, // position 9 itself does not count
		{"JH4KA7630PC007649", '0', true},
		{"11111111111111111", '1', true}, // the classic test VIN
		{"1HGCM82633A00435", 0, false},
		{"1HGCM82633A00435O", 0, false},
		{"1hgcm82633a004352", 0, false},
	} {
		if d, ok := vin.CheckDigit(tt.vin); d != tt.digit || ok != tt.ok {
			t.Errorf("CheckDigit(%q) = %q, %v; want %q, %v", tt.vin, d, ok, tt.digit, tt.ok)
		}
	}
}

func TestModelYears(t *testing.T) {
	maxYear := time.Now().Year() + 2
	for code, base := range map[byte]int{'A': 1980, 'H': 1987, 'J': 1988, 'P': 1993, 'Y': 2000, '1': 2001, '9': 2009} {
		got := vin.ModelYears(code)
		var want []int
		for y := base; y <= maxYear; y += 30 {
			want = append([]int{y}, want...)
		}
		if !slices.Equal(got, want) {
			t.Errorf("ModelYears(%q) = %v; want %v", code, got, want)
		}
	}
	for _, code := range []byte("IOQUZ0a-") {
		if got := vin.ModelYears(code); got != nil {
			t.Errorf("ModelYears(%q) = %v; want nil", code, got)
		}
	}
}

func FuzzValidateVIN(f *testing.F) {
	for _, s := range []string{"1HGCM82633A004352", "JH4KA7630PC007649", "1P9AB12C4BA213001",
		"WVWZZZ1JZXW000001", "1M8GDM9AXKP042788", "SA9AB12CXJAJ00001", "", "1HGCO82633A004352",
		"ÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉ", "1HGCM82633A00435\x00"} {
		f.Add(s, "Honda", 2003)
		f.Add(s, "", 0)
	}
	v := newTestValidator(f)
	f.Fuzz(func(t *testing.T, s, mk string, year int) {
		info, err := v.ValidateVIN(s, mk, year)
		if err != nil {
			var e *milepost.Error
			if !errors.As(err, &e) || e.Code != milepost.CodeInvalid || len(e.Params) != 1 {
				t.Fatalf("ValidateVIN(%q, %q, %d) error %#v is not a CodeInvalid *milepost.Error naming a field", s, mk, year, err)
			}
			return
		}
		if len(info.VIN) != 17 || len(info.ModelYears) == 0 || info.WMI == "" || info.Manufacturer == "" {
			t.Fatalf("ValidateVIN(%q) = %+v: incomplete", s, info)
		}
		if d, _ := vin.CheckDigit(info.VIN); (d == info.VIN[8]) != info.CheckDigitValid ||
			(info.VIN[0] >= '1' && info.VIN[0] <= '5' && !info.CheckDigitValid) {
			t.Fatalf("ValidateVIN(%q) = %+v: wrong CheckDigitValid", s, info)
		}
		if year != 0 && !slices.Contains(info.ModelYears, year) {
			t.Fatalf("ValidateVIN(%q, year %d) accepted years %v", s, year, info.ModelYears)
		}
	})
}

func BenchmarkValidateVIN(b *testing.B) {
	v := newTestValidator(b)
	for _, bb := range []struct{ name, vin, make string }{
		{"3-char", "1HGCM82633A004352", "Honda"},
		{"6-char", "1P9AB12C4BA213001", "Panoz"},
		{"manufacturer-word", "JH4KA7630PC007649", "Honda"},
		{"invalid", "1HGCM82634A004352", "Honda"},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = v.ValidateVIN(bb.vin, bb.make, 0)
			}
		})
	}
}
