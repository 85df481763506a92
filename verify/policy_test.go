package verify_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/milepost/milepost/verify"
)

func TestDefaultPolicy(t *testing.T) {
	p := verify.DefaultPolicy()
	if err := p.Validate(); err != nil {
		t.Fatalf("default policy invalid: %v", err)
	}
	got, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"maxPhotoAge":"72h","maxFutureSkew":"10m","clockSkewNoZone":"14h","maxMilesPerDay":1500,`
	if !strings.HasPrefix(string(got), want) {
		t.Fatalf("default policy JSON\n got %s\nwant it to start with %s", got, want)
	}
	// What DefaultPolicy marshals to loads back to itself.
	back, err := verify.ParsePolicy(got)
	if err != nil || !reflect.DeepEqual(back, p) {
		t.Fatalf("round trip: %+v, %v", back, err)
	}
}

func TestLoadPolicy(t *testing.T) {
	def := verify.DefaultPolicy()
	tests := []struct {
		name    string
		json    string
		want    func(p *verify.Policy) // applied to the defaults
		wantErr []string               // substrings of the error
	}{
		{name: "empty object keeps defaults", json: `{}`, want: func(*verify.Policy) {}},
		{name: "override some fields", json: `{"maxPhotoAge": "48h", "maxMilesPerDay": 900.5}`,
			want: func(p *verify.Policy) { p.MaxPhotoAge = verify.Duration(48 * time.Hour); p.MaxMilesPerDay = 900.5 }},
		{name: "override all fields", json: `{"maxPhotoAge":"1h30m","maxFutureSkew":"0s","clockSkewNoZone":"12h","maxMilesPerDay":2000}`,
			want: func(p *verify.Policy) {
				p.MaxPhotoAge, p.MaxFutureSkew, p.ClockSkewNoZone, p.MaxMilesPerDay = verify.Duration(90*time.Minute), 0, verify.Duration(12*time.Hour), 2000
			}},
		{name: "unknown field", json: `{"maxPhotoAgee": "48h"}`, wantErr: []string{`unknown field "maxPhotoAgee"`, "maxPhotoAge,"}},
		{name: "bad duration", json: `{"maxPhotoAge": "3d"}`, wantErr: []string{"maxPhotoAge:", `"3d" is not a duration`}},
		{name: "duration as a number", json: `{"maxFutureSkew": 600}`, wantErr: []string{"maxFutureSkew:", "duration string"}},
		{name: "number as a string", json: `{"maxMilesPerDay": "1500"}`, wantErr: []string{"maxMilesPerDay:", "must be a number, not a JSON string"}},
		{name: "negative miles per day", json: `{"maxMilesPerDay": -5}`, wantErr: []string{"maxMilesPerDay must be a positive number, got -5"}},
		{name: "zero photo age", json: `{"maxPhotoAge": "0s"}`, wantErr: []string{"maxPhotoAge must be positive"}},
		{name: "negative skew", json: `{"clockSkewNoZone": "-1h"}`, wantErr: []string{"clockSkewNoZone must not be negative, got -1h"}},
		{name: "every problem is reported", json: `{"a": 1, "maxPhotoAge": "soon", "maxMilesPerDay": true}`,
			wantErr: []string{`unknown field "a"`, "maxPhotoAge:", "maxMilesPerDay: must be a number, not a JSON bool"}},
		{name: "fraud and quality thresholds", json: `{"editorSoftware": ["Photoshop"], "maxUsersPerDevice": 10, "minSharpness": 0.2, "maxReplayPHashDistance": 6}`,
			want: func(p *verify.Policy) {
				p.EditorSoftware, p.MaxUsersPerDevice, p.MinSharpness, p.MaxReplayPHashDistance = []string{"Photoshop"}, 10, 0.2, 6
			}},
		{name: "out-of-range fraction", json: `{"maxDark": 1.5}`, wantErr: []string{"maxDark must be between 0 and 1, got 1.5"}},
		{name: "empty editor name", json: `{"editorSoftware": ["GIMP", " "]}`, wantErr: []string{"editorSoftware must not hold empty names"}},
		{name: "no user per device", json: `{"maxUsersPerDevice": 0}`, wantErr: []string{"maxUsersPerDevice must be at least 1"}},
		{name: "replay distance too wide", json: `{"maxReplayPHashDistance": 40}`, wantErr: []string{"maxReplayPHashDistance must be between 0 and 32"}},
		{name: "not an object", json: `[1]`, wantErr: []string{"not a JSON object"}},
		{name: "null", json: `null`, wantErr: []string{"not a JSON object"}},
		{name: "trailing data", json: `{} {}`, wantErr: []string{"more data after the object"}},
		{name: "broken JSON", json: `{"maxPhotoAge": `, wantErr: []string{"not a JSON object"}},
	}
	dir := t.TempDir()
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, "policy"+string(rune('a'+i))+".json")
			if err := os.WriteFile(path, []byte(tt.json), 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := verify.LoadPolicy(path)
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("no error, policy %+v", got)
				}
				for _, w := range append(tt.wantErr, path) {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not contain %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := def
			want.EditorSoftware = slices.Clone(def.EditorSoftware)
			tt.want(&want)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("got %+v, want %+v", got, want)
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		_, err := verify.LoadPolicy(filepath.Join(dir, "nope.json"))
		if err == nil || !strings.Contains(err.Error(), "read verification policy") {
			t.Fatalf("err %v", err)
		}
	})
}

func TestPolicyValidate(t *testing.T) {
	if err := (verify.Policy{}).Validate(); err == nil ||
		!strings.Contains(err.Error(), "maxPhotoAge") || !strings.Contains(err.Error(), "maxMilesPerDay") {
		t.Fatalf("zero policy: %v", err)
	}
}

func TestDurationString(t *testing.T) {
	for d, want := range map[time.Duration]string{
		72 * time.Hour: "72h", 10 * time.Minute: "10m", 90 * time.Minute: "1h30m", 0: "0s",
		1500 * time.Millisecond: "1.5s", -time.Hour: "-1h", time.Hour + time.Second: "1h0m1s",
	} {
		if got := verify.Duration(d).String(); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
	}
}
