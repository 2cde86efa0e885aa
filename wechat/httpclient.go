package wechat

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/silenceper/wechat/v2/util"
)

// DefaultTimeout bounds one HTTP exchange with WeChat (request and reading the
// reply) when Config.Timeout or InstallHTTPClient's timeout is zero.
const DefaultTimeout = 10 * time.Second

// transportSettings is what InstallHTTPClient may change at run time; it is
// swapped as a whole, atomically.
type transportSettings struct {
	base    *url.URL // nil: no rewrite
	timeout time.Duration
}

// rewriteTransport rewrites scheme and host (and prefixes the path) of every
// request to the configured base and bounds each exchange with the timeout.
type rewriteTransport struct {
	settings atomic.Pointer[transportSettings]
	next     http.RoundTripper
}

var (
	installMu       sync.Mutex
	sharedTransport = newRewriteTransport()
	sharedClient    = &http.Client{Transport: sharedTransport}
)

func newRewriteTransport() *rewriteTransport {
	base := http.DefaultTransport.(*http.Transport).Clone()
	// Dispatchers send many messages to one host: keep more idle connections than
	// the default 2 so bursts do not churn through ephemeral ports.
	base.MaxIdleConns = 200
	base.MaxIdleConnsPerHost = 100
	t := &rewriteTransport{next: base}
	t.settings.Store(&transportSettings{timeout: DefaultTimeout})
	return t
}

// InstallHTTPClient makes the SDK send every request through a client with a
// timeout (DefaultTimeout when timeout <= 0) and, when apiBase is set (for example
// "http://127.0.0.1:9090", a wechat/fake server), a transport that rewrites scheme
// and host of every request from api.weixin.qq.com to apiBase. An empty apiBase
// sends requests to WeChat itself.
//
// The setting is process-wide: the SDK reads the package variable
// util.DefaultHTTPClient for every call. The client is installed once; later calls
// only swap the target and timeout atomically, so they are safe while requests are
// in flight (requests already on the wire finish against the old target). New calls
// it with the Config's APIBase and Timeout.
func InstallHTTPClient(apiBase string, timeout time.Duration) error {
	s := &transportSettings{timeout: timeout}
	if s.timeout <= 0 {
		s.timeout = DefaultTimeout
	}
	if apiBase != "" {
		u, err := url.Parse(strings.TrimRight(apiBase, "/"))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("wechat: API base %q is not an http(s) URL", apiBase)
		}
		s.base = u
	}
	sharedTransport.settings.Store(s)
	installMu.Lock()
	defer installMu.Unlock()
	if util.DefaultHTTPClient != sharedClient {
		util.DefaultHTTPClient = sharedClient
	}
	return nil
}

// RoundTrip implements http.RoundTripper.
func (t *rewriteTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	s := t.settings.Load()
	ctx, cancel := context.WithTimeout(req.Context(), s.timeout)
	out := req.Clone(ctx)
	if s.base != nil {
		out.URL.Scheme = s.base.Scheme
		out.URL.Host = s.base.Host
		out.URL.Path = s.base.Path + req.URL.Path
		if req.URL.RawPath != "" {
			out.URL.RawPath = s.base.Path + req.URL.RawPath
		}
		out.Host = ""
	}
	resp, err := t.next.RoundTrip(out)
	if err != nil {
		cancel()
		return nil, err
	}
	// The timeout also covers reading the body: cancel when the caller closes it.
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// cancelOnClose releases the per-request timeout context when the body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

// Close closes the body and releases the timeout context.
func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}
