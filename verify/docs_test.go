package verify

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

// readDoc returns docs/verification.md, which partners and operators read.
func readDoc(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../docs/verification.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDocsDefaultPolicy keeps the default JSON shown in the docs equal to DefaultPolicy, and
// its field table complete.
func TestDocsDefaultPolicy(t *testing.T) {
	doc := readDoc(t)
	_, rest, ok := strings.Cut(doc, "## Policy")
	if !ok {
		t.Fatal("no ## Policy section")
	}
	_, rest, ok = strings.Cut(rest, "```json\n")
	if !ok {
		t.Fatal("no JSON block in ## Policy")
	}
	block, _, _ := strings.Cut(rest, "```")
	want, err := json.MarshalIndent(DefaultPolicy(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(block) != string(want) {
		t.Fatalf("docs show the default policy as\n%s\nbut DefaultPolicy is\n%s", block, want)
	}
	p, err := ParsePolicy([]byte(block))
	if err != nil || !reflect.DeepEqual(p, DefaultPolicy()) {
		t.Fatalf("the docs' JSON loads as %+v, %v", p, err)
	}
	typ := reflect.TypeFor[Policy]()
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		if !strings.Contains(rest, "| `"+name+"` |") {
			t.Errorf("the policy table does not describe %s", name)
		}
	}
}

// TestDocsListEverySignal keeps the signal table in step with the analyzers.
func TestDocsListEverySignal(t *testing.T) {
	doc := readDoc(t)
	rows := map[string][]string{
		analyzerEvidence: {signalEvidencePresent, signalPlateMismatch},
		analyzerRecency:  {signalCaptureTime, signalPhotoAge},
		analyzerVelocity: {signalMilesPerDay, signalMileageDecrease, signalOdometerRollover},
		analyzerTamper:   {signalEditingSoftware, signalClaimedMismatch, signalDeviceMismatch, signalPhotoSpread},
		analyzerQuality:  {signalPhotoQuality, signalPhotoSize, signalPhotoExposure, signalPhotoBlur, signalScreenPhoto},
		analyzerDevice:   {signalSharedDevice},
		analyzerReplay:   {signalReplayedPhoto},
		analyzerDocument: {signalDocumentText, signalDocumentName, signalDocumentAddress, signalDocumentAge, signalHomeLocation},
		analyzerOCR:      {signalOdometerReading, signalPlateReading},
		analyzerDamage:   {signalDamageChange, signalDamageModel},
	}
	for analyzer, names := range rows {
		for _, name := range names {
			if row := "| `" + analyzer + "` | `" + name + "` |"; !strings.Contains(doc, row) {
				t.Errorf("docs/verification.md has no row %q", row)
			}
		}
	}
	for _, a := range New(DefaultPolicy()).analyzers {
		if _, ok := rows[a.Name()]; !ok {
			t.Errorf("built-in analyzer %s is not covered by this test and the docs", a.Name())
		}
	}
}
