package blobstore

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// URLEnv is the setting that chooses the store.
const URLEnv = "SKILLCERT_BLOB_URL"

// ParseURL reads a SKILLCERT_BLOB_URL without credentials: "" is the local
// folder (ok false); otherwise
//
//	s3://bucket[/prefix]?endpoint=host:port[&region=…][&secure=false][&path_style=true]
//
// endpoint is required (there is no default cloud); secure defaults to true
// (https); path_style forces path-style requests (the default lets the client
// choose, virtual-host style for the clouds it knows).
func ParseURL(raw string) (cfg S3Config, ok bool, err error) {
	if raw == "" {
		return cfg, false, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return cfg, false, fmt.Errorf("%s: %w", URLEnv, err)
	}
	if u.Scheme != "s3" {
		return cfg, false, fmt.Errorf("%s: %q is not s3://bucket[/prefix]?endpoint=host:port (empty for the local folder)", URLEnv, redact(u))
	}
	if u.User != nil {
		return cfg, false, fmt.Errorf("%s: put no credentials in the URL: use AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", URLEnv)
	}
	cfg.Bucket = u.Host
	cfg.Prefix = strings.Trim(u.Path, "/")
	if cfg.Bucket == "" {
		return cfg, false, fmt.Errorf("%s: no bucket in %q (s3://bucket[/prefix]?endpoint=host:port)", URLEnv, raw)
	}
	q := u.Query()
	for k := range q {
		switch k {
		case "endpoint", "region", "secure", "path_style":
		default:
			return cfg, false, fmt.Errorf("%s: unknown parameter %q (endpoint, region, secure, path_style)", URLEnv, k)
		}
	}
	cfg.Endpoint, cfg.Region = q.Get("endpoint"), q.Get("region")
	if cfg.Endpoint == "" {
		return cfg, false, fmt.Errorf("%s: endpoint=host:port is required (e.g. cos.ap-guangzhou.myqcloud.com)", URLEnv)
	}
	if strings.Contains(cfg.Endpoint, "/") {
		return cfg, false, fmt.Errorf("%s: endpoint is host[:port], without a scheme or path (use secure=false for http): %q", URLEnv, cfg.Endpoint)
	}
	cfg.Secure = true
	for name, dst := range map[string]*bool{"secure": &cfg.Secure, "path_style": &cfg.PathStyle} {
		if v := q.Get(name); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return cfg, false, fmt.Errorf("%s: %s=%q is not true or false", URLEnv, name, v)
			}
			*dst = b
		}
	}
	return cfg, true, nil
}

func redact(u *url.URL) string {
	c := *u
	c.User = nil
	return c.String()
}

// Open opens the store a SKILLCERT_BLOB_URL names: the content-addressed
// folder localDir when it is empty, else the bucket, with the credentials of
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) read
// through getenv (os.Getenv when nil). For a bucket, localDir/tmp holds the
// uploads in flight. Open makes no request: Ping checks the bucket.
func Open(raw, localDir string, getenv func(string) string) (Store, error) {
	cfg, s3, err := ParseURL(raw)
	if err != nil {
		return nil, err
	}
	if !s3 {
		return NewLocal(localDir)
	}
	if getenv == nil {
		getenv = os.Getenv
	}
	cfg.AccessKey, cfg.SecretKey, cfg.Token = getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY"), getenv("AWS_SESSION_TOKEN")
	if cfg.AccessKey == "" || cfg.SecretKey == "" {
		return nil, errors.New(URLEnv + " names a bucket: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
	}
	return NewS3(cfg, filepath.Join(localDir, "tmp"))
}
