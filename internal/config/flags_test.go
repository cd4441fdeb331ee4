package config

import (
	"fmt"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// fromEnvAndFlags reads the configuration as the binary does: the environment, then the flags over it.
func fromEnvAndFlags(t *testing.T, args ...string) (Config, error) {
	t.Helper()
	c, err := FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	flags := pflag.NewFlagSet("pelcro", pflag.ContinueOnError)
	flags.SetOutput(new(strings.Builder))
	c.BindFlags(flags)
	return c, flags.Parse(args)
}

func TestFlagsOverrideTheEnvironment(t *testing.T) {
	// given every setting with a flag set in the environment
	t.Setenv(EnvDatabaseURL, "postgres://env/db")
	t.Setenv(EnvEventStoreURL, "esdb://env:2113")
	t.Setenv(EnvHTTPAddr, ":1")
	t.Setenv(EnvCORSOrigins, "https://env.example")
	t.Setenv(EnvTrustedProxy, "10.0.0.1")
	t.Setenv(EnvPublicURL, "https://env.example")
	t.Setenv(EnvDataDir, "/env")
	t.Setenv(EnvLogLevel, "error")
	t.Setenv(EnvGeoIPDB, "/env.mmdb")
	cases := []struct {
		name string
		args []string
		want string // the settings with a flag, as "%q"
	}{
		{"no flag keeps the environment", nil,
			`["postgres://env/db" "esdb://env:2113" ":1" ["https://env.example"] [10.0.0.1/32] "https://env.example" "/env" "ERROR" "/env.mmdb"]`},
		{"every flag wins", []string{"--database-url", "postgres://flag/db", "--eventstore-url", "", "--http-addr", ":2",
			"--cors-origins", " https://a.example, https://b.example", "--trusted-proxies", "10.0.0.0/8,fd00::/8",
			"--public-url", "https://api.example.com/", "--data-dir", "/flag", "--log-level", "debug", "--geoip-db", ""},
			`["postgres://flag/db" "" ":2" ["https://a.example" "https://b.example"] [10.0.0.0/8 fd00::/8] "https://api.example.com" "/flag" "DEBUG" ""]`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// when the flags are parsed over it
			c, err := fromEnvAndFlags(t, tc.args...)
			if err != nil {
				t.Fatal(err)
			}
			// then each setting holds the flag's value where one was given, the environment's otherwise
			got := fmt.Sprintf("%q", []any{c.DatabaseURL, c.EventStoreURL, c.HTTPAddr, c.CORSOrigins,
				fmt.Sprint(c.TrustedProxies), c.PublicURL, c.DataDir, c.LogLevel.String(), c.GeoIPDB})
			got = strings.NewReplacer(`"[`, `[`, `]"`, `]`).Replace(got)
			if got != tc.want {
				t.Errorf("settings = %s\nwant       %s", got, tc.want)
			}
		})
	}
}

func TestFlagsRefuseWhatTheEnvironmentRefuses(t *testing.T) {
	cases := []struct{ flag, value, wantErr string }{
		{"--trusted-proxies", "10.0.0.0/8,proxy.internal", `"proxy.internal" is neither an address nor a CIDR range`},
		{"--public-url", "api.example.com", `"api.example.com" is not an http(s) origin`},
		{"--log-level", "loud", `invalid argument "loud" for "--log-level"`},
	}
	for _, tc := range cases {
		t.Run(tc.flag, func(t *testing.T) {
			// given a malformed value on the command line, when it is parsed
			_, err := fromEnvAndFlags(t, tc.flag, tc.value)
			// then the parse fails and says why
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want it to contain %s", err, tc.wantErr)
			}
		})
	}
}
