package commands

import "sync"

// keyedLocks serialises, within this process, the commands of one key (a stream) while commands of other
// keys run freely: a lock per key in use, dropped when its last holder leaves. It is a courtesy, not the
// guard: optimistic concurrency on the append keeps several processes correct; the lock only spares
// same-process writers of one hot stream from losing their retries to each other.
type keyedLocks struct {
	mu    sync.Mutex
	locks map[string]*keyedLock
}

type keyedLock struct {
	sync.Mutex
	users int
}

// lock waits for key's lock and returns its release.
func (k *keyedLocks) lock(key string) (unlock func()) {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*keyedLock{}
	}
	l, ok := k.locks[key]
	if !ok {
		l = &keyedLock{}
		k.locks[key] = l
	}
	l.users++
	k.mu.Unlock()
	l.Lock()
	return func() {
		l.Unlock()
		k.mu.Lock()
		if l.users--; l.users == 0 {
			delete(k.locks, key)
		}
		k.mu.Unlock()
	}
}
