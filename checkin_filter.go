package milepost

import (
	"slices"
	"strings"
)

// CheckinSortKeys are the sort keys of the partner-wide check-in lists.
var CheckinSortKeys = []string{"dateCheckedIn", "dateUpdated"}

// CheckinStatusFilters are the status filter values: the statuses, All and Archived (Milepost
// archives nothing, so Archived matches no check-in).
var CheckinStatusFilters = []string{"Pending", "Confirmed", "Declined", "OnHold", "Archived", "All"}

// CheckinSearchKeys returns the searchBy values of a type's partner-wide list.
func CheckinSearchKeys(t CheckinType) []string {
	users := []string{"userFirstName", "userLastName", "userEmail", "userPhone"}
	switch t {
	case CheckinMileage:
		return append([]string{"license", "vin", "state"}, users...)
	case CheckinCondition:
		return append([]string{"id", "license", "vin", "state"}, users...)
	}
	return append([]string{"id", "city", "state"}, users...)
}

// Validate checks a check-in list filter and fills defaults (sort by dateCheckedIn, desc).
func (f CheckinFilter) Validate() (CheckinFilter, error) {
	var err error
	if !f.Type.Valid() {
		return f, Invalidf("type", "unknown check-in type.")
	}
	if f.PageRequest, err = f.PageRequest.Normalize(); err != nil {
		return f, err
	}
	if f.SortBy == "" {
		f.SortBy = "dateCheckedIn"
	} else if !slices.Contains(CheckinSortKeys, f.SortBy) {
		return f, Invalidf("sortBy", "sortBy must be one of %s.", strings.Join(CheckinSortKeys, ", "))
	}
	if f.SortDirection == "" {
		f.SortDirection = SortDesc
	}
	if f.Status != "" && !slices.Contains(CheckinStatusFilters, f.Status) {
		return f, Invalidf("status", "status must be one of %s.", strings.Join(CheckinStatusFilters, ", "))
	}
	keys := CheckinSearchKeys(f.Type)
	if f.SearchBy != "" && !slices.Contains(keys, f.SearchBy) {
		return f, Invalidf("searchBy", "searchBy must be one of %s.", strings.Join(keys, ", "))
	}
	f.SearchValue = strings.TrimSpace(f.SearchValue)
	if f.SearchBy != "" && f.SearchValue == "" {
		return f, Invalidf("searchValue", "searchValue is required with searchBy.")
	}
	if f.SearchBy == "" && f.SearchValue != "" {
		return f, Invalidf("searchBy", "searchBy is required with searchValue.")
	}
	if f.CheckinFrom != nil && f.CheckinTo != nil && f.CheckinTo.Before(*f.CheckinFrom) {
		return f, Invalidf("checkinEndDate", "checkinEndDate must not be before checkinStartDate.")
	}
	if f.UpdatedFrom != nil && f.UpdatedTo != nil && f.UpdatedTo.Before(*f.UpdatedFrom) {
		return f, Invalidf("updatedEndDate", "updatedEndDate must not be before updatedStartDate.")
	}
	return f, nil
}
