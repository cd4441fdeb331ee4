package personaldata

import "errors"

// keyFlight is one lookup of subjects' keys in progress. Readers that miss the cache for one of its
// subjects wait for it instead of sending the same query: every projection reading a new subject's first
// event (a subscription just created) asks for its keys at about the same moment, and without flights
// each of them queried PostgreSQL on its own.
type keyFlight struct {
	// epoch is the cache's eviction count when the lookup started: only a reader that sees the same count
	// may share its answer, since an eviction since (an erasure read) may make that answer stale.
	epoch uint64
	done  chan struct{}
	// found and err are the lookup's answer, set before done is closed and never changed after.
	found map[string]*subjectKeys
	err   error
}

// keyPlan is how a reader gets the keys of the subjects it needs: from the cache, from flights other
// readers started, or by looking up the rest itself under flight (nil when nothing is left).
type keyPlan struct {
	cached map[string]*subjectKeys
	joined map[string]*keyFlight
	mine   []string
	flight *keyFlight
}

// plan sorts subjects into cached ones, ones a flight of the current epoch is looking up already, and the
// rest, which the caller looks up itself under the flight it is given: it must call land with the answer,
// whatever happens, or readers waiting for it wait until their context ends.
func (c *keyCache) plan(subjects []string) keyPlan {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := keyPlan{cached: map[string]*subjectKeys{}, joined: map[string]*keyFlight{}}
	for _, subject := range subjects {
		if keys, ok := c.getLocked(subject); ok {
			p.cached[subject] = keys
		} else if f, ok := c.flights[subject]; ok && f.epoch == c.evictions {
			p.joined[subject] = f
		} else {
			p.mine = append(p.mine, subject)
		}
	}
	if len(p.mine) > 0 {
		p.flight = &keyFlight{epoch: c.evictions, done: make(chan struct{})}
		for _, subject := range p.mine {
			c.flights[subject] = p.flight
		}
	}
	return p
}

// land ends flight with the lookup's answer: it caches found (unless an eviction happened since the
// flight started, as put does) and wakes the readers waiting for it.
func (c *keyCache) land(flight *keyFlight, subjects []string, found map[string]*subjectKeys, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, subject := range subjects {
		if c.flights[subject] == flight {
			delete(c.flights, subject)
		}
	}
	if err == nil {
		c.putLocked(flight.epoch, found)
	}
	flight.found, flight.err = found, err
	close(flight.done)
}

// errLookupPanicked is the answer of a flight whose lookup panicked: its waiters look the subjects up
// themselves, as after any failed lookup.
var errLookupPanicked = errors.New("personaldata: the key lookup this read waited for panicked")
