package transport

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/commands"
)

func TestAnErasedCustomerIsUnknownToTheAPIAndTheirEmailIsFree(t *testing.T) {
	t.Parallel()
	deps, world := customerStack(t)
	token, id := world.register(t, customerTestEmail, customerPassword)

	// When the customer is erased (as `pelcro customers erase` does) and the read model caught up
	erasure, err := deps.CustomerCommands.(commands.Customers).Erase(t.Context(), commands.Envelope{CommandID: uuid.NewString()}, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := deps.WaitForCustomers(t.Context(), erasure.Written()); err != nil {
		t.Fatal(err)
	}

	// Then the token they hold is refused, and signing in finds nobody
	assertError(t, world.call(http.MethodPost, fmt.Sprintf("/customer?site_id=%d", customerSite), token, ""),
		http.StatusUnauthorized, "Invalid or expired token")
	login := world.call(http.MethodPost, fmt.Sprintf("/auth/login?site_id=%d", customerSite), "",
		fmt.Sprintf(`{"email":%q,"password":%q}`, customerTestEmail, customerPassword))
	assertError(t, login, http.StatusNotFound, "Invalid credentials! Please try again.")
	// And the email registers again, as a new customer
	if _, again := world.register(t, customerTestEmail, customerPassword); again == id {
		t.Fatalf("the erased customer's id %d was given again", id)
	}
}
