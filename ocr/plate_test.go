package ocr

import "testing"

func TestNormalizePlate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ABC-1234", "ABC1234"},
		{"7abc 123", "7ABC123"},
		{" lbm·1340 ", "LBM1340"},
		{"“ARIZONA”", "ARIZONA"},
		{"--", ""},
	}
	for _, tt := range tests {
		if got := NormalizePlate(tt.in); got != tt.want {
			t.Errorf("NormalizePlate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSamePlate(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"ABC-1234", "abc 1234", true},
		{"LJE3692", "LIE3692", true}, // J and I both read as 1
		{"OAK1", "0AK1", true},
		{"ABC1234", "ABC1235", false},
		{"ABC1234", "ABC123", false},
		{"", "", false},
	}
	for _, tt := range tests {
		if got := SamePlate(tt.a, tt.b); got != tt.want {
			t.Errorf("SamePlate(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestPickPlate(t *testing.T) {
	tests := []struct {
		name  string
		lines []Line
		want  string
		ok    bool
	}{
		{"state, registration and slogan", []Line{
			ln("PENNSYLVANIA", 0.99, 60, 0, 300, 40),
			ln("SHT-4683", 0.98, 30, 45, 360, 110),
			ln("visitPA.com", 0.95, 120, 160, 160, 25),
		}, "SHT4683", true},
		{"misread state name is not the plate", []Line{
			ln("ARIZONA", 0.99, 60, 0, 300, 40),
			ln("RJS 5791", 0.7, 30, 45, 360, 110),
		}, "RJS5791", true},
		{"pieces on one row are joined", []Line{
			ln("Michigan", 0.99, 60, 0, 200, 30),
			ln("LBM", 0.95, 20, 40, 140, 100),
			ln("1340", 0.95, 180, 40, 180, 100),
		}, "LBM1340", true},
		{"lower-case slogan loses", []Line{
			ln("Pure Michigan", 0.99, 0, 0, 300, 100),
			ln("XYZ123", 0.8, 0, 120, 300, 90),
		}, "XYZ123", true},
		{"too long to be a plate", []Line{ln("ABCDEFGHIJK", 0.99, 0, 0, 300, 100)}, "", false},
		{"only state words", []Line{ln("NEW YORK", 0.99, 0, 0, 300, 100), ln("EMPIRE STATE", 0.9, 0, 100, 300, 30)}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := PickPlate(tt.lines)
			if ok != tt.ok || got.Text != tt.want {
				t.Errorf("PickPlate = %+v, %v; want %q, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}
