package openapi

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Schema is a JSON Schema (2020-12, as OpenAPI 3.1 uses) object.
type Schema map[string]any

var timeType = reflect.TypeFor[time.Time]()
var rawType = reflect.TypeFor[json.RawMessage]()

// schemaFor returns the schema of t. Named struct types are registered once under
// components/schemas and referenced; the rest are inlined.
func (s *Spec) schemaFor(t reflect.Type) Schema {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return Schema{"type": "string", "format": "date-time"}
	case t == rawType:
		return Schema{}
	}
	switch t.Kind() {
	case reflect.Bool:
		return Schema{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Uint8, reflect.Uint16, reflect.Uint32:
		return Schema{"type": "integer", "format": "int32"}
	case reflect.Int64, reflect.Uint, reflect.Uint64:
		return Schema{"type": "integer", "format": "int64"}
	case reflect.Float32:
		return Schema{"type": "number", "format": "float"}
	case reflect.Float64:
		return Schema{"type": "number", "format": "double"}
	case reflect.String:
		return Schema{"type": "string"}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return Schema{"type": "string", "contentEncoding": "base64"}
		}
		return Schema{"type": "array", "items": s.schemaFor(t.Elem())}
	case reflect.Map:
		return Schema{"type": "object", "additionalProperties": s.schemaFor(t.Elem())}
	case reflect.Interface:
		return Schema{}
	case reflect.Struct:
		if t.Name() == "" {
			return s.structSchema(t)
		}
		name := schemaName(t)
		if _, ok := s.schemas[name]; !ok {
			s.schemas[name] = Schema{} // placeholder breaks recursion
			s.schemas[name] = s.structSchema(t)
		}
		return Schema{"$ref": "#/components/schemas/" + name}
	}
	return Schema{}
}

// structSchema describes a struct from its json tags and these documentation tags:
// doc (description), enum (comma-separated), required ("true"), format, pattern, minimum,
// maximum, minLength, maxLength, example, default.
func (s *Spec) structSchema(t reflect.Type) Schema {
	props := map[string]any{}
	var order []string
	var required []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			inner := s.structSchema(derefType(f.Type))
			if p, ok := inner["properties"].(map[string]any); ok {
				for k, v := range p {
					props[k] = v
				}
				order = append(order, inner["x-order"].([]string)...)
			}
			if r, ok := inner["required"].([]string); ok {
				required = append(required, r...)
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		fs := s.schemaFor(f.Type)
		if _, isRef := fs["$ref"]; isRef && (f.Tag.Get("doc") != "") {
			// A $ref cannot carry siblings in every tool; wrap it to keep the description.
			fs = Schema{"allOf": []any{fs}}
		}
		applyTags(fs, f.Tag)
		props[name] = fs
		order = append(order, name)
		if f.Tag.Get("required") == "true" {
			required = append(required, name)
		}
	}
	out := Schema{"type": "object", "properties": props, "x-order": order}
	if len(required) > 0 {
		out["required"] = required
	}
	return out
}

func derefType(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func applyTags(fs Schema, tag reflect.StructTag) {
	if v := tag.Get("doc"); v != "" {
		fs["description"] = v
	}
	if v := tag.Get("enum"); v != "" {
		vals := strings.Split(v, ",")
		items := make([]any, len(vals))
		for i, e := range vals {
			items[i] = e
		}
		if fs["type"] == "array" {
			if it, ok := fs["items"].(Schema); ok {
				it["enum"] = items
			}
		} else {
			fs["enum"] = items
		}
	}
	for _, k := range []string{"format", "pattern"} {
		if v := tag.Get(k); v != "" {
			fs[k] = v
		}
	}
	for _, k := range []string{"minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems"} {
		if v := tag.Get(k); v != "" {
			if n, err := strconv.ParseFloat(v, 64); err == nil {
				fs[k] = n
			}
		}
	}
	for _, k := range []string{"example", "default"} {
		if v := tag.Get(k); v != "" {
			var parsed any
			if json.Unmarshal([]byte(v), &parsed) == nil {
				fs[k] = parsed
			} else {
				fs[k] = v
			}
		}
	}
}

// schemaName names a component schema after its Go type. A generic instance such as
// envelope[[]pkg/path.itemJSON[pkg/path.mileageOut]] becomes envelope_List_itemJSON_mileageOut
// (component names allow only letters, digits, '.', '-' and '_').
func schemaName(t reflect.Type) string {
	name := t.Name()
	if !strings.Contains(name, "[") {
		return name
	}
	name = pkgPath.ReplaceAllString(name, "")
	name = strings.ReplaceAll(name, "[]", "List_")
	name = nonName.ReplaceAllString(name, "_")
	return strings.Trim(name, "_")
}

var (
	pkgPath = regexp.MustCompile(`[A-Za-z0-9_.\-]*/(?:[A-Za-z0-9_.\-]*/)*[A-Za-z0-9_\-]*\.`)
	nonName = regexp.MustCompile(`[^A-Za-z0-9]+`)
)
