-- Check-ins of all three types, their evidence, history and verification signals, the durable
-- job queue, and each partner's check-in cadence.

ALTER TABLE partners ADD COLUMN cadence_mileage_days INTEGER NOT NULL DEFAULT 30;
ALTER TABLE partners ADD COLUMN cadence_condition_days INTEGER NOT NULL DEFAULT 90;
ALTER TABLE partners ADD COLUMN cadence_address_days INTEGER NOT NULL DEFAULT 365;

CREATE TABLE checkins (
    id             TEXT PRIMARY KEY,
    partner_id     TEXT NOT NULL REFERENCES partners(id),
    user_id        TEXT NOT NULL REFERENCES users(id),
    vehicle_id     TEXT REFERENCES vehicles(id),
    type           TEXT NOT NULL,
    status         TEXT NOT NULL,
    fraud          BOOLEAN NOT NULL DEFAULT FALSE,
    admin_note     TEXT NOT NULL DEFAULT '',
    user_note      TEXT NOT NULL DEFAULT '',
    license        TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL DEFAULT '',
    mileage        BIGINT NOT NULL DEFAULT 0,
    document_type  TEXT NOT NULL DEFAULT '',
    address_type   TEXT NOT NULL DEFAULT '',
    has_address    BOOLEAN NOT NULL DEFAULT FALSE,
    address_line1  TEXT NOT NULL DEFAULT '',
    address_line2  TEXT NOT NULL DEFAULT '',
    address_city   TEXT NOT NULL DEFAULT '',
    address_state  TEXT NOT NULL DEFAULT '',
    address_country TEXT NOT NULL DEFAULT '',
    address_zip    TEXT NOT NULL DEFAULT '',
    address_latitude  DOUBLE PRECISION,
    address_longitude DOUBLE PRECISION,
    latitude       DOUBLE PRECISION,
    longitude      DOUBLE PRECISION,
    insights       TEXT NOT NULL DEFAULT '',
    run            INTEGER NOT NULL DEFAULT 1,
    submitted_at   BIGINT NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX checkins_vehicle ON checkins (vehicle_id, type, created_at);
CREATE INDEX checkins_user ON checkins (user_id, type, created_at);
CREATE INDEX checkins_partner_created ON checkins (partner_id, type, created_at, id);
CREATE INDEX checkins_partner_updated ON checkins (partner_id, type, updated_at, id);
CREATE INDEX checkins_review ON checkins (partner_id, status, created_at);

CREATE TABLE checkin_photos (
    checkin_id      TEXT NOT NULL REFERENCES checkins(id),
    position        INTEGER NOT NULL,
    upload_id       TEXT NOT NULL REFERENCES uploads(id),
    role            TEXT NOT NULL,
    kind            TEXT NOT NULL DEFAULT '',
    ordinal         INTEGER NOT NULL DEFAULT 0,
    marked_invalid  BOOLEAN NOT NULL DEFAULT FALSE,
    damage_detected BOOLEAN NOT NULL DEFAULT FALSE,
    attached_at     BIGINT NOT NULL,
    PRIMARY KEY (checkin_id, position)
);
CREATE INDEX checkin_photos_upload ON checkin_photos (upload_id);

CREATE TABLE checkin_transitions (
    id          TEXT PRIMARY KEY,
    checkin_id  TEXT NOT NULL REFERENCES checkins(id),
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    actor_kind  TEXT NOT NULL,
    actor_id    TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);
CREATE INDEX checkin_transitions_checkin ON checkin_transitions (checkin_id, created_at);

CREATE TABLE checkin_signals (
    checkin_id TEXT NOT NULL REFERENCES checkins(id),
    run        INTEGER NOT NULL,
    position   INTEGER NOT NULL,
    analyzer   TEXT NOT NULL,
    name       TEXT NOT NULL,
    value      TEXT NOT NULL DEFAULT '',
    verdict    TEXT NOT NULL,
    fraud      BOOLEAN NOT NULL DEFAULT FALSE,
    reason     TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    PRIMARY KEY (checkin_id, run, position)
);

-- The durable job queue: jobs are inserted in the transaction of the change that causes them.
CREATE TABLE jobs (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    state        TEXT NOT NULL,
    attempt      INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    run_at       BIGINT NOT NULL,
    locked_by    TEXT NOT NULL DEFAULT '',
    locked_until BIGINT NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX jobs_due ON jobs (state, run_at);
