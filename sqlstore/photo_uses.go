package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/milepost/milepost"
)

// PhotoUses implements milepost.PhotoUseStore and milepost.DeviceStats.
type PhotoUses struct{ db *DB }

// PhotoUses returns the photo-use store of this database.
func (db *DB) PhotoUses() *PhotoUses { return &PhotoUses{db: db} }

var (
	_ milepost.PhotoUseStore = (*PhotoUses)(nil)
	_ milepost.DeviceStats   = (*PhotoUses)(nil)
)

// photoUsesLock is the PostgreSQL advisory lock taken before recording photo uses. Held to the
// end of the transaction, it makes the uses' sequence numbers follow commit order, so a reader
// that has seen every Seq up to n never later sees a smaller one commit: replay detection can
// then ask for "uses before mine" without missing a concurrent one. SQLite's single writer gives
// the same order without it.
const photoUsesLock = 0x6d70_7573 // "mpus"

// recordPhotoUses appends a use for each photo of c not yet recorded for it (the change flow
// keeps earlier uses and adds the new photos').
func recordPhotoUses(ctx context.Context, tx *Tx, c *milepost.Checkin) error {
	if len(c.Photos) == 0 {
		return nil
	}
	if tx.d.name() == "postgres" {
		if _, err := tx.exec(ctx, "SELECT pg_advisory_xact_lock(?)", photoUsesLock); err != nil {
			return fmt.Errorf("lock photo uses: %w", err)
		}
	}
	for _, p := range c.Photos {
		var phash, dhash sql.NullInt64
		if p.Upload != nil && p.Upload.Media.Analysis != nil {
			a := p.Upload.Media.Analysis
			phash, dhash = sql.NullInt64{Int64: int64(a.PHash), Valid: true}, sql.NullInt64{Int64: int64(a.DHash), Valid: true}
		}
		var err error
		if p.Upload != nil && p.Upload.ID == p.UploadID {
			// The upload is loaded already (and the foreign key checks it exists).
			_, err = tx.exec(ctx, `INSERT INTO photo_uses (checkin_id, upload_id, partner_id, user_id, vehicle_id, sha256, phash, dhash, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (checkin_id, upload_id) DO NOTHING`,
				c.ID, p.UploadID, c.PartnerID, c.UserID, c.VehicleID, p.Upload.SHA256, phash, dhash, tx.now.UnixMilli())
		} else {
			_, err = tx.exec(ctx, `INSERT INTO photo_uses (checkin_id, upload_id, partner_id, user_id, vehicle_id, sha256, phash, dhash, created_at)
				SELECT ?, u.id, ?, ?, ?, u.sha256, ?, ?, ? FROM uploads u WHERE u.id = ?
				ON CONFLICT (checkin_id, upload_id) DO NOTHING`,
				c.ID, c.PartnerID, c.UserID, c.VehicleID, phash, dhash, tx.now.UnixMilli(), p.UploadID)
		}
		if err != nil {
			return fmt.Errorf("record photo use: %w", err)
		}
	}
	return nil
}

const photoUseCols = "seq, checkin_id, upload_id, partner_id, user_id, vehicle_id, sha256, phash, dhash, created_at"

func scanPhotoUse(row interface{ Scan(...any) error }) (milepost.PhotoUse, error) {
	var u milepost.PhotoUse
	var phash, dhash sql.NullInt64
	var created int64
	if err := row.Scan(&u.Seq, &u.CheckinID, &u.UploadID, &u.PartnerID, &u.UserID, &u.VehicleID, &u.SHA256, &phash, &dhash, &created); err != nil {
		return u, err
	}
	if phash.Valid {
		p, d := uint64(phash.Int64), uint64(dhash.Int64)
		u.PHash, u.DHash = &p, &d
	}
	u.CreatedAt = fromMS(created)
	return u, nil
}

func (s *PhotoUses) list(ctx context.Context, q string, args ...any) ([]milepost.PhotoUse, error) {
	return readOne(ctx, s.db, func(tx *Tx) ([]milepost.PhotoUse, error) {
		var out []milepost.PhotoUse
		err := eachRow(tx.query(ctx, "SELECT "+photoUseCols+" FROM photo_uses WHERE "+q, args...))(func(rows *sql.Rows) error {
			u, err := scanPhotoUse(rows)
			if err == nil {
				out = append(out, u)
			}
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("photo uses: %w", err)
		}
		return out, nil
	})
}

// PhotoUsesSince returns up to limit uses after a sequence number; see milepost.PhotoUseStore.
func (s *PhotoUses) PhotoUsesSince(ctx context.Context, after int64, limit int) ([]milepost.PhotoUse, error) {
	return s.list(ctx, "seq > ? ORDER BY seq LIMIT ?", after, limit)
}

// PhotoUsesBySHA256 returns every use of the exact bytes; see milepost.PhotoUseStore.
func (s *PhotoUses) PhotoUsesBySHA256(ctx context.Context, sha string) ([]milepost.PhotoUse, error) {
	return s.list(ctx, "sha256 = ? ORDER BY seq", sha)
}

// PhotoUsesOf returns the uses of one check-in; see milepost.PhotoUseStore.
func (s *PhotoUses) PhotoUsesOf(ctx context.Context, checkinID string) ([]milepost.PhotoUse, error) {
	return s.list(ctx, "checkin_id = ? ORDER BY seq", checkinID)
}

// PhotoUsesBySeq returns the uses with these sequence numbers; see milepost.PhotoUseStore.
func (s *PhotoUses) PhotoUsesBySeq(ctx context.Context, seqs []int64) ([]milepost.PhotoUse, error) {
	if len(seqs) == 0 {
		return nil, nil
	}
	args := make([]any, len(seqs))
	for i, q := range seqs {
		args[i] = q
	}
	return s.list(ctx, "seq IN ("+placeholders(len(seqs))+")", args...)
}

// DeviceUsers counts the distinct users whose uploads carry a device identifier; see
// milepost.DeviceStats.
func (s *PhotoUses) DeviceUsers(ctx context.Context, identifier string) (int, error) {
	if identifier == "" {
		return 0, nil
	}
	return readOne(ctx, s.db, func(tx *Tx) (int, error) {
		var n int
		err := tx.queryRow(ctx, "SELECT COUNT(DISTINCT user_id) FROM uploads WHERE device_identifier = ?", identifier).Scan(&n)
		return n, err
	})
}
