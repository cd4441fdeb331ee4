package main

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"pgregory.net/rapid"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/auth"
)

// customerRefusals are the answers a customer command may give instead of writing.
var customerRefusals = []error{aggregates.ErrInvalidInput, commands.ErrEmailTaken, commands.ErrUsernameTaken,
	commands.ErrInvalidCredentials, commands.ErrCustomerNotFound, customer.ErrThrottled, customer.ErrAlreadyVerified,
	customer.ErrTokenInvalid, customer.ErrAddressNotFound, customer.ErrIdentityConflict, customer.ErrNotRegistered,
	customer.ErrWrongPassword, customer.ErrSamePassword}

// exampleAddress is what address drawings start from: an address the rules accept.
var exampleAddress = customer.Address{Type: customer.AddressShipping, FirstName: "Ann", Line1: "1 Main St",
	City: "New York", State: "NY", PostalCode: "10001", Country: "US", Phone: "5550100"}

// person is a customer the scenario registered, as far as it knows them.
type person struct {
	id                      int64
	email, username, secret string
	addresses               []int64
}

// runCustomers registers customers on one of the catalog's sites and has them act: profile and address
// changes, passwords, identity providers, mailed links, sign-ins, photos. Ids start at a drawn boundary. It
// returns the ids of the customers it registered (erased ones included), for the scenarios that bill them.
func (w *propertyWorld) runCustomers(c catalog.Catalog) []int64 {
	t := w.t
	site := rapid.SampledFrom(c.Sites).Draw(t, "site")
	first := rapid.SampledFrom([]int64{1, math.MaxInt32 - 1, math.MaxInt64 - 1000}).Draw(t, "first id")
	hasher, err := auth.NewHasher(auth.Params{MemoryKiB: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, 4)
	if err != nil {
		t.Fatal(err)
	}
	tokens := &recordingTokens{OneTimeTokens: auth.OneTimeTokens{Key: w.deps.Keys.OneTime}, last: map[int64]string{}}
	clock := func() time.Time { return w.now }
	store := w.deps.EventStore
	s := customerScenario{w: w, tokens: tokens, account: site.AccountID, site: site.ID, customers: commands.Customers{
		Store:        store,
		CustomerIDs:  commands.NewIDAllocator(store, commands.IDKindCustomer, commands.IDAllocatorConfig{BlockSize: 10, First: first}),
		AddressIDs:   commands.NewIDAllocator(store, commands.IDKindAddress, commands.IDAllocatorConfig{BlockSize: 10, First: first}),
		Reservations: commands.Reservations{Store: store, Names: w.deps.Names, Now: clock},
		Passwords:    hasher, Tokens: tokens, Now: clock,
		Throttle: auth.NewLoginThrottle(w.deps.ReadModels, w.deps.Keys.Throttle)}}
	actions := map[string]func(p *person){
		"update profile": s.updateProfile, "add address": s.addAddress, "update address": s.updateAddress,
		"identity": s.signInWithIdentity, "mail a link": s.mailLink, "follow the link": s.followLink,
		"sign in": s.signIn, "change password": s.changePassword, "photo": s.photo, "erase": s.erase,
		"sign in as older versions recorded it": s.signInRecordedInTheCustomerStream,
	}
	names := make([]string, 0, len(actions))
	for name := range actions {
		names = append(names, name)
	}
	slices.Sort(names)
	for range rapid.IntRange(1, 3).Draw(t, "registrations") {
		s.register()
	}
	for range rapid.IntRange(5, 25).Draw(t, "customer steps") {
		if len(s.people) == 0 || rapid.IntRange(0, 9).Draw(t, "register another?") == 9 {
			s.register()
			continue
		}
		p := rapid.SampledFrom(s.people).Draw(t, "customer")
		actions[rapid.SampledFrom(names).Draw(t, "action")](p)
		w.now = w.now.Add(time.Duration(rapid.IntRange(0, 90).Draw(t, "minutes later")) * time.Minute)
	}
	ids := make([]int64, len(s.people))
	for i, p := range s.people {
		ids[i] = p.id
	}
	return ids
}

// customerScenario is the customer commands of one check and the customers registered so far.
type customerScenario struct {
	w              *propertyWorld
	customers      commands.Customers
	tokens         *recordingTokens
	account, site  int64
	people         []*person
	commandsIssued int
}

// env is a new command's envelope.
func (s *customerScenario) env() commands.Envelope {
	s.commandsIssued++
	return commands.Envelope{CommandID: fmt.Sprintf("customer-command-%d", s.commandsIssued), SiteID: fmt.Sprint(s.site)}
}

func (s *customerScenario) target(p *person) commands.Target {
	return commands.Target{CustomerID: p.id, AccountID: s.account, SiteID: s.site}
}

// someEmail is the email of a person registered already, or a drawn one.
func (s *customerScenario) someEmail() string {
	if len(s.people) > 0 && rapid.Bool().Draw(s.w.t, "a known email") {
		return rapid.SampledFrom(s.people).Draw(s.w.t, "whose").email
	}
	return email().Draw(s.w.t, "email")
}

// acceptedEmail is email when the rules accept it, else a fresh plain one.
func (s *customerScenario) acceptedEmail(email string) string {
	if len(customer.EmailProblems(customer.NormaliseEmail(email))) == 0 {
		return email
	}
	return fmt.Sprintf("person-%d@example.com", s.commandsIssued)
}

// profileOK, addressOK: the rules of the customer aggregate, with which drawBoth keeps what they accept.
func profileOK(p customer.Profile) bool { return len(customer.NormaliseProfile(p).Problems()) == 0 }
func addressOK(a customer.Address) bool {
	return len(customer.AddressProblems(customer.NormaliseAddress(a), false)) == 0
}

// Each action below runs its command with a drawn input and, when that is refused, with what the rules
// accept of it (drawBoth): commands meet both refusals and the oddest inputs they accept.

func (s *customerScenario) register() {
	t := s.w.t
	// International phones are drawn often: libphonenumber rewrites them to E.164 (+442079460958).
	raw, kept := drawBoth(t, "profile", customer.Profile{Phone: "+44 (0)20 7946 0958"}, profileOK)
	address, username := s.someEmail(), rapid.OneOf(rapid.Just(""), text()).Draw(t, "username")
	secret := "Secret-" + printable.Draw(t, "password")
	keptUsername := username
	if len(customer.UsernameProblems(strings.TrimSpace(username))) > 0 {
		keptUsername = ""
	}
	for _, in := range []commands.Registration{
		{Email: address, Username: username, Profile: raw},
		{Email: s.acceptedEmail(address), Username: keptUsername, Profile: kept},
	} {
		in.AccountID, in.SiteID, in.Password = s.account, s.site, secret
		r, err := s.customers.Register(t.Context(), s.env(), in)
		if !s.w.refused("register", err, customerRefusals...) {
			s.people = append(s.people, &person{id: r.CustomerID, email: in.Email, username: in.Username, secret: secret})
			return
		}
	}
}

func (s *customerScenario) updateProfile(p *person) {
	t := s.w.t
	international := "+1 (514) 555-1234 ext. 7"
	raw, kept := drawBoth(t, "patch", customer.ProfilePatch{Phone: &international},
		func(patch customer.ProfilePatch) bool { return profileOK(patch.ApplyTo(customer.Profile{})) })
	var address, username *string
	if rapid.Bool().Draw(t, "new email") {
		address = new(string)
		*address = s.someEmail()
	}
	if rapid.Bool().Draw(t, "new username") {
		username = new(string)
		*username = text().Draw(t, "username")
	}
	for _, in := range []commands.ProfileUpdate{{Email: address, Username: username, Changes: raw}, {Changes: kept}} {
		in.Target = s.target(p)
		in.VerifyNewEmail, in.VerificationLifetime = rapid.Bool().Draw(t, "site verifies emails"), 7*24*time.Hour
		if _, err := s.customers.UpdateProfile(t.Context(), s.env(), in); !s.w.refused("update profile", err, customerRefusals...) {
			if in.Email != nil {
				p.email = *in.Email
			}
			return
		}
	}
}

func (s *customerScenario) addAddress(p *person) {
	t := s.w.t
	raw, kept := drawBoth(t, "address", exampleAddress, addressOK)
	for _, address := range []customer.Address{raw, kept} {
		_, id, err := s.customers.AddAddress(t.Context(), s.env(), commands.NewAddress{Target: s.target(p), Address: address,
			RequirePostalCode: rapid.Bool().Draw(t, "postal code required")})
		if !s.w.refused("add address", err, customerRefusals...) {
			p.addresses = append(p.addresses, id)
			return
		}
	}
}

func (s *customerScenario) updateAddress(p *person) {
	t := s.w.t
	id := rapid.SampledFrom(append(p.addresses, 0)).Draw(t, "address id")
	raw, kept := drawBoth(t, "address patch", customer.AddressPatch{},
		func(patch customer.AddressPatch) bool { return addressOK(patch.ApplyTo(exampleAddress)) })
	for _, patch := range []customer.AddressPatch{raw, kept} {
		_, err := s.customers.UpdateAddress(t.Context(), s.env(), commands.AddressUpdate{Target: s.target(p), AddressID: id,
			Changes: patch, RequirePostalCode: rapid.Bool().Draw(t, "postal code required")})
		if !s.w.refused("update address", err, customerRefusals...) {
			return
		}
	}
}
