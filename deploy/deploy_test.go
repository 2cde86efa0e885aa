// Package deploy_test checks the deployment recipe in this folder with the
// tools that read it: systemd-analyze for the unit, nginx -t for the site, and
// a YAML reading of the compose file (docker compose config when the plugin is
// installed). A missing tool skips its check, except in CI (CI=true), where
// .ci/run installs them.
package deploy_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v4"

	"skillcert/blobstore"
)

// tool returns the path of a command, skipping the test without it (failing in CI).
func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed: .ci/run installs it", name)
		}
		t.Skipf("%s is not installed", name)
	}
	return p
}

// TestSystemdUnitVerifies runs systemd-analyze verify on skillcert.service and
// the backup service and timer (with the binary's path pointed at an
// executable that exists here): any warning about them, such as a misspelt or
// unknown hardening option, fails the test.
func TestSystemdUnitVerifies(t *testing.T) {
	analyze := tool(t, "systemd-analyze")
	b, err := os.ReadFile("skillcert.service")
	if err != nil {
		t.Fatal(err)
	}
	unit := string(b)
	for _, want := range []string{"DynamicUser=yes", "ProtectSystem=strict", "ReadWritePaths=/var/lib/skillcert",
		"NoNewPrivileges=yes", "PrivateTmp=yes", "StateDirectory=skillcert", "Environment=SKILLCERT_TRUSTED_PROXIES=127.0.0.1"} {
		if !strings.Contains(unit, "\n"+want) {
			t.Errorf("the unit lacks %s", want)
		}
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var paths []string
	for _, name := range []string{"skillcert.service", "skillcert-backup.service", "skillcert-backup.timer"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(strings.ReplaceAll(string(b), "/usr/local/bin/skillcert", self)), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	out, err := exec.Command(analyze, append([]string{"verify"}, paths...)...).CombinedOutput()
	// Outside a systemd-booted host verify may mention the missing manager;
	// only lines about the unit count.
	var problems []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if strings.Contains(l, "skillcert") {
			problems = append(problems, l)
		}
	}
	if err != nil || len(problems) > 0 {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
}

// TestNginxSiteParses runs nginx -t on a configuration that includes the
// site and its plain-host upstream, with a throwaway self-signed certificate,
// and checks what the site must say: the WeChat callback, the body limit of
// our uploads, X-Forwarded-For set by nginx, two upstream servers.
func TestNginxSiteParses(t *testing.T) {
	nginx := tool(t, "nginx")
	site, err := os.ReadFile(filepath.Join("nginx", "skillcert.conf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"location = /wechat/callback", "client_max_body_size 21m;",
		"proxy_set_header X-Forwarded-For $remote_addr;", "ssl_certificate ", "proxy_pass http://skillcert;"} {
		if !strings.Contains(string(site), want) {
			t.Errorf("the site lacks %q", want)
		}
	}
	for _, f := range []string{"upstream.conf", "upstream-compose.conf"} {
		b, err := os.ReadFile(filepath.Join("nginx", f))
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(b), "\n    server "); n != 2 {
			t.Errorf("%s has %d upstream servers, want 2", f, n)
		}
	}
	dir := t.TempDir()
	crt, key := selfSigned(t, dir)
	conf := strings.NewReplacer("/etc/ssl/certs/skillcert.crt", crt, "/etc/ssl/private/skillcert.key", key,
		"root /var/www/acme;", "root "+dir+";").Replace(string(site))
	if err := os.WriteFile(filepath.Join(dir, "site.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	upstream, err := filepath.Abs(filepath.Join("nginx", "upstream.conf"))
	if err != nil {
		t.Fatal(err)
	}
	main := `pid ` + dir + `/nginx.pid;
error_log ` + dir + `/error.log;
events {}
http {
    access_log off;
    client_body_temp_path ` + dir + `/body;
    proxy_temp_path ` + dir + `/proxy;
    fastcgi_temp_path ` + dir + `/fastcgi;
    uwsgi_temp_path ` + dir + `/uwsgi;
    scgi_temp_path ` + dir + `/scgi;
    include ` + upstream + `;
    include ` + dir + `/site.conf;
}
`
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(nginx, "-t", "-p", dir, "-c", filepath.Join(dir, "nginx.conf")).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "test is successful") {
		t.Fatalf("nginx -t: %v\n%s", err, out)
	}
}

// selfSigned writes a throwaway certificate and key for localhost.
func selfSigned(t *testing.T, dir string) (crtPath, keyPath string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		DNSNames: []string{"localhost"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	crtPath, keyPath = filepath.Join(dir, "test.crt"), filepath.Join(dir, "test.key")
	if err := os.WriteFile(crtPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		t.Fatal(err)
	}
	return crtPath, keyPath
}

// composeService is what the tests read of a compose service.
type composeService struct {
	Image       string            `yaml:"image"`
	Build       map[string]string `yaml:"build"`
	Command     []string          `yaml:"command"`
	Restart     string            `yaml:"restart"`
	Environment map[string]string `yaml:"environment"`
	DependsOn   map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
	Volumes     []string `yaml:"volumes"`
	Healthcheck struct {
		Test []string `yaml:"test"`
	} `yaml:"healthcheck"`
	Networks yaml.Node `yaml:"networks"`
}

// TestComposeFile reads docker-compose.yml: two skillcert replicas built from
// the Dockerfile with health checks, on MariaDB, Redis and the S3 server
// (healthy first, the bucket made first), a data folder each and no shared
// one, one bucket with the S3 server's own keys, distinct dispatcher names,
// nginx at the one address the replicas trust, and mounts of files that exist.
// With the compose plugin installed, `docker compose config` must accept it too.
func TestComposeFile(t *testing.T) {
	b, err := os.ReadFile("docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Services map[string]composeService `yaml:"services"`
		Networks map[string]struct {
			IPAM struct {
				Config []struct {
					Subnet string `yaml:"subnet"`
				} `yaml:"config"`
			} `yaml:"ipam"`
		} `yaml:"networks"`
	}
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	for _, name := range []string{"skillcert-1", "skillcert-2", "mariadb", "redis", "s3", "nginx"} {
		s, ok := c.Services[name]
		if !ok {
			t.Fatalf("no service %s", name)
		}
		if len(s.Healthcheck.Test) == 0 {
			t.Errorf("%s has no healthcheck", name)
		}
	}
	pushIDs := map[string]bool{}
	for _, name := range []string{"skillcert-1", "skillcert-2"} {
		s := c.Services[name]
		if s.Build["dockerfile"] != "Dockerfile" || s.Build["context"] != ".." {
			t.Errorf("%s is not built from the repository's Dockerfile: %v", name, s.Build)
		}
		if !slices.Equal(s.Healthcheck.Test, []string{"CMD", "/usr/local/bin/skillcert", "healthcheck"}) {
			t.Errorf("%s healthcheck: %v", name, s.Healthcheck.Test)
		}
		for _, dep := range []string{"mariadb", "redis"} {
			if s.DependsOn[dep].Condition != "service_healthy" {
				t.Errorf("%s does not wait for a healthy %s", name, dep)
			}
		}
		if s.DependsOn["s3-bucket"].Condition != "service_completed_successfully" {
			t.Errorf("%s does not wait for its bucket to be made", name)
		}
		if !slices.Equal(s.Volumes, []string{"data-" + name[len(name)-1:] + ":/data"}) {
			t.Errorf("%s mounts %v: only its own data volume (attachments are in the bucket)", name, s.Volumes)
		}
		env := s.Environment
		if env[blobstore.URLEnv] != c.Services["skillcert-1"].Environment[blobstore.URLEnv] {
			t.Errorf("the replicas use different buckets")
		}
		if !strings.Contains(env["SKILLCERT_DB"], "@tcp(mariadb:3306)/") || env["SKILLCERT_REDIS_URL"] != "redis://redis:6379/0" {
			t.Errorf("%s database or Redis: %v", name, env)
		}
		if env["SKILLCERT_TRUSTED_PROXIES"] != "172.30.0.10" {
			t.Errorf("%s trusts %q, nginx is at 172.30.0.10", name, env["SKILLCERT_TRUSTED_PROXIES"])
		}
		pushIDs[env["SKILLCERT_PUSH_ID"]] = true
	}
	if len(pushIDs) != 2 {
		t.Errorf("the replicas share a dispatcher name: %v", pushIDs)
	}
	checkComposeS3(t, c.Services["s3"], c.Services["s3-bucket"], c.Services["skillcert-1"])
	if sub := c.Networks["front"].IPAM.Config; len(sub) != 1 || sub[0].Subnet != "172.30.0.0/24" {
		t.Errorf("front network: %v", sub)
	}
	if !strings.Contains(string(b), "ipv4_address: 172.30.0.10") {
		t.Error("nginx does not have the address the replicas trust")
	}
	for _, v := range c.Services["nginx"].Volumes {
		src, _, _ := strings.Cut(v, ":")
		if strings.HasPrefix(src, "./nginx/") {
			if _, err := os.Stat(src); err != nil {
				t.Errorf("nginx mounts %s: %v", src, err)
			}
		}
	}
	if _, err := os.Stat(filepath.Join("..", "Dockerfile")); err != nil {
		t.Error(err)
	}

	docker, err := exec.LookPath("docker")
	if err != nil || exec.Command(docker, "compose", "version").Run() != nil {
		t.Log("docker compose is not installed: `docker compose config` skipped")
		return
	}
	// A copy beside a filled-in skillcert.env (the real one is the operator's).
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "docker-compose.yml"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	envFile := filepath.Join(dir, "skillcert.env")
	if err := os.WriteFile(envFile, []byte("MARIADB_PASSWORD=x\nMARIADB_ROOT_PASSWORD=y\nSKILLCERT_DATA_KEY=k\nS3_ACCESS_KEY=a\nS3_SECRET_KEY=s\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(docker, "compose", "--env-file", envFile, "-f", filepath.Join(dir, "docker-compose.yml"), "config", "--quiet")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("docker compose config: %v\n%s", err, out)
	}
}
