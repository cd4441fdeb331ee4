package catalog_test

import (
	"context"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
)

// siteProviders reads the identity-provider columns of a site row as one text, NULL shown as <null>.
func siteProviders(t *testing.T, env *catalogtest.Env, id int64) string {
	t.Helper()
	var row string
	err := env.DB.GetContext(context.Background(), &row, `SELECT concat_ws('|',
		coalesce(google_app_id, '<null>'), coalesce(google_app_id_ios, '<null>'),
		coalesce(google_app_id_android, '<null>'), coalesce(facebook_app_id, '<null>'),
		coalesce(auth0_base_url, '<null>'), coalesce(auth0_client_id, '<null>')) FROM catalog_sites WHERE id = $1`, id)
	if err != nil {
		t.Fatalf("read site %d: %v", id, err)
	}
	return row
}

func TestSiteIdentityProvidersSurviveReplays(t *testing.T) {
	t.Parallel()
	// Given the fixture catalog, then a change that unsets Facebook and moves the Auth0 tenant, projected
	env := catalogtest.New(t)
	runner := env.Start()
	c := catalogtest.Catalog()
	env.Project(runner, c)
	c.Sites[0].FacebookAppID = ""
	c.Sites[0].Auth0BaseURL = "https://login.example.com/"
	pos := env.Import(c)
	env.WaitFor(runner, pos)
	want := catalogtest.GoogleAppID + "|||" + "|https://login.example.com/|" + catalogtest.Auth0ClientID
	if got := siteProviders(t, env, catalogtest.SiteID); got != want {
		t.Fatalf("site row = %q, want %q", got, want)
	}
	before := snapshot(t, env)

	for replay := 1; replay <= 2; replay++ {
		// When the checkpoints are reset and a new runner applies the whole log again
		if _, err := env.DB.ExecContext(context.Background(), `DELETE FROM projection_checkpoints`); err != nil {
			t.Fatal(err)
		}
		env.WaitFor(env.Start(), pos)

		// Then the site rows hold exactly what they held
		if after := snapshot(t, env); after["catalog_sites"] != before["catalog_sites"] {
			t.Fatalf("replay %d changed catalog_sites:\nbefore %s\nafter  %s", replay, before["catalog_sites"], after["catalog_sites"])
		}
	}
}
