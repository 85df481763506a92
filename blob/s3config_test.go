package blob

import (
	"fmt"
	"strings"
	"testing"
)

func TestParseS3URL(t *testing.T) {
	env := map[string]string{"AWS_ACCESS_KEY_ID": "ENVKEY", "AWS_SECRET_ACCESS_KEY": "ENVSECRET", "AWS_SESSION_TOKEN": "ENVTOKEN"}
	full := func(k string) string { return env[k] }
	none := func(string) string { return "" }
	for _, tc := range []struct {
		url    string
		getenv func(string) string
		want   S3Config
	}{
		{"s3://AK:SK@127.0.0.1:7070/bucket?region=us-east-1&tls=false&prefix=blobs/", none,
			S3Config{Endpoint: "127.0.0.1:7070", Bucket: "bucket", Region: "us-east-1", AccessKey: "AK", SecretKey: "SK", Prefix: "blobs/"}},
		{"s3://AK:SK@s3.eu-west-1.amazonaws.com/milepost-photos?region=eu-west-1", none,
			S3Config{Endpoint: "s3.eu-west-1.amazonaws.com", Bucket: "milepost-photos", Region: "eu-west-1", AccessKey: "AK", SecretKey: "SK", TLS: true}},
		// Defaults: TLS on, us-east-1, no prefix; a trailing slash after the bucket is fine.
		{"s3://AK:SK@minio.internal:9000/b-1/", none,
			S3Config{Endpoint: "minio.internal:9000", Bucket: "b-1", Region: DefaultS3Region, AccessKey: "AK", SecretKey: "SK", TLS: true}},
		// Percent-encoded keys, as AWS secrets often hold / and +.
		{"s3://AK%2Bx:a%2Fb%2Bc%3Ad%40e@h:1/bkt?tls=0", none,
			S3Config{Endpoint: "h:1", Bucket: "bkt", Region: DefaultS3Region, AccessKey: "AK+x", SecretKey: "a/b+c:d@e"}},
		// A prefix gets its trailing slash; an empty one stays empty.
		{"s3://AK:SK@h:1/bkt?prefix=a/b&tls=false", none,
			S3Config{Endpoint: "h:1", Bucket: "bkt", Region: DefaultS3Region, AccessKey: "AK", SecretKey: "SK", Prefix: "a/b/"}},
		{"s3://AK:SK@h:1/bkt?prefix=", none,
			S3Config{Endpoint: "h:1", Bucket: "bkt", Region: DefaultS3Region, AccessKey: "AK", SecretKey: "SK", TLS: true}},
		// Credentials from the environment when the URL has none; the URL's win otherwise.
		{"s3://h:1/bkt", full,
			S3Config{Endpoint: "h:1", Bucket: "bkt", Region: DefaultS3Region, AccessKey: "ENVKEY", SecretKey: "ENVSECRET", SessionToken: "ENVTOKEN", TLS: true}},
		{"s3://AK:SK@h:1/bkt", full,
			S3Config{Endpoint: "h:1", Bucket: "bkt", Region: DefaultS3Region, AccessKey: "AK", SecretKey: "SK", TLS: true}},
		{"S3://AK:SK@h:1/bkt", none,
			S3Config{Endpoint: "h:1", Bucket: "bkt", Region: DefaultS3Region, AccessKey: "AK", SecretKey: "SK", TLS: true}},
	} {
		t.Run(tc.url, func(t *testing.T) {
			got, err := parseS3URL(tc.url, tc.getenv)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestParseS3URLErrors(t *testing.T) {
	const secret = "TOPSECRETVALUE"
	none := func(string) string { return "" }
	for _, tc := range []struct {
		url     string
		wantErr string
	}{
		{"", "must look like s3://"},
		{"https://AK:" + secret + "@h:1/bkt", "must look like s3://"},
		{"s3:AK:" + secret + "@h:1/bkt", "must look like s3://"},
		{"s3://AK:" + secret + "@h:1/bkt#x", "fragment"},
		{"s3://AK:" + secret + "@h:port/bkt", "malformed S3 URL"},
		{"s3://AK:" + secret + "@h:1/bkt\x7f", "malformed S3 URL"},
		{"s3://AK:" + secret + "@/bkt", "endpoint (host:port) is required"},
		{"s3://AK:" + secret + "@h:1", "bucket"},
		{"s3://AK:" + secret + "@h:1/", "bucket"},
		{"s3://AK:" + secret + "@h:1/bkt/blobs", "?prefix="},
		{"s3://AK:" + secret + "@h:1/Bad_Bucket", "bucket"},
		{"s3://AK:" + secret + "@h:1/ab", "bucket"},
		{"s3://AK:" + secret + "@h:1/192.168.1.1", "bucket"},
		{"s3://h:1/bkt", "credentials are required"},
		{"s3://AK@h:1/bkt", "credentials are required"},
		{"s3://:" + secret + "@h:1/bkt", "credentials are required"},
		{"s3://AK:" + secret + "@h:1/bkt?tls=maybe", "tls="},
		{"s3://AK:" + secret + "@h:1/bkt?region=", "region must not be empty"},
		{"s3://AK:" + secret + "@h:1/bkt?prefix=/abs", "must not start with /"},
		{"s3://AK:" + secret + "@h:1/bkt?bucket=x", "unknown S3 URL parameter"},
		{"s3://AK:" + secret + "@h:1/bkt?region=a&region=b", "given 2 times"},
		{"s3://AK:" + secret + "@h:1/bkt?prefix=" + strings.Repeat("p", 600), "at most 512 bytes"},
	} {
		t.Run(tc.url, func(t *testing.T) {
			_, err := parseS3URL(tc.url, none)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %q does not say %q", err, tc.wantErr)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error repeats the secret: %q", err)
			}
		})
	}
}

func TestS3ConfigStringHidesCredentials(t *testing.T) {
	cfg, err := parseS3URL("s3://AKID:SECRETKEY@127.0.0.1:7070/bkt?prefix=blobs/&tls=false", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	cfg.SessionToken = "TOKEN"
	const want = "s3://127.0.0.1:7070/bkt?prefix=blobs%2F&region=us-east-1&tls=false"
	for _, got := range []string{cfg.String(), fmt.Sprint(cfg), fmt.Sprintf("%v", cfg)} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
	s, err := NewS3(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.String(); got != want {
		t.Errorf("S3.String() = %q, want %q", got, want)
	}
}

func TestNewS3Validates(t *testing.T) {
	good := S3Config{Endpoint: "h:1", Bucket: "bkt", AccessKey: "a", SecretKey: "s"}
	if _, err := NewS3(good); err != nil {
		t.Fatalf("valid config (region defaulted): %v", err)
	}
	for _, tc := range []struct {
		name   string
		modify func(*S3Config)
	}{
		{"no endpoint", func(c *S3Config) { c.Endpoint = "" }},
		{"endpoint with scheme", func(c *S3Config) { c.Endpoint = "http://h:1" }},
		{"no bucket", func(c *S3Config) { c.Bucket = "" }},
		{"no secret", func(c *S3Config) { c.SecretKey = "" }},
		{"prefix without slash", func(c *S3Config) { c.Prefix = "blobs" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := good
			tc.modify(&cfg)
			if _, err := NewS3(cfg); err == nil {
				t.Error("NewS3 accepted it")
			}
		})
	}
}
