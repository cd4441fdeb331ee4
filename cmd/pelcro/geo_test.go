package main

import (
	"net"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/internal/geo/geotest"
)

func TestServePlacesCallersWithTheGeoIPDatabase(t *testing.T) {
	t.Parallel()
	// given serve over the example catalog with a GeoIP database placing loopback callers in Montréal
	cfg := configWithDemoCatalog(t)
	cfg.GeoIPDB = geotest.WriteDatabase(t, geotest.City{Network: "127.0.0.0/8", Country: "CA", Continent: "NA",
		City: "Montréal", Region: "Quebec", RegionCode: "QC"})
	base := startServer(t, cfg)

	// when this loopback caller asks where it is, and for the country list in French
	location := getUntilOK(t, base+"/api/v1/sdk/location?site_id=1232")
	countries := getUntilOK(t, base+"/api/v1/sdk/geo/country?site_id=1232&locale=fr")

	// then the database placed it, and its country's states and the countries are listed in French
	for _, want := range []string{`"countryCode":"CA"`, `"city":"Montréal"`, `"regionCode":"QC"`, `"isEUCountry":false`} {
		if !strings.Contains(location, want) {
			t.Errorf("location %s lacks %s", location, want)
		}
	}
	for _, want := range []string{`"selected_country":"CA"`, `"QC":"Québec"`, `"BC":"Colombie-Britannique"`, `"DE":"Allemagne"`, `"error":false`} {
		if !strings.Contains(countries, want) {
			t.Errorf("country list lacks %s", want)
		}
	}
}

func TestServeRefusesAGeoIPDatabaseItCannotOpen(t *testing.T) {
	t.Parallel()
	for _, path := range []string{filepath.Join(t.TempDir(), "missing.mmdb"), geotest.WriteGarbage(t)} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			listener, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			// given PELCRO_GEOIP_DB naming a file that is no database (and a database server nobody needs)
			cfg := config.Config{DatabaseURL: "postgres://127.0.0.1:1/unreached", GeoIPDB: path}
			// when serve starts, then it stops at once with a reason naming the variable and the file
			err = serveOn(t.Context(), cfg, listener)
			if err == nil || !strings.Contains(err.Error(), config.EnvGeoIPDB) || !strings.Contains(err.Error(), path) {
				t.Fatalf("serve = %v; want an error naming %s and %s", err, config.EnvGeoIPDB, path)
			}
		})
	}
}
