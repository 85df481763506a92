package httpx

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strconv"
	"time"
)

// Signer makes and checks expiring signed links to a resource (an uploaded photo shown in a
// browser or an e-mail, where no API headers can be sent). The key is shared by all nodes.
type Signer struct {
	key []byte
	now func() time.Time
}

// NewSigner returns a link signer with the shared key.
func NewSigner(key []byte) *Signer { return &Signer{key: append([]byte(nil), key...), now: time.Now} }

func (s *Signer) mac(path string, expires int64) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(path))
	m.Write([]byte{0})
	m.Write([]byte(strconv.FormatInt(expires, 10)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Sign returns the query string (expires=…&signature=…) that authorizes GET path for ttl.
func (s *Signer) Sign(path string, ttl time.Duration) string {
	exp := s.now().Add(ttl).Unix()
	v := url.Values{}
	v.Set("expires", strconv.FormatInt(exp, 10))
	v.Set("signature", s.mac(path, exp))
	return v.Encode()
}

// Valid reports whether the query of a request to path carries an unexpired signature for it.
func (s *Signer) Valid(path string, q url.Values) bool {
	sig := q.Get("signature")
	exp, err := strconv.ParseInt(q.Get("expires"), 10, 64)
	if sig == "" || err != nil || s.now().Unix() > exp {
		return false
	}
	return hmac.Equal([]byte(sig), []byte(s.mac(path, exp)))
}
