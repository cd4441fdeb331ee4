package config

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"
)

// The settings that need parsing are text types, so the environment (FromEnv) and the command line
// (BindFlags) read them with the same code and refuse the same malformed values.

// proxyList is a comma-separated list of addresses ("10.0.0.1") and ranges ("10.0.0.0/8", "fd00::/8").
type proxyList []netip.Prefix

func (l *proxyList) UnmarshalText(text []byte) error {
	var out proxyList
	for _, item := range splitList(string(text)) {
		if prefix, err := netip.ParsePrefix(item); err == nil {
			out = append(out, prefix.Masked())
			continue
		}
		addr, err := netip.ParseAddr(item)
		if err != nil {
			return fmt.Errorf("%q is neither an address nor a CIDR range", item)
		}
		out = append(out, netip.PrefixFrom(addr.Unmap(), addr.Unmap().BitLen()))
	}
	*l = out
	return nil
}

func (l proxyList) MarshalText() ([]byte, error) {
	items := make([]string, len(l))
	for i, prefix := range l {
		items[i] = prefix.String()
	}
	return []byte(strings.Join(items, ",")), nil
}

// textList is a comma-separated list of words, blanks ignored.
type textList []string

func (l *textList) UnmarshalText(text []byte) error {
	*l = splitList(string(text))
	return nil
}

func (l textList) MarshalText() ([]byte, error) { return []byte(strings.Join(l, ",")), nil }

// splitList reads a comma-separated list, ignoring blanks.
func splitList(list string) []string {
	var out []string
	for _, item := range strings.Split(list, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// origin is an http(s) origin without a trailing slash ("https://api.example.com").
type origin string

func (o *origin) UnmarshalText(text []byte) error {
	u, err := url.Parse(string(text))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) origin", text)
	}
	*o = origin(strings.TrimSuffix(string(text), "/"))
	return nil
}

func (o origin) MarshalText() ([]byte, error) { return []byte(o), nil }
