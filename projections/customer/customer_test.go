package customer

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/projections"
	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
)

var (
	t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	t1 = time.Date(2025, 3, 2, 9, 0, 0, 0, time.UTC)
	t2 = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
)

// step is one event of customer 7's stream at its revision, applied as the runner would.
type step = projectiontest.Step

func at[E any](revision uint64, apply projections.ApplyFunc[E], data E) step {
	return projectiontest.At(revision, apply, data)
}

var registered = at(0, applyRegistered, customer.Registered{CustomerID: 7, AccountID: 1, SiteID: 1232,
	Email: "ann@example.com", PasswordHash: "$argon2id$…", Method: "password", RegisteredAt: t0,
	Profile: customer.Profile{FirstName: "Ann", Language: "en", Metadata: map[string]any{"team": "blue"}}})

func address(id int64, typ customer.AddressType, line1 string, isDefault bool) customer.Address {
	return customer.Address{ID: id, Type: typ, Line1: line1, Country: "CA", IsDefault: isDefault}
}

// row is what the read model holds for customer 7.
type row struct {
	Email           string     `db:"email"`
	EmailConfirm    bool       `db:"email_confirm"`
	Username        string     `db:"username"`
	HasPassword     bool       `db:"has_password"`
	PasswordAt      *time.Time `db:"password_last_updated_at"`
	FirstName       string     `db:"first_name"`
	Phone           string     `db:"phone"`
	Metadata        string     `db:"metadata"`
	ProfilePhoto    string     `db:"profile_photo"`
	LastLoginMethod string     `db:"last_login_method"`
	LastLoginAt     *time.Time `db:"last_login_at"`
	UpdatedAt       time.Time  `db:"updated_at"`
	Revision        int64      `db:"revision"`
	// SignInRevision is -1 while no record of the sign-in stream was applied
	SignInRevision int64 `db:"sign_in_revision"`
}

// addressRow is what the read model holds for one address.
type addressRow struct {
	ID        int64  `db:"id"`
	Type      string `db:"type"`
	Line1     string `db:"line1"`
	IsDefault bool   `db:"is_default"`
	Revision  int64  `db:"revision"`
}

func TestCustomerRows(t *testing.T) {
	t.Parallel()
	ann := row{Email: "ann@example.com", HasPassword: true, PasswordAt: &t0, FirstName: "Ann",
		Metadata: `{"team": "blue"}`, UpdatedAt: t0, SignInRevision: -1}
	with := func(change func(*row)) row {
		r := ann
		change(&r)
		return r
	}
	cases := []struct {
		name      string
		given     []step
		when      step
		then      row
		addresses []addressRow
	}{
		{"registered inserts the customer", nil, registered, ann, nil},
		{"profile changed replaces the profile",
			[]step{registered}, at(1, projections.ApplyStatement(applyProfileChanged), customer.ProfileChanged{CustomerID: 7, ChangedAt: t1,
				Profile: customer.Profile{FirstName: "Anne", Phone: "555"}}),
			with(func(r *row) { r.FirstName, r.Phone, r.Metadata, r.UpdatedAt, r.Revision = "Anne", "555", `{}`, t1, 1 }), nil},
		{"email verified confirms the current email",
			[]step{registered}, at(1, projections.ApplyStatement(applyEmailVerified), customer.EmailVerified{CustomerID: 7, Email: "ann@example.com", VerifiedAt: t1}),
			with(func(r *row) { r.EmailConfirm, r.UpdatedAt, r.Revision = true, t1, 1 }), nil},
		{"email changed is unconfirmed",
			[]step{registered, at(1, projections.ApplyStatement(applyEmailVerified), customer.EmailVerified{CustomerID: 7, Email: "ann@example.com", VerifiedAt: t1})},
			at(2, projections.ApplyStatement(applyEmailChanged), customer.EmailChanged{CustomerID: 7, Email: "new@example.com", ChangedAt: t2}),
			with(func(r *row) { r.Email, r.UpdatedAt, r.Revision = "new@example.com", t2, 2 }), nil},
		{"email verified for a former email confirms nothing",
			[]step{registered, at(1, projections.ApplyStatement(applyEmailChanged), customer.EmailChanged{CustomerID: 7, Email: "new@example.com", ChangedAt: t1})},
			at(2, projections.ApplyStatement(applyEmailVerified), customer.EmailVerified{CustomerID: 7, Email: "ann@example.com", VerifiedAt: t2}),
			with(func(r *row) { r.Email, r.UpdatedAt, r.Revision = "new@example.com", t2, 2 }), nil},
		{"username changed", []step{registered},
			at(1, projections.ApplyStatement(applyUsernameChanged), customer.UsernameChanged{CustomerID: 7, Username: "Ann_L", ChangedAt: t1}),
			with(func(r *row) { r.Username, r.UpdatedAt, r.Revision = "Ann_L", t1, 1 }), nil},
		{"password changed", []step{registered},
			at(1, projections.ApplyStatement(applyPasswordChanged), customer.PasswordChanged{CustomerID: 7, PasswordHash: "$argon2id$2", ChangedAt: t1}),
			with(func(r *row) { r.PasswordAt, r.UpdatedAt, r.Revision = &t1, t1, 1 }), nil},
		{"a sign-in record applies whatever the customer stream's revision", []step{registered, profileAt5},
			signedIn(0, "password", t2),
			with(func(r *row) {
				profiled(r)
				r.LastLoginMethod, r.LastLoginAt, r.UpdatedAt, r.SignInRevision = "password", &t2, t2, 0
			}), nil},
		{"an earlier sign-in record delivered again changes nothing",
			[]step{registered, signedIn(0, "password", t1), signedIn(1, "passwordless", t2)}, signedIn(0, "password", t1),
			with(func(r *row) {
				r.LastLoginMethod, r.LastLoginAt, r.UpdatedAt, r.SignInRevision = "passwordless", &t2, t2, 1
			}), nil},
		{"an event of the customer's stream delivered again leaves the last sign-in",
			[]step{registered, profileAt5, signedIn(0, "idp:google", t2)}, profileAt5,
			with(func(r *row) {
				profiled(r)
				r.LastLoginMethod, r.LastLoginAt, r.UpdatedAt, r.SignInRevision = "idp:google", &t2, t2, 0
			}), nil},
		{"a sign-in an older version wrote into the customer's stream applies by that stream's revision",
			[]step{registered}, loggedInOfOld(1, "passwordless", t1),
			with(func(r *row) { r.LastLoginMethod, r.LastLoginAt, r.UpdatedAt, r.Revision = "passwordless", &t1, t1, 1 }), nil},
		{"the first sign-in record after an older version's sign-ins takes over",
			[]step{registered, loggedInOfOld(1, "password", t1)}, signedIn(0, "passwordless", t2),
			with(func(r *row) {
				r.LastLoginMethod, r.LastLoginAt, r.UpdatedAt, r.Revision, r.SignInRevision = "passwordless", &t2, t2, 1, 0
			}), nil},
		{"picture set", []step{registered},
			at(1, projections.ApplyStatement(applyPictureSet), customer.PictureSet{CustomerID: 7, File: "7-abc.png", SetAt: t1}),
			with(func(r *row) { r.ProfilePhoto, r.UpdatedAt, r.Revision = "7-abc.png", t1, 1 }), nil},
		{"picture removed",
			[]step{registered, at(1, projections.ApplyStatement(applyPictureSet), customer.PictureSet{CustomerID: 7, File: "7-abc.png", SetAt: t1})},
			at(2, projections.ApplyStatement(applyPictureRemoved), customer.PictureRemoved{CustomerID: 7, RemovedAt: t2}),
			with(func(r *row) { r.UpdatedAt, r.Revision = t2, 2 }), nil},
		{"a default address takes over from the default of its type only",
			[]step{registered,
				at(1, applyAddressAdded, customer.AddressAdded{CustomerID: 7, AddedAt: t1, Address: address(31, customer.AddressShipping, "1 A St", true)}),
				at(2, applyAddressAdded, customer.AddressAdded{CustomerID: 7, AddedAt: t1, Address: address(32, customer.AddressBilling, "2 B St", true)})},
			at(3, applyAddressAdded, customer.AddressAdded{CustomerID: 7, AddedAt: t2, Address: address(33, customer.AddressShipping, "3 C St", true)}),
			with(func(r *row) { r.UpdatedAt, r.Revision = t2, 3 }),
			[]addressRow{{31, "shipping", "1 A St", false, 3}, {32, "billing", "2 B St", true, 2}, {33, "shipping", "3 C St", true, 3}}},
		{"address updated replaces it",
			[]step{registered,
				at(1, applyAddressAdded, customer.AddressAdded{CustomerID: 7, AddedAt: t1, Address: address(31, customer.AddressShipping, "1 A St", true)})},
			at(2, applyAddressUpdated, customer.AddressUpdated{CustomerID: 7, UpdatedAt: t2, Address: address(31, customer.AddressShipping, "9 Z St", false)}),
			with(func(r *row) { r.UpdatedAt, r.Revision = t2, 2 }),
			[]addressRow{{31, "shipping", "9 Z St", false, 2}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given the customer's history, when the event is applied twice (a redelivery)
			db := projectiontest.Redelivered(t, tc.given, tc.when)
			// then the rows reflect it once
			var got row
			if err := db.GetContext(t.Context(), &got, `SELECT email, email_confirm, username, has_password,
				password_last_updated_at, first_name, phone, metadata::text AS metadata, profile_photo,
				last_login_method, last_login_at, updated_at, revision, coalesce(sign_in_revision, -1) AS sign_in_revision
				FROM customers WHERE id = 7`); err != nil {
				t.Fatalf("select customer: %v", err)
			}
			if !sameRow(got, tc.then) {
				t.Fatalf("customer = %+v, want %+v", got, tc.then)
			}
			var addresses []addressRow
			if err := db.SelectContext(t.Context(), &addresses, `SELECT id, type, line1, is_default, revision
				FROM customer_addresses WHERE customer_id = 7 ORDER BY id`); err != nil {
				t.Fatalf("select addresses: %v", err)
			}
			if len(addresses) != len(tc.addresses) {
				t.Fatalf("addresses = %+v, want %+v", addresses, tc.addresses)
			}
			for i := range addresses {
				if addresses[i] != tc.addresses[i] {
					t.Fatalf("address %d = %+v, want %+v", i, addresses[i], tc.addresses[i])
				}
			}
		})
	}
}

// sameRow compares rows with times as instants (PostgreSQL returns them in the session's zone).
func sameRow(a, b row) bool {
	sameTime := func(x, y *time.Time) bool { return x == nil && y == nil || x != nil && y != nil && x.Equal(*y) }
	if !sameTime(a.PasswordAt, b.PasswordAt) || !sameTime(a.LastLoginAt, b.LastLoginAt) || !a.UpdatedAt.Equal(b.UpdatedAt) {
		return false
	}
	a.PasswordAt, a.LastLoginAt, a.UpdatedAt = nil, nil, time.Time{}
	b.PasswordAt, b.LastLoginAt, b.UpdatedAt = nil, nil, time.Time{}
	return a == b
}
