package customer

import (
	"maps"
	"slices"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// PasswordUpdate is POST /password/update (spec #9). Hashing is slow and salted, so the caller compares
// and hashes and hands in the facts: whether the old password matches the stored hash, whether the new
// password matches it too, and the new hash. The caller also checks the new password's strength, which
// depends on the site's "strong password" setting (rule 5), and that the confirmation equals it.
type PasswordUpdate struct {
	NewHash            string
	OldPasswordMatches bool
	NewSameAsOld       bool
}

// Identity is an identity provider's account the caller verified (spec #4): Provider ("google",
// "facebook", "auth0") and the provider's stable id for the person, Subject.
type Identity struct {
	Provider string
	Subject  string
	// EmailUnverified: the provider did not vouch for the customer's email (see IdentityLinked).
	EmailUnverified bool
}

// UpdatePassword replaces the password of a customer who knows the current one; the new one must differ
// (rule 9). A customer without a password (created by an identity provider) has no old password that can
// match: they set one through a password reset.
func UpdatePassword(s State, c PasswordUpdate, now time.Time) ([]Event, error) {
	if !s.Exists() {
		return nil, ErrNotRegistered
	}
	if s.PasswordHash == "" || !c.OldPasswordMatches {
		return nil, ErrWrongPassword
	}
	if c.NewSameAsOld {
		return nil, ErrSamePassword
	}
	return []Event{PasswordChanged{CustomerID: s.ID, PasswordHash: c.NewHash, ChangedAt: now}}, nil
}

// Rehash is a sign-in's upgrade of the password's hash: Verified is the hash the password was checked
// against, NewHash the same password under the current parameters.
type Rehash struct {
	Verified string
	NewHash  string
}

// RehashPassword replaces the hash the sign-in verified with a stronger one; if the password changed in the
// meantime the upgrade no longer applies and nothing happens.
func RehashPassword(s State, c Rehash, now time.Time) ([]Event, error) {
	if !s.Exists() {
		return nil, ErrNotRegistered
	}
	if s.PasswordHash != c.Verified || c.NewHash == "" {
		return nil, nil
	}
	return []Event{PasswordRehashed{CustomerID: s.ID, PasswordHash: c.NewHash, RehashedAt: now}}, nil
}

// LinkIdentity lets an identity provider's account sign the customer in. Linking the same account again is
// a no-op; a customer links at most one account per provider, so another one is refused with
// ErrIdentityConflict. The provider and subject come from a verified token, but are text the log keeps
// like any other: one that aggregates.TextFault refuses is a problem of the request's idp_name or idp_token.
func LinkIdentity(s State, c Identity, now time.Time) ([]Event, error) {
	if !s.Exists() {
		return nil, ErrNotRegistered
	}
	if err := identityProblems(c).Err(); err != nil {
		return nil, err
	}
	switch linked, ok := s.Identities[c.Provider]; {
	case ok && linked == c.Subject && s.UnprovenIdentities[c.Provider] && !c.EmailUnverified:
		// The provider vouches for the email now: the link stops depending on the owner's proof.
		return []Event{IdentityLinked{CustomerID: s.ID, Provider: c.Provider, Subject: c.Subject, LinkedAt: now}}, nil
	case ok && linked == c.Subject:
		return nil, nil
	case ok:
		return nil, ErrIdentityConflict
	}
	return []Event{IdentityLinked{CustomerID: s.ID, Provider: c.Provider, Subject: c.Subject,
		EmailUnverified: c.EmailUnverified, LinkedAt: now}}, nil
}

// identityProblems reports a provider or subject that is not acceptable text, under the request field that
// carried it.
func identityProblems(c Identity) Problems {
	var out Problems
	for _, text := range []struct{ field, value string }{{"idp_name", c.Provider}, {"idp_token", c.Subject}} {
		if fault := aggregates.TextFault(text.value, aggregates.SingleLine); fault != "" {
			out = append(out, Problem{Field: text.field, Rule: RulePrintable, Detail: fault})
		}
	}
	return out
}

// dropUnprovenIdentities unlinks the identities linked without the provider vouching for the email, once
// the email's owner proved themselves with a mailed link (reset, passwordless login, verification).
func dropUnprovenIdentities(s State, now time.Time) []Event {
	var events []Event
	for _, provider := range slices.Sorted(maps.Keys(s.UnprovenIdentities)) {
		events = append(events, IdentityUnlinked{CustomerID: s.ID, Provider: provider,
			Subject: s.Identities[provider], UnlinkedAt: now})
	}
	return events
}
