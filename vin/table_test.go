package vin

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"io"
	"slices"
	"strings"
	"testing"
)

// TestBuiltinTable checks the embedded data file as scripts/gen-wmi.sh promises it: the
// header, one row per WMI sorted by wmi, and that every row made it into the table.
func TestBuiltinTable(t *testing.T) {
	zr, err := gzip.NewReader(bytes.NewReader(builtinCSV))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(zr).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"wmi", "manufacturer", "makes", "country", "vehicle_type"}; !slices.Equal(rows[0], want) {
		t.Fatalf("header = %v; want %v", rows[0], want)
	}
	rows = rows[1:]
	tab := Builtin()
	if tab.Len() != len(rows) || len(rows) < 12000 {
		t.Fatalf("Len() = %d, file has %d rows; want the same, at least 12,000", tab.Len(), len(rows))
	}
	for i, row := range rows {
		if i > 0 && rows[i-1][0] >= row[0] {
			t.Fatalf("row %d: wmi %q is not after %q", i+2, row[0], rows[i-1][0])
		}
		if makes := strings.Split(row[2], "|"); row[2] != "" && !slices.IsSorted(makes) {
			t.Errorf("row %d: makes %q are not sorted", i+2, row[2])
		}
		rec, ok := tab.Lookup(row[0])
		if !ok || rec.WMI != row[0] || rec.Manufacturer != row[1] || strings.Join(rec.Makes, "|") != row[2] ||
			rec.Country != row[3] || rec.VehicleType != row[4] {
			t.Fatalf("Lookup(%q) = %+v, %v; want row %v", row[0], rec, ok, row)
		}
	}
	if Builtin() != tab {
		t.Error("Builtin parsed the table twice")
	}
}

func TestLookup(t *testing.T) {
	tab := Builtin()
	for _, tt := range []struct {
		key string
		ok  bool
	}{
		{"1HG", true}, {"1P9213", true}, {"1hg", false}, {"1H", false}, {"1HGC", false},
		{"1P921", false}, {"1P92134", false}, {"", false}, {"1H-", false},
	} {
		if _, ok := tab.Lookup(tt.key); ok != tt.ok {
			t.Errorf("Lookup(%q) ok = %v; want %v", tt.key, ok, tt.ok)
		}
	}
	for _, tt := range []struct{ vin, wmi string }{
		{"1P9AB12C4BA213001", "1P9213"},
		{"1HGCM82633A004352", "1HG"},
		{"1HG", ""},               // too short to be looked up
		{"1P9AB12C4BA2-3001", ""}, // 6-character key not in the alphabet, no 3-character 1P9
	} {
		rec, ok := tab.LookupVIN(tt.vin)
		if rec.WMI != tt.wmi || ok != (tt.wmi != "") {
			t.Errorf("LookupVIN(%q) = %q, %v; want %q", tt.vin, rec.WMI, ok, tt.wmi)
		}
	}
}

func TestWMIKeysDoNotCollide(t *testing.T) {
	k3, _ := wmiKey("ZZZ")
	k6, _ := wmiKey("000000")
	if k3 >= k6 {
		t.Errorf("largest 3-character key %d >= smallest 6-character key %d", k3, k6)
	}
}

func TestMakeMatches(t *testing.T) {
	acura := &Record{Manufacturer: "HONDA MOTOR CO., LTD.", Makes: []string{"Acura"}}
	mb := &Record{Manufacturer: "MERCEDES-BENZ OF NORTH AMERICA, INC.", Makes: []string{"Mercedes-Benz"}}
	accent := &Record{Manufacturer: "Albert Böcker GmbH & Co. KG", Makes: []string{"Böcker"}}
	none := &Record{Manufacturer: "NAMELESS"}
	for _, tt := range []struct {
		rec  *Record
		make string
		want bool
	}{
		{acura, "Acura", true},
		{acura, "ACURA", true},
		{acura, "acu", true},
		{acura, "ac", false},
		{acura, "Acuras", false},
		{acura, "Honda", true},
		{acura, "Hon", false}, // words match whole, not by prefix
		{acura, "Motor", false},
		{acura, "Co", false},
		{acura, "Ltd.", false},
		{acura, "Toyota", false},
		{acura, "", false},
		{mb, "Mercedes Benz", true},
		{mb, "MERCEDES-BENZ", true},
		{mb, "Mercedes", true},
		{mb, "Benz", true},
		{mb, "MB", true},
		{mb, "America", false},
		{mb, "Mercedes-Benz of North America", false},
		{accent, "böcker", true},
		{accent, "BÖCKER", true},
		{accent, "Bocker", false},
		{accent, "Albert", true},
		{none, "Anything", true},
	} {
		norm := appendNorm(nil, tt.make)
		if got := makeMatches(norm, tt.rec); got != tt.want {
			t.Errorf("makeMatches(%q, %q) = %v; want %v", tt.make, tt.rec.Makes, got, tt.want)
		}
	}
}

func TestAliasesPointAtRealMakes(t *testing.T) {
	makes := map[string]bool{}
	tab := Builtin()
	for _, rec := range tab.records {
		for _, m := range rec.Makes {
			makes[string(appendNorm(nil, m))] = true
		}
	}
	for alias, name := range makeAliases {
		if !makes[name] {
			t.Errorf("alias %s → %s: no make %s in the built-in table", alias, name, name)
		}
		if got := string(appendNorm(nil, alias)); got != alias {
			t.Errorf("alias %q is not normalized (%q)", alias, got)
		}
	}
}

// BenchmarkReadTable measures what the first New costs: gunzip and parse the embedded table.
func BenchmarkReadTable(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(builtinCSV)))
	for b.Loop() {
		if _, err := ReadTable(bytes.NewReader(builtinCSV)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadTablePlain is the parse alone, without gzip, to see where the time goes.
func BenchmarkReadTablePlain(b *testing.B) {
	zr, err := gzip.NewReader(bytes.NewReader(builtinCSV))
	if err != nil {
		b.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(plain)))
	for b.Loop() {
		if _, err := ReadTable(bytes.NewReader(plain)); err != nil {
			b.Fatal(err)
		}
	}
}
