package console

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/httpx"
)

// loginForm is what the sign-in page shows.
type loginForm struct {
	Email string
	Next  string
	CSRF  string
	Error string
}

// loginPage shows the sign-in form. There is no session yet, so its CSRF token is a random
// value in a SameSite=Strict cookie that the form repeats (double submit): another site can
// neither read the cookie nor post the form with the cookie's value.
func (c *Console) loginPage(w http.ResponseWriter, r *http.Request) {
	if s, err := c.session(r); err == nil && s != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	f := loginForm{Next: safeNext(r.URL.Query().Get("next")), CSRF: c.loginToken(w, r)}
	c.render(w, r, http.StatusOK, "login", "Sign in", f)
}

// loginToken returns the browser's pre-session token, issuing one if it has none (a second tab
// reuses the first one's, so both forms work).
func (c *Console) loginToken(w http.ResponseWriter, r *http.Request) string {
	if ck, err := r.Cookie(c.cookieName(loginCookie)); err == nil && validRandom(ck.Value) {
		return ck.Value
	}
	tok := randomToken()
	c.setCookie(w, loginCookie, tok, 3600, http.SameSiteStrictMode)
	return tok
}

// login checks the form's token and the reviewer's credentials and opens a session.
func (c *Console) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := c.cfg.SignInLimiter.AllowClient(r, "console-sign-in"); err != nil {
		httpx.SetRetryAfter(w.Header(), err)
		c.renderLogin(w, r, http.StatusTooManyRequests, "", "Too many sign-in attempts from your network. Wait a minute and try again.")
		return
	}
	if crossSite(r) {
		c.renderError(w, r, errCSRF)
		return
	}
	if err := parseForm(r); err != nil {
		c.renderError(w, r, err)
		return
	}
	ck, err := r.Cookie(c.cookieName(loginCookie))
	if err != nil || !sameToken(r.PostForm.Get("csrf"), ck.Value) {
		c.renderError(w, r, errCSRF)
		return
	}
	email := strings.TrimSpace(r.PostForm.Get("email"))
	s, err := c.cfg.Reviewers.SignIn(r.Context(), email, r.PostForm.Get("password"))
	switch milepost.ErrorCode(err) {
	case "":
	case milepost.CodeUnauthorized, milepost.CodeInvalid:
		c.renderLogin(w, r, http.StatusUnauthorized, email, "The e-mail address or the password is wrong.")
		return
	case milepost.CodeRateLimited:
		c.renderLogin(w, r, http.StatusTooManyRequests, email, "Too many failed sign-ins for this e-mail address. Wait 15 minutes and try again, or ask your administrator for a new password.")
		return
	default:
		c.renderError(w, r, err)
		return
	}
	c.setCookie(w, loginCookie, "", -1, http.SameSiteStrictMode)
	c.setSessionCookie(w, s.Token)
	http.Redirect(w, r, safeNext(r.PostForm.Get("next")), http.StatusSeeOther)
}

func (c *Console) renderLogin(w http.ResponseWriter, r *http.Request, status int, email, msg string) {
	f := loginForm{Email: email, Next: safeNext(r.FormValue("next")), CSRF: c.loginToken(w, r), Error: msg}
	c.render(w, r, status, "login", "Sign in", f)
}

// logout ends the session.
func (c *Console) logout(w http.ResponseWriter, r *http.Request, s *milepost.ConsoleSession) {
	if err := c.cfg.Reviewers.SignOut(r.Context(), s.Token); err != nil {
		c.renderError(w, r, err)
		return
	}
	c.clearSessionCookie(w)
	http.Redirect(w, r, "/console/login", http.StatusSeeOther)
}

// safeNext keeps a post-sign-in destination only when it is a page of this console, so the
// sign-in form cannot be used to send someone elsewhere.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" || !strings.HasPrefix(next, "/console/") ||
		strings.ContainsAny(next, "\\\r\n\t") || strings.HasPrefix(u.Path, "/console/login") {
		return "/console/"
	}
	return next
}

// randomToken is 256 random bits, base64url without padding.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand panics instead)
	return base64.RawURLEncoding.EncodeToString(b)
}

func validRandom(s string) bool {
	b, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil && len(b) == 32
}
