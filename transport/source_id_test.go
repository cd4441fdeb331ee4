package transport

import (
	"fmt"
	"net/http"
	"testing"
)

// TestEverySourceIDIsRefusedAlike: every endpoint that charges a source_id refuses one that names no card
// by its shape (0, negative, not an integer) with the same 400 and the same words as invoice pay, before any
// business rule runs.
func TestEverySourceIDIsRefusedAlike(t *testing.T) {
	t.Parallel()
	// given a signed-in customer and every endpoint taking source_id, each body valid but for it
	_, world := customerStack(t)
	token, _ := world.register(t, "ann@sourceids.example.com", customerPassword)
	endpoints := []struct{ path, body string }{
		{"/invoices/12/pay", `{%s}`},
		{"/subscription", `{"plan_id":4051,%s}`},
		{"/subscription/renew", `{"plan_id":4051,"subscription_id":9,%s}`},
		{"/subscription/change", `{"plan_id":4054,"subscription_id":9,%s}`},
		{"/subscription/gift/renew", `{"plan_id":4051,"subscription_id":9,"quantity":1,%s}`},
		{"/ecommerce/order", `{"items":[{"sku_id":1,"quantity":1}],%s}`},
	}
	values := []struct{ name, value, message string }{
		{"zero", `0`, "The source id must be at least 1."},
		{"negative", `-5`, "The source id must be at least 1."},
		{"negative as text", `"-5"`, "The source id must be at least 1."},
		{"not a number", `"abc"`, "The source id must be an integer."},
		{"a fraction", `1.5`, "The source id must be an integer."},
		{"a boolean", `true`, "The source id must be an integer."},
	}
	for _, endpoint := range endpoints {
		for _, value := range values {
			t.Run(endpoint.path+" "+value.name, func(t *testing.T) {
				t.Parallel()
				// when the endpoint is sent that source_id
				body := fmt.Sprintf(endpoint.body, `"source_id":`+value.value)
				rec := world.call(http.MethodPost, fmt.Sprintf("%s?site_id=%d", endpoint.path, customerSite), token, body)
				// then it answers 400 on source_id, in invoice pay's words
				if rec.Code != http.StatusBadRequest {
					t.Fatalf("status %d %s, want 400", rec.Code, rec.Body)
				}
				got := decodeBody[struct {
					Errors map[string][]string `json:"errors"`
				}](t, rec)
				if messages := got.Errors["source_id"]; len(messages) != 1 || messages[0] != value.message {
					t.Errorf("source_id: %q, want [%q] (body %s)", messages, value.message, rec.Body)
				}
			})
		}
	}
}
