-- Campaigns and their product catalogues, rewards, payouts, and webhook endpoints and deliveries.

CREATE TABLE campaigns (
    partner_id   TEXT PRIMARY KEY REFERENCES partners(id),
    name         TEXT NOT NULL,
    rewards      TEXT NOT NULL,
    applied_at   BIGINT NOT NULL
);

CREATE TABLE products (
    partner_id     TEXT NOT NULL REFERENCES partners(id),
    id             TEXT NOT NULL,
    position       INTEGER NOT NULL,
    name           TEXT NOT NULL,
    category       TEXT NOT NULL,
    currency_codes TEXT NOT NULL DEFAULT '',
    countries      TEXT NOT NULL DEFAULT '',
    description    TEXT NOT NULL DEFAULT '',
    disclosure     TEXT NOT NULL DEFAULT '',
    images         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (partner_id, id)
);

CREATE TABLE payouts (
    id           TEXT PRIMARY KEY,
    partner_id   TEXT NOT NULL REFERENCES partners(id),
    user_id      TEXT NOT NULL REFERENCES users(id),
    product_id   TEXT NOT NULL,
    language     TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    status       TEXT NOT NULL,
    reference_id TEXT NOT NULL DEFAULT '',
    link         TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX payouts_user ON payouts (user_id, created_at);

CREATE TABLE rewards (
    id               TEXT PRIMARY KEY,
    partner_id       TEXT NOT NULL REFERENCES partners(id),
    user_id          TEXT NOT NULL REFERENCES users(id),
    vehicle_id       TEXT NOT NULL DEFAULT '',
    checkin_id       TEXT,
    type             TEXT NOT NULL,
    status           TEXT NOT NULL,
    amount_cents     BIGINT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    payout_id        TEXT REFERENCES payouts(id),
    action_code      TEXT NOT NULL DEFAULT '',
    client_reference TEXT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE UNIQUE INDEX rewards_checkin ON rewards (checkin_id) WHERE checkin_id IS NOT NULL;
CREATE UNIQUE INDEX rewards_client_reference ON rewards (partner_id, client_reference) WHERE client_reference IS NOT NULL;
CREATE INDEX rewards_user ON rewards (user_id, status, created_at);
CREATE INDEX rewards_payout ON rewards (payout_id);

CREATE TABLE webhook_endpoints (
    id         TEXT PRIMARY KEY,
    partner_id TEXT NOT NULL REFERENCES partners(id),
    url        TEXT NOT NULL,
    secret     TEXT NOT NULL,
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL
);
CREATE INDEX webhook_endpoints_partner ON webhook_endpoints (partner_id, active);

CREATE TABLE webhook_deliveries (
    id               TEXT PRIMARY KEY,
    endpoint_id      TEXT NOT NULL REFERENCES webhook_endpoints(id),
    event_id         TEXT NOT NULL,
    event_type       TEXT NOT NULL,
    payload          TEXT NOT NULL,
    status           TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_status_code INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT NOT NULL DEFAULT '',
    last_attempt_at  BIGINT,
    delivered_at     BIGINT,
    created_at       BIGINT NOT NULL
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at);
