package httpx

import (
	"net/http"
	"strings"
)

// Router dispatches one API dialect's requests. Some documented paths cannot all live in one
// net/http.ServeMux: the Ownli API's GET /api/vehicles/by-id/{id} and
// GET /api/vehicles/{vehicleId}/checkin-summary overlap with neither more specific, which
// ServeMux refuses. Here a literal segment beats a wildcard at the first position where two
// matching patterns differ, so every documented path resolves as partners expect. Path values are
// set with SetPathValue, so handlers still read them with r.PathValue. Unknown paths and wrong
// methods are answered by the dialect's own handlers, in its own error format.
type Router struct {
	routes []compiledRoute
	// NotFound answers a path no route has.
	NotFound http.HandlerFunc
	// MethodNotAllowed answers a known path called with another method; Allow is already set.
	MethodNotAllowed func(w http.ResponseWriter, r *http.Request, allowed []string)
}

type compiledRoute struct {
	method   string
	path     string
	segments []string // "{name}" for wildcards
	rank     string   // '1' per literal segment, '0' per wildcard: higher sorts more specific
	handler  http.Handler
}

// Add routes method and path (with {name} wildcards) to h.
func (rt *Router) Add(method, path string, h http.Handler) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	rank := make([]byte, len(segs))
	for i, s := range segs {
		rank[i] = '1'
		if strings.HasPrefix(s, "{") {
			rank[i] = '0'
		}
	}
	rt.routes = append(rt.routes, compiledRoute{method: method, path: path, segments: segs, rank: string(rank), handler: h})
}

func (c *compiledRoute) match(segs []string) bool {
	if len(segs) != len(c.segments) {
		return false
	}
	for i, s := range c.segments {
		if c.rank[i] == '1' {
			if s != segs[i] {
				return false
			}
		} else if segs[i] == "" {
			return false
		}
	}
	return true
}

// ServeHTTP runs the most specific route matching the path and method; a path that matches
// only for other methods goes to MethodNotAllowed, an unknown path to NotFound.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	segs := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	var best *compiledRoute
	var allowed []string
	bestRankForPath := ""
	for i := range rt.routes {
		c := &rt.routes[i]
		if !c.match(segs) {
			continue
		}
		if c.rank < bestRankForPath {
			continue
		}
		if c.rank > bestRankForPath {
			bestRankForPath, allowed, best = c.rank, nil, nil
		}
		allowed = append(allowed, c.method)
		if c.method == r.Method || (r.Method == http.MethodHead && c.method == http.MethodGet) {
			best = c
		}
	}
	if best == nil {
		if len(allowed) > 0 {
			w.Header().Set("Allow", strings.Join(allowed, ", "))
			rt.MethodNotAllowed(w, r, allowed)
			return
		}
		rt.NotFound(w, r)
		return
	}
	for i, s := range best.segments {
		if best.rank[i] == '0' {
			r.SetPathValue(s[1:len(s)-1], segs[i])
		}
	}
	best.handler.ServeHTTP(w, r)
}
