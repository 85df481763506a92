package partnerapi

import (
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/httpx"
)

// photoUploadRequest is the JSON body of POST /api/photo/upload.
type photoUploadRequest struct {
	UserID             string   `json:"userId" required:"true"`
	Name               string   `json:"name" required:"true" doc:"User defined file name of the photo; helpful to provide a suffix."`
	Photo              string   `json:"photo" required:"true" doc:"Base64 encoded string representation of the photo (JPEG, PNG, HEIC/HEIF or WebP; a data: URI prefix is accepted)."`
	DeviceIdentifier   string   `json:"deviceIdentifier"`
	DeviceManufacturer string   `json:"deviceManufacturer" doc:"e.g. Apple, Xiaomi."`
	DeviceModel        string   `json:"deviceModel" doc:"e.g. IPhone 14."`
	DeviceOS           string   `json:"deviceOS" doc:"e.g. iOS 13.2.3."`
	TakenOn            string   `json:"takenOn" required:"true" doc:"ISO8601 UTC, e.g. 2024-01-01T00:00:00.000Z."`
	Latitude           *float64 `json:"latitude" required:"true"`
	Longitude          *float64 `json:"longitude" required:"true"`
}

// fileUploadRequest is the JSON body of POST /api/file/upload.
type fileUploadRequest struct {
	UserID             string   `json:"userId" required:"true"`
	Name               string   `json:"name" required:"true"`
	File               string   `json:"file" required:"true" doc:"Base64 encoded file (PDF, JPEG or PNG)."`
	DeviceIdentifier   string   `json:"deviceIdentifier"`
	DeviceManufacturer string   `json:"deviceManufacturer"`
	DeviceModel        string   `json:"deviceModel"`
	DeviceOS           string   `json:"deviceOS"`
	TakenOn            string   `json:"takenOn" doc:"ISO8601 UTC."`
	Latitude           *float64 `json:"latitude"`
	Longitude          *float64 `json:"longitude"`
}

// photoMultipart documents the multipart/form-data variant of the photo upload: the same fields
// as form values and the bytes as a file part named "photo".
type photoMultipart struct {
	UserID             string `json:"userId" required:"true"`
	Name               string `json:"name" doc:"Defaults to the file part's file name."`
	Photo              []byte `json:"photo" required:"true" format:"binary" doc:"The photo's bytes as a file part."`
	DeviceIdentifier   string `json:"deviceIdentifier"`
	DeviceManufacturer string `json:"deviceManufacturer"`
	DeviceModel        string `json:"deviceModel"`
	DeviceOS           string `json:"deviceOS"`
	TakenOn            string `json:"takenOn" required:"true"`
	Latitude           string `json:"latitude" required:"true" format:"double"`
	Longitude          string `json:"longitude" required:"true" format:"double"`
}

// fileMultipart documents the multipart/form-data variant of the file upload.
type fileMultipart struct {
	UserID             string `json:"userId" required:"true"`
	Name               string `json:"name"`
	File               []byte `json:"file" required:"true" format:"binary" doc:"The file's bytes as a file part."`
	DeviceIdentifier   string `json:"deviceIdentifier"`
	DeviceManufacturer string `json:"deviceManufacturer"`
	DeviceModel        string `json:"deviceModel"`
	DeviceOS           string `json:"deviceOS"`
	TakenOn            string `json:"takenOn"`
	Latitude           string `json:"latitude" format:"double"`
	Longitude          string `json:"longitude" format:"double"`
}

// exifJSON is what was read from the file itself (an addition to the documented Photo object).
type exifJSON struct {
	TakenAt     string   `json:"takenAt,omitempty" doc:"DateTimeOriginal from the file (UTC; camera local time when the file has no offset)."`
	Latitude    *float64 `json:"latitude,omitempty"`
	Longitude   *float64 `json:"longitude,omitempty"`
	Make        string   `json:"make,omitempty"`
	Model       string   `json:"model,omitempty"`
	Software    string   `json:"software,omitempty"`
	Orientation int      `json:"orientation,omitempty"`
}

// photoJSON is the Photo object (upload response).
type photoJSON struct {
	ID                 string   `json:"id" doc:"Id of the upload (also the last segment of photoUrl)."`
	UserID             string   `json:"userId" doc:"Id of the owner."`
	PhotoURL           string   `json:"photoUrl" doc:"URL of the photo: use it in check-ins; GET it with the partner's credentials."`
	DeviceIdentifier   string   `json:"deviceIdentifier"`
	DeviceManufacturer string   `json:"deviceManufacturer"`
	DeviceModel        string   `json:"deviceModel"`
	DeviceOS           string   `json:"deviceOS"`
	TakenOn            string   `json:"takenOn"`
	Latitude           *float64 `json:"latitude"`
	Longitude          *float64 `json:"longitude"`
	ContentType        string   `json:"contentType" doc:"The real type read from the bytes."`
	Width              int      `json:"width"`
	Height             int      `json:"height"`
	SHA256             string   `json:"sha256" doc:"Hex SHA-256 of the bytes."`
	EXIF               exifJSON `json:"exif"`
}

// fileJSON is the File object (upload response).
type fileJSON struct {
	ID           string `json:"id"`
	UserID       string `json:"userId"`
	FileURL      string `json:"fileUrl" doc:"URL of the file."`
	DateUploaded string `json:"dateUploaded" doc:"The timestamp of upload."`
	ContentType  string `json:"contentType"`
	SHA256       string `json:"sha256"`
}

func (s *Server) uploadURL(u *milepost.Upload) string {
	if u.Kind == milepost.UploadFile {
		return s.PublicURL + "/api/files/" + u.ID
	}
	return s.PublicURL + "/api/photos/" + u.ID
}

func toPhotoJSON(s *Server, u *milepost.Upload) photoJSON {
	e := u.Media.EXIF
	return photoJSON{
		ID: u.ID, UserID: u.UserID, PhotoURL: s.uploadURL(u), DeviceIdentifier: u.Device.Identifier,
		DeviceManufacturer: u.Device.Manufacturer, DeviceModel: u.Device.Model, DeviceOS: u.Device.OS,
		TakenOn: formatTimePtr(u.TakenOn), Latitude: u.Latitude, Longitude: u.Longitude,
		ContentType: u.Media.ContentType, Width: u.Media.Width, Height: u.Media.Height, SHA256: u.SHA256,
		EXIF: exifJSON{TakenAt: formatTimePtr(e.TakenAt), Latitude: e.Latitude, Longitude: e.Longitude, Make: e.Make,
			Model: e.Model, Software: e.Software, Orientation: e.Orientation},
	}
}

// uploadBodyLimit allows the Base64 form of a maximal file plus its JSON fields.
func (s *Server) uploadBodyLimit() int64 { return s.MaxUploadBytes/3*4 + 8 + 64<<10 }

func (s *Server) uploadPhoto(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	in, err := s.readUpload(r, milepost.UploadPhoto)
	if err != nil {
		return err
	}
	u, err := s.Uploads.Upload(r.Context(), a, milepost.UploadPhoto, in)
	if err != nil {
		return err
	}
	return ok(w, toPhotoJSON(s, u))
}

func (s *Server) uploadFile(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	in, err := s.readUpload(r, milepost.UploadFile)
	if err != nil {
		return err
	}
	u, err := s.Uploads.Upload(r.Context(), a, milepost.UploadFile, in)
	if err != nil {
		return err
	}
	return ok(w, fileJSON{ID: u.ID, UserID: u.UserID, FileURL: s.uploadURL(u), DateUploaded: formatTime(u.CreatedAt),
		ContentType: u.Media.ContentType, SHA256: u.SHA256})
}

// uploadFields are the text fields shared by both upload forms.
type uploadFields struct {
	userID, name, takenOn                        string
	deviceID, deviceMaker, deviceModel, deviceOS string
	lat, lon                                     *float64
}

func (f uploadFields) domain(data []byte) (milepost.NewUpload, error) {
	taken, err := parseTime("takenOn", f.takenOn)
	if err != nil {
		return milepost.NewUpload{}, err
	}
	return milepost.NewUpload{UserID: f.userID, Name: f.name, Data: data, TakenOn: taken, Latitude: f.lat, Longitude: f.lon,
		Device: milepost.Device{Identifier: f.deviceID, Manufacturer: f.deviceMaker, Model: f.deviceModel, OS: f.deviceOS}}, nil
}

// uploadJSON is what both documented JSON bodies decode into: photoUploadRequest and
// fileUploadRequest differ only in the name of the Base64 field.
type uploadJSON struct {
	UserID             string   `json:"userId"`
	Name               string   `json:"name"`
	Photo              string   `json:"photo"`
	File               string   `json:"file"`
	DeviceIdentifier   string   `json:"deviceIdentifier"`
	DeviceManufacturer string   `json:"deviceManufacturer"`
	DeviceModel        string   `json:"deviceModel"`
	DeviceOS           string   `json:"deviceOS"`
	TakenOn            string   `json:"takenOn"`
	Latitude           *float64 `json:"latitude"`
	Longitude          *float64 `json:"longitude"`
}

// readUpload reads either the documented Base64 JSON body or a multipart/form-data body.
func (s *Server) readUpload(r *http.Request, kind milepost.UploadKind) (milepost.NewUpload, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		return s.readMultipartUpload(r, kind)
	}
	var req uploadJSON
	if err := decode(r, &req); err != nil {
		return milepost.NewUpload{}, err
	}
	encoded := req.Photo
	if kind == milepost.UploadFile {
		encoded = req.File
	}
	data, err := decodeBase64(string(kind), encoded)
	if err != nil {
		return milepost.NewUpload{}, err
	}
	return uploadFields{req.UserID, req.Name, req.TakenOn, req.DeviceIdentifier, req.DeviceManufacturer,
		req.DeviceModel, req.DeviceOS, req.Latitude, req.Longitude}.domain(data)
}

// decodeBase64 accepts standard or URL-safe Base64, padded or not, with line breaks, and an
// optional data: URI prefix, since partners' apps produce all of these.
func decodeBase64(field, s string) ([]byte, error) {
	if strings.HasPrefix(s, "data:") {
		if i := strings.Index(s, ","); i >= 0 {
			s = s[i+1:]
		}
	}
	if strings.ContainsAny(s, "\r\n \t") {
		s = strings.Map(func(r rune) rune {
			if r == '\r' || r == '\n' || r == ' ' || r == '\t' {
				return -1
			}
			return r
		}, s)
	}
	s = strings.TrimRight(s, "=")
	enc := base64.RawStdEncoding
	if strings.ContainsAny(s, "-_") {
		enc = base64.RawURLEncoding
	}
	b, err := enc.DecodeString(s)
	if err != nil {
		return nil, milepost.Invalidf(field, "%s is not valid Base64.", field)
	}
	return b, nil
}

func (s *Server) readMultipartUpload(r *http.Request, kind milepost.UploadKind) (milepost.NewUpload, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return milepost.NewUpload{}, milepost.Invalidf("", "The multipart/form-data body is malformed: %v.", err)
	}
	fileField := string(kind)
	var f uploadFields
	var data []byte
	var fileName string
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return milepost.NewUpload{}, multipartError(err)
		}
		name := part.FormName()
		if name == fileField {
			fileName = part.FileName()
			data, err = io.ReadAll(io.LimitReader(part, s.MaxUploadBytes+1))
			if err != nil {
				return milepost.NewUpload{}, multipartError(err)
			}
			continue
		}
		v, err := io.ReadAll(io.LimitReader(part, 4096))
		if err != nil {
			return milepost.NewUpload{}, multipartError(err)
		}
		val := string(v)
		switch name {
		case "userId":
			f.userID = val
		case "name":
			f.name = val
		case "takenOn":
			f.takenOn = val
		case "deviceIdentifier":
			f.deviceID = val
		case "deviceManufacturer":
			f.deviceMaker = val
		case "deviceModel":
			f.deviceModel = val
		case "deviceOS":
			f.deviceOS = val
		case "latitude", "longitude":
			if strings.TrimSpace(val) == "" {
				continue
			}
			x, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
			if err != nil {
				return milepost.NewUpload{}, milepost.Invalidf(name, "%s must be a number, not %q.", name, val)
			}
			if name == "latitude" {
				f.lat = &x
			} else {
				f.lon = &x
			}
		}
	}
	if f.name == "" {
		f.name = fileName
	}
	return f.domain(data)
}

func multipartError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &milepost.Error{Code: milepost.CodeTooLarge, Reason: milepost.ReasonPayloadTooLarge,
			Message: "The request body is larger than the limit of " + strconv.FormatInt(mbe.Limit, 10) + " bytes."}
	}
	return milepost.Invalidf("", "The multipart/form-data body is malformed or ends too early.")
}

// serveUpload returns the bytes of a photo or file to the owning partner (credentials), or to
// anyone holding an unexpired signed link.
func (s *Server) serveUpload(kind milepost.UploadKind) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var (
			u   *milepost.Upload
			rc  io.ReadCloser
			err error
		)
		id := r.PathValue("id")
		if r.URL.Query().Get("signature") != "" {
			if err := s.Limiter.AllowClient(r, audience); err != nil {
				s.writeError(w, r, err)
				return
			}
			if !s.Signer.Valid(r.URL.Path, r.URL.Query()) {
				s.writeError(w, r, milepost.Errorf(milepost.CodeForbidden, milepost.ReasonNoPermissions, "The signed link is invalid or has expired."))
				return
			}
			u, rc, err = s.Uploads.OpenUploadUnchecked(r.Context(), id)
		} else {
			a, aerr := s.Limiter.Authenticate(r, audience, s.authenticate)
			if aerr != nil {
				s.writeError(w, r, aerr)
				return
			}
			u, rc, err = s.Uploads.OpenUpload(r.Context(), a, id)
		}
		// A 20 MB download to a slow phone needs the upload's time, not the server's default.
		httpx.ExtendDeadlines(w, s.UploadTimeout)
		if err == nil && u.Kind != kind {
			rc.Close()
			err = milepost.Errorf(milepost.CodeNotFound, milepost.ReasonUploadNotFound, "Upload not found.")
		}
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		defer rc.Close()
		w.Header().Set("Content-Type", u.Media.ContentType)
		w.Header().Set("Content-Length", strconv.FormatInt(u.Size, 10))
		w.Header().Set("Cache-Control", "private, max-age=3600")
		w.Header().Set("ETag", `"`+u.SHA256+`"`)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if match := r.Header.Get("If-None-Match"); match == `"`+u.SHA256+`"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		_, _ = io.Copy(w, rc)
	})
}

// signedURLJSON is a link that shows an upload without credentials until it expires.
type signedURLJSON struct {
	URL       string `json:"url"`
	ExpiresAt string `json:"expiresAt"`
}

func (s *Server) signedURL(kind milepost.UploadKind) func(http.ResponseWriter, *http.Request, milepost.Actor) error {
	return func(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
		u, err := s.Uploads.FindUpload(r.Context(), a, r.PathValue("id"))
		if err != nil {
			return err
		}
		if u.Kind != kind {
			return milepost.Errorf(milepost.CodeNotFound, milepost.ReasonUploadNotFound, "Upload not found.")
		}
		path := "/api/photos/" + u.ID
		if kind == milepost.UploadFile {
			path = "/api/files/" + u.ID
		}
		return ok(w, signedURLJSON{URL: s.PublicURL + path + "?" + s.Signer.Sign(path, s.SignedLinkTTL),
			ExpiresAt: formatTime(time.Now().Add(s.SignedLinkTTL))})
	}
}
