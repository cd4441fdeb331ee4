package mail

import (
	"strings"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// KindGift is the Kind of the mail telling a gift's recipient their code.
const KindGift = "gift"

// GiftMessage composes the mail that gives a gift's recipient its code, on the gift's start day, in lang
// (the site's language: the recipient is not necessarily a customer with one of their own). id is the
// event's id.
func GiftMessage(id uuid.UUID, site Site, lang i18n.Language, e subscription.GiftNotified) Message {
	name := e.Gift.RecipientFirstName
	if name == "" {
		name = e.Gift.RecipientEmail
	}
	fill := strings.NewReplacer("{site}", site.Name, "{name}", name, "{code}", e.GiftCode)
	text := func(id i18n.MessageID) string { return fill.Replace(i18n.Localize(lang, id)) }
	body := text(i18n.GiftMailGreeting) + "\n\n" + text(i18n.GiftMailBody) + "\n\n" + e.GiftCode + "\n"
	if e.Gift.Message != "" {
		body += "\n" + text(i18n.GiftMailMessage) + "\n\n" + e.Gift.Message + "\n"
	}
	if site.Link != "" {
		body += "\n" + text(i18n.GiftMailLink) + " " + site.Link + "\n"
	}
	return Message{ID: id, SiteID: e.SiteID, CustomerID: e.CustomerID, Kind: KindGift,
		Recipient: e.Gift.RecipientEmail, Subject: text(i18n.GiftMailSubject), Body: body, CreatedAt: e.NotifiedAt}
}
