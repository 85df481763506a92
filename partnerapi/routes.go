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
	r429   = errResp(429, "Too many requests for this credential (or, without one, from this address); retry after the Retry-After header's seconds.", milepost.ReasonRateLimited)
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
	return append(append(s.coreRoutes(), s.checkinRoutes()...), s.rewardRoutes()...)
}

// coreRoutes are the auth, user, vehicle and upload endpoints.
func (s *Server) coreRoutes() []route {
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
		{access: anyScope, handle: s.uploadPhoto, bodyLimit: s.uploadBodyLimit(), upload: true, op: openapi.Op{
			Method: "POST", Path: "/api/photo/upload", ID: "uploadPhoto", Tags: tUploads, Summary: "Upload a photo",
			Description: "Upload a photo before using it in a check-in: Base64 JSON as documented, or multipart/form-data with the same fields and the bytes in a file part named photo (cheaper for large photos). The real type is read from the bytes (JPEG, PNG, HEIC/HEIF, WebP); pictures that cannot be decoded are refused; EXIF capture time, GPS, camera and software are read and returned.",
			Body:        photoUploadRequest{}, BodyRequired: true, BodyTypes: map[string]any{"multipart/form-data": photoMultipart{}},
			Responses: []openapi.Response{ok200("The photo.", photoJSON{}), r400, r401, r403, r404U, r413, r500, r503},
		}},
		{access: anyScope, handle: s.uploadFile, bodyLimit: s.uploadBodyLimit(), upload: true, op: openapi.Op{
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

var (
	r404M = errResp(404, "Check-in not found or Vehicle not found or owning User not found.", "ERROR_MILEAGE_CHECKIN_NOT_FOUND")
	r404C = errResp(404, "Check-in not found or Vehicle not found or owning User not found.", "ERROR_CONDITION_CHECKIN_NOT_FOUND")
	r404A = errResp(404, "Check-in not found or owning User not found.", "ERROR_PROOF_OF_ADDRESS_CHECKIN_NOT_FOUND")
	r409N = errResp(409, "The mileage is lower than an earlier check-in's, or the vehicle is deactivated.",
		milepost.ReasonMileageLowerThanPrevious, milepost.ReasonVehicleInactive)
	r409X = errResp(409, "Only an OnHold check-in can change; Confirmed and Declined are final. Or the mileage breaks the vehicle's order, or the vehicle is deactivated.",
		milepost.ReasonCheckinNotOnHold, milepost.ReasonCheckinFinal, milepost.ReasonMileageLowerThanPrevious, milepost.ReasonVehicleInactive)
)

// listParams are the query parameters of the partner-wide check-in lists.
func listParams(t milepost.CheckinType, extra ...openapi.Param) []openapi.Param {
	ps := append(append([]openapi.Param{}, pageParams...),
		queryParam("sortBy", "Sort key (default dateCheckedIn).", "", milepost.CheckinSortKeys...),
		queryParam("searchBy", "Field to search (case-insensitive contains).", "", milepost.CheckinSearchKeys(t)...),
		queryParam("searchValue", "Value to search for.", ""),
		queryParam("status", "Status filter (default All; Archived matches nothing, Milepost archives no check-in).", "", milepost.CheckinStatusFilters...),
		queryParam("vehicleId", "Only this vehicle's check-ins.", ""),
		queryParam("fraud", "Filter check-ins marked as fraud.", false),
		queryParam("checkinStartDate", "Checked in at or after (ISO8601 UTC).", ""),
		queryParam("checkinEndDate", "Checked in at or before (ISO8601 UTC).", ""),
		queryParam("updatedStartDate", "Updated at or after (ISO8601 UTC).", ""),
		queryParam("updatedEndDate", "Updated at or before (ISO8601 UTC).", ""))
	return append(ps, extra...)
}

// checkinRoutes are the check-in, summary and review endpoints.
func (s *Server) checkinRoutes() []route {
	tM, tC, tA, tR := []string{"Mileage check-ins"}, []string{"Condition check-ins"}, []string{"Proof-of-address check-ins"}, []string{"Review"}
	idParam := []openapi.Param{pathParam("id", "Id of the check-in.")}
	vehicleParam := []openapi.Param{pathParam("vehicleId", "Id of the vehicle.")}
	userParam := []openapi.Param{pathParam("userId", "Id of the user.")}
	async := " Verification is asynchronous: the check-in is returned Pending and moves to Confirmed, Declined or OnHold (with an adminNote saying what to fix)."
	return []route{
		{access: anyScope, handle: s.createMileage, op: openapi.Op{
			Method: "POST", Path: "/api/vehicles/checkin/mileage", ID: "createMileageCheckin", Tags: tM, Summary: "Create a mileage check-in",
			Description: "Requires an odometer reading and photos of the license plate and odometer uploaded with the Photo Upload API (their photoUrl). The mileage must equal or exceed the vehicle's earlier non-Declined check-ins." + async,
			Body:        mileageCheckinRequest{}, BodyRequired: true,
			Responses: []openapi.Response{ok200("The created mileage check-in (Pending).", mileageCheckinJSON{}), r400St, r401, r403, r404V, r409N, r500, r503},
		}},
		{access: anyScope, handle: s.getMileage, op: openapi.Op{
			Method: "GET", Path: "/api/vehicles/checkin/mileage/{id}", ID: "getMileageCheckin", Tags: tM, Summary: "Retrieve a mileage check-in",
			Params: idParam, Responses: []openapi.Response{ok200("The mileage check-in.", mileageCheckinJSON{}), r401, r403, r404M, r500, r503},
		}},
		{access: anyScope, handle: s.updateMileage, op: openapi.Op{
			Method: "PUT", Path: "/api/vehicles/checkin/mileage/{id}", ID: "updateMileageCheckin", Tags: tM, Summary: "Update a mileage check-in (change flow)",
			Description: "Accepted only while the check-in is OnHold; it returns to Pending and is verified again. licensePlate and mileage are required; photo lists replace the current ones when given. vehicleId is ignored.",
			Params:      idParam, Body: mileageCheckinRequest{}, BodyRequired: true,
			Responses: []openapi.Response{ok200("The check-in, Pending again.", mileageCheckinJSON{}), r400St, r401, r403, r404M, r409X, r500, r503},
		}},
		{access: anyScope, handle: s.vehicleMileage, op: openapi.Op{
			Method: "GET", Path: "/api/vehicles/{vehicleId}/checkins/mileage", ID: "getVehicleMileageCheckins", Tags: tM, Summary: "List a vehicle's mileage check-ins (newest first)",
			Params: vehicleParam, Responses: []openapi.Response{ok200("The check-ins.", []mileageCheckinJSON{}), r401, r403, r404V, r500, r503},
		}},
		{access: adminOnly, handle: s.listMileage, op: openapi.Op{
			Method: "GET", Path: "/api/checkins/mileage", ID: "listMileageCheckins", Tags: tM, Summary: "List the partner's mileage check-ins (paged)",
			Params: listParams(milepost.CheckinMileage), Responses: []openapi.Response{ok200("A page of check-ins.", pageJSON[mileageCheckinJSON]{}), r400, r401, r403, r500, r503},
		}},
		{access: anyScope, handle: s.createCondition, op: openapi.Op{
			Method: "POST", Path: "/api/vehicles/checkin/condition", ID: "createConditionCheckin", Tags: tC, Summary: "Create a condition check-in",
			Description: "Photos of the vehicle from the four required angles (Front, Back, DriverSide, PassengerSide) and optionally the four enhanced ones, one photo per angle. A missing required angle or a repeated angle is a 400 naming it." + async,
			Body:        conditionCheckinRequest{}, BodyRequired: true,
			Responses: []openapi.Response{ok200("The created condition check-in (Pending).", conditionCheckinJSON{}), r400St, r401, r403, r404V,
				errResp(409, "The vehicle is deactivated.", milepost.ReasonVehicleInactive), r500, r503},
		}},
		{access: anyScope, handle: s.getCondition, op: openapi.Op{
			Method: "GET", Path: "/api/vehicles/checkin/condition/{id}", ID: "getConditionCheckin", Tags: tC, Summary: "Retrieve a condition check-in",
			Params: idParam, Responses: []openapi.Response{ok200("The condition check-in.", conditionCheckinJSON{}), r401, r403, r404C, r500, r503},
		}},
		{access: anyScope, handle: s.updateCondition, op: openapi.Op{
			Method: "PUT", Path: "/api/vehicles/checkin/condition/{id}", ID: "updateConditionCheckin", Tags: tC, Summary: "Update a condition check-in (change flow)",
			Description: "Accepted only while OnHold. The photos sent replace those of the same angles; the others are kept; the result must still have the four required angles.",
			Params:      idParam, Body: conditionUpdateRequest{}, BodyRequired: true,
			Responses: []openapi.Response{ok200("The check-in, Pending again.", conditionCheckinJSON{}), r400, r401, r403, r404C, r409X, r500, r503},
		}},
		{access: anyScope, handle: s.vehicleConditions, op: openapi.Op{
			Method: "GET", Path: "/api/vehicles/{vehicleId}/checkins/condition", ID: "getVehicleConditionCheckins", Tags: tC, Summary: "List a vehicle's condition check-ins (newest first)",
			Params: vehicleParam, Responses: []openapi.Response{ok200("The check-ins.", []conditionCheckinJSON{}), r401, r403, r404V, r500, r503},
		}},
		{access: adminOnly, handle: s.listConditions, op: openapi.Op{
			Method: "GET", Path: "/api/checkins/condition", ID: "listConditionCheckins", Tags: tC, Summary: "List the partner's condition check-ins (paged)",
			Params:    listParams(milepost.CheckinCondition, queryParam("damageDetected", "Filter check-ins with photos marked with damage.", false)),
			Responses: []openapi.Response{ok200("A page of check-ins.", pageJSON[conditionCheckinJSON]{}), r400, r401, r403, r500, r503},
		}},
		{access: anyScope, handle: s.createAddressCheckin, op: openapi.Op{
			Method: "POST", Path: "/api/users/checkin/proof-of-address", ID: "createProofOfAddressCheckin", Tags: tA, Summary: "Create a proof-of-address check-in",
			Description: "A document (or photos of the home) clearly proving residence, uploaded first (documents may be photos or files)." + async,
			Body:        addressCheckinRequest{}, BodyRequired: true,
			Responses: []openapi.Response{ok200("The created check-in (Pending).", addressCheckinJSON{}), r400St, r401, r403, r404U, r500, r503},
		}},
		{access: anyScope, handle: s.getAddressCheckin, op: openapi.Op{
			Method: "GET", Path: "/api/users/checkin/proof-of-address/{id}", ID: "getProofOfAddressCheckin", Tags: tA, Summary: "Retrieve a proof-of-address check-in",
			Params: idParam, Responses: []openapi.Response{ok200("The check-in.", addressCheckinJSON{}), r401, r403, r404A, r500, r503},
		}},
		{access: anyScope, handle: s.updateAddressCheckin, op: openapi.Op{
			Method: "PUT", Path: "/api/users/checkin/proof-of-address/{id}", ID: "updateProofOfAddressCheckin", Tags: tA, Summary: "Update a proof-of-address check-in (change flow)",
			Description: "Accepted only while OnHold. The body is the same as create (userId is ignored); document and photo lists replace the current ones when given.",
			Params:      idParam, Body: addressCheckinRequest{}, BodyRequired: true,
			Responses: []openapi.Response{ok200("The check-in, Pending again.", addressCheckinJSON{}), r400St, r401, r403, r404A,
				errResp(409, "Only an OnHold check-in can change.", milepost.ReasonCheckinNotOnHold, milepost.ReasonCheckinFinal), r500, r503},
		}},
		{access: anyScope, handle: s.userAddressCheckins, op: openapi.Op{
			Method: "GET", Path: "/api/users/{userId}/checkins/proof-of-address", ID: "getUserProofOfAddressCheckins", Tags: tA, Summary: "List a user's proof-of-address check-ins (newest first)",
			Params: userParam, Responses: []openapi.Response{ok200("The check-ins.", []addressCheckinJSON{}), r401, r403, r404U, r500, r503},
		}},
		{access: adminOnly, handle: s.listAddressCheckins, op: openapi.Op{
			Method: "GET", Path: "/api/checkins/proof-of-address", ID: "listProofOfAddressCheckins", Tags: tA, Summary: "List the partner's proof-of-address check-ins (paged)",
			Params: listParams(milepost.CheckinProofOfAddress), Responses: []openapi.Response{ok200("A page of check-ins.", pageJSON[addressCheckinJSON]{}), r400, r401, r403, r500, r503},
		}},
		{access: anyScope, handle: s.vehicleSummary, op: openapi.Op{
			Method: "GET", Path: "/api/vehicles/{vehicleId}/checkin-summary", ID: "getCheckinSummary", Tags: tM, Summary: "Summary of a vehicle's mileage and condition check-ins",
			Description: "Per type: the check-ins (newest first), whether the next check-in is unlocked and when (the partner's cadence after the latest check-in that was not Declined), days to it, the reward for it, and the ordinal of the last confirmed one.",
			Params:      vehicleParam, Responses: []openapi.Response{ok200("The summary.", vehicleSummaryJSON{}), r401, r403, r404V, r500, r503},
		}},
		{access: anyScope, handle: s.addressSummary, op: openapi.Op{
			Method: "GET", Path: "/api/users/{userId}/proof-of-address/checkin-summary", ID: "getProofOfAddressCheckinSummary", Tags: tA, Summary: "Proof-of-address check-in summary for a user",
			Params: userParam, Responses: []openapi.Response{ok200("An array with the user's summary.", []summaryJSON{}), r401, r403, r404U, r500, r503},
		}},
		{access: anyScope, handle: s.odometerHistory, op: openapi.Op{
			Method: "GET", Path: "/api/vehicles/{vehicleId}/odometer-history", ID: "getOdometerHistory", Tags: tM, Summary: "The vehicle's odometer history",
			Description: "One history per VIN within the partner: Confirmed mileage check-ins (miles), odometer registrations of the v2 API (km), trip-log cars' start-of-year odometers (miles) and the mileage given at creation by plate, oldest first, each in its own unit with both conversions (1 mile = 1.609344 km) and a rollback flag.",
			Params:      vehicleParam, Responses: []openapi.Response{ok200("The history.", odometerHistoryJSON{}), r401, r403, r404V, r500, r503},
		}},
		{access: adminOnly, handle: s.mileageLog, op: openapi.Op{
			Method: "GET", Path: "/api/vehicles/{vehicleId}/mileage-log", ID: "getMileageLog", Tags: tM, Summary: "IRS-style mileage log of a vehicle for a year",
			Description: "Requires admin token. Start and end odometer of the year from verified readings (saying which), total miles, the business trips of the trip log's cars with this VIN, deductions and business-use percentage. format=csv returns text/csv.",
			Params: append(append([]openapi.Param{}, vehicleParam...), queryParam("year", "The year (default: last year).", 0),
				queryParam("format", "json (default) or csv.", "", "json", "csv")),
			Responses: []openapi.Response{{Status: 200, Description: "The log (JSON, or CSV with format=csv).", Body: mileageLogJSON{}, Also: []string{"text/csv"}},
				r400, r401, r403, r404V, r500, r503},
		}},
		{access: adminOnly, handle: s.reviewQueue, op: openapi.Op{
			Method: "GET", Path: "/api/admin/review-queue", ID: "reviewQueue", Tags: tR, Summary: "The review queue: Pending and OnHold check-ins, oldest first",
			Description: "Requires admin token.",
			Params: append(append([]openapi.Param{}, pageParams[:2]...),
				queryParam("type", "Only one check-in type.", "", "mileage", "condition", "proofOfAddress"),
				queryParam("status", "Only Pending or only OnHold.", "", "Pending", "OnHold"),
				queryParam("fraud", "Only check-ins (not) flagged as fraud.", false)),
			Responses: []openapi.Response{ok200("A page of the queue.", pageJSON[reviewItemJSON]{}), r400, r401, r403, r500, r503},
		}},
		{access: adminOnly, handle: s.reviewCheckin, op: openapi.Op{
			Method: "GET", Path: "/api/admin/checkins/{id}", ID: "reviewCheckin", Tags: tR, Summary: "A check-in of any type with its photos, metadata, signals and history",
			Description: "Requires admin token. Each photo shows what the app claimed (takenOn, coordinates, device) beside what the file says (EXIF).",
			Params:      idParam, Responses: []openapi.Response{ok200("The check-in for review.", checkinReviewJSON{}), r401, r403, errResp(404, "Check-in not found.", "ERROR_NOT_FOUND"), r500, r503},
		}},
		{access: adminOnly, handle: s.decideCheckin, op: openapi.Op{
			Method: "POST", Path: "/api/admin/checkins/{id}/decision", ID: "decideCheckin", Tags: tR, Summary: "Decide a check-in: Confirmed, Declined or OnHold",
			Description: "Requires admin token. Goes through the same lifecycle as automatic verification: Pending or OnHold may become Confirmed, Declined or OnHold (OnHold to OnHold updates the note and photo marks); Confirmed and Declined are final (409).",
			Params:      idParam, Body: decisionRequest{}, BodyRequired: true,
			Responses: []openapi.Response{ok200("The check-in after the decision.", checkinReviewJSON{}), r400, r401, r403, errResp(404, "Check-in not found.", "ERROR_NOT_FOUND"),
				errResp(409, "The check-in is already decided.", milepost.ReasonCheckinFinal), r500, r503},
		}},
	}
}

// rewardRoutes are the reward, claim, payout and webhook endpoints.
func (s *Server) rewardRoutes() []route {
	tR, tW := []string{"Rewards"}, []string{"Webhooks"}
	byID := []openapi.Param{pathParam("id", "Id of the user.")}
	byPhone := []openapi.Param{pathParam("phoneNumber", "The user's phone, +1CCCBBBAAAA.")}
	claimCodes := errResp(409, "Nothing to claim: no confirmed rewards, or less than $1.00.", milepost.ReasonNoConfirmedRewards, milepost.ReasonMinimumThresholdNotMet)
	return []route{
		{access: anyScope, handle: s.rewardsByPhone, op: openapi.Op{
			Method: "GET", Path: "/api/users/by-phone/{phoneNumber}/rewards", ID: "getRewardsByPhone", Tags: tR, Summary: "Rewards of a user (by phone)",
			Description: "Rewards in every state, newest first.", Params: byPhone,
			Responses: []openapi.Response{ok200("The rewards.", []rewardJSONFull{}), r400, r401, r403, r404U, r500, r503},
		}},
		{access: anyScope, handle: s.rewardsByID(false), op: openapi.Op{
			Method: "GET", Path: "/api/users/by-id/{id}/rewards", ID: "getRewardsByUserId", Tags: tR, Summary: "Rewards of a user (by id)",
			Params: byID, Responses: []openapi.Response{ok200("The rewards.", []rewardJSONFull{}), r401, r403, r404U, r500, r503},
		}},
		{access: anyScope, handle: s.rewardsByID(true), op: openapi.Op{
			Method: "GET", Path: "/api/users/by-id/{id}/rewards/confirmed", ID: "getConfirmedRewardsByUserId", Tags: tR, Summary: "Confirmed (claimable) rewards of a user",
			Params: byID, Responses: []openapi.Response{ok200("The confirmed, unclaimed rewards.", []rewardJSONFull{}), r401, r403, r404U, r500, r503},
		}},
		{access: anyScope, handle: s.claim, op: openapi.Op{
			Method: "POST", Path: "/api/users/by-id/{userId}/rewards/claim", ID: "claimRewards", Tags: tR, Summary: "Claim rewards on behalf of the user",
			Description: "Pays all Confirmed, unclaimed rewards of the user out as one payout for the product (at least $1.00). The documentation lists the threshold and no-rewards codes under 500; Milepost answers them with 409 (the request is fine, the account has nothing to claim) and a provider failure with 503 ERROR_CLAIMING_REWARDS (the rewards stay claimable).",
			Params: []openapi.Param{pathParam("userId", "Id of the user."), {Name: "product", In: "query", Required: true, Description: "The id of a product from /api/rewards/products."},
				{Name: "language", In: "query", Description: "Language of the delivery page.", Default: "en"}},
			Responses: []openapi.Response{ok200("The delivery link.", claimJSON{}), r400, r401, r403, r404U, claimCodes, r500,
				errResp(503, "The payout provider failed; the rewards stay Confirmed and claimable.", milepost.ReasonClaimingRewards)},
		}},
		{access: adminOnly, handle: s.grant, op: openapi.Op{
			Method: "POST", Path: "/api/rewards/grant", ID: "grantReward", Tags: tR, Summary: "Grant a reward for a partner-side action",
			Description: "Requires admin token. Mints a Custom reward, Confirmed at once. Idempotent on clientReference per partner: a replay returns the existing reward (replayed: true); the same reference with another userId or amount is 409.",
			Body:        grantRequest{}, BodyRequired: true,
			Responses: []openapi.Response{ok200("The granted reward.", grantJSON{}), r400, r401, r403, r404U,
				errResp(409, "The clientReference was used for another user or amount.", milepost.ReasonClientReferenceConflict), r500, r503},
		}},
		{access: anyScope, handle: s.products, op: openapi.Op{
			Method: "GET", Path: "/api/rewards/products", ID: "getProducts", Tags: tR, Summary: "The claim catalogue",
			Description: "The products of the partner's campaign, to offer the user when claiming.",
			Responses:   []openapi.Response{ok200("The products.", []productJSON{}), r401, r500, r503},
		}},
		{access: anyScope, handle: s.payoutsByPhone, op: openapi.Op{
			Method: "GET", Path: "/api/users/by-phone/{phoneNumber}/payouts", ID: "getPayoutsByPhone", Tags: tR, Summary: "Payouts claimed by a user (by phone)",
			Params: byPhone, Responses: []openapi.Response{ok200("The payouts.", []payoutJSON{}), r400, r401, r403, r404U, r500, r503},
		}},
		{access: anyScope, handle: s.payoutsByID, op: openapi.Op{
			Method: "GET", Path: "/api/users/by-id/{id}/payouts", ID: "getPayoutsByUserId", Tags: tR, Summary: "Payouts claimed by a user (by id)",
			Params: byID, Responses: []openapi.Response{ok200("The payouts.", []payoutJSON{}), r401, r403, r404U, r500, r503},
		}},
		{access: adminOnly, handle: s.addWebhook, op: openapi.Op{
			Method: "POST", Path: "/api/webhooks", ID: "addWebhook", Tags: tW, Summary: "Register a webhook endpoint",
			Description: "Requires admin token. The response holds the signing secret, shown only here. See docs/webhooks.md for events, signatures and retries.",
			Body:        webhookRequest{}, BodyRequired: true,
			Responses: []openapi.Response{ok200("The endpoint with its secret.", webhookJSON{}), r400, r401, r403, errResp(409, "Too many endpoints (20).", "ERROR_CONFLICT"), r500, r503},
		}},
		{access: adminOnly, handle: s.listWebhooks, op: openapi.Op{
			Method: "GET", Path: "/api/webhooks", ID: "listWebhooks", Tags: tW, Summary: "The partner's webhook endpoints",
			Responses: []openapi.Response{ok200("The endpoints (no secrets).", []webhookJSON{}), r401, r403, r500, r503},
		}},
		{access: adminOnly, handle: s.removeWebhook, op: openapi.Op{
			Method: "DELETE", Path: "/api/webhooks/{id}", ID: "removeWebhook", Tags: tW, Summary: "Remove a webhook endpoint",
			Params:    []openapi.Param{pathParam("id", "Id of the endpoint.")},
			Responses: []openapi.Response{{Status: 204, Description: "Removed; no more events are sent."}, r401, r403, errResp(404, "No such endpoint.", "ERROR_NOT_FOUND"), r500, r503},
		}},
		{access: adminOnly, handle: s.webhookDeliveries, op: openapi.Op{
			Method: "GET", Path: "/api/webhooks/{id}/deliveries", ID: "webhookDeliveries", Tags: tW, Summary: "An endpoint's latest deliveries and their attempts",
			Params:    []openapi.Param{pathParam("id", "Id of the endpoint."), queryParam("limit", "How many (1-1000, default 100).", 0)},
			Responses: []openapi.Response{ok200("The deliveries, newest first.", []deliveryJSON{}), r400, r401, r403, errResp(404, "No such endpoint.", "ERROR_NOT_FOUND"), r500, r503},
		}},
	}
}
