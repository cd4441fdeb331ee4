package aggregates

import (
	"encoding/binary"
	"unicode/utf8"
)

// flatScanner walks a JSON document of flat values; every method reports false on what it does not read.
// It reads the metadata of every event (parseFlatMetadata) and the payloads of the types that read
// themselves (FlatReader), so its string scan is on the path of every byte a rebuild or a replay decodes.
type flatScanner struct {
	raw  []byte
	text string // raw as a string
	at   int
}

func (s *flatScanner) space() {
	for s.at < len(s.raw) {
		switch s.raw[s.at] {
		case ' ', '\t', '\n', '\r':
			s.at++
		default:
			return
		}
	}
}

// skip consumes c after optional white space.
func (s *flatScanner) skip(c byte) bool {
	s.space()
	if s.at < len(s.raw) && s.raw[s.at] == c {
		s.at++
		return true
	}
	return false
}

func (s *flatScanner) atEnd() bool {
	s.space()
	return s.at == len(s.raw)
}

// str reads a string without escapes or control characters, in valid UTF-8.
//
// It skips eight plain bytes at a time (plainWord) and looks at single bytes only in the word that holds
// the closing quote or a byte it declines: a byte at a time, the scan was an eighth of a rebuild's Go CPU.
// Warning: the word loop must stop on every byte the byte loop treats specially, or str accepts a string
// encoding/json reads differently; FuzzFlatScannerStrReadsAsTheByteLoop holds the two together.
func (s *flatScanner) str() (string, bool) {
	if !s.skip('"') {
		return "", false
	}
	start, ascii := s.at, true
	for s.at+8 <= len(s.raw) {
		w := binary.LittleEndian.Uint64(s.raw[s.at:])
		if !plainWord(w) {
			break
		}
		ascii = ascii && w&highBits == 0
		s.at += 8
	}
	for ; s.at < len(s.raw); s.at++ {
		switch c := s.raw[s.at]; {
		case c == '"':
			value := s.text[start:s.at]
			s.at++
			return value, ascii || utf8.ValidString(value)
		case c == '\\' || c < 0x20:
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return "", false
}

const (
	lowBits  = 0x0101010101010101 // 0x01 in every byte
	highBits = 0x8080808080808080 // 0x80 in every byte
)

// plainWord reports whether none of the eight bytes of w is a quote, a backslash or a control character
// (below 0x20); bytes of 0x80 and above are plain (the caller notes them as not ASCII). The tests are the
// classic exact ones: a byte below n (n ≤ 0x80) sets its high bit in (w - n·lowBits) &^ w, and a byte equal
// to c is a zero byte of w ^ c·lowBits. A borrow only starts at a byte that already matched, so a word is
// never reported plain when it is not.
func plainWord(w uint64) bool {
	control := (w - 0x20*lowBits) &^ w
	quote := w ^ '"'*lowBits
	backslash := w ^ '\\'*lowBits
	return (control|(quote-lowBits)&^quote|(backslash-lowBits)&^backslash)&highBits == 0
}
