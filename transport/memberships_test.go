package transport

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/commands"
	membershipprojection "github.com/pelcro-oss/pelcro-api/projections/membership"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// membership subscribes the customer of token to a free plan of saleCatalog (4053: the membership seating
// two) and returns the subscription's id.
func (w *subscriptionWorld) membership(t *testing.T, token string, planID int64) int64 {
	t.Helper()
	rec := w.post("/subscription", token, fmt.Sprintf(`{"plan_id":%d}`, planID), "")
	got := decodeBody[subscribed](t, rec)
	if rec.Code != http.StatusOK || len(got.Data.Subscriptions) == 0 {
		t.Fatalf("subscribe to %d: %d %s", planID, rec.Code, rec.Body)
	}
	return got.Data.Subscriptions[len(got.Data.Subscriptions)-1].ID // the newest
}

// seats sends a seat request on subscription id (path after /subscriptions/{id}/members).
func (w *subscriptionWorld) seats(method string, id int64, path, token, body string) *httptest.ResponseRecorder {
	return serve(w.router, w.request(method, fmt.Sprintf("/subscriptions/%d/members%s?site_id=%d", id, path,
		customerSite), token, body))
}

func membershipSeatsOverHTTP(t *testing.T, w *subscriptionWorld) {
	token, _ := w.register(t, "owner1@example.com", "a-long-password")
	id := w.membership(t, token, 4053)
	// when the owner invites two addresses
	rec := w.seats(http.MethodPost, id, "/invite", token, `{"invitation_emails":["Bob@Example.com","cy@example.com"]}`)
	if got := decodeBody[customerAnswer](t, rec); rec.Code != http.StatusOK || got.Data.AuthToken == "" {
		t.Fatalf("invite: %d %s", rec.Code, rec.Body)
	}
	// then both are pending seats of the subscription
	list := decodeBody[struct{ Data []queries.Membership }](t, w.seats(http.MethodGet, id, "/list", token, ""))
	if len(list.Data) != 2 || list.Data[0].Status != "pending" || *list.Data[0].Email != "bob@example.com" ||
		string(list.Data[1].Subscription) != fmt.Sprint(id) || list.Data[1].CustomerID != nil {
		t.Fatalf("list = %+v", list.Data)
	}
	// when the owner removes bob's seat
	rec = w.seats(http.MethodDelete, id, fmt.Sprintf("/%d", list.Data[0].ID), token, "")
	if rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != `{"status":200,"message":"Member deleted successfully"}` {
		t.Fatalf("remove: %d %s", rec.Code, rec.Body)
	}
	// then the seat is free: cy alone is listed and another address fits
	list = decodeBody[struct{ Data []queries.Membership }](t, w.seats(http.MethodGet, id, "/list", token, ""))
	if len(list.Data) != 1 || *list.Data[0].Email != "cy@example.com" {
		t.Fatalf("list after the removal = %+v", list.Data)
	}
	if rec := w.seats(http.MethodPost, id, "/invite", token, `{"invitation_emails":["dee@example.com"]}`); rec.Code != http.StatusOK {
		t.Fatalf("invite into the freed seat: %d %s", rec.Code, rec.Body)
	}
}

func membershipSeatRefusals(t *testing.T, w *subscriptionWorld) {
	token, _ := w.register(t, "owner2@example.com", "a-long-password")
	other, _ := w.register(t, "other2@example.com", "a-long-password")
	id, regular := w.membership(t, token, 4053), w.membership(t, token, 4052)
	if rec := w.seats(http.MethodPost, id, "/invite", token, `{"invitation_emails":["ann@example.com"]}`); rec.Code != http.StatusOK {
		t.Fatalf("invite: %d %s", rec.Code, rec.Body)
	}
	const invalid = "Invalid subscription provided"
	refusals := []struct {
		name, method, path, token, body string
		id                              int64
	}{
		{"another customer lists", http.MethodGet, "/list", other, "", id},
		{"another customer invites", http.MethodPost, "/invite", other, `{"invitation_emails":["bo@example.com"]}`, id},
		{"another customer removes", http.MethodDelete, "/1", other, "", id},
		{"a subscription that is not a membership", http.MethodGet, "/list", token, "", regular},
		{"inviting to one that is not a membership", http.MethodPost, "/invite", token, `{"invitation_emails":["bo@example.com"]}`, regular},
		{"an unknown subscription", http.MethodGet, "/list", token, "", 1 << 40},
		{"a seat the subscription does not have", http.MethodDelete, "/9", token, "", id},
		{"a seat id that is no number", http.MethodDelete, "/nine", token, "", id},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			// when the request names no membership seat of the caller's, then 400 with the Open API's message
			assertError(t, w.seats(tc.method, tc.id, tc.path, tc.token, tc.body), http.StatusBadRequest, invalid)
		})
	}
	validation := []struct{ name, body, field string }{
		{"no addresses", `{}`, "invitation_emails"},
		{"an empty list", `{"invitation_emails":[]}`, "invitation_emails"},
		{"not a list", `{"invitation_emails":"bo@example.com"}`, "invitation_emails"},
		{"not an address", `{"invitation_emails":["bo"]}`, "invitation_emails.0"},
		{"invited already", `{"invitation_emails":["ANN@example.com"]}`, "invitation_emails.0"},
		{"the same one twice", `{"invitation_emails":["bo@example.com","bo@example.com"]}`, "invitation_emails.1"},
		{"the owner's own address", `{"invitation_emails":["Owner2@example.com"]}`, "invitation_emails.0"},
		{"past the capacity", `{"invitation_emails":["bo@example.com","cy@example.com"]}`, "invitation_emails"},
	}
	for _, tc := range validation {
		t.Run(tc.name, func(t *testing.T) {
			// when the addresses break a rule, then 400 naming the field
			rec := w.seats(http.MethodPost, id, "/invite", token, tc.body)
			body := decodeBody[validationBody](t, rec)
			if rec.Code != http.StatusBadRequest || len(body.Errors[tc.field]) == 0 {
				t.Fatalf("status %d %s, want 400 on %s", rec.Code, rec.Body, tc.field)
			}
		})
	}
	t.Run("every broken rule at once", func(t *testing.T) {
		// when good addresses past the free seat come with a bad one, then both are named in one answer
		rec := w.seats(http.MethodPost, id, "/invite", token, `{"invitation_emails":["bo@example.com","cy@example.com","bad"]}`)
		body := decodeBody[validationBody](t, rec)
		if rec.Code != http.StatusBadRequest || len(body.Errors["invitation_emails"]) == 0 ||
			len(body.Errors["invitation_emails.2"]) == 0 {
			t.Fatalf("status %d %s, want 400 on invitation_emails and invitation_emails.2", rec.Code, rec.Body)
		}
	})
}

func aMemberSeesNothingOfTheOwnersOwn(t *testing.T, w *subscriptionWorld) {
	owner, _ := w.register(t, "owner3@example.com", "a-long-password")
	address := addOrderAddress(t, w.customerWorld, owner, `{"line1":"1 Campus Rd","country":"US","state":"NY"}`)
	// given a membership whose owner gave an address, a campaign, metadata and networks, then set it to
	// cancel with a reason
	rec := w.post("/subscription", owner, fmt.Sprintf(`{"plan_id":4053,"address_id":%d,"campaign_key":"campus-2026",
		"metadata":{"po":"PO-77"},"ip_addresses":["81.2.69.0/24"]}`, address), "")
	if rec.Code != http.StatusOK {
		t.Fatalf("subscribe: %d %s", rec.Code, rec.Body)
	}
	id := decodeBody[subscribed](t, rec).Data.Subscriptions[0].ID
	if rec := w.post("/subscription/cancel", owner, fmt.Sprintf(`{"subscription_id":%d,"reason":"budget cut"}`, id), ""); rec.Code != http.StatusOK {
		t.Fatalf("cancel: %d %s", rec.Code, rec.Body)
	}
	// and a member holding a seat of it
	if rec := w.seats(http.MethodPost, id, "/invite", owner, `{"invitation_emails":["member3@example.com"]}`); rec.Code != http.StatusOK {
		t.Fatalf("invite: %d %s", rec.Code, rec.Body)
	}
	member, memberID := w.register(t, "member3@example.com", "a-long-password")
	claimed, err := w.subscriptions.ClaimSeat(t.Context(), commands.Envelope{CommandID: "claim-" + t.Name()}, id,
		"member3@example.com", memberID)
	if err == nil {
		err = w.runner.WaitFor(t.Context(), claimed.Written().LogPosition(), membershipprojection.Name)
	}
	if err != nil {
		t.Fatal(err)
	}
	// when the member reads their Customer resource
	rec = w.post("/customer", member, "", "")
	var got struct {
		Data struct {
			Memberships []struct{ Subscription map[string]any }
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || len(got.Data.Memberships) != 1 {
		t.Fatalf("customer: %d %s", rec.Code, rec.Body)
	}
	// then the membership shows the plan and the period, and nothing that is the owner's alone
	shared := got.Data.Memberships[0].Subscription
	if shared["id"] != float64(id) || shared["plan"] == nil || shared["current_period_end"] == nil {
		t.Errorf("subscription = %v", shared)
	}
	for _, ownerOnly := range []string{"metadata", "cancel_reason", "campaign_key", "address_id", "ip_addresses",
		"domains", "coupon", "latest_invoice", "gift_code", "phases"} {
		if value, shown := shared[ownerOnly]; shown {
			t.Errorf("the member sees the owner's %s: %v", ownerOnly, value)
		}
	}
	// nor when the owner set it to cancel: that shows only once it has ended
	if shared["canceled_at"] != nil {
		t.Errorf("the member sees the owner's scheduled cancellation: canceled_at %v", shared["canceled_at"])
	}
}
