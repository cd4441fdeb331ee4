package mail

import (
	"strings"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// KindMembership is the Kind of the mail inviting a member to claim their seat (#36).
const KindMembership = "membership_invitation"

// InvitationMessage composes the mail that tells an invitee a seat waits for them, in lang (the site's
// language: the invitee may not be a customer yet). It belongs to the owner (CustomerID), whose erasure
// deletes it with their other mail. id is the event's id.
func InvitationMessage(id uuid.UUID, site Site, lang i18n.Language, e subscription.MemberInvited) Message {
	fill := strings.NewReplacer("{site}", site.Name)
	text := func(id i18n.MessageID) string { return fill.Replace(i18n.Localize(lang, id)) }
	body := text(i18n.MembershipMailBody) + "\n"
	if site.Link != "" {
		body += "\n" + text(i18n.MembershipMailLink) + " " + site.Link + "\n"
	}
	return Message{ID: id, SiteID: e.SiteID, CustomerID: e.OwnerID, Kind: KindMembership, Recipient: e.Email,
		Subject: text(i18n.MembershipMailSubject), Body: body, CreatedAt: e.InvitedAt}
}
