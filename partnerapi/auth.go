package partnerapi

import (
	"net/http"
	"strings"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/httpx"
)

// tokenRequest is the body of POST /api/auth/token.
type tokenRequest struct {
	ClientID     string `json:"clientId" required:"true"`
	ClientSecret string `json:"clientSecret" required:"true"`
	PartnerID    string `json:"partnerId" required:"true"`
	Scope        string `json:"scope" enum:"admin,user" doc:"admin for backend operations (default); user for the app, bound to userId."`
	UserID       string `json:"userId" doc:"Required with scope user: the one user the token reaches."`
}

// tokenResponse is the body of a successful token request.
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type" enum:"Bearer"`
	ExpiresIn   int    `json:"expires_in" doc:"Seconds until the token expires (3600)."`
	PartnerID   string `json:"partner_id"`
	Scope       string `json:"scope" enum:"admin,user"`
	UserID      string `json:"user_id,omitempty" doc:"The user a user-scoped token is bound to."`
}

func (s *Server) issueToken(w http.ResponseWriter, r *http.Request, _ milepost.Actor) error {
	var req tokenRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	scope := milepost.Scope(strings.ToLower(strings.TrimSpace(req.Scope)))
	if scope == "" {
		scope = milepost.ScopeAdmin
	}
	if !scope.Valid() {
		return milepost.Invalidf("scope", "scope must be admin or user.")
	}
	if strings.TrimSpace(req.PartnerID) == "" {
		return milepost.Errorf(milepost.CodeUnauthorized, milepost.ReasonUnauthorized, "partnerId, clientId and clientSecret are required.")
	}
	p, err := s.Auth.Authenticate(r.Context(), req.PartnerID, req.ClientID, req.ClientSecret)
	if err != nil {
		return err
	}
	actor := milepost.Actor{PartnerID: p.ID, Scope: scope}
	if scope == milepost.ScopeUser {
		if strings.TrimSpace(req.UserID) == "" {
			return milepost.Invalidf("userId", "userId is required for a user-scoped token.")
		}
		// The user must exist and belong to the partner before a token can reach it.
		u, err := s.Users.FindUserByID(r.Context(), milepost.Actor{PartnerID: p.ID, Scope: milepost.ScopeAdmin}, req.UserID)
		if err != nil {
			return err
		}
		actor.UserID = u.ID
	}
	token, err := s.Tokens.Issue(actor, audience)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, tokenResponse{
		AccessToken: token, TokenType: "Bearer", ExpiresIn: int(s.Tokens.TTL().Seconds()),
		PartnerID: p.ID, Scope: string(scope), UserID: actor.UserID,
	})
	return nil
}

func decode(r *http.Request, v any) error { return httpx.DecodeJSON(r, v) }
