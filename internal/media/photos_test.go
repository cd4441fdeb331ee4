package media

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

func encodePNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.RGBA{R: 200, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodeJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, w, h)), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCheckPhotoAppliesRule11(t *testing.T) {
	t.Parallel()
	square := encodePNG(t, 150, 150)
	cases := []struct {
		name    string
		data    []byte
		want    string
		wantErr error
	}{
		{name: "square PNG at the minimum", data: square, want: "png"},
		{name: "square JPEG", data: encodeJPEG(t, 300, 300), want: "jpeg"},
		{name: "not square", data: encodePNG(t, 200, 150), wantErr: ErrNotSquare},
		{name: "too small", data: encodePNG(t, 149, 149), wantErr: ErrTooSmall},
		{name: "huge header", data: encodePNG(t, MaxPhotoSide+1, 1), wantErr: ErrTooLarge},
		{name: "text", data: []byte("hello, not an image"), wantErr: ErrNotAnImage},
		{name: "truncated PNG", data: square[:len(square)/2], wantErr: ErrNotAnImage},
		{name: "empty", data: nil, wantErr: ErrNotAnImage},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := CheckPhoto(tc.data)
			if !errors.Is(err, tc.wantErr) || got != tc.want {
				t.Fatalf("CheckPhoto = %q, %v; want %q, %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestSavedPhotoIsServedAndRemoved(t *testing.T) {
	t.Parallel()
	// given a photo store
	photos := Photos{Dir: t.TempDir()}
	data := encodePNG(t, 160, 160)
	// when a photo is saved
	name, err := photos.Save(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	// then it is served under its URL with the same bytes
	handler := photos.Handler()
	url := photos.URL("https://api.example.com/", name)
	if url != "https://api.example.com"+PhotoPath+name {
		t.Fatalf("URL = %q", url)
	}
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, PhotoPath+name, nil))
	if rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), data) {
		t.Fatalf("GET photo = %d, %d bytes", rec.Code, rec.Body.Len())
	}
	if rec.Header().Get("Content-Type") != "image/png" {
		t.Fatalf("Content-Type = %q", rec.Header().Get("Content-Type"))
	}
	// and once removed it is gone, and removing again is fine
	if err := photos.Remove(name); err != nil {
		t.Fatal(err)
	}
	if err := photos.Remove(name); err != nil {
		t.Fatalf("second Remove = %v", err)
	}
	rec = httptest.NewRecorder()
	handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, PhotoPath+name, nil))
	if rec.Code != http.StatusNotFound {
		t.Fatalf("GET removed photo = %d, want 404", rec.Code)
	}
}

func TestRefusedUploadLeavesNoFile(t *testing.T) {
	t.Parallel()
	// given a photo store
	dir := t.TempDir()
	photos := Photos{Dir: dir}
	// when a non-square image and an oversized body are uploaded
	_, errShape := photos.Save(bytes.NewReader(encodePNG(t, 200, 160)))
	_, errSize := photos.Save(bytes.NewReader(make([]byte, MaxPhotoBytes+1)))
	// then both are refused and nothing is left on disk
	if !errors.Is(errShape, ErrNotSquare) || !errors.Is(errSize, ErrTooLarge) {
		t.Fatalf("errors = %v, %v", errShape, errSize)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, photoDir))
	if len(entries) != 0 {
		t.Fatalf("left %d files", len(entries))
	}
}

func TestHandlerNeverLeavesThePhotoDirectory(t *testing.T) {
	t.Parallel()
	// given a secret file beside the photo directory
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "secret"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	photos := Photos{Dir: dir}
	for _, path := range []string{PhotoPath + "../secret", PhotoPath + "..%2fsecret", PhotoPath, PhotoPath + ".upload-1", "/media/secret"} {
		// when it is asked for through the handler
		rec := httptest.NewRecorder()
		photos.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		// then it is not found
		if rec.Code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, rec.Code)
		}
	}
	if err := photos.Remove("../secret"); err == nil {
		t.Fatal("Remove(../secret) accepted")
	}
}

func FuzzCheckPhoto(f *testing.F) {
	f.Add(encodePNG(f, 150, 150))
	f.Add(encodeJPEG(f, 150, 150))
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Add([]byte{0xff, 0xd8, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		format, err := CheckPhoto(data)
		if err == nil && format != "png" && format != "jpeg" {
			t.Fatalf("accepted format %q", format)
		}
	})
}
