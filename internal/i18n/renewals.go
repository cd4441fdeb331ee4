package i18n

// Messages of the subscription renewals, plan changes and gifts (spec #30, #31, #33, #34; rules 17, 20, 21;
// docs/subscriptions.md). Field messages are "renewals.<field>.<rule>"; the subscription aggregate's value
// rules map onto them by name (transport), so a rule added there needs its text here.
const (
	RenewalPlanIDInteger         MessageID = "renewals.plan_id.integer"
	RenewalSubscriptionIDInteger MessageID = "renewals.subscription_id.integer"
	RenewalQuantityRange         MessageID = "renewals.quantity.quantity"
	RenewalQuantityInteger       MessageID = "renewals.quantity.integer"
	RenewalCampaignKeyFormat     MessageID = "renewals.campaign_key.campaign_key"
	RenewalAddressIDInteger      MessageID = "renewals.address_id.integer"
	RenewalTextExpected          MessageID = "renewals.text.string"
	RenewalReplaceBoolean        MessageID = "renewals.replace_upcoming_phases.boolean"
)

// Refusals of the renewal, change and gift commands.
const (
	RenewalGiftDonor     MessageID = "renewals.gift_donor"
	RenewalGiftRecipient MessageID = "renewals.gift_recipient"
	RenewalTooManyPhases MessageID = "renewals.too_many_phases"
	RenewalPhasesPaid    MessageID = "renewals.phases_paid"
	RenewalSamePlan      MessageID = "renewals.same_plan"
	// RenewalInGiftTerm: a change of plan while a gift's term runs on the subscription.
	RenewalInGiftTerm      MessageID = "renewals.change.gift_term"
	RenewalPaymentRequired MessageID = "renewals.payment_required"
	// RenewalGiftPaymentRequired: renewing a gift received without paying for it now.
	RenewalGiftPaymentRequired MessageID = "renewals.gift_payment_required"
	RenewalChangedMeanwhile    MessageID = "renewals.changed_meanwhile"
	// RenewalPurchaseRefunded: a renewal, change or gift term sent again after it was refused once paid, and
	// its payment refunded.
	RenewalPurchaseRefunded MessageID = "renewals.purchase_refunded"
	// RenewalPurchaseAbandoned: a renewal, change or gift term sent again after its invoice was voided while
	// it waited for 3-D Secure (its deadline passed, or the subscription was cancelled now): nothing charged.
	RenewalPurchaseAbandoned MessageID = "renewals.purchase_abandoned"
	GiftInvalid              MessageID = "renewals.gift_invalid"
	GiftUnpaid               MessageID = "renewals.gift_unpaid"
	GiftAlreadyRedeemed      MessageID = "renewals.gift_redeemed"
	GiftOwn                  MessageID = "renewals.gift_own"
	// GiftTargetUnpaid: redeeming a gift onto a subscription that owes an invoice (past due, unpaid, or an
	// invoice sent and not paid yet): dunning could end it before the gift's term starts.
	GiftTargetUnpaid MessageID = "renewals.gift_target_unpaid"
	GiftNotGiven     MessageID = "renewals.gift_not_given"
	// GiftTermRefunded: a gift renewal retried after it was refused and its payment refunded.
	GiftTermRefunded MessageID = "renewals.gift_term_refunded"
)
