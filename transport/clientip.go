package transport

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// callerIP returns the address of the caller: the connection's peer, or — only when that peer is one of the
// trusted proxies — the right-most X-Forwarded-For entry that is not itself a trusted proxy. Entries further
// left were written by the client and can be forged, so they are never believed.
func callerIP(r *http.Request, trusted []netip.Prefix) (netip.Addr, bool) {
	peer, ok := peerIP(r)
	if !ok {
		return netip.Addr{}, false
	}
	if !isTrusted(peer, trusted) {
		return peer, true
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return peer, true // a malformed chain: fall back to what we know
		}
		if hop = hop.Unmap(); !isTrusted(hop, trusted) {
			return hop, true
		}
	}
	return peer, true
}

// viaTrustedProxy reports whether the connection's peer is one of the trusted proxies, so that the headers
// it adds about the caller (X-Forwarded-For, a CDN's location headers) can be believed.
func viaTrustedProxy(r *http.Request, trusted []netip.Prefix) bool {
	peer, ok := peerIP(r)
	return ok && isTrusted(peer, trusted)
}

// peerIP is the address of the connection's peer.
func peerIP(r *http.Request) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, false
	}
	return peer.Unmap(), true
}

func isTrusted(addr netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}
