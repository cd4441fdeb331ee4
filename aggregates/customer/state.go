package customer

import (
	"maps"
	"slices"
	"time"
)

// MaxTokensPerPurpose is how many one-time tokens of each purpose the state remembers: the most recent
// ones; an older token is forgotten and so no longer redeemable, even before it expires. It must stay at
// least the hourly throttle (TokensPerHour), or the throttle could no longer count the last hour. Keeping
// it per purpose means a flood of one kind (passwordless links anyone can ask for) never pushes out a
// customer's pending verification or reset link.
const MaxTokensPerPurpose = 20

// State is one customer as its events describe it. The zero value (ID 0) means "not registered". Slices and
// maps are never shared with an earlier state: Evolve copies before it changes them.
type State struct {
	ID int64
	// Erased says the customer was erased: no command acts on it any more (Exists is false). Its personal
	// fields read as their zero values once the store shredded its key.
	Erased    bool
	AccountID int64
	// SiteID is the site the customer registered on.
	SiteID int64
	// Email is normalised (NormaliseEmail); EmailConfirmed says whether this email, not an earlier one, was
	// verified (rule 10).
	Email          string
	EmailConfirmed bool
	// Username is the display form ("" when none); NormaliseUsername gives the form uniqueness uses.
	Username string
	// PasswordHash is the encoded hash; "" for a customer created by an identity provider.
	PasswordHash string
	Profile      Profile
	// Picture is the profile photo's file name in the media directory; "" when none.
	Picture string
	// Addresses in the order they were added; at most one default per type.
	Addresses []Address
	// Attachments are the subscriptions that took one of the addresses, the latest per address and
	// subscription (see Attachment).
	Attachments []Attachment
	// Tokens are the most recent one-time tokens, oldest first, at most MaxTokensPerPurpose of each purpose.
	Tokens []OneTimeToken
	// Identities maps an identity provider to the customer's subject (account id) there; nil when none.
	Identities map[string]string
	// UnprovenIdentities are the providers of Identities linked without the provider vouching for the email.
	UnprovenIdentities map[string]bool
	CreatedAt          time.Time
	UpdatedAt          time.Time
	PasswordUpdatedAt  time.Time
}

// OneTimeToken is what the customer aggregate remembers of a token it mailed: never the token, only its hash.
type OneTimeToken struct {
	Purpose Purpose
	// SiteID is the site the token was asked on.
	SiteID int64
	Hash   string
	// Email is where the token was sent; a token only works while it is still the customer's email.
	Email     string
	IssuedAt  time.Time
	ExpiresAt time.Time
	// Used is set once a single-use token was spent: a password reset link by its reset, an email
	// verification link by the confirmation of the email it was sent to.
	Used bool
}

// Exists says whether the customer was registered and not erased since.
func (s State) Exists() bool { return s.ID != 0 && !s.Erased }

// Address returns the customer's address with that id.
func (s State) Address(id int64) (Address, bool) {
	i := slices.IndexFunc(s.Addresses, func(a Address) bool { return a.ID == id })
	if i < 0 {
		return Address{}, false
	}
	return s.Addresses[i], true
}

// Evolve folds one event into the state. It holds no rules: events are facts. The facts it derives are the
// ones the events' documentation states: a new default address clears the other defaults of its type, a new
// email is unconfirmed, a reset spends its token, a verified email spends every verification link sent to it.
func Evolve(s State, e Event) State {
	switch e := e.(type) {
	case Registered:
		s = State{ID: e.CustomerID, AccountID: e.AccountID, SiteID: e.SiteID, Email: e.Email, Username: e.Username,
			PasswordHash: e.PasswordHash, Profile: e.Profile, CreatedAt: e.RegisteredAt, UpdatedAt: e.RegisteredAt}
		if e.PasswordHash != "" {
			s.PasswordUpdatedAt = e.RegisteredAt
		}
	case ProfileChanged:
		s.Profile, s.UpdatedAt = e.Profile, e.ChangedAt
	case EmailChanged:
		s.Email, s.EmailConfirmed, s.UpdatedAt = e.Email, false, e.ChangedAt
	case UsernameChanged:
		s.Username, s.UpdatedAt = e.Username, e.ChangedAt
	case PasswordChanged:
		s.PasswordHash, s.PasswordUpdatedAt, s.UpdatedAt = e.PasswordHash, e.ChangedAt, e.ChangedAt
		if e.ResetTokenHash != "" {
			s.Tokens = spend(s.Tokens, func(t OneTimeToken) bool {
				return t.Purpose == PurposePasswordReset && t.Hash == e.ResetTokenHash
			})
		}
	case PasswordRehashed:
		s.PasswordHash = e.PasswordHash
	case LoggedIn:
		// A record of a sign-in, not a change of the customer (see SignInStreamPrefix): the ones older
		// versions wrote into the customer's stream are folded past.
	case OneTimeTokenIssued:
		s.Tokens = remember(s.Tokens, OneTimeToken{Purpose: e.Purpose, SiteID: e.SiteID, Hash: e.TokenHash,
			Email: e.Email, IssuedAt: e.IssuedAt, ExpiresAt: e.ExpiresAt})
	case EmailVerified:
		if e.Email == s.Email {
			s.EmailConfirmed = true
		}
		s.UpdatedAt = e.VerifiedAt
		s.Tokens = spend(s.Tokens, func(t OneTimeToken) bool {
			return t.Purpose == PurposeEmailVerification && t.Email == e.Email
		})
	case PictureSet:
		s.Picture, s.UpdatedAt = e.File, e.SetAt
	case PictureRemoved:
		s.Picture, s.UpdatedAt = "", e.RemovedAt
	case AddressAdded:
		s.Addresses, s.UpdatedAt = putAddress(s.Addresses, e.Address), e.AddedAt
	case AddressUpdated:
		s.Addresses, s.UpdatedAt = putAddress(s.Addresses, e.Address), e.UpdatedAt
	case AddressAttached:
		s.Attachments = putAttachment(s.Attachments, Attachment{AddressID: e.AddressID,
			SubscriptionID: e.SubscriptionID, At: e.AttachedAt})
	case IdentityLinked:
		s.Identities = maps.Clone(s.Identities)
		if s.Identities == nil {
			s.Identities = map[string]string{}
		}
		s.Identities[e.Provider] = e.Subject
		s.UnprovenIdentities = maps.Clone(s.UnprovenIdentities)
		if e.EmailUnverified {
			if s.UnprovenIdentities == nil {
				s.UnprovenIdentities = map[string]bool{}
			}
			s.UnprovenIdentities[e.Provider] = true
		} else {
			delete(s.UnprovenIdentities, e.Provider)
		}
	case IdentityUnlinked:
		s.Identities, s.UnprovenIdentities = maps.Clone(s.Identities), maps.Clone(s.UnprovenIdentities)
		delete(s.Identities, e.Provider)
		delete(s.UnprovenIdentities, e.Provider)
	case Erased:
		// Nothing personal survives in memory either (states are cached by the command pipeline).
		s = State{ID: s.ID, AccountID: s.AccountID, SiteID: s.SiteID, Erased: true, CreatedAt: s.CreatedAt,
			UpdatedAt: e.ErasedAt}
	}
	return s
}

// putAddress returns a copy of addresses with a replacing the address of the same id, or appended; when a is
// a default, the other addresses of its type stop being one (rule 25).
func putAddress(addresses []Address, a Address) []Address {
	out := slices.Clone(addresses)
	i := slices.IndexFunc(out, func(old Address) bool { return old.ID == a.ID })
	if i < 0 {
		out = append(out, a)
	} else {
		out[i] = a
	}
	if a.IsDefault {
		for j := range out {
			if out[j].ID != a.ID && out[j].Type == a.Type {
				out[j].IsDefault = false
			}
		}
	}
	return out
}

// remember returns a copy of tokens with t appended, forgetting the oldest token of t's purpose beyond
// MaxTokensPerPurpose.
func remember(tokens []OneTimeToken, t OneTimeToken) []OneTimeToken {
	out := append(slices.Clone(tokens), t)
	samePurpose := 0
	for _, old := range out {
		if old.Purpose == t.Purpose {
			samePurpose++
		}
	}
	if samePurpose > MaxTokensPerPurpose {
		oldest := slices.IndexFunc(out, func(old OneTimeToken) bool { return old.Purpose == t.Purpose })
		out = slices.Delete(out, oldest, oldest+1)
	}
	return out
}

// spend returns a copy of tokens with the tokens spent marks used.
func spend(tokens []OneTimeToken, spent func(OneTimeToken) bool) []OneTimeToken {
	out := slices.Clone(tokens)
	for i := range out {
		if spent(out[i]) {
			out[i].Used = true
		}
	}
	return out
}
