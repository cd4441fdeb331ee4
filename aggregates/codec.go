package aggregates

import (
	"encoding/json"
	"fmt"
	"reflect"
)

// EncodedEvent is an event ready for the store: its stable name, its JSON payload and the schema version
// to record in its Metadata.
type EncodedEvent struct {
	Name          string
	Data          []byte
	SchemaVersion int
}

// Encode turns a registered event value into its stored form, always in the newest schema version. It
// returns an error wrapping ErrUnregisteredType for a type nobody registered (including a pointer to a
// registered struct: events are values).
func (r *Registry) Encode(event any) (EncodedEvent, error) {
	t, ok := r.lookupType(reflect.TypeOf(event))
	if !ok {
		return EncodedEvent{}, fmt.Errorf("aggregates: encode %T: %w", event, ErrUnregisteredType)
	}
	data, err := json.Marshal(event)
	if err != nil {
		return EncodedEvent{}, fmt.Errorf("aggregates: encode %q: %w", t.name, err)
	}
	return EncodedEvent{Name: t.name, Data: data, SchemaVersion: t.version()}, nil
}

// Unmarshal parses JSON into the value v points to, the way encoding/json.Unmarshal does.
type Unmarshal func(data []byte, v any) error

// Decode turns a stored event into a value of its newest Go type (not a pointer), running the upcasters from
// the stored version on; a FlatPayload type reads the payload itself when it can. An unregistered name gives
// an *UnknownEventError; a version outside 1..current gives an error wrapping ErrUnsupportedSchemaVersion.
func (r *Registry) Decode(name string, version int, data []byte) (any, error) {
	return r.DecodeWith(json.Unmarshal, name, version, data)
}

// DecodeWith is Decode with the payload (after the upcasters, when a FlatPayload type declines it) parsed
// by unmarshal instead of encoding/json, for readers of the whole log that bring a faster parser. Warning:
// unmarshal must give the values encoding/json gives for every registered type (same field matching, same
// zero values, same numbers in an any): the projections and the commands must read one log the same way.
func (r *Registry) DecodeWith(unmarshal Unmarshal, name string, version int, data []byte) (any, error) {
	return r.decode(unmarshal, name, version, data, NewFlatReader)
}

// DecodeView is DecodeWith for data that never changes while the value lives: a FlatPayload's strings are
// then slices of data itself instead of a copy of it, which spares readers of the whole log (rebuilds,
// replays) a copy and an allocation per event.
//
// Warning: the value's strings share data's memory. Writing to data afterwards changes them (Go strings are
// assumed never to), and each keeps all of data's backing array in memory: use it only for bytes nobody
// writes again (the store's events) and values dropped with them (one page of a rebuild), never for a
// value a long-lived cache keeps.
func (r *Registry) DecodeView(unmarshal Unmarshal, name string, version int, data []byte) (any, error) {
	return r.decode(unmarshal, name, version, data, viewFlatReader)
}

// decode is DecodeWith and DecodeView; reader starts a FlatPayload's reading of the (upcast) payload.
func (r *Registry) decode(unmarshal Unmarshal, name string, version int, data []byte, reader func([]byte) FlatReader) (any, error) {
	t, ok := r.lookupName(name)
	if !ok {
		return nil, &UnknownEventError{Name: name}
	}
	if version < 1 || version > t.version() {
		return nil, fmt.Errorf("aggregates: decode %q version %d (this build reads 1..%d): %w",
			name, version, t.version(), ErrUnsupportedSchemaVersion)
	}
	raw := json.RawMessage(data)
	for _, u := range t.upcasters[version-1:] {
		upcast, err := u.Upcast(raw)
		if err != nil {
			return nil, fmt.Errorf("aggregates: upcast %q from version %d: %w", name, u.From, err)
		}
		raw = upcast
	}
	if t.flat != nil {
		if value, ok := t.flat.ReadFlat(reader(raw)); ok {
			return value, nil
		}
	}
	value := reflect.New(t.goType)
	if err := unmarshal(raw, value.Interface()); err != nil {
		return nil, fmt.Errorf("aggregates: decode %q version %d: %w", name, version, err)
	}
	return value.Elem().Interface(), nil
}

func (r *Registry) lookupName(name string) (*eventType, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	t, ok := r.byName[name]
	return t, ok
}

func (r *Registry) lookupType(goType reflect.Type) (*eventType, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	t, ok := r.byType[goType]
	return t, ok
}
