// Package openapi builds the OpenAPI 3.1 document that Milepost serves at /openapi.json, from the
// operations each API package registers with its routes. Schemas are derived from the Go request
// and response types by reflection (json tags plus doc/enum/format tags), so the document cannot
// drift from the code that encodes the JSON.
package openapi

import (
	"encoding/json"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Param is a path, query or header parameter.
type Param struct {
	Name        string
	In          string // path, query, header
	Description string
	Required    bool
	Type        any      // a Go value whose type gives the schema; nil means string
	Enum        []string // allowed values
	Default     any
	Style       string // e.g. deepObject
	Explode     *bool
}

// Response is one documented status of an operation.
type Response struct {
	Status      int
	Description string
	Body        any    // a Go value whose type gives the schema; nil means no body
	ContentType string // default application/json
	// Codes lists the error codes this status can carry (shown in the description).
	Codes []string
	// Also lists other content types the same status may be served as (text, e.g. text/csv).
	Also []string
}

// Op is one operation: a method on a path.
type Op struct {
	Method      string
	Path        string // with {name} path parameters, as net/http.ServeMux patterns write them
	ID          string
	Summary     string
	Description string
	Tags        []string
	// Security lists the ways to authenticate, any one of which is enough; each way names the
	// security schemes that must all be present. Nil means no authentication.
	Security [][]string
	Params   []Param
	// Body is the JSON request body (a Go value); BodyTypes adds other content types with their
	// own Go value (e.g. multipart/form-data).
	Body         any
	BodyRequired bool
	BodyTypes    map[string]any
	Responses    []Response
}

// Spec is an OpenAPI document under construction. It is safe for concurrent use.
type Spec struct {
	mu       sync.Mutex
	info     map[string]any
	ops      []Op
	schemas  map[string]Schema
	security map[string]any
	tags     []map[string]any
	servers  []map[string]any
}

// New starts a document with its title, version and description.
func New(title, version, description string) *Spec {
	return &Spec{
		info:     map[string]any{"title": title, "version": version, "description": description},
		schemas:  map[string]Schema{},
		security: map[string]any{},
	}
}

// AddTag documents a tag that groups operations.
func (s *Spec) AddTag(name, description string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tags = append(s.tags, map[string]any{"name": name, "description": description})
}

// AddServer records a base URL clients can use.
func (s *Spec) AddServer(url, description string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.servers = append(s.servers, map[string]any{"url": url, "description": description})
}

// AddSecurityScheme records a security scheme (an OpenAPI securityScheme object).
func (s *Spec) AddSecurityScheme(name string, scheme map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.security[name] = scheme
}

// Add records an operation.
func (s *Spec) Add(op Op) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ops = append(s.ops, op)
}

// Has reports whether the document has the operation method path.
func (s *Spec) Has(method, path string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, op := range s.ops {
		if op.Method == method && op.Path == path {
			return true
		}
	}
	return false
}

// Ops returns a copy of the recorded operations.
func (s *Spec) Ops() []Op {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Op(nil), s.ops...)
}

// Document returns the OpenAPI 3.1 document as a JSON-ready map.
func (s *Spec) Document() map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	paths := map[string]map[string]any{}
	for _, op := range s.ops {
		item := paths[op.Path]
		if item == nil {
			item = map[string]any{}
			paths[op.Path] = item
		}
		item[strings.ToLower(op.Method)] = s.operation(op)
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info":    s.info,
		"paths":   paths,
		"components": map[string]any{
			"schemas":         s.cleanSchemas(),
			"securitySchemes": s.security,
		},
	}
	if len(s.tags) > 0 {
		doc["tags"] = s.tags
	}
	if len(s.servers) > 0 {
		doc["servers"] = s.servers
	}
	return doc
}

// cleanSchemas drops the internal x-order hints (kept for the docs page) from the output.
func (s *Spec) cleanSchemas() map[string]any {
	out := make(map[string]any, len(s.schemas))
	for k, v := range s.schemas {
		out[k] = stripOrder(v)
	}
	return out
}

func stripOrder(v any) any {
	switch t := v.(type) {
	case Schema:
		c := Schema{}
		for k, val := range t {
			if k == "x-order" {
				continue
			}
			c[k] = stripOrder(val)
		}
		return c
	case map[string]any:
		c := map[string]any{}
		for k, val := range t {
			c[k] = stripOrder(val)
		}
		return c
	case []any:
		c := make([]any, len(t))
		for i, val := range t {
			c[i] = stripOrder(val)
		}
		return c
	}
	return v
}

func (s *Spec) operation(op Op) map[string]any {
	o := map[string]any{"operationId": op.ID, "summary": op.Summary}
	if op.Description != "" {
		o["description"] = op.Description
	}
	if len(op.Tags) > 0 {
		o["tags"] = op.Tags
	}
	if op.Security != nil {
		sec := []any{}
		for _, way := range op.Security {
			req := map[string][]string{}
			for _, name := range way {
				req[name] = []string{}
			}
			sec = append(sec, req)
		}
		o["security"] = sec
	} else {
		o["security"] = []any{}
	}
	var params []any
	for _, p := range op.Params {
		sch := Schema{"type": "string"}
		if p.Type != nil {
			sch = s.schemaFor(reflect.TypeOf(p.Type))
		}
		if len(p.Enum) > 0 {
			e := make([]any, len(p.Enum))
			for i, v := range p.Enum {
				e[i] = v
			}
			sch["enum"] = e
		}
		if p.Default != nil {
			sch["default"] = p.Default
		}
		pm := map[string]any{"name": p.Name, "in": p.In, "required": p.Required || p.In == "path", "schema": stripOrder(sch)}
		if p.Description != "" {
			pm["description"] = p.Description
		}
		if p.Style != "" {
			pm["style"] = p.Style
		}
		if p.Explode != nil {
			pm["explode"] = *p.Explode
		}
		params = append(params, pm)
	}
	if len(params) > 0 {
		o["parameters"] = params
	}
	if op.Body != nil || len(op.BodyTypes) > 0 {
		content := map[string]any{}
		if op.Body != nil {
			content["application/json"] = map[string]any{"schema": stripOrder(s.schemaFor(reflect.TypeOf(op.Body)))}
		}
		for ct, v := range op.BodyTypes {
			content[ct] = map[string]any{"schema": stripOrder(s.schemaFor(reflect.TypeOf(v)))}
		}
		o["requestBody"] = map[string]any{"required": op.BodyRequired, "content": content}
	}
	responses := map[string]any{}
	for _, r := range op.Responses {
		desc := r.Description
		if desc == "" {
			desc = http.StatusText(r.Status)
		}
		if len(r.Codes) > 0 {
			desc += " Possible error codes: " + strings.Join(r.Codes, ", ") + "."
		}
		rm := map[string]any{"description": desc}
		if r.Body != nil {
			ct := r.ContentType
			if ct == "" {
				ct = "application/json"
			}
			rm["content"] = map[string]any{ct: map[string]any{"schema": stripOrder(s.schemaFor(reflect.TypeOf(r.Body)))}}
		} else if r.ContentType != "" {
			rm["content"] = map[string]any{r.ContentType: map[string]any{"schema": Schema{"type": "string", "format": "binary"}}}
		}
		for _, ct := range r.Also {
			content, _ := rm["content"].(map[string]any)
			if content == nil {
				content = map[string]any{}
				rm["content"] = content
			}
			content[ct] = map[string]any{"schema": Schema{"type": "string"}}
		}
		responses[strconv.Itoa(r.Status)] = rm
	}
	o["responses"] = responses
	return o
}

// MarshalJSON encodes the document.
func (s *Spec) MarshalJSON() ([]byte, error) { return json.Marshal(s.Document()) }

// ServeHTTP serves the document as JSON.
func (s *Spec) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, err := json.MarshalIndent(s.Document(), "", "  ")
	if err != nil {
		http.Error(w, "cannot encode the OpenAPI document", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(b)
}

// sortedOps returns the operations sorted by tag, path and method, for the docs page.
func (s *Spec) sortedOps() []Op {
	ops := s.Ops()
	sort.SliceStable(ops, func(i, j int) bool {
		ti, tj := firstTag(ops[i]), firstTag(ops[j])
		if ti != tj {
			return ti < tj
		}
		if ops[i].Path != ops[j].Path {
			return ops[i].Path < ops[j].Path
		}
		return ops[i].Method < ops[j].Method
	})
	return ops
}

func firstTag(op Op) string {
	if len(op.Tags) > 0 {
		return op.Tags[0]
	}
	return ""
}
