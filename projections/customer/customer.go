// Package customer projects the customer events (aggregates/customer) into the customers and
// customer_addresses read-model tables (migration 00006), which queries.Customers reads to build the
// Customer resource (spec 3.1).
//
// Every row carries the revision of the customer's stream (customer-<id>) it reflects, and every write is
// guarded by the customers row's revision: an event is applied only when that row is older than it, so an
// event delivered twice (a crash before the ack, a checkpoint reset) changes nothing. Sign-in records come
// from a stream of their own (customer_signins-<id>) and are guarded by its revision, sign_in_revision.
//
// An erased customer's events read with empty personal fields (internal/personaldata), and customer.erased
// deletes the customer's rows: a rebuild inserts the emptied row, then deletes it, and keeps no trace.
package customer

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// Name is the projection's name and checkpoint key; customer writes wait for it before answering
// (read-your-writes). Warning: changing it replays the whole log into the same tables (see
// projections.Projection.Name); bump it only together with fresh tables.
const Name = "customers.v1"

// Projection keeps customers (one row per customer) and customer_addresses. One-time tokens and linked
// identities are not part of the resource and are not projected.
func Projection() projections.Projection {
	return projections.Projection{
		Name:   Name,
		Tables: []string{"customers", "customer_addresses"},
		Batch:  applyBatch,
		Handlers: []projections.Handler{
			projections.On(applyRegistered),
			projections.OnStatement(applyProfileChanged),
			projections.OnStatement(applyEmailChanged),
			projections.OnStatement(applyUsernameChanged),
			projections.OnStatement(applyPasswordChanged),
			projections.OnStatement(applyIdentityUnlinked),
			projections.OnStatement(applyLoggedIn),
			projections.OnStatement(applyEmailVerified),
			projections.OnStatement(applyPictureSet),
			projections.OnStatement(applyPictureRemoved),
			projections.On(applyAddressAdded),
			projections.On(applyAddressUpdated),
			projections.On(applyErased),
		},
	}
}

// applyRegistered inserts the customer; a row already there means the event is applied already.
func applyRegistered(ctx context.Context, tx *sqlx.Tx, e projections.Event[customer.Registered]) error {
	d := e.Data
	metadata, err := metadataJSON(d.Profile.Metadata)
	if err != nil {
		return err
	}
	var passwordAt *time.Time
	if d.PasswordHash != "" {
		passwordAt = &d.RegisteredAt
	}
	p := d.Profile
	_, err = tx.ExecContext(ctx, `INSERT INTO customers (id, account_id, site_id, email, email_confirm,
		email_hardbounce, username, has_password, password_last_updated_at, first_name, last_name, display_name,
		phone, salutation, title, organization, old_provider_id, language, metadata, profile_photo,
		last_login_method, last_login_at, created_at, updated_at, revision)
		VALUES ($1, $2, $3, $4, false, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, '', '',
			NULL, $19, $19, $20)
		ON CONFLICT (id) DO NOTHING`,
		d.CustomerID, d.AccountID, d.SiteID, d.Email, p.EmailHardbounce, d.Username, d.PasswordHash != "",
		passwordAt, p.FirstName, p.LastName, p.DisplayName, p.Phone, p.Salutation, p.Title, p.Organization,
		p.OldProviderID, p.Language, metadata, d.RegisteredAt, e.Revision)
	if err != nil {
		return fmt.Errorf("insert customer %d: %w", d.CustomerID, err)
	}
	return nil
}

// applyProfileChanged replaces the profile columns.
func applyProfileChanged(e projections.Event[customer.ProfileChanged]) (projections.Statement, error) {
	p := e.Data.Profile
	metadata, err := metadataJSON(p.Metadata)
	if err != nil {
		return projections.Statement{}, err
	}
	return advanceStatement(e.Data.CustomerID, e.Revision, e.Data.ChangedAt, `email_hardbounce = $4,
		first_name = $5, last_name = $6, display_name = $7, phone = $8, salutation = $9, title = $10,
		organization = $11, old_provider_id = $12, language = $13, metadata = $14`,
		p.EmailHardbounce, p.FirstName, p.LastName, p.DisplayName, p.Phone, p.Salutation, p.Title,
		p.Organization, p.OldProviderID, p.Language, metadata), nil
}

// applyEmailChanged sets the new email, unconfirmed (rule 10).
func applyEmailChanged(e projections.Event[customer.EmailChanged]) (projections.Statement, error) {
	return advanceStatement(e.Data.CustomerID, e.Revision, e.Data.ChangedAt,
		`email = $4, email_confirm = false`, e.Data.Email), nil
}

// applyUsernameChanged sets the username ("" when removed).
func applyUsernameChanged(e projections.Event[customer.UsernameChanged]) (projections.Statement, error) {
	return advanceStatement(e.Data.CustomerID, e.Revision, e.Data.ChangedAt, `username = $4`, e.Data.Username), nil
}

// applyPasswordChanged records that the customer has a password and since when.
func applyPasswordChanged(e projections.Event[customer.PasswordChanged]) (projections.Statement, error) {
	return advanceStatement(e.Data.CustomerID, e.Revision, e.Data.ChangedAt,
		`has_password = true, password_last_updated_at = $3, tokens_valid_after = $3`), nil
}

// applyIdentityUnlinked signs out whoever signed in with the unlinked identity: earlier tokens stop working.
func applyIdentityUnlinked(e projections.Event[customer.IdentityUnlinked]) (projections.Statement, error) {
	return advanceStatement(e.Data.CustomerID, e.Revision, e.Data.UnlinkedAt, `tokens_valid_after = $3`), nil
}

// applyLoggedIn records the last sign-in. A record of the customer's sign-in stream is guarded by that
// stream's revision (sign_in_revision); one that older versions wrote into the customer's own stream, by
// the row's revision like every other event of that stream.
func applyLoggedIn(e projections.Event[customer.LoggedIn]) (projections.Statement, error) {
	d := e.Data
	if !isSignInRecord(e.Envelope) {
		return advanceStatement(d.CustomerID, e.Revision, d.LoggedInAt, `last_login_method = $4, last_login_at = $3`, d.Method), nil
	}
	return projections.Statement{
		Query: `UPDATE customers SET last_login_method = $4, last_login_at = $3, updated_at = $3,
		sign_in_revision = $2 WHERE id = $1 AND (sign_in_revision IS NULL OR sign_in_revision < $2)`,
		Args:    []any{d.CustomerID, e.Revision, d.LoggedInAt, d.Method},
		Failing: fmt.Sprintf("record a sign-in of customer %d at revision %d", d.CustomerID, e.Revision),
	}, nil
}

// isSignInRecord tells an event of a customer's sign-in stream (customer.SignInStreamPrefix) from one of the
// customer's own stream.
func isSignInRecord(e projections.Envelope) bool {
	return strings.HasPrefix(e.Stream, customer.SignInStreamPrefix)
}

// applyEmailVerified confirms the email only if it is still the customer's (a link to a former address
// confirms nothing), as the aggregate does.
func applyEmailVerified(e projections.Event[customer.EmailVerified]) (projections.Statement, error) {
	return advanceStatement(e.Data.CustomerID, e.Revision, e.Data.VerifiedAt,
		`email_confirm = email_confirm OR email = $4`, e.Data.Email), nil
}

// applyPictureSet stores the photo's file name.
func applyPictureSet(e projections.Event[customer.PictureSet]) (projections.Statement, error) {
	return advanceStatement(e.Data.CustomerID, e.Revision, e.Data.SetAt, `profile_photo = $4`, e.Data.File), nil
}

// applyPictureRemoved clears the photo.
func applyPictureRemoved(e projections.Event[customer.PictureRemoved]) (projections.Statement, error) {
	return advanceStatement(e.Data.CustomerID, e.Revision, e.Data.RemovedAt, `profile_photo = ''`), nil
}

// applyErased deletes the customer's rows: their personal data is erased, and the customer no longer exists
// for any endpoint (a token they still hold is refused).
func applyErased(ctx context.Context, tx *sqlx.Tx, e projections.Event[customer.Erased]) error {
	return Forget(ctx, tx, e.Data.CustomerID)
}

// Forget deletes a customer's rows and addresses at once, for `pelcro customers erase`, which does not wait
// for the projection to apply customer.erased (that deletes nothing more afterwards).
func Forget(ctx context.Context, db sqlx.ExecerContext, customerID int64) error {
	for _, statement := range []string{`DELETE FROM customer_addresses WHERE customer_id = $1`,
		`DELETE FROM customers WHERE id = $1`} {
		if _, err := db.ExecContext(ctx, statement, customerID); err != nil {
			return fmt.Errorf("forget customer %d: %w", customerID, err)
		}
	}
	return nil
}

// advanceStatement applies set (SQL assignments, possibly none, that may use $3 = at and $4… = args) to the
// customer's row, with updated_at = at and revision = revision, when the row is older than revision; a row
// already at revision is left alone (the event was applied already).
func advanceStatement(id int64, revision uint64, at time.Time, set string, args ...any) projections.Statement {
	assignments := `updated_at = $3, revision = $2`
	if set != "" {
		assignments = set + ", " + assignments
	}
	return projections.Statement{
		Query:   `UPDATE customers SET ` + assignments + ` WHERE id = $1 AND revision < $2`,
		Args:    append([]any{id, revision, at}, args...),
		Failing: fmt.Sprintf("update customer %d at revision %d", id, revision),
	}
}

// advance runs advanceStatement in tx and says whether the row changed: false means the event was applied
// already.
func advance(ctx context.Context, tx *sqlx.Tx, id int64, revision uint64, at time.Time, set string, args ...any) (bool, error) {
	res, err := advanceStatement(id, revision, at, set, args...).Exec(ctx, tx)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("update customer %d: %w", id, err)
	}
	return n > 0, nil
}

// metadataJSON encodes the profile's metadata as a JSON object, {} when there is none.
func metadataJSON(m map[string]any) ([]byte, error) {
	if m == nil {
		return []byte(`{}`), nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encode customer metadata: %w", err)
	}
	return b, nil
}
