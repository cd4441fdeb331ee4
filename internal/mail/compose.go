// Package mail is the API's outgoing mail: the messages composed from events (one-time token links for
// passwordless login, password reset and email verification; invitations later), the outbox table they wait
// in (mail_outbox, migration 00007), and the Deliverer that sends them over SMTP, or keeps them in the
// development mailbox (the table itself, read by `pelcro mail list`) when no SMTP server is configured.
//
// The outbox is filled by the projection mail_outbox.v1 (projections/mail), one row per event, keyed by the
// event id, so a redelivered event queues nothing twice. Delivery is at least once: a failed attempt is
// retried with exponential backoff and a message is never deleted.
package mail

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// TokenDeriver derives a one-time token again from what the event customer.one_time_token_issued keeps
// (the customer, the purpose and the random nonce) with the server's secret key; the event holds only the
// token's hash, never a usable secret. cmd/pelcro wires it to internal/auth.
type TokenDeriver func(customerID int64, purpose, nonce string) string

// Site is what a message says about the site it is sent for (from the catalog_sites read model).
type Site struct {
	Name string
	// Link is the site's public address (an absolute http(s) URL, or empty); links in messages open it with
	// the react-pelcro-js view parameters.
	Link string
}

// Message is one mail to send.
type Message struct {
	// ID is the id of the event the message comes from; it keys the outbox row and makes the Message-ID
	// header, so a message re-sent after an ambiguous failure can be recognised as the same one.
	ID         uuid.UUID
	SiteID     int64
	CustomerID int64
	// Kind says what the message is for: a one-time token purpose (customer.Purpose) for now.
	Kind      string
	Recipient string
	Subject   string
	Body      string // plain text
	CreatedAt time.Time
	// ExpiresAt is when the message's link stops working (zero: never); the Deliverer does not send a
	// message past it.
	ExpiresAt time.Time
}

// oneTimeTokenMail is, per purpose, the react-pelcro-js view a link opens (its "view" query parameter),
// whether the link also carries the email (the password reset form reads it from the URL), and the wording:
// the subject, and the line before the link (or before the code, for a site without a link).
var oneTimeTokenMail = map[customer.Purpose]struct {
	view                string
	withEmail           bool
	subject, link, code i18n.MessageID
}{
	customer.PurposePasswordless: {view: "passwordless-login",
		subject: i18n.MailPasswordlessSubject, link: i18n.MailPasswordlessLink, code: i18n.MailPasswordlessCode},
	customer.PurposePasswordReset: {view: "password-reset", withEmail: true,
		subject: i18n.MailPasswordResetSubject, link: i18n.MailPasswordResetLink, code: i18n.MailPasswordResetCode},
	customer.PurposeEmailVerification: {view: "email-verify",
		subject: i18n.MailVerificationSubject, link: i18n.MailVerificationLink, code: i18n.MailVerificationCode},
}

// expiryLayouts writes when a link stops working the way each language writes dates (always in UTC, named);
// a language without one gets English's.
var expiryLayouts = map[i18n.Language]string{
	i18n.English: "2 January 2006 15:04 MST",
	i18n.French:  "02/01/2006 15:04 MST",
	i18n.Italian: "02/01/2006 15:04 MST",
	i18n.Spanish: "02/01/2006 15:04 MST",
	i18n.German:  "02.01.2006 15:04 MST",
	i18n.Korean:  "2006. 1. 2. 15:04 MST",
}

// OneTimeTokenMessage composes the mail of a one-time token in lang: a link to the site that opens the view
// redeeming token. id is the event's id. A site without a link gets the token itself to paste.
func OneTimeTokenMessage(id uuid.UUID, site Site, lang i18n.Language, e customer.OneTimeTokenIssued, token string) (Message, error) {
	target, ok := oneTimeTokenMail[e.Purpose]
	if !ok {
		return Message{}, fmt.Errorf("mail: no message for one-time token purpose %q", e.Purpose)
	}
	params := [][2]string{{"view", target.view}, {"token", token}}
	if target.withEmail {
		params = append(params, [2]string{"email", e.Email})
	}
	link, err := withQuery(site.Link, params)
	if err != nil {
		return Message{}, fmt.Errorf("mail: site %d link: %w", e.SiteID, err)
	}
	layout, ok := expiryLayouts[lang]
	if !ok {
		layout = expiryLayouts[i18n.English]
	}
	fill := strings.NewReplacer("{site}", site.Name, "{expires}", e.ExpiresAt.UTC().Format(layout))
	text := func(id i18n.MessageID) string { return fill.Replace(i18n.Localize(lang, id)) }
	action, value := text(target.link), link
	if link == "" {
		action, value = text(target.code), token
	}
	return Message{
		ID:         id,
		SiteID:     e.SiteID,
		CustomerID: e.CustomerID,
		Kind:       string(e.Purpose),
		Recipient:  e.Email,
		Subject:    text(target.subject),
		Body: text(i18n.MailGreeting) + "\n\n" + action + "\n\n" + value + "\n\n" +
			text(i18n.MailLinkExpires) + "\n" + text(i18n.MailNotAskedFor) + "\n",
		CreatedAt: e.IssuedAt,
		ExpiresAt: e.ExpiresAt,
	}, nil
}

// withQuery appends params, in order, to the query of link (keeping what it has; a fragment stays last).
// An empty link gives an empty result.
func withQuery(link string, params [][2]string) (string, error) {
	if link == "" {
		return "", nil
	}
	u, err := url.Parse(link)
	if err != nil {
		return "", err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("%q is not an absolute http(s) URL", link)
	}
	query := make([]string, 0, len(params)+1)
	if u.RawQuery != "" {
		query = append(query, u.RawQuery)
	}
	for _, p := range params {
		query = append(query, url.QueryEscape(p[0])+"="+url.QueryEscape(p[1]))
	}
	u.RawQuery = strings.Join(query, "&")
	return u.String(), nil
}
