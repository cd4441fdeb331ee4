package personaldata

import "bytes"

// mayHoldPersonalFields reports whether plaintext event data (no sealed value) may hold one of the personal
// fields names as a top-level member: only such an event needs its subject's keys, to read that field as
// null once the subject is erased (openEvent). An event whose personal fields are all absent (a free
// subscription's subscription.created carries no gift) then opens to itself, so reading it costs no keys
// lookup: every new subject's first event would otherwise miss the cache.
//
// It answers by bytes, without parsing: a member named n is written `"n"` in the data unless its name
// is escaped, so data holding a backslash anywhere is assumed to hold them.
//
// Warning: a false "no" would leave an erased subject's plaintext readable. Any change must keep every
// member openEvent would null reported here.
func mayHoldPersonalFields(data []byte, names []string) bool {
	if len(names) == 0 {
		return false
	}
	if bytes.IndexByte(data, '\\') >= 0 {
		return true
	}
	for _, name := range names {
		if bytes.Contains(data, []byte(`"`+name+`"`)) {
			return true
		}
	}
	return false
}
