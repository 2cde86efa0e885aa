// Package server wires skillcert: configuration from the environment, the
// database, core, the Echo stack with its middleware, the one route table, and the
// start and stop of background workers.
package server

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"skillcert/blobstore"
	"skillcert/core"
	"skillcert/repo"
)

// Config is every setting of a skillcert process. Each comes from one
// SKILLCERT_* (or WECHAT_*) environment variable, documented in the README.
type Config struct {
	Addr            string        // SKILLCERT_ADDR
	DataDir         string        // SKILLCERT_DATA_DIR
	DB              string        // SKILLCERT_DB: MySQL DSN, or a SQLite path
	Migrate         bool          // SKILLCERT_MIGRATE: migrate on start
	Demo            bool          // SKILLCERT_DEMO: load demo data into an empty database
	DemoMode        bool          // demo mode (demo.go): SKILLCERT_DEMO, no WECHAT_* variable, SQLite
	DemoPublic      bool          // SKILLCERT_DEMO_PUBLIC: demo mode listens beyond loopback
	DemoPlans       int           // SKILLCERT_DEMO_PLANS
	BodyLimit       string        // SKILLCERT_BODY_LIMIT
	ReadTimeout     time.Duration // SKILLCERT_READ_TIMEOUT
	WriteTimeout    time.Duration // SKILLCERT_WRITE_TIMEOUT
	ShutdownTimeout time.Duration // SKILLCERT_SHUTDOWN_TIMEOUT
	LogLevel        string        // SKILLCERT_LOG_LEVEL
	AccessLog       bool          // SKILLCERT_ACCESS_LOG
	MaxOpenConns    int           // SKILLCERT_DB_MAX_CONNS
	RedisURL        string        // SKILLCERT_REDIS_URL
	// Blob is where attachments and feedback photos are kept: the data
	// folder's attachments/ (SKILLCERT_BLOB_URL empty) or an S3-compatible
	// bucket (docs/OPERATIONS.md).
	Blob    BlobConfig
	DataKey string // SKILLCERT_DATA_KEY
	Dev     bool   // SKILLCERT_DEV
	BaseURL string // SKILLCERT_BASE_URL: how the start-up log names the server
	// MediaCheckBase is the public base URL WeChat fetches photos from for their
	// content check (SKILLCERT_MEDIA_CHECK_BASE, default SKILLCERT_BASE_URL);
	// photos are not sent for checking without one.
	MediaCheckBase string
	LoginRate      int          // SKILLCERT_LOGIN_RATE (per minute per IP)
	CodeGuessLimit int          // SKILLCERT_CODE_GUESS_LIMIT (failures per 10 minutes per candidate)
	CodeGuessIP    int          // SKILLCERT_CODE_GUESS_IP_LIMIT (failures per 10 minutes per IP)
	CodeGuessAll   int          // SKILLCERT_CODE_GUESS_GLOBAL_LIMIT (failures per 10 minutes, everyone)
	TrustedProxies []*net.IPNet // SKILLCERT_TRUSTED_PROXIES: whose X-Forwarded-For is believed
	MetricsAddr    string       // SKILLCERT_METRICS_ADDR: the metrics listener ("off": none)
	MetricsToken   string       // SKILLCERT_METRICS_TOKEN: also serve /metrics on SKILLCERT_ADDR to this Bearer token
	MaxUploadMB    int          // SKILLCERT_MAX_UPLOAD_MB
	// SubmitConcurrency (SKILLCERT_SUBMIT_CONCURRENCY) is how many submits run at
	// once per replica; SubmitWait (SKILLCERT_SUBMIT_WAIT) how long one waits for
	// a turn before the answer is 503 busy with Retry-After.
	SubmitConcurrency int
	SubmitWait        time.Duration
	// SubmitQueue (SKILLCERT_SUBMIT_QUEUE: on, off) says whether a draft's
	// submit queues unread for its commit group's leader.
	SubmitQueue     core.SubmitQueueMode
	MaxCandidateMB  int           // SKILLCERT_MAX_CANDIDATE_MB: attachments per candidate, all registrations
	MinFreeDiskMB   int           // SKILLCERT_MIN_FREE_DISK_MB: uploads refused (507) below this free space; 0: no check
	CancelRetention time.Duration // SKILLCERT_CANCELLED_RETENTION: files of never-approved cancelled registrations kept this long
	PushRate        float64       // SKILLCERT_PUSH_RATE (messages per second)
	Notify          NotifyConfig  // SKILLCERT_PUSH_*, SKILLCERT_NOTIFY_TEMPLATES (notifyconfig.go)
	OptionsFile     string        // SKILLCERT_OPTIONS_FILE: overrides the option lists
	DraftRetention  time.Duration // SKILLCERT_DRAFT_RETENTION: drafts never submitted are deleted after this
	Console         ConsoleConfig // SKILLCERT_CONSOLE_*: console sign-in
	Chat            ChatConfig    // SKILLCERT_CHAT_*: the official-account chat
	Web             WebConfig     // SKILLCERT_WEB_*: the candidate web pages
	WeChat          WeChatConfig
	// RequireVerified (SKILLCERT_REQUIRE_VERIFIED) makes every submit need an
	// identity verified by face; plans can also require it one by one.
	RequireVerified bool
}

// WeChatConfig is the WeChat apps' settings.
type WeChatConfig struct {
	MPAppID  string // WECHAT_MP_APPID
	MPSecret string // WECHAT_MP_SECRET
	OAAppID  string // WECHAT_OA_APPID
	OASecret string // WECHAT_OA_SECRET
	OAToken  string // WECHAT_OA_TOKEN
	OAAESKey string // WECHAT_OA_AES_KEY
	// OAMode is WECHAT_OA_MESSAGE_MODE, the 消息加解密方式 chosen in WeChat's
	// admin: "safe" (the default with an AES key: only encrypted messages whose
	// msg_signature verifies), "compatible" (encrypted or plain) or "plain" (the
	// default without a key).
	OAMode  string
	APIBase string // WECHAT_API_BASE
	// MPToken and MPAESKey are the mini-program's message push settings
	// (WECHAT_MP_TOKEN, WECHAT_MP_AES_KEY): the verdicts of photo checks arrive
	// there (/wechat/mp/callback).
	MPToken  string
	MPAESKey string
}

// envReader reads variables and collects the first bad value.
type envReader struct {
	get func(string) string
	err error
}

func (r *envReader) str(name, def string) string {
	if v := strings.TrimSpace(r.get(name)); v != "" {
		return v
	}
	return def
}

func (r *envReader) fail(name, v, want string) {
	if r.err == nil {
		r.err = fmt.Errorf("environment variable %s=%q is invalid: %s", name, v, want)
	}
}

// oneOf reads a variable that must be one of values.
func (r *envReader) oneOf(name, def string, values ...string) string {
	v := strings.ToLower(r.str(name, def))
	if !slices.Contains(values, v) {
		r.fail(name, v, "want one of "+strings.Join(values, ", "))
		return def
	}
	return v
}

func (r *envReader) boolean(name string, def bool) bool {
	v := strings.TrimSpace(r.get(name))
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.fail(name, v, "want 1/0, true/false")
		return def
	}
	return b
}

func (r *envReader) integer(name string, def, lo, hi int) int {
	v := strings.TrimSpace(r.get(name))
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		r.fail(name, v, fmt.Sprintf("want a whole number from %d to %d", lo, hi))
		return def
	}
	return n
}

func (r *envReader) float(name string, def, lo, hi float64) float64 {
	v := strings.TrimSpace(r.get(name))
	if v == "" {
		return def
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < lo || f > hi {
		r.fail(name, v, fmt.Sprintf("want a number from %g to %g", lo, hi))
		return def
	}
	return f
}

func (r *envReader) duration(name string, def time.Duration) time.Duration {
	v := strings.TrimSpace(r.get(name))
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		r.fail(name, v, "want a positive duration such as 30s or 2m")
		return def
	}
	return d
}

// cidrs reads a comma-separated list of CIDRs (a bare address is one host).
func (r *envReader) cidrs(name string) []*net.IPNet {
	v := strings.TrimSpace(r.get(name))
	if v == "" {
		return nil
	}
	var out []*net.IPNet
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			if ip := net.ParseIP(part); ip != nil {
				bits := 128
				if ip.To4() != nil {
					ip, bits = ip.To4(), 32
				}
				out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
				continue
			}
		}
		_, n, err := net.ParseCIDR(part)
		if err != nil {
			r.fail(name, v, "want CIDRs separated by commas, such as 10.0.0.0/8,192.0.2.7")
			return nil
		}
		out = append(out, n)
	}
	return out
}

// LoadConfig reads the configuration from the environment (getenv is os.Getenv
// outside tests). A bad value is an error that names the variable.
func LoadConfig(getenv func(string) string) (Config, error) {
	weChatSet := anyWeChatEnv(getenv)
	if getenv == nil {
		getenv = os.Getenv
	}
	r := &envReader{get: getenv}
	c := Config{
		Addr:              r.str("SKILLCERT_ADDR", ":8080"),
		DataDir:           r.str("SKILLCERT_DATA_DIR", "data"),
		Migrate:           r.boolean("SKILLCERT_MIGRATE", true),
		Demo:              r.boolean("SKILLCERT_DEMO", true),
		DemoPlans:         r.integer("SKILLCERT_DEMO_PLANS", 1200, 0, 1000000),
		BodyLimit:         r.str("SKILLCERT_BODY_LIMIT", "2M"),
		ReadTimeout:       r.duration("SKILLCERT_READ_TIMEOUT", 30*time.Second),
		WriteTimeout:      r.duration("SKILLCERT_WRITE_TIMEOUT", 60*time.Second),
		ShutdownTimeout:   r.duration("SKILLCERT_SHUTDOWN_TIMEOUT", 15*time.Second),
		LogLevel:          strings.ToLower(r.str("SKILLCERT_LOG_LEVEL", "info")),
		AccessLog:         r.boolean("SKILLCERT_ACCESS_LOG", true),
		MaxOpenConns:      r.integer("SKILLCERT_DB_MAX_CONNS", 16, 1, 1000),
		RedisURL:          r.str("SKILLCERT_REDIS_URL", ""),
		DataKey:           r.str("SKILLCERT_DATA_KEY", ""),
		Dev:               r.boolean("SKILLCERT_DEV", false),
		BaseURL:           r.str("SKILLCERT_BASE_URL", ""),
		LoginRate:         r.integer("SKILLCERT_LOGIN_RATE", 120, 1, 1000000),
		CodeGuessLimit:    r.integer("SKILLCERT_CODE_GUESS_LIMIT", 10, 1, 100000),
		CodeGuessIP:       r.integer("SKILLCERT_CODE_GUESS_IP_LIMIT", 300, 1, 1000000),
		CodeGuessAll:      r.integer("SKILLCERT_CODE_GUESS_GLOBAL_LIMIT", 3000, 1, 100000000),
		TrustedProxies:    r.cidrs("SKILLCERT_TRUSTED_PROXIES"),
		MetricsAddr:       r.str("SKILLCERT_METRICS_ADDR", "127.0.0.1:9464"),
		MetricsToken:      r.str("SKILLCERT_METRICS_TOKEN", ""),
		MaxUploadMB:       r.integer("SKILLCERT_MAX_UPLOAD_MB", 20, 1, 1024),
		SubmitConcurrency: r.integer("SKILLCERT_SUBMIT_CONCURRENCY", core.DefaultSubmitConcurrency, 1, 10000),
		SubmitWait:        r.duration("SKILLCERT_SUBMIT_WAIT", core.DefaultSubmitWait),
		SubmitQueue:       core.SubmitQueueMode(r.oneOf("SKILLCERT_SUBMIT_QUEUE", string(core.SubmitQueueOn), "on", "off")),
		MaxCandidateMB:    r.integer("SKILLCERT_MAX_CANDIDATE_MB", 100, 1, 1<<20),
		MinFreeDiskMB:     r.integer("SKILLCERT_MIN_FREE_DISK_MB", 1024, 0, 1<<40),
		CancelRetention:   r.duration("SKILLCERT_CANCELLED_RETENTION", 30*24*time.Hour),
		PushRate:          r.float("SKILLCERT_PUSH_RATE", 50, 0.1, 100000),
		Notify:            readNotifyConfig(r),
		OptionsFile:       r.str("SKILLCERT_OPTIONS_FILE", ""),
		DraftRetention:    r.duration("SKILLCERT_DRAFT_RETENTION", 180*24*time.Hour),
		WeChat: WeChatConfig{
			MPAppID:  r.str("WECHAT_MP_APPID", ""),
			MPSecret: r.str("WECHAT_MP_SECRET", ""),
			OAAppID:  r.str("WECHAT_OA_APPID", ""),
			OASecret: r.str("WECHAT_OA_SECRET", ""),
			OAToken:  r.str("WECHAT_OA_TOKEN", ""),
			OAAESKey: r.str("WECHAT_OA_AES_KEY", ""),
			OAMode:   strings.ToLower(r.str("WECHAT_OA_MESSAGE_MODE", "")),
			APIBase:  r.str("WECHAT_API_BASE", ""),
			MPToken:  r.str("WECHAT_MP_TOKEN", ""),
			MPAESKey: r.str("WECHAT_MP_AES_KEY", ""),
		},
	}
	c.Console = loadConsoleConfig(r)
	c.Chat = loadChatConfig(r)
	c.RequireVerified = r.boolean("SKILLCERT_REQUIRE_VERIFIED", false)
	c.Web = loadWebConfig(r)
	c.DB = r.str("SKILLCERT_DB", filepath.Join(c.DataDir, "skillcert.db"))
	c.Blob = loadBlobConfig(r)
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		r.fail("SKILLCERT_LOG_LEVEL", c.LogLevel, "want debug, info, warn or error")
	}
	if _, err := parseBytes(c.BodyLimit); err != nil {
		r.fail("SKILLCERT_BODY_LIMIT", c.BodyLimit, "want a size such as 2M or 512K")
	}
	if c.WeChat.APIBase != "" && !strings.HasPrefix(c.WeChat.APIBase, "http://") && !strings.HasPrefix(c.WeChat.APIBase, "https://") {
		r.fail("WECHAT_API_BASE", c.WeChat.APIBase, "want a URL such as http://127.0.0.1:9090")
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < 24 {
		r.fail("SKILLCERT_METRICS_TOKEN", "(hidden)", "want at least 24 characters")
	}
	if c.WeChat.MPAESKey != "" && len(c.WeChat.MPAESKey) != 43 {
		r.fail("WECHAT_MP_AES_KEY", "(hidden)", "want the 43-character EncodingAESKey")
	}
	c.MediaCheckBase = strings.TrimRight(r.str("SKILLCERT_MEDIA_CHECK_BASE", c.BaseURL), "/")
	if c.MediaCheckBase != "" && !strings.HasPrefix(c.MediaCheckBase, "http://") && !strings.HasPrefix(c.MediaCheckBase, "https://") {
		r.fail("SKILLCERT_MEDIA_CHECK_BASE", c.MediaCheckBase, "want a URL such as https://skillcert.example.cn")
	}
	if c.WeChat.OAAESKey != "" && len(c.WeChat.OAAESKey) != 43 {
		r.fail("WECHAT_OA_AES_KEY", "(hidden)", "want the 43-character EncodingAESKey")
	}
	switch c.WeChat.OAMode {
	case "":
		c.WeChat.OAMode = "plain"
		if c.WeChat.OAAESKey != "" {
			c.WeChat.OAMode = "safe"
		}
	case "safe", "compatible":
		if c.WeChat.OAAESKey == "" {
			r.fail("WECHAT_OA_MESSAGE_MODE", c.WeChat.OAMode, "safe and compatible modes need WECHAT_OA_AES_KEY")
		}
	case "plain":
	default:
		r.fail("WECHAT_OA_MESSAGE_MODE", c.WeChat.OAMode, "want safe, compatible or plain")
	}
	c.DemoPublic = r.boolean("SKILLCERT_DEMO_PUBLIC", false)
	c.DemoMode = c.Demo && !weChatSet && !repo.IsMySQLDSN(c.DB)
	if c.DemoMode {
		applyDemoDefaults(r, &c)
	}
	return c, r.err
}

// BlobConfig is SKILLCERT_BLOB_URL and, for a bucket, its credentials.
type BlobConfig struct {
	URL          string // SKILLCERT_BLOB_URL: "" (the data folder) or s3://bucket[/prefix]?endpoint=host:port&…
	AccessKey    string // AWS_ACCESS_KEY_ID
	SecretKey    string // AWS_SECRET_ACCESS_KEY
	SessionToken string // AWS_SESSION_TOKEN (temporary keys only)
}

// IsS3 tells whether the blobs are in a bucket.
func (b BlobConfig) IsS3() bool { return b.URL != "" }

// Env serves the credentials to blobstore.Open.
func (b BlobConfig) Env(name string) string {
	switch name {
	case "AWS_ACCESS_KEY_ID":
		return b.AccessKey
	case "AWS_SECRET_ACCESS_KEY":
		return b.SecretKey
	case "AWS_SESSION_TOKEN":
		return b.SessionToken
	}
	return ""
}

func loadBlobConfig(r *envReader) BlobConfig {
	b := BlobConfig{URL: strings.TrimSpace(r.str(blobstore.URLEnv, ""))}
	if _, s3, err := blobstore.ParseURL(b.URL); err != nil {
		r.fail(blobstore.URLEnv, b.URL, strings.TrimPrefix(err.Error(), blobstore.URLEnv+": "))
	} else if s3 {
		b.AccessKey, b.SecretKey, b.SessionToken = r.str("AWS_ACCESS_KEY_ID", ""), r.str("AWS_SECRET_ACCESS_KEY", ""), r.str("AWS_SESSION_TOKEN", "")
		if b.AccessKey == "" || b.SecretKey == "" {
			r.fail("AWS_ACCESS_KEY_ID", b.AccessKey, "SKILLCERT_BLOB_URL names a bucket: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
		}
	}
	return b
}

// parseBytes reads sizes like 2M, 512K, 1048576.
func parseBytes(s string) (int64, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "K"):
		mult, s = 1<<10, strings.TrimSuffix(s, "K")
	case strings.HasSuffix(s, "M"):
		mult, s = 1<<20, strings.TrimSuffix(s, "M")
	case strings.HasSuffix(s, "G"):
		mult, s = 1<<30, strings.TrimSuffix(s, "G")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("bad size %q", s)
	}
	return n * mult, nil
}
