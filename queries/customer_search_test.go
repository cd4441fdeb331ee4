package queries_test

import (
	"slices"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/queries"
)

func TestSearchCustomersStaysInItsAccount(t *testing.T) {
	t.Parallel()
	registered := func(id, account int64, email string) []customer.Event {
		return []customer.Event{customer.Registered{CustomerID: id, AccountID: account, SiteID: 1232, Email: email,
			Method: "password", RegisteredAt: registeredAt}}
	}
	// given customers of account 1 and, with look-alike emails, of account 2
	db := projectCustomers(t, map[string][]customer.Event{
		"customer-7":  registered(7, 1, "Ann@Example.com"),
		"customer-8":  registered(8, 1, "anna@example.com"),
		"customer-9":  registered(9, 1, "a_b@example.com"),
		"customer-10": registered(10, 1, "axb@example.com"),
		"customer-20": registered(20, 2, "ann@example.com"),
	})
	search := queries.Customers{DB: db}
	cases := []struct {
		name    string
		account int64
		query   string
		limit   int
		want    []int64
	}{
		{"an email, whatever its case", 1, "ann@example.com", 10, []int64{7}},
		{"an email prefix", 1, " ANN", 10, []int64{7, 8}},
		{"an id", 1, "8", 10, []int64{8}},
		{"the other account's id", 1, "20", 10, []int64{}},
		{"the other account's email", 2, "ann", 10, []int64{20}},
		{"an underscore matching itself only", 1, "a_", 10, []int64{9}},
		{"a percent sign matching itself only", 1, "%", 10, []int64{}},
		{"a limit", 1, "a", 1, []int64{9}},
		{"nothing", 1, "  ", 10, []int64{}},
		{"a NUL, which PostgreSQL cannot take", 1, "ann\x00", 10, []int64{}},
		{"invalid UTF-8", 1, "ann\xff", 10, []int64{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// when the account's customers are searched
			matches, err := search.SearchCustomers(t.Context(), tc.account, tc.query, tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			// then only its matching customers come back, by email
			got := []int64{}
			for _, m := range matches {
				got = append(got, m.ID)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("found %v, want %v", got, tc.want)
			}
		})
	}
	if m, _ := search.SearchCustomers(t.Context(), 1, "7", 1); len(m) != 1 || m[0].Email != "Ann@Example.com" ||
		m[0].SiteID != 1232 || m[0].CreatedAt != registeredAt.Unix() {
		t.Fatalf("match = %+v", m)
	}
}
