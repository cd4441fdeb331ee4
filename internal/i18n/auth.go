package i18n

// Messages of authentication (spec 1.3, 2.1). The token and credential texts are the literal messages the
// spec documents; front ends match on them, so keep the English wording exactly.
const (
	TokenNotProvided       MessageID = "auth.token_not_provided"
	TokenInvalid           MessageID = "auth.token_invalid"
	TokenBlacklisted       MessageID = "auth.token_blacklisted"
	InvalidCredentials     MessageID = "auth.invalid_credentials"
	TooManyLoginAttempts   MessageID = "auth.too_many_login_attempts"
	TooManyRequests        MessageID = "auth.too_many_requests"
	ResetTokenInvalid      MessageID = "auth.reset_token_invalid"
	PasswordlessDisabled   MessageID = "auth.passwordless_disabled"
	LoginTokenInvalid      MessageID = "auth.login_token_invalid"
	CustomerEmailNotFound  MessageID = "auth.customer_email_not_found"
	LoginLinkSent          MessageID = "auth.login_link_sent"
	ResetLinkSent          MessageID = "auth.reset_link_sent"
	PasswordResetDone      MessageID = "auth.password_reset_done"
	IdentityProviderFailed MessageID = "auth.idp_token_invalid"
	IdentityProviderOff    MessageID = "auth.idp_not_configured"
)

// The mails of one-time links (passwordless login, password reset, email verification), written in the
// customer's language: a greeting, the purpose's line ({site}: the site's name) before the link (or the
// code, when the site has no link), when it stops working ({expires}) and what to do if it was not asked for.
const (
	MailGreeting             MessageID = "auth.mail.greeting"
	MailPasswordlessSubject  MessageID = "auth.mail.passwordless.subject"
	MailPasswordlessLink     MessageID = "auth.mail.passwordless.link"
	MailPasswordlessCode     MessageID = "auth.mail.passwordless.code"
	MailPasswordResetSubject MessageID = "auth.mail.password_reset.subject"
	MailPasswordResetLink    MessageID = "auth.mail.password_reset.link"
	MailPasswordResetCode    MessageID = "auth.mail.password_reset.code"
	MailVerificationSubject  MessageID = "auth.mail.email_verification.subject"
	MailVerificationLink     MessageID = "auth.mail.email_verification.link"
	MailVerificationCode     MessageID = "auth.mail.email_verification.code"
	MailLinkExpires          MessageID = "auth.mail.expires"
	MailNotAskedFor          MessageID = "auth.mail.ignore"
)
