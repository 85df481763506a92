package verify_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"strings"
	"testing"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/damage"
	"github.com/milepost/milepost/milepostest"
	"github.com/milepost/milepost/verify"
)

// pictures serves gray pictures by upload id (a stand-in for the blob store and the decoder).
type pictures map[string]*image.Gray

func (p pictures) Gray(_ context.Context, u *milepost.Upload, _ int) (*image.Gray, error) {
	if g, ok := p[u.ID]; ok {
		return g, nil
	}
	return nil, errors.New("no such blob")
}

func (p pictures) Bytes(_ context.Context, u *milepost.Upload) ([]byte, error) {
	if _, ok := p[u.ID]; ok {
		return []byte("jpeg of " + u.ID), nil
	}
	return nil, errors.New("no such blob")
}

// model is a stand-in for a partner's damage model.
type model struct {
	f    damage.Findings
	err  error
	seen []damage.Request
}

func (m *model) Analyze(_ context.Context, req damage.Request) (damage.Findings, error) {
	m.seen = append(m.seen, req)
	return m.f, m.err
}

func grayPhoto(t *testing.T, name string) *image.Gray {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(milepostest.Photo(t, name)))
	if err != nil {
		t.Fatal(err)
	}
	return damage.Reduce(img, damage.CompareSide)
}

// dented paints a dark, soft-edged blob (a dent's shadow) onto a copy of g.
func dented(g *image.Gray) *image.Gray {
	out := image.NewGray(g.Bounds())
	copy(out.Pix, g.Pix)
	b := g.Bounds()
	cx, cy, r := b.Dx()/2, b.Dy()/2, b.Dx()/12
	for y := cy - r; y < cy+r; y++ {
		for x := cx - r; x < cx+r; x++ {
			if d2 := (x-cx)*(x-cx) + (y-cy)*(y-cy); d2 < r*r {
				out.Pix[y*out.Stride+x] = uint8(int(out.Pix[y*out.Stride+x]) * d2 / (r * r) / 3)
			}
		}
	}
	return out
}

// conditionWith is a condition run whose Front photo is upload "after", and, when before is
// set, whose vehicle's last confirmed condition check-in had Front photo upload "before".
func conditionWith(before bool) *milepost.VerificationInput {
	in := condition(milepost.RequiredAngles...)
	for i := range in.Checkin.Photos {
		ph := &in.Checkin.Photos[i]
		ph.Upload.ID = "after-" + ph.Kind
	}
	if before {
		prev := condition(milepost.RequiredAngles...)
		for i := range prev.Checkin.Photos {
			prev.Checkin.Photos[i].Upload.ID = "before-" + prev.Checkin.Photos[i].Kind
		}
		prev.Checkin.ID, prev.Checkin.Status, prev.Checkin.CreatedAt = "c0", milepost.StatusConfirmed, submitted.Add(-90*24*time.Hour)
		in.PreviousConfirmed = prev.Checkin
	}
	return in
}

func TestDamageAnalyzer(t *testing.T) {
	scene, other := grayPhoto(t, "gps_DSCN0010.jpg"), grayPhoto(t, "gps_DSCN0021.jpg")
	same := pictures{}
	for _, a := range milepost.RequiredAngles {
		same["before-"+a], same["after-"+a] = scene, scene
	}
	dent := pictures{}
	for k, v := range same {
		dent[k] = v
	}
	dent["after-Front"] = dented(scene)
	moved := pictures{}
	for k, v := range same {
		moved[k] = v
	}
	moved["after-Back"] = other
	tests := []struct {
		name   string
		pics   pictures
		before bool
		status milepost.CheckinStatus
		note   string
		values map[string]string // Front's and Back's damage_change values
	}{
		{"first condition check-in", same, false, milepost.StatusConfirmed, "", map[string]string{"Front": "first", "Back": "first"}},
		{"unchanged", same, true, milepost.StatusConfirmed, "", nil},
		{"a new dent on the Front", dent, true, milepost.StatusOnHold,
			"The Front photo shows changes since the last confirmed check-in; a reviewer will check them.", nil},
		{"another framing of the Back", moved, true, milepost.StatusOnHold,
			"The Back photo could not be compared with the last confirmed check-in; a reviewer will check it.", map[string]string{"Back": "not aligned"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := verify.New(verify.DefaultPolicy(), verify.NewDamageAnalyzer(verify.DefaultPolicy(), tt.pics, nil))
			d := mustVerify(t, e, conditionWith(tt.before))
			if d.Status != tt.status || d.AdminNote != tt.note {
				t.Fatalf("%s %q, want %s %q:%s", d.Status, d.AdminNote, tt.status, tt.note, dump(d.Signals))
			}
			sigs := signalsNamed(d, "damage", "damage_change")
			if len(sigs) != 4 {
				t.Fatalf("want one comparison per angle:%s", dump(d.Signals))
			}
			for _, s := range sigs {
				if want, ok := tt.values[strings.TrimPrefix(s.UploadID, "up-angle")]; ok && s.Value != want {
					t.Errorf("%s: value %q, want %q", s.UploadID, s.Value, want)
				}
			}
			if tt.name == "a new dent on the Front" && (len(d.Damaged) != 1 || d.Damaged[0] != "up-angleFront") {
				t.Fatalf("damaged photos %v", d.Damaged)
			}
		})
	}

	// The partner's damage model: its findings hold the check-in; its failure fails the run.
	m := &model{f: damage.Findings{DamageDetected: true, Model: "acme-dmg", ModelVersion: "3", Items: []damage.Finding{{Angle: "Back", Type: damage.TypeScratch, Severity: 0.4, Confidence: 0.9}}}}
	e := verify.New(verify.DefaultPolicy(), verify.NewDamageAnalyzer(verify.DefaultPolicy(), same, m))
	d := mustVerify(t, e, conditionWith(true))
	if d.Status != milepost.StatusOnHold || !strings.Contains(d.AdminNote, "Damage was detected on the Front photo") || len(m.seen) != 4 ||
		m.seen[0].Previous == nil || m.seen[0].PreviousCheckinID != "c0" || string(m.seen[0].Photo.Data) != "jpeg of after-Front" {
		t.Fatalf("model findings: %s %q %d requests%s", d.Status, d.AdminNote, len(m.seen), dump(d.Signals))
	}
	m = &model{err: errors.New("damage analyzer: status 503")}
	e = verify.New(verify.DefaultPolicy(), verify.NewDamageAnalyzer(verify.DefaultPolicy(), same, m))
	if _, err := e.Verify(context.Background(), conditionWith(true)); err == nil || !strings.Contains(err.Error(), "status 503") {
		t.Fatalf("a failing model must fail the run: %v", err)
	}
	e = verify.New(verify.DefaultPolicy(), verify.NewDamageAnalyzer(verify.DefaultPolicy(), pictures{}, nil))
	if _, err := e.Verify(context.Background(), conditionWith(true)); err == nil || !strings.Contains(err.Error(), "no such blob") {
		t.Fatalf("an unreadable photo must fail the run: %v", err)
	}
}
