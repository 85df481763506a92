package console

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"strings"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/httpx"
)

//go:embed templates
var templateFS embed.FS

// pages holds one template set per page: the layout, the shared partials and the page's own
// "content". They are parsed once; a template that does not parse fails every test at start.
var pages = func() map[string]*template.Template {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" || name == "partials" {
			continue
		}
		out[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(templateFS,
			"templates/layout.html", "templates/partials.html", n))
	}
	return out
}()

// view is what every page template receives.
type view struct {
	Title   string
	Session *milepost.ConsoleSession // nil on the sign-in page and for errors without a session
	Nav     string                   // the current item of the navigation
	Data    any
}

// render writes a page. It renders into a buffer first, so a template error becomes a clean
// error page instead of half a page.
func (c *Console) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	t, ok := pages[name]
	if !ok {
		panic("console: no page template " + name)
	}
	v := view{Title: title, Session: sessionFrom(r.Context()), Nav: name, Data: data}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		c.log.Error("render console page", "page", name, "error", err, "request_id", httpx.RequestID(r.Context()))
		if name != "error" {
			c.renderError(w, r, err)
			return
		}
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// errorPage is what the error template shows.
type errorPage struct {
	Status    int
	Heading   string
	Message   string
	RequestID string
	SignIn    bool // offer a link to the sign-in page
}

// statusOf maps the domain's error codes to HTTP statuses: the console's one table.
var statusOf = map[string]int{
	milepost.CodeInvalid:      http.StatusBadRequest,
	milepost.CodeUnauthorized: http.StatusUnauthorized,
	milepost.CodeForbidden:    http.StatusForbidden,
	milepost.CodeNotFound:     http.StatusNotFound,
	milepost.CodeConflict:     http.StatusConflict,
	milepost.CodeTooLarge:     http.StatusRequestEntityTooLarge,
	milepost.CodeRateLimited:  http.StatusTooManyRequests,
	milepost.CodeUnavailable:  http.StatusServiceUnavailable,
}

// errForeign is shown instead of the services' terse "Forbidden." when a page belongs to
// another partner. The console answers 403 rather than 404: ids are unguessable, and a reviewer
// who has accounts with two partners learns to switch accounts instead of doubting the link.
const errForeign = "This page belongs to another partner. You can see only the check-ins, vehicles and users of the partner you are signed in for."

// renderError shows err as an error page. Messages of the domain's errors are safe to show;
// anything else is logged and shown only as an internal error with the request id.
func (c *Console) renderError(w http.ResponseWriter, r *http.Request, err error) {
	code := milepost.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	p := errorPage{Status: status, Message: milepost.ErrorMessage(err), RequestID: httpx.RequestID(r.Context())}
	switch {
	case err == errCSRF || err == errSessionEnded:
		p.Heading = "Form refused"
		p.SignIn = err == errSessionEnded
	case code == milepost.CodeForbidden:
		p.Heading, p.Message = "Not your partner's", errForeign
	case code == milepost.CodeUnauthorized:
		p.Heading, p.SignIn = "Signed out", true
	case code == milepost.CodeNotFound:
		p.Heading = "Not found"
	case status == http.StatusInternalServerError:
		c.log.Error("console request failed", "path", r.URL.Path, "error", err, "request_id", p.RequestID)
		p.Heading, p.Message = "Something went wrong", "Something went wrong on our side. If it keeps happening, quote the request id below to support."
	default:
		p.Heading = http.StatusText(status)
	}
	c.render(w, r, status, "error", p.Heading, p)
}
