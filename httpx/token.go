package httpx

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"github.com/milepost/milepost"
)

// Tokens issues and verifies bearer tokens: compact JWTs signed with HMAC-SHA256 under a key
// every node shares (kept in the database), so any node verifies a token another node issued.
type Tokens struct {
	key []byte
	ttl time.Duration
	now func() time.Time
}

// TokenClaims are what a token carries.
type TokenClaims struct {
	Issuer    string `json:"iss"`
	PartnerID string `json:"partner_id"`
	Scope     string `json:"scope"`
	UserID    string `json:"user_id,omitempty"`
	IssuedAt  int64  `json:"iat"`
	ExpiresAt int64  `json:"exp"`
	// Audience tells which dialect the token was issued by (ownli, jifeline, tight); a token is
	// accepted only by the dialect that issued it.
	Audience string `json:"aud"`
}

// NewTokens returns a token issuer with the shared key and lifetime ttl.
func NewTokens(key []byte, ttl time.Duration) *Tokens {
	return &Tokens{key: append([]byte(nil), key...), ttl: ttl, now: time.Now}
}

// TTL is how long issued tokens are valid.
func (t *Tokens) TTL() time.Duration { return t.ttl }

var jwtHeader = base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))

// Issue returns a signed token for the actor, valid for the TTL, for the given audience.
func (t *Tokens) Issue(actor milepost.Actor, audience string) (string, error) {
	now := t.now()
	c := TokenClaims{Issuer: "milepost", PartnerID: actor.PartnerID, Scope: string(actor.Scope), UserID: actor.UserID,
		IssuedAt: now.Unix(), ExpiresAt: now.Add(t.ttl).Unix(), Audience: audience}
	payload, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	signing := jwtHeader + "." + base64.RawURLEncoding.EncodeToString(payload)
	return signing + "." + t.sign(signing), nil
}

func (t *Tokens) sign(s string) string {
	m := hmac.New(sha256.New, t.key)
	m.Write([]byte(s))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Verify checks a token's signature, algorithm, expiry and audience and returns the actor. Any
// failure is a CodeUnauthorized error; the message says only that the token is invalid or expired.
func (t *Tokens) Verify(token, audience string) (milepost.Actor, error) {
	bad := milepost.Errorf(milepost.CodeUnauthorized, milepost.ReasonUnauthorized, "The bearer token is invalid or expired; request a new one.")
	if len(token) > 4096 {
		return milepost.Actor{}, bad
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 || parts[0] != jwtHeader {
		// Only our own header (HS256) is accepted: "alg":"none" and algorithm confusion fail here.
		return milepost.Actor{}, bad
	}
	want := t.sign(parts[0] + "." + parts[1])
	if !hmac.Equal([]byte(want), []byte(parts[2])) {
		return milepost.Actor{}, bad
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return milepost.Actor{}, bad
	}
	var c TokenClaims
	if err := json.Unmarshal(payload, &c); err != nil {
		return milepost.Actor{}, bad
	}
	scope := milepost.Scope(c.Scope)
	if c.Audience != audience || c.PartnerID == "" || !scope.Valid() || (scope == milepost.ScopeUser && c.UserID == "") {
		return milepost.Actor{}, bad
	}
	if t.now().Unix() >= c.ExpiresAt {
		return milepost.Actor{}, bad
	}
	return milepost.Actor{PartnerID: c.PartnerID, Scope: scope, UserID: c.UserID}, nil
}

// BearerToken returns the token of an "Authorization: Bearer <token>" header, or "".
func BearerToken(header string) string {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}
