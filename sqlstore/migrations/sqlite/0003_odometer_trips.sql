-- Odometer registrations (Jifeline v2), with one head row per partner and VIN so is_breaking and
-- the list total never scan a VIN's history; the trip log (Tight v6): trips, cars and the cars'
-- start-of-year odometers.

CREATE TABLE odometer_registrations (
    id          TEXT PRIMARY KEY,
    partner_id  TEXT NOT NULL REFERENCES partners(id),
    vin         TEXT NOT NULL,
    value_km    REAL NOT NULL,
    ticket_id   TEXT NOT NULL,
    is_breaking BOOLEAN NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX odometer_registrations_vin ON odometer_registrations (partner_id, vin, created_at, id);

CREATE TABLE odometer_heads (
    partner_id    TEXT NOT NULL REFERENCES partners(id),
    vin           TEXT NOT NULL,
    last_value_km REAL NOT NULL,
    last_at       BIGINT NOT NULL,
    total         BIGINT NOT NULL,
    PRIMARY KEY (partner_id, vin)
);

CREATE TABLE trips (
    id                 TEXT PRIMARY KEY,
    partner_id         TEXT NOT NULL REFERENCES partners(id),
    user_id            TEXT NOT NULL REFERENCES users(id),
    trip_date          TEXT NOT NULL,
    status             TEXT NOT NULL,
    mileage_status     TEXT NOT NULL,
    description        TEXT NOT NULL DEFAULT '',
    notes              TEXT NOT NULL DEFAULT '',
    customer_id        TEXT NOT NULL DEFAULT '',
    class_segment_ids  TEXT NOT NULL DEFAULT '',
    distance_micro     BIGINT NOT NULL,
    distance_unit      TEXT NOT NULL,
    distance_source    TEXT NOT NULL,
    start_point        TEXT NOT NULL DEFAULT '',
    end_point          TEXT NOT NULL DEFAULT '',
    duration_ms        BIGINT,
    deduction_cents    BIGINT NOT NULL,
    deduction_source   TEXT NOT NULL,
    irs_rate           INTEGER NOT NULL DEFAULT 0,
    car_id             TEXT NOT NULL DEFAULT '',
    custom_data        TEXT NOT NULL DEFAULT '',
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX trips_user_date ON trips (user_id, trip_date, id);
CREATE INDEX trips_partner_date ON trips (partner_id, trip_date, id);
CREATE INDEX trips_car ON trips (car_id, trip_date);

CREATE TABLE cars (
    id          TEXT PRIMARY KEY,
    partner_id  TEXT NOT NULL REFERENCES partners(id),
    user_id     TEXT NOT NULL REFERENCES users(id),
    make        TEXT NOT NULL DEFAULT '',
    model       TEXT NOT NULL DEFAULT '',
    name        TEXT NOT NULL DEFAULT '',
    year        INTEGER NOT NULL DEFAULT 0,
    is_primary  BOOLEAN NOT NULL DEFAULT FALSE,
    status      TEXT NOT NULL,
    vin         TEXT NOT NULL DEFAULT '',
    details     TEXT NOT NULL DEFAULT '',
    custom_data TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX cars_user ON cars (user_id, created_at, id);
CREATE INDEX cars_partner ON cars (partner_id, created_at, id);
CREATE INDEX cars_vin ON cars (vin);
