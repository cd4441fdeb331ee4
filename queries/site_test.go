package queries_test

import (
	"context"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
	"github.com/pelcro-oss/pelcro-api/queries"
)

func ptr[T any](v T) *T { return &v }

// identityProviders picks the identity-provider fields of a site, for comparisons.
func identityProviders(s queries.Site) []*string {
	return []*string{s.GoogleAppID, s.GoogleAppIDIOS, s.GoogleAppIDAndroid, s.FacebookAppID, s.Auth0BaseURL, s.Auth0ClientID}
}

func TestSiteIdentityProvidersFollowTheCatalog(t *testing.T) {
	t.Parallel()
	// Given the fixture catalog projected by a running runner (the news site has Google, Facebook and Auth0)
	env := catalogtest.New(t)
	runner := env.Start()
	c := catalogtest.Catalog()
	env.Project(runner, c)
	q := queries.NewCatalog(env.DB)
	ctx := context.Background()

	// When Facebook is unset, an iOS client id added and the other site given an Auth0 tenant
	c.Sites[0].FacebookAppID = ""
	c.Sites[0].GoogleAppIDIOS = "news-ios.apps.googleusercontent.com"
	c.Sites[1].Auth0BaseURL, c.Sites[1].Auth0ClientID = "https://quarterly.auth0.com/", "quarterly"
	env.Project(runner, c)

	// Then the sites show exactly the new settings, unset ones as nil
	news, err := q.Site(ctx, catalogtest.SiteID)
	check(t, "news site providers", identityProviders(news), err, []*string{ptr(catalogtest.GoogleAppID),
		ptr("news-ios.apps.googleusercontent.com"), nil, nil, ptr(catalogtest.Auth0BaseURL), ptr(catalogtest.Auth0ClientID)}, nil)
	other, err := q.Site(ctx, catalogtest.OtherSiteID)
	check(t, "other site providers", identityProviders(other), err, []*string{nil, nil, nil, nil,
		ptr("https://quarterly.auth0.com/"), ptr("quarterly")}, nil)
}

func TestSiteRowsProjectedBeforeTheProviderColumnsReadAsUnset(t *testing.T) {
	t.Parallel()
	// Given a site row as migration 00004 leaves a row projected before it: NULL in the provider columns
	env := catalogtest.New(t)
	env.WaitFor(env.Start(), env.Import(catalogtest.Catalog()))
	if _, err := env.DB.ExecContext(context.Background(), `UPDATE catalog_sites SET google_app_id = NULL,
		google_app_id_ios = NULL, google_app_id_android = NULL, facebook_app_id = NULL, auth0_base_url = NULL,
		auth0_client_id = NULL`); err != nil {
		t.Fatal(err)
	}

	// When the site is read
	site, err := queries.NewCatalog(env.DB).Site(context.Background(), catalogtest.SiteID)

	// Then it has no provider, and the rest of it is intact
	check(t, "providers", identityProviders(site), err, []*string{nil, nil, nil, nil, nil, nil}, nil)
	check(t, "name", site.Name, nil, "Example Publication", nil)
}
