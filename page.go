package milepost

import "strings"

// PageRequest is a zero-based page of a list. Size is clamped by Normalize.
type PageRequest struct {
	Page int
	Size int
}

// Paging limits shared by the partner API's paged lists.
const (
	DefaultPageSize = 10
	MaxPageSize     = 1000
)

// Normalize checks the page request and fills defaults: a negative page or size, or a size over
// MaxPageSize, is a CodeInvalid error; a zero size becomes DefaultPageSize.
func (p PageRequest) Normalize() (PageRequest, error) {
	if p.Page < 0 {
		return p, Invalidf("page", "page must be 0 or more.")
	}
	if p.Size < 0 || p.Size > MaxPageSize {
		return p, Invalidf("size", "size must be between 1 and %d.", MaxPageSize)
	}
	if p.Size == 0 {
		p.Size = DefaultPageSize
	}
	return p, nil
}

// Offset is the number of items before the requested page.
func (p PageRequest) Offset() int { return p.Page * p.Size }

// TotalPages is the number of pages of size p.Size that hold total items.
func (p PageRequest) TotalPages(total int) int {
	if p.Size <= 0 {
		return 0
	}
	return (total + p.Size - 1) / p.Size
}

// SortDirection orders a list.
type SortDirection string

// The two sort directions.
const (
	SortAsc  SortDirection = "asc"
	SortDesc SortDirection = "desc"
)

// ParseSortDirection reads "asc" or "desc" (any case); "" gives def.
func ParseSortDirection(s string, def SortDirection) (SortDirection, error) {
	switch SortDirection(strings.ToLower(strings.TrimSpace(s))) {
	case "":
		return def, nil
	case SortAsc:
		return SortAsc, nil
	case SortDesc:
		return SortDesc, nil
	}
	return "", Invalidf("sortDirection", "sortDirection must be asc or desc.")
}
