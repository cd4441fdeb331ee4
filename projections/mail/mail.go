// Package mail projects the events that ask for a mail into the outbox (mail_outbox, migration 00007), from
// which mail.Deliverer sends them. Unlike a read model, the outbox is never recomputed: the projection is
// marked NoRebuild, so `pelcro projections rebuild` refuses it instead of sending every message again.
package mail

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
	"github.com/pelcro-oss/pelcro-api/internal/mail"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// Name is the projection's name and checkpoint key. Warning: changing it replays the whole log into the
// outbox; rows are keyed by event id, so messages still in the table are not queued again, but any that an
// operator removed would be sent again.
const Name = "mail_outbox.v1"

// Projection queues a message for every one-time token issued (passwordless login, password reset, email
// verification), every gift notice of the billing clock and every seat invitation (at most mail.InvitationsPerHour to an
// address of a site within an hour), and deletes every message of an erased customer. derive turns the event's nonce back into
// the token the link carries.
//
// Tables is deliberately empty and NoRebuild set: a rebuild would start from an empty outbox and send every
// message of history again. Durable for the same reason: a queued message may be sent at once, so its commit
// must not be one a crash of PostgreSQL could lose and the projection then queue again.
func Projection(derive mail.TokenDeriver) projections.Projection {
	return projections.Projection{
		Name:      Name,
		Durable:   true,
		NoRebuild: "its rows are mail to send, and a rebuild would send every message of history again",
		Handlers: []projections.Handler{projections.On(queueOneTimeToken(derive)), projections.On(queueGiftNotice),
			projections.On(queueInvitation), projections.On(forgetErased)},
	}
}

// queueOneTimeToken composes the token's message with the site's name and link, read from catalog_sites in
// the projection's transaction, in the language the event names (the customer's, else the request's; the
// site's default for events that name none), and queues it under the event's id (a redelivered event queues
// nothing).
//
// A site not (yet) in catalog_sites is an error: the event is retried, and should the catalog projection
// not catch up, this projection stops and reports it rather than dropping the message. A token of an erased
// customer (read without its email: a replay of the log) queues nothing, there being nobody to send it to.
func queueOneTimeToken(derive mail.TokenDeriver) projections.ApplyFunc[customer.OneTimeTokenIssued] {
	return func(ctx context.Context, tx *sqlx.Tx, e projections.Event[customer.OneTimeTokenIssued]) error {
		if e.Data.Email == "" {
			return nil
		}
		site, language, err := siteOf(ctx, tx, e.Data.SiteID)
		if err != nil {
			return fmt.Errorf("one-time token mail %s: %w", e.ID, err)
		}
		if customerLanguage, ok := i18n.Parse(e.Data.Language); ok {
			language = customerLanguage
		}
		token := derive(e.Data.CustomerID, string(e.Data.Purpose), e.Data.Nonce)
		m, err := mail.OneTimeTokenMessage(e.ID, site, language, e.Data, token)
		if err != nil {
			return err
		}
		return mail.Queue(ctx, tx, m)
	}
}

// queueGiftNotice queues the mail giving a gift's recipient its code (the billing clock's gift notice), in
// the site's language, under the event's id. A notice read without its recipient (erased) queues nothing; a
// site not in catalog_sites is an error, as for queueOneTimeToken.
func queueGiftNotice(ctx context.Context, tx *sqlx.Tx, e projections.Event[subscription.GiftNotified]) error {
	if e.Data.Gift.RecipientEmail == "" {
		return nil
	}
	site, language, err := siteOf(ctx, tx, e.Data.SiteID)
	if err != nil {
		return fmt.Errorf("gift mail %s: %w", e.ID, err)
	}
	return mail.Queue(ctx, tx, mail.GiftMessage(e.ID, site, language, e.Data))
}

// siteOf reads the site's name, link and default language.
func siteOf(ctx context.Context, tx *sqlx.Tx, siteID int64) (mail.Site, i18n.Language, error) {
	var site mail.Site
	var lang string
	err := tx.QueryRowxContext(ctx, `SELECT name, link, default_language FROM catalog_sites WHERE id = $1`,
		siteID).Scan(&site.Name, &site.Link, &lang)
	if errors.Is(err, sql.ErrNoRows) {
		return site, "", fmt.Errorf("site %d is not in catalog_sites", siteID)
	}
	if err != nil {
		return site, "", fmt.Errorf("read site %d: %w", siteID, err)
	}
	language, _ := i18n.Parse(lang)
	return site, language, nil
}

// queueInvitation queues the mail inviting a member to claim their seat (#36), in the site's language,
// under the event's id. An invitation read without its address (the owner was erased) queues nothing, and
// so does one past mail.InvitationsPerHour mails to its address on the site within the hour: the seat
// stands and can be claimed, but the address is not mailed again (docs/memberships.md). A site not in
// catalog_sites is an error, as for queueOneTimeToken.
func queueInvitation(ctx context.Context, tx *sqlx.Tx, e projections.Event[subscription.MemberInvited]) error {
	if e.Data.Email == "" {
		return nil
	}
	allowed, err := mail.InvitationMailAllowed(ctx, tx, e.ID, e.Data.SiteID, e.Data.Email, e.Data.InvitedAt)
	if err != nil || !allowed {
		return err
	}
	site, language, err := siteOf(ctx, tx, e.Data.SiteID)
	if err != nil {
		return fmt.Errorf("invitation mail %s: %w", e.ID, err)
	}
	return mail.Queue(ctx, tx, mail.InvitationMessage(e.ID, site, language, e.Data))
}

// forgetErased deletes every message of an erased customer, sent or not.
func forgetErased(ctx context.Context, tx *sqlx.Tx, e projections.Event[customer.Erased]) error {
	return mail.Forget(ctx, tx, e.Data.CustomerID)
}
