package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
	"golang.org/x/text/language"
)

// subdivisionsDir is where the package keeps CLDR's subdivision names, one XML file per locale ("fr.xml",
// "de_CH.xml").
const subdivisionsDir = "package/3rdparty/cldr/common/subdivisions/"

// apiLanguages are the languages the API speaks other than English: English keeps the ISO 3166-2 names,
// which are English or the romanised local name, as an official form shows them.
func apiLanguages() []string {
	var languages []string
	for _, spoken := range i18n.Supported() {
		if spoken != i18n.English {
			languages = append(languages, string(spoken))
		}
	}
	return languages
}

// readSubdivisionNames reads, from the package's gzipped tar archive, the subdivision names of every locale
// whose language is one of languages (its regional variants included), keyed by the locale's BCP 47 tag
// ("de-CH") and then by CLDR's subdivision key ("caqc").
func readSubdivisionNames(archive []byte, languages []string) (map[string]map[string]string, error) {
	unzipped, err := gzip.NewReader(bytes.NewReader(archive))
	if err != nil {
		return nil, fmt.Errorf("not a gzipped archive: %w", err)
	}
	files := tar.NewReader(unzipped)
	names := make(map[string]map[string]string)
	for {
		header, err := files.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading the archive: %w", err)
		}
		locale, ok := localeOfFile(header.Name, languages)
		if !ok {
			continue
		}
		if names[locale], err = parseSubdivisionFile(files); err != nil {
			return nil, fmt.Errorf("%s: %w", header.Name, err)
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("the archive has no %s*.xml of %v", subdivisionsDir, languages)
	}
	return names, nil
}

// localeOfFile is the locale of a subdivision file ("de-CH" for ".../de_CH.xml") when its language is wanted.
func localeOfFile(name string, languages []string) (string, bool) {
	dir, file := path.Split(name)
	base, isXML := strings.CutSuffix(file, ".xml")
	if dir != subdivisionsDir || !isXML {
		return "", false
	}
	tag, err := language.Parse(strings.ReplaceAll(base, "_", "-"))
	if err != nil {
		return "", false
	}
	spoken, _ := tag.Base()
	return tag.String(), slices.Contains(languages, spoken.String())
}

// ldml is the part of a CLDR subdivisions file that names them. An entry with alt is another form of a
// name (a variant or short form), not the name.
type ldml struct {
	Subdivisions []struct {
		Key  string `xml:"type,attr"`
		Alt  string `xml:"alt,attr"`
		Name string `xml:",chardata"`
	} `xml:"localeDisplayNames>subdivisions>subdivision"`
}

func parseSubdivisionFile(r io.Reader) (map[string]string, error) {
	var file ldml
	if err := xml.NewDecoder(r).Decode(&file); err != nil {
		return nil, err
	}
	names := make(map[string]string, len(file.Subdivisions))
	for _, entry := range file.Subdivisions {
		if entry.Alt == "" {
			names[entry.Key] = entry.Name
		}
	}
	return names, nil
}
