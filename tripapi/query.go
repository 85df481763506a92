package tripapi

import (
	"encoding/base64"
	"encoding/json"
	"net/http"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/httpx"
)

// filterJSON is one field's filter with the Tight API's operators.
type filterJSON struct {
	In               []string `json:"in"`
	NotIn            []string `json:"notIn"`
	Equal            *string  `json:"equal"`
	NotEqual         *string  `json:"notEqual"`
	GreaterThan      *string  `json:"greaterThan"`
	GreaterThanEqual *string  `json:"greaterThanEqual"`
	LessThan         *string  `json:"lessThan"`
	LessThanEqual    *string  `json:"lessThanEqual"`
}

func (f *filterJSON) domain() milepost.StringFilter {
	if f == nil {
		return milepost.StringFilter{}
	}
	return milepost.StringFilter{In: f.In, NotIn: f.NotIn, Equal: f.Equal, NotEqual: f.NotEqual,
		Greater: f.GreaterThan, GreaterEq: f.GreaterThanEqual, Less: f.LessThan, LessEq: f.LessThanEqual}
}

// sortJSON orders a query.
type sortJSON struct {
	OrderBy   string `json:"orderBy" enum:"DATE"`
	Direction string `json:"direction" enum:"ASC,DESC"`
}

// mileageFilterJSON holds the filterable fields of a mileage query.
type mileageFilterJSON struct {
	Status        *filterJSON `json:"status" doc:"Default: ACTIVE only."`
	MileageStatus *filterJSON `json:"mileageStatus"`
	Date          *filterJSON `json:"date" doc:"Milepost: YYYY-MM-DD values."`
	CarID         *filterJSON `json:"carId" doc:"Milepost: car ids."`
}

// queryRequest is the body of POST /v6/mileage/query (and /v6/mileage/cars/query, where only the
// status filter applies and the order is by creation).
type queryRequest struct {
	Cursor string             `json:"cursor" doc:"cursor.after or cursor.before of a previous response."`
	Limit  int                `json:"limit" doc:"Page size, 1 to 1000 (default 50)."`
	Sort   *sortJSON          `json:"sort"`
	Filter *mileageFilterJSON `json:"filter"`
}

// cursorJSON points to the neighbouring pages (null at the ends).
type cursorJSON struct {
	After  *string `json:"after"`
	Before *string `json:"before"`
}

// pageEnvelope is a query response.
type pageEnvelope[T any] struct {
	Result string     `json:"result" enum:"SUCCESS"`
	Data   []T        `json:"data"`
	Cursor cursorJSON `json:"cursor"`
}

// cursorToken is what a cursor string encodes: a page key and which way to read from it.
type cursorToken struct {
	milepost.PageKey
	Before bool `json:"b,omitempty"`
}

func encodeCursor(k *milepost.PageKey, before bool) *string {
	if k == nil {
		return nil
	}
	b, _ := json.Marshal(cursorToken{PageKey: *k, Before: before})
	s := base64.RawURLEncoding.EncodeToString(b)
	return &s
}

func decodeCursor(s string) (*cursorToken, error) {
	bad := &milepost.Error{Code: milepost.CodeInvalid, Reason: "INVALID_VALUE", Params: []string{"cursor"}, Message: "cursor is not a cursor this API returned."}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	var t cursorToken
	if json.Unmarshal(b, &t) != nil || t.ID == "" {
		return nil, bad
	}
	return &t, nil
}

// readQuery parses a query body into the domain's query.
func readQuery(r *http.Request) (milepost.TripQuery, error) {
	var req queryRequest
	if err := httpx.DecodeJSON(r, &req); err != nil {
		switch {
		case milepost.ErrorCode(err) != milepost.CodeInvalid:
			return milepost.TripQuery{}, err // too large: 413, not a JSON error
		case r.ContentLength != 0:
			return milepost.TripQuery{}, &milepost.Error{Code: milepost.CodeInvalid, Reason: "JSON_ERROR", Message: milepost.ErrorMessage(err)}
		}
	}
	q := milepost.TripQuery{Limit: req.Limit}
	if req.Limit < 0 {
		q.Limit = -1 // the store refuses it with a clear message
	}
	if s := req.Sort; s != nil {
		if s.OrderBy != "" && s.OrderBy != "DATE" {
			return q, &milepost.Error{Code: milepost.CodeInvalid, Reason: "INVALID_VALUE", Params: []string{"sort.orderBy"}, Message: "sort.orderBy must be DATE."}
		}
		switch s.Direction {
		case "", "ASC":
		case "DESC":
			q.Desc = true
		default:
			return q, &milepost.Error{Code: milepost.CodeInvalid, Reason: "INVALID_VALUE", Params: []string{"sort.direction"}, Message: "sort.direction must be ASC or DESC."}
		}
	}
	if req.Cursor != "" {
		c, err := decodeCursor(req.Cursor)
		if err != nil {
			return q, err
		}
		if c.Before {
			q.Before = &c.PageKey
		} else {
			q.After = &c.PageKey
		}
	}
	if f := req.Filter; f != nil {
		q.Status, q.MileageStatus, q.Date, q.CarID = f.Status.domain(), f.MileageStatus.domain(), f.Date.domain(), f.CarID.domain()
	}
	return q, nil
}

func (s *Server) queryMileage(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	q, err := readQuery(r)
	if err != nil {
		return err
	}
	page, err := s.Trips.QueryTrips(r.Context(), a, q)
	if err != nil {
		return err
	}
	c := s.carsFor(r, a)
	out := pageEnvelope[mileageOut]{Result: "SUCCESS", Data: make([]mileageOut, len(page.Trips)),
		Cursor: cursorJSON{After: encodeCursor(page.After, false), Before: encodeCursor(page.Before, true)}}
	for i, t := range page.Trips {
		out.Data[i] = c.mileageOut(t)
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}
