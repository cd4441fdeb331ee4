package transport

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"
)

// TestAPasswordWithControlCharactersIsRefused: a new password holding a control character (U+0000–U+001F,
// U+007F–U+009F: a NUL, a tab, a line break…) is one nobody can type into a login form, so register, password
// update and password reset refuse it with the field's error saying so (400; 404 on reset, as all its field
// errors), rather than saving a password its owner cannot sign in with.
func TestAPasswordWithControlCharactersIsRefused(t *testing.T) {
	t.Parallel()
	_, world := customerStack(t)
	token, _ := world.register(t, "ann@control.example.com", customerPassword)
	for i, password := range []string{"Secret\x00-123!", "Secret\t-123!", "Secret-123!\n", "Secret\u007f-123!", "Secret\u0085-123!"} {
		t.Run(fmt.Sprintf("%q", password), func(t *testing.T) {
			t.Parallel()
			quoted, _ := json.Marshal(password)
			for _, call := range []struct {
				path, token, body, field, message string
				status                            int
			}{
				{fmt.Sprintf("/auth/register?site_id=%d", customerSite), "",
					fmt.Sprintf(`{"email":"bo%d@control.example.com","password":%s}`, i, quoted), "password",
					"The password may not contain control characters, such as a tab or a line break.", http.StatusBadRequest},
				{fmt.Sprintf("/password/reset?site_id=%d", customerSite), "",
					fmt.Sprintf(`{"email":"ann@control.example.com","token":"any","password":%s,"password_confirmation":%s}`, quoted, quoted),
					"password", "The password may not contain control characters, such as a tab or a line break.", http.StatusNotFound},
				{fmt.Sprintf("/password/update?site_id=%d", customerSite), token,
					fmt.Sprintf(`{"old_password":%q,"new_password":%s,"confirm_new_password":%s}`, customerPassword, quoted, quoted),
					"new_password", "The new password may not contain control characters, such as a tab or a line break.",
					http.StatusBadRequest},
			} {
				// when it is chosen as a new password
				rec := world.call(http.MethodPost, call.path, call.token, call.body)
				// then the answer names the field and why
				if rec.Code != call.status {
					t.Fatalf("%s: status %d %s, want %d", call.path, rec.Code, rec.Body, call.status)
				}
				got := decodeBody[struct {
					Errors map[string][]string `json:"errors"`
				}](t, rec)
				if !slices.Contains(got.Errors[call.field], call.message) {
					t.Errorf("%s: %s = %q, want %q", call.path, call.field, got.Errors[call.field], call.message)
				}
			}
		})
	}
}
