package operator

import (
	"fmt"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
)

// walletDescribers describe the wallet events (saved cards).
var walletDescribers = map[string]describer{
	"wallet.payment_method_saved": describeAs(func(e wallet.PaymentMethodSaved) string {
		s := fmt.Sprintf("Customer %d saved card %d (%s ending %s, expires %02d/%d)", e.CustomerID, e.PaymentMethodID,
			e.Card.Brand, e.Card.Last4, e.Card.ExpMonth, e.Card.ExpYear)
		if e.Pending {
			s += ", waiting for 3-D Secure"
		}
		if e.IsDefault {
			s += " as their default"
		}
		return s
	}),
	"wallet.payment_method_confirmed": describeAs(func(e wallet.PaymentMethodConfirmed) string {
		if e.PaymentIntentID != "" {
			return fmt.Sprintf("Card %d of customer %d passed 3-D Secure on payment %s and can be charged", e.PaymentMethodID,
				e.CustomerID, e.PaymentIntentID)
		}
		return fmt.Sprintf("Card %d of customer %d passed 3-D Secure and can be charged", e.PaymentMethodID, e.CustomerID)
	}),
	"wallet.default_payment_method_changed": describeAs(func(e wallet.DefaultPaymentMethodChanged) string {
		return fmt.Sprintf("Card %d became customer %d's default", e.PaymentMethodID, e.CustomerID)
	}),
	"wallet.card_expiry_changed": describeAs(func(e wallet.CardExpiryChanged) string {
		return fmt.Sprintf("Card %d of customer %d now expires %02d/%d", e.PaymentMethodID, e.CustomerID, e.ExpMonth, e.ExpYear)
	}),
	"wallet.payment_method_deleted": describeAs(func(e wallet.PaymentMethodDeleted) string {
		return fmt.Sprintf("Customer %d deleted card %d", e.CustomerID, e.PaymentMethodID)
	}),
	"wallet.payment_method_use_changed": describeAs(func(e wallet.PaymentMethodUseChanged) string {
		if e.InUse {
			return fmt.Sprintf("Subscription %d holds card %d as its own (charged while the default cannot be)",
				e.SubscriptionID, e.PaymentMethodID)
		}
		return fmt.Sprintf("Subscription %d released card %d", e.SubscriptionID, e.PaymentMethodID)
	}),
}

// invoiceDescribers describe the invoice events, so "why was I charged twice?" reads off the attempts.
var invoiceDescribers = map[string]describer{
	"invoice.created": describeAs(func(e invoice.Created) string {
		return fmt.Sprintf("Invoice %d opened for customer %d: %s due, %s (%s)", e.InvoiceID, e.CustomerID,
			money(e.Amounts.Total, e.Currency), e.Status, e.BillingReason)
	}),
	"invoice.finalized": describeAs(func(e invoice.Finalized) string {
		return fmt.Sprintf("Invoice %d was finalized and can be paid", e.InvoiceID)
	}),
	"invoice.voided": describeAs(func(e invoice.Voided) string {
		return fmt.Sprintf("Invoice %d was voided: nothing is owed", e.InvoiceID)
	}),
	"invoice.marked_uncollectible": describeAs(func(e invoice.MarkedUncollectible) string {
		return fmt.Sprintf("Invoice %d was marked uncollectible", e.InvoiceID)
	}),
	"invoice.payment_attempted": describeAs(func(e invoice.PaymentAttempted) string {
		return fmt.Sprintf("Payment attempt %d of invoice %d: charging %s through %s", e.Attempt, e.InvoiceID,
			money(e.Amount, e.Currency), e.Means.Gateway)
	}),
	"invoice.payment_requires_action": describeAs(func(e invoice.PaymentRequiresAction) string {
		return fmt.Sprintf("Payment attempt %d of invoice %d waits for the customer's 3-D Secure (nothing taken yet)", e.Attempt, e.InvoiceID)
	}),
	"invoice.payment_declined": describeAs(func(e invoice.PaymentDeclined) string {
		return fmt.Sprintf("Payment attempt %d of invoice %d was declined (%s): nothing taken", e.Attempt, e.InvoiceID, e.Reason)
	}),
	"invoice.paid": describeAs(func(e invoice.Paid) string {
		if e.ChargeID == "" {
			return fmt.Sprintf("Invoice %d was settled without a charge (nothing due)", e.InvoiceID)
		}
		return fmt.Sprintf("Invoice %d was paid: %s charged by attempt %d (charge %s, %s ending %s)", e.InvoiceID,
			money(e.Amount, e.Currency), e.Attempt, e.ChargeID, e.Card.Brand, e.Card.Last4)
	}),
	"invoice.refunded": describeAs(func(e invoice.Refunded) string {
		if e.NotOwed {
			return fmt.Sprintf("%s taken by 3-D Secure payment %s after invoice %d no longer owed it was refunded",
				money(e.Amount, e.Currency), e.ChargeID, e.InvoiceID)
		}
		return fmt.Sprintf("%s of the charge that paid invoice %d was refunded (charge %s)",
			money(e.Amount, e.Currency), e.InvoiceID, e.ChargeID)
	}),
}
