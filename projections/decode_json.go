package projections

import (
	jsonv2 "github.com/go-json-experiment/json"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

// unmarshalPayload parses an event's payload for the projections: encoding/json's Unmarshal as JSON v2
// implements it (github.com/go-json-experiment/json with its v1 options, the code encoding/json itself
// runs on under GOEXPERIMENT=jsonv2). It gives the values encoding/json gives (case-insensitive field names,
// unknown fields ignored, float64 numbers in an any, the types' own UnmarshalJSON methods) without
// encoding/json's separate validation pass and its allocation per field: on a newsletter payload it costs
// under half the CPU and 3 allocations instead of 17, and decoding payloads was a quarter of a replay's Go
// CPU.
//
// Warning: the commands still decode through encoding/json, so both must keep reading every registered
// type alike; TestPayloadsDecodeAsEncodingJSONDecodesThem holds them together. Upgrading the module is a
// change to the projections' reading of the log: run that test.
func unmarshalPayload(data []byte, v any) error {
	return jsonv2.Unmarshal(data, v, payloadOptions)
}

// payloadOptions are encoding/json's semantics, built once.
var payloadOptions = jsonv1.DefaultOptionsV1()
