package subscription

import (
	"strings"
	"time"
)

// GiftCodeAlphabet is the letters of gift codes: no 0/O or 1/I, which people misread when they type a code
// from a card or a mail.
const GiftCodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// IsGiftCode reports whether code has the shape GIFT-XXXX-XXXX in GiftCodeAlphabet.
func IsGiftCode(code string) bool {
	rest, ok := strings.CutPrefix(code, "GIFT-")
	if !ok || len(rest) != 9 || rest[4] != '-' {
		return false
	}
	for i, r := range rest {
		if i != 4 && !strings.ContainsRune(GiftCodeAlphabet, r) {
			return false
		}
	}
	return true
}

// Redeemable refuses a redemption of the donor's gift (rule 17): not a gift, not paid, or canceled (or
// being canceled now) before it was redeemed. Whether it was redeemed already is RedeemGift's to say, since
// the same recipient may finish a redemption cut half-way, also once the billing clock ended the redeemed
// gift (GiftEnd).
func (s State) Redeemable() error {
	switch {
	case !s.Exists() || s.Type != TypeGiftDonor:
		return ErrNotGift
	case !s.GiftPaid:
		return ErrGiftUnpaid
	case s.Ended() && !s.GiftRedeemed, s.CancellingNow():
		return ErrEnded
	}
	return nil
}

// RedeemableBy refuses recipient's redemption of the donor's gift: Redeemable's refusals, the donor
// themself (a gift is for somebody else, and the recipient named would find it spent), and a gift somebody
// else redeemed already. The customer who redeemed it passes, so a redemption cut half-way can be finished.
func (s State) RedeemableBy(recipient int64) error {
	if err := s.Redeemable(); err != nil {
		return err
	}
	switch {
	case recipient == s.CustomerID:
		return ErrOwnGift
	case s.GiftRedeemed && s.RedeemedBy != recipient:
		return ErrGiftRedeemed
	}
	return nil
}

// RedeemGift records on the donor's subscription that recipient redeemed it into the subscription
// recipientSubscription (a new one, or an existing one that gets a phase). One redemption per code: the
// same recipient and subscription again is a no-op, so a redemption cut half-way can be finished.
func RedeemGift(s State, recipient, recipientSubscription int64, now time.Time) ([]Event, error) {
	if err := s.RedeemableBy(recipient); err != nil {
		return nil, err
	}
	if s.GiftRedeemed {
		if s.RedeemedInto == recipientSubscription {
			return nil, nil
		}
		return nil, ErrGiftRedeemed
	}
	return []Event{GiftRedeemed{SubscriptionID: s.ID, RecipientCustomerID: recipient,
		RecipientSubscriptionID: recipientSubscription, RedeemedAt: now}}, nil
}

// GiftTarget refuses an existing subscription a gift cannot be added to as a phase (#34): one that is a
// gift given or received, one that ended (ErrEnded), and one that owes an invoice (ErrInvoiceUnpaid:
// past_due, unpaid, or paid by invoice and not paid yet), so in effect it must be active or trialing with
// nothing owed. Warning: a gift's term added after an unpaid period is lost when dunning ends the
// subscription before the term starts (canceled, or unpaid), so such a subscription takes a gift only once
// its invoice is paid.
func (s State) GiftTarget() error {
	switch {
	case !s.Exists():
		return ErrNotFound
	case s.Type == TypeGiftDonor:
		return ErrGiftDonor
	case s.Type == TypeGiftRecipient:
		return ErrGiftRecipient
	case s.Status != StatusUnpaid && !s.Status.Running():
		return ErrEnded
	case s.Unsettled != 0:
		return ErrInvoiceUnpaid
	}
	return nil
}
