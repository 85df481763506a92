-- Partners, users, vehicles, uploads, plate lookups and server secrets.
-- Timestamps are unix milliseconds (UTC); ids are UUIDv7 strings made in Go.

CREATE TABLE partners (
    id                    TEXT PRIMARY KEY,
    name                  TEXT NOT NULL,
    client_id             TEXT NOT NULL UNIQUE,
    secret_hash           TEXT NOT NULL,
    policy_dates_optional BOOLEAN NOT NULL DEFAULT FALSE,
    created_at            BIGINT NOT NULL
);

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    partner_id     TEXT NOT NULL REFERENCES partners(id),
    first_name     TEXT NOT NULL,
    last_name      TEXT NOT NULL,
    email          TEXT NOT NULL DEFAULT '',
    email_norm     TEXT NOT NULL DEFAULT '',
    email_verified BOOLEAN NOT NULL DEFAULT FALSE,
    phone          TEXT NOT NULL,
    phone_verified BOOLEAN NOT NULL DEFAULT FALSE,
    custom_field1  TEXT NOT NULL DEFAULT '',
    custom_field2  TEXT NOT NULL DEFAULT '',
    custom_field3  TEXT NOT NULL DEFAULT '',
    custom_field4  TEXT NOT NULL DEFAULT '',
    custom_field5  TEXT NOT NULL DEFAULT '',
    address_line1  TEXT NOT NULL DEFAULT '',
    address_line2  TEXT NOT NULL DEFAULT '',
    city           TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL DEFAULT '',
    country        TEXT NOT NULL DEFAULT 'US',
    zip            TEXT NOT NULL DEFAULT '',
    has_policy     BOOLEAN NOT NULL DEFAULT FALSE,
    policy_number  TEXT NOT NULL DEFAULT '',
    policy_start   BIGINT,
    policy_end     BIGINT,
    admin_note     TEXT NOT NULL DEFAULT '',
    tos_answer     TEXT NOT NULL DEFAULT 'None',
    partner_code   TEXT NOT NULL DEFAULT '',
    fraud          BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_partner_phone ON users (partner_id, phone);
CREATE UNIQUE INDEX users_partner_email ON users (partner_id, email_norm) WHERE email_norm <> '';
CREATE INDEX users_partner_created ON users (partner_id, created_at, id);

CREATE TABLE vehicles (
    id              TEXT PRIMARY KEY,
    partner_id      TEXT NOT NULL REFERENCES partners(id),
    user_id         TEXT NOT NULL REFERENCES users(id),
    vin             TEXT NOT NULL,
    make            TEXT NOT NULL DEFAULT '',
    model           TEXT NOT NULL DEFAULT '',
    year            INTEGER NOT NULL DEFAULT 0,
    license         TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL DEFAULT '',
    photo_url       TEXT NOT NULL DEFAULT '',
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    initial_mileage BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
-- One active vehicle per VIN and per state+plate within a partner; deactivated ones keep history.
CREATE UNIQUE INDEX vehicles_active_vin ON vehicles (partner_id, vin) WHERE active;
CREATE UNIQUE INDEX vehicles_active_plate ON vehicles (partner_id, state, license) WHERE active AND license <> '';
CREATE INDEX vehicles_partner_created ON vehicles (partner_id, created_at, id);
CREATE INDEX vehicles_user ON vehicles (user_id);
CREATE INDEX vehicles_vin ON vehicles (vin);

CREATE TABLE uploads (
    id                  TEXT PRIMARY KEY,
    partner_id          TEXT NOT NULL REFERENCES partners(id),
    user_id             TEXT NOT NULL REFERENCES users(id),
    kind                TEXT NOT NULL,
    name                TEXT NOT NULL,
    sha256              TEXT NOT NULL,
    size                BIGINT NOT NULL,
    content_type        TEXT NOT NULL,
    width               INTEGER NOT NULL DEFAULT 0,
    height              INTEGER NOT NULL DEFAULT 0,
    device_identifier   TEXT NOT NULL DEFAULT '',
    device_manufacturer TEXT NOT NULL DEFAULT '',
    device_model        TEXT NOT NULL DEFAULT '',
    device_os           TEXT NOT NULL DEFAULT '',
    taken_on            BIGINT,
    latitude            DOUBLE PRECISION,
    longitude           DOUBLE PRECISION,
    exif_taken_at       BIGINT,
    exif_time_has_zone  BOOLEAN NOT NULL DEFAULT FALSE,
    exif_latitude       DOUBLE PRECISION,
    exif_longitude      DOUBLE PRECISION,
    exif_make           TEXT NOT NULL DEFAULT '',
    exif_model          TEXT NOT NULL DEFAULT '',
    exif_software       TEXT NOT NULL DEFAULT '',
    exif_orientation    INTEGER NOT NULL DEFAULT 0,
    created_at          BIGINT NOT NULL
);
CREATE INDEX uploads_sha256 ON uploads (sha256);
CREATE INDEX uploads_user ON uploads (user_id, created_at);

-- Plate → VIN records for creating vehicles by plate (filled by `milepost vehicles import-plates`).
CREATE TABLE plate_vins (
    state      TEXT NOT NULL,
    plate      TEXT NOT NULL,
    vin        TEXT NOT NULL,
    make       TEXT NOT NULL DEFAULT '',
    model      TEXT NOT NULL DEFAULT '',
    year       INTEGER NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (state, plate)
);

-- Server-wide secrets shared by every node (token and link signing keys).
CREATE TABLE secrets (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
