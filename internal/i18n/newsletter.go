package i18n

// Messages of the newsletter endpoints (spec 2.9), in Laravel's wording where Laravel has one. Besides
// these, transport derives "newsletter.<field>.<rule>" from the newsletter aggregate's Problems
// (newsletter.email.email, newsletter.<field>.max_length; a required one is Required's): every locale file
// must define those too, which transport's tests check.
const (
	NewsletterEmailTaken         MessageID = "newsletter.email.taken"
	NewsletterEmailNotSubscribed MessageID = "newsletter.email.not_subscribed"
	NewsletterNotFound           MessageID = "newsletter.not_found"
)
