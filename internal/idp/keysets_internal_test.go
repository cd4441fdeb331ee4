package idp

import (
	"net/http"
	"testing"
)

func TestKeySetsKeepTheMostRecentlyUsedWithinTheBound(t *testing.T) {
	t.Parallel()
	// Given a cache of two key sets holding a and b, a used last
	sets := newKeySets(http.DefaultClient, 2)
	a, b := sets.get("https://a.test/jwks"), sets.get("https://b.test/jwks")
	if sets.get("https://a.test/jwks") != a {
		t.Fatal("a second get of a made a new key set")
	}

	// When a third key set is needed
	sets.get("https://c.test/jwks")

	// Then b, the least recently used, was dropped (a new one would be fetched) and a kept
	if sets.get("https://a.test/jwks") != a {
		t.Fatal("a was dropped")
	}
	if sets.get("https://b.test/jwks") == b {
		t.Fatal("b was kept beyond the bound")
	}
	if n := sets.order.Len(); n != 2 {
		t.Fatalf("%d key sets cached, want 2", n)
	}
}
