package geo

import (
	"fmt"
	"net/netip"
	"strconv"

	"github.com/oschwald/maxminddb-golang/v2"
)

// Database locates addresses in a MaxMind-format database (GeoIP2 or GeoLite2 City or Country, or any
// database with their record layout), opened once at start. The zero Database has no file and knows no
// address: the server then relies on its CDN's headers alone (PELCRO_GEOIP_DB unset).
type Database struct {
	reader *maxminddb.Reader
}

// OpenDatabase opens and memory-maps the database at path; a missing or unreadable file is an error, so a
// mistyped PELCRO_GEOIP_DB stops the server at start rather than silently locating nobody.
func OpenDatabase(path string) (*Database, error) {
	reader, err := maxminddb.Open(path)
	if err != nil {
		return nil, fmt.Errorf("geo: open the GeoIP database %s: %w", path, err)
	}
	return &Database{reader: reader}, nil
}

// Close releases the file; the Database knows no address afterwards.
func (d *Database) Close() error {
	if d == nil || d.reader == nil {
		return nil
	}
	err := d.reader.Close()
	d.reader = nil
	return err
}

// record is the part of a GeoIP2 City (or Country) record the API shows.
type record struct {
	City struct {
		Names map[string]string `maxminddb:"names"`
	} `maxminddb:"city"`
	Continent struct {
		Code string `maxminddb:"code"`
	} `maxminddb:"continent"`
	Country struct {
		ISOCode           string `maxminddb:"iso_code"`
		IsInEuropeanUnion bool   `maxminddb:"is_in_european_union"`
	} `maxminddb:"country"`
	Location struct {
		Latitude  *float64 `maxminddb:"latitude"`
		Longitude *float64 `maxminddb:"longitude"`
		MetroCode uint     `maxminddb:"metro_code"`
		TimeZone  string   `maxminddb:"time_zone"`
	} `maxminddb:"location"`
	Postal struct {
		Code string `maxminddb:"code"`
	} `maxminddb:"postal"`
	Subdivisions []struct {
		ISOCode string            `maxminddb:"iso_code"`
		Names   map[string]string `maxminddb:"names"`
	} `maxminddb:"subdivisions"`
}

// Locate returns where addr is, the zero Location when the database has no record of it (or there is no
// database), or an error when the record cannot be read (a corrupt file). Names are the English ones.
func (d *Database) Locate(addr netip.Addr) (Location, error) {
	if d == nil || d.reader == nil || !addr.IsValid() {
		return Location{}, nil
	}
	var rec record
	result := d.reader.Lookup(addr.Unmap())
	if !result.Found() {
		return Location{}, result.Err()
	}
	if err := result.Decode(&rec); err != nil {
		return Location{}, fmt.Errorf("geo: the GeoIP record of %s: %w", addr, err)
	}
	return rec.reported().location(), nil
}

func (rec record) reported() reported {
	r := reported{
		country:   rec.Country.ISOCode,
		city:      rec.City.Names["en"],
		continent: rec.Continent.Code,
		timezone:  rec.Location.TimeZone,
		postal:    rec.Postal.Code,
		inEU:      &rec.Country.IsInEuropeanUnion,
	}
	if rec.Location.Latitude != nil && rec.Location.Longitude != nil {
		r.latitude = strconv.FormatFloat(*rec.Location.Latitude, 'f', -1, 64)
		r.longitude = strconv.FormatFloat(*rec.Location.Longitude, 'f', -1, 64)
	}
	if rec.Location.MetroCode != 0 {
		r.metro = strconv.FormatUint(uint64(rec.Location.MetroCode), 10)
	}
	if len(rec.Subdivisions) > 0 {
		r.region, r.regionCode = rec.Subdivisions[0].Names["en"], rec.Subdivisions[0].ISOCode
	}
	return r
}
