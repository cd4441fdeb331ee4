package aggregates

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// Registry maps stable event names to Go types and back, and knows each event's current schema version and
// the upcasters that lift older stored shapes to it. Each aggregate package builds its own registry at
// package initialisation; Merge combines them for readers of the whole log (projections).
//
// Names are explicit strings ("customer.registered"), never derived from Go type names, so renaming or
// moving a Go type cannot orphan the events already stored. Warning: a registered name is a stored format;
// changing it is a migration, not a refactoring.
//
// A Registry is safe for concurrent use.
type Registry struct {
	mu     sync.RWMutex
	byName map[string]*eventType
	byType map[reflect.Type]*eventType
}

// eventType is one registration. It is never modified after Register, so registries may share it.
type eventType struct {
	name      string
	goType    reflect.Type
	upcasters []Upcaster // upcasters[i] reads version i+1
	// personal are the JSON names of the fields tagged personal (see PersonalTag).
	personal []string
	// parts maps a personal field tagged with a part to the member naming that part (see PersonalTag).
	parts map[string]string
	// secret are the JSON paths of the fields tagged secret (see SecretTag).
	secret []string
	// erasure says the type is an Erasure.
	erasure bool
	// flat reads the type's usual payloads without reflection, when the type is a FlatPayload.
	flat FlatPayload
}

// version is the current schema version: one more than the number of upcasts it takes to get here from 1.
func (t *eventType) version() int { return len(t.upcasters) + 1 }

// Upcaster turns the stored JSON of schema version From into the JSON of version From+1. Upcasters run at
// decode time, chained, so a handler only ever sees the newest Go type and stored events are never rewritten.
type Upcaster struct {
	From   int
	Upcast func(data json.RawMessage) (json.RawMessage, error)
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{byName: map[string]*eventType{}, byType: map[reflect.Type]*eventType{}}
}

// Register adds event type E (a struct, encoded by value) under name. Its schema version is one plus the
// number of upcasters, which must be given in order: the first reads version 1, the next version 2, and so
// on. Adding a field that old events lack needs no upcaster (it decodes as the zero value); renaming,
// retyping or re-meaning a field does: append an upcaster and the version goes up by one.
//
// Fields tagged `personal:"true"` are personal data (see PersonalTag); PersonalFields lists them.
//
// It returns an error when the name or the Go type is already registered (two meanings for one name, or
// an ambiguous name for one type), when the name is empty or contains white space, when E is not a struct,
// when the upcasters do not form the chain 1→2→…→n, or when a personal tag is on a field that cannot be
// sealed (see PersonalTag).
func Register[E any](r *Registry, name string, upcasters ...Upcaster) error {
	t := &eventType{name: name, goType: reflect.TypeFor[E](), upcasters: upcasters}
	if err := t.validate(); err != nil {
		return err
	}
	personal, parts, err := personalFields(name, t.goType)
	if err != nil {
		return err
	}
	t.personal, t.parts, t.erasure = personal, parts, t.goType.Implements(erasureType)
	t.secret = secretPaths(t.goType)
	t.flat, _ = any(*new(E)).(FlatPayload)
	return r.add(t)
}

// MustRegister is Register for package initialisation: it panics on error. A duplicate or malformed
// registration is a programming error that must stop the binary (and every test) at start-up, long before
// it could write or misread an event; this is the same choice as regexp.MustCompile.
func MustRegister[E any](r *Registry, name string, upcasters ...Upcaster) {
	if err := Register[E](r, name, upcasters...); err != nil {
		panic(err)
	}
}

// Merge returns a registry holding every registration of the given ones, for code that reads events of
// several aggregates. It fails on a name or Go type registered in more than one of them.
func Merge(registries ...*Registry) (*Registry, error) {
	merged := NewRegistry()
	for _, r := range registries {
		r.mu.RLock()
		types := make([]*eventType, 0, len(r.byName))
		for _, t := range r.byName {
			types = append(types, t)
		}
		r.mu.RUnlock()
		for _, t := range types {
			if err := merged.add(t); err != nil {
				return nil, err
			}
		}
	}
	return merged, nil
}

func (t *eventType) validate() error {
	if t.name == "" || strings.ContainsFunc(t.name, func(c rune) bool { return c <= ' ' }) {
		return fmt.Errorf("aggregates: register %v: invalid event name %q", t.goType, t.name)
	}
	if t.goType.Kind() != reflect.Struct {
		return fmt.Errorf("aggregates: register %q: event type %v is not a struct", t.name, t.goType)
	}
	for i, u := range t.upcasters {
		if u.From != i+1 || u.Upcast == nil {
			return fmt.Errorf("aggregates: register %q: upcaster %d must read version %d and have a func, got From=%d",
				t.name, i, i+1, u.From)
		}
	}
	return nil
}

func (r *Registry) add(t *eventType) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if existing, ok := r.byName[t.name]; ok {
		return fmt.Errorf("aggregates: event name %q registered twice (%v and %v)", t.name, existing.goType, t.goType)
	}
	if existing, ok := r.byType[t.goType]; ok {
		return fmt.Errorf("aggregates: Go type %v registered twice (%q and %q)", t.goType, existing.name, t.name)
	}
	r.byName[t.name] = t
	r.byType[t.goType] = t
	return nil
}

// GoType returns the Go type registered under name, so a reader of the log can tell whether it wants an
// event before paying for its decoding (false for a name nobody registered).
func (r *Registry) GoType(name string) (reflect.Type, bool) {
	t, ok := r.lookupName(name)
	if !ok {
		return nil, false
	}
	return t.goType, true
}

// Names returns every registered event name, sorted, for tools that must cover each one (the operator's
// plain-language describers are tested against it).
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.byName))
	for name := range r.byName {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}
