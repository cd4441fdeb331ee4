package catalog_test

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/aggtest"
	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
)

var sites = aggtest.For(catalog.Events, catalog.EvolveSite)

func siteDefined() catalog.SiteDefined {
	s := exampleSite()
	return catalog.SiteDefined{SiteID: s.ID, AccountID: s.AccountID, SiteAttributes: s.SiteAttributes, DefinedAt: defineTime}
}

func TestDefineSite(t *testing.T) {
	t.Parallel()
	t.Run("a new site is defined with every attribute", func(t *testing.T) {
		sites.Given().
			When(func(s catalog.SiteState) ([]catalog.SiteEvent, error) {
				return catalog.DefineSite(s, exampleSite(), defineTime)
			}).
			Then(t, siteDefined())
	})
	t.Run("a site is defined only once", func(t *testing.T) {
		sites.Given(siteDefined()).
			When(func(s catalog.SiteState) ([]catalog.SiteEvent, error) {
				return catalog.DefineSite(s, exampleSite(), changeTime)
			}).
			ThenError(t, catalog.ErrAlreadyDefined)
	})
	t.Run("an invalid site is refused", func(t *testing.T) {
		invalid := exampleSite()
		invalid.DefaultCurrency = "USD"
		sites.Given().
			When(func(s catalog.SiteState) ([]catalog.SiteEvent, error) {
				return catalog.DefineSite(s, invalid, defineTime)
			}).
			ThenError(t, catalog.ErrInvalid)
	})
}

func TestChangeSite(t *testing.T) {
	t.Parallel()
	renamed := exampleSite()
	renamed.Name = "Example Daily"
	twoFields := renamed
	twoFields.TaxesEnabled = true
	moved := exampleSite()
	moved.AccountID = 2
	invalid := exampleSite()
	invalid.PasswordlessTokenDuration = 7

	tests := []struct {
		name    string
		given   []catalog.SiteEvent
		desired catalog.Site
		want    []catalog.SiteEvent
		wantErr error
	}{
		{name: "unchanged is a no-op", given: []catalog.SiteEvent{siteDefined()}, desired: exampleSite()},
		{name: "one changed field is one event with that field only", given: []catalog.SiteEvent{siteDefined()},
			desired: renamed, want: []catalog.SiteEvent{catalog.SiteChanged{SiteID: 1232,
				Changes: catalog.SitePatch{Name: ptr("Example Daily")}, ChangedAt: changeTime}}},
		{name: "two changed fields are still one event", given: []catalog.SiteEvent{siteDefined()},
			desired: twoFields, want: []catalog.SiteEvent{catalog.SiteChanged{SiteID: 1232,
				Changes: catalog.SitePatch{Name: ptr("Example Daily"), TaxesEnabled: ptr(true)}, ChangedAt: changeTime}}},
		{name: "a change already applied is a no-op", desired: renamed, given: []catalog.SiteEvent{siteDefined(),
			catalog.SiteChanged{SiteID: 1232, Changes: catalog.SitePatch{Name: ptr("Example Daily")}, ChangedAt: changeTime}}},
		{name: "a site never defined cannot change", desired: renamed, wantErr: catalog.ErrNotDefined},
		{name: "a site cannot move to another account", given: []catalog.SiteEvent{siteDefined()}, desired: moved,
			wantErr: catalog.ErrOwnerChanged},
		{name: "an invalid desired state is refused", given: []catalog.SiteEvent{siteDefined()}, desired: invalid,
			wantErr: catalog.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			outcome := sites.Given(tt.given...).When(func(s catalog.SiteState) ([]catalog.SiteEvent, error) {
				return catalog.ChangeSite(s, tt.desired, changeTime)
			})
			if tt.wantErr != nil {
				outcome.ThenError(t, tt.wantErr)
				return
			}
			outcome.Then(t, tt.want...)
		})
	}
}

func TestEffectiveTokenLifetimes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name                   string
		setting                int64
		wantAuth, wantPassless int64
	}{
		{"unset takes the defaults", 0, 60, 1},
		{"a set value is kept", 30, 30, 30},
		{"the longest passwordless link", 90, 90, 90},
		{"a JWT lives a year at most", 400, 365, 400},
		{"a negative value (refused on import) counts as unset", -1, 60, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a site setting, when the server applies it, then it gets the effective lifetime in days
			if got := catalog.EffectiveAuthTokenTTLDays(tc.setting); got != tc.wantAuth {
				t.Errorf("auth_token_ttl_days %d takes effect as %d, want %d", tc.setting, got, tc.wantAuth)
			}
			if got := catalog.EffectivePasswordlessTokenDuration(tc.setting); got != tc.wantPassless {
				t.Errorf("passwordless_token_duration %d takes effect as %d, want %d", tc.setting, got, tc.wantPassless)
			}
		})
	}
}
