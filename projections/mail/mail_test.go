package mail

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/internal/mail"
	"github.com/pelcro-oss/pelcro-api/projections"
	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
)

var issuedAt = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// derive stands in for internal/auth's derivation: it shows which inputs the token came from.
func derive(customerID int64, purpose, nonce string) string {
	return fmt.Sprintf("%d.%s-%s", customerID, purpose, nonce)
}

func issued(siteID int64, purpose customer.Purpose) projections.Event[customer.OneTimeTokenIssued] {
	return projections.Event[customer.OneTimeTokenIssued]{
		Envelope: projections.Envelope{ID: uuid.New(), Stream: "customer-42", Revision: 3},
		Data: customer.OneTimeTokenIssued{CustomerID: 42, SiteID: siteID, Purpose: purpose, Email: "ann@example.com",
			Nonce: "n1", TokenHash: "h1", ExpiresAt: issuedAt.Add(time.Hour), IssuedAt: issuedAt},
	}
}

func TestOneTimeTokenIssuedQueuesOneMessage(t *testing.T) {
	t.Parallel()
	cases := []struct {
		purpose  customer.Purpose
		wantLink string
	}{
		{customer.PurposePasswordless, "https://daily.example.com/?view=passwordless-login&token=42.passwordless-n1"},
		{customer.PurposePasswordReset,
			"https://daily.example.com/?view=password-reset&token=42.password_reset-n1&email=ann%40example.com"},
		{customer.PurposeEmailVerification, "https://daily.example.com/?view=email-verify&token=42.email_verification-n1"},
	}
	for _, tc := range cases {
		t.Run(string(tc.purpose), func(t *testing.T) {
			t.Parallel()
			db := projectiontest.ReadModels(t)
			// given a site in the catalog read model
			addSite(t, db, 7, "The Daily", "https://daily.example.com/")
			e := issued(7, tc.purpose)

			// when the event is projected twice (a redelivery)
			apply := queueOneTimeToken(derive)
			for range 2 {
				projectiontest.InTx(t, db, func(ctx context.Context, tx *sqlx.Tx) error { return apply(ctx, tx, e) })
			}

			// then the outbox holds one pending message to the customer, with the link of the derived token
			got, err := mail.List(t.Context(), db, mail.ListOptions{})
			if err != nil {
				t.Fatalf("list: %v", err)
			}
			if len(got) != 1 {
				t.Fatalf("outbox holds %d messages, want 1", len(got))
			}
			m := got[0]
			if m.ID != e.ID || m.Status != mail.StatusPending || m.Recipient != "ann@example.com" ||
				m.Kind != string(tc.purpose) || !strings.Contains(m.Subject, "The Daily") ||
				!strings.Contains(m.Body, tc.wantLink+"\n") || !m.NextAttemptAt.Equal(issuedAt) {
				t.Fatalf("message = %+v, want a pending %s message due at once with %s", m, tc.purpose, tc.wantLink)
			}
		})
	}
}

func TestAOneTimeTokenMailIsWrittenInTheLanguageItsEventNames(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, event, site string
		subject           string
	}{
		{"the customer's language, on a site that speaks another", "es", "de", "Su enlace de inicio de sesión en The Daily"},
		{"an event written before languages were recorded takes the site's default", "", "de", "Ihr Anmeldelink für The Daily"},
		{"a language the API does not speak takes the site's default", "xx", "fr", "Votre lien de connexion à The Daily"},
		{"a site without a language it speaks, English", "", "xx", "Your sign-in link for The Daily"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a site in a language, when a passwordless link naming a language is projected
			e := issued(7, customer.PurposePasswordless)
			e.Data.Language = tc.event
			queued := queuedTwice(t, 7, "The Daily", "https://daily.example.com/", tc.site,
				func(ctx context.Context, tx *sqlx.Tx) error { return queueOneTimeToken(derive)(ctx, tx, e) })
			// then its mail is written in the event's language, else the site's
			if len(queued) != 1 || queued[0].Subject != tc.subject {
				t.Fatalf("queued %+v, want one message titled %q", queued, tc.subject)
			}
		})
	}
}

func TestOneTimeTokenIssuedForASiteNotProjectedYetFails(t *testing.T) {
	t.Parallel()
	db := projectiontest.ReadModels(t)
	// given no site 7 in catalog_sites
	tx, err := db.BeginTxx(t.Context(), nil)
	if err != nil {
		t.Fatalf("begin: %v", err)
	}
	defer func() { _ = tx.Rollback() }()

	// when a token of site 7 is projected
	err = queueOneTimeToken(derive)(t.Context(), tx, issued(7, customer.PurposePasswordless))

	// then it fails (the runner retries it) rather than dropping the message
	if err == nil || !strings.Contains(err.Error(), "site 7 is not in catalog_sites") {
		t.Fatalf("error = %v, want the missing site", err)
	}
}

func TestTheOutboxIsNeverRebuilt(t *testing.T) {
	t.Parallel()
	// when `pelcro projections rebuild mail_outbox.v1` asks for it, then it is refused before touching anything
	_, err := projections.Rebuild(t.Context(), projections.Config{}, Projection(derive))
	if !errors.Is(err, projections.ErrNotRebuildable) || !strings.Contains(err.Error(), Name) {
		t.Fatalf("Rebuild error = %v, want ErrNotRebuildable for %s", err, Name)
	}
}

func addSite(t *testing.T, db *sqlx.DB, id int64, name, link string) {
	t.Helper()
	_, err := db.ExecContext(t.Context(), `INSERT INTO catalog_sites (id, account_id, name, slug, link,
		default_currency, default_locale, default_language, security_key, passwordless_enabled,
		passwordless_token_duration, email_verify_enabled, ecommerce_enabled, taxes_enabled, tax_inclusive,
		auth_token_ttl_days, strong_password_enforcement, restrictive_paywall_metatags_enabled, revision)
		VALUES ($1, 1, $2, 'daily', $3, 'usd', 'en', 'en', '', true, 1, true, false, false, false, 30, false, false, 0)`,
		id, name, link)
	if err != nil {
		t.Fatalf("add site: %v", err)
	}
}

func TestAnErasedCustomerHasNoMailLeft(t *testing.T) {
	t.Parallel()
	db := projectiontest.ReadModels(t)
	addSite(t, db, 7, "The Daily", "https://daily.example.com/")
	apply := queueOneTimeToken(derive)
	// given two messages for customer 42 (one of them sent) and one for customer 43
	other := issued(7, customer.PurposePasswordless)
	other.Data.CustomerID, other.Data.Email = 43, "bob@example.com"
	for _, e := range []projections.Event[customer.OneTimeTokenIssued]{issued(7, customer.PurposePasswordless),
		issued(7, customer.PurposePasswordReset), other} {
		projectiontest.InTx(t, db, func(ctx context.Context, tx *sqlx.Tx) error { return apply(ctx, tx, e) })
	}
	if _, err := db.Exec(`UPDATE mail_outbox SET status = 'sent', sent_at = now() WHERE kind = 'password_reset'`); err != nil {
		t.Fatal(err)
	}
	// when customer 42 is erased, and a token event of theirs is replayed, read without its email
	erased := projections.Event[customer.Erased]{Envelope: projections.Envelope{Stream: "customer-42", Revision: 9},
		Data: customer.Erased{CustomerID: 42, ErasedAt: issuedAt}}
	projectiontest.InTx(t, db, func(ctx context.Context, tx *sqlx.Tx) error { return forgetErased(ctx, tx, erased) })
	replayed := issued(7, customer.PurposePasswordless)
	replayed.Data.Email = ""
	projectiontest.InTx(t, db, func(ctx context.Context, tx *sqlx.Tx) error { return apply(ctx, tx, replayed) })
	// then only customer 43's message is left
	got, err := mail.List(t.Context(), db, mail.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].CustomerID != 43 {
		t.Fatalf("outbox = %+v, want only customer 43's message", got)
	}
}

// queuedTwice adds the site in lang, applies step twice (a redelivery) and returns what the outbox holds.
func queuedTwice(t *testing.T, siteID int64, name, link, lang string, step projectiontest.Step) []mail.Stored {
	t.Helper()
	db := projectiontest.ReadModels(t)
	addSite(t, db, siteID, name, link)
	if _, err := db.ExecContext(t.Context(), `UPDATE catalog_sites SET default_language = $1`, lang); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		projectiontest.InTx(t, db, step)
	}
	queued, err := mail.List(t.Context(), db, mail.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return queued
}
