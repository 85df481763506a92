package sqlstore

import (
	"context"
	"encoding/hex"
	"fmt"
)

// Secret returns the server-wide secret called name, creating a random 256-bit one on first use.
// Every node reads the same value from the database, so tokens and signed links made on one node
// are valid on all of them.
func (db *DB) Secret(ctx context.Context, name string) ([]byte, error) {
	var value string
	err := db.update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, "INSERT INTO secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
			name, randomHex(32), tx.now.UnixMilli()); err != nil {
			return fmt.Errorf("create secret: %w", err)
		}
		return tx.queryRow(ctx, "SELECT value FROM secrets WHERE name = ?", name).Scan(&value)
	})
	if err != nil {
		return nil, err
	}
	b, err := hex.DecodeString(value)
	if err != nil {
		return nil, fmt.Errorf("decode secret %s: %w", name, err)
	}
	return b, nil
}
