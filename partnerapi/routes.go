package partnerapi

import (
	"net/http"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/openapi"
)

// Documented error responses, reused across routes.
func errResp(status int, desc string, codes ...string) openapi.Response {
	return openapi.Response{Status: status, Description: desc, Body: errorJSON{}, Codes: codes}
}

var (
	r400   = errResp(400, "Invalid parameters.", milepost.ReasonInvalidParameters)
	r400St = errResp(400, "Invalid parameters or invalid state code.", milepost.ReasonInvalidParameters, milepost.ReasonInvalidStateCode)
	r401   = errResp(401, "Authorization error e.g. due to an invalid or missing API keys.", milepost.ReasonUnauthorized)
	r403   = errResp(403, "Forbidden: another partner's resource, or a user token on an admin endpoint or on another user.", milepost.ReasonNoPermissions)
	r404U  = errResp(404, "User not found.", milepost.ReasonUserNotFound)
	r404V  = errResp(404, "Vehicle not found or owning User not found.", milepost.ReasonVehicleNotFound, milepost.ReasonUserNotFound)
	r409U  = errResp(409, "User exists with phone or email.", milepost.ReasonUserAlreadyExists)
	r409V  = errResp(409, "Vehicle with same VIN or license plate exists.", milepost.ReasonVehicleExists)
	r413   = errResp(413, "The body or file is larger than the limit.", milepost.ReasonPayloadTooLarge)
	r500   = errResp(500, "Internal error.", milepost.ReasonInternalServerError)
	r503   = errResp(503, "A dependency (database, storage) is temporarily unavailable; retry later.", milepost.ReasonServiceUnavailable)
)

func ok200(desc string, body any) openapi.Response {
	return openapi.Response{Status: 200, Description: desc, Body: body}
}

func pathParam(name, desc string) openapi.Param {
	return openapi.Param{Name: name, In: "path", Required: true, Description: desc}
}

func queryParam(name, desc string, typ any, enum ...string) openapi.Param {
	return openapi.Param{Name: name, In: "query", Description: desc, Type: typ, Enum: enum}
}

var pageParams = []openapi.Param{
	{Name: "page", In: "query", Description: "Page number (0-based).", Type: 0, Default: 0},
	{Name: "size", In: "query", Description: "Number of items per page (1-1000).", Type: 0, Default: milepost.DefaultPageSize},
	{Name: "sortDirection", In: "query", Description: "Sort direction.", Enum: []string{"asc", "desc"}, Default: "desc"},
}

// allRoutes is every endpoint of the Ownli dialect, with its OpenAPI operation.
func (s *Server) allRoutes() []route {
	returnExisting := queryParam("returnExistingUserIfExists", "Return the existing user instead of 409 when one matches (phone or email; with policy: phone + policyNumber). Defaults to false.", false)
	tUsers, tVehicles, tUploads := []string{"Users"}, []string{"Vehicles"}, []string{"Uploads"}
	return []route{
		{access: public, handle: s.issueToken, op: openapi.Op{
			Method: "POST", Path: "/api/auth/token", ID: "issueToken", Tags: []string{"Auth"},
			Summary:     "Exchange partner credentials for a bearer token",
			Description: "Returns a JWT valid for 1 hour. scope admin reaches every user of the partner; scope user is bound to userId and reaches only that user's data.",
			Body:        tokenRequest{}, BodyRequired: true,
			Responses: []openapi.Response{ok200("The token.", tokenResponse{}), r400, r401, errResp(403, "The user belongs to another partner.", milepost.ReasonNoPermissions), r404U, r500},
		}},
		{access: adminOnly, handle: s.createUser, op: openapi.Op{
			Method: "POST", Path: "/api/users", ID: "createUser", Tags: tUsers, Summary: "Create a user",
			Description: "Requires admin token. If a user with the same email or cell phone exists return an error (409) unless returnExistingUserIfExists=true.",
			Params:      []openapi.Param{returnExisting}, Body: createUserRequest{}, BodyRequired: true,
			Responses: []openapi.Response{ok200("The user.", userJSON{}), r400St, r401, r403, r409U, r500, r503},
		}},
		{access: adminOnly, handle: s.createUserWithPolicy, op: openapi.Op{
			Method: "POST", Path: "/api/users/with-policy", ID: "createUserWithPolicy", Tags: tUsers, Summary: "Create a user with policy info",
			Description: "Requires admin token. Identity is phone + policyNumber within the partner.",
			Params:      []openapi.Param{returnExisting}, Body: createUserWithPolicyRequest{}, BodyRequired: true,
			Responses: []openapi.Response{ok200("The user with policyInfo.", userJSON{}), r400St, r401, r403, r409U, r500, r503},
		}},
		{access: adminOnly, handle: s.listUsers, op: openapi.Op{
			Method: "GET", Path: "/api/users", ID: "listUsers", Tags: tUsers, Summary: "List the partner's users (paged)",
			Description: "Requires admin token. Search is a case-insensitive contains match.",
			Params: append(append([]openapi.Param{}, pageParams...),
				queryParam("sortBy", "Sort key (default dateRegistered).", "", milepost.UserSortKeys...),
				queryParam("searchBy", "Field to search.", "", milepost.UserSearchKeys...),
				queryParam("searchValue", "Value to search for.", "")),
			Responses: []openapi.Response{ok200("A page of users.", userPageJSON{}), r400, r401, r403, r500, r503},
		}},
		{access: adminOnly, handle: s.updateUser, op: openapi.Op{
			Method: "PUT", Path: "/api/users/{userId}", ID: "updateUser", Tags: tUsers, Summary: "Update a user",
			Description: "Requires admin token. Only the fields present are changed.",
			Params:      []openapi.Param{pathParam("userId", "Id of the user.")}, Body: updateUserRequest{}, BodyRequired: true,
			Responses: []openapi.Response{ok200("The user.", userJSON{}), r400St, r401, r403, r404U, r409U, r500, r503},
		}},
		{access: adminOnly, handle: s.updatePolicy, op: openapi.Op{
			Method: "PUT", Path: "/api/users/{userId}/update-policy", ID: "updateUserPolicy", Tags: tUsers, Summary: "Update user with policy details",
			Description: "Requires admin token.",
			Params:      []openapi.Param{pathParam("userId", "Id of the user.")}, Body: policyJSON{}, BodyRequired: true,
			Responses: []openapi.Response{ok200("The user.", userJSON{}), r400, r401, r403, r404U, r500, r503},
		}},
		{access: anyScope, handle: s.getUserByPhone, op: openapi.Op{
			Method: "GET", Path: "/api/users/by-phone/{phoneNumber}", ID: "getUserByPhone", Tags: tUsers, Summary: "Retrieve a user by phone number",
			Description: "Phone numbers need to be US numbers in the format +1CCCBBBAAAA (the + may be sent as %2B).",
			Params:      []openapi.Param{pathParam("phoneNumber", "E.164 phone number, e.g. +15556667777.")},
			Responses:   []openapi.Response{ok200("The user.", userJSON{}), r400, r401, r403, r404U, r500, r503},
		}},
		{access: anyScope, handle: s.getUserByID, op: openapi.Op{
			Method: "GET", Path: "/api/users/by-id/{id}", ID: "getUserById", Tags: tUsers, Summary: "Retrieve a user by id",
			Params:    []openapi.Param{pathParam("id", "Id of the user.")},
			Responses: []openapi.Response{ok200("The user.", userJSON{}), r401, r403, r404U, r500, r503},
		}},
		{access: adminOnly, handle: s.createByVIN, op: openapi.Op{
			Method: "POST", Path: "/api/vehicles/create/by-vin", ID: "createVehicleByVin", Tags: tVehicles, Summary: "Create a vehicle using a VIN",
			Description: "Requires admin token. If the VIN does not match (length and alphabet, check digit for North-American manufacturers, known WMI, model-year code vs year, make vs manufacturer) the vehicle is not created and the 400 message says which check failed.",
			Body:        createByVINRequest{}, BodyRequired: true,
			Responses: []openapi.Response{ok200("The vehicle object created.", vehicleJSON{}), r400St, r401, r403, r404U, r409V, r500, r503},
		}},
		{access: adminOnly, handle: s.createByLicense, op: openapi.Op{
			Method: "POST", Path: "/api/vehicles/create/by-license", ID: "createVehicleByLicense", Tags: tVehicles, Summary: "Create a vehicle by license plate and state",
			Description: "Requires admin token. The owner is found by phone; plate and state are resolved to a VIN. If no VIN match is found the vehicle is not created (404 ERROR_VEHICLE_NOT_FOUND).",
			Body:        createByLicenseRequest{}, BodyRequired: true,
			Responses: []openapi.Response{ok200("The vehicle object created.", vehicleJSON{}), r400St, r401, r403,
				errResp(404, "User not found, or no VIN found for the plate.", milepost.ReasonUserNotFound, milepost.ReasonVehicleNotFound), r409V, r500, r503},
		}},
		{access: adminOnly, handle: s.updateVehicle, op: openapi.Op{
			Method: "PUT", Path: "/api/vehicles/update", ID: "updateVehicle", Tags: tVehicles, Summary: "Update a vehicle",
			Description: "Requires admin token. If the vehicle is active the new license plate must not be on another active vehicle.",
			Body:        updateVehicleRequest{}, BodyRequired: true,
			Responses: []openapi.Response{ok200("The vehicle.", vehicleJSON{}), r400St, r401, r403, r404V, r409V, r500, r503},
		}},
		{access: adminOnly, handle: s.setActive(false), op: openapi.Op{
			Method: "PUT", Path: "/api/vehicles/deactivate/{vehicleId}", ID: "deactivateVehicle", Tags: tVehicles, Summary: "Deactivate a vehicle",
			Description: "Requires admin token. Removes the vehicle from a policy; no check-ins are allowed on deactivated vehicles. Idempotent.",
			Params:      []openapi.Param{pathParam("vehicleId", "Id of the vehicle.")},
			Responses:   []openapi.Response{ok200("The vehicle.", vehicleJSON{}), r401, r403, r404V, r500, r503},
		}},
		{access: adminOnly, handle: s.setActive(true), op: openapi.Op{
			Method: "PUT", Path: "/api/vehicles/activate/{vehicleId}", ID: "activateVehicle", Tags: tVehicles, Summary: "Reactivate a vehicle",
			Description: "Requires admin token. Idempotent. Fails with 409 if the VIN or plate is now on another active vehicle.",
			Params:      []openapi.Param{pathParam("vehicleId", "Id of the vehicle.")},
			Responses:   []openapi.Response{ok200("The vehicle.", vehicleJSON{}), r401, r403, r404V, r409V, r500, r503},
		}},
		{access: anyScope, handle: s.getVehicle, op: openapi.Op{
			Method: "GET", Path: "/api/vehicles/by-id/{id}", ID: "getVehicleById", Tags: tVehicles, Summary: "Retrieve a vehicle by id",
			Params:    []openapi.Param{pathParam("id", "Id of the vehicle.")},
			Responses: []openapi.Response{ok200("The vehicle.", vehicleJSON{}), r401, r403, r404V, r500, r503},
		}},
		{access: anyScope, handle: s.getVehicleByLicense, op: openapi.Op{
			Method: "GET", Path: "/api/vehicles/by-license/{state}/{licensePlateNumber}", ID: "getVehicleByLicense", Tags: tVehicles,
			Summary:   "Retrieve an active vehicle by license plate and state",
			Params:    []openapi.Param{pathParam("state", "2 Letter State Code."), pathParam("licensePlateNumber", "License plate number.")},
			Responses: []openapi.Response{ok200("The vehicle.", vehicleJSON{}), r400St, r401, r403, r404V, r500, r503},
		}},
		{access: adminOnly, handle: s.listVehicles, op: openapi.Op{
			Method: "GET", Path: "/api/vehicles", ID: "listVehicles", Tags: tVehicles, Summary: "List all vehicles (paged, partner-wide)",
			Description: "Requires admin token. Search is a case-insensitive contains match on the chosen field.",
			Params: append(append([]openapi.Param{}, pageParams...),
				queryParam("sortBy", "Sort key (default dateAdded).", "", milepost.VehicleSortKeys...),
				queryParam("searchBy", "Field to search.", "", milepost.VehicleSearchKeys...),
				queryParam("searchValue", "Value to search for.", ""),
				queryParam("active", "Filter vehicles by active flag.", false),
				queryParam("dateAddedStartDate", "Vehicles added at or after this ISO8601 UTC time.", ""),
				queryParam("dateAddedEndDate", "Vehicles added at or before this ISO8601 UTC time.", "")),
			Responses: []openapi.Response{ok200("A page of vehicles.", vehiclePageJSON{}), r400, r401, r403, r500, r503},
		}},
		{access: anyScope, handle: s.uploadPhoto, bodyLimit: s.uploadBodyLimit(), op: openapi.Op{
			Method: "POST", Path: "/api/photo/upload", ID: "uploadPhoto", Tags: tUploads, Summary: "Upload a photo",
			Description: "Upload a photo before using it in a check-in: Base64 JSON as documented, or multipart/form-data with the same fields and the bytes in a file part named photo (cheaper for large photos). The real type is read from the bytes (JPEG, PNG, HEIC/HEIF, WebP); pictures that cannot be decoded are refused; EXIF capture time, GPS, camera and software are read and returned.",
			Body:        photoUploadRequest{}, BodyRequired: true, BodyTypes: map[string]any{"multipart/form-data": photoMultipart{}},
			Responses: []openapi.Response{ok200("The photo.", photoJSON{}), r400, r401, r403, r404U, r413, r500, r503},
		}},
		{access: anyScope, handle: s.uploadFile, bodyLimit: s.uploadBodyLimit(), op: openapi.Op{
			Method: "POST", Path: "/api/file/upload", ID: "uploadFile", Tags: tUploads, Summary: "Upload a file (document)",
			Description: "Base64 JSON or multipart/form-data (file part named file). PDF, JPEG or PNG.",
			Body:        fileUploadRequest{}, BodyRequired: true, BodyTypes: map[string]any{"multipart/form-data": fileMultipart{}},
			Responses: []openapi.Response{ok200("The file.", fileJSON{}), r400, r401, r403, r404U, r413, r500, r503},
		}},
		{access: selfAuth, handle: s.serveUploadRoute(milepost.UploadPhoto), op: openapi.Op{
			Method: "GET", Path: "/api/photos/{id}", ID: "getPhoto", Tags: tUploads, Summary: "Download a photo (the photoUrl)",
			Description: "Returns the bytes to the owning partner (credentials or token), or to anyone with an unexpired signed link (expires and signature query parameters from the signed-url endpoint).",
			Params: []openapi.Param{pathParam("id", "Id of the photo."),
				queryParam("expires", "Signed link: expiry (unix seconds).", ""), queryParam("signature", "Signed link: signature.", "")},
			Responses: []openapi.Response{{Status: 200, Description: "The photo's bytes.", ContentType: "application/octet-stream"}, r401,
				errResp(403, "Forbidden, or the signed link is invalid or expired.", milepost.ReasonNoPermissions), errResp(404, "Not found.", milepost.ReasonUploadNotFound), r500, r503},
		}},
		{access: selfAuth, handle: s.serveUploadRoute(milepost.UploadFile), op: openapi.Op{
			Method: "GET", Path: "/api/files/{id}", ID: "getFile", Tags: tUploads, Summary: "Download a file (the fileUrl)",
			Description: "As GET /api/photos/{id}, for documents.",
			Params: []openapi.Param{pathParam("id", "Id of the file."),
				queryParam("expires", "Signed link: expiry (unix seconds).", ""), queryParam("signature", "Signed link: signature.", "")},
			Responses: []openapi.Response{{Status: 200, Description: "The file's bytes.", ContentType: "application/octet-stream"}, r401,
				errResp(403, "Forbidden, or the signed link is invalid or expired.", milepost.ReasonNoPermissions), errResp(404, "Not found.", milepost.ReasonUploadNotFound), r500, r503},
		}},
		{access: anyScope, handle: s.signedURL(milepost.UploadPhoto), op: openapi.Op{
			Method: "GET", Path: "/api/photos/{id}/signed-url", ID: "getPhotoSignedUrl", Tags: tUploads, Summary: "Get an expiring link to a photo",
			Description: "A link that shows the photo without credentials (for an <img> tag) until expiresAt (1 hour by default).",
			Params:      []openapi.Param{pathParam("id", "Id of the photo.")},
			Responses:   []openapi.Response{ok200("The link.", signedURLJSON{}), r401, r403, errResp(404, "Not found.", milepost.ReasonUploadNotFound), r500, r503},
		}},
		{access: anyScope, handle: s.signedURL(milepost.UploadFile), op: openapi.Op{
			Method: "GET", Path: "/api/files/{id}/signed-url", ID: "getFileSignedUrl", Tags: tUploads, Summary: "Get an expiring link to a file",
			Params:    []openapi.Param{pathParam("id", "Id of the file.")},
			Responses: []openapi.Response{ok200("The link.", signedURLJSON{}), r401, r403, errResp(404, "Not found.", milepost.ReasonUploadNotFound), r500, r503},
		}},
	}
}

// serveUploadRoute adapts serveUpload, which authenticates itself (credentials or a signed link).
func (s *Server) serveUploadRoute(kind milepost.UploadKind) func(http.ResponseWriter, *http.Request, milepost.Actor) error {
	h := s.serveUpload(kind)
	return func(w http.ResponseWriter, r *http.Request, _ milepost.Actor) error {
		h.ServeHTTP(w, r)
		return nil
	}
}
