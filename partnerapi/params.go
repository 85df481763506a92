package partnerapi

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/milepost/milepost"
)

// query reads typed query parameters, keeping the first error.
type query struct {
	r   *http.Request
	err error
}

func (q *query) str(name string) string { return strings.TrimSpace(q.r.URL.Query().Get(name)) }

func (q *query) integer(name string, def int) int {
	v := q.str(name)
	if v == "" || q.err != nil {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		q.err = milepost.Invalidf(name, "%s must be an integer, not %q.", name, v)
		return def
	}
	return n
}

func (q *query) boolean(name string) *bool {
	v := q.str(name)
	if v == "" || q.err != nil {
		return nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		q.err = milepost.Invalidf(name, "%s must be true or false, not %q.", name, v)
		return nil
	}
	return &b
}

func (q *query) oneOf(name string, allowed []string) string {
	v := q.str(name)
	if v == "" || q.err != nil {
		return v
	}
	if !slices.Contains(allowed, v) {
		q.err = milepost.Invalidf(name, "%s must be one of %s, not %q.", name, strings.Join(allowed, ", "), v)
	}
	return v
}

func (q *query) time(name string) *time.Time {
	v := q.str(name)
	if q.err != nil {
		return nil
	}
	t, err := parseTime(name, v)
	if err != nil {
		q.err = err
		return nil
	}
	return t
}

func (q *query) page() milepost.PageRequest {
	return milepost.PageRequest{Page: q.integer("page", 0), Size: q.integer("size", milepost.DefaultPageSize)}
}

func (q *query) direction() milepost.SortDirection {
	d, err := milepost.ParseSortDirection(q.str("sortDirection"), milepost.SortDesc)
	if err != nil && q.err == nil {
		q.err = err
	}
	return d
}

// envelope is the page envelope of the partner API's paged lists; the items field is added by
// each list's own type.
type envelope struct {
	TotalItems  int `json:"totalItems" doc:"Total number of items matching the query."`
	CurrentPage int `json:"currentPage" doc:"Current page number (0-based)."`
	TotalPages  int `json:"totalPages" doc:"Total number of pages of this size."`
	ItemsOnPage int `json:"itemsOnPage" doc:"Number of items on this page."`
}

func newEnvelope(p milepost.PageRequest, total, onPage int) envelope {
	return envelope{TotalItems: total, CurrentPage: p.Page, TotalPages: p.TotalPages(total), ItemsOnPage: onPage}
}

// pageJSON is a page envelope with its check-ins.
type pageJSON[T any] struct {
	envelope
	Checkins []T `json:"checkins"`
}

// mapAll converts every item with f.
func mapAll[S, T any](items []S, f func(S) T) []T {
	out := make([]T, len(items))
	for i, it := range items {
		out[i] = f(it)
	}
	return out
}

// checkinPage converts a page of check-ins with f.
func checkinPage[T any](p *milepost.CheckinPage, f func(*milepost.Checkin) T) pageJSON[T] {
	return pageJSON[T]{envelope: newEnvelope(p.Page, p.TotalItems, len(p.Checkins)), Checkins: mapAll(p.Checkins, f)}
}
