package pg

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
)

// Fingerprint is a short hash of a migration directory's file names and contents: two databases migrated
// from directories with the same fingerprint hold the same schema. Tests name the template databases they
// clone after it (internal/pgtest), so a changed or added migration never reuses a template built before it.
func Fingerprint(fsys fs.FS) (string, error) {
	sum := sha256.New()
	err := fs.WalkDir(fsys, ".", func(path string, entry fs.DirEntry, err error) error {
		if err != nil || entry.IsDir() {
			return err
		}
		content, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		// the lengths keep "ab"+"c" apart from "a"+"bc"
		fmt.Fprintf(sum, "%d:%s%d:", len(path), path, len(content))
		sum.Write(content)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("fingerprint migrations: %w", err)
	}
	return hex.EncodeToString(sum.Sum(nil))[:16], nil
}
