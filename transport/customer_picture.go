package transport

import (
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
	"github.com/pelcro-oss/pelcro-api/internal/media"
)

// pictureUploadPath is the profile photo route (spec #18, #19), under the API base path.
const pictureUploadPath = "/customer/picture"

// pictureField is the multipart field carrying the photo.
const pictureField = "profile_photo"

// pictureBodyBytes caps the body of a photo upload: the largest photo plus room for the multipart framing
// and a few small fields. It is the only body allowed past the router's default cap.
const pictureBodyBytes = media.MaxPhotoBytes + 64<<10

// bodyLimit is the body cap limitBody applies to r: fallback (Dependencies.MaxBodyBytes), or for a
// multipart POST to the photo upload route the larger pictureBodyBytes. The route is told by its exact
// path because limitBody runs before routing; the router cleans paths, so no other spelling reaches the
// handler. Only multipart bodies, which decodeInput never buffers, get the larger cap.
func bodyLimit(r *http.Request, fallback int64) int64 {
	if r.Method != http.MethodPost || r.URL.Path != APIBasePath+pictureUploadPath {
		return fallback
	}
	if mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mediaType != "multipart/form-data" {
		return fallback
	}
	return max(fallback, pictureBodyBytes)
}

// uploadPicture is POST /customer/picture (spec #18, rule 11): a multipart/form-data body whose
// profile_photo file is a square PNG or JPG of at least 150×150 pixels. site_id must be in the query: the
// multipart body is read only here, after the site check. The new photo replaces the old one, whose file
// is deleted once the change is stored; if the change fails, the new file is deleted instead. The body may
// take longer to arrive than other requests' (allowSlowUpload).
func (h customerHandlers) uploadPicture(w http.ResponseWriter, r *http.Request) {
	allowSlowUpload(w)
	name, failed := h.savePhoto(w, r)
	if failed {
		return
	}
	result, previous, err := h.deps.CustomerCommands.SetPicture(r.Context(), commandEnvelope(r, "customer.picture.set"), target(r), name)
	if err != nil {
		h.removePhoto(r, name)
		h.refuse(w, r, err)
		return
	}
	// The file nothing names any more: the replaced photo, or this upload when the request was a retry of
	// one that had already landed.
	h.removePhoto(r, previous)
	h.answer(w, r, result, freshToken, nil)
}

// removePicture is DELETE /customer/picture (spec #19): the photo is cleared, then its file deleted.
func (h customerHandlers) removePicture(w http.ResponseWriter, r *http.Request) {
	result, previous, err := h.deps.CustomerCommands.RemovePicture(r.Context(), commandEnvelope(r, "customer.picture.remove"), target(r))
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	h.removePhoto(r, previous)
	h.answer(w, r, result, freshToken, nil)
}

// savePhoto finds the profile_photo part of the body and stores it. On failure it has answered: 400 field
// errors for a missing or unacceptable photo, 400 for a malformed body, 413 past pictureBodyBytes.
func (h customerHandlers) savePhoto(w http.ResponseWriter, r *http.Request) (name string, failed bool) {
	reader, err := r.MultipartReader()
	if err != nil {
		writeValidation(w, r, fieldErrors{pictureField: {customerField(pictureField, "required")}})
		return "", true
	}
	for {
		part, err := reader.NextPart()
		if errors.Is(err, io.EOF) {
			writeValidation(w, r, fieldErrors{pictureField: {customerField(pictureField, "required")}})
			return "", true
		}
		if err != nil {
			unreadableBody(w, r, err)
			return "", true
		}
		if part.FormName() != pictureField {
			continue
		}
		counted := &countingReader{r: part}
		name, err := h.deps.Photos.Save(counted)
		switch {
		case counted.err != nil:
			unreadableBody(w, r, counted.err)
		case err != nil:
			h.refusePhoto(w, r, err, counted.n > media.MaxPhotoBytes)
		default:
			return name, false
		}
		return "", true
	}
}

// refusePhoto answers why a photo was not stored. media.ErrTooLarge covers both a file over
// media.MaxPhotoBytes (tooManyBytes) and an image over media.MaxPhotoSide pixels a side.
func (h customerHandlers) refusePhoto(w http.ResponseWriter, r *http.Request, err error, tooManyBytes bool) {
	var rule string
	switch {
	case errors.Is(err, media.ErrTooLarge) && tooManyBytes:
		rule = "file_too_large"
	case errors.Is(err, media.ErrTooLarge), errors.Is(err, media.ErrTooSmall):
		rule = "dimensions"
	case errors.Is(err, media.ErrNotSquare):
		rule = "square"
	case errors.Is(err, media.ErrNotAnImage):
		rule = "image"
	default:
		internalError(w, r, h.deps.Logger, "storing a profile photo", err)
		return
	}
	writeValidation(w, r, fieldErrors{pictureField: {customerField(pictureField, rule)}})
}

// unreadableBody answers a multipart body that could not be read: 413 past the size cap, 400 for a
// malformed body or a client that hung up.
func unreadableBody(w http.ResponseWriter, r *http.Request, err error) {
	if _, tooLarge := errors.AsType[*http.MaxBytesError](err); tooLarge {
		writeError(w, r, http.StatusRequestEntityTooLarge, i18n.BodyTooLarge)
		return
	}
	writeError(w, r, http.StatusBadRequest, i18n.FormMalformed)
}

// removePhoto deletes a photo file no customer uses any more; a failure only leaves an unreachable file
// behind (names are random), so it is logged, never answered.
func (h customerHandlers) removePhoto(r *http.Request, name string) {
	if name == "" {
		return
	}
	if err := h.deps.Photos.Remove(name); err != nil {
		h.deps.Logger.WarnContext(r.Context(), "removing an unused profile photo", requestIDs(r),
			"file", name, "error", err)
	}
}

// countingReader counts the bytes read through it, to tell a photo too large in bytes from one too large
// in pixels, and keeps the read error, to tell a body that could not be read from a file that could not be
// stored.
type countingReader struct {
	r   io.Reader
	n   int64
	err error
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if err != nil && !errors.Is(err, io.EOF) {
		c.err = err
	}
	return n, err
}
