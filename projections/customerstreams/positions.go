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
		moved[customer.ProfileChanged](), moved[customer.UsernameChanged](), moved[customer.PasswordChanged](),
		moved[customer.PasswordRehashed](), moved[customer.OneTimeTokenIssued](), moved[customer.EmailVerified](),
		moved[customer.PictureSet](), moved[customer.PictureRemoved](), moved[customer.AddressAdded](),
		moved[customer.AddressUpdated](), moved[customer.AddressAttached](), moved[customer.IdentityLinked](),
		moved[customer.IdentityUnlinked](),
		moved[wallet.PaymentMethodConfirmed](), moved[wallet.DefaultPaymentMethodChanged](),
		moved[wallet.CardExpiryChanged](), moved[wallet.PaymentMethodDeleted](), moved[wallet.PaymentMethodUseChanged](),
		moved[invoice.Finalized](), moved[invoice.Voided](), moved[invoice.MarkedUncollectible](),
		moved[invoice.PaymentAttempted](), moved[invoice.PaymentRequiresAction](),
		moved[invoice.PaymentDeclined](), moved[invoice.Paid](), moved[invoice.Refunded](),
		moved[subscription.PaymentSucceeded](), moved[subscription.PaymentFailed](),
		moved[subscription.PeriodStarted](), moved[subscription.CancellationScheduled](),
		moved[subscription.Reactivated](), moved[subscription.Ended](), moved[subscription.PhaseAdded](),
		moved[subscription.PlanChanged](), moved[subscription.GiftNotified](),
		moved[subscription.GiftRedeemed](), moved[subscription.GiftTermGiven](), moved[subscription.Erased](),
		moved[subscription.PurchaseAwaitingPayment](), moved[subscription.PurchaseSettled](),
		moved[subscription.PurchaseAbandoned](), moved[subscription.AddressChanged](),
		moved[subscription.InvoiceOverdue](),
		// A member's seat events stay on the owner's timeline only: the index links whole streams, and linking
		// the owner's subscription stream to a member would put the owner's payments and every other member's
		// invitation (their email revealed) in the member's audit and raw events. The as-of view finds the
		// member's seats through membership_seats instead (operator.history).
		moved[subscription.MemberInvited](), moved[subscription.MemberActivated](),
		moved[subscription.MemberRemoved](), moved[subscription.MemberInvitationErased](),
		moved[order.Paid](), moved[order.Canceled](),
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

// moved is the handler of events that only move their stream's positions: one statement, which a running
// projection applies together with its checkpoint (projections.OnStatement).
func moved[E any]() projections.Handler {
	return projections.OnStatement(func(e projections.Event[E]) (projections.Statement, error) {
		return touchStatement(e.Envelope), nil
	})
}

// touch makes the event's position its stream's last one (and the first one of a stream seen for the first
// time). An older position, redelivered, changes nothing.
func touch(ctx context.Context, tx *sqlx.Tx, e projections.Envelope) error {
	_, err := touchStatement(e).Exec(ctx, tx)
	return err
}

// touchStatement is touch's statement.
func touchStatement(e projections.Envelope) projections.Statement {
	commit, prepare := strconv.FormatUint(e.Position.Commit, 10), strconv.FormatUint(e.Position.Prepare, 10)
	return projections.Statement{
		Query: `INSERT INTO customer_stream_positions AS p
		(stream, first_commit, first_prepare, last_commit, last_prepare) VALUES ($1, $2, $3, $2, $3)
		ON CONFLICT (stream) DO UPDATE SET last_commit = EXCLUDED.last_commit, last_prepare = EXCLUDED.last_prepare
		WHERE (p.last_commit, p.last_prepare) < (EXCLUDED.last_commit, EXCLUDED.last_prepare)`,
		Args:    []any{e.Stream, commit, prepare},
		Failing: fmt.Sprintf("record the position of %s@%d", e.Stream, e.Revision),
	}
}
