package transport

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestCallerIP(t *testing.T) {
	t.Parallel()
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	cases := []struct {
		name, remote, forwarded string
		trusted                 []netip.Prefix
		want                    string
	}{
		{"direct caller", "198.51.100.7:4000", "", proxies, "198.51.100.7"},
		{"forwarded header of an untrusted peer is ignored", "198.51.100.7:4000", "203.0.113.9", proxies, "198.51.100.7"},
		{"no trusted proxies configured", "10.1.2.3:4000", "203.0.113.9", nil, "10.1.2.3"},
		{"behind a trusted proxy", "10.1.2.3:4000", "203.0.113.9", proxies, "203.0.113.9"},
		{"forged left-most entries are skipped", "10.1.2.3:4000", "1.2.3.4, 203.0.113.9, 10.9.9.9", proxies, "203.0.113.9"},
		{"IPv6 caller behind an IPv6 proxy", "[fd00::1]:4000", "2001:db8::42", proxies, "2001:db8::42"},
		{"IPv4-mapped peer is read as IPv4", "[::ffff:198.51.100.7]:4000", "", proxies, "198.51.100.7"},
		{"malformed chain falls back to the peer", "10.1.2.3:4000", "not-an-ip", proxies, "10.1.2.3"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a request from that peer with that header
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.remote
			if tc.forwarded != "" {
				r.Header.Set("X-Forwarded-For", tc.forwarded)
			}
			// when the caller is identified, then it is the expected address
			got, ok := callerIP(r, tc.trusted)
			if !ok || got != netip.MustParseAddr(tc.want) {
				t.Fatalf("callerIP = %v, %v; want %s", got, ok, tc.want)
			}
		})
	}
}
