package openapi

import (
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

type inner struct {
	Zip string `json:"zip" pattern:"^[0-9]{5}$"`
}

type sample struct {
	Name    string    `json:"name" required:"true" doc:"The name." maxLength:"10"`
	Kind    string    `json:"kind" enum:"a,b"`
	Count   int32     `json:"count" minimum:"1"`
	Amount  float64   `json:"amount"`
	At      time.Time `json:"at"`
	Tags    []string  `json:"tags"`
	Inner   inner     `json:"inner"`
	Ptr     *inner    `json:"ptr,omitempty"`
	Skipped string    `json:"-"`
	private string
}

func TestSchemaFromStruct(t *testing.T) {
	s := New("T", "1", "d")
	s.Add(Op{Method: "POST", Path: "/x/{id}", ID: "x", Summary: "x", Security: [][]string{{"a", "b"}, {"c"}},
		Params: []Param{{Name: "id", In: "path"}, {Name: "n", In: "query", Type: 0, Enum: []string{"1"}}},
		Body:   sample{}, Responses: []Response{{Status: 200, Body: sample{}}, {Status: 400, Codes: []string{"E1"}}}})
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	json.Unmarshal(b, &doc)
	sch := doc["components"].(map[string]any)["schemas"].(map[string]any)["sample"].(map[string]any)
	props := sch["properties"].(map[string]any)
	if len(props) != 8 || props["name"].(map[string]any)["maxLength"] != 10.0 || props["at"].(map[string]any)["format"] != "date-time" ||
		props["kind"].(map[string]any)["enum"] == nil || props["count"].(map[string]any)["minimum"] != 1.0 {
		t.Fatalf("properties %v", props)
	}
	if req := sch["required"].([]any); len(req) != 1 || req[0] != "name" {
		t.Fatalf("required %v", req)
	}
	if _, ok := sch["x-order"]; ok {
		t.Fatal("internal x-order leaked into the document")
	}
	if strings.Contains(string(b), "Skipped") || strings.Contains(string(b), "private") {
		t.Fatal("skipped fields documented")
	}
	op := doc["paths"].(map[string]any)["/x/{id}"].(map[string]any)["post"].(map[string]any)
	if len(op["security"].([]any)) != 2 || len(op["parameters"].([]any)) != 2 {
		t.Fatalf("operation %v", op)
	}
	if !strings.Contains(op["responses"].(map[string]any)["400"].(map[string]any)["description"].(string), "E1") {
		t.Fatal("error codes not in the description")
	}
	if !s.Has("POST", "/x/{id}") || s.Has("GET", "/x/{id}") {
		t.Fatal("Has")
	}
	rec := httptest.NewRecorder()
	s.DocsHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/docs", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "/x/{id}") || !strings.Contains(rec.Body.String(), "The name.") {
		t.Fatalf("docs page %d", rec.Code)
	}
}

type gen[T any] struct {
	V T `json:"v"`
}

func TestSchemaNamesOfGenerics(t *testing.T) {
	for typ, want := range map[reflect.Type]string{
		reflect.TypeFor[gen[inner]]():        "gen_inner",
		reflect.TypeFor[gen[[]gen[inner]]](): "gen_List_gen_inner",
		reflect.TypeFor[gen[*struct{}]]():    "gen_struct",
		reflect.TypeFor[sample]():            "sample",
	} {
		if got := schemaName(typ); got != want {
			t.Errorf("schemaName(%v) = %q, want %q", typ, got, want)
		}
	}
}
