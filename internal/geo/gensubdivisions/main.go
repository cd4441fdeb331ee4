// Command gensubdivisions writes internal/geo/subdivisions.txt: the names CLDR gives ISO 3166-2 subdivisions
// in the languages the API speaks, for GET /geo/country (docs/geo.md). No Go module carries these names, and
// the CLDR JSON packages leave them out (CLDR marks them provisional), so it reads the CLDR XML files that
// the npm package cldr bundles, pinned to one version and its published checksum: the same input always
// gives the same file, and a changed package is refused instead of read.
//
// Run it with `go generate ./internal/geo/` (it calls `npm pack`), or pass -tarball with the package
// already fetched.
package main

import (
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// The npm package read and its integrity as the registry publishes it (`npm view cldr@8.0.0 dist.integrity`).
// cldr 8.0.0 bundles CLDR 48. To move to a newer CLDR, change both and regenerate.
const (
	cldrPackage   = "cldr@8.0.0"
	cldrIntegrity = "sha512-wRq8XBgmVemoq5jJeSWw8Sq1TdsVx02ZZWvfOAio3OEPjkstGprBHTMC3DxI1tmdd7CjS826lIOsdfgJHMu2lg=="
)

func main() {
	out := flag.String("out", "subdivisions.txt", "the file to write")
	tarball := flag.String("tarball", "", "the package's .tgz, already fetched with `npm pack "+cldrPackage+"`; fetched when empty")
	flag.Parse()
	if err := run(*out, *tarball); err != nil {
		fmt.Fprintln(os.Stderr, "gensubdivisions:", err)
		os.Exit(1)
	}
}

func run(out, tarball string) error {
	if tarball == "" {
		dir, err := os.MkdirTemp("", "gensubdivisions")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		if tarball, err = npmPack(dir); err != nil {
			return err
		}
	}
	archive, err := os.ReadFile(tarball)
	if err != nil {
		return err
	}
	file, err := generate(archive, cldrIntegrity)
	if err != nil {
		return err
	}
	return os.WriteFile(out, file, 0o644)
}

// generate checks the archive against integrity and returns the names file it gives.
func generate(archive []byte, integrity string) ([]byte, error) {
	if err := checkIntegrity(archive, integrity); err != nil {
		return nil, err
	}
	names, err := readSubdivisionNames(archive, apiLanguages())
	if err != nil {
		return nil, err
	}
	tables, err := namesToKeep(names, isoSubdivisions())
	if err != nil {
		return nil, err
	}
	return formatTables(tables, cldrPackage), nil
}

// npmPack fetches the pinned package into dir with the ordinary npm client and returns the archive's path.
func npmPack(dir string) (string, error) {
	cmd := exec.Command("npm", "pack", "--silent", "--pack-destination", dir, cldrPackage)
	cmd.Stderr = os.Stderr
	printed, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("npm pack %s: %w", cldrPackage, err)
	}
	lines := strings.Fields(string(printed))
	if len(lines) == 0 {
		return "", fmt.Errorf("npm pack %s named no archive", cldrPackage)
	}
	return filepath.Join(dir, lines[len(lines)-1]), nil
}

// errIntegrity is an archive whose digest is not the pinned one: another version, or a tampered copy.
var errIntegrity = errors.New("the archive is not the pinned package")

// checkIntegrity compares the archive's SHA-512 with an npm integrity string ("sha512-" and base64).
func checkIntegrity(archive []byte, integrity string) error {
	sum := sha512.Sum512(archive)
	if got := "sha512-" + base64.StdEncoding.EncodeToString(sum[:]); got != integrity {
		return fmt.Errorf("%w: its integrity is %s, want %s", errIntegrity, got, integrity)
	}
	return nil
}
