package sqlstore

import (
	"strings"
	"testing"
)

func TestPasswordHash(t *testing.T) {
	h := hashPassword("correct horse")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Fatalf("hash %q", h)
	}
	if h == hashPassword("correct horse") {
		t.Fatal("two hashes of one password must differ (salt)")
	}
	for _, tt := range []struct {
		hash, password string
		ok             bool
	}{
		{h, "correct horse", true},
		{h, "correct horsE", false},
		{h, "", false},
		{strings.Replace(h, "argon2id", "argon2i", 1), "correct horse", false},
		{h[:len(h)-4], "correct horse", false},
		{"$argon2id$v=19$m=99999999,t=3,p=2$c2FsdA$aGFzaA", "x", false}, // absurd memory refused
		{"", "correct horse", false},
	} {
		if got := checkPassword(tt.hash, tt.password); got != tt.ok {
			t.Errorf("checkPassword(%q, %q) = %v, want %v", tt.hash, tt.password, got, tt.ok)
		}
	}
}
