package aggregates

import "unsafe"

// viewOf returns b's bytes as a string without copying them: the string and b share memory.
//
// It is the one unsafe conversion of this package, for the views (DecodeView, ParseMetadataView) of readers
// of the whole log, where copying every payload and metadata document into strings of their own was a
// quarter of the decoding's CPU and most of its allocations. Warning: a Go string must never change. Any
// write to b while the string (or a substring of it, kept in a decoded value) lives makes that value change
// under its holder, silently; and the string keeps all of b's backing array in memory.
func viewOf(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}
