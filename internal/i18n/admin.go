package i18n

// Messages of the admin API (/admin/api, docs/operations.md): operators' tools, authenticated by API keys.
const (
	AdminKeyMissing       MessageID = "admin.key_missing"
	AdminKeyInvalid       MessageID = "admin.key_invalid"
	AdminCustomerNotFound MessageID = "admin.customer_not_found"
	AdminTimeInvalid      MessageID = "admin.time_invalid"
	AdminLimitInvalid     MessageID = "admin.limit_invalid"
	AdminCursorInvalid    MessageID = "admin.cursor_invalid"
	AdminPositionInvalid  MessageID = "admin.position_invalid"
	AdminQueryInvalid     MessageID = "admin.query_invalid"
	AdminRevealInvalid    MessageID = "admin.reveal_invalid"
	AdminCrossSite        MessageID = "admin.cross_site"
)
