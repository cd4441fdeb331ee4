package commands

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// Refusals of creating a subscription (#27, rule 16). Transport words each one (docs/subscriptions.md).
var (
	// ErrPaymentMeansRequired: the first period costs something and the request names no way to pay it; or a
	// charge paid now without a means finds no card to charge either (requireMeans).
	ErrPaymentMeansRequired = errors.New("commands: a payment method is required")
	// ErrSendInvoiceNotAllowed: pay_via_send_invoice on a plan that may not be paid by invoice.
	ErrSendInvoiceNotAllowed = errors.New("commands: this plan cannot be paid by invoice")
)

// NewSubscription is POST /subscription (#27) for the customer of Target. Payment is one of SourceID (a
// chargeable card of the customer's), Token at Gateway (a single-use gateway token, saved to the wallet so
// renewals can charge it), SendInvoice, or nothing when the first period costs nothing.
type NewSubscription struct {
	Target
	PlanID      int64
	Quantity    int64
	CouponCode  string
	AddressID   int64
	SourceID    int64
	Gateway     string
	Token       string
	SendInvoice bool
	CampaignKey string
	Metadata    map[string]string
	Domains     []string
	IPAddresses []string
	// Gift (RecipientEmail given) makes the customer the donor; GiftStart is the day the recipient is told
	// (zero: today).
	Gift      subscription.Gift
	GiftStart time.Time
}

// CreatedSubscription is where creating left the subscription: active, or incomplete while its first
// invoice waits for 3-D Secure (PaymentIntent) or to be paid by invoice. SetupIntent is the 3-D Secure
// intent of the card the token was saved as, when the card asks for one.
type CreatedSubscription struct {
	SubscriptionResult
	PaymentIntent *payments.Intent
	SetupIntent   *payments.Intent
}

// Create subscribes the customer to a plan, billing the first period before anything is recorded on the
// subscription: a declined card leaves no subscription (its invoice is voided). Every step is keyed by the
// command id, so the same command again (a retry with the same Idempotency-Key after a crash) finds the
// same subscription id, card, invoice and charge instead of making new ones.
//
// Refusals, in this order: subscription.Problems of the values sent (InputProblems), ErrPlanNotFound,
// ErrPlanNotOnSale, the plan's Problems, ErrCouponNotFound, ErrCouponNotForPlan, ErrAddressRequired,
// ErrAddressNotFound, ErrNotAvailableInArea, the segment rule's (Rules.Segments), ErrPaymentMeansRequired,
// ErrSendInvoiceNotAllowed, subscription.ErrCurrencyMismatch, ErrAddressMoved, ErrSourceNotFound,
// ErrUnknownGateway, *payments.Declined, customer.ErrNotRegistered.
func (c Subscriptions) Create(ctx context.Context, env Envelope, in NewSubscription) (CreatedSubscription, error) {
	if err := in.InputProblems().Err(); err != nil {
		return CreatedSubscription{}, err // before anything is read
	}
	checks := c.checksRead(ctx, in)
	sale, err := c.priceNew(checks, in)
	if err != nil {
		return CreatedSubscription{}, err
	}
	create := in.decision(sale)
	if err := in.payable(sale); err != nil {
		return CreatedSubscription{}, err
	}
	undoCurrency, err := c.fixCurrency(ctx, checks, env, in.Target, sale.Plan.Terms.Currency)
	if err != nil {
		return CreatedSubscription{}, err
	}
	var newID bool
	create.SubscriptionID, newID, err = recordedNewID(ctx, c.reservations(), env, createdSubscriptionScope, env.CommandID, c.IDs)
	if err != nil {
		return CreatedSubscription{}, err
	}
	if create.Type() == subscription.TypeGiftDonor {
		if create.GiftCode, err = c.drawGiftCode(ctx, env, create.SubscriptionID); err != nil {
			return CreatedSubscription{}, err
		}
	}
	if err := c.attachAddress(ctx, env, in.Target, create.SubscriptionID, sale); err != nil {
		undoCurrency()
		return CreatedSubscription{}, err
	}
	out := CreatedSubscription{}
	if create.Payment, out.SetupIntent, err = c.paymentOf(ctx, env, in); err != nil {
		undoCurrency()
		return CreatedSubscription{}, err
	}
	create.Paid = true
	if in.SendInvoice {
		policy, err := c.Catalog.Account(ctx, in.AccountID)
		if err != nil {
			undoCurrency()
			return CreatedSubscription{}, err
		}
		create.DaysUntilDue = subscription.DaysToPay(policy.DaysUntilDue)
	}
	if sale.Quote.AmountDue > 0 {
		paid, err := c.billFirstPeriod(ctx, env, in, sale, &create)
		if err != nil {
			undoCurrency()
			return CreatedSubscription{}, err
		}
		out.PaymentIntent = paid.Intent
	}
	if err := c.holdCard(ctx, env, in.Target, create); err != nil {
		return CreatedSubscription{}, err
	}
	out.SubscriptionResult, err = c.record(ctx, env, create, newID)
	// nothing billed, no card saved nor held
	out.SubscriptionOnly = create.InvoiceID == 0 && in.Token == "" && create.Payment.SourceID == 0
	if err != nil || create.Paid {
		return out, err
	}
	// The first invoice may have been paid before the subscription was recorded (3-D Secure completed at
	// once): the reactor then found no subscription to tell, so it is told here.
	first, err := c.Invoices.Read(ctx, create.InvoiceID)
	if err != nil || first.Status != invoice.StatusPaid {
		return out, err
	}
	paid, err := c.recordPaid(ctx, env.derived("paid"), first, create.PeriodAmount)
	if err == nil && !paid.Written().IsZero() {
		out.SubscriptionResult = paid
	}
	return out, err
}

// record appends the subscription's creation, on the empty stream unread when the id is new to a command
// drawn for this request (unwritten).
func (c Subscriptions) record(ctx context.Context, env Envelope, create subscription.New, newID bool) (SubscriptionResult, error) {
	at := c.now()
	done, err := handleState(ctx, c.Store, SubscriptionAggregate, strconv.FormatInt(create.SubscriptionID, 10), env,
		unwritten[subscription.State](env, newID),
		func(s subscription.State) ([]subscription.Event, error) { return subscription.Create(s, create, at) })
	return SubscriptionResult{SubscriptionID: create.SubscriptionID, Result: done.Result}, err
}

// decision is the aggregate's command for the priced sale; the caller fills in the ids and the payment.
func (in NewSubscription) decision(sale Sale) subscription.New {
	create := subscription.New{CustomerID: in.CustomerID, AccountID: in.AccountID, SiteID: in.SiteID,
		Terms: sale.Plan.Terms, Quantity: max(in.Quantity, 1), AddressID: sale.AddressID,
		PeriodAmount: sale.Quote.AmountDue, CampaignKey: in.CampaignKey, Metadata: in.Metadata, Domains: in.Domains,
		IPAddresses: in.IPAddresses, Gift: in.Gift, GiftStart: in.GiftStart}
	if sale.Coupon != nil {
		coupon := sale.Coupon.Coupon
		create.Coupon = &coupon
	}
	if in.SendInvoice {
		create.Billing = subscription.BillingSendInvoice
	}
	return create
}

// InputProblems are the broken rules of the values sent that hold whatever the plan
// (subscription.New.InputProblems): Create refuses them first, and a caller that found other fields
// malformed reports them with those, so one answer names every bad field.
func (in NewSubscription) InputProblems() subscription.Problems {
	return append(in.decision(Sale{}).InputProblems(), couponCodeProblems(in.CouponCode)...)
}

// couponCodeProblems refuses a coupon code holding a control character, a separator or invalid UTF-8 as
// malformed (400 under coupon_code) rather than as a code the site does not have: no text may hold them
// (docs/subscriptions.md).
func couponCodeProblems(code string) subscription.Problems {
	if fault := aggregates.TextFault(code, aggregates.SingleLine); fault != "" {
		return subscription.Problems{{Field: "coupon_code", Rule: subscription.RulePrintable, Detail: fault}}
	}
	return nil
}

// payable refuses a request that cannot pay the first period: nothing named for a plan that costs, or
// pay_via_send_invoice on a plan that may not be invoiced.
func (in NewSubscription) payable(sale Sale) error {
	switch {
	case in.SendInvoice && !sale.Plan.SendInvoice:
		return ErrSendInvoiceNotAllowed
	case in.SendInvoice:
		return nil
	case sale.Quote.AmountDue > 0 && in.SourceID == 0 && in.Token == "":
		return ErrPaymentMeansRequired
	}
	return nil
}

// paymentOf is how renewals will be charged: the source given, or the card the token is saved as (with
// its setup intent when it needs 3-D Secure). Nothing when the request names no card.
func (c Subscriptions) paymentOf(ctx context.Context, env Envelope, in NewSubscription) (subscription.Payment, *payments.Intent, error) {
	switch {
	case in.SourceID != 0:
		payment, err := c.chargeableCard(ctx, in.Target, in.SourceID)
		return payment, nil, err
	case in.Token != "" && !in.SendInvoice:
		saved, err := c.Wallets.Save(ctx, env.derived("card"), NewPaymentMethod{Target: in.Target, Token: in.Token,
			Gateway: in.Gateway})
		if errors.Is(err, wallet.ErrNotFound) { // the card the token became was deleted since
			err = ErrSourceNotFound
		}
		if err != nil {
			return subscription.Payment{}, nil, err
		}
		gateway := in.Gateway
		if gateway == "" {
			gateway = DefaultGateway
		}
		return subscription.Payment{SourceID: saved.PaymentMethodID, Gateway: gateway}, saved.SetupIntent, nil
	}
	return subscription.Payment{}, nil, nil
}

// billFirstPeriod opens the first period's invoice under an id recorded for this command and pays it with
// the subscription's card (not for send_invoice). A decline voids the invoice; a 3-D Secure charge leaves
// the subscription incomplete until the reactor sees the invoice paid.
func (c Subscriptions) billFirstPeriod(ctx context.Context, env Envelope, in NewSubscription, sale Sale,
	create *subscription.New) (PaidInvoice, error) {
	id, err := c.recordedID(ctx, env, firstInvoiceScope, env.CommandID, c.Invoices.IDs)
	if err != nil {
		return PaidInvoice{}, err
	}
	now := c.now()
	bill := InvoiceOf(sale.Quote, invoice.Line{Description: planLine(sale.Plan), UnitAmount: sale.Plan.Terms.Amount,
		Quantity: create.Quantity})
	bill.CustomerID, bill.Currency, bill.BillingReason = in.CustomerID, sale.Plan.Terms.Currency, invoice.ReasonSubscriptionCreate
	bill.SubscriptionID = create.SubscriptionID
	bill.Period = invoice.Period{Start: now, End: sale.Plan.Terms.PeriodEnd(now)}
	if in.SendInvoice {
		bill.DueAt = now.AddDate(0, 0, create.DaysUntilDue)
		create.InvoiceDueAt = bill.DueAt
	}
	// issued at the period's start, so a due date counts from the invoice's own date
	if _, err := c.at(now).Invoices.Open(ctx, env.derived("invoice"), id, NewInvoice{AccountID: in.AccountID, Invoice: bill}); err != nil {
		return PaidInvoice{}, err
	}
	create.InvoiceID = id
	if in.SendInvoice {
		create.Paid = false
		return PaidInvoice{}, nil
	}
	paid, err := c.Invoices.Pay(ctx, env.derived("pay"), InvoicePayment{Target: in.Target, InvoiceID: id,
		SourceID: create.Payment.SourceID, awaitingSetup: true})
	if _, declined := errors.AsType[*payments.Declined](err); declined {
		if _, voidErr := c.Invoices.Void(ctx, env.derived("void"), id); voidErr != nil {
			return PaidInvoice{}, errors.Join(err, voidErr)
		}
	}
	if errors.Is(err, invoice.ErrAlreadyPaid) { // paid by this command before (a retry), or since
		return PaidInvoice{}, nil
	}
	if err != nil {
		return PaidInvoice{}, err
	}
	create.Paid = paid.Intent == nil
	return paid, nil
}
