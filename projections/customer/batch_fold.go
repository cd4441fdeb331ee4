package customer

import (
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// Fold applies one event to the in-memory rows by the apply funcs' rules: a registration inserts a row
// unless there is one; every other event changes a row older than itself (advance), and an erasure deletes
// the customer's rows whatever their revision (Forget).
func (b *batch) Fold(e projections.Event[any]) error {
	revision := int64(e.Revision)
	switch d := e.Data.(type) {
	case customer.Registered:
		return b.register(d, revision)
	case customer.ProfileChanged:
		metadata, err := metadataJSON(d.Profile.Metadata)
		if err != nil {
			return err
		}
		b.advance(d.CustomerID, revision, d.ChangedAt, func(r *storedCustomer) {
			p := d.Profile
			r.EmailHardbounce, r.FirstName, r.LastName, r.DisplayName = p.EmailHardbounce, p.FirstName, p.LastName, p.DisplayName
			r.Phone, r.Salutation, r.Title, r.Organization = p.Phone, p.Salutation, p.Title, p.Organization
			r.OldProviderID, r.Language, r.Metadata = p.OldProviderID, p.Language, metadata
		})
	case customer.EmailChanged:
		b.advance(d.CustomerID, revision, d.ChangedAt, func(r *storedCustomer) { r.Email, r.EmailConfirm = d.Email, false })
	case customer.UsernameChanged:
		b.advance(d.CustomerID, revision, d.ChangedAt, func(r *storedCustomer) { r.Username = d.Username })
	case customer.PasswordChanged:
		b.advance(d.CustomerID, revision, d.ChangedAt, func(r *storedCustomer) {
			at := d.ChangedAt
			r.HasPassword, r.PasswordLastUpdatedAt, r.TokensValidAfter = true, &at, &at
		})
	case customer.IdentityUnlinked:
		b.advance(d.CustomerID, revision, d.UnlinkedAt, func(r *storedCustomer) { at := d.UnlinkedAt; r.TokensValidAfter = &at })
	case customer.LoggedIn:
		b.signIn(d, revision, isSignInRecord(e.Envelope))
	case customer.EmailVerified:
		b.advance(d.CustomerID, revision, d.VerifiedAt, func(r *storedCustomer) { r.EmailConfirm = r.EmailConfirm || r.Email == d.Email })
	case customer.PictureSet:
		b.advance(d.CustomerID, revision, d.SetAt, func(r *storedCustomer) { r.ProfilePhoto = d.File })
	case customer.PictureRemoved:
		b.advance(d.CustomerID, revision, d.RemovedAt, func(r *storedCustomer) { r.ProfilePhoto = "" })
	case customer.AddressAdded:
		b.putAddress(d.CustomerID, revision, d.Address, d.AddedAt)
	case customer.AddressUpdated:
		b.putAddress(d.CustomerID, revision, d.Address, d.UpdatedAt)
	case customer.Erased:
		b.forget(d.CustomerID)
	}
	return nil
}

// register inserts the customer's row unless there is one (applyRegistered).
func (b *batch) register(d customer.Registered, revision int64) error {
	if b.customers[d.CustomerID] != nil {
		return nil
	}
	metadata, err := metadataJSON(d.Profile.Metadata)
	if err != nil {
		return err
	}
	p, at := d.Profile, d.RegisteredAt
	r := &storedCustomer{ID: d.CustomerID, AccountID: d.AccountID, SiteID: d.SiteID, Email: d.Email,
		EmailHardbounce: p.EmailHardbounce, Username: d.Username, HasPassword: d.PasswordHash != "",
		FirstName: p.FirstName, LastName: p.LastName, DisplayName: p.DisplayName, Phone: p.Phone,
		Salutation: p.Salutation, Title: p.Title, Organization: p.Organization, OldProviderID: p.OldProviderID,
		Language: p.Language, Metadata: metadata, CreatedAt: at, UpdatedAt: at, Revision: revision}
	if d.PasswordHash != "" {
		r.PasswordLastUpdatedAt = &at
	}
	b.setCustomer(r)
	return nil
}

// advance changes the customer's row with set, stamped at and revision, when the row is older than revision;
// it reports whether it did (advance of customer.go).
func (b *batch) advance(id, revision int64, at time.Time, set func(*storedCustomer)) bool {
	r := b.customers[id]
	if r == nil || r.Revision >= revision {
		return false
	}
	set(r)
	r.UpdatedAt, r.Revision = at, revision
	b.setCustomer(r)
	return true
}

// signIn records the last sign-in (applyLoggedIn): a record of the sign-in stream guarded by the row's
// sign_in_revision, one of the customer's own stream by its revision.
func (b *batch) signIn(d customer.LoggedIn, revision int64, record bool) {
	set := func(r *storedCustomer) {
		at := d.LoggedInAt
		r.LastLoginMethod, r.LastLoginAt = d.Method, &at
	}
	if !record {
		b.advance(d.CustomerID, revision, d.LoggedInAt, set)
		return
	}
	r := b.customers[d.CustomerID]
	if r == nil || (r.SignInRevision != nil && *r.SignInRevision >= revision) {
		return
	}
	set(r)
	r.UpdatedAt, r.SignInRevision = d.LoggedInAt, &revision
	b.setCustomer(r)
}

// putAddress writes a as the customer's address, a default taking over from its type's previous default; an
// erased address (id 0) writes none (putAddress of addresses.go).
func (b *batch) putAddress(customerID, revision int64, a customer.Address, at time.Time) {
	if !b.advance(customerID, revision, at, func(*storedCustomer) {}) || a.ID == 0 {
		return
	}
	r := b.addresses[a.ID]
	if r == nil {
		r = &storedAddress{ID: a.ID, CustomerID: customerID, CreatedAt: at}
	}
	r.Type, r.FirstName, r.LastName, r.Title, r.Salutation = string(a.Type), a.FirstName, a.LastName, a.Title, a.Salutation
	r.Company, r.Department, r.Line1, r.Line2, r.City = a.Company, a.Department, a.Line1, a.Line2, a.City
	r.State, r.PostalCode, r.Country, r.Phone, r.IsDefault = a.State, a.PostalCode, a.Country, a.Phone, a.IsDefault
	r.UpdatedAt, r.Revision = at, revision
	b.setAddress(r)
	if !a.IsDefault {
		return
	}
	for _, other := range b.addresses {
		if other.CustomerID == customerID && other.Type == string(a.Type) && other.ID != a.ID && other.IsDefault {
			other.IsDefault, other.UpdatedAt, other.Revision = false, at, revision
			b.setAddress(other)
		}
	}
}

// forget deletes the customer's row and addresses (Forget).
func (b *batch) forget(id int64) {
	b.customers[id] = nil
	for addressID, a := range b.addresses {
		if a.CustomerID == id {
			delete(b.addresses, addressID)
		}
	}
	b.forgotten = append(b.forgotten, id)
}

func (b *batch) setCustomer(r *storedCustomer) {
	b.customers[r.ID] = r
	b.changedCustomers = append(b.changedCustomers, r.ID)
}

func (b *batch) setAddress(r *storedAddress) {
	b.addresses[r.ID] = r
	b.changedAddresses = append(b.changedAddresses, r.ID)
}
