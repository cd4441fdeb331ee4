package i18n

// Messages of the geography endpoints (#25, #26; docs/geo.md).
const (
	GeoLocaleInvalid MessageID = "geo.locale.invalid"
)
