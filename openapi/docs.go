package openapi

import (
	"html/template"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// docField is one row of a schema table on the docs page.
type docField struct {
	Name, Type, Description string
	Required                bool
}

type docResponse struct {
	Status      int
	Description string
	Fields      []docField
}

type docOp struct {
	Op
	Anchor    string
	BodyTitle string
	Body      []docField
	Responses []docResponse
}

type docTag struct {
	Name string
	Ops  []docOp
}

var docsTemplate = template.Must(template.New("docs").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} – API reference</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1b1f24;background:#fff}
header{background:#17324d;color:#fff;padding:1rem 2rem}header a{color:#cfe3ff}
main{max-width:72rem;margin:0 auto;padding:1rem 2rem}
nav ul{columns:2;list-style:none;padding:0}nav li{margin:.1rem 0}
section.op{border:1px solid #d0d7de;border-radius:6px;margin:1rem 0;padding:.5rem 1rem}
.m{display:inline-block;min-width:4.2rem;font-weight:700;font-family:monospace}
.GET{color:#0a6e31}.POST{color:#8a4b00}.PUT{color:#0550ae}.DELETE{color:#a40e26}
code,.p{font-family:ui-monospace,monospace}table{border-collapse:collapse;width:100%;margin:.3rem 0}
th,td{text-align:left;border-bottom:1px solid #eaeef2;padding:.2rem .4rem;vertical-align:top}
.req{color:#a40e26;font-size:.8em}
</style></head><body>
<header><h1>{{.Title}}</h1><p>{{.Description}}</p><p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1)</p></header>
<main>
<nav aria-label="Operations"><ul>{{range .Tags}}{{range .Ops}}<li><a href="#{{.Anchor}}"><span class="m {{.Method}}">{{.Method}}</span> <span class="p">{{.Path}}</span></a></li>{{end}}{{end}}</ul></nav>
{{range .Tags}}<h2>{{.Name}}</h2>
{{range .Ops}}<section class="op" id="{{.Anchor}}">
<h3><span class="m {{.Method}}">{{.Method}}</span> <span class="p">{{.Path}}</span></h3>
<p><strong>{{.Summary}}</strong></p>{{if .Description}}<p>{{.Description}}</p>{{end}}
{{if .Security}}<p>Authentication: {{range $i, $way := .Security}}{{if $i}} or {{end}}{{range $j, $s := $way}}{{if $j}} + {{end}}<code>{{$s}}</code>{{end}}{{end}}</p>{{end}}
{{if .Params}}<h4>Parameters</h4><table><tr><th>Name</th><th>In</th><th>Description</th></tr>
{{range .Params}}<tr><td><code>{{.Name}}</code>{{if .Required}} <span class="req">required</span>{{end}}</td><td>{{.In}}</td><td>{{.Description}}{{if .Enum}} One of: {{range $i, $e := .Enum}}{{if $i}}, {{end}}<code>{{$e}}</code>{{end}}.{{end}}</td></tr>{{end}}</table>{{end}}
{{if .Body}}<h4>{{.BodyTitle}}</h4><table><tr><th>Field</th><th>Type</th><th>Description</th></tr>
{{range .Body}}<tr><td><code>{{.Name}}</code>{{if .Required}} <span class="req">required</span>{{end}}</td><td>{{.Type}}</td><td>{{.Description}}</td></tr>{{end}}</table>{{end}}
<h4>Responses</h4><table><tr><th>Status</th><th>Description</th></tr>
{{range .Responses}}<tr><td>{{.Status}}</td><td>{{.Description}}{{if .Fields}}<details><summary>fields</summary><table>{{range .Fields}}<tr><td><code>{{.Name}}</code></td><td>{{.Type}}</td><td>{{.Description}}</td></tr>{{end}}</table></details>{{end}}</td></tr>{{end}}</table>
</section>{{end}}{{end}}
</main></body></html>`))

// DocsHandler serves a human-readable reference page rendered on the server from the spec.
func (s *Spec) DocsHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data := s.docsData()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := docsTemplate.Execute(w, data); err != nil {
			http.Error(w, "cannot render the docs page", http.StatusInternalServerError)
		}
	})
}

func (s *Spec) docsData() map[string]any {
	s.Document() // registers every schema
	var tags []docTag
	for _, op := range s.sortedOps() {
		t := firstTag(op)
		if len(tags) == 0 || tags[len(tags)-1].Name != t {
			tags = append(tags, docTag{Name: t})
		}
		d := docOp{Op: op, Anchor: op.ID}
		if op.Body != nil {
			d.BodyTitle = "Request body (application/json)"
			d.Body = s.fields(reflect.TypeOf(op.Body), "")
		} else if len(op.BodyTypes) > 0 {
			for ct, v := range op.BodyTypes {
				d.BodyTitle = "Request body (" + ct + ")"
				d.Body = s.fields(reflect.TypeOf(v), "")
				break
			}
		}
		for _, r := range op.Responses {
			desc := r.Description
			if desc == "" {
				desc = http.StatusText(r.Status)
			}
			if len(r.Codes) > 0 {
				desc += " Error codes: " + strings.Join(r.Codes, ", ") + "."
			}
			dr := docResponse{Status: r.Status, Description: desc}
			if r.Body != nil && r.Status < 300 {
				dr.Fields = s.fields(reflect.TypeOf(r.Body), "")
			}
			d.Responses = append(d.Responses, dr)
		}
		tags[len(tags)-1].Ops = append(tags[len(tags)-1].Ops, d)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return map[string]any{"Title": s.info["title"], "Description": s.info["description"], "Tags": tags}
}

// fields flattens a struct type into dotted field rows (one level of nesting per object).
func (s *Spec) fields(t reflect.Type, prefix string) []docField {
	t = derefType(t)
	if t.Kind() == reflect.Slice {
		return s.fields(t.Elem(), prefix+"[]")
	}
	if t.Kind() != reflect.Struct || t == timeType {
		return nil
	}
	s.mu.Lock()
	sch := s.structSchema(t)
	s.mu.Unlock()
	props, _ := sch["properties"].(map[string]any)
	order, _ := sch["x-order"].([]string)
	req := map[string]bool{}
	if r, ok := sch["required"].([]string); ok {
		for _, n := range r {
			req[n] = true
		}
	}
	var out []docField
	for _, name := range order {
		p, _ := props[name].(Schema)
		out = append(out, docField{Name: prefix + name, Type: typeName(p), Description: describe(p), Required: req[name]})
		if sf, ok := fieldByJSONName(t, name); ok && prefix == "" {
			out = append(out, s.fields(sf.Type, name+".")...)
		}
	}
	return out
}

func fieldByJSONName(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		n, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if n == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func typeName(p Schema) string {
	if ref, ok := p["$ref"].(string); ok {
		return "object (" + ref[strings.LastIndexByte(ref, '/')+1:] + ")"
	}
	if all, ok := p["allOf"].([]any); ok && len(all) == 1 {
		if inner, ok := all[0].(Schema); ok {
			return typeName(inner)
		}
	}
	t, _ := p["type"].(string)
	if t == "array" {
		if it, ok := p["items"].(Schema); ok {
			return "array of " + typeName(it)
		}
	}
	if f, ok := p["format"].(string); ok {
		return t + " (" + f + ")"
	}
	if t == "" {
		return "any"
	}
	return t
}

func describe(p Schema) string {
	d, _ := p["description"].(string)
	if e, ok := p["enum"].([]any); ok {
		vals := make([]string, len(e))
		for i, v := range e {
			vals[i] = toString(v)
		}
		sort.Strings(vals)
		d += " One of: " + strings.Join(vals, ", ") + "."
	}
	return strings.TrimSpace(d)
}

func toString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	}
	return ""
}
