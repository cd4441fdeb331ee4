// Package aggregates holds the pure domain: one sub-package per aggregate (events, state, decide functions,
// domain errors) and, here, what they share: the event registry that gives every event a stable name and a
// schema version, upcasters that read older stored shapes, and the metadata written next to every event.
//
// Everything under aggregates imports the standard library only. No I/O, no clock, no SQL: decide
// functions receive the current time and every other input as arguments, so they are deterministic and can be
// tested with aggtest without any infrastructure.
package aggregates
