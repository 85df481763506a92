-- The review console: reviewer accounts (Argon2id password hashes), their sessions (only the
-- token's SHA-256 is kept), sign-in failures for rate limiting, and the audit log of every
-- reviewer decision.

CREATE TABLE reviewers (
    id            TEXT PRIMARY KEY,
    partner_id    TEXT NOT NULL REFERENCES partners(id),
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX reviewers_partner ON reviewers (partner_id);

CREATE TABLE console_sessions (
    token_hash  TEXT PRIMARY KEY,
    reviewer_id TEXT NOT NULL REFERENCES reviewers(id),
    csrf        TEXT NOT NULL,
    expires_at  BIGINT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX console_sessions_reviewer ON console_sessions (reviewer_id);

CREATE TABLE signin_failures (
    email      TEXT NOT NULL,
    failed_at  BIGINT NOT NULL
);
CREATE INDEX signin_failures_email ON signin_failures (email, failed_at);

CREATE TABLE review_audit (
    id           TEXT PRIMARY KEY,
    partner_id   TEXT NOT NULL REFERENCES partners(id),
    checkin_id   TEXT NOT NULL REFERENCES checkins(id),
    checkin_type TEXT NOT NULL,
    reviewer     TEXT NOT NULL,
    from_status  TEXT NOT NULL,
    to_status    TEXT NOT NULL,
    fraud_before BOOLEAN NOT NULL,
    fraud_after  BOOLEAN NOT NULL,
    note_before  TEXT NOT NULL,
    note_after   TEXT NOT NULL,
    photos       TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL
);
CREATE INDEX review_audit_partner ON review_audit (partner_id, created_at);
CREATE INDEX review_audit_checkin ON review_audit (checkin_id, created_at);
