-- Photo analysis (perceptual hashes, quality metrics) and document text kept with each upload;
-- photo uses (which upload served as evidence in which check-in), append-only and numbered in
-- commit order, for replay detection; signals may name the photo they are about; odometer
-- rollovers.

ALTER TABLE uploads ADD COLUMN analysis TEXT NOT NULL DEFAULT '';
ALTER TABLE uploads ADD COLUMN text_layer TEXT NOT NULL DEFAULT '';
CREATE INDEX uploads_device ON uploads (device_identifier, user_id) WHERE device_identifier <> '';

CREATE TABLE photo_uses (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    checkin_id TEXT NOT NULL REFERENCES checkins(id),
    upload_id  TEXT NOT NULL REFERENCES uploads(id),
    partner_id TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    vehicle_id TEXT NOT NULL DEFAULT '',
    sha256     TEXT NOT NULL,
    phash      BIGINT,
    dhash      BIGINT,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX photo_uses_checkin_upload ON photo_uses (checkin_id, upload_id);
CREATE INDEX photo_uses_sha256 ON photo_uses (sha256);
-- Uses of check-ins made before this migration (exact replays only: those uploads have no hashes).
INSERT INTO photo_uses (checkin_id, upload_id, partner_id, user_id, vehicle_id, sha256, created_at)
SELECT cp.checkin_id, cp.upload_id, c.partner_id, c.user_id, COALESCE(c.vehicle_id, ''), u.sha256, MIN(cp.attached_at)
FROM checkin_photos cp JOIN checkins c ON c.id = cp.checkin_id JOIN uploads u ON u.id = cp.upload_id
GROUP BY cp.checkin_id, cp.upload_id, c.partner_id, c.user_id, c.vehicle_id, u.sha256
ORDER BY MIN(cp.attached_at), cp.checkin_id, cp.upload_id;

-- What the odometer lost in rollovers before a mileage reading (mileage + odometer_offset is
-- the distance really covered).
ALTER TABLE checkins ADD COLUMN odometer_offset BIGINT NOT NULL DEFAULT 0;

ALTER TABLE checkin_signals ADD COLUMN upload_id TEXT NOT NULL DEFAULT '';
ALTER TABLE checkin_signals ADD COLUMN damage BOOLEAN NOT NULL DEFAULT FALSE;
