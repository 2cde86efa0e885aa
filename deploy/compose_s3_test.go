package deploy_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"skillcert/blobstore"
)

// composeVar is a compose interpolation: ${NAME}, ${NAME:?message} or ${NAME:-default}.
var composeVar = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[?-][^}]*)?\}`)

// interpolate replaces the compose variables of s with their values in vars
// (an unset one fails the test, as `${NAME:?…}` fails docker compose).
func interpolate(t *testing.T, s string, vars map[string]string) string {
	t.Helper()
	return composeVar.ReplaceAllStringFunc(s, func(m string) string {
		name := composeVar.FindStringSubmatch(m)[1]
		v, ok := vars[name]
		if !ok {
			t.Fatalf("compose variable %s is not in the test's skillcert.env", name)
		}
		return v
	})
}

// checkComposeS3 checks the compose file's object storage. The S3 server's
// image is pinned, it serves the posix backend over its volume, and its health
// check asks the health path it serves. The bucket service runs `skillcert
// blobs create-bucket` with the replicas' settings once the server is healthy,
// once. The replicas' URL names the s3 service on its port, over plain http,
// with the server's own root keys.
//
// With a versitygw binary at hand (SKILLCERT_TEST_S3_BIN; .ci/run builds one),
// the server is started as the image's entrypoint starts it from the service's
// environment (on a loopback port and a temporary folder instead of the
// volume), its health path must answer 200, and the replicas' settings are
// used against it: the bucket is made, a blob goes in and comes back.
func checkComposeS3(t *testing.T, s3, bucket, replica composeService) {
	t.Helper()
	if !strings.HasPrefix(s3.Image, "versity/versitygw:v") {
		t.Errorf("s3 image %q: versitygw at a pinned version", s3.Image)
	}
	senv := s3.Environment
	if senv["VGW_BACKEND"] != "posix" || senv["VGW_BACKEND_ARG"] != "/data" || !slices.Contains(s3.Volumes, "s3:/data") {
		t.Errorf("s3 does not keep its objects on its volume: %v %v", senv, s3.Volumes)
	}
	port := strings.TrimPrefix(senv["VGW_PORT"], ":")
	if health := senv["VGW_HEALTH"]; health == "" || !slices.Contains(s3.Healthcheck.Test, "http://127.0.0.1:"+port+health) {
		t.Errorf("s3 health check %v does not ask the health path %q on port %q", s3.Healthcheck.Test, health, port)
	}
	if !slices.Equal(bucket.Command, []string{"blobs", "create-bucket"}) || bucket.Restart != "no" {
		t.Errorf("s3-bucket runs %v (restart %q): `blobs create-bucket`, once", bucket.Command, bucket.Restart)
	}
	if bucket.DependsOn["s3"].Condition != "service_healthy" {
		t.Error("s3-bucket does not wait for a healthy s3")
	}
	renv := replica.Environment
	for _, k := range []string{blobstore.URLEnv, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} {
		if renv[k] == "" || bucket.Environment[k] != renv[k] {
			t.Errorf("s3-bucket's %s %q is not the replicas' %q", k, bucket.Environment[k], renv[k])
		}
	}
	cfg, ok, err := blobstore.ParseURL(renv[blobstore.URLEnv])
	if err != nil || !ok {
		t.Fatalf("replicas' %s: %v", blobstore.URLEnv, err)
	}
	if cfg.Endpoint != "s3:"+port || cfg.Secure || !cfg.PathStyle {
		t.Errorf("replicas' bucket is at %s (secure %v, path style %v): http://s3:%s, path style", cfg.Endpoint, cfg.Secure, cfg.PathStyle, port)
	}
	vars := map[string]string{"S3_ACCESS_KEY": "compose-test-access", "S3_SECRET_KEY": "compose-test-secret-key-0123"}
	if interpolate(t, renv["AWS_ACCESS_KEY_ID"], vars) != interpolate(t, senv["ROOT_ACCESS_KEY_ID"], vars) ||
		interpolate(t, renv["AWS_SECRET_ACCESS_KEY"], vars) != interpolate(t, senv["ROOT_SECRET_ACCESS_KEY"], vars) {
		t.Error("the replicas' AWS keys are not the S3 server's root keys")
	}

	bin := os.Getenv("SKILLCERT_TEST_S3_BIN")
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("SKILLCERT_TEST_S3_BIN is not set: the compose S3 check must run in CI")
		}
		t.Log("SKILLCERT_TEST_S3_BIN not set: the compose S3 service was not started")
		return
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	root := t.TempDir()
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + root}
	for k, v := range senv {
		switch k {
		case "VGW_PORT":
			v = addr
		case "VGW_BACKEND_ARG":
			v = root
		}
		env = append(env, k+"="+interpolate(t, v, vars))
	}
	// What docker-entrypoint.sh of the image runs: [VGW_ARGS…] VGW_BACKEND [VGW_BACKEND_ARG] [VGW_BACKEND_ARGS…].
	args := strings.Fields(senv["VGW_ARGS"])
	args = append(args, senv["VGW_BACKEND"], root)
	args = append(args, strings.Fields(senv["VGW_BACKEND_ARGS"])...)
	logPath := filepath.Join(t.TempDir(), "versitygw.log")
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait(); logf.Close() })
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + senv["VGW_HEALTH"])
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			out, _ := os.ReadFile(logPath)
			t.Fatalf("the s3 service's health path %s did not answer 200 within 30 s (%v): %s", senv["VGW_HEALTH"], err, out)
		}
		time.Sleep(100 * time.Millisecond)
	}

	url := strings.Replace(renv[blobstore.URLEnv], "endpoint=s3:"+port, "endpoint="+addr, 1)
	getenv := func(k string) string { return interpolate(t, renv[k], vars) }
	st, err := blobstore.Open(url, t.TempDir(), getenv)
	if err != nil {
		t.Fatalf("the replicas' settings against the s3 service: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b := st.(*blobstore.S3)
	if made, err := b.CreateBucket(ctx); err != nil || !made {
		t.Fatalf("create-bucket on a new s3 service: made %v, %v", made, err)
	}
	if made, err := b.CreateBucket(ctx); err != nil || made {
		t.Fatalf("create-bucket again (a restart of the stack): made %v, %v", made, err)
	}
	staged, err := b.Stage(ctx, strings.NewReader("an attachment"))
	if err != nil {
		t.Fatal(err)
	}
	if err := staged.Commit(); err != nil {
		t.Fatal(err)
	}
	r, err := b.Open(ctx, staged.Key())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got, err := io.ReadAll(r); err != nil || string(got) != "an attachment" {
		t.Fatalf("read back %q, %v", got, err)
	}
}
