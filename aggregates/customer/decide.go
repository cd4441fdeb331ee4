package customer

import (
	"errors"
	"reflect"
	"strings"
	"time"
)

// Registration is the command of POST /auth/register and of a first IdP login (spec #1, #4). The caller has
// already claimed the email and username for CustomerID (docs/customers.md), hashed the password and checked
// its strength against the site's rules.
type Registration struct {
	CustomerID int64
	AccountID  int64
	SiteID     int64
	Email      string
	// Username is optional; it is kept in its display form.
	Username string
	// PasswordHash is the encoded hash; "" for a customer an identity provider signs in.
	PasswordHash string
	// Profile's Language should be the request's resolved language; an unsupported one is stored as
	// DefaultLanguage.
	Profile Profile
	// Method says how the customer signs up: "password", "idp:google", …
	Method string
}

// ProfileChange is the profile part of PUT /customer (spec #11); email and username have their own
// commands because each needs a claim first.
type ProfileChange struct {
	Changes ProfilePatch
}

// EmailChange is the email part of PUT /customer. The caller has claimed the new email already.
type EmailChange struct {
	Email string
	// Verification is the link the new email is sent when the site verifies emails (rule 10), nil when it
	// does not. Its Purpose is always PurposeEmailVerification.
	Verification *TokenRequest
}

// UsernameChange is the username part of PUT /customer; "" removes the username. The caller has claimed the
// new username already.
type UsernameChange struct {
	Username string
}

// PictureUpload is POST /customer/picture after the media store kept the checked photo under File.
type PictureUpload struct {
	File string
}

// Register records a new customer. Input problems come back as Problems, all of them at once, before the
// existence check.
func Register(s State, c Registration, now time.Time) ([]Event, error) {
	if err := RegistrationProblems(c).Err(); err != nil {
		return nil, err
	}
	if s.ID != 0 { // an erased customer's id is not given to anyone else either
		return nil, ErrAlreadyRegistered
	}
	return []Event{Registered{CustomerID: c.CustomerID, AccountID: c.AccountID, SiteID: c.SiteID,
		Email: NormaliseEmail(c.Email), Username: strings.TrimSpace(c.Username), PasswordHash: c.PasswordHash,
		Profile: NormaliseProfile(c.Profile), Method: c.Method, RegisteredAt: now}}, nil
}

// RegistrationProblems returns every rule the registration's email, username and profile break, as Register
// would: callers check it before claiming the email and username.
func RegistrationProblems(c Registration) Problems {
	problems := append(EmailProblems(NormaliseEmail(c.Email)), UsernameProblems(strings.TrimSpace(c.Username))...)
	return append(problems, NormaliseProfile(c.Profile).Problems()...)
}

// ChangeProfile applies the patch to the profile, merging metadata (spec #11). A change that changes nothing
// is a no-op.
func ChangeProfile(s State, c ProfileChange, now time.Time) ([]Event, error) {
	if !s.Exists() {
		return nil, ErrNotRegistered
	}
	profile := NormaliseProfile(c.Changes.ApplyTo(s.Profile))
	if err := profile.Problems().Err(); err != nil {
		return nil, err
	}
	if reflect.DeepEqual(profile, s.Profile) {
		return nil, nil
	}
	return []Event{ProfileChanged{CustomerID: s.ID, Profile: profile, ChangedAt: now}}, nil
}

// ChangeEmail gives the customer a new, unconfirmed email (rule 10) and, with c.Verification, mails the new
// email a verification link in the same decision, so the change and its link are stored together or not at
// all. The same email, however spelled, is a no-op and keeps its confirmation (no link either). When the
// hour's verification links are used up (TokensPerHour), the change stands without one: the customer can
// ask for one later (spec #16).
func ChangeEmail(s State, c EmailChange, now time.Time) ([]Event, error) {
	if !s.Exists() {
		return nil, ErrNotRegistered
	}
	email := NormaliseEmail(c.Email)
	if err := EmailProblems(email).Err(); err != nil {
		return nil, err
	}
	if email == s.Email {
		return nil, nil
	}
	changed := EmailChanged{CustomerID: s.ID, Email: email, ChangedAt: now}
	if c.Verification == nil {
		return []Event{changed}, nil
	}
	link := *c.Verification
	link.Purpose = PurposeEmailVerification
	mailed, err := IssueToken(Evolve(s, changed), link, now)
	if errors.Is(err, ErrThrottled) {
		return []Event{changed}, nil
	}
	if err != nil {
		return nil, err
	}
	return append([]Event{changed}, mailed...), nil
}

// ChangeUsername sets or (with "") removes the username. A change of case only is recorded: the display
// form changes while the normalised form, and so the claim, stays.
func ChangeUsername(s State, c UsernameChange, now time.Time) ([]Event, error) {
	if !s.Exists() {
		return nil, ErrNotRegistered
	}
	username := strings.TrimSpace(c.Username)
	if err := UsernameProblems(username).Err(); err != nil {
		return nil, err
	}
	if username == s.Username {
		return nil, nil
	}
	return []Event{UsernameChanged{CustomerID: s.ID, Username: username, ChangedAt: now}}, nil
}

// SetPicture records a new profile photo, which replaces the previous one (rule 11); the same file again is
// a no-op. Deleting the previous file is the caller's business, once the event is stored.
func SetPicture(s State, c PictureUpload, now time.Time) ([]Event, error) {
	if !s.Exists() {
		return nil, ErrNotRegistered
	}
	if c.File == "" {
		return nil, Problems{{Field: "profile_photo", Rule: RuleRequired}}
	}
	if c.File == s.Picture {
		return nil, nil
	}
	return []Event{PictureSet{CustomerID: s.ID, File: c.File, SetAt: now}}, nil
}

// RemovePicture removes the profile photo (spec #19); a customer without one is a no-op.
func RemovePicture(s State, now time.Time) ([]Event, error) {
	if !s.Exists() {
		return nil, ErrNotRegistered
	}
	if s.Picture == "" {
		return nil, nil
	}
	return []Event{PictureRemoved{CustomerID: s.ID, RemovedAt: now}}, nil
}
