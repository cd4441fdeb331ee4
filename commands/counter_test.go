package commands_test

import (
	"encoding/json"
	"errors"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// The counter is the pipeline's test aggregate: opened with a maximum, then incremented up to it.

type counterEvent interface{ isCounterEvent() }

type counterOpened struct {
	Max int `json:"max"`
}

// counterIncremented is at schema version 2: version 1 stored the step as "amount".
type counterIncremented struct {
	By int `json:"by"`
}

func (counterOpened) isCounterEvent()      {}
func (counterIncremented) isCounterEvent() {}

type counter struct {
	opened bool
	max    int
	value  int
}

var (
	errNotOpened = errors.New("counter not opened")
	errOverMax   = errors.New("counter would exceed its maximum")
)

func amountToBy(data json.RawMessage) (json.RawMessage, error) {
	var v1 struct {
		Amount int `json:"amount"`
	}
	if err := json.Unmarshal(data, &v1); err != nil {
		return nil, err
	}
	return json.Marshal(counterIncremented{By: v1.Amount})
}

var counterEvents = func() *aggregates.Registry {
	r := aggregates.NewRegistry()
	aggregates.MustRegister[counterOpened](r, "counter.opened")
	aggregates.MustRegister[counterIncremented](r, "counter.incremented",
		aggregates.Upcaster{From: 1, Upcast: amountToBy})
	return r
}()

func evolveCounter(s counter, e counterEvent) counter {
	switch e := e.(type) {
	case counterOpened:
		s.opened, s.max = true, e.Max
	case counterIncremented:
		s.value += e.By
	}
	return s
}

var counterAggregate = commands.Aggregate[counter, counterEvent]{
	Registry:     counterEvents,
	Evolve:       evolveCounter,
	StreamPrefix: "counter-",
}

// openCounter is idempotent: opening an open counter changes nothing.
func openCounter(max int) func(counter) ([]counterEvent, error) {
	return func(s counter) ([]counterEvent, error) {
		if s.opened {
			return nil, nil
		}
		return []counterEvent{counterOpened{Max: max}}, nil
	}
}

// increment is deliberately not idempotent: deciding it twice increments twice.
func increment(by int) func(counter) ([]counterEvent, error) {
	return func(s counter) ([]counterEvent, error) {
		if !s.opened {
			return nil, errNotOpened
		}
		if s.value+by > s.max {
			return nil, errOverMax
		}
		return []counterEvent{counterIncremented{By: by}}, nil
	}
}
