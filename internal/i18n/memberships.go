package i18n

// Messages of the membership seat endpoints (spec 2.5 #35–#37; docs/memberships.md) and of the invitation
// mail. The English wording of the two answers is the Open API's own: front ends match it, keep it exactly.
// The mail texts hold placeholders the composer fills in: {site} the site's name.
const (
	MembershipInvalidSubscription MessageID = "memberships.invalid_subscription"
	MembershipMemberDeleted       MessageID = "memberships.member_deleted"
	MembershipMailSubject         MessageID = "memberships.mail.subject"
	MembershipMailBody            MessageID = "memberships.mail.body"
	MembershipMailLink            MessageID = "memberships.mail.link"
)
