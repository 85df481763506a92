package console

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/milepost/milepost"
)

// Cookie base names; with Config.Secure they get the __Host- prefix, which browsers accept only
// from HTTPS, with Path=/ and without Domain, so a sibling subdomain cannot plant or overwrite
// them. Without it (plain-HTTP setups and tests) they are scoped to /console.
const (
	sessionCookie = "milepost_console"
	loginCookie   = "milepost_login"
)

func (c *Console) cookieName(base string) string {
	if c.cfg.Secure {
		return "__Host-" + base
	}
	return base
}

func (c *Console) cookiePath() string {
	if c.cfg.Secure {
		return "/"
	}
	return "/console"
}

// setCookie sets an HttpOnly cookie; maxAge 0 makes a browser-session cookie, < 0 deletes it.
// The session cookie lives until the browser closes; the store ends it after SessionTTL idle.
func (c *Console) setCookie(w http.ResponseWriter, base, value string, maxAge int, sameSite http.SameSite) {
	http.SetCookie(w, &http.Cookie{
		Name: c.cookieName(base), Value: value, Path: c.cookiePath(), MaxAge: maxAge,
		Secure: c.cfg.Secure, HttpOnly: true, SameSite: sameSite,
	})
}

// The session cookie is SameSite=Lax so that a link to a check-in pasted into a chat or an
// e-mail opens signed in; forms are protected by the CSRF token, not by SameSite.
func (c *Console) setSessionCookie(w http.ResponseWriter, token string) {
	c.setCookie(w, sessionCookie, token, 0, http.SameSiteLaxMode)
}

func (c *Console) clearSessionCookie(w http.ResponseWriter) {
	c.setCookie(w, sessionCookie, "", -1, http.SameSiteLaxMode)
}

type sessionKey struct{}

// sessionFrom returns the session the request was authenticated with, or nil.
func sessionFrom(ctx context.Context) *milepost.ConsoleSession {
	s, _ := ctx.Value(sessionKey{}).(*milepost.ConsoleSession)
	return s
}

// session looks the request's session cookie up; a missing cookie is CodeUnauthorized like an
// expired session.
func (c *Console) session(r *http.Request) (*milepost.ConsoleSession, error) {
	ck, err := r.Cookie(c.cookieName(sessionCookie))
	if err != nil || ck.Value == "" {
		return nil, milepost.Errorf(milepost.CodeUnauthorized, "", "Please sign in.")
	}
	return c.cfg.Reviewers.Session(r.Context(), ck.Value)
}

// handlerFunc is a page or form handler that runs for a signed-in reviewer.
type handlerFunc func(w http.ResponseWriter, r *http.Request, s *milepost.ConsoleSession)

// page runs h for a signed-in reviewer; anyone else is sent to the sign-in page and brought
// back afterwards.
func (c *Console) page(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, err := c.session(r)
		if err != nil {
			if milepost.ErrorCode(err) != milepost.CodeUnauthorized {
				c.renderError(w, r, err)
				return
			}
			c.clearSessionCookie(w)
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				c.renderError(w, r, errSessionEnded)
				return
			}
			http.Redirect(w, r, "/console/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), sessionKey{}, s)), s)
	})
}

var (
	errSessionEnded = milepost.Errorf(milepost.CodeForbidden, "", "Your session has ended, so the form was not sent. Sign in again and repeat it.")
	errCSRF         = milepost.Errorf(milepost.CodeForbidden, "", "The form was refused because it did not come from this console (missing or wrong security token). Reload the page and try again.")
)

// form runs h for a form posted by a signed-in reviewer from a page of this console: the body
// must carry the session's CSRF token. A cross-site post is refused before anything else.
func (c *Console) form(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if crossSite(r) {
			c.renderError(w, r, errCSRF)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		s, err := c.session(r)
		if err != nil {
			if milepost.ErrorCode(err) == milepost.CodeUnauthorized {
				c.clearSessionCookie(w)
				err = errSessionEnded
			}
			c.renderError(w, r, err)
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), sessionKey{}, s))
		if err := parseForm(r); err != nil {
			c.renderError(w, r, err)
			return
		}
		if !sameToken(r.PostForm.Get("csrf"), s.CSRF) {
			c.renderError(w, r, errCSRF)
			return
		}
		h(w, r, s)
	})
}

// parseForm reads a urlencoded body into r.PostForm (the query string never counts as the form,
// so a token in a link is no token).
func parseForm(r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return milepost.Errorf(milepost.CodeTooLarge, "", "The form is too large.")
		}
		return milepost.Invalidf("", "The form could not be read.")
	}
	return nil
}

// crossSite reports a request a browser says came from another site (Fetch metadata). Older
// browsers do not send the header; the CSRF token still protects them.
func crossSite(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Sec-Fetch-Site"), "cross-site")
}

// sameToken compares a submitted token with the expected one in constant time; empty never
// matches.
func sameToken(got, want string) bool {
	return got != "" && want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
