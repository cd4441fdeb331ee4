package operator

import (
	"fmt"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// subscriptionDescribers describe a subscription's life: what was sold, billed, renewed, dunned and ended,
// in the words a support agent answers a customer with.
var subscriptionDescribers = map[string]describer{
	"subscription.created": describeAs(func(e subscription.Created) string {
		return fmt.Sprintf("Subscription %d (%s) to plan %d was created, %s: %d × %s per %d %s, period until %s",
			e.SubscriptionID, e.Type, e.Terms.PlanID, e.Status, e.Quantity, money(e.Terms.Amount, e.Terms.Currency),
			e.Terms.IntervalCount, e.Terms.Interval, e.PeriodEnd.Format("2006-01-02"))
	}),
	"subscription.payment_succeeded": describeAs(func(e subscription.PaymentSucceeded) string {
		return fmt.Sprintf("Subscription %d: invoice %d was paid", e.SubscriptionID, e.InvoiceID)
	}),
	"subscription.payment_failed": describeAs(func(e subscription.PaymentFailed) string {
		next := "no retry left"
		if !e.NextRetryAt.IsZero() {
			next = "next try " + e.NextRetryAt.Format("2006-01-02")
		}
		return fmt.Sprintf("Subscription %d is past due: charging invoice %d failed (%s, failure %d, %s)",
			e.SubscriptionID, e.InvoiceID, e.Reason, e.Failures, next)
	}),
	"subscription.invoice_overdue": describeAs(func(e subscription.InvoiceOverdue) string {
		return fmt.Sprintf("Subscription %d is past due: invoice %d, due %s, is unpaid; it ends on %s unless paid",
			e.SubscriptionID, e.InvoiceID, e.DueAt.Format("2006-01-02"), e.GiveUpAt.Format("2006-01-02"))
	}),
	"subscription.period_started": describeAs(func(e subscription.PeriodStarted) string {
		return fmt.Sprintf("Subscription %d renewed: period %d on plan %d until %s, billed %s by invoice %d",
			e.SubscriptionID, e.Cycle, e.Phase.Terms.PlanID, e.PeriodEnd.Format("2006-01-02"),
			money(e.Amount, e.Phase.Terms.Currency), e.InvoiceID)
	}),
	"subscription.cancellation_scheduled": describeAs(func(e subscription.CancellationScheduled) string {
		return fmt.Sprintf("Subscription %d was set to cancel on %s (%s)", e.SubscriptionID,
			e.CancelAt.Format("2006-01-02"), e.Mode)
	}),
	"subscription.reactivated": describeAs(func(e subscription.Reactivated) string {
		return fmt.Sprintf("Subscription %d was reactivated: its scheduled cancellation is undone", e.SubscriptionID)
	}),
	"subscription.ended": describeAs(func(e subscription.Ended) string {
		return fmt.Sprintf("Subscription %d ended %s by the %s%s", e.SubscriptionID, e.Status, e.By, inParentheses(e.Reason))
	}),
	"subscription.phase_added": describeAs(func(e subscription.PhaseAdded) string {
		return fmt.Sprintf("Subscription %d got a renewal phase on plan %d (quantity %d)", e.SubscriptionID,
			e.Phase.Terms.PlanID, e.Phase.Quantity)
	}),
	"subscription.plan_changed": describeAs(func(e subscription.PlanChanged) string {
		return fmt.Sprintf("Subscription %d moved to plan %d (quantity %d): %s charged, %s of credit used, %s credited",
			e.SubscriptionID, e.Terms.PlanID, e.Quantity, money(e.Charged, e.Terms.Currency),
			money(e.CreditUsed, e.Terms.Currency), money(e.Credited, e.Terms.Currency))
	}),
	"subscription.address_changed": describeAs(func(e subscription.AddressChanged) string {
		return fmt.Sprintf("Subscription %d moved onto address %d, its scheduled phases with it", e.SubscriptionID, e.AddressID)
	}),
	"subscription.gift_notified": describeAs(func(e subscription.GiftNotified) string {
		return fmt.Sprintf("The recipient of gift subscription %d was sent the gift", e.SubscriptionID)
	}),
	"subscription.gift_redeemed": describeAs(func(e subscription.GiftRedeemed) string {
		return fmt.Sprintf("Gift subscription %d was redeemed by customer %d into subscription %d",
			e.SubscriptionID, e.RecipientCustomerID, e.RecipientSubscriptionID)
	}),
	"subscription.gift_term_given": describeAs(func(e subscription.GiftTermGiven) string {
		return fmt.Sprintf("Gift subscription %d gave terms to subscription %d, the last ending %s: the gift runs until then",
			e.SubscriptionID, e.RecipientSubscriptionID, e.TermsEnd.UTC().Format("2006-01-02 15:04 MST"))
	}),
	"subscription.purchase_awaiting_payment": describeAs(func(e subscription.PurchaseAwaitingPayment) string {
		return fmt.Sprintf("Subscription %d: a %s waits for the card's 3-D Secure to pay invoice %d; nothing is applied until then",
			e.SubscriptionID, e.Purchase.Kind, e.Purchase.InvoiceID)
	}),
	"subscription.purchase_settled": describeAs(func(e subscription.PurchaseSettled) string {
		if !e.Applied {
			return fmt.Sprintf("Subscription %d: invoice %d was paid but what it paid for could not be applied (%s); "+
				"the payment was refunded in full at once (see the refund of invoice %[2]d)",
				e.SubscriptionID, e.InvoiceID, e.Refusal)
		}
		return fmt.Sprintf("Subscription %d: invoice %d was paid after 3-D Secure, and what it paid for was applied",
			e.SubscriptionID, e.InvoiceID)
	}),
	"subscription.purchase_abandoned": describeAs(func(e subscription.PurchaseAbandoned) string {
		return fmt.Sprintf("Subscription %d: the 3-D Secure of invoice %d was given up unpaid (not completed by its deadline, or the subscription was cancelled now); the invoice was voided and nothing applied",
			e.SubscriptionID, e.InvoiceID)
	}),
	"subscription.erased": describeAs(func(e subscription.Erased) string {
		return fmt.Sprintf("The personal data of subscription %d (a gift's recipient, its members' addresses) was erased",
			e.SubscriptionID)
	}),
	// The seats of a membership: the invitation address is personal data, never shown in a description.
	"subscription.member_invited": describeAs(func(e subscription.MemberInvited) string {
		return fmt.Sprintf("Membership %d invited member %d: the seat waits for the invitee", e.SubscriptionID, e.MemberID)
	}),
	"subscription.member_activated": describeAs(func(e subscription.MemberActivated) string {
		return fmt.Sprintf("Member %d of membership %d was claimed by customer %d", e.MemberID, e.SubscriptionID,
			e.CustomerID)
	}),
	"subscription.member_removed": describeAs(func(e subscription.MemberRemoved) string {
		return fmt.Sprintf("Member %d of membership %d was removed: the seat is free", e.MemberID, e.SubscriptionID)
	}),
	"subscription.member_invitation_erased": describeAs(func(e subscription.MemberInvitationErased) string {
		return fmt.Sprintf("The address member %d of membership %d was invited at was erased with its invitee",
			e.MemberID, e.SubscriptionID)
	}),
}

// inParentheses is " (text)", or nothing for no text: a sentence never ends in "()".
func inParentheses(text string) string {
	if text == "" {
		return ""
	}
	return " (" + text + ")"
}
