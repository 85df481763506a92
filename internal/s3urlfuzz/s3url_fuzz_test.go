package s3urlfuzz

import (
	"net/url"
	"strings"
	"testing"

	"github.com/milepost/milepost/blob"
)

// FuzzParseS3URL fuzzes the parser of --blob-url (MILEPOST_BLOB_URL), which holds the S3
// credentials. Whatever the string: no panic; an error never repeats the URL's secret key; an
// accepted URL gives a config the server can use (an endpoint without a path, a bucket name
// without "/", a region, a prefix empty or ending in "/"), whose String holds no credential and
// reads back as the same config.
func FuzzParseS3URL(f *testing.F) {
	for _, s := range []string{
		"s3://AKIA123:s3cr%2Fet@127.0.0.1:9000/photos?tls=false&region=eu-west-1&prefix=milepost",
		"s3://k:s@s3.amazonaws.com/bucket-name/?prefix=a/b/",
		"s3://minio.local/bucket",
		"s3://k:s@[::1]:9000/b?tls=maybe",
		"s3://k:s@h/b/c", "s3://k:s@h/B_", "s3://k:s@h/b?x=1", "s3://k:s@h/b?region=", "s3://k:s@h/b?prefix=/x",
		"s3://k:s@h/b#frag", "s3:opaque", "http://k:s@h/b", "s3://k:s@h/b?region=a&region=b", "s3://%zz", "", "s3://k:@h/b",
		"s3://k:s@h:99999/bb?prefix=" + strings.Repeat("é", 300),
	} {
		f.Add(s)
	}
	const envKey, envSecret = "ENVKEY_3f9c", "ENVSECRET_7d21"
	f.Setenv("AWS_ACCESS_KEY_ID", envKey)
	f.Setenv("AWS_SECRET_ACCESS_KEY", envSecret)
	f.Setenv("AWS_SESSION_TOKEN", "")
	f.Fuzz(func(t *testing.T, raw string) {
		cfg, err := blob.ParseS3URL(raw)
		// The same URL with a recognisable secret: an error must not repeat it.
		if u, perr := url.Parse(raw); perr == nil && u.User != nil {
			const marker = "SECRETMARKER_91af"
			u.User = url.UserPassword(u.User.Username(), marker)
			if _, err := blob.ParseS3URL(u.String()); err != nil && strings.Contains(err.Error(), marker) {
				t.Fatalf("error repeats the secret: %v", err)
			}
		}
		if err != nil {
			if err.Error() == "" || !strings.HasPrefix(err.Error(), "blob: ") {
				t.Fatalf("error %q", err)
			}
			return
		}
		switch {
		case cfg.Endpoint == "" || strings.Contains(cfg.Endpoint, "/"),
			cfg.Bucket == "" || strings.Contains(cfg.Bucket, "/"),
			cfg.Region == "",
			cfg.Prefix != "" && (!strings.HasSuffix(cfg.Prefix, "/") || strings.HasPrefix(cfg.Prefix, "/")),
			cfg.AccessKey == "" || cfg.SecretKey == "":
			t.Fatalf("%q accepted as an unusable config %+v", raw, cfg)
		}
		s := cfg.String()
		if strings.Contains(s, "@") || (len(cfg.SecretKey) >= 4 && strings.Contains(s, cfg.SecretKey)) || strings.Contains(s, url.QueryEscape(cfg.SecretKey)+"@") {
			t.Fatalf("String %q of %q shows credentials", s, raw)
		}
		back, err := blob.ParseS3URL(s) // the credentials now come from the environment
		if err != nil {
			t.Fatalf("String %q of accepted %q does not parse: %v", s, raw, err)
		}
		back.AccessKey, back.SecretKey, back.SessionToken = cfg.AccessKey, cfg.SecretKey, cfg.SessionToken
		if back != cfg {
			t.Fatalf("%q → %+v → %q → %+v", raw, cfg, s, back)
		}
	})
}
