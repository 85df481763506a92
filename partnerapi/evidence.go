package partnerapi

import (
	"net/url"
	"strings"

	"github.com/milepost/milepost"
)

// photoRefJSON is a photo named in a check-in request.
type photoRefJSON struct {
	URL string `json:"url" required:"true" doc:"Url of the photo: the photoUrl returned by the Photo Upload API."`
}

// typedPhotoRefJSON is a photo with its type (angle or home photo type).
type typedPhotoRefJSON struct {
	URL  string `json:"url" required:"true" doc:"The photoUrl returned by the Photo Upload API."`
	Type string `json:"type" required:"true"`
}

// documentRefJSON is a proof-of-address document.
type documentRefJSON struct {
	URL     string `json:"url" required:"true" doc:"The photoUrl or fileUrl returned by the upload APIs."`
	Type    string `json:"type" required:"true" enum:"DOCUMENT,GALLERY,CAMERA" doc:"File type of the document."`
	Ordinal int    `json:"ordinal" doc:"Order of the document's pages."`
}

// uploadIDFromURL returns the upload id of a photoUrl or fileUrl this server issued (a signed
// link's query is ignored). The URL must name this server (its public URL) or be a bare path;
// the server never fetches a URL.
func (s *Server) uploadIDFromURL(raw string, allowFiles bool) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", false
	}
	if u.Scheme != "" || u.Host != "" {
		base, err := url.Parse(s.PublicURL)
		if err != nil || !strings.EqualFold(u.Scheme, base.Scheme) || !strings.EqualFold(u.Host, base.Host) {
			return "", false
		}
	}
	for _, prefix := range []string{"/api/photos/", "/api/files/"} {
		if prefix == "/api/files/" && !allowFiles {
			break
		}
		if id, ok := strings.CutPrefix(u.Path, prefix); ok && id != "" && !strings.Contains(id, "/") {
			return id, true
		}
	}
	return "", false
}

// evidence turns request URLs into evidence references; a URL this server did not issue is a
// 400 naming the field.
func (s *Server) evidence(field string, urls []string, kinds []string, ordinals []int, allowFiles bool) ([]milepost.EvidenceRef, error) {
	out := make([]milepost.EvidenceRef, len(urls))
	for i, raw := range urls {
		id, ok := s.uploadIDFromURL(raw, allowFiles)
		if !ok {
			what := "photoUrl returned by /api/photo/upload"
			if allowFiles {
				what = "photoUrl or fileUrl returned by the upload APIs"
			}
			return nil, milepost.Invalidf(field, "%s[%d].url %q is not a %s on this server.", field, i, raw, what)
		}
		out[i] = milepost.EvidenceRef{UploadID: id, Ref: raw}
		if kinds != nil {
			out[i].Kind = kinds[i]
		}
		if ordinals != nil {
			out[i].Ordinal = ordinals[i]
		}
	}
	return out, nil
}

func plainRefs(s *Server, field string, refs []photoRefJSON) ([]milepost.EvidenceRef, error) {
	urls := make([]string, len(refs))
	for i, r := range refs {
		urls[i] = r.URL
	}
	return s.evidence(field, urls, nil, nil, false)
}

func typedRefs(s *Server, field string, refs []typedPhotoRefJSON) ([]milepost.EvidenceRef, error) {
	urls, kinds := make([]string, len(refs)), make([]string, len(refs))
	for i, r := range refs {
		urls[i], kinds[i] = r.URL, strings.TrimSpace(r.Type)
	}
	return s.evidence(field, urls, kinds, nil, false)
}

func documentRefs(s *Server, refs []documentRefJSON) ([]milepost.EvidenceRef, error) {
	urls, kinds, ords := make([]string, len(refs)), make([]string, len(refs)), make([]int, len(refs))
	for i, r := range refs {
		urls[i], kinds[i], ords[i] = r.URL, strings.TrimSpace(r.Type), r.Ordinal
	}
	return s.evidence("documents", urls, kinds, ords, true)
}

// photoOutJSON is a photo in a mileage check-in response.
type photoOutJSON struct {
	PhotoURL  string   `json:"photoUrl" doc:"URL of the photo."`
	Latitude  *float64 `json:"latitude" doc:"Latitude at which photo was taken (as the app reported)."`
	Longitude *float64 `json:"longitude" doc:"Longitude at which photo was taken (as the app reported)."`
}

func (s *Server) photosOut(c *milepost.Checkin, role milepost.PhotoRole) []photoOutJSON {
	out := []photoOutJSON{}
	for _, p := range c.Photos {
		if p.Role == role {
			out = append(out, photoOutJSON{PhotoURL: s.uploadURL(p.Upload), Latitude: p.Upload.Latitude, Longitude: p.Upload.Longitude})
		}
	}
	return out
}
