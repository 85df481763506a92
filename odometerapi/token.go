package odometerapi

import (
	"net/http"
	"strings"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/httpx"
)

// tokenForm documents the form body of POST /oauth2/token.
type tokenForm struct {
	GrantType    string `json:"grant_type" required:"true" enum:"client_credentials"`
	ClientID     string `json:"client_id" doc:"The partner's clientId (or send HTTP Basic credentials)."`
	ClientSecret string `json:"client_secret" doc:"The partner's clientSecret."`
}

// tokenJSON is the token response.
type tokenJSON struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int    `json:"expires_in" doc:"Seconds until the token expires."`
	TokenType   string `json:"token_type" enum:"Bearer"`
}

// issueToken is the OAuth2 client-credentials grant. Errors are problem details that also carry
// the OAuth2 error code, so both kinds of client understand them.
func (s *Server) issueToken(w http.ResponseWriter, r *http.Request, _ milepost.Actor) error {
	if err := r.ParseForm(); err != nil {
		ferr := httpx.FormError(err)
		if milepost.ErrorCode(ferr) != milepost.CodeInvalid {
			return ferr // over the body limit: 413, not an OAuth2 error
		}
		s.writeProblemWith(w, r, ferr, "invalid_request")
		return nil
	}
	if gt := r.PostForm.Get("grant_type"); gt != "client_credentials" {
		s.writeProblemWith(w, r, milepost.Invalidf("grant_type", "grant_type must be client_credentials."), "unsupported_grant_type")
		return nil
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if strings.TrimSpace(id) == "" || secret == "" {
		s.writeProblemWith(w, r, milepost.Errorf(milepost.CodeUnauthorized, milepost.ReasonUnauthorized, "client_id and client_secret are required."), "invalid_client")
		return nil
	}
	p, err := s.Auth.Authenticate(r.Context(), "", id, secret)
	if err != nil {
		s.writeProblemWith(w, r, err, "invalid_client")
		return nil
	}
	token, err := s.Tokens.Issue(milepost.Actor{PartnerID: p.ID, Scope: milepost.ScopeAdmin}, audience)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, tokenJSON{AccessToken: token, ExpiresIn: int(s.Tokens.TTL().Seconds()), TokenType: "Bearer"})
	return nil
}
