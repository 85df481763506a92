package loadtest

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Credentials are a partner's API credentials; every dialect accepts them.
type Credentials struct {
	PartnerID    string
	ClientID     string
	ClientSecret string
}

// apiError is an answer other than the one expected.
type apiError struct {
	method, path string
	status       int
	body         string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%s %s: status %d: %s", e.method, e.path, e.status, e.body)
}

// isConflict tells a 409, which seeding answers by trying another phone, VIN or plate.
func isConflict(err error) bool {
	ae, ok := err.(*apiError)
	return ok && ae.status == http.StatusConflict
}

// client is the seeding side: plain calls to the server's API, checked and decoded.
type client struct {
	base  string
	http  *http.Client
	creds Credentials
	admin string // Ownli admin bearer token
}

func newClient(base string, creds Credentials) *client {
	return &client{base: strings.TrimRight(base, "/"), creds: creds, http: &http.Client{Timeout: 2 * time.Minute}}
}

// call sends body (JSON-encoded unless it is []byte) and decodes a want answer into out.
func (c *client) call(ctx context.Context, method, path string, header http.Header, body any, want int, out any) error {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		enc, err := json.Marshal(b)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(enc)
		header = header.Clone()
		if header == nil {
			header = http.Header{}
		}
		header.Set("Content-Type", "application/json")
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return fmt.Errorf("%s %s: read answer: %w", method, path, err)
	}
	if res.StatusCode != want {
		return &apiError{method, path, res.StatusCode, string(data[:min(len(data), maxSample)])}
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s %s: decode answer: %w", method, path, err)
		}
	}
	return nil
}

func bearer(token string) http.Header { return http.Header{"Authorization": {"Bearer " + token}} }

// login gets the Ownli admin token the other seeding calls use.
func (c *client) login(ctx context.Context) error {
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	err := c.call(ctx, "POST", "/api/auth/token", nil, map[string]string{
		"clientId": c.creds.ClientID, "clientSecret": c.creds.ClientSecret, "partnerId": c.creds.PartnerID, "scope": "admin",
	}, http.StatusOK, &tok)
	if err != nil {
		return fmt.Errorf("sign in as the partner: %w", err)
	}
	c.admin = tok.AccessToken
	return nil
}

// jifelineToken gets an OAuth2 client-credentials token for the /v2 registrations.
func (c *client) jifelineToken(ctx context.Context) (string, error) {
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {c.creds.ClientID}, "client_secret": {c.creds.ClientSecret}}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	if err := c.call(ctx, "POST", "/oauth2/token", h, []byte(form.Encode()), http.StatusOK, &tok); err != nil {
		return "", err
	}
	return tok.AccessToken, nil
}

// tightToken gets a /v6 token acting for one user (trip writes need one).
func (c *client) tightToken(ctx context.Context, userID string) (string, error) {
	form := url.Values{"grant_type": {"client_credentials"}, "userId": {userID}}
	basic := base64.StdEncoding.EncodeToString([]byte(c.creds.ClientID + ":" + c.creds.ClientSecret))
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Authorization": {"Basic " + basic}}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := c.call(ctx, "POST", "/v6/auth/token", h, []byte(form.Encode()), http.StatusOK, &tok); err != nil {
		return "", err
	}
	return tok.AccessToken, nil
}

// retryConflicts calls fn up to 5 times while it answers 409: random phones, VINs and plates
// can clash with earlier runs' data on a long-lived server.
func retryConflicts(fn func() error) error {
	var err error
	for range 5 {
		if err = fn(); !isConflict(err) {
			return err
		}
	}
	return err
}

// createUser creates a user with a random phone and returns its id.
func (c *client) createUser(ctx context.Context) (string, error) {
	var u struct {
		ID string `json:"id"`
	}
	err := retryConflicts(func() error {
		return c.call(ctx, "POST", "/api/users", bearer(c.admin), map[string]any{
			"firstName": "Bench", "lastName": "User", "phone": randomPhone(), "address": map[string]string{"state": "CA"},
		}, http.StatusOK, &u)
	})
	return u.ID, err
}

// vehicle is a seeded vehicle.
type vehicle struct {
	id, plate string
}

// createVehicle creates a vehicle with a random valid VIN and plate for a user.
func (c *client) createVehicle(ctx context.Context, userID string) (vehicle, error) {
	var v vehicle
	err := retryConflicts(func() error {
		var out struct {
			ID string `json:"id"`
		}
		v.plate = randomPlate()
		err := c.call(ctx, "POST", "/api/vehicles/create/by-vin", bearer(c.admin), map[string]any{
			"userId": userID, "vin": RandomVIN(), "make": vehicleMake, "model": vehicleModel, "year": vehicleYear,
			"licensePlate": v.plate, "state": "CA",
		}, http.StatusOK, &out)
		v.id = out.ID
		return err
	})
	return v, err
}

// uploadPhoto uploads a photo for a user and returns its photoUrl.
func (c *client) uploadPhoto(ctx context.Context, userID string, data []byte) (string, error) {
	var out struct {
		PhotoURL string `json:"photoUrl"`
	}
	err := c.call(ctx, "POST", "/api/photo/upload", bearer(c.admin), map[string]any{
		"userId": userID, "name": "evidence.jpg", "photo": base64.StdEncoding.EncodeToString(data),
		"takenOn": time.Now().UTC().Format(time.RFC3339), "latitude": 30.27, "longitude": -97.74,
		"deviceIdentifier": "bench-" + userID, "deviceManufacturer": "Apple", "deviceModel": "iPhone 15", "deviceOS": "iOS 18",
	}, http.StatusOK, &out)
	return out.PhotoURL, err
}

// createCheckin submits a mileage check-in.
func (c *client) createCheckin(ctx context.Context, body []byte) error {
	return c.call(ctx, "POST", "/api/vehicles/checkin/mileage", http.Header{
		"Authorization": {"Bearer " + c.admin}, "Content-Type": {"application/json"},
	}, body, http.StatusOK, nil)
}
