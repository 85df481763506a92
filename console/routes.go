package console

import (
	"net/http"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/httpx"
	"github.com/milepost/milepost/openapi"
)

// maxFormBytes bounds a form post: a decision is a note (at most a few kilobytes) and a few
// dozen photo marks.
const maxFormBytes = 64 << 10

// Tag is the OpenAPI tag of the console's pages.
const Tag = "Review console"

// route is one page or form of the console and its entry in the OpenAPI document. pattern is
// the ServeMux pattern when it differs from the documented method and path.
type route struct {
	op      openapi.Op
	pattern string
	h       http.Handler
}

// Documented responses of the console. Pages are HTML; errors are HTML pages too, with the
// same layout and no data of the page that was refused.
var (
	rHTML      = openapi.Response{Status: 200, Description: "An HTML page.", Also: []string{"text/html"}}
	rSignIn    = openapi.Response{Status: 303, Description: "Not signed in (or the session ended): redirect to /console/login?next=..."}
	rBadForm   = openapi.Response{Status: 400, Description: "The filters or the form are invalid: the page again, with the reason.", Also: []string{"text/html"}}
	rForbidden = openapi.Response{Status: 403, Description: "Refused: another partner's data, a form without this session's CSRF token, a cross-site post or an ended session. An HTML error page.", Also: []string{"text/html"}}
	rNotFound  = openapi.Response{Status: 404, Description: "No such page or record for this reviewer's partner. An HTML error page.", Also: []string{"text/html"}}
	rConflict  = openapi.Response{Status: 409, Description: "The check-in was decided meanwhile: the page again, with its new status.", Also: []string{"text/html"}}
	rTooLarge  = openapi.Response{Status: 413, Description: "The form is larger than 64 KiB.", Also: []string{"text/html"}}
	rTooMany   = openapi.Response{Status: 429, Description: "Too many sign-in attempts from this address or for this e-mail address; retry later.", Also: []string{"text/html"}}
	rInternal  = openapi.Response{Status: 500, Description: "Internal error: an HTML page with the request id.", Also: []string{"text/html"}}
)

// formBody documents a form post's fields (application/x-www-form-urlencoded).
type signInForm struct {
	Email    string `json:"email" doc:"The reviewer's e-mail address."`
	Password string `json:"password" doc:"The reviewer's password (printed once by milepost reviewer add)."`
	CSRF     string `json:"csrf" doc:"The sign-in form's token (repeats the milepost_login cookie)."`
	Next     string `json:"next,omitempty" doc:"Console path to return to after signing in."`
}

type csrfForm struct {
	CSRF string `json:"csrf" doc:"The session's CSRF token, as the page's form carries it."`
}

type decisionForm struct {
	CSRF      string   `json:"csrf" doc:"The session's CSRF token, as the page's form carries it."`
	Status    string   `json:"status" enum:"Confirmed,Declined,OnHold" doc:"The decision."`
	AdminNote string   `json:"adminNote,omitempty" doc:"Note to the user (at most 2000 characters); replaces the current note."`
	Fraud     string   `json:"fraud,omitempty" enum:",yes,no" doc:"Empty keeps the flag (confirming clears the engine's suspicion); yes or no sets it."`
	Photo     []string `json:"photo,omitempty" doc:"Upload id of every photo shown on the form (repeated)."`
	Invalid   []string `json:"invalid,omitempty" doc:"Upload ids marked invalid by review (markedInvalidByReview)."`
	Damage    []string `json:"damage,omitempty" doc:"Upload ids with damage detected (damageDetected)."`
}

// allRoutes is every page and form of the console. Pages need a session; forms need the
// session's CSRF token as well (the sign-in form its own, see login.go).
func (c *Console) allRoutes() []route {
	tags := []string{Tag}
	form := func(v any) map[string]any { return map[string]any{"application/x-www-form-urlencoded": v} }
	id := func(what string) []openapi.Param {
		return []openapi.Param{{Name: "id", In: "path", Required: true, Description: what}}
	}
	page := []openapi.Response{rHTML, rSignIn, rForbidden, rNotFound, rInternal}
	return []route{
		{h: http.HandlerFunc(serveAsset), op: openapi.Op{Method: "GET", Path: "/console/assets/{name}", ID: "consoleAsset", Tags: tags,
			Summary: "Console stylesheet, script and icon (embedded)", Params: []openapi.Param{{Name: "name", In: "path", Required: true, Description: "console.css, console.js or favicon.svg."}},
			Responses: []openapi.Response{{Status: 200, Description: "The file.", Also: []string{"text/css", "text/javascript", "image/svg+xml"}}, rNotFound}}},
		{h: http.RedirectHandler("/console/", http.StatusMovedPermanently), op: openapi.Op{Method: "GET", Path: "/console", ID: "consoleRedirect", Tags: tags,
			Summary: "Redirect to the queue", Responses: []openapi.Response{{Status: 301, Description: "Redirect to /console/."}}}},
		{h: http.HandlerFunc(c.loginPage), op: openapi.Op{Method: "GET", Path: "/console/login", ID: "consoleLoginPage", Tags: tags,
			Summary: "Sign-in form (fields email and password)", Params: []openapi.Param{{Name: "next", In: "query", Description: "Console path to return to after signing in."}},
			Responses: []openapi.Response{rHTML, rInternal}}},
		{h: http.HandlerFunc(c.login), op: openapi.Op{Method: "POST", Path: "/console/login", ID: "consoleLogin", Tags: tags,
			Summary: "Sign in", Description: "Checks the form's token and the reviewer's credentials, then sets the session cookie (HttpOnly, SameSite=Lax; Secure and __Host- over HTTPS) and redirects to next or the queue.",
			BodyTypes: form(signInForm{}), BodyRequired: true,
			Responses: []openapi.Response{{Status: 303, Description: "Signed in: redirect to the queue (or next)."}, rBadForm,
				{Status: 401, Description: "Wrong e-mail address or password: the form again.", Also: []string{"text/html"}}, rForbidden, rTooMany, rInternal}}},
		{h: c.form(c.logout), op: openapi.Op{Method: "POST", Path: "/console/logout", ID: "consoleLogout", Tags: tags,
			Summary: "Sign out", BodyTypes: form(csrfForm{}), BodyRequired: true,
			Responses: []openapi.Response{{Status: 303, Description: "Signed out: redirect to the sign-in page."}, rForbidden, rInternal}}},
		{pattern: "GET /console/{$}", h: c.page(c.queue), op: openapi.Op{Method: "GET", Path: "/console/", ID: "consoleQueue", Tags: tags,
			Summary: "Review queue: Pending and OnHold check-ins of all types, oldest first",
			Params: []openapi.Param{
				{Name: "type", In: "query", Enum: []string{"mileage", "condition", "proofOfAddress"}, Description: "Only this check-in type."},
				{Name: "status", In: "query", Enum: []string{"Pending", "OnHold"}, Description: "Only this status."},
				{Name: "fraud", In: "query", Enum: []string{"yes", "no"}, Description: "Fraud suspected or not."},
				{Name: "damage", In: "query", Enum: []string{"yes", "no"}, Description: "Damage detected on a photo or not."},
				{Name: "from", In: "query", Description: "Submitted on or after this day (YYYY-MM-DD, UTC)."},
				{Name: "to", In: "query", Description: "Submitted on or before this day (YYYY-MM-DD, UTC)."},
				{Name: "page", In: "query", Type: 0, Description: "Page number from 1 (50 check-ins a page)."},
			},
			Responses: []openapi.Response{rHTML, rSignIn, rBadForm, rInternal}}},
		{h: c.page(c.checkin), op: openapi.Op{Method: "GET", Path: "/console/checkins/{id}", ID: "consoleCheckin", Tags: tags,
			Summary: "A check-in: photos, signals, odometer chart and the decision form", Params: id("Check-in id."), Responses: page}},
		{h: c.form(c.decide), op: openapi.Op{Method: "POST", Path: "/console/checkins/{id}/decision", ID: "consoleDecide", Tags: tags,
			Summary:     "Decide a check-in",
			Description: "The same lifecycle as POST /api/admin/checkins/{id}/decision: reward change, webhook and audit entry. Needs the session's CSRF token.",
			Params:      id("Check-in id."), BodyTypes: form(decisionForm{}), BodyRequired: true,
			Responses: []openapi.Response{{Status: 303, Description: "Decided: redirect to the check-in's page."}, rBadForm, rForbidden, rNotFound, rConflict, rTooLarge, rInternal}}},
		{h: c.page(c.vehicle), op: openapi.Op{Method: "GET", Path: "/console/vehicles/{id}", ID: "consoleVehicle", Tags: tags,
			Summary: "A vehicle: check-ins, odometer registrations, trips and chart", Params: id("Vehicle id."), Responses: page}},
		{h: c.page(c.user), op: openapi.Op{Method: "GET", Path: "/console/users/{id}", ID: "consoleUser", Tags: tags,
			Summary: "A user: rewards, payouts and proof-of-address history", Params: id("User id."), Responses: page}},
		{h: c.page(c.audit), op: openapi.Op{Method: "GET", Path: "/console/audit", ID: "consoleAudit", Tags: tags,
			Summary:   "Audit log of reviewer decisions, newest first",
			Params:    []openapi.Param{{Name: "checkin", In: "query", Description: "Only this check-in's decisions."}, {Name: "page", In: "query", Type: 0, Description: "Page number from 1."}},
			Responses: []openapi.Response{rHTML, rSignIn, rBadForm, rInternal}}},
		{h: c.page(c.photo), op: openapi.Op{Method: "GET", Path: "/console/photos/{id}", ID: "consolePhoto", Tags: tags,
			Summary: "A photo's or document's bytes (this partner's uploads only)", Params: id("Upload id."),
			Responses: []openapi.Response{{Status: 200, Description: "The picture, or a document as an attachment.", Also: []string{"image/jpeg", "image/png", "application/octet-stream"}},
				{Status: 304, Description: "Not modified (ETag)."}, rSignIn, rForbidden, rNotFound, rInternal}}},
	}
}

// routes is the console's handler: every route of allRoutes, an HTML 404 page for any other
// path under /console/, panics recovered into an error page and the security headers on all.
func (c *Console) routes() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range c.table {
		pattern := rt.pattern
		if pattern == "" {
			pattern = rt.op.Method + " " + rt.op.Path
		}
		mux.Handle(pattern, rt.h)
	}
	mux.Handle("/console/", c.page(func(w http.ResponseWriter, r *http.Request, _ *milepost.ConsoleSession) {
		c.renderError(w, r, milepost.Errorf(milepost.CodeNotFound, "", "There is no such page."))
	}))
	recovered := httpx.Recover(c.log, func(w http.ResponseWriter, r *http.Request, err error) {
		c.renderError(w, r, err)
	}, mux)
	return securityHeaders(recovered)
}

// Register mounts the console on mux (under /console/ and /console) and adds its pages to the
// OpenAPI document under the tag "Review console".
func (c *Console) Register(mux *http.ServeMux, spec *openapi.Spec) {
	spec.AddTag(Tag, "The reviewers' web UI: server-rendered HTML pages behind a session cookie (sign in at /console/login); forms carry a CSRF token. Not an API: documented so that every route of the server is listed.")
	for _, rt := range c.table {
		spec.Add(rt.op)
	}
	mux.Handle("/console/", c.handler)
	mux.Handle("GET /console", c.handler)
}

// Routes returns the method and path of every documented route of the console.
func (c *Console) Routes() [][2]string {
	out := make([][2]string, len(c.table))
	for i, rt := range c.table {
		out[i] = [2]string{rt.op.Method, rt.op.Path}
	}
	return out
}
