package aggregates

import "strconv"

// parseFlatMetadata reads the metadata documents this code writes (one flat object of the Metadata fields,
// plain strings and a small integer) without encoding/json, which checks the whole document once before
// decoding it and goes through reflection for every field: that was a third of the decoding cost of a replay,
// for six fields. Anything it is not sure to read exactly as json.Unmarshal would (an escape, a null, another
// key, a key in other case, a number that is not a plain integer, invalid UTF-8) makes it return ok false, and
// the caller asks encoding/json, which then decides, errors included. s is at the start of the document; the
// strings returned are slices of s.text.
func parseFlatMetadata(s flatScanner) (md Metadata, ok bool) {
	if !s.skip('{') {
		return Metadata{}, false
	}
	if s.skip('}') {
		return md, s.atEnd()
	}
	for {
		key, ok := s.str()
		if !ok || !s.skip(':') {
			return Metadata{}, false
		}
		if key == "schema_version" {
			if md.SchemaVersion, ok = s.integer(); !ok {
				return Metadata{}, false
			}
		} else if field := md.stringField(key); field != nil {
			value, ok := s.str()
			if !ok {
				return Metadata{}, false
			}
			*field = value
		} else {
			return Metadata{}, false
		}
		if s.skip('}') {
			return md, s.atEnd()
		}
		if !s.skip(',') {
			return Metadata{}, false
		}
	}
}

// stringField returns the string field the JSON name names exactly (nil for any other name).
func (md *Metadata) stringField(name string) *string {
	switch name {
	case "command_id":
		return &md.CommandID
	case "correlation_id":
		return &md.CorrelationID
	case "causation_id":
		return &md.CausationID
	case "site_id":
		return &md.SiteID
	case "actor":
		return &md.Actor
	}
	return nil
}

// integer reads a JSON integer of at most nine digits: no sign, fraction, exponent or leading zero.
func (s *flatScanner) integer() (int, bool) {
	s.space()
	start := s.at
	for s.at < len(s.raw) && s.raw[s.at] >= '0' && s.raw[s.at] <= '9' {
		s.at++
	}
	digits := s.text[start:s.at]
	if len(digits) == 0 || len(digits) > 9 || (digits[0] == '0' && len(digits) > 1) {
		return 0, false
	}
	n, err := strconv.Atoi(digits)
	return n, err == nil
}
