package commands

// The names streams had before keyed names, for the tests that write such streams and check they still count.
var (
	LegacyReservationKey = legacyReservationKey
	LegacyNewsletterID   = legacyNewsletterID
)

// RecordedID is recordedID, for the tests of records made by commands that create something.
var RecordedID = recordedID
