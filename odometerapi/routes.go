package odometerapi

import (
	"net/http"

	"github.com/milepost/milepost/openapi"
)

func problemResp(status int, desc string) openapi.Response {
	return openapi.Response{Status: status, Description: desc, Body: problemJSON{}, ContentType: "application/problem+json"}
}

var (
	p400 = problemResp(400, "Invalid parameters: invalid_params lists them.")
	p401 = problemResp(401, "Credentials are not valid.")
	p403 = problemResp(403, "The client is not authorized to access this resource (another partner's).")
	p404 = problemResp(404, "Not found.")
	p413 = problemResp(413, "The request body is larger than the limit (64 KiB).")
	p429 = problemResp(429, "Too many requests for this client (or, without credentials, from this address); retry after the Retry-After header's seconds.")
	p500 = problemResp(500, "Internal error.")
	p503 = problemResp(503, "Temporarily unavailable; retry.")
)

// allRoutes is every endpoint of the Jifeline dialect.
func (s *Server) allRoutes() []route {
	tags := []string{"Odometer registrations"}
	return []route{
		{public: true, handle: s.issueToken, op: openapi.Op{
			Method: "POST", Path: "/oauth2/token", ID: "jifelineToken", Tags: tags, Summary: "OAuth2 client credentials token",
			Description: "application/x-www-form-urlencoded: grant_type=client_credentials, client_id, client_secret (or HTTP Basic). Errors are problem details with the OAuth2 error code in error.",
			BodyTypes:   map[string]any{"application/x-www-form-urlencoded": tokenForm{}}, BodyRequired: true,
			Responses: []openapi.Response{{Status: 200, Description: "The token.", Body: tokenJSON{}}, p400, p401, p500, p503},
		}},
		{handle: s.list, op: openapi.Op{
			Method: "GET", Path: "/v2/vehicles/odometer-registrations", ID: "listOdometerRegistrations", Tags: tags, Summary: "Retrieve odometer registrations",
			Description: "Retrieve a list of odometer registrations for a vehicle (this partner's registrations of the vin).",
			Params: []openapi.Param{
				{Name: "vin", In: "query", Required: true, Description: "Vehicle Identification Number (VIN) to get odometer registrations for (17 characters)."},
				{Name: "limit", In: "query", Type: 0, Default: 25, Description: "Limits the amount of resources in result (0 to 1000)."},
				{Name: "offset", In: "query", Type: int64(0), Default: 0, Description: "Offset of resources in result."},
				{Name: "sort_by[created_at]", In: "query", Enum: []string{"asc", "desc"}, Default: "asc", Description: "Sort odometer registrations (deep object: sort_by[created_at]=asc)."},
			},
			Responses: []openapi.Response{{Status: 200, Description: "Successful response.", Body: listJSON{}}, p400, p401, p403, p500, p503},
		}},
		{handle: s.create, op: openapi.Op{
			Method: "POST", Path: "/v2/vehicles/odometer-registrations", ID: "createOdometerRegistration", Tags: tags, Summary: "Add odometer registration",
			Description: "Add a new odometer registration for a vehicle. A value lower than the previous registration of the same vin is stored with is_breaking=true, never refused.",
			Body:        createRequest{}, BodyRequired: true,
			Responses: []openapi.Response{{Status: http.StatusCreated, Description: "Created.", Body: registrationJSON{}}, p400, p401, p403, p500, p503},
		}},
		{handle: s.get, op: openapi.Op{
			Method: "GET", Path: "/v2/vehicles/odometer-registrations/{odometer-registration-id}", ID: "getOdometerRegistration", Tags: tags,
			Summary:   "Retrieve odometer registration",
			Params:    []openapi.Param{{Name: "odometer-registration-id", In: "path", Required: true, Description: "Identifier of the odometer registration (uuid)."}},
			Responses: []openapi.Response{{Status: 200, Description: "Successful response.", Body: registrationJSON{}}, p400, p401, p403, p404, p500, p503},
		}},
	}
}
