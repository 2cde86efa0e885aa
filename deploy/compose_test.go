package deploy_test

import (
	"context"
	"fmt"
	"maps"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"

	"skillcert/blobstore"
)

// composeTestValues fill in skillcert.env.example for the compose tests; any
// other empty setting gets "compose-test-<name>".
var composeTestValues = map[string]string{
	"S3_ACCESS_KEY": "compose-test-access",
	"S3_SECRET_KEY": "compose-test-secret-key-0123",
}

// composeEnv is skillcert.env.example as an operator fills it in: every empty
// setting gets a value (filled false: the example as shipped).
func composeEnv(t *testing.T, filled bool) string {
	t.Helper()
	b, err := os.ReadFile("skillcert.env.example")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	for i, l := range lines {
		name, value, ok := strings.Cut(l, "=")
		if !filled || !ok || value != "" || strings.HasPrefix(name, "#") {
			continue
		}
		v, ok := composeTestValues[name]
		if !ok {
			v = "compose-test-" + strings.ToLower(name)
		}
		lines[i] = name + "=" + v
	}
	return strings.Join(lines, "\n")
}

// loadCompose loads a compose file the way `docker compose --env-file
// skillcert.env config` does, with compose-go (the compose spec's library that
// docker compose itself uses): schema validation, interpolation of
// ${NAME:?…}, anchors and merge keys, env_file, depends_on, paths resolved.
// The file is laid in <tmp>/deploy beside the env file, so relative paths
// resolve as they do in the repository's deploy folder.
func loadCompose(t *testing.T, compose []byte, env string) (*types.Project, string, error) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "deploy")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	file, envFile := filepath.Join(dir, "docker-compose.yml"), filepath.Join(dir, "skillcert.env")
	if err := os.WriteFile(file, compose, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(envFile, []byte(env), 0o600); err != nil {
		t.Fatal(err)
	}
	opts, err := cli.NewProjectOptions([]string{file}, cli.WithEnvFiles(envFile), cli.WithDotEnv)
	if err != nil {
		t.Fatal(err)
	}
	p, err := opts.LoadProject(context.Background())
	return p, dir, err
}

// env is a service's environment variable after interpolation ("" when unset).
func env(s types.ServiceConfig, name string) string {
	if v := s.Environment[name]; v != nil {
		return *v
	}
	return ""
}

// TestComposeFile loads docker-compose.yml with the filled-in example env
// and checks the loaded model: two skillcert replicas built from the
// repository's Dockerfile with its health check, on MariaDB and Redis (healthy
// first) and the S3 server (the bucket made first), a data volume each and no
// shared one, one bucket with the S3 server's own keys, distinct dispatcher
// names, nginx waiting for both replicas at the one address they trust on the
// front network, the other services only on the internal back network,
// nothing but nginx's 80 and 443 published (not the metrics port), and mounts
// of files that exist.
func TestComposeFile(t *testing.T) {
	b, err := os.ReadFile("docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	p, dir, err := loadCompose(t, b, composeEnv(t, true))
	if err != nil {
		t.Fatalf("compose-go refuses docker-compose.yml: %v", err)
	}
	svc := func(name string) types.ServiceConfig {
		s, ok := p.Services[name]
		if !ok {
			t.Fatalf("no service %s", name)
		}
		return s
	}
	for _, name := range []string{"skillcert-1", "skillcert-2", "mariadb", "redis", "s3", "nginx"} {
		if h := svc(name).HealthCheck; h == nil || h.Disable || len(h.Test) == 0 {
			t.Errorf("%s has no healthcheck", name)
		}
	}
	nginx := svc("nginx")
	front := p.Networks["front"]
	var nginxAddr string
	if n := nginx.Networks["front"]; n != nil {
		nginxAddr = n.Ipv4Address
	}
	if len(front.Ipam.Config) != 1 || !prefixHas(front.Ipam.Config[0].Subnet, nginxAddr) {
		t.Errorf("nginx's address %q is not fixed inside the front network's one subnet %v", nginxAddr, front.Ipam.Config)
	}
	if !p.Networks["back"].Internal {
		t.Error("the back network (database, Redis, S3, metrics) is not internal")
	}
	image := dockerfileImage(t)

	pushIDs := map[string]bool{}
	var metricsPort string
	for i, name := range []string{"skillcert-1", "skillcert-2"} {
		s := svc(name)
		if s.Build == nil || s.Build.Dockerfile != "Dockerfile" || rel(t, dir, s.Build.Context) != ".." {
			t.Errorf("%s is not built from the repository's Dockerfile: %+v", name, s.Build)
		}
		if got, want := composeHealth(s.HealthCheck), imageHealth(image); got != want {
			t.Errorf("%s healthcheck %s is not the image's HEALTHCHECK %s", name, got, want)
		}
		for dep, cond := range map[string]string{"mariadb": types.ServiceConditionHealthy, "redis": types.ServiceConditionHealthy,
			"s3-bucket": types.ServiceConditionCompletedSuccessfully} {
			if got := s.DependsOn[dep].Condition; got != cond {
				t.Errorf("%s depends on %s with condition %q, want %s", name, dep, got, cond)
			}
		}
		vol, dataDir := fmt.Sprintf("data-%d", i+1), image.env["SKILLCERT_DATA_DIR"]
		if len(s.Volumes) != 1 || s.Volumes[0].Type != types.VolumeTypeVolume || s.Volumes[0].Source != vol || s.Volumes[0].Target != dataDir {
			t.Errorf("%s mounts %+v: only its own volume %s on the image's data folder %s (attachments are in the bucket)", name, s.Volumes, vol, dataDir)
		}
		if _, ok := p.Volumes[vol]; !ok {
			t.Errorf("volume %s is not declared", vol)
		}
		if _, ok := s.Networks["front"]; !ok {
			t.Errorf("%s is not on the front network (nginx cannot reach it)", name)
		}
		if _, ok := s.Networks["back"]; !ok {
			t.Errorf("%s is not on the back network (database, Redis, S3)", name)
		}
		if env(s, blobstore.URLEnv) != env(svc("skillcert-1"), blobstore.URLEnv) {
			t.Errorf("the replicas use different buckets")
		}
		if want := "skillcert:compose-test-mariadb_password@tcp(mariadb:3306)/skillcert"; env(s, "SKILLCERT_DB") != want || env(s, "SKILLCERT_REDIS_URL") != "redis://redis:6379/0" {
			t.Errorf("%s database %q (want %q) or Redis %q", name, env(s, "SKILLCERT_DB"), want, env(s, "SKILLCERT_REDIS_URL"))
		}
		if env(s, "SKILLCERT_DATA_KEY") != "compose-test-skillcert_data_key" {
			t.Errorf("%s does not get the data key of skillcert.env (env_file): %q", name, env(s, "SKILLCERT_DATA_KEY"))
		}
		if env(s, "SKILLCERT_DEMO") != "false" {
			t.Errorf("%s runs with SKILLCERT_DEMO=%q", name, env(s, "SKILLCERT_DEMO"))
		}
		if got := env(s, "SKILLCERT_TRUSTED_PROXIES"); got != nginxAddr {
			t.Errorf("%s trusts %q, nginx is at %q", name, got, nginxAddr)
		}
		if cond := nginx.DependsOn[name].Condition; cond != types.ServiceConditionHealthy {
			t.Errorf("nginx depends on %s with condition %q, want a healthy one", name, cond)
		}
		if _, port, err := net.SplitHostPort(env(s, "SKILLCERT_METRICS_ADDR")); err != nil || port == "" {
			t.Errorf("%s SKILLCERT_METRICS_ADDR %q names no port", name, env(s, "SKILLCERT_METRICS_ADDR"))
		} else {
			metricsPort = port
		}
		pushIDs[env(s, "SKILLCERT_PUSH_ID")] = true
	}
	if len(pushIDs) != 2 || pushIDs[""] {
		t.Errorf("the replicas do not have two distinct dispatcher names: %v", pushIDs)
	}
	for name, s := range p.Services {
		for _, port := range s.Ports {
			if port.Published == metricsPort || strconv.Itoa(int(port.Target)) == metricsPort {
				t.Errorf("%s publishes the metrics port %s: Prometheus scrapes it on the back network", name, metricsPort)
			} else if name != "nginx" || (port.Target != 80 && port.Target != 443) {
				t.Errorf("%s publishes %s:%d: only nginx publishes, 80 and 443", name, port.Published, port.Target)
			}
		}
		if name != "nginx" && !strings.HasPrefix(name, "skillcert-") {
			if _, ok := s.Networks["front"]; ok || len(s.Networks) != 1 {
				t.Errorf("%s is on %v: only the back network", name, slices.Sorted(maps.Keys(s.Networks)))
			}
		}
	}
	checkComposeS3(t, svc("s3"), svc("s3-bucket"), svc("skillcert-1"))
	for _, v := range nginx.Volumes {
		if r := rel(t, dir, v.Source); strings.HasPrefix(r, "nginx"+string(filepath.Separator)) {
			if _, err := os.Stat(r); err != nil {
				t.Errorf("nginx mounts %s: %v", r, err)
			}
		}
	}
	if _, err := os.Stat(filepath.Join("..", "Dockerfile")); err != nil {
		t.Error(err)
	}
}

// TestComposeLoaderRefuses shows that the validation of TestComposeFile is
// real: the loader refuses the compose file with a misspelt key (in the
// x-skillcert anchor, so through the merge key), an unknown depends_on
// condition, or the example env as shipped (required passwords empty).
func TestComposeLoaderRefuses(t *testing.T) {
	b, err := os.ReadFile("docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	filled := composeEnv(t, true)
	for _, c := range []struct{ name, old, new, env, want string }{
		{"misspelt key", "\n  healthcheck:\n", "\n  healthchek:\n", filled, "healthchek"},
		{"unknown condition", "{condition: service_healthy}", "{condition: service_healty}", filled, "condition value must be one of"},
		{"required variable empty", "", "", composeEnv(t, false), "set MARIADB_PASSWORD in skillcert.env"},
	} {
		t.Run(c.name, func(t *testing.T) {
			broken := string(b)
			if c.old != "" {
				if !strings.Contains(broken, c.old) {
					t.Fatalf("docker-compose.yml has no %q to break", c.old)
				}
				broken = strings.Replace(broken, c.old, c.new, 1)
			}
			_, _, err := loadCompose(t, []byte(broken), c.env)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("compose-go loaded the broken file (err %v), want an error naming %q", err, c.want)
			}
		})
	}
}

// composeHealth and imageHealth say a health check the same way.
func composeHealth(h *types.HealthCheckConfig) string {
	d := func(p *types.Duration) time.Duration {
		if p == nil {
			return 0
		}
		return time.Duration(*p)
	}
	var retries uint64
	if h.Retries != nil {
		retries = *h.Retries
	}
	return fmt.Sprintf("%v interval %s timeout %s start period %s retries %d", h.Test, d(h.Interval), d(h.Timeout), d(h.StartPeriod), retries)
}

func imageHealth(img *image) string {
	h := img.health.Health
	return fmt.Sprintf("%v interval %s timeout %s start period %s retries %d", h.Test, h.Interval, h.Timeout, h.StartPeriod, h.Retries)
}

// rel is path relative to dir (the folder of the loaded compose file).
func rel(t *testing.T, dir, path string) string {
	t.Helper()
	r, err := filepath.Rel(dir, path)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// prefixHas tells whether the address addr is inside the CIDR prefix.
func prefixHas(prefix, addr string) bool {
	p, err1 := netip.ParsePrefix(prefix)
	a, err2 := netip.ParseAddr(addr)
	return err1 == nil && err2 == nil && p.Contains(a)
}
