package mail

import (
	"context"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
)

func TestAOneTimeTokenMailIsWrittenInTheLanguageItsEventNames(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, event, site string
		subject           string
	}{
		{"the customer's language, on a site that speaks another", "es", "de", "Su enlace de inicio de sesión en The Daily"},
		{"an event written before languages were recorded takes the site's default", "", "de", "Ihr Anmeldelink für The Daily"},
		{"a language the API does not speak takes the site's default", "xx", "fr", "Votre lien de connexion à The Daily"},
		{"a site without a language it speaks, English", "", "xx", "Your sign-in link for The Daily"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a site in a language, when a passwordless link naming a language is projected
			e := issued(7, customer.PurposePasswordless)
			e.Data.Language = tc.event
			queued := queuedTwice(t, 7, "The Daily", "https://daily.example.com/", tc.site,
				func(ctx context.Context, tx *sqlx.Tx) error { return queueOneTimeToken(derive)(ctx, tx, e) })
			// then its mail is written in the event's language, else the site's
			if len(queued) != 1 || queued[0].Subject != tc.subject {
				t.Fatalf("queued %+v, want one message titled %q", queued, tc.subject)
			}
		})
	}
}
