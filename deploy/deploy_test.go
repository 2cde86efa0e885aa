// Package deploy_test checks the deployment recipe in this folder with the
// tools that read it, none of which needs a container engine: systemd-analyze
// for the units, nginx -t for the site, compose-go (docker compose's own
// loader) for the compose file, BuildKit's parser for the Dockerfile, whose
// build stage is then replayed and its binary started as the image starts it
// (docs/OPERATIONS.md, "What is tested"). A missing tool skips its check,
// except in CI (CI=true), where .ci/run installs them.
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
	"strings"
	"testing"
	"time"
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
