package i18n

// Messages about writes as a whole rather than one resource (locales/write.<lang>.json).
const (
	// WriteSavedNotVisibleYet answers a write that committed while the read model it is answered from is
	// not there yet (a stopped or lagging projection): the client must learn that the change is kept and that
	// retrying the same request is the way to see it, not that something failed.
	WriteSavedNotVisibleYet MessageID = "write.saved_not_visible_yet"
)
