package postgres

import (
	"net/url"
	"os"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// binaryConnConfig reads the Store's URL for the binary connections (binaryConns) so they connect as the
// database/sql pool does. lib/pq and pgconn read the same URL but differ where it says nothing:
//
//   - TLS: with no sslmode (in the URL or PGSSLMODE), lib/pq requires TLS and pgconn only prefers it, falling
//     back to a plaintext connection. The event log, payloads included, must never travel in the clear where
//     the pool's connections would refuse to, so a missing sslmode becomes require. Both check the server's
//     certificate against ~/.postgresql/root.crt when that file exists and no sslrootcert is given (pgconn
//     treats require with a root certificate as verify-ca), but pgconn reads the file even where TLS is off.
//   - Keys only lib/pq reads (libpqOnlyKeys): pgconn would send them to the server as settings, and the server
//     ends a session that names a setting it does not know.
//
// Warning: a URL that connects the pool must connect these too, or every ReadAll fails while the rest of the
// Store works; keep this in step with lib/pq when either library is upgraded.
func binaryConnConfig(connString string) (*pgconn.Config, error) {
	mode, set := setting(connString, "sslmode")
	if !set {
		mode = os.Getenv("PGSSLMODE")
	}
	switch mode {
	case "":
		connString = withSetting(connString, "sslmode", "require")
	case "disable", "allow":
		// pgconn reads ~/.postgresql/root.crt by default even without TLS, and fails on one it cannot parse
		connString = withSetting(connString, "sslrootcert", "")
	}
	config, err := pgconn.ParseConfig(connString)
	if err != nil {
		return nil, err
	}
	for _, key := range libpqOnlyKeys {
		delete(config.RuntimeParams, key)
	}
	config.RuntimeParams["client_encoding"] = "UTF8" // names arrive as raw bytes; lib/pq asks for UTF8 alike
	return config, nil
}

// libpqOnlyKeys are connection settings lib/pq (v1.12) reads itself that pgconn does not know.
var libpqOnlyKeys = []string{"binary_parameters", "disable_prepared_binary_result", "fallback_application_name",
	"load_balance_hosts", "hostaddr", "tz", "ssl_min_protocol_version", "ssl_max_protocol_version", "sslinline"}

// isURL tells a postgres:// URL from a key=value connection string.
func isURL(connString string) bool {
	return strings.HasPrefix(connString, "postgres://") || strings.HasPrefix(connString, "postgresql://")
}

// setting returns the value the connection string gives key, and whether it gives one.
func setting(connString, key string) (string, bool) {
	if isURL(connString) {
		u, err := url.Parse(connString)
		if err != nil || !u.Query().Has(key) {
			return "", false
		}
		return u.Query().Get(key), true
	}
	m := regexp.MustCompile(`(^|\s)` + regexp.QuoteMeta(key) + `\s*=\s*'?([^'\s]*)`).FindStringSubmatch(connString)
	if m == nil {
		return "", false
	}
	return m[2], true
}

// withSetting adds key=value to the connection string.
func withSetting(connString, key, value string) string {
	if isURL(connString) {
		u, err := url.Parse(connString)
		if err != nil {
			return connString // ParseConfig reports it
		}
		q := u.Query()
		q.Set(key, value)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return connString + " " + key + "='" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(value) + "'"
}
