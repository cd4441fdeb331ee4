package config

import (
	"fmt"
	"strings"
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

func TestFromEnvParsesListsAndLevels(t *testing.T) {
	cases := []struct {
		variable, value string
		read            func(Config) string
		want            string
		wantErr         string // a part of the error, which names the variable
	}{
		{EnvTrustedProxy, "10.0.0.0/8, 192.0.2.7 ,fd00::/8", trustedProxies, "[10.0.0.0/8 192.0.2.7/32 fd00::/8]", ""},
		{EnvTrustedProxy, "10.1.2.3/8", trustedProxies, "[10.0.0.0/8]", ""},
		{EnvTrustedProxy, "::ffff:192.0.2.7", trustedProxies, "[192.0.2.7/32]", ""},
		{EnvTrustedProxy, "10.0.0.0/8,proxy.internal", trustedProxies, "", `"proxy.internal" is neither an address nor a CIDR range`},
		{EnvLogLevel, "", logLevel, "INFO", ""},
		{EnvLogLevel, "debug", logLevel, "DEBUG", ""},
		{EnvLogLevel, "WARN", logLevel, "WARN", ""},
		{EnvLogLevel, "error", logLevel, "ERROR", ""},
		{EnvLogLevel, "verbose", logLevel, "", `"verbose" is not debug, info, warn or error`},
	}
	for _, tc := range cases {
		t.Run(tc.variable+"="+tc.value, func(t *testing.T) {
			// given the variable set, when the configuration is read
			t.Setenv(tc.variable, tc.value)
			c, err := FromEnv()
			// then the value is normalised, or the start fails naming the variable and the bad entry
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.variable+": ") || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("FromEnv = %v, want an error naming %s and %s", err, tc.variable, tc.wantErr)
				}
				return
			}
			if err != nil || tc.read(c) != tc.want {
				t.Fatalf("%s = %v, %v; want %s", tc.variable, tc.read(c), err, tc.want)
			}
		})
	}
}

func trustedProxies(c Config) string { return fmt.Sprint(c.TrustedProxies) }
func logLevel(c Config) string       { return c.LogLevel.String() }

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
