package loadtest

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"time"
)

// Photo upload bodies: the Ownli API's documented Base64 JSON, or multipart/form-data.
const (
	PhotoBodyJSON      = "json"
	PhotoBodyMultipart = "multipart"
)

// preparePhotoUpload generates one 12 MP JPEG and uploads it for each worker's user. Each
// request's bytes differ (a comment segment with the request's id), so the server hashes,
// stores and syncs a new blob every time, as it does for real photos; the picture itself is
// shared by all requests without copying.
func preparePhotoUpload(ctx context.Context, s *seed, body string) (requestFunc, error) {
	users, err := s.users(ctx)
	if err != nil {
		return nil, err
	}
	s.logf("  a %d×%d JPEG", largeWidth, largeHeight)
	data, err := PhotoJPEG(7, largeWidth, largeHeight, time.Now())
	if err != nil {
		return nil, err
	}
	pic, err := splitJPEG(data)
	if err != nil {
		return nil, err
	}
	url := s.c.base + "/api/photo/upload"
	fields := func(userID string) [][2]string {
		return [][2]string{{"userId", userID}, {"name", "odometer.jpg"}, {"takenOn", time.Now().UTC().Format(time.RFC3339)},
			{"latitude", "30.27"}, {"longitude", "-97.74"}, {"deviceIdentifier", "bench-" + userID},
			{"deviceManufacturer", "Apple"}, {"deviceModel", "iPhone 15"}, {"deviceOS", "iOS 18"}}
	}
	var contentType string
	var rest []byte
	heads, tails := make([][]byte, len(users)), make([][]byte, len(users))
	switch body {
	case PhotoBodyMultipart:
		rest = pic.rest
		for i, u := range users {
			contentType, heads[i], tails[i], err = multipartParts(fields(u))
			if err != nil {
				return nil, err
			}
		}
	default:
		contentType = "application/json"
		rest = []byte(base64.StdEncoding.EncodeToString(pic.rest))
		for i, u := range users {
			var b bytes.Buffer
			b.WriteString("{")
			for _, f := range fields(u) {
				v := f[1]
				if f[0] != "latitude" && f[0] != "longitude" { // numbers in JSON
					v = jsonString(v)
				}
				fmt.Fprintf(&b, "%s:%s,", jsonString(f[0]), v)
			}
			b.WriteString(`"photo":"`)
			heads[i], tails[i] = b.Bytes(), []byte(`"}`)
		}
	}
	return func(w, seq int) (*http.Request, error) {
		unique := append(append([]byte(nil), pic.head...), pic.comment(fmt.Sprintf("%s w%d r%d", s.nonce, w, seq))...)
		if body != PhotoBodyMultipart {
			unique = []byte(base64.StdEncoding.EncodeToString(unique))
		}
		parts := [][]byte{heads[w], unique, rest, tails[w]}
		readers := make([]io.Reader, len(parts))
		var n int64
		for i, p := range parts {
			readers[i] = bytes.NewReader(p)
			n += int64(len(p))
		}
		req, err := http.NewRequest(http.MethodPost, url, io.MultiReader(readers...))
		if err != nil {
			return nil, err
		}
		req.ContentLength = n
		req.Header.Set("Authorization", "Bearer "+s.c.admin)
		req.Header.Set("Content-Type", contentType)
		return req, nil
	}, nil
}

// multipartParts returns a multipart body's content type, everything before the file's bytes
// (the fields and the file part's header) and everything after them.
func multipartParts(fields [][2]string) (contentType string, head, tail []byte, err error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, f := range fields {
		if err := mw.WriteField(f[0], f[1]); err != nil {
			return "", nil, nil, err
		}
	}
	if _, err := mw.CreateFormFile("photo", "odometer.jpg"); err != nil {
		return "", nil, nil, err
	}
	head = bytes.Clone(buf.Bytes())
	buf.Reset()
	if err := mw.Close(); err != nil {
		return "", nil, nil, err
	}
	return mw.FormDataContentType(), head, bytes.Clone(buf.Bytes()), nil
}
