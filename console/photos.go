package console

import (
	"io"
	"net/http"
	"strconv"

	"github.com/milepost/milepost"
)

// photo serves an upload's bytes to a reviewer of its partner (another partner's upload is
// CodeForbidden in the upload service). Pictures are shown inline; documents such as PDFs are
// downloaded, never rendered inside the console's origin.
func (c *Console) photo(w http.ResponseWriter, r *http.Request, s *milepost.ConsoleSession) {
	u, rc, err := c.cfg.Uploads.OpenUpload(r.Context(), s.Actor(), r.PathValue("id"))
	if err != nil {
		c.renderError(w, r, err)
		return
	}
	defer rc.Close()
	h := w.Header()
	etag := `"` + u.SHA256 + `"`
	// Revalidated on each use, so a reviewer who lost access stops seeing it; the ETag keeps
	// that cheap.
	h.Set("Cache-Control", "private, no-cache")
	h.Set("ETag", etag)
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	switch u.Media.ContentType {
	case "image/jpeg", "image/png", "image/webp", "image/heic", "image/heif":
		h.Set("Content-Type", u.Media.ContentType)
	default:
		h.Set("Content-Type", "application/octet-stream")
		h.Set("Content-Disposition", `attachment; filename="`+u.ID+extension(u.Media.ContentType)+`"`)
	}
	if u.Size > 0 {
		h.Set("Content-Length", strconv.FormatInt(u.Size, 10))
	}
	if _, err := io.Copy(w, rc); err != nil {
		c.log.Warn("send upload", "upload", u.ID, "error", err)
	}
}

func extension(contentType string) string {
	if contentType == "application/pdf" {
		return ".pdf"
	}
	return ""
}
