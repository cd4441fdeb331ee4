package i18n

// Messages of the segment endpoints (#13–#15, rule 12; docs/segments.md).
const (
	NoEligibleItems MessageID = "segments.no_eligible_items"
)
