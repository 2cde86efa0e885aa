package replicas_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"skillcert/blobstore"
	"skillcert/core"
	"skillcert/internal/testenv"
	"skillcert/wechat/fake"
)

// Settings of the harness.
const (
	// redisDB is the Redis database the replicas share: the harness's own,
	// flushed before and after.
	redisDB = 11
	// oaToken is the official account's message-server token (plain mode).
	oaToken = "skillcert-replicas-token"
	// Template ids of registration.approved, the event of the outbox run.
	subscribeTemplate = "S-replicas-approved"
	officialTemplate  = "O-replicas-approved"
)

// cluster is everything the harness runs: MariaDB and Redis (already running
// on this host), the fake WeChat in this process, two skillcert processes and
// nginx in front of them.
type cluster struct {
	t   *testing.T
	dir string
	bin string
	dsn string
	// setup is an in-process server on the same database with no dispatcher:
	// the harness writes its fixtures through its core and stores. lb is the
	// same with the balancer's URL, for testenv's API and console clients.
	setup, lb *testenv.App
	url       string // https://127.0.0.1:<port>, nginx
	tls       *tls.Config
	replicas  [2]*replica
	wx        *fake.Server
	redis     *redis.Client
	nginx     *exec.Cmd
	staff     *core.Staff // the console account of the console steps, once created
	// blobEnv is the S3 bucket every process stores attachments in (nil: each
	// its local data folder, when SKILLCERT_TEST_S3_BIN names no versitygw).
	blobEnv map[string]string
}

// replica is one skillcert process.
type replica struct {
	name  string
	url   string // http://127.0.0.1:<port>, the replica itself
	cmd   *exec.Cmd
	log   string // its stderr: JSON lines, the access log included
	sends atomic.Int64
	done  chan struct{}
	app   *testenv.App // lb with this replica's URL, for direct calls
}

// freePort returns a port nothing listens on right now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// moduleRoot is the folder of go.mod (the test runs in deploy/replicas).
func moduleRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root: %v", err)
	}
	return root
}

// startCluster starts everything, in order, and stops it at cleanup.
func startCluster(t *testing.T) *cluster {
	t.Helper()
	if os.Getenv(testenv.MySQLEnv) == "" {
		t.Setenv(testenv.MySQLEnv, "root@tcp(127.0.0.1:3306)/")
	}
	nginxBin, err := exec.LookPath("nginx")
	if err != nil {
		t.Fatalf("nginx is not installed (Debian: apt-get install nginx-light; .ci/run installs it): %v", err)
	}
	c := &cluster{t: t, dir: t.TempDir()}
	c.dsn = testenv.NewDSN(t, "mysql")

	// Redis: a database of the harness's own, empty.
	addr := testenv.SharedRedisAddr(t)
	c.redis = redis.NewClient(&redis.Options{Addr: addr, DB: redisDB})
	if err := c.redis.FlushDB(context.Background()).Err(); err != nil {
		t.Fatalf("flush Redis db %d: %v", redisDB, err)
	}
	t.Cleanup(func() {
		c.redis.FlushDB(context.Background())
		c.redis.Close()
	})
	redisURL := fmt.Sprintf("redis://%s/%d", addr, redisDB)

	// Attachments: one bucket on the test S3 server (versitygw) for everyone.
	if os.Getenv(testenv.S3Env) != "" || os.Getenv("CI") == "true" {
		c.blobEnv = testenv.BlobEnv(t, blobstore.KindS3)
	}

	// The fixtures' server: it migrates the database; it sends nothing.
	c.setup = testenv.Start(t, c.dsn, testenv.Options{Env: testenv.WithEnv(map[string]string{"SKILLCERT_PUSH_ENABLED": "false"}, c.blobEnv)})
	c.wx = testenv.WeChat(t)

	// The binary.
	c.bin = filepath.Join(c.dir, "skillcert")
	start := time.Now()
	build := exec.Command("go", "build", "-o", c.bin, "./cmd/skillcert")
	build.Dir = moduleRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("built the binary in %s", time.Since(start).Round(time.Millisecond))

	tpl := filepath.Join(c.dir, "templates.json")
	writeFile(t, tpl, fmt.Sprintf(`{"events": {"registration.approved": {"subscribe": {"template_id": %q}, "official": {"template_id": %q}}}}`,
		subscribeTemplate, officialTemplate))
	ports := [2]int{freePort(t), freePort(t)}
	for i, name := range []string{"replica-a", "replica-b"} {
		c.replicas[i] = c.startReplica(t, name, ports[i], redisURL, tpl)
	}
	for _, r := range c.replicas {
		r.waitReady(t, 90*time.Second)
	}

	// nginx, with its TLS certificate; this process trusts it.
	crt, key, pool := selfSigned(t, c.dir)
	c.tls = &tls.Config{RootCAs: pool}
	// testenv's clients use http.DefaultClient: let it trust the balancer.
	http.DefaultTransport.(*http.Transport).TLSClientConfig = c.tls.Clone()
	httpPort, tlsPort := freePort(t), freePort(t)
	c.writeNginxConf(t, crt, key, httpPort, tlsPort, ports)
	c.nginx = exec.Command(nginxBin, "-p", c.dir, "-e", filepath.Join(c.dir, "error.log"), "-c", filepath.Join(c.dir, "nginx.conf"))
	c.nginx.Stdout, c.nginx.Stderr = os.Stderr, os.Stderr
	if err := c.nginx.Start(); err != nil {
		t.Fatalf("start nginx: %v", err)
	}
	t.Cleanup(func() {
		_ = c.nginx.Process.Signal(syscall.SIGQUIT)
		waitExit(c.nginx, 10*time.Second)
	})
	c.url = fmt.Sprintf("https://127.0.0.1:%d", tlsPort)
	deadline := time.Now().Add(20 * time.Second)
	for {
		res, err := http.Get(c.url + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(filepath.Join(c.dir, "error.log"))
			t.Fatalf("nginx does not answer /readyz on %s: %v\n%s", c.url, err, b)
		}
		time.Sleep(100 * time.Millisecond)
	}
	lb := *c.setup
	lb.URL = c.url
	c.lb = &lb
	for _, r := range c.replicas {
		app := *c.setup
		app.URL = r.url
		r.app = &app
	}
	return c
}

// startReplica starts one skillcert process with the production defaults
// except where said.
func (c *cluster) startReplica(t *testing.T, name string, port int, redisURL, templates string) *replica {
	t.Helper()
	r := &replica{name: name, url: fmt.Sprintf("http://127.0.0.1:%d", port), done: make(chan struct{}),
		log: filepath.Join(c.dir, name+".log")}
	// Each replica reaches the fake WeChat through a front of its own, which
	// counts the messages this replica sends.
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		switch req.URL.Path {
		case fake.PathSubscribe, fake.PathTemplate, fake.PathCustom:
			r.sends.Add(1)
		}
		c.wx.ServeHTTP(w, req)
	}))
	t.Cleanup(front.Close)
	data := filepath.Join(c.dir, name+"-data")
	wx := c.setup.Cfg.WeChat
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + c.dir,
		"SKILLCERT_ADDR=127.0.0.1:" + fmt.Sprint(port),
		"SKILLCERT_DB=" + c.dsn,
		"SKILLCERT_DATA_DIR=" + data,
		"SKILLCERT_DATA_KEY=" + c.setup.Cfg.DataKey,
		"SKILLCERT_REDIS_URL=" + redisURL,
		"SKILLCERT_TRUSTED_PROXIES=127.0.0.1",
		"SKILLCERT_DEMO=false",
		"SKILLCERT_METRICS_ADDR=off",
		"SKILLCERT_PUSH_ID=" + name,
		"SKILLCERT_NOTIFY_TEMPLATES=" + templates,
		// Not production values: the outbox run measures how fast two
		// dispatchers drain 10,000 events (at the default 50/s each it would
		// take 100 s), and every candidate of the harness signs in from
		// 127.0.0.1, nginx's address.
		"SKILLCERT_PUSH_RATE=100000",
		"SKILLCERT_LOGIN_RATE=100000",
		"SKILLCERT_PASSWORD_COST=4",
		"WECHAT_MP_APPID=" + wx.MPAppID,
		"WECHAT_MP_SECRET=" + wx.MPSecret,
		"WECHAT_OA_APPID=" + wx.OAAppID,
		"WECHAT_OA_SECRET=" + wx.OASecret,
		"WECHAT_OA_TOKEN=" + oaToken,
		"WECHAT_API_BASE=" + front.URL,
	}
	for k, v := range c.blobEnv {
		env = append(env, k+"="+v)
	}
	f, err := os.Create(r.log)
	if err != nil {
		t.Fatal(err)
	}
	r.cmd = exec.Command(c.bin)
	r.cmd.Env = env
	r.cmd.Stdout, r.cmd.Stderr = f, f
	if err := r.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() {
		_ = r.cmd.Wait()
		f.Close()
		close(r.done)
	}()
	t.Cleanup(func() {
		select {
		case <-r.done:
			return
		default:
		}
		_ = r.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-r.done:
		case <-time.After(20 * time.Second):
			_ = r.cmd.Process.Kill()
			<-r.done
		}
	})
	return r
}

// waitReady waits for the replica's /readyz.
func (r *replica) waitReady(t *testing.T, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		select {
		case <-r.done:
			b, _ := os.ReadFile(r.log)
			t.Fatalf("%s exited at start:\n%s", r.name, tail(string(b), 4000))
		default:
		}
		res, err := http.Get(r.url + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(r.log)
			t.Fatalf("%s not ready after %s: %v\n%s", r.name, within, err, tail(string(b), 4000))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// kill ends the replica with SIGKILL, as a crash or the OOM killer would.
func (r *replica) kill() error { return r.cmd.Process.Signal(syscall.SIGKILL) }

// logCount is how many lines of the replica's log contain every one of subs.
func (r *replica) logCount(t *testing.T, subs ...string) int {
	t.Helper()
	b, err := os.ReadFile(r.log)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
lines:
	for _, l := range strings.Split(string(b), "\n") {
		for _, s := range subs {
			if !strings.Contains(l, s) {
				continue lines
			}
		}
		n++
	}
	return n
}

// writeNginxConf writes nginx.conf: the production site
// (deploy/nginx/skillcert.conf) and its plain-host upstream
// (deploy/nginx/upstream.conf), each changed only where a test must differ,
// in a main configuration of the harness's own.
func (c *cluster) writeNginxConf(t *testing.T, crt, key string, httpPort, tlsPort int, replicas [2]int) {
	t.Helper()
	root := moduleRoot(t)
	edit := func(file string, pairs ...string) string {
		b, err := os.ReadFile(filepath.Join(root, "deploy", "nginx", file))
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		for i := 0; i < len(pairs); i += 2 {
			if !strings.Contains(s, pairs[i]) {
				t.Fatalf("deploy/nginx/%s no longer contains %q: update the harness", file, pairs[i])
			}
			s = strings.ReplaceAll(s, pairs[i], pairs[i+1])
		}
		return s
	}
	// The site: loopback ports instead of 80 and 443 (no root needed, no
	// clash with anything else on the host), no IPv6 listeners (a CI container
	// may have no ::1), the harness's certificate and ACME folder.
	site := edit("skillcert.conf",
		"    listen 80;\n", fmt.Sprintf("    listen 127.0.0.1:%d;\n", httpPort),
		"    listen [::]:80;\n", "",
		"    listen 443 ssl http2;\n", fmt.Sprintf("    listen 127.0.0.1:%d ssl http2;\n", tlsPort),
		"    listen [::]:443 ssl http2;\n", "",
		"/etc/ssl/certs/skillcert.crt", crt,
		"/etc/ssl/private/skillcert.key", key,
		"root /var/www/acme;", "root "+c.dir+";")
	// The upstream: the two replicas on this host instead of 8080 here and on
	// a second host; max_fails, fail_timeout and keepalive as in production.
	upstream := edit("upstream.conf",
		"server 127.0.0.1:8080 ", fmt.Sprintf("server 127.0.0.1:%d ", replicas[0]),
		"server 10.0.0.12:8080 ", fmt.Sprintf("server 127.0.0.1:%d ", replicas[1]))
	writeFile(t, filepath.Join(c.dir, "site.conf"), site)
	writeFile(t, filepath.Join(c.dir, "upstream.conf"), upstream)
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	// The main configuration stands in for Debian's /etc/nginx/nginx.conf:
	// in the foreground, as the current user (workers of root's nginx would
	// otherwise run as nobody, who cannot enter the temp folder), pid, logs
	// and temp files in the temp folder. worker_connections is raised from
	// Debian's 768: the 2,000-phone burst holds 2,000 client connections plus
	// those to the replicas; a production nginx in front of an opening-day
	// burst needs the same (docs/SCALING.md).
	main := `daemon off;
worker_processes 2;
user ` + u.Username + `;
pid ` + c.dir + `/nginx.pid;
error_log ` + c.dir + `/error.log warn;
worker_rlimit_nofile 16384;
events {
    worker_connections 8192;
}
http {
    access_log off;
    client_body_temp_path ` + c.dir + `/body;
    proxy_temp_path ` + c.dir + `/proxy;
    fastcgi_temp_path ` + c.dir + `/fastcgi;
    uwsgi_temp_path ` + c.dir + `/uwsgi;
    scgi_temp_path ` + c.dir + `/scgi;
    include ` + c.dir + `/upstream.conf;
    include ` + c.dir + `/site.conf;
}
`
	writeFile(t, filepath.Join(c.dir, "nginx.conf"), main)
	if out, err := exec.Command("nginx", "-t", "-p", c.dir, "-e", filepath.Join(c.dir, "error.log"), "-c", filepath.Join(c.dir, "nginx.conf")).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t: %v\n%s", err, out)
	}
}

// client is an HTTP client of the balancer holding one connection per request
// of a burst of n (n phones), trusting the harness's certificate.
func (c *cluster) client(n int) *http.Client {
	return &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{TLSClientConfig: c.tls.Clone(),
		MaxIdleConns: 2 * n, MaxIdleConnsPerHost: 2 * n, IdleConnTimeout: time.Minute}}
}

// selfSigned writes a throwaway certificate and key for 127.0.0.1 and
// localhost and returns their paths and a pool that trusts the certificate.
func selfSigned(t *testing.T, dir string) (crtPath, keyPath string, pool *x509.CertPool) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	crtPath, keyPath = filepath.Join(dir, "test.crt"), filepath.Join(dir, "test.key")
	writeFile(t, crtPath, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	writeFile(t, keyPath, string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb})))
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return crtPath, keyPath, pool
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

// waitExit waits for cmd to end, killing it after d.
func waitExit(cmd *exec.Cmd, d time.Duration) {
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
		_ = cmd.Process.Kill()
		<-done
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
