package catalog_test

import (
	"reflect"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
)

// withIdentityProviders is the example site with every sign-in provider configured.
func withIdentityProviders() catalog.Site {
	s := exampleSite()
	s.GoogleAppID, s.GoogleAppIDIOS, s.GoogleAppIDAndroid = "web.apps.googleusercontent.com",
		"ios.apps.googleusercontent.com", "android.apps.googleusercontent.com"
	s.FacebookAppID = "1234567890"
	s.Auth0BaseURL, s.Auth0ClientID = "https://example.eu.auth0.com", "auth0-client"
	return s
}

func TestSiteIdentityProviderSettings(t *testing.T) {
	t.Parallel()
	configured := withIdentityProviders()
	defined := catalog.SiteDefined{SiteID: configured.ID, AccountID: configured.AccountID,
		SiteAttributes: configured.SiteAttributes, DefinedAt: defineTime}
	facebookRemoved := configured
	facebookRemoved.FacebookAppID = ""
	auth0Moved := configured
	auth0Moved.Auth0BaseURL = "https://login.example.com/"

	tests := []struct {
		name   string
		given  []catalog.SiteEvent
		decide func(catalog.SiteState) ([]catalog.SiteEvent, error)
		want   []catalog.SiteEvent
	}{
		{name: "a site is defined with its providers",
			decide: func(s catalog.SiteState) ([]catalog.SiteEvent, error) {
				return catalog.DefineSite(s, configured, defineTime)
			},
			want: []catalog.SiteEvent{defined}},
		{name: "providers added to a site defined without them are one change", given: []catalog.SiteEvent{siteDefined()},
			decide: func(s catalog.SiteState) ([]catalog.SiteEvent, error) {
				return catalog.ChangeSite(s, configured, changeTime)
			},
			want: []catalog.SiteEvent{catalog.SiteChanged{SiteID: 1232, ChangedAt: changeTime, Changes: catalog.SitePatch{
				GoogleAppID: ptr(configured.GoogleAppID), GoogleAppIDIOS: ptr(configured.GoogleAppIDIOS),
				GoogleAppIDAndroid: ptr(configured.GoogleAppIDAndroid), FacebookAppID: ptr("1234567890"),
				Auth0BaseURL: ptr("https://example.eu.auth0.com"), Auth0ClientID: ptr("auth0-client")}}}},
		{name: "unsetting a provider records the empty value", given: []catalog.SiteEvent{defined},
			decide: func(s catalog.SiteState) ([]catalog.SiteEvent, error) {
				return catalog.ChangeSite(s, facebookRemoved, changeTime)
			},
			want: []catalog.SiteEvent{catalog.SiteChanged{SiteID: 1232, ChangedAt: changeTime,
				Changes: catalog.SitePatch{FacebookAppID: ptr("")}}}},
		{name: "an unset provider stays unset after the change is folded", given: []catalog.SiteEvent{defined,
			catalog.SiteChanged{SiteID: 1232, ChangedAt: changeTime, Changes: catalog.SitePatch{FacebookAppID: ptr("")}}},
			decide: func(s catalog.SiteState) ([]catalog.SiteEvent, error) {
				return catalog.ChangeSite(s, facebookRemoved, changeTime)
			}},
		{name: "one changed setting is one event with that setting only", given: []catalog.SiteEvent{defined},
			decide: func(s catalog.SiteState) ([]catalog.SiteEvent, error) {
				return catalog.ChangeSite(s, auth0Moved, changeTime)
			},
			want: []catalog.SiteEvent{catalog.SiteChanged{SiteID: 1232, ChangedAt: changeTime,
				Changes: catalog.SitePatch{Auth0BaseURL: ptr("https://login.example.com/")}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sites.Given(tt.given...).When(tt.decide).Then(t, tt.want...)
		})
	}
}

func TestSiteIdentityProviderRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		edit   func(*catalog.Site)
		fields []string // the fields reported, in order; none for a valid site
	}{
		{"every provider set", func(*catalog.Site) {}, nil},
		{"nothing set", func(s *catalog.Site) { *s = exampleSite() }, nil},
		{"auth0 base URL with a path", func(s *catalog.Site) { s.Auth0BaseURL = "https://example.com/tenant/" }, nil},
		{"auth0 base URL over http", func(s *catalog.Site) { s.Auth0BaseURL = "http://example.eu.auth0.com" },
			[]string{"auth0_base_url"}},
		{"auth0 base URL without a scheme", func(s *catalog.Site) { s.Auth0BaseURL = "example.eu.auth0.com" },
			[]string{"auth0_base_url"}},
		{"auth0 base URL with a query", func(s *catalog.Site) { s.Auth0BaseURL = "https://example.eu.auth0.com/?a=1" },
			[]string{"auth0_base_url"}},
		{"auth0 base URL with credentials", func(s *catalog.Site) { s.Auth0BaseURL = "https://u:p@example.eu.auth0.com" },
			[]string{"auth0_base_url"}},
		{"auth0 base URL without its client id", func(s *catalog.Site) { s.Auth0ClientID = "" },
			[]string{"auth0_client_id"}},
		{"auth0 client id without its base URL", func(s *catalog.Site) { s.Auth0BaseURL = "" },
			[]string{"auth0_base_url"}},
		{"an id with white space", func(s *catalog.Site) { s.GoogleAppIDIOS = "ios app" },
			[]string{"google_app_id_ios"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Given a site with providers, edited
			site := withIdentityProviders()
			tt.edit(&site)
			// When its rules are checked
			problems := site.Problems()
			// Then exactly the broken settings are reported
			var fields []string
			for _, p := range problems {
				fields = append(fields, p.Field)
			}
			if !reflect.DeepEqual(fields, tt.fields) {
				t.Fatalf("problems = %v, want fields %v", problems, tt.fields)
			}
		})
	}
}

func TestSiteEventsWrittenBeforeIdentityProvidersDecodeWithThemUnset(t *testing.T) {
	t.Parallel()
	// Given stored site events that predate the provider settings
	defined := `{"site_id":1232,"account_id":1,"name":"Example Publication","default_currency":"usd",
		"default_locale":"en_US","defined_at":"2026-03-01T09:00:00Z"}`
	changed := `{"site_id":1232,"changes":{"name":"Example Daily"},"changed_at":"2026-04-01T09:00:00Z"}`

	// When they are decoded and folded
	var state catalog.SiteState
	for _, stored := range []struct{ name, data string }{
		{"catalog.site_defined", defined}, {"catalog.site_changed", changed},
	} {
		event, err := catalog.Events.Decode(stored.name, 1, []byte(stored.data))
		if err != nil {
			t.Fatalf("decode %s: %v", stored.name, err)
		}
		siteEvent, ok := event.(catalog.SiteEvent)
		if !ok {
			t.Fatalf("decode %s gave %T", stored.name, event)
		}
		state = catalog.EvolveSite(state, siteEvent)
	}

	// Then the site has no provider configured, and configuring one is an ordinary change
	a := state.Site.SiteAttributes
	if a.Name != "Example Daily" || a.GoogleAppID != "" || a.GoogleAppIDIOS != "" || a.GoogleAppIDAndroid != "" ||
		a.FacebookAppID != "" || a.Auth0BaseURL != "" || a.Auth0ClientID != "" {
		t.Fatalf("attributes = %+v", a)
	}
	desired := state.Site
	desired.GoogleAppID = "web.apps.googleusercontent.com"
	events, err := catalog.ChangeSite(state, desired, changeTime)
	if err != nil || len(events) != 1 {
		t.Fatalf("ChangeSite = %v, %v", events, err)
	}
	if got := events[0].(catalog.SiteChanged).Changes; !reflect.DeepEqual(got, catalog.SitePatch{GoogleAppID: ptr(desired.GoogleAppID)}) {
		t.Fatalf("changes = %+v", got)
	}
}
