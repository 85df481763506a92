package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/milepost/milepost"
)

// Users implements milepost.UserService.
type Users struct{ db *DB }

// Users returns the user service of this store.
func (db *DB) Users() *Users { return &Users{db: db} }

var _ milepost.UserService = (*Users)(nil)

const userCols = `id, partner_id, first_name, last_name, email, email_verified, phone, phone_verified,
	custom_field1, custom_field2, custom_field3, custom_field4, custom_field5,
	address_line1, address_line2, city, state, country, zip,
	has_policy, policy_number, policy_start, policy_end,
	admin_note, tos_answer, partner_code, fraud, created_at, updated_at`

func scanUser(row interface{ Scan(...any) error }) (*milepost.User, error) {
	var u milepost.User
	var hasPolicy bool
	var policyNumber string
	var start, end sql.NullInt64
	var created, updated int64
	a := &u.Address
	err := row.Scan(&u.ID, &u.PartnerID, &u.FirstName, &u.LastName, &u.Email, &u.EmailVerified, &u.Phone, &u.PhoneVerified,
		&u.CustomFields[0], &u.CustomFields[1], &u.CustomFields[2], &u.CustomFields[3], &u.CustomFields[4],
		&a.Line1, &a.Line2, &a.City, &a.State, &a.Country, &a.Zip,
		&hasPolicy, &policyNumber, &start, &end,
		&u.AdminNote, &u.TOSAnswer, &u.PartnerCode, &u.Fraud, &created, &updated)
	if err != nil {
		return nil, err
	}
	if hasPolicy {
		u.Policy = &milepost.PolicyInfo{PolicyNumber: policyNumber, StartDate: timePtr(start), EndDate: timePtr(end)}
	}
	u.CreatedAt, u.UpdatedAt = fromMS(created), fromMS(updated)
	return &u, nil
}

func userNotFound() error {
	return milepost.Errorf(milepost.CodeNotFound, milepost.ReasonUserNotFound, "User not found.")
}

// findUser loads a user by id: CodeNotFound when there is none, CodeForbidden when the actor may
// not see it (another partner's user never reveals its data).
func findUser(ctx context.Context, tx *Tx, actor milepost.Actor, id string) (*milepost.User, error) {
	return findUserWhere(ctx, tx, actor, "id = ?", strings.TrimSpace(id))
}

// findUserByPhone loads the partner's user with a normalized phone, or CodeNotFound.
func findUserByPhone(ctx context.Context, tx *Tx, actor milepost.Actor, phone string) (*milepost.User, error) {
	return findUserWhere(ctx, tx, actor, "partner_id = ? AND phone = ?", actor.PartnerID, phone)
}

func findUserWhere(ctx context.Context, tx *Tx, actor milepost.Actor, where string, args ...any) (*milepost.User, error) {
	u, err := scanUser(tx.queryRow(ctx, "SELECT "+userCols+" FROM users WHERE "+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, userNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	if err := actor.CanAccessUser(u.PartnerID, u.ID); err != nil {
		return nil, err
	}
	return u, nil
}

// findUserClash returns a user of the partner, other than exceptID, that already has the phone
// or the e-mail address (compared without case), or nil.
func findUserClash(ctx context.Context, tx *Tx, partnerID, exceptID, phone, email string) (*milepost.User, error) {
	u, err := scanUser(tx.queryRow(ctx, "SELECT "+userCols+` FROM users
		WHERE partner_id = ? AND id <> ? AND (phone = ? OR (email_norm <> '' AND email_norm = ?))
		ORDER BY created_at LIMIT 1`, partnerID, exceptID, phone, strings.ToLower(email)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("check user uniqueness: %w", err)
	}
	return u, nil
}

func userExists() error {
	return milepost.Errorf(milepost.CodeConflict, milepost.ReasonUserAlreadyExists, "User exists with phone or email.")
}

// CreateUser validates and registers a user; see milepost.UserService.
func (s *Users) CreateUser(ctx context.Context, actor milepost.Actor, in milepost.NewUser, opts milepost.CreateUserOptions) (*milepost.User, bool, error) {
	if err := actor.RequireAdmin(); err != nil {
		return nil, false, err
	}
	var out *milepost.User
	created := false
	err := s.db.update(ctx, func(tx *Tx) error {
		p, err := findPartner(ctx, tx, actor.PartnerID)
		if err != nil {
			return err
		}
		in, err := in.Validate(opts.WithPolicy, opts.PolicyDatesOptional || p.PolicyDatesOptional)
		if err != nil {
			return err
		}
		clash, err := findUserClash(ctx, tx, actor.PartnerID, "", in.Phone, in.Email)
		if err != nil {
			return err
		}
		if clash != nil {
			// With policy, the identity is phone + policy number: only a user with both may be
			// returned. Without, any user with the phone or e-mail is the same person.
			same := !opts.WithPolicy || (clash.Phone == in.Phone && clash.Policy != nil && clash.Policy.PolicyNumber == in.Policy.PolicyNumber)
			if opts.ReturnExisting && same {
				out = clash
				return nil
			}
			return userExists()
		}
		u := &milepost.User{
			ID: newID(), PartnerID: actor.PartnerID, FirstName: in.FirstName, LastName: in.LastName,
			Email: in.Email, EmailVerified: in.EmailVerified, Phone: in.Phone, PhoneVerified: in.PhoneVerified,
			CustomFields: in.CustomFields, Address: *in.Address, Policy: in.Policy, TOSAnswer: milepost.TOSNone,
			CreatedAt: tx.now, UpdatedAt: tx.now,
		}
		if err := insertUser(ctx, tx, u); err != nil {
			return err
		}
		out, created = u, true
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return out, created, nil
}

func policyArgs(p *milepost.PolicyInfo) (bool, string, sql.NullInt64, sql.NullInt64) {
	if p == nil {
		return false, "", sql.NullInt64{}, sql.NullInt64{}
	}
	return true, p.PolicyNumber, nullMS(p.StartDate), nullMS(p.EndDate)
}

func insertUser(ctx context.Context, tx *Tx, u *milepost.User) error {
	hasPolicy, number, start, end := policyArgs(u.Policy)
	a := u.Address
	_, err := tx.exec(ctx, "INSERT INTO users ("+userCols+", email_norm) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		u.ID, u.PartnerID, u.FirstName, u.LastName, u.Email, u.EmailVerified, u.Phone, u.PhoneVerified,
		u.CustomFields[0], u.CustomFields[1], u.CustomFields[2], u.CustomFields[3], u.CustomFields[4],
		a.Line1, a.Line2, a.City, a.State, a.Country, a.Zip,
		hasPolicy, number, start, end,
		u.AdminNote, u.TOSAnswer, u.PartnerCode, u.Fraud, u.CreatedAt.UnixMilli(), u.UpdatedAt.UnixMilli(), strings.ToLower(u.Email))
	if tx.d.isUniqueViolation(err) {
		return userExists()
	}
	if err != nil {
		return fmt.Errorf("insert user: %w", err)
	}
	return nil
}

func saveUser(ctx context.Context, tx *Tx, u *milepost.User) error {
	hasPolicy, number, start, end := policyArgs(u.Policy)
	a := u.Address
	_, err := tx.exec(ctx, `UPDATE users SET first_name = ?, last_name = ?, email = ?, email_norm = ?, email_verified = ?,
		phone = ?, phone_verified = ?, custom_field1 = ?, custom_field2 = ?, custom_field3 = ?, custom_field4 = ?, custom_field5 = ?,
		address_line1 = ?, address_line2 = ?, city = ?, state = ?, country = ?, zip = ?,
		has_policy = ?, policy_number = ?, policy_start = ?, policy_end = ?, updated_at = ? WHERE id = ?`,
		u.FirstName, u.LastName, u.Email, strings.ToLower(u.Email), u.EmailVerified,
		u.Phone, u.PhoneVerified, u.CustomFields[0], u.CustomFields[1], u.CustomFields[2], u.CustomFields[3], u.CustomFields[4],
		a.Line1, a.Line2, a.City, a.State, a.Country, a.Zip,
		hasPolicy, number, start, end, u.UpdatedAt.UnixMilli(), u.ID)
	if tx.d.isUniqueViolation(err) {
		return userExists()
	}
	if err != nil {
		return fmt.Errorf("update user: %w", err)
	}
	return nil
}

// UpdateUser changes the given fields of a user; see milepost.UserService.
func (s *Users) UpdateUser(ctx context.Context, actor milepost.Actor, id string, upd milepost.UserUpdate) (*milepost.User, error) {
	if err := actor.RequireAdmin(); err != nil {
		return nil, err
	}
	return writeOne(ctx, s.db, func(tx *Tx) (*milepost.User, error) {
		u, err := findUser(ctx, tx, actor, id)
		if err != nil {
			return nil, err
		}
		upd, err := upd.Validate()
		if err != nil {
			return nil, err
		}
		upd.Apply(u)
		clash, err := findUserClash(ctx, tx, u.PartnerID, u.ID, u.Phone, u.Email)
		if err != nil {
			return nil, err
		}
		if clash != nil {
			return nil, userExists()
		}
		u.UpdatedAt = tx.now
		return u, saveUser(ctx, tx, u)
	})
}

// UpdatePolicy sets a user's policy info; see milepost.UserService.
func (s *Users) UpdatePolicy(ctx context.Context, actor milepost.Actor, id string, p milepost.PolicyInfo) (*milepost.User, error) {
	if err := actor.RequireAdmin(); err != nil {
		return nil, err
	}
	return writeOne(ctx, s.db, func(tx *Tx) (*milepost.User, error) {
		u, err := findUser(ctx, tx, actor, id)
		if err != nil {
			return nil, err
		}
		partner, err := findPartner(ctx, tx, actor.PartnerID)
		if err != nil {
			return nil, err
		}
		p, err := p.Validate("policyInfo", partner.PolicyDatesOptional)
		if err != nil {
			return nil, err
		}
		u.Policy = &p
		u.UpdatedAt = tx.now
		return u, saveUser(ctx, tx, u)
	})
}

// FindUserByID returns a user the actor may see; see milepost.UserService.
func (s *Users) FindUserByID(ctx context.Context, actor milepost.Actor, id string) (*milepost.User, error) {
	return readOne(ctx, s.db, func(tx *Tx) (*milepost.User, error) { return findUser(ctx, tx, actor, id) })
}

// FindUserByPhone returns the partner's user with that phone; see milepost.UserService.
func (s *Users) FindUserByPhone(ctx context.Context, actor milepost.Actor, phone string) (*milepost.User, error) {
	phone, err := milepost.NormalizePhone("phoneNumber", phone)
	if err != nil {
		return nil, err
	}
	return readOne(ctx, s.db, func(tx *Tx) (*milepost.User, error) { return findUserByPhone(ctx, tx, actor, phone) })
}

var userSortColumns = map[string]string{
	"dateRegistered": "created_at", "firstName": "first_name", "lastName": "last_name", "email": "email_norm", "phone": "phone",
}

var userSearchColumns = map[string]string{
	"firstName": "LOWER(first_name)", "lastName": "LOWER(last_name)", "email": "email_norm", "phone": "phone", "policyNumber": "LOWER(policy_number)",
}

// ListUsers returns a page of the partner's users; see milepost.UserService.
func (s *Users) ListUsers(ctx context.Context, actor milepost.Actor, f milepost.UserFilter) (*milepost.UserPage, error) {
	if err := actor.RequireAdmin(); err != nil {
		return nil, err
	}
	f, err := f.Validate()
	if err != nil {
		return nil, err
	}
	where := "partner_id = ?"
	args := []any{actor.PartnerID}
	if f.SearchBy != "" {
		where += " AND " + userSearchColumns[f.SearchBy] + ` LIKE ? ESCAPE '\'`
		args = append(args, likeContains(strings.ToLower(f.SearchValue)))
	}
	page := &milepost.UserPage{Page: f.PageRequest}
	err = s.db.view(ctx, func(tx *Tx) error {
		if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM users WHERE "+where, args...).Scan(&page.TotalItems); err != nil {
			return fmt.Errorf("count users: %w", err)
		}
		dir := sqlDirection(f.SortDirection)
		q := "SELECT " + userCols + " FROM users WHERE " + where + " ORDER BY " + userSortColumns[f.SortBy] + " " + dir + ", id " + dir + " LIMIT ? OFFSET ?"
		rows, err := tx.query(ctx, q, append(args, f.Size, f.Offset())...)
		if err != nil {
			return fmt.Errorf("list users: %w", err)
		}
		defer rows.Close()
		page.Users = make([]*milepost.User, 0, f.Size)
		for rows.Next() {
			u, err := scanUser(rows)
			if err != nil {
				return fmt.Errorf("scan user: %w", err)
			}
			page.Users = append(page.Users, u)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return page, nil
}

// likeContains makes a "contains" LIKE pattern (used with ESCAPE '\'), escaping the wildcards
// in v. Callers fold case to match the column they compare with.
func likeContains(v string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(v) + "%"
}

func sqlDirection(d milepost.SortDirection) string {
	if d == milepost.SortAsc {
		return "ASC"
	}
	return "DESC"
}
