package tripapi

import (
	"github.com/milepost/milepost/openapi"
)

func errResp(status int, desc string) openapi.Response {
	return openapi.Response{Status: status, Description: desc, Body: failure{}}
}

var (
	e400 = errResp(400, "Invalid request (REQUIRED, INVALID_VALUE, INVALID_FORMAT, JSON_ERROR).")
	e401 = errResp(401, "The access_token provided is invalid (INVALID_TOKEN).")
	e403 = errResp(403, "The token does not have permission (another partner's or user's record, or a partner-level token writing).")
	e404 = errResp(404, "No such record (INVALID_VALUE).")
	e413 = errResp(413, "The request body is larger than the route's limit (BAD_REQUEST).")
	e429 = errResp(429, "Rate limits: too many requests for this token's partner or user (or, without a token, from this address); retry after the Retry-After header's seconds, backing off exponentially (BAD_REQUEST).")
	e500 = errResp(500, "Internal error (UNKNOWN_ERROR).")
	e503 = errResp(503, "Temporarily unavailable; retry with exponential backoff.")
)

// allRoutes is every endpoint of the Tight dialect.
func (s *Server) allRoutes() []route {
	tags := []string{"Trip log"}
	id := []openapi.Param{{Name: "id", In: "path", Required: true, Description: "The id of the record."}}
	bulk := func(item any) []openapi.Response {
		return []openapi.Response{
			{Status: 200, Description: "Every item succeeded.", Body: item},
			{Status: 207, Description: "Some items failed: each item has its result, statusCode, data and error[] (in request order).", Body: item},
			e400, e401, e403, e500, e503}
	}
	return []route{
		{public: true, handle: s.issueToken, op: openapi.Op{
			Method: "POST", Path: "/v6/auth/token", ID: "tightToken", Tags: tags, Summary: "Get an access token",
			Description: "HTTP Basic client_id:client_secret (the partner's credentials); form grant_type=client_credentials and optional userId for a user-scoped token.",
			BodyTypes:   map[string]any{"application/x-www-form-urlencoded": tokenForm{}},
			Responses:   []openapi.Response{{Status: 200, Description: "The token.", Body: tokenJSON{}}, e400, e401, e403, e404, e500, e503},
		}},
		{handle: s.saveMileage, bodyLimit: 8 << 20, op: openapi.Op{
			Method: "POST", Path: "/v6/mileage", ID: "saveMileage", Tags: tags, Summary: "Save mileage (bulk create or update)",
			Description: "Each item without id creates a record (mlg_…), with id updates it (fields sent replace, others are kept). 200 when all succeed, 207 when some fail, 400 when none does or the request is invalid. Needs a user-scoped token.",
			Body:        saveMileageRequest{}, BodyRequired: true, Responses: bulk(envelope[[]itemJSON[mileageOut]]{}),
		}},
		{handle: s.queryMileage, op: openapi.Op{
			Method: "POST", Path: "/v6/mileage/query", ID: "queryMileage", Tags: tags, Summary: "Query mileage",
			Description: "Filters with in, notIn, equal, notEqual, greaterThan, greaterThanEqual, lessThan, lessThanEqual; sort by DATE; cursor paging (cursor.after / cursor.before, null at the ends). Only ACTIVE records unless status is filtered.",
			Body:        queryRequest{}, Responses: []openapi.Response{{Status: 200, Description: "A page of records.", Body: pageEnvelope[mileageOut]{}}, e400, e401, e500, e503},
		}},
		{handle: s.getMileage, op: openapi.Op{
			Method: "GET", Path: "/v6/mileage/{id}", ID: "getMileage", Tags: tags, Summary: "Get mileage", Params: id,
			Responses: []openapi.Response{{Status: 200, Description: "The record.", Body: envelope[mileageOut]{}}, e401, e403, e404, e500, e503},
		}},
		{handle: s.deleteMileage, op: openapi.Op{
			Method: "DELETE", Path: "/v6/mileage/{id}", ID: "deleteMileage", Tags: tags, Summary: "Delete mileage",
			Description: "A soft delete: the record becomes INACTIVE and is returned.", Params: id,
			Responses: []openapi.Response{{Status: 200, Description: "The deleted record.", Body: envelope[mileageOut]{}}, e400, e401, e403, e404, e500, e503},
		}},
		{handle: s.saveCars, bodyLimit: 4 << 20, op: openapi.Op{
			Method: "POST", Path: "/v6/mileage/cars", ID: "saveCars", Tags: tags, Summary: "Save cars (bulk create or update)",
			Body: saveCarsRequest{}, BodyRequired: true, Responses: bulk(envelope[[]itemJSON[carOut]]{}),
		}},
		{handle: s.queryCars, op: openapi.Op{
			Method: "POST", Path: "/v6/mileage/cars/query", ID: "queryCars", Tags: tags, Summary: "Query cars",
			Description: "Cursor-paged, oldest first (DESC for newest first); only the status filter applies (default ACTIVE).",
			Body:        queryRequest{}, Responses: []openapi.Response{{Status: 200, Description: "A page of cars.", Body: pageEnvelope[carOut]{}}, e400, e401, e500, e503},
		}},
		{handle: s.getCar, op: openapi.Op{
			Method: "GET", Path: "/v6/mileage/cars/{id}", ID: "getCar", Tags: tags, Summary: "Get a car", Params: id,
			Responses: []openapi.Response{{Status: 200, Description: "The car.", Body: envelope[carOut]{}}, e401, e403, e404, e500, e503},
		}},
		{handle: s.deleteCar, op: openapi.Op{
			Method: "DELETE", Path: "/v6/mileage/cars/{id}", ID: "deleteCar", Tags: tags, Summary: "Delete a car (soft: INACTIVE)", Params: id,
			Responses: []openapi.Response{{Status: 200, Description: "The deleted car.", Body: envelope[carOut]{}}, e401, e403, e404, e500, e503},
		}},
	}
}
