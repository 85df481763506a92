package campaignfile

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// parent is the path one level up: products[2].id → products[2] → products → "".
func parent(path string) string {
	if strings.HasSuffix(path, "]") {
		if i := strings.LastIndexByte(path, '['); i >= 0 {
			return path[:i]
		}
	}
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[:i]
	}
	return ""
}

// related reports whether a and b are the same field or one contains the other.
func related(a, b string) bool {
	within := func(inner, outer string) bool {
		return strings.HasPrefix(inner, outer) && len(inner) > len(outer) && (inner[len(outer)] == '.' || inner[len(outer)] == '[')
	}
	return a == b || within(a, b) || within(b, a)
}

// last is the last segment of a path, naming the field in messages.
func last(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[i+1:]
	}
	return path
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == tagNull }

// describe names what a node holds, for messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.DocumentNode:
		return "a document"
	}
	v := n.Value
	if utf8.RuneCountInString(v) > 40 {
		v = string([]rune(v)[:40]) + "…"
	}
	switch n.Tag {
	case tagStr:
		return fmt.Sprintf("the text %q", v)
	case tagInt, tagFloat:
		return "the number " + v
	case tagBool:
		return "the boolean " + v
	case tagNull:
		return "an empty value"
	case tagTimestamp:
		return "the date " + v
	}
	return fmt.Sprintf("a value tagged %s", n.Tag)
}

// suggest returns the allowed key closest to key when it is a likely typo.
func suggest(key string, allowed []string) string {
	key = strings.ToLower(key)
	best, bestDist := "", 3
	for _, a := range allowed {
		if d := distance(key, strings.ToLower(a)); d < bestDist {
			best, bestDist = a, d
		}
	}
	if best == "" && len(key) >= 3 {
		for _, a := range allowed {
			if strings.HasPrefix(strings.ToLower(a), key) {
				return a
			}
		}
	}
	return best
}

// distance is the Levenshtein distance of a and b (short keys only; long ones are never close).
func distance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 1 << 30
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
