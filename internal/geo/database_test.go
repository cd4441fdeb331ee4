package geo_test

import (
	"net/netip"
	"path/filepath"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/geo"
	"github.com/pelcro-oss/pelcro-api/internal/geo/geotest"
)

func TestDatabaseLocatesAddresses(t *testing.T) {
	t.Parallel()
	// given a database knowing a city network in Montréal, a country-only network, and an IPv6 network
	path := geotest.WriteDatabase(t,
		geotest.City{Network: "198.51.100.0/24", Country: "CA", Continent: "NA", City: "Montréal", Postal: "H2X",
			Region: "Quebec", RegionCode: "QC", Latitude: 45.5017, Longitude: -73.5673, TimeZone: "America/Toronto"},
		geotest.City{Network: "203.0.113.0/24", Country: "FR", Continent: "EU", InEU: true},
		geotest.City{Network: "2001:db8::/32", Country: "US", City: "New York", MetroCode: 501, Latitude: 40.7128, Longitude: -74.006},
		geotest.City{Network: "192.0.2.0/24", City: "Atlantis"},
	)
	db, err := geo.OpenDatabase(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	cases := []struct {
		addr   string
		expect geo.Location
	}{
		{"198.51.100.7", geo.Location{CountryCode: "CA", City: "Montréal", Continent: "NA", Latitude: "45.5017",
			Longitude: "-73.5673", PostalCode: "H2X", Region: "Quebec", RegionCode: "QC", Timezone: "America/Toronto"}},
		{"::ffff:198.51.100.7", geo.Location{CountryCode: "CA", City: "Montréal", Continent: "NA", Latitude: "45.5017",
			Longitude: "-73.5673", PostalCode: "H2X", Region: "Quebec", RegionCode: "QC", Timezone: "America/Toronto"}},
		{"203.0.113.9", geo.Location{CountryCode: "FR", Continent: "EU", IsEUCountry: true}},
		{"2001:db8::1", geo.Location{CountryCode: "US", City: "New York", Continent: "NA", Latitude: "40.7128",
			Longitude: "-74.006", MetroCode: "501"}},
		{"192.0.2.1", geo.Location{}},   // a record without a country
		{"10.1.2.3", geo.Location{}},    // no record
		{"2001:db9::1", geo.Location{}}, // no record
	}
	for _, tc := range cases {
		t.Run(tc.addr, func(t *testing.T) {
			t.Parallel()
			// when the address is located, then it is where the database says, or unknown
			got, err := db.Locate(netip.MustParseAddr(tc.addr))
			if err != nil || got != tc.expect {
				t.Fatalf("Locate(%s) = %+v, %v\nwant %+v", tc.addr, got, err, tc.expect)
			}
		})
	}
}

func TestNoDatabaseKnowsNoAddress(t *testing.T) {
	t.Parallel()
	// given no database (PELCRO_GEOIP_DB unset), a closed one, and an invalid address
	var none *geo.Database
	closed, err := geo.OpenDatabase(geotest.WriteDatabase(t, geotest.City{Network: "198.51.100.0/24", Country: "CA"}))
	if err != nil {
		t.Fatal(err)
	}
	if err := closed.Close(); err != nil {
		t.Fatal(err)
	}
	for name, locate := range map[string]func() (geo.Location, error){
		"nil":             func() (geo.Location, error) { return none.Locate(netip.MustParseAddr("198.51.100.1")) },
		"zero":            func() (geo.Location, error) { return (&geo.Database{}).Locate(netip.MustParseAddr("198.51.100.1")) },
		"closed":          func() (geo.Location, error) { return closed.Locate(netip.MustParseAddr("198.51.100.1")) },
		"invalid address": func() (geo.Location, error) { return closed.Locate(netip.Addr{}) },
	} {
		// when an address is located, then it is unknown, without an error
		if got, err := locate(); err != nil || got.Known() {
			t.Errorf("%s: Locate = %+v, %v; want the unknown location", name, got, err)
		}
	}
}

func TestOpenDatabaseRefusesWhatIsNotOne(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, path := range []string{filepath.Join(dir, "missing.mmdb"), geotest.WriteGarbage(t), dir} {
		// given a path that is no database, when it is opened, then it is an error naming the file
		if db, err := geo.OpenDatabase(path); err == nil {
			_ = db.Close()
			t.Errorf("OpenDatabase(%s) succeeded", path)
		}
	}
}
