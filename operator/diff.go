package operator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// Change is one field of the Customer resource that differs between two instants; Before or After is null
// when the customer did not exist then.
type Change struct {
	Field  string          `json:"field"`
	Before json.RawMessage `json:"before"`
	After  json.RawMessage `json:"after"`
}

// Diff returns the top-level fields of the Customer resource that differ between the instants from and to,
// by field name. A customer who did not exist at one of them shows every field changing from or to null.
func (o *Operator) Diff(ctx context.Context, customerID int64, from, to Instant) ([]Change, error) {
	before, err := o.fieldsAsOf(ctx, customerID, from)
	if err != nil {
		return nil, err
	}
	after, err := o.fieldsAsOf(ctx, customerID, to)
	if err != nil {
		return nil, err
	}
	var names []string
	for name := range before {
		names = append(names, name)
	}
	for name := range after {
		if _, ok := before[name]; !ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	changes := []Change{}
	for _, name := range names {
		b, a := orNull(before[name]), orNull(after[name])
		if !bytes.Equal(b, a) {
			changes = append(changes, Change{Field: name, Before: b, After: a})
		}
	}
	return changes, nil
}

// fieldsAsOf is the resource at the instant as JSON fields; none when the customer did not exist.
func (o *Operator) fieldsAsOf(ctx context.Context, customerID int64, at Instant) (map[string]json.RawMessage, error) {
	c, err := o.CustomerAsOf(ctx, customerID, at)
	if errors.Is(err, ErrNotYet) {
		return map[string]json.RawMessage{}, nil
	}
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("operator: diff: %w", err)
	}
	var fields map[string]json.RawMessage
	return fields, json.Unmarshal(raw, &fields)
}

func orNull(v json.RawMessage) json.RawMessage {
	if v == nil {
		return json.RawMessage("null")
	}
	return v
}
