package transport

import (
	"fmt"
	"net/http"
	"testing"
)

// aGiftGivenIsCanceledOnlyNowBeforeItIsRedeemed: a gift never renews, so its donor cannot set it to end
// (nor reactivate it); before it is redeemed, cancelling it now ends it and gives back what it cost.
func aGiftGivenIsCanceledOnlyNowBeforeItIsRedeemed(t *testing.T, w *subscriptionWorld) {
	token, _ := w.register(t, "ann8@example.com", "a-long-password")
	// given Ann's gift, not redeemed yet
	rec := w.post("/subscription", token, `{"plan_id":4051,"gateway_token":"tok_visa","gift_recipient_email":"cy@example.com"}`, "")
	if rec.Code != http.StatusOK {
		t.Fatalf("gift: %d %s", rec.Code, rec.Body)
	}
	id := decodeBody[subscribed](t, rec).Data.GiftRecipients[0].ID
	body := func(extra string) string { return fmt.Sprintf(`{"subscription_id":%d%s}`, id, extra) }
	// when she sets it to cancel at a period's end, then she is refused: there is nothing to end
	for _, mode := range []string{"", `,"mode":"current_period_end"`, `,"mode":"last_period_end"`} {
		assertError(t, w.post("/subscription/cancel", token, body(mode), ""), 404,
			"A gift subscription cannot be canceled or reactivated")
	}
	// when she cancels it now, then it ends canceled, shown so among her gifts, and she is refunded
	before := w.refundedCharges(t)
	rec = w.post("/subscription/cancel", token, body(`,"mode":"now"`), "")
	got := decodeBody[subscribed](t, rec)
	if rec.Code != http.StatusOK || len(got.Data.GiftRecipients) != 1 || got.Data.GiftRecipients[0].Status != "canceled" {
		t.Fatalf("cancel now: %d %s", rec.Code, rec.Body)
	}
	if w.refundedCharges(t) != before+1 {
		t.Errorf("the gift's charge was not refunded")
	}
}

// refundedCharges is how many charges the sandbox gave money back of.
func (w *invoiceWorld) refundedCharges(t *testing.T) int {
	t.Helper()
	var n int
	if err := w.db.GetContext(t.Context(), &n, `SELECT count(*) FROM payments_sandbox_charges WHERE refunded > 0`); err != nil {
		t.Fatal(err)
	}
	return n
}
