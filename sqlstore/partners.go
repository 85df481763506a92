package sqlstore

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/milepost/milepost"
)

// Partners implements milepost.PartnerService.
type Partners struct{ db *DB }

// Partners returns the partner service of this store.
func (db *DB) Partners() *Partners { return &Partners{db: db} }

var _ milepost.PartnerService = (*Partners)(nil)

const partnerCols = "id, name, client_id, policy_dates_optional, created_at, cadence_mileage_days, cadence_condition_days, cadence_address_days"

func scanPartner(row interface{ Scan(...any) error }) (*milepost.Partner, error) {
	var p milepost.Partner
	var created int64
	c := &p.Cadence
	if err := row.Scan(&p.ID, &p.Name, &p.ClientID, &p.PolicyDatesOptional, &created, &c.MileageDays, &c.ConditionDays, &c.ProofOfAddressDays); err != nil {
		return nil, err
	}
	p.CreatedAt = fromMS(created)
	return &p, nil
}

// hashSecret hashes a client secret. Secrets are 256-bit random values, so one SHA-256 is as
// strong as a slow password hash here and keeps per-request header authentication cheap.
func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// CreatePartner makes a partner with a new client id and secret; the secret is returned once.
func (s *Partners) CreatePartner(ctx context.Context, name string) (*milepost.PartnerCredentials, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 200 {
		return nil, milepost.Invalidf("name", "A partner name of 1 to 200 characters is required.")
	}
	return writeOne(ctx, s.db, func(tx *Tx) (*milepost.PartnerCredentials, error) { return insertPartner(ctx, tx, name) })
}

// insertPartner creates a partner with a new client id and secret.
func insertPartner(ctx context.Context, tx *Tx, name string) (*milepost.PartnerCredentials, error) {
	secret := "mps_" + randomToken(32)
	p := &milepost.Partner{ID: newID(), Name: name, ClientID: "mpc_" + randomHex(12), CreatedAt: tx.now, Cadence: milepost.DefaultCadence}
	_, err := tx.exec(ctx, "INSERT INTO partners (id, name, client_id, secret_hash, policy_dates_optional, created_at) VALUES (?, ?, ?, ?, ?, ?)",
		p.ID, p.Name, p.ClientID, hashSecret(secret), false, p.CreatedAt.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("insert partner: %w", err)
	}
	return &milepost.PartnerCredentials{Partner: p, ClientSecret: secret}, nil
}

// ListPartners returns every partner, oldest first.
func (s *Partners) ListPartners(ctx context.Context) ([]*milepost.Partner, error) {
	var out []*milepost.Partner
	err := s.db.view(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, "SELECT "+partnerCols+" FROM partners ORDER BY created_at, id")
		if err != nil {
			return fmt.Errorf("list partners: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanPartner(rows)
			if err != nil {
				return fmt.Errorf("scan partner: %w", err)
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}

// CountPartners returns how many partners exist (the server creates a demo partner when none do).
func (s *Partners) CountPartners(ctx context.Context) (int, error) {
	var n int
	err := s.db.view(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, "SELECT COUNT(*) FROM partners").Scan(&n)
	})
	return n, err
}

// FindPartnerByID returns the partner or a CodeNotFound error.
func (s *Partners) FindPartnerByID(ctx context.Context, id string) (*milepost.Partner, error) {
	return readOne(ctx, s.db, func(tx *Tx) (*milepost.Partner, error) { return findPartner(ctx, tx, id) })
}

func findPartner(ctx context.Context, tx *Tx, id string) (*milepost.Partner, error) {
	p, err := scanPartner(tx.queryRow(ctx, "SELECT "+partnerCols+" FROM partners WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, milepost.Errorf(milepost.CodeNotFound, "", "Partner not found.")
	}
	if err != nil {
		return nil, fmt.Errorf("find partner: %w", err)
	}
	return p, nil
}

// UpdateSettings changes a partner's settings and returns the partner.
func (s *Partners) UpdateSettings(ctx context.Context, id string, set milepost.PartnerSettings) (*milepost.Partner, error) {
	if set.Cadence != nil {
		if err := set.Cadence.Validate(); err != nil {
			return nil, err
		}
	}
	return writeOne(ctx, s.db, func(tx *Tx) (*milepost.Partner, error) {
		p, err := findPartner(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if set.PolicyDatesOptional != nil {
			p.PolicyDatesOptional = *set.PolicyDatesOptional
		}
		if set.Cadence != nil {
			p.Cadence = *set.Cadence
		}
		c := p.Cadence
		_, err = tx.exec(ctx, `UPDATE partners SET policy_dates_optional = ?, cadence_mileage_days = ?, cadence_condition_days = ?,
			cadence_address_days = ? WHERE id = ?`, p.PolicyDatesOptional, c.MileageDays, c.ConditionDays, c.ProofOfAddressDays, p.ID)
		if err != nil {
			return nil, fmt.Errorf("update partner: %w", err)
		}
		return p, nil
	})
}

// dummyHash is compared against when a client id is unknown, so a wrong client id takes as long
// as a wrong secret.
var dummyHash = hashSecret("milepost-no-such-client")

// Authenticate checks the credentials in constant time with respect to the secret.
func (s *Partners) Authenticate(ctx context.Context, partnerID, clientID, clientSecret string) (*milepost.Partner, error) {
	unauthorized := milepost.Errorf(milepost.CodeUnauthorized, milepost.ReasonUnauthorized, "Invalid or missing API credentials.")
	if clientID == "" || clientSecret == "" || len(clientID) > 200 || len(clientSecret) > 200 {
		return nil, unauthorized
	}
	var p *milepost.Partner
	var stored string
	err := s.db.view(ctx, func(tx *Tx) error {
		var created int64
		var pp milepost.Partner
		c := &pp.Cadence
		err := tx.queryRow(ctx, "SELECT "+partnerCols+", secret_hash FROM partners WHERE client_id = ?", clientID).
			Scan(&pp.ID, &pp.Name, &pp.ClientID, &pp.PolicyDatesOptional, &created, &c.MileageDays, &c.ConditionDays, &c.ProofOfAddressDays, &stored)
		if errors.Is(err, sql.ErrNoRows) {
			stored = dummyHash
			return nil
		}
		if err != nil {
			return fmt.Errorf("find partner credentials: %w", err)
		}
		pp.CreatedAt = fromMS(created)
		p = &pp
		return nil
	})
	if err != nil {
		return nil, err
	}
	match := subtle.ConstantTimeCompare([]byte(hashSecret(clientSecret)), []byte(stored)) == 1
	if p == nil || !match || (partnerID != "" && partnerID != p.ID) {
		return nil, unauthorized
	}
	return p, nil
}

// CreateFirstPartner creates a partner only when there is none yet, and reports whether it did.
// Several nodes starting at once on PostgreSQL create at most one (an advisory lock serializes
// them; on SQLite the immediate write transaction does).
func (s *Partners) CreateFirstPartner(ctx context.Context, name string) (*milepost.PartnerCredentials, bool, error) {
	var out *milepost.PartnerCredentials
	err := s.db.update(ctx, func(tx *Tx) error {
		if tx.d.name() == "postgres" {
			if _, err := tx.exec(ctx, "SELECT pg_advisory_xact_lock(7262736102)"); err != nil {
				return fmt.Errorf("lock partners: %w", err)
			}
		}
		var n int
		if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM partners").Scan(&n); err != nil {
			return fmt.Errorf("count partners: %w", err)
		}
		if n > 0 {
			return nil
		}
		var err error
		out, err = insertPartner(ctx, tx, name)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	return out, out != nil, nil
}
