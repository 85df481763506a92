package sqlstore

import "context"

// ExecForTest runs a statement (with ? placeholders) outside the services, so tests can damage
// data the services would never write.
func (db *DB) ExecForTest(ctx context.Context, q string, args ...any) error {
	return db.update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, q, args...)
		return err
	})
}
