package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestAdminAPIOnARunningServer(t *testing.T) {
	t.Parallel()
	w := givenAdminWorld(t)
	ann := fmt.Sprint(w.ann)
	entries := w.timeline(t, 3)

	t.Run("the isolation matrix", func(t *testing.T) {
		for _, path := range []string{"/customers/" + ann, "/customers/" + ann + "/timeline", "/customers/" + ann + "/events",
			"/customers/" + ann + "/as-of?at=2100-01-01T00:00:00Z"} {
			for _, caller := range []struct {
				name   string
				key    string
				status int
			}{
				{"account 1's key", w.keyA, http.StatusOK},
				{"account 2's key", w.keyB, http.StatusNotFound},
				{"a revoked key of account 1", w.revoked, http.StatusUnauthorized},
				{"an unknown key", "pak_0123456789abcdef_" + strings.Repeat("0", 64), http.StatusUnauthorized},
				{"no key", "", http.StatusUnauthorized},
			} {
				if status := w.adminGet(t, path, caller.key, nil); status != caller.status {
					t.Errorf("%s: GET %s = %d, want %d", caller.name, path, status, caller.status)
				}
			}
		}
		var found struct {
			Customers []map[string]any `json:"customers"`
		}
		if w.adminGet(t, "/customers?q=ann@example.com", w.keyB, &found); len(found.Customers) != 0 {
			t.Errorf("account 2 found %v", found.Customers)
		}
		if w.adminGet(t, "/customers?q=ANN", w.keyA, &found); len(found.Customers) != 1 || fmt.Sprint(found.Customers[0]["id"]) != ann {
			t.Errorf("account 1 found %v", found.Customers)
		}
	})

	t.Run("the timeline tells who did what, newest first", func(t *testing.T) {
		oldest := entries[len(entries)-1]
		if oldest["type"] != "customer.registered" || oldest["stream"] != "customer-"+ann || oldest["actor"] == "" ||
			!strings.Contains(fmt.Sprint(oldest["summary"]), "Customer "+ann+" registered") || oldest["correlation_id"] == "" {
			t.Fatalf("oldest entry %v", oldest)
		}
		if strings.Contains(fmt.Sprint(entries), "Annabel") {
			t.Fatalf("the timeline shows personal data: %v", entries)
		}
	})

	t.Run("as of the registration she was Annabel, now she is Annie", func(t *testing.T) {
		var then struct {
			Customer map[string]any `json:"customer"`
		}
		position := fmt.Sprint(entries[len(entries)-1]["position"])
		if status := w.adminGet(t, "/customers/"+ann+"/as-of?position="+position, w.keyA, &then); status != http.StatusOK ||
			then.Customer["first_name"] != "Annabel" {
			t.Fatalf("as of %s: %d %v", position, status, then.Customer)
		}
		var now map[string]any
		if w.adminGet(t, "/customers/"+ann, w.keyA, &now); now["first_name"] != "Annie" {
			t.Fatalf("now: %v", now)
		}
		if status := w.adminGet(t, "/customers/"+ann+"/as-of?at=2000-01-01T00:00:00Z", w.keyA, nil); status != http.StatusNotFound {
			t.Fatalf("as of before she registered: %d", status)
		}
	})

	t.Run("raw events hide personal fields unless revealed", func(t *testing.T) {
		var hidden, revealed struct {
			Events []map[string]any `json:"events"`
			Next   string           `json:"next_cursor"`
		}
		w.adminGet(t, "/customers/"+ann+"/events?limit=1", w.keyA, &hidden)
		w.adminGet(t, "/customers/"+ann+"/events?limit=1&reveal=true", w.keyA, &revealed)
		if len(hidden.Events) != 1 || strings.Contains(fmt.Sprint(hidden.Events), "ann@example.com") || hidden.Next == "" {
			t.Fatalf("hidden: %v", hidden)
		}
		if !strings.Contains(fmt.Sprint(revealed.Events), "ann@example.com") || strings.Contains(fmt.Sprint(revealed.Events), "argon2id") {
			t.Fatalf("revealed: %v", revealed.Events)
		}
		var rest struct {
			Events []map[string]any `json:"events"`
		}
		if w.adminGet(t, "/customers/"+ann+"/events?cursor="+hidden.Next, w.keyA, &rest); len(rest.Events) < 2 ||
			rest.Events[0]["position"] == hidden.Events[0]["position"] {
			t.Fatalf("next page %v", rest.Events)
		}
		if status := w.adminGet(t, "/customers/"+ann+"/events?cursor=nonsense", w.keyA, nil); status != http.StatusBadRequest {
			t.Fatalf("a forged cursor: %d", status)
		}
	})

	t.Run("projections with their state and lag", func(t *testing.T) {
		var list struct {
			Projections []map[string]any `json:"projections"`
		}
		w.adminGet(t, "/projections", w.keyB, &list)
		if !strings.Contains(fmt.Sprint(list.Projections), "name:customers.v1") || !strings.Contains(fmt.Sprint(list.Projections), "lag_events:") {
			t.Fatalf("projections %v", list.Projections)
		}
	})
}
