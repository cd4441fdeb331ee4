package i18n

// Messages about writes as a whole rather than one resource (locales/write.<lang>.json).
const (
	// WriteSavedNotVisibleYet answers a write that committed while the read model it is answered from is
	// not there yet (a stopped or lagging projection): the client must learn that the change is kept, not
	// that something failed. It must not ask the user to try again: a repeat without the same
	// Idempotency-Key is a second write (a second address); Retry-After says when reading back will work.
	WriteSavedNotVisibleYet MessageID = "write.saved_not_visible_yet"
)
