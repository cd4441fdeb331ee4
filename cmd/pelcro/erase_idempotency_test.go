package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// keyedPost sends a JSON POST with an Idempotency-Key and returns the status, whether the answer was
// replayed, and the body.
func keyedPost(t *testing.T, url, key, body string) (status int, replayed bool, answer string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Idempotent-Replayed") == "true", string(raw)
}

func TestAnErasureForgetsTheAnswersKeptForIdempotencyKeys(t *testing.T) {
	t.Parallel()
	// given Ann, who registered, signed in and subscribed to the newsletter, each with an Idempotency-Key
	cfg := configWithDemoCatalog(t)
	base := startServer(t, cfg) + "/api/v1/sdk"
	getUntilOK(t, base+"/site?site_id=1232")
	const credentials = `{"email":"ann.erasable@example.com","password":"Secret-123"}`
	const subscription = `{"email":"ann.erasable@example.com","first_name":"Annabel"}`
	if status, _, body := keyedPost(t, base+"/auth/register?site_id=1232", "register-ann",
		`{"email":"ann.erasable@example.com","password":"Secret-123","first_name":"Annabel","phone":"15550102030"}`); status != http.StatusOK {
		t.Fatalf("register: %d %s", status, body)
	}
	status, _, body := keyedPost(t, base+"/auth/login?site_id=1232", "login-ann", credentials)
	var login struct {
		Data struct {
			ID int64 `json:"id"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &login); status != http.StatusOK || err != nil {
		t.Fatalf("login: %d %s", status, body)
	}
	if status, _, body := keyedPost(t, base+"/newsletter?site_id=1232", "subscribe-ann", subscription); status != http.StatusOK {
		t.Fatalf("subscribe: %d %s", status, body)
	}
	// when she is erased, as a customer and from the newsletter
	if err := eraseCustomer(t.Context(), cfg, login.Data.ID); err != nil {
		t.Fatal(err)
	}
	if err := eraseNewsletterEntry(t.Context(), cfg, 1232, "ann.erasable@example.com"); err != nil {
		t.Fatal(err)
	}
	// then the same requests under the same keys replay nothing of her: the sign-in finds nobody, and the
	// subscription is a new entry
	if status, replayed, body := keyedPost(t, base+"/auth/login?site_id=1232", "login-ann", credentials); status != http.StatusNotFound ||
		replayed || strings.Contains(body, "Annabel") || strings.Contains(body, "15550102030") {
		t.Errorf("sign-in retried after the erasure: %d (replayed %v) %s", status, replayed, body)
	}
	if status, replayed, body := keyedPost(t, base+"/newsletter?site_id=1232", "subscribe-ann", subscription); status != http.StatusOK || replayed {
		t.Errorf("subscription retried after the erasure: %d (replayed %v) %s", status, replayed, body)
	}
}
