package console

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/milepost/milepost/openapi"
)

// TestRegister checks that every route is in the OpenAPI document with HTML responses under the
// console's tag, and that the mounted console answers on /console and /console/.
func TestRegister(t *testing.T) {
	h := newHarness(t)
	spec := openapi.New("t", "0", "")
	mux := http.NewServeMux()
	h.c.Register(mux, spec)
	var doc struct {
		Paths map[string]map[string]struct {
			Tags      []string                   `json:"tags"`
			Responses map[string]json.RawMessage `json:"responses"`
		} `json:"paths"`
	}
	b, err := json.Marshal(spec)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	routes := h.c.Routes()
	if len(routes) < 10 {
		t.Fatalf("only %d routes", len(routes))
	}
	for _, rt := range routes {
		op, ok := doc.Paths[rt[1]][strings.ToLower(rt[0])]
		if !ok {
			t.Errorf("%s %s is not documented", rt[0], rt[1])
			continue
		}
		if len(op.Tags) != 1 || op.Tags[0] != Tag || len(op.Responses) == 0 {
			t.Errorf("%s %s: tags %v, %d responses", rt[0], rt[1], op.Tags, len(op.Responses))
		}
	}
	if !strings.Contains(string(doc.Paths["/console/checkins/{id}"]["get"].Responses["200"]), "text/html") {
		t.Error("the check-in page is not documented as text/html")
	}
	for path, want := range map[string]int{"/console": http.StatusMovedPermanently, "/console/": http.StatusSeeOther, "/console/login": http.StatusOK, "/console/nowhere": http.StatusSeeOther} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != want {
			t.Errorf("GET %s: %d, want %d", path, rec.Code, want)
		}
	}
}
