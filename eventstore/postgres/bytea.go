package postgres

import (
	"database/sql/driver"
	"encoding/hex"
	"strings"
)

// byteaArray is a bytea[] parameter that keeps nil elements NULL (pq.ByteaArray writes them as empty
// values), so an event appended without metadata reads back with nil metadata.
type byteaArray [][]byte

// Value encodes the array in PostgreSQL's text form: {NULL,"\\x0a0b"}.
func (a byteaArray) Value() (driver.Value, error) {
	if a == nil {
		return nil, nil
	}
	size := 2
	for _, element := range a {
		size += 6 + hex.EncodedLen(len(element))
	}
	var b strings.Builder
	b.Grow(size)
	b.WriteByte('{')
	for i, element := range a {
		if i > 0 {
			b.WriteByte(',')
		}
		if element == nil {
			b.WriteString("NULL")
			continue
		}
		b.WriteString(`"\\x`)
		b.WriteString(hex.EncodeToString(element))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String(), nil
}
