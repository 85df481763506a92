package partnerapi

import (
	"net/http"

	"github.com/milepost/milepost"
)

// webhookRequest is the body of POST /api/webhooks.
type webhookRequest struct {
	URL string `json:"url" required:"true" doc:"An absolute http(s) URL that receives the events."`
}

// webhookJSON is a webhook endpoint.
type webhookJSON struct {
	ID        string   `json:"id"`
	URL       string   `json:"url"`
	Secret    string   `json:"secret,omitempty" doc:"The signing secret: returned only when the endpoint is created."`
	Events    []string `json:"events" doc:"The events sent: every event type."`
	Active    bool     `json:"active"`
	CreatedAt string   `json:"createdAt"`
}

func toWebhookJSON(e *milepost.WebhookEndpoint) webhookJSON {
	return webhookJSON{ID: e.ID, URL: e.URL, Secret: e.Secret, Events: milepost.EventTypes, Active: e.Active, CreatedAt: formatTime(e.CreatedAt)}
}

// deliveryJSON is one event sent to an endpoint, with its attempts so far.
type deliveryJSON struct {
	ID             string `json:"id"`
	EventID        string `json:"eventId"`
	EventType      string `json:"eventType"`
	Status         string `json:"status" enum:"pending,delivered,failed"`
	Attempts       int    `json:"attempts"`
	LastStatusCode int    `json:"lastStatusCode" doc:"The receiver's last HTTP status (0: no answer)."`
	LastError      string `json:"lastError"`
	LastAttemptAt  string `json:"lastAttemptAt"`
	DeliveredAt    string `json:"deliveredAt"`
	CreatedAt      string `json:"createdAt"`
}

func (s *Server) addWebhook(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	var req webhookRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	e, err := s.Webhooks.AddEndpoint(r.Context(), a, req.URL)
	if err != nil {
		return err
	}
	return ok(w, toWebhookJSON(e))
}

func (s *Server) listWebhooks(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	es, err := s.Webhooks.ListEndpoints(r.Context(), a)
	if err != nil {
		return err
	}
	return ok(w, mapAll(es, toWebhookJSON))
}

func (s *Server) removeWebhook(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	if err := s.Webhooks.RemoveEndpoint(r.Context(), a, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) webhookDeliveries(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	q := query{r: r}
	limit := q.integer("limit", 100)
	if q.err != nil {
		return q.err
	}
	ds, err := s.Webhooks.Deliveries(r.Context(), a, r.PathValue("id"), limit)
	if err != nil {
		return err
	}
	return ok(w, mapAll(ds, func(d *milepost.WebhookDelivery) deliveryJSON {
		return deliveryJSON{ID: d.ID, EventID: d.EventID, EventType: d.EventType, Status: d.Status, Attempts: d.Attempts,
			LastStatusCode: d.LastStatusCode, LastError: d.LastError, LastAttemptAt: formatTimePtr(d.LastAttemptAt),
			DeliveredAt: formatTimePtr(d.DeliveredAt), CreatedAt: formatTime(d.CreatedAt)}
	}))
}
