// Package media keeps the files customers upload (profile photos, spec #18, rule 11) under a data directory
// and serves them back. Files are checked before they are kept: only real PNG or JPEG images, square, at
// least MinPhotoSide pixels a side and at most MaxPhotoSide, so a decompression bomb is refused from its
// header alone.
package media

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"
)

// The limits of a profile photo. MaxPhotoBytes bounds what is read of an upload; MaxPhotoSide bounds what is
// decoded (a 4096×4096 image is 64 MiB of pixels).
const (
	MinPhotoSide  = 150
	MaxPhotoSide  = 4096
	MaxPhotoBytes = 8 << 20
)

// Reasons a photo is refused; the HTTP layer turns each into a field error.
var (
	ErrNotAnImage = errors.New("media: not a PNG or JPEG image")
	ErrNotSquare  = errors.New("media: image is not square")
	ErrTooSmall   = errors.New("media: image is smaller than 150×150 pixels")
	ErrTooLarge   = errors.New("media: image is too large")
)

// photoDir is the sub-directory of the data directory holding profile photos, and the URL path segment they
// are served under. Warning: stored events name files relative to it; moving it breaks every photo URL.
const photoDir = "profile_photos"

// Photos stores profile photos under Dir/profile_photos.
type Photos struct {
	Dir string
}

// Save checks the upload and, when it is an acceptable photo, writes it under a new random name, which it
// returns. The file appears whole or not at all (written aside, then renamed).
func (p Photos) Save(upload io.Reader) (string, error) {
	data, err := io.ReadAll(io.LimitReader(upload, MaxPhotoBytes+1))
	if err != nil {
		return "", fmt.Errorf("media: reading upload: %w", err)
	}
	if len(data) > MaxPhotoBytes {
		return "", ErrTooLarge
	}
	format, err := CheckPhoto(data)
	if err != nil {
		return "", err
	}
	name, err := randomName(format)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(p.Dir, photoDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("media: %w", err)
	}
	temp, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return "", fmt.Errorf("media: %w", err)
	}
	defer os.Remove(temp.Name()) // a no-op once renamed
	if _, err := temp.Write(data); err != nil {
		_ = temp.Close()
		return "", fmt.Errorf("media: writing photo: %w", err)
	}
	if err := temp.Close(); err != nil {
		return "", fmt.Errorf("media: writing photo: %w", err)
	}
	if err := os.Rename(temp.Name(), filepath.Join(dir, name)); err != nil {
		return "", fmt.Errorf("media: %w", err)
	}
	return name, nil
}

// Remove deletes a stored photo; a photo already gone is not an error. Names that are not plain file names
// are refused, so a stored name can never reach outside the photo directory.
func (p Photos) Remove(name string) error {
	if !plainName(name) {
		return fmt.Errorf("media: refusing photo name %q", name)
	}
	err := os.Remove(filepath.Join(p.Dir, photoDir, name))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// CheckPhoto tells whether data is an acceptable profile photo and returns its format ("png" or "jpeg").
// The header is checked before any pixel is decoded; then the whole image is decoded so a truncated or
// corrupt file is refused too.
func CheckPhoto(data []byte) (string, error) {
	config, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || (format != "png" && format != "jpeg") {
		return "", ErrNotAnImage
	}
	switch {
	case config.Width > MaxPhotoSide || config.Height > MaxPhotoSide:
		return "", ErrTooLarge
	case config.Width != config.Height:
		return "", ErrNotSquare
	case config.Width < MinPhotoSide:
		return "", ErrTooSmall
	}
	decode := png.Decode
	if format == "jpeg" {
		decode = jpeg.Decode
	}
	if _, err := decode(bytes.NewReader(data)); err != nil {
		return "", ErrNotAnImage
	}
	return format, nil
}

// randomName is 128 random bits in hex plus the format's extension: unguessable, so photos cannot be listed
// by walking names.
func randomName(format string) (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("media: %w", err)
	}
	ext := ".png"
	if format == "jpeg" {
		ext = ".jpg"
	}
	return hex.EncodeToString(b[:]) + ext, nil
}

// plainName reports whether name is a bare file name (no directory part, not hidden).
func plainName(name string) bool {
	return name != "" && name == filepath.Base(name) && name[0] != '.'
}
