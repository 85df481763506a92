package console

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
)

//go:embed assets
var assetFS embed.FS

// assetVersions maps each asset's name to a short hash of its content. Pages link to
// /console/assets/NAME?v=HASH, so a browser may keep an asset for a year and still fetches the
// new one after an upgrade.
var assetVersions = func() map[string]string {
	v := map[string]string{}
	entries, err := fs.ReadDir(assetFS, "assets")
	if err != nil {
		panic("console: read embedded assets: " + err.Error())
	}
	for _, e := range entries {
		b, err := assetFS.ReadFile("assets/" + e.Name())
		if err != nil {
			panic("console: read embedded asset: " + err.Error())
		}
		sum := sha256.Sum256(b)
		v[e.Name()] = hex.EncodeToString(sum[:6])
	}
	return v
}()

// assetURL is the versioned URL of an embedded asset; templates call it as {{asset "x.css"}}.
func assetURL(name string) string {
	v, ok := assetVersions[name]
	if !ok {
		panic("console: no embedded asset " + name) // a template names a file that is not there
	}
	return "/console/assets/" + name + "?v=" + v
}

// serveAsset serves an embedded stylesheet or script. Assets hold no user data and need no
// session (the sign-in page uses them).
func serveAsset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	b, err := assetFS.ReadFile(path.Join("assets", path.Base(name)))
	if err != nil || assetVersions[name] == "" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
	if r.URL.Query().Get("v") == assetVersions[name] {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.Header().Set("ETag", `"`+assetVersions[name]+`"`)
	if r.Header.Get("If-None-Match") == `"`+assetVersions[name]+`"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	_, _ = w.Write(b)
}
