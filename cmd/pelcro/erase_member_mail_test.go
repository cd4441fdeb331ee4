package main

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"

	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/mail"
)

// TestErasingAMemberDeletesTheMailAddressedToThem: an invitation mail belongs to the membership's owner, yet
// it is addressed to the invitee; the invitee's erasure must not leave their address in the outbox.
func TestErasingAMemberDeletesTheMailAddressedToThem(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	w := newEraseWorld(t)
	// given an owner, a member who registered with the invited address (changed since), and the owner's mail
	owner, member := w.registerOnSite(t, "owner.mailer@example.com"), w.registerOnSite(t, "member.invitee@example.com")
	w.changeEmail(t, member, "member.renamed@example.com")
	runProjectionsUntilCaughtUp(t, w.cfg)
	queue := func(site int64, recipient string) uuid.UUID {
		m := mail.Message{ID: uuid.New(), SiteID: site, CustomerID: owner, Kind: "membership_invitation",
			Recipient: recipient, Subject: "You are invited", Body: "Register as " + recipient, CreatedAt: time.Now()}
		if err := mail.Queue(ctx, w.deps.ReadModels, m); err != nil {
			t.Fatal(err)
		}
		return m.ID
	}
	queue(eraseSite, "member.invitee@example.com")
	queue(eraseSite, "Member.Renamed@example.com")
	kept := []uuid.UUID{queue(eraseSite, "someone.else@example.com"), queue(eraseSite+1, "member.invitee@example.com")}

	// when the member is erased
	if err := eraseCustomer(ctx, w.cfg, member); err != nil {
		t.Fatalf("erase the member: %v", err)
	}

	// then no mail of the site addressed to any of their addresses is left; the owner's other mail stays
	var left []uuid.UUID
	if err := w.deps.ReadModels.Select(&left, `SELECT id FROM mail_outbox WHERE customer_id = $1 ORDER BY created_at`, owner); err != nil {
		t.Fatal(err)
	}
	if len(left) != len(kept) || left[0] != kept[0] || left[1] != kept[1] {
		t.Errorf("outbox after the erasure = %v, want %v", left, kept)
	}
}

// TestErasingACustomerLeavesTheMailOfWhoeverHoldsTheirOldAddressNow: an address the erased customer gave up
// may be another customer's now; the mail sent to it (theirs, or an owner's invitation) must still go out.
func TestErasingACustomerLeavesTheMailOfWhoeverHoldsTheirOldAddressNow(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	w := newEraseWorld(t)
	// given a customer who gave up an address that another customer of the site registered with since
	owner, leaver := w.registerOnSite(t, "owner.keeper@example.com"), w.registerOnSite(t, "shared.address@example.com")
	moved := "leaver.moved@example.com"
	w.changeEmail(t, leaver, moved)
	runProjectionsUntilCaughtUp(t, w.cfg)
	holder := w.registerOnSite(t, "shared.address@example.com")
	runProjectionsUntilCaughtUp(t, w.cfg)
	queue := func(from int64, kind, recipient string) uuid.UUID {
		m := mail.Message{ID: uuid.New(), SiteID: eraseSite, CustomerID: from, Kind: kind, Recipient: recipient,
			Subject: "Mail", Body: "To " + recipient, CreatedAt: time.Now()}
		if err := mail.Queue(ctx, w.deps.ReadModels, m); err != nil {
			t.Fatal(err)
		}
		return m.ID
	}
	kept := []uuid.UUID{queue(holder, "password_reset", "shared.address@example.com"),
		queue(owner, "membership_invitation", "Shared.Address@example.com")}
	gone := queue(owner, "membership_invitation", moved)

	// when the customer who gave the address up is erased
	if err := eraseCustomer(ctx, w.cfg, leaver); err != nil {
		t.Fatalf("erase: %v", err)
	}

	// then the mail to the address's holder stays, and the mail to the erased customer's own address goes
	var left []uuid.UUID
	if err := w.deps.ReadModels.Select(&left, `SELECT id FROM mail_outbox WHERE id = ANY($1) ORDER BY created_at`,
		pq.Array([]uuid.UUID{kept[0], kept[1], gone})); err != nil {
		t.Fatal(err)
	}
	if len(left) != 2 || left[0] != kept[0] || left[1] != kept[1] {
		t.Errorf("outbox after the erasure = %v, want %v (and not %v)", left, kept, gone)
	}
}

// registerOnSite registers email on the erase tests' site, with a password, and returns the customer's id.
func (w *eraseWorld) registerOnSite(t *testing.T, email string) int64 {
	t.Helper()
	r, err := w.customers.Register(t.Context(), env(), commands.Registration{AccountID: 1, SiteID: eraseSite, Email: email,
		Password: "Secret-123"})
	if err != nil {
		t.Fatal(err)
	}
	return r.CustomerID
}

// changeEmail gives the customer another email, freeing the one they had.
func (w *eraseWorld) changeEmail(t *testing.T, customerID int64, email string) {
	t.Helper()
	if _, err := w.customers.UpdateProfile(t.Context(), env(), commands.ProfileUpdate{Target: w.target(customerID),
		Email: &email}); err != nil {
		t.Fatal(err)
	}
}
