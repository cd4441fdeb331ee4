package transport

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/internal/media"
)

// pngImage encodes a w×h PNG; seed varies its pixels, so two photos differ.
func pngImage(t *testing.T, w, h int, seed uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			img.Set(x, y, color.RGBA{R: uint8(x) + seed, G: uint8(y), B: seed, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// blankPNG encodes a black side×side PNG: cheap to make at any size, and small once compressed.
func blankPNG(t *testing.T, side int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, side, side))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// photoUpload is a multipart POST /customer/picture whose field (profile_photo unless told) holds data.
func photoUpload(t *testing.T, query, field string, data []byte) *http.Request {
	t.Helper()
	var body bytes.Buffer
	form := multipart.NewWriter(&body)
	if err := form.WriteField("note", "sent before the file"); err != nil {
		t.Fatal(err)
	}
	part, err := form.CreateFormFile(field, "me.png")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := part.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := form.Close(); err != nil {
		t.Fatal(err)
	}
	req := request(http.MethodPost, profileTarget("/customer/picture"+query), form.FormDataContentType(), body.String())
	return req
}

func testProfilePhotoIsStoredServedAndReplaced(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	client := newProfileClient(t, deps)
	token, _ := world.register(t, "ann@profilephotoisstoredservedandr.example.com", customerPassword)
	client.token = token
	first, second := pngImage(t, media.MinPhotoSide, media.MinPhotoSide, 1), pngImage(t, 300, 300, 2)

	// when a square PNG is uploaded, then the answer has a fresh JWT and the photo's URL, which serves it
	answer := decodeBody[map[string]any](t, client.send(t, photoUpload(t, "", "profile_photo", first), http.StatusOK))
	client.token = profileFreshToken(t, answer, token)
	firstURL := photoURL(t, profileData(t, answer))
	if got := client.fetch(t, firstURL, http.StatusOK); !bytes.Equal(got, first) {
		t.Fatalf("served photo differs from the upload (%d bytes, want %d)", len(got), len(first))
	}
	// and asking for the customer shows it too
	if got := photoURL(t, profileData(t, client.call(t, http.MethodPost, "/customer", "", http.StatusOK))); got != firstURL {
		t.Fatalf("profile_photo = %q, want %q", got, firstURL)
	}
	// when another photo is uploaded, then it replaces the first, whose file is gone
	answer = decodeBody[map[string]any](t, client.send(t, photoUpload(t, "", "profile_photo", second), http.StatusOK))
	secondURL := photoURL(t, profileData(t, answer))
	if secondURL == firstURL || !bytes.Equal(client.fetch(t, secondURL, http.StatusOK), second) {
		t.Fatalf("second photo at %q not served", secondURL)
	}
	client.fetch(t, firstURL, http.StatusNotFound)
	// when the photo is removed, then the customer has none and its file is gone
	answer = client.call(t, http.MethodDelete, "/customer/picture", "", http.StatusOK)
	profileFreshToken(t, answer, client.token)
	if data := profileData(t, answer); data["profile_photo"] != nil {
		t.Fatalf("profile_photo after removal = %v", data["profile_photo"])
	}
	client.fetch(t, secondURL, http.StatusNotFound)
	// and removing it again is harmless
	client.call(t, http.MethodDelete, "/customer/picture", "", http.StatusOK)
}

// photoURL is the profile_photo of a Customer, which must be a URL of the API's media path.
func photoURL(t *testing.T, data map[string]any) string {
	t.Helper()
	raw, _ := data["profile_photo"].(string)
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || !strings.HasPrefix(u.Path, media.PhotoPath) {
		t.Fatalf("profile_photo = %v, want a URL under %s", data["profile_photo"], media.PhotoPath)
	}
	return raw
}

// fetch GETs a URL's path through the router and returns the body.
func (c *profileClient) fetch(t *testing.T, rawURL string, wantStatus int) []byte {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	rec := serve(c.router, request(http.MethodGet, u.Path, "", ""))
	if rec.Code != wantStatus {
		t.Fatalf("GET %s = %d, want %d", u.Path, rec.Code, wantStatus)
	}
	return rec.Body.Bytes()
}

func testProfilePhotoRefusals(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	client := newProfileClient(t, deps)
	token, _ := world.register(t, "ann@profilephotorefusals.example.com", customerPassword)
	client.token = token

	cases := []struct {
		name, field string
		data        []byte
		message     string
	}{
		{"no photo field", "avatar", pngImage(t, 150, 150, 0), "The profile photo field is required."},
		{"not an image", "profile_photo", []byte("hello, I am text"), "The profile photo must be a PNG or JPG image."},
		{"not square", "profile_photo", pngImage(t, 200, 150, 0), "The profile photo must be square."},
		{"too small", "profile_photo", pngImage(t, 149, 149, 0), "The profile photo must be at least 150×150 pixels and at most 4096×4096."},
		{"too many pixels", "profile_photo", blankPNG(t, media.MaxPhotoSide+1), "The profile photo must be at least 150×150 pixels and at most 4096×4096."},
		{"too many bytes", "profile_photo", bytes.Repeat([]byte{0x89}, media.MaxPhotoBytes+1), "The profile photo may not be greater than 8 MB."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			answer := decodeBody[map[string]any](t, client.send(t, photoUpload(t, "", tc.field, tc.data), http.StatusBadRequest))
			if got := profileFieldMessages(t, answer, "profile_photo"); len(got) != 1 || got[0] != tc.message {
				t.Fatalf("messages = %v, want [%s]", got, tc.message)
			}
		})
	}
	t.Run("not multipart", func(t *testing.T) {
		t.Parallel()
		answer := client.call(t, http.MethodPost, "/customer/picture", `{"profile_photo":"me.png"}`, http.StatusBadRequest)
		if got := profileFieldMessages(t, answer, "profile_photo"); got[0] != "The profile photo field is required." {
			t.Fatalf("messages = %v", got)
		}
	})
	t.Run("in Spanish", func(t *testing.T) {
		t.Parallel()
		rec := client.send(t, photoUpload(t, "?language=es", "profile_photo", pngImage(t, 160, 150, 0)), http.StatusBadRequest)
		if rec.Header().Get("Content-Language") != "es" {
			t.Fatalf("Content-Language = %q, want es", rec.Header().Get("Content-Language"))
		}
		if got := profileFieldMessages(t, decodeBody[map[string]any](t, rec), "profile_photo"); got[0] != "El campo foto de perfil debe ser cuadrado." {
			t.Fatalf("Spanish message = %v", got)
		}
	})
	t.Run("without a token", func(t *testing.T) {
		t.Parallel()
		req := photoUpload(t, "", "profile_photo", pngImage(t, 150, 150, 0))
		req.Header.Set("Authorization", "Basic abc")
		client.send(t, req, http.StatusUnauthorized)
	})
}

// TestAPhotoTheCustomerCannotTakeLeavesNoFile has a stack of its own: it counts the files of the photo
// directory, which the other photo tests fill at the same time.
func TestAPhotoTheCustomerCannotTakeLeavesNoFile(t *testing.T) {
	t.Parallel()
	deps, world := customerStack(t)
	client := newProfileClient(t, deps)
	token, _ := world.register(t, "ann@aphotothecustomercannottakelea.example.com", customerPassword)
	claims, err := world.tokens.Parse(token)
	if err != nil {
		t.Fatal(err)
	}
	// given a well-signed token of the account for a customer that does not exist
	client.token, _, err = world.tokens.Issue(claims.CustomerID+1000, claims.AccountID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	// when it uploads a good photo, then the command refuses it and the stored file is removed again
	client.send(t, photoUpload(t, "", "profile_photo", pngImage(t, 150, 150, 0)), http.StatusUnauthorized)
	files, err := os.ReadDir(filepath.Join(deps.Photos.(media.Photos).Dir, "profile_photos"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	if len(files) != 0 {
		t.Fatalf("photo directory holds %d files after a refused upload", len(files))
	}
}

// TestARetriedUploadKeepsTheFirstPhoto has a stack of its own: it counts the files of the photo directory.
func TestARetriedUploadKeepsTheFirstPhoto(t *testing.T) {
	t.Parallel()
	deps, world := customerStack(t)
	client := newProfileClient(t, deps)
	client.token, _ = world.register(t, "ann@aretrieduploadkeepsthefirstphoto.example.com", customerPassword)
	dir := filepath.Join(deps.Photos.(media.Photos).Dir, "profile_photos")
	count := func() int {
		files, err := os.ReadDir(dir)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
		return len(files)
	}
	before := count()
	photo := pngImage(t, 150, 150, 1)
	// given an upload that landed under a key
	first := client.send(t, withKey(photoUpload(t, "", "profile_photo", photo), "upload-once"), http.StatusOK)
	// when the client retries it with the same photo (in a body with a new multipart boundary, as clients
	// draw one per send)
	retry := client.send(t, withKey(photoUpload(t, "", "profile_photo", photo), "upload-once"), http.StatusOK)
	// then the first answer comes back, and no second file was stored
	assertReplay(t, first, retry)
	if count() != before+1 {
		t.Fatalf("photo files %d → %d", before, count())
	}
	// when another photo is sent under the key, then it is refused, and no file is stored either
	client.send(t, withKey(photoUpload(t, "", "profile_photo", pngImage(t, 160, 160, 2)), "upload-once"), http.StatusUnprocessableEntity)
	if count() != before+1 {
		t.Fatalf("photo files %d → %d", before, count())
	}
}

// TestCustomerPictureEndpoints runs the profile photo tests (#18, #19, rule 11) on one stack, as one
// database per test would exhaust the connections of the shared PostgreSQL; each test registers its own
// customers.
func TestCustomerPictureEndpoints(t *testing.T) {
	t.Parallel()
	deps, world := customerStack(t)
	for _, test := range []struct {
		name string
		run  func(*testing.T, Dependencies, *customerWorld)
	}{
		{"profile photo is stored served and replaced", testProfilePhotoIsStoredServedAndReplaced},
		{"profile photo refusals", testProfilePhotoRefusals},
		{"only the photo upload takes bodies past the default cap", testOnlyThePhotoUploadTakesBodiesPastTheDefaultCap},
		{"only the photo upload may send its body slower than the server's read timeout", testOnlyThePhotoUploadMaySendSlowly},
	} {
		t.Run(test.name, func(t *testing.T) { test.run(t, deps, world) })
	}
}

// trickle hands its data out in five pieces, pause apart, like a slow uplink.
type trickle struct {
	data  []byte
	pause time.Duration
	sent  int
}

func (r *trickle) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	if r.sent > 0 {
		time.Sleep(r.pause)
	}
	n := copy(p[:min(len(p), len(r.data)/(5-r.sent)+1)], r.data)
	r.data, r.sent = r.data[n:], r.sent+1
	return n, nil
}

// sendSlowly sends prepared (a request built for the router) to the server at address, its body spread over
// five times pause, and returns the status, or 0 when the connection broke first.
func sendSlowly(t *testing.T, address, token string, prepared *http.Request, pause time.Duration) int {
	t.Helper()
	body, err := io.ReadAll(prepared.Body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(prepared.Method, "http://"+address+prepared.URL.RequestURI(), &trickle{data: body, pause: pause})
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = int64(len(body))
	req.Header.Set("Content-Type", prepared.Header.Get("Content-Type"))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

func testOnlyThePhotoUploadMaySendSlowly(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	// given the API behind a server whose read timeout is shorter than the uploads below take
	address := startServer(t, newTestRouter(t, deps), shortTimeouts)
	token, _ := world.register(t, "ann@onlythephotouploadmaysendslowly.example.com", customerPassword)
	pause := shortTimeouts.Read / 2 // five pieces: twice the read timeout in all

	// when a photo is uploaded that slowly, then it is stored
	photo := photoUpload(t, "", "profile_photo", pngImage(t, media.MinPhotoSide, media.MinPhotoSide, 3))
	if status := sendSlowly(t, address, token, photo, pause); status != http.StatusOK {
		t.Fatalf("slow photo upload = %d, want 200", status)
	}
	// but a profile update sent as slowly is cut off
	update := request(http.MethodPut, profileTarget("/customer"), "application/json", `{"first_name":"`+strings.Repeat("a", 100)+`"}`)
	if status := sendSlowly(t, address, token, update, pause); status == http.StatusOK {
		t.Fatal("a slow profile update was read to the end")
	}
}
