package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/internal/apikeys"
	"github.com/pelcro-oss/pelcro-api/internal/pg"
)

// adminWorld is a running server with the example catalog (account 1, site 1232) and Ann, a customer of
// account 1 who registered as Annabel, signed in and renamed herself Annie; with an API key of account 1,
// one of account 2 and a revoked one of account 1.
type adminWorld struct {
	base                string
	keyA, keyB, revoked string
	ann                 int64
}

func givenAdminWorld(t *testing.T) adminWorld {
	t.Helper()
	cfg := configWithDemoCatalog(t)
	w := adminWorld{base: startServer(t, cfg)}
	api := w.base + "/api/v1/sdk"
	getUntilOK(t, api+"/site?site_id=1232")
	var registered struct {
		Data struct {
			ID        int64  `json:"id"`
			AuthToken string `json:"auth_token"`
		} `json:"data"`
	}
	status, _, body := keyedPost(t, api+"/auth/register?site_id=1232", "register-ann",
		`{"email":"ann@example.com","password":"Secret-123","first_name":"Annabel","last_name":"Lee"}`)
	if err := json.Unmarshal([]byte(body), &registered); status != http.StatusOK || err != nil {
		t.Fatalf("register: %d %s", status, body)
	}
	w.ann = registered.Data.ID
	if status, _, body := keyedPost(t, api+"/auth/login?site_id=1232", "login-ann",
		`{"email":"ann@example.com","password":"Secret-123"}`); status != http.StatusOK {
		t.Fatalf("login: %d %s", status, body)
	}
	time.Sleep(1100 * time.Millisecond) // the rename a second later, so instants tell the two apart
	req, _ := http.NewRequest(http.MethodPut, api+"/customer?site_id=1232", strings.NewReader(`{"first_name":"Annie"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+registered.Data.AuthToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	renamed, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(renamed), `"first_name":"Annie"`) {
		t.Fatalf("rename: %d %s", resp.StatusCode, renamed)
	}

	db, err := pg.Connect(t.Context(), cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	keys := apikeys.NewStore(db, nil)
	for _, k := range []struct {
		into    *string
		account int64
	}{{&w.keyA, 1}, {&w.keyB, 2}, {&w.revoked, 1}} {
		if _, *k.into, err = keys.Create(t.Context(), k.account, "test"); err != nil {
			t.Fatal(err)
		}
	}
	if err := keys.Revoke(t.Context(), w.revoked); err != nil {
		t.Fatal(err)
	}
	return w
}

// adminGet calls the admin API with key ("" for none) and decodes the JSON answer into into (nil: ignore).
func (w adminWorld) adminGet(t *testing.T, path, key string, into any) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, w.base+"/admin/api"+path, nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if into != nil && resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(raw, into); err != nil {
			t.Fatalf("GET %s: %v in %s", path, err, raw)
		}
	}
	return resp.StatusCode
}

// timeline waits until Ann's timeline tells at least n events (the stream index is a projection, so it
// may trail the write the API answered) and returns it, newest first.
func (w adminWorld) timeline(t *testing.T, n int) []map[string]any {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var page struct {
			Entries []map[string]any `json:"entries"`
		}
		status := w.adminGet(t, "/customers/"+strconv.FormatInt(w.ann, 10)+"/timeline", w.keyA, &page)
		if status == http.StatusOK && len(page.Entries) >= n {
			return page.Entries
		}
		if time.Now().After(deadline) {
			t.Fatalf("timeline: %d, %d entries, want %d", status, len(page.Entries), n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
