package transport

import (
	"net/http"
	"testing"
)

// cancelAndReactivateValidateTheirBody: a subscription_id that is no integer is a 400 under its field, as
// renew and change answer, reported with cancel's other bad fields in one answer; an integer that names no
// subscription stays a 404.
func cancelAndReactivateValidateTheirBody(t *testing.T, w *subscriptionWorld) {
	token, _ := w.register(t, "ann@cancelinput.example.com", "a-long-password")
	id := "The subscription id must be an integer."
	mode := "The mode must be now, current_period_end or last_period_end."
	text := "This field must be a string."
	cases := []struct {
		name, path, body string
		status           int
		fields           map[string]string // field: message, for a 400
		message          string            // the single error's, for a 404
	}{
		{"cancel, a word", "/subscription/cancel", `{"subscription_id":"abc"}`, 400, map[string]string{"subscription_id": id}, ""},
		{"cancel, a number too large for any type", "/subscription/cancel", `{"subscription_id":1e400}`, 400,
			map[string]string{"subscription_id": id}, ""},
		{"cancel, a control character", "/subscription/cancel", `{"subscription_id":"\u0000"}`, 400,
			map[string]string{"subscription_id": id}, ""},
		{"cancel, every bad field at once", "/subscription/cancel", `{"subscription_id":"abc","mode":"soon","reason":[1]}`, 400,
			map[string]string{"subscription_id": id, "mode": mode, "reason": text}, ""},
		{"cancel, a bad mode on a good id", "/subscription/cancel", `{"subscription_id":9,"mode":"soon"}`, 400,
			map[string]string{"mode": mode}, ""},
		{"cancel, an object as the reason", "/subscription/cancel", `{"subscription_id":9,"reason":{"why":"price"}}`, 400,
			map[string]string{"reason": text}, ""},
		{"cancel, a number as the reason, its text", "/subscription/cancel", `{"subscription_id":-1,"reason":123}`, 404, nil,
			"Invalid subscription provided"},
		{"cancel, a boolean as the mode", "/subscription/cancel", `{"subscription_id":9,"mode":true}`, 400,
			map[string]string{"mode": text}, ""},
		{"cancel, an id naming nothing", "/subscription/cancel", `{"subscription_id":-1}`, 404, nil, "Invalid subscription provided"},
		{"reactivate, a word", "/subscription/reactivate", `{"subscription_id":"abc"}`, 400, map[string]string{"subscription_id": id}, ""},
		{"reactivate, a fraction", "/subscription/reactivate", `{"subscription_id":2.5}`, 400, map[string]string{"subscription_id": id}, ""},
		{"reactivate, an id naming nothing", "/subscription/reactivate", `{"subscription_id":99999}`, 404, nil, "Invalid subscription provided"},
	}
	for _, c := range cases {
		// when the body is sent
		rec := w.post(c.path, token, c.body, "")
		// then a malformed one is refused under each bad field, an id naming nothing as unknown
		if rec.Code != c.status {
			t.Errorf("%s: %d %s, want %d", c.name, rec.Code, rec.Body, c.status)
			continue
		}
		if c.status != http.StatusBadRequest {
			assertError(t, rec, c.status, c.message)
			continue
		}
		body := decodeBody[struct {
			Errors map[string][]string `json:"errors"`
		}](t, rec)
		if len(body.Errors) != len(c.fields) {
			t.Errorf("%s: errors %v, want %v", c.name, body.Errors, c.fields)
		}
		for field, message := range c.fields {
			if got := body.Errors[field]; len(got) != 1 || got[0] != message {
				t.Errorf("%s: %s errors %v, want [%s]", c.name, field, got, message)
			}
		}
	}
}
