package milepost

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"time"
)

// Event types sent to webhooks.
const (
	EventCheckinStatusChanged = "checkin.status_changed"
	EventRewardConfirmed      = "reward.confirmed"
	EventPayoutCreated        = "payout.created"
)

// EventTypes lists every event type.
var EventTypes = []string{EventCheckinStatusChanged, EventRewardConfirmed, EventPayoutCreated}

// WebhookEndpoint is a partner's URL that receives events, signed with its own secret.
type WebhookEndpoint struct {
	ID        string
	PartnerID string
	URL       string
	Secret    string // shown once, at creation
	Active    bool
	CreatedAt time.Time
}

// Delivery states.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed" // gave up after retrying for more than a day
)

// WebhookDelivery is one event for one endpoint, with its attempts so far.
type WebhookDelivery struct {
	ID             string
	EndpointID     string
	EventID        string
	EventType      string
	Payload        json.RawMessage // the exact body sent
	Status         string
	Attempts       int
	LastStatusCode int
	LastError      string
	LastAttemptAt  *time.Time
	DeliveredAt    *time.Time
	CreatedAt      time.Time
}

// ValidateWebhookURL checks that a URL can receive webhooks: absolute http or https, with a host.
func ValidateWebhookURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(raw) > 2000 || u.User != nil {
		return "", Invalidf("url", "url must be an absolute http(s) URL without credentials.")
	}
	return raw, nil
}

// WebhookService manages a partner's endpoints (admin scope) and shows their deliveries.
type WebhookService interface {
	AddEndpoint(ctx context.Context, actor Actor, url string) (*WebhookEndpoint, error)
	ListEndpoints(ctx context.Context, actor Actor) ([]*WebhookEndpoint, error)
	RemoveEndpoint(ctx context.Context, actor Actor, id string) error
	// Deliveries returns an endpoint's latest deliveries, newest first.
	Deliveries(ctx context.Context, actor Actor, endpointID string, limit int) ([]*WebhookDelivery, error)
}

// WebhookStore is what the delivery job reads and writes.
type WebhookStore interface {
	// LoadDelivery returns a delivery and its endpoint.
	LoadDelivery(ctx context.Context, id string) (*WebhookDelivery, *WebhookEndpoint, error)
	// RecordAttempt records one attempt: its HTTP status (0: no answer), error, and whether it
	// delivered; final marks a pending delivery failed for good.
	RecordAttempt(ctx context.Context, id string, status int, errMsg string, delivered, final bool) error
}
