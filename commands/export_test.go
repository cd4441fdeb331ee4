package commands

// The names streams had before keyed names, for the tests that write such streams and check they still count.
var (
	LegacyReservationKey = legacyReservationKey
	LegacyNewsletterID   = legacyNewsletterID
)
