package customerstreams

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/aggregates/order"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// handlers has one handler per event type of the customer, wallet, invoice, subscription and newsletter
// aggregates (a test
// holds it to their registries): every one moves its stream's positions, and some also link the stream to a
// customer. Warning: an event type missing here leaves its stream's last position behind, and the timeline
// then shows that stream's newest events late or not at all.
func handlers() []projections.Handler {
	return []projections.Handler{
		on(applyRegistered), on(applyEmailChanged), on(applyLoggedIn), on(applyErased),
		on(streamOf(func(d wallet.PaymentMethodSaved) int64 { return d.CustomerID })),
		on(streamOf(func(d invoice.Created) int64 { return d.CustomerID })),
		on(streamOf(func(d subscription.Created) int64 { return d.CustomerID })),
		on(streamOf(func(d order.Placed) int64 { return d.CustomerID })),
		on(applyNewsletter(func(d newsletter.Subscribed) (int64, string) { return d.SiteID, d.Email })),
		on(applyNewsletter(func(d newsletter.Updated) (int64, string) { return d.SiteID, d.Email })),
		on(applyNewsletter(func(d newsletter.Unsubscribed) (int64, string) { return d.SiteID, d.Email })),
		on(applyNewsletterErased),
		on(nothing[customer.ProfileChanged]), on(nothing[customer.UsernameChanged]), on(nothing[customer.PasswordChanged]),
		on(nothing[customer.PasswordRehashed]), on(nothing[customer.OneTimeTokenIssued]), on(nothing[customer.EmailVerified]),
		on(nothing[customer.PictureSet]), on(nothing[customer.PictureRemoved]), on(nothing[customer.AddressAdded]),
		on(nothing[customer.AddressUpdated]), on(nothing[customer.IdentityLinked]), on(nothing[customer.IdentityUnlinked]),
		on(nothing[wallet.PaymentMethodConfirmed]), on(nothing[wallet.DefaultPaymentMethodChanged]),
		on(nothing[wallet.CardExpiryChanged]), on(nothing[wallet.PaymentMethodDeleted]), on(nothing[wallet.PaymentMethodUseChanged]),
		on(nothing[invoice.Finalized]), on(nothing[invoice.Voided]), on(nothing[invoice.MarkedUncollectible]),
		on(nothing[invoice.PaymentAttempted]), on(nothing[invoice.PaymentRequiresAction]),
		on(nothing[invoice.PaymentDeclined]), on(nothing[invoice.Paid]),
		on(nothing[subscription.PaymentSucceeded]), on(nothing[subscription.PaymentFailed]),
		on(nothing[subscription.PeriodStarted]), on(nothing[subscription.CancellationScheduled]),
		on(nothing[subscription.Reactivated]), on(nothing[subscription.Ended]), on(nothing[subscription.PhaseAdded]),
		on(nothing[subscription.PlanChanged]), on(nothing[subscription.GiftNotified]),
		on(nothing[subscription.GiftRedeemed]), on(nothing[subscription.Erased]),
		on(nothing[subscription.PurchaseAwaitingPayment]), on(nothing[subscription.PurchaseSettled]),
		on(nothing[subscription.PurchaseAbandoned]),
		// A member's seat events stay on the owner's timeline only: linking the owner's subscription stream to
		// a member would show the member the owner's payments.
		on(nothing[subscription.MemberInvited]), on(nothing[subscription.MemberActivated]),
		on(nothing[subscription.MemberRemoved]),
		on(nothing[order.Paid]), on(nothing[order.Canceled]),
	}
}

// on records the event's position in its stream's row, then applies what else the event means.
func on[E any](apply projections.ApplyFunc[E]) projections.Handler {
	return projections.On(func(ctx context.Context, tx *sqlx.Tx, e projections.Event[E]) error {
		if err := touch(ctx, tx, e.Envelope); err != nil {
			return err
		}
		return apply(ctx, tx, e)
	})
}

// nothing is the apply func of events that only move their stream's positions.
func nothing[E any](context.Context, *sqlx.Tx, projections.Event[E]) error { return nil }

// touch makes the event's position its stream's last one (and the first one of a stream seen for the first
// time). An older position, redelivered, changes nothing.
func touch(ctx context.Context, tx *sqlx.Tx, e projections.Envelope) error {
	commit, prepare := strconv.FormatUint(e.Position.Commit, 10), strconv.FormatUint(e.Position.Prepare, 10)
	_, err := tx.ExecContext(ctx, `INSERT INTO customer_stream_positions AS p
		(stream, first_commit, first_prepare, last_commit, last_prepare) VALUES ($1, $2, $3, $2, $3)
		ON CONFLICT (stream) DO UPDATE SET last_commit = EXCLUDED.last_commit, last_prepare = EXCLUDED.last_prepare
		WHERE (p.last_commit, p.last_prepare) < (EXCLUDED.last_commit, EXCLUDED.last_prepare)`, e.Stream, commit, prepare)
	if err != nil {
		return fmt.Errorf("record the position of %s@%d: %w", e.Stream, e.Revision, err)
	}
	return nil
}
