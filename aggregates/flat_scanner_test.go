package aggregates

import (
	"encoding/binary"
	"strings"
	"testing"
	"unicode/utf8"
)

// byteLoopStr is the reference for flatScanner.str: the same rules, one byte at a time.
func byteLoopStr(raw []byte) (value string, end int, ok bool) {
	s := flatScanner{raw: raw, text: string(raw)}
	if !s.skip('"') {
		return "", 0, false
	}
	start := s.at
	for i := start; i < len(raw); i++ {
		switch c := raw[i]; {
		case c == '"':
			value = string(raw[start:i])
			return value, i + 1, utf8.ValidString(value)
		case c == '\\' || c < 0x20:
			return "", 0, false
		}
	}
	return "", 0, false
}

// strSeeds are strings around the eight-byte words: each special byte at every offset, long and short,
// multi-byte and invalid UTF-8 split across words.
func strSeeds() []string {
	seeds := []string{`""`, `"a"`, `"`, ``, `x`, ` "ab"`, `"abcdefg"`, `"abcdefgh"`, `"abcdefghi"`,
		`"https://news.example.com/signup"`, `"I agree to receive the newsletter"`, `"café au lait, s'il vous plaît"`,
		"\"abcdefg\xc3\xa9xyz\"", "\"abcdefg\xc3\"", "\"abcdefgh\xff\"", `"abcdefgh`, "\"abc\x7fdefghijk\""}
	for _, special := range []string{`"`, `\`, "\x00", "\x1f", "\n", "\x20", "\x7f", "\x80", "\xe9"} {
		for offset := range 17 {
			seeds = append(seeds, `"`+strings.Repeat("a", offset)+special+strings.Repeat("b", 9)+`"`)
		}
	}
	return seeds
}

func TestFlatScannerStrReadsAsTheByteLoop(t *testing.T) {
	t.Parallel()
	for _, seed := range strSeeds() {
		assertStrReadsAsTheByteLoop(t, []byte(seed))
	}
}

func FuzzFlatScannerStrReadsAsTheByteLoop(f *testing.F) {
	for _, seed := range strSeeds() {
		f.Add([]byte(seed))
	}
	f.Fuzz(assertStrReadsAsTheByteLoop)
}

// assertStrReadsAsTheByteLoop checks that str accepts what the byte loop accepts, with the same value and
// the scanner left after the same closing quote.
func assertStrReadsAsTheByteLoop(t *testing.T, raw []byte) {
	wantValue, wantEnd, wantOK := byteLoopStr(raw)
	s := flatScanner{raw: raw, text: string(raw)}
	value, ok := s.str()
	if ok != wantOK || (ok && (value != wantValue || s.at != wantEnd)) {
		t.Fatalf("str(%q) = %q, %v, at %d; the byte loop reads %q, %v, at %d", raw, value, ok, s.at, wantValue, wantOK, wantEnd)
	}
}

func TestPlainWordStopsOnEverySpecialByteAtEveryOffset(t *testing.T) {
	t.Parallel()
	for _, fill := range []byte{'a', ' ', '~', 0x80, 0xff} {
		for b := range 256 {
			for offset := range 8 {
				word := []byte(strings.Repeat(string(fill), 8))
				word[offset] = byte(b)
				special := b == '"' || b == '\\' || b < 0x20
				if got := plainWord(binary.LittleEndian.Uint64(word)); got == special {
					t.Fatalf("plainWord(%q) = %v, want %v", word, got, !special)
				}
			}
		}
	}
}
