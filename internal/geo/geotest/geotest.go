// Package geotest writes small MaxMind-format databases for tests, so no test depends on a licensed GeoIP
// download: each test states the few networks it needs and where they are.
package geotest

import (
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// City is one network's record in the GeoIP2 City layout. Zero fields are left out of the record, as a
// real database leaves out what it does not know.
type City struct {
	Network    string // CIDR, e.g. "198.51.100.0/24" (documentation ranges are allowed)
	Country    string
	InEU       bool
	Continent  string
	City       string
	Postal     string
	Region     string // the first subdivision's English name
	RegionCode string
	Latitude   float64
	Longitude  float64
	MetroCode  uint
	TimeZone   string
}

// WriteDatabase writes the cities to a database in t's temporary directory and returns its path.
func WriteDatabase(t testing.TB, cities ...City) string {
	t.Helper()
	tree, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: "GeoIP2-City", IncludeReservedNetworks: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cities {
		_, network, err := net.ParseCIDR(c.Network)
		if err != nil {
			t.Fatal(err)
		}
		if err := tree.Insert(network, c.record()); err != nil {
			t.Fatalf("insert %s: %v", c.Network, err)
		}
	}
	path := filepath.Join(t.TempDir(), "city.mmdb")
	file, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tree.WriteTo(file); err != nil {
		t.Fatal(err)
	}
	if err := file.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func (c City) record() mmdbtype.Map {
	record := mmdbtype.Map{}
	if c.Country != "" {
		record["country"] = mmdbtype.Map{"iso_code": mmdbtype.String(c.Country), "is_in_european_union": mmdbtype.Bool(c.InEU)}
	}
	if c.Continent != "" {
		record["continent"] = mmdbtype.Map{"code": mmdbtype.String(c.Continent)}
	}
	if c.City != "" {
		record["city"] = names(c.City)
	}
	if c.Postal != "" {
		record["postal"] = mmdbtype.Map{"code": mmdbtype.String(c.Postal)}
	}
	if c.Region != "" || c.RegionCode != "" {
		subdivision := names(c.Region)
		subdivision["iso_code"] = mmdbtype.String(c.RegionCode)
		record["subdivisions"] = mmdbtype.Slice{subdivision}
	}
	location := mmdbtype.Map{}
	if c.Latitude != 0 || c.Longitude != 0 {
		location["latitude"], location["longitude"] = mmdbtype.Float64(c.Latitude), mmdbtype.Float64(c.Longitude)
	}
	if c.MetroCode != 0 {
		location["metro_code"] = mmdbtype.Uint16(c.MetroCode)
	}
	if c.TimeZone != "" {
		location["time_zone"] = mmdbtype.String(c.TimeZone)
	}
	if len(location) > 0 {
		record["location"] = location
	}
	return record
}

func names(english string) mmdbtype.Map {
	return mmdbtype.Map{"names": mmdbtype.Map{"en": mmdbtype.String(english)}}
}

// WriteGarbage writes a file that is no database, for tests of what must refuse one, and returns its path.
func WriteGarbage(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "garbage.mmdb")
	if err := os.WriteFile(path, []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
