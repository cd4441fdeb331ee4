package transport

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/pelcro-oss/pelcro-api/commands"
	membershipprojection "github.com/pelcro-oss/pelcro-api/projections/membership"
)

// claim claims the pending seat of subscription id invited at email for the customer, as the seat-claims
// reactor does on their sign-in, and waits for the seats read model.
func (w *subscriptionWorld) claim(t *testing.T, id int64, email string, customerID int64) {
	t.Helper()
	claimed, err := w.subscriptions.ClaimSeat(t.Context(), commands.Envelope{CommandID: fmt.Sprintf("claim-%s-%s", t.Name(), email)},
		id, email, customerID)
	if err == nil {
		err = w.runner.WaitFor(t.Context(), claimed.Written().LogPosition(), membershipprojection.Name)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// endedMembershipView is the part of a Customer resource these tests read: the subscriptions and the seats.
type endedMembershipView struct {
	Data struct {
		ExpiredSubscriptions []map[string]any `json:"expired_subscriptions"`
		Memberships          []map[string]any `json:"memberships"`
		ExpiredMemberships   []struct {
			Status       string         `json:"status"`
			Subscription map[string]any `json:"subscription"`
		} `json:"expired_memberships"`
	}
}

func (w *subscriptionWorld) customerView(t *testing.T, token string) endedMembershipView {
	t.Helper()
	rec := w.post("/customer", token, "", "")
	var got endedMembershipView
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("customer: %d %s", rec.Code, rec.Body)
	}
	return got
}

func aSeatEndsWithItsSubscription(t *testing.T, w *subscriptionWorld) {
	owner, _ := w.register(t, "owner4@example.com", "a-long-password")
	id := w.membership(t, owner, 4053)
	// given a member holding a seat and another seat still pending
	if rec := w.seats(http.MethodPost, id, "/invite", owner,
		`{"invitation_emails":["member4@example.com","late4@example.com"]}`); rec.Code != http.StatusOK {
		t.Fatalf("invite: %d %s", rec.Code, rec.Body)
	}
	member, memberID := w.register(t, "member4@example.com", "a-long-password")
	w.claim(t, id, "member4@example.com", memberID)
	// when the subscription ends
	if rec := w.post("/subscription/cancel", owner, fmt.Sprintf(`{"subscription_id":%d,"mode":"now"}`, id), ""); rec.Code != http.StatusOK {
		t.Fatalf("cancel: %d %s", rec.Code, rec.Body)
	}
	// and the pending seat's invitee registers afterwards
	late, lateID := w.register(t, "late4@example.com", "a-long-password")
	w.claim(t, id, "late4@example.com", lateID)

	t.Run("the latecomer is seated nowhere", func(t *testing.T) {
		got := w.customerView(t, late)
		if len(got.Data.Memberships) != 0 || len(got.Data.ExpiredMemberships) != 0 {
			t.Errorf("memberships %v, expired %+v; want none", got.Data.Memberships, got.Data.ExpiredMemberships)
		}
	})
	t.Run("the member sees the ended subscription as its owner does, and the seat expired", func(t *testing.T) {
		got := w.customerView(t, member)
		if len(got.Data.Memberships) != 0 || len(got.Data.ExpiredMemberships) != 1 {
			t.Fatalf("memberships %v, expired %+v; want one expired", got.Data.Memberships, got.Data.ExpiredMemberships)
		}
		seat := got.Data.ExpiredMemberships[0]
		if seat.Status != "expired" {
			t.Errorf("seat status = %q, want expired", seat.Status)
		}
		owned := w.customerView(t, owner).Data.ExpiredSubscriptions
		if len(owned) != 1 {
			t.Fatalf("owner's expired subscriptions = %v", owned)
		}
		for _, field := range []string{"status", "auto_renew", "cancel_at_period_end", "cancel_at", "canceled_at",
			"ended_at", "current_period_end"} {
			if fmt.Sprint(seat.Subscription[field]) != fmt.Sprint(owned[0][field]) {
				t.Errorf("member sees %s = %v, the owner %v", field, seat.Subscription[field], owned[0][field])
			}
		}
		if seat.Subscription["status"] != "canceled" || seat.Subscription["ended_at"] == nil {
			t.Errorf("subscription = %v, want canceled with its end", seat.Subscription)
		}
	})
}
