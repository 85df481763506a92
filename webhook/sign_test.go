package webhook_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/milepost/milepost/webhook"
)

const (
	testSecret = "whsec_test"
	testBody   = `{"id":"evt_1","type":"reward.confirmed"}`
)

var signedAt = time.Unix(1767225600, 0) // 2026-01-01T00:00:00Z

func TestSignKnownVector(t *testing.T) {
	// Computed with: { printf '%s.' 1767225600; printf '%s' "$body"; } | openssl dgst -sha256 -hmac whsec_test
	want := "t=1767225600,v1=20fab50e93b7f9bc50893cbf26725b973ada33221aa9dc30c7fbccddde2ef2ec"
	if got := webhook.Sign(testSecret, signedAt, []byte(testBody)); got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
}

func TestVerify(t *testing.T) {
	body := []byte(testBody)
	good := webhook.Sign(testSecret, signedAt, body)
	goodV1 := good[strings.Index(good, "v1="):]
	otherV1 := webhook.Sign("whsec_old", signedAt, body)[len("t=1767225600,"):]
	tests := []struct {
		name      string
		secret    string
		header    string
		body      string
		now       time.Time
		tolerance time.Duration
		want      error
	}{
		{"valid", testSecret, good, testBody, signedAt, time.Minute, nil},
		{"valid within tolerance", testSecret, good, testBody, signedAt.Add(299 * time.Second), 0, nil},
		{"clock skew ahead", testSecret, good, testBody, signedAt.Add(-4 * time.Minute), 0, nil},
		{"spaces and extra keys", testSecret, " t=1767225600 , v0=abc, " + goodV1 + " ", testBody, signedAt, 0, nil},
		{"several v1 (secret rotation)", testSecret, "t=1767225600," + otherV1 + "," + goodV1, testBody, signedAt, 0, nil},
		{"tampered body", testSecret, good, strings.Replace(testBody, "evt_1", "evt_2", 1), signedAt, 0, webhook.ErrSignatureMismatch},
		{"trailing newline added", testSecret, good, testBody + "\n", signedAt, 0, webhook.ErrSignatureMismatch},
		{"wrong secret", "whsec_other", good, testBody, signedAt, 0, webhook.ErrSignatureMismatch},
		{"empty secret", "", good, testBody, signedAt, 0, webhook.ErrSignatureMismatch},
		{"other timestamp", testSecret, "t=1767225601," + goodV1, testBody, signedAt, 0, webhook.ErrSignatureMismatch},
		{"old timestamp", testSecret, good, testBody, signedAt.Add(10 * time.Minute), 5 * time.Minute, webhook.ErrTimestampOutOfTolerance},
		{"old by default tolerance", testSecret, good, testBody, signedAt.Add(301 * time.Second), 0, webhook.ErrTimestampOutOfTolerance},
		{"future timestamp", testSecret, good, testBody, signedAt.Add(-time.Hour), time.Minute, webhook.ErrTimestampOutOfTolerance},
		{"empty header", testSecret, "", testBody, signedAt, 0, webhook.ErrInvalidHeader},
		{"no t", testSecret, goodV1, testBody, signedAt, 0, webhook.ErrInvalidHeader},
		{"no v1", testSecret, "t=1767225600", testBody, signedAt, 0, webhook.ErrInvalidHeader},
		{"t not a number", testSecret, "t=yesterday," + goodV1, testBody, signedAt, 0, webhook.ErrInvalidHeader},
		{"negative t", testSecret, "t=-1," + goodV1, testBody, signedAt, 0, webhook.ErrInvalidHeader},
		{"t twice", testSecret, "t=1767225600,t=1767225600," + goodV1, testBody, signedAt, 0, webhook.ErrInvalidHeader},
		{"v1 not hex", testSecret, "t=1767225600,v1=zz", testBody, signedAt, 0, webhook.ErrInvalidHeader},
		{"v1 truncated", testSecret, good[:len(good)-2], testBody, signedAt, 0, webhook.ErrInvalidHeader},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := webhook.Verify(tt.secret, tt.header, []byte(tt.body), tt.now, tt.tolerance)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestDocsShellExample runs the openssl verification recipe of docs/webhooks.md against Sign.
func TestDocsShellExample(t *testing.T) {
	doc, err := os.ReadFile("../docs/webhooks.md")
	if err != nil {
		t.Fatal(err)
	}
	var script string
	for _, m := range regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(string(doc), -1) {
		if strings.Contains(m[1], "openssl dgst") {
			script = m[1]
		}
	}
	if script == "" {
		t.Fatal("no openssl example in docs/webhooks.md")
	}
	for _, tool := range []string{"bash", "openssl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	run := func(header, body string) (string, error) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "body.json"), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("bash", "-c", script)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "secret="+testSecret, "header="+header)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	body := testBody + "\n" // a trailing newline is part of the body and must be kept
	if out, err := run(webhook.Sign(testSecret, time.Now(), []byte(body)), body); err != nil || !strings.Contains(out, "signature ok") {
		t.Errorf("valid signature: %v\n%s", err, out)
	}
	if out, err := run(webhook.Sign(testSecret, time.Now(), []byte(body)), testBody); err == nil {
		t.Errorf("tampered body accepted:\n%s", out)
	}
	if out, err := run(webhook.Sign(testSecret, time.Now().Add(-time.Hour), []byte(body)), body); err == nil {
		t.Errorf("old timestamp accepted:\n%s", out)
	}
}
