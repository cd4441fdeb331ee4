package customer_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
)

// storedPhone is every shape NormalisePhone may store: nothing, digits, or "+" and digits.
var storedPhone = regexp.MustCompile(`^(\+?[0-9]+)?$`)

func FuzzNormalisePhone(f *testing.F) {
	for _, seed := range []string{"+1 (514) 555-1234", "+44 (0)20 7946 0958", "+1 555 010 2030 ext. 4", "+999 1",
		"0049 30 1234567", "+84000000000", "+", "++1", "+1\x00514", "+٣٣ ١ ٢٣", "tel:+1-514-555-1234", "+1 514 555 1234 5678 9999 0000"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, phone string) {
		// given any input, when it is normalised (libphonenumber reads the international ones)
		stored := customer.NormalisePhone(phone)
		// then the result is a stored shape, or the input trimmed which the phone rule refuses, and
		// normalising it again changes nothing
		refused := len(customer.AddressProblems(customer.Address{Line1: "x", Country: "FR", Phone: stored}, false)) > 0
		if !storedPhone.MatchString(stored) && (stored != strings.TrimSpace(phone) || !refused) {
			t.Fatalf("NormalisePhone(%q) = %q, neither digits with an optional + nor refused as written", phone, stored)
		}
		if again := customer.NormalisePhone(stored); again != stored {
			t.Fatalf("NormalisePhone(%q) = %q, then %q", phone, stored, again)
		}
	})
}
