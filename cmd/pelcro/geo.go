package main

import (
	"fmt"

	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/internal/geo"
)

// openLocator opens the GeoIP database PELCRO_GEOIP_DB names, before anything else starts: a named file
// that cannot be opened stops serve with a one-line reason, since a server that silently located nobody
// would show every visitor the site's country. Unset gives a database without a file, which knows no
// address: callers are then placed by the trusted CDN's location headers alone (docs/geo.md).
func openLocator(cfg config.Config) (*geo.Database, error) {
	if cfg.GeoIPDB == "" {
		return &geo.Database{}, nil
	}
	db, err := geo.OpenDatabase(cfg.GeoIPDB)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", config.EnvGeoIPDB, err)
	}
	return db, nil
}
