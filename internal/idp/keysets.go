package idp

import (
	"container/list"
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
)

// keySets keeps one go-oidc RemoteKeySet (which caches the keys and refetches them when a token names a
// key it has not seen) per key set URL, the least recently used dropped beyond max. Auth0 key sets are per
// site, so the bound keeps a catalog of many tenants from growing memory without end.
type keySets struct {
	ctx context.Context // carries the HTTP client (oidc.ClientContext)
	max int

	mu    sync.Mutex
	order *list.List // of *keySetEntry, most recently used first
	byURL map[string]*list.Element
}

type keySetEntry struct {
	url string
	set *oidc.RemoteKeySet
}

func newKeySets(client *http.Client, maximum int) *keySets {
	return &keySets{ctx: oidc.ClientContext(context.Background(), client), max: maximum,
		order: list.New(), byURL: map[string]*list.Element{}}
}

// get returns the key set of url, creating it on first use.
func (k *keySets) get(url string) *oidc.RemoteKeySet {
	k.mu.Lock()
	defer k.mu.Unlock()
	if element, ok := k.byURL[url]; ok {
		k.order.MoveToFront(element)
		return element.Value.(*keySetEntry).set
	}
	entry := &keySetEntry{url: url, set: oidc.NewRemoteKeySet(k.ctx, url)}
	k.byURL[url] = k.order.PushFront(entry)
	for k.order.Len() > k.max {
		oldest := k.order.Back()
		k.order.Remove(oldest)
		delete(k.byURL, oldest.Value.(*keySetEntry).url)
	}
	return entry.set
}

// errRefreshTooSoon refuses a key set fetch made too soon after the previous one of the same URL.
var errRefreshTooSoon = errors.New("idp: key set fetched too recently")

// maxKeySetBytes bounds a key set response (real ones are a few kilobytes).
const maxKeySetBytes = 1 << 20

// throttledTransport lets at most one request per URL through every interval. RemoteKeySet refetches on
// every token naming an unknown key id, so without it anyone could make this server fetch Google's keys on
// every request. A token signed with a freshly rotated key is accepted once the interval has passed.
type throttledTransport struct {
	next     http.RoundTripper
	interval time.Duration
	now      func() time.Time

	mu   sync.Mutex
	last map[string]time.Time // bounded by the URLs keySets holds, plus those it dropped
}

func (t *throttledTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	url := req.URL.String()
	now := t.now()
	t.mu.Lock()
	last, seen := t.last[url]
	if seen && now.Sub(last) < t.interval {
		t.mu.Unlock()
		return nil, errRefreshTooSoon
	}
	t.last[url] = now
	if len(t.last) > 4*maxKeySetsDefault {
		t.forgetOld(now)
	}
	t.mu.Unlock()
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Body = limitedBody{Reader: io.LimitReader(resp.Body, maxKeySetBytes), Closer: resp.Body}
	return resp, nil
}

// forgetOld drops the times older than the interval, which no longer throttle anything.
func (t *throttledTransport) forgetOld(now time.Time) {
	for url, at := range t.last {
		if now.Sub(at) >= t.interval {
			delete(t.last, url)
		}
	}
}

type limitedBody struct {
	io.Reader
	io.Closer
}
