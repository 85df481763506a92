package blob

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/minio/minio-go/v7/pkg/s3utils"
)

// DefaultS3Region is the region signed into requests when the URL names none. S3-compatible
// servers on premises accept it; AWS needs the bucket's own region.
const DefaultS3Region = "us-east-1"

// S3Config says where an S3 store keeps its blobs. ParseS3URL fills it from one URL; its String
// leaves the credentials out, so a config can be logged.
type S3Config struct {
	Endpoint     string // host or host:port of the server, no scheme
	Bucket       string // created by EnsureBucket when missing
	Region       string // DefaultS3Region when empty
	AccessKey    string
	SecretKey    string
	SessionToken string // for temporary credentials; only read from AWS_SESSION_TOKEN
	TLS          bool   // https (the URL's default); false for plain http, e.g. on loopback
	Prefix       string // put before every object name; empty or ending in "/"
}

// ParseS3URL reads an S3 store's config from
//
//	s3://ACCESS_KEY:SECRET_KEY@HOST[:PORT]/BUCKET[?region=R&tls=true|false&prefix=P]
//
// Keys with reserved characters (/ + : @ # ?) are percent-encoded. When the URL carries no
// credentials they come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and
// AWS_SESSION_TOKEN). TLS is on unless tls=false; a prefix gets a trailing "/" when it lacks
// one. Errors never repeat the URL, since it may hold a secret.
func ParseS3URL(rawURL string) (S3Config, error) {
	return parseS3URL(rawURL, os.Getenv)
}

// parseS3URL is ParseS3URL reading the environment through getenv, so tests need not set it.
func parseS3URL(rawURL string, getenv func(string) string) (S3Config, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error's text repeats the URL, secret included
		}
		return S3Config{}, fmt.Errorf("blob: malformed S3 URL: %v", err)
	}
	if u.Scheme != "s3" || u.Opaque != "" {
		return S3Config{}, errors.New("blob: S3 URL must look like s3://ACCESS_KEY:SECRET_KEY@HOST:PORT/BUCKET")
	}
	if u.Fragment != "" {
		return S3Config{}, errors.New("blob: S3 URL has a fragment (#...); percent-encode # in keys as %23")
	}
	cfg := S3Config{Endpoint: u.Host, Region: DefaultS3Region, TLS: true}
	cfg.Bucket, _ = strings.CutPrefix(u.Path, "/")
	cfg.Bucket, _ = strings.CutSuffix(cfg.Bucket, "/")
	if strings.Contains(cfg.Bucket, "/") {
		return S3Config{}, errors.New("blob: S3 URL path must be just the bucket; give a key prefix as ?prefix=")
	}
	if u.User != nil {
		cfg.AccessKey = u.User.Username()
		cfg.SecretKey, _ = u.User.Password()
	} else {
		cfg.AccessKey = getenv("AWS_ACCESS_KEY_ID")
		cfg.SecretKey = getenv("AWS_SECRET_ACCESS_KEY")
		cfg.SessionToken = getenv("AWS_SESSION_TOKEN")
	}
	for name, values := range u.Query() {
		if len(values) != 1 {
			return S3Config{}, fmt.Errorf("blob: S3 URL parameter %s is given %d times", name, len(values))
		}
		v := values[0]
		switch name {
		case "region":
			cfg.Region = v
		case "tls":
			if cfg.TLS, err = strconv.ParseBool(v); err != nil {
				return S3Config{}, fmt.Errorf("blob: S3 URL parameter tls=%q: want true or false", v)
			}
		case "prefix":
			cfg.Prefix = v
			if v != "" && !strings.HasSuffix(v, "/") {
				cfg.Prefix += "/"
			}
		default:
			return S3Config{}, fmt.Errorf("blob: unknown S3 URL parameter %q (known: region, tls, prefix)", name)
		}
	}
	if err := cfg.validate(); err != nil {
		return S3Config{}, err
	}
	return cfg, nil
}

// validate checks what the server would otherwise refuse later and less clearly.
func (c S3Config) validate() error {
	switch {
	case c.Endpoint == "":
		return errors.New("blob: S3 endpoint (host:port) is required")
	case strings.Contains(c.Endpoint, "/"):
		return errors.New("blob: S3 endpoint must be host:port, without scheme or path")
	case c.AccessKey == "" || c.SecretKey == "":
		return errors.New("blob: S3 credentials are required: put ACCESS_KEY:SECRET_KEY@ in the URL or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
	case c.Region == "":
		return errors.New("blob: S3 region must not be empty")
	case strings.HasPrefix(c.Prefix, "/"):
		return errors.New("blob: S3 prefix must not start with /")
	case c.Prefix != "" && !strings.HasSuffix(c.Prefix, "/"):
		return errors.New("blob: S3 prefix must end with /")
	case len(c.Prefix) > 512 || !utf8.ValidString(c.Prefix):
		return errors.New("blob: S3 prefix must be valid UTF-8 of at most 512 bytes")
	}
	// Strict: the bucket may be created by us, and AWS creates only lowercase DNS-style names.
	if err := s3utils.CheckValidBucketNameStrict(c.Bucket); err != nil {
		return fmt.Errorf("blob: S3 bucket %q: %v", c.Bucket, err)
	}
	return nil
}

// String is the config as a URL without credentials, for logs and error messages.
func (c S3Config) String() string {
	u := url.URL{Scheme: "s3", Host: c.Endpoint, Path: "/" + c.Bucket}
	q := url.Values{}
	q.Set("region", c.Region)
	q.Set("tls", strconv.FormatBool(c.TLS))
	if c.Prefix != "" {
		q.Set("prefix", c.Prefix)
	}
	u.RawQuery = q.Encode()
	return u.String()
}
