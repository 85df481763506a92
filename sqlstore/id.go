package sqlstore

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"

	"github.com/google/uuid"
)

// newID returns a UUIDv7: sortable by creation time, with 74 random bits so ids cannot be guessed.
func newID() string {
	id, err := uuid.NewV7()
	if err != nil {
		// NewV7 fails only when the system's random source fails, which crypto/rand treats as fatal.
		panic("sqlstore: generate id: " + err.Error())
	}
	return id.String()
}

// randomHex returns n random bytes, hex-encoded.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never returns an error (it crashes the program instead)
	return hex.EncodeToString(b)
}

// randomToken returns n random bytes in unpadded URL-safe Base64.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// prefixedID returns an id in the Tight API's style: a type prefix and 16 random hex digits.
func prefixedID(prefix string) string { return prefix + "_" + randomHex(8) }
