package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestOverHTTPACustomerOfAnotherSiteClaimsTheSeatBySigningInOnTheSubscriptionsSite: the audit's case through
// `pelcro serve`: cy, registered on site 1233, invited to a membership of site 1232 of the same account,
// signs in on 1232 and is listed as the seat's member.
func TestOverHTTPACustomerOfAnotherSiteClaimsTheSeatBySigningInOnTheSubscriptionsSite(t *testing.T) {
	t.Parallel()
	base := startServer(t, exampleCatalogStore(t, false)) + "/api/v1/sdk"
	getUntilOK(t, base+"/site?site_id=1232")
	call := func(method, path, token, body string) map[string]any {
		t.Helper()
		req, err := http.NewRequest(method, base+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var answer map[string]any
		if resp.StatusCode != http.StatusOK || json.Unmarshal(raw, &answer) != nil {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, raw)
		}
		return answer
	}
	tokenOf := func(answer map[string]any) string {
		t.Helper()
		data, _ := answer["data"].(map[string]any)
		token, _ := data["auth_token"].(string)
		if token == "" {
			t.Fatalf("no auth_token in %v", answer)
		}
		return token
	}
	credentials := func(email string) string { return `{"email":"` + email + `","password":"Secret-123"}` }
	// given an owner of a membership on site 1232, and cy registered on site 1233
	owner := tokenOf(call(http.MethodPost, "/auth/register?site_id=1232", "", credentials("owner@example.com")))
	address := call(http.MethodPost, "/address?site_id=1232", owner, `{"type":"shipping","line1":"1 Campus Road",
		"city":"New York","country":"US","state":"NY","postal_code":"10001"}`)
	firstID := func(answer map[string]any, list string) string { // the id of the Customer's first address or subscription
		t.Helper()
		items, _ := answer["data"].(map[string]any)[list].([]any)
		if len(items) == 0 {
			t.Fatalf("no %s in %v", list, answer)
		}
		return strconv.FormatFloat(items[0].(map[string]any)["id"].(float64), 'f', 0, 64)
	}
	created := call(http.MethodPost, "/subscription?site_id=1232", owner,
		`{"plan_id":4052,"address_id":`+firstID(address, "addresses")+`}`)
	subscription := firstID(created, "subscriptions")
	cy := call(http.MethodPost, "/auth/register?site_id=1233", "", credentials("cy@example.com"))["data"].(map[string]any)["id"]
	// when the owner invites cy and cy signs in on site 1232
	call(http.MethodPost, "/subscriptions/"+subscription+"/members/invite?site_id=1232", owner,
		`{"invitation_emails":["cy@example.com"]}`)
	call(http.MethodPost, "/auth/login?site_id=1232", "", credentials("cy@example.com"))
	// then the seat is cy's
	deadline := time.Now().Add(20 * time.Second)
	for {
		seats := call(http.MethodGet, "/subscriptions/"+subscription+"/members/list?site_id=1232", owner, "")["data"].([]any)
		seat := seats[0].(map[string]any)
		if seat["status"] == "active" && seat["customer_id"] == cy {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the seat is %v, want active and held by cy (%v): %v", seat["status"], cy, seat)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
