package tripapi

import (
	"net/http"
	"strings"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/httpx"
)

// tokenForm documents the form body of POST /v6/auth/token.
type tokenForm struct {
	GrantType string `json:"grant_type" enum:"client_credentials" doc:"Only client_credentials is supported (the default)."`
	UserID    string `json:"userId" doc:"The Milepost user id to generate a scoped token for. Omit to generate a partner-level token."`
}

// tokenJSON is the token response.
type tokenJSON struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type" enum:"Bearer"`
	ExpiresIn   int    `json:"expires_in"`
	Scope       string `json:"scope" enum:"partner,user"`
}

// issueToken authenticates with HTTP Basic client_id:client_secret (or client_id and
// client_secret form fields) and returns a partner-level or user-scoped token.
func (s *Server) issueToken(w http.ResponseWriter, r *http.Request, _ milepost.Actor) error {
	if err := r.ParseForm(); err != nil {
		if err := httpx.FormError(err); milepost.ErrorCode(err) != milepost.CodeInvalid {
			return err
		}
		return &milepost.Error{Code: milepost.CodeInvalid, Reason: "INVALID_FORMAT", Message: "The body must be application/x-www-form-urlencoded."}
	}
	if gt := r.PostForm.Get("grant_type"); gt != "" && gt != "client_credentials" {
		return &milepost.Error{Code: milepost.CodeInvalid, Reason: "INVALID_VALUE", Params: []string{"grant_type"},
			Message: "grant_type " + gt + " is not supported; use client_credentials."}
	}
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	p, err := s.Auth.Authenticate(r.Context(), "", id, secret)
	if err != nil {
		if milepost.ErrorCode(err) == milepost.CodeUnavailable {
			return err // the database cannot check them now: 503 with Retry-After, not a wrong secret
		}
		return milepost.Errorf(milepost.CodeUnauthorized, "", "Invalid client credentials.")
	}
	actor, scope := milepost.Actor{PartnerID: p.ID, Scope: milepost.ScopeAdmin}, "partner"
	if uid := strings.TrimSpace(r.PostForm.Get("userId")); uid != "" {
		u, err := s.Users.FindUserByID(r.Context(), actor, uid)
		if err != nil {
			return err
		}
		actor, scope = milepost.Actor{PartnerID: p.ID, Scope: milepost.ScopeUser, UserID: u.ID}, "user"
	}
	token, err := s.Tokens.Issue(actor, audience)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, tokenJSON{AccessToken: token, TokenType: "Bearer", ExpiresIn: int(s.Tokens.TTL().Seconds()), Scope: scope})
	return nil
}
