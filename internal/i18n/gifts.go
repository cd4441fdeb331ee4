package i18n

// Messages of the gift mail the billing clock queues on a gift's start day (docs/subscriptions.md). The
// texts hold placeholders the mail composer fills in: {site} the site's name, {name} the recipient's first
// name, {code} the gift code.
const (
	GiftMailSubject  MessageID = "gifts.mail.subject"
	GiftMailGreeting MessageID = "gifts.mail.greeting"
	GiftMailBody     MessageID = "gifts.mail.body"
	GiftMailMessage  MessageID = "gifts.mail.message"
	GiftMailLink     MessageID = "gifts.mail.link"
)
