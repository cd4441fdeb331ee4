package config

import "testing"

func TestEventStoreSelection(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		url      string
		wantKind EventStoreKind
		wantURL  string
		wantErr  bool
	}{
		{"unset uses the read-model database", "", EventStorePostgres, DefaultDatabaseURL, false},
		{"esdb single node", "esdb://localhost:2113?tls=false", EventStoreESDB, "esdb://localhost:2113?tls=false", false},
		{"esdb cluster discovery", "esdb+discover://a:2113,b:2113", EventStoreESDB, "esdb+discover://a:2113,b:2113", false},
		{"separate postgres", "postgres://u@db/events", EventStorePostgres, "postgres://u@db/events", false},
		{"unknown scheme", "mysql://x", "", "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a configuration with that event store URL
			c := Config{DatabaseURL: DefaultDatabaseURL, EventStoreURL: tc.url}
			// when the backend is chosen
			kind, url, err := c.EventStore()
			// then it is the expected one, or a clear error
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if kind != tc.wantKind || url != tc.wantURL {
				t.Fatalf("got (%q, %q), want (%q, %q)", kind, url, tc.wantKind, tc.wantURL)
			}
		})
	}
}

func TestFromEnvDefaults(t *testing.T) {
	// given no configuration in the environment
	t.Setenv(EnvDatabaseURL, "")
	t.Setenv(EnvEventStoreURL, "")
	t.Setenv(EnvHTTPAddr, "")
	t.Setenv(EnvCORSOrigins, "")
	// when it is read
	c := FromEnv()
	// then the documented defaults apply
	if c.DatabaseURL != DefaultDatabaseURL || c.HTTPAddr != DefaultHTTPAddr || c.EventStoreURL != "" || c.CORSOrigins != nil {
		t.Fatalf("defaults = %+v", c)
	}
}

func TestCORSOriginsAreACommaSeparatedList(t *testing.T) {
	// given origins with blanks and an empty item
	t.Setenv(EnvCORSOrigins, " https://a.example , ,https://b.example")
	// when read, then each origin is kept once, trimmed
	got := FromEnv().CORSOrigins
	if len(got) != 2 || got[0] != "https://a.example" || got[1] != "https://b.example" {
		t.Fatalf("CORSOrigins = %q", got)
	}
}
