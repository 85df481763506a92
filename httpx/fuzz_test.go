package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/milepost/milepost"
)

// fuzzTarget has a field of each kind the dialects decode, so type mismatches of every kind are
// reachable.
type fuzzTarget struct {
	S   string            `json:"s"`
	P   *string           `json:"p"`
	I   int               `json:"i"`
	I64 *int64            `json:"i64"`
	F   float64           `json:"f"`
	B   bool              `json:"b"`
	L   []string          `json:"l"`
	M   map[string]int    `json:"m"`
	N   *fuzzTarget       `json:"n"`
	Raw json.RawMessage   `json:"raw"`
	Any any               `json:"any"`
	Arr [2]int            `json:"arr"`
	Obj struct{ X uint8 } `json:"obj"`
}

// fuzzLimit is the body limit of the limited decode; small so the fuzzer reaches it.
const fuzzLimit = 256

// FuzzDecodeJSON decodes arbitrary bodies as the handlers do, with and without a body limit.
// Whatever the bytes: no panic; every error a client-safe *milepost.Error (CodeInvalid, or
// CodeTooLarge only past the limit) whose message names no Go type; an accepted body is one
// valid JSON value; and the limit changes the outcome only for bodies longer than it.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{
		`{"s":"a","p":null,"i":1,"i64":-9223372036854775808,"f":1.5e3,"b":true,"l":["x"],"m":{"k":2},"n":{"s":"b"},"raw":[1,{}],"any":null,"arr":[1,2],"obj":{"X":255}}`,
		`{"i":1.5}`, `{"i":"1"}`, `{"obj":{"X":256}}`, `{"arr":[1,2,3]}`, `{"n":[]}`, `{"m":{"k":"v"}}`, `{"s":"\ud800"}`,
		`{"S":"case-insensitive","unknown":{"deep":[1]}}`, `{} `, `{}{}`, `{} x`, `[]`, `null`, `"x"`, ``, `{`, "\xef\xbb\xbf{}",
		`{"raw":` + strings.Repeat("[", 600) + `}`, `{"s":"` + strings.Repeat("x", 300) + `"}`, `{}` + strings.Repeat(" ", 300),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		decode := func(limit int64) (fuzzTarget, error) {
			var dst fuzzTarget
			r := httptest.NewRequest("POST", "/", bytes.NewReader(body))
			if limit > 0 {
				rec := httptest.NewRecorder()
				LimitBody(limit, http.HandlerFunc(func(_ http.ResponseWriter, r2 *http.Request) { r = r2 })).ServeHTTP(rec, r)
			}
			err := DecodeJSON(r, &dst)
			return dst, err
		}
		free, freeErr := decode(0)
		limited, limErr := decode(fuzzLimit)
		for _, err := range []error{freeErr, limErr} {
			if err == nil {
				continue
			}
			var me *milepost.Error
			if !errors.As(err, &me) || (me.Code != milepost.CodeInvalid && me.Code != milepost.CodeTooLarge) || me.Message == "" {
				t.Fatalf("error %#v is not a client-safe *milepost.Error", err)
			}
			if strings.Contains(me.Message, "fuzzTarget") || strings.Contains(me.Message, "httpx.") || strings.Contains(me.Message, "json:") ||
				strings.Contains(me.Message, "uint8") || strings.Contains(me.Message, "int64") || strings.Contains(me.Message, "float64") {
				t.Fatalf("message %q leaks Go internals", me.Message)
			}
		}
		if milepost.ErrorCode(freeErr) == milepost.CodeTooLarge {
			t.Fatalf("CodeTooLarge without a limit: %v", freeErr)
		}
		if freeErr == nil && !json.Valid(body) {
			t.Fatalf("accepted %q, which is not one JSON value", body)
		}
		if len(body) <= fuzzLimit {
			if (freeErr == nil) != (limErr == nil) || (freeErr == nil && !reflect.DeepEqual(free, limited)) {
				t.Fatalf("the limit changed the outcome of a %d-byte body: %v / %v", len(body), freeErr, limErr)
			}
		} else if limErr == nil {
			t.Fatalf("a %d-byte body passed a %d-byte limit", len(body), fuzzLimit)
		}
		if milepost.ErrorCode(limErr) == milepost.CodeTooLarge && len(body) <= fuzzLimit {
			t.Fatalf("CodeTooLarge for %d bytes under a limit of %d", len(body), fuzzLimit)
		}
	})
}
