package transport

import (
	"bytes"
	"net/http"
	"net/url"
	"testing"
)

func testOnlyThePhotoUploadTakesBodiesPastTheDefaultCap(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	client := newProfileClient(t, deps)
	token, _ := world.register(t, "ann@onlythephotouploadtakesbodiesp.example.com", customerPassword)
	client.token = token
	past := bytes.Repeat([]byte{'x'}, int(DefaultMaxBodyBytes)+1)
	announcedPastPhotoCap := photoUpload(t, "", "profile_photo", []byte("small"))
	announcedPastPhotoCap.ContentLength = pictureBodyBytes + 1
	streamedPastPhotoCap := photoUpload(t, "", "padding", bytes.Repeat([]byte{'x'}, int(pictureBodyBytes)))
	streamedPastPhotoCap.ContentLength = -1 // chunked: only reading finds the size out

	cases := []struct {
		name       string
		req        *http.Request
		wantStatus int
		wantField  string // the photo's field error, when the body got through
	}{
		{"a photo upload past the default cap reaches the photo checks", photoUpload(t, "", "profile_photo", past), 400,
			"The profile photo must be a PNG or JPG image."},
		{"a photo upload announcing more than the photo cap", announcedPastPhotoCap, 413, ""},
		{"a photo upload streaming more than the photo cap", streamedPastPhotoCap, 413, ""},
		{"JSON to the photo route", request(http.MethodPost, profileTarget("/customer/picture"), "application/json",
			`{"note":"`+string(past)+`"}`), 413, ""},
		{"multipart to another route", multipartTo(t, http.MethodPost, "/address", past), 413, ""},
		{"JSON to another route", request(http.MethodPut, profileTarget("/customer"), "application/json",
			`{"first_name":"`+string(past)+`"}`), 413, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := client.send(t, tc.req, tc.wantStatus)
			answer := decodeBody[map[string]any](t, rec)
			if tc.wantField != "" {
				if got := profileFieldMessages(t, answer, "profile_photo"); got[0] != tc.wantField {
					t.Fatalf("messages = %v, want %q", got, tc.wantField)
				}
				return
			}
			if got := profileErrorMessage(t, answer); got != "The request body is too large." {
				t.Fatalf("message = %q", got)
			}
		})
	}
}

// multipartTo is a multipart request to another route than the photo upload, with one file field.
func multipartTo(t *testing.T, method, path string, data []byte) *http.Request {
	t.Helper()
	req := photoUpload(t, "", "profile_photo", data)
	u, err := url.Parse(profileTarget(path))
	if err != nil {
		t.Fatal(err)
	}
	req.Method, req.URL, req.RequestURI = method, u, u.String()
	return req
}
