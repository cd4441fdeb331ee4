package config

import (
	"fmt"
	"testing"
)

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
	t.Setenv(EnvTrustedProxy, "")
	// when it is read
	c, err := FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	// then the documented defaults apply
	if c.DatabaseURL != DefaultDatabaseURL || c.HTTPAddr != DefaultHTTPAddr || c.EventStoreURL != "" || c.CORSOrigins != nil {
		t.Fatalf("defaults = %+v", c)
	}
}

func TestCORSOriginsAreACommaSeparatedList(t *testing.T) {
	// given origins with blanks and an empty item
	t.Setenv(EnvCORSOrigins, " https://a.example , ,https://b.example")
	// when read, then each origin is kept once, trimmed
	c, err := FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	got := c.CORSOrigins
	if len(got) != 2 || got[0] != "https://a.example" || got[1] != "https://b.example" {
		t.Fatalf("CORSOrigins = %q", got)
	}
}

func TestTrustedProxies(t *testing.T) {
	cases := []struct {
		value   string
		want    string
		wantErr bool
	}{
		{value: "10.0.0.0/8, 192.0.2.7 ,fd00::/8", want: "[10.0.0.0/8 192.0.2.7/32 fd00::/8]"},
		{value: "10.1.2.3/8", want: "[10.0.0.0/8]"},
		{value: "::ffff:192.0.2.7", want: "[192.0.2.7/32]"},
		{value: "10.0.0.0/8,proxy.internal", wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.value, func(t *testing.T) {
			// given the variable set, when the configuration is read
			t.Setenv(EnvTrustedProxy, tc.value)
			c, err := FromEnv()
			// then the ranges are normalised, or the bad entry is named
			if tc.wantErr {
				if err == nil {
					t.Fatalf("FromEnv accepted %q", tc.value)
				}
				return
			}
			if err != nil || fmt.Sprint(c.TrustedProxies) != tc.want {
				t.Fatalf("TrustedProxies = %v, %v; want %s", c.TrustedProxies, err, tc.want)
			}
		})
	}
}

func TestPublicURLAndDataDir(t *testing.T) {
	cases := []struct {
		name, publicURL, dataDir string
		wantURL, wantDir         string
		wantErr                  bool
	}{
		{name: "defaults", wantURL: DefaultPublicURL, wantDir: DefaultDataDir},
		{name: "trailing slash dropped", publicURL: "https://api.example.com/", dataDir: "/var/lib/pelcro",
			wantURL: "https://api.example.com", wantDir: "/var/lib/pelcro"},
		{name: "not an origin", publicURL: "api.example.com", wantErr: true},
		{name: "other scheme", publicURL: "ftp://api.example.com", wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// given the public URL and data directory in the environment
			t.Setenv(EnvPublicURL, tc.publicURL)
			t.Setenv(EnvDataDir, tc.dataDir)
			// when the configuration is read
			c, err := FromEnv()
			// then the URL is an http(s) origin without a trailing slash, or the start fails
			if tc.wantErr {
				if err == nil {
					t.Fatalf("FromEnv accepted %q", tc.publicURL)
				}
				return
			}
			if err != nil || c.PublicURL != tc.wantURL || c.DataDir != tc.wantDir {
				t.Fatalf("FromEnv = %q %q, %v; want %q %q", c.PublicURL, c.DataDir, err, tc.wantURL, tc.wantDir)
			}
		})
	}
}

func TestMasterKeysFromEnv(t *testing.T) {
	// given a master key and two previous ones in the environment
	t.Setenv(EnvMasterKey, "bmV3LWtleQ==")
	t.Setenv(EnvMasterKeyPrev, " b2xkLTE= ,b2xkLTI=")
	// when read, then the current key is kept as given and the previous ones as a list
	c, err := FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if c.MasterKey != "bmV3LWtleQ==" || len(c.PreviousMasterKeys) != 2 || c.PreviousMasterKeys[1] != "b2xkLTI=" {
		t.Fatalf("master keys = %q, %q", c.MasterKey, c.PreviousMasterKeys)
	}
}
