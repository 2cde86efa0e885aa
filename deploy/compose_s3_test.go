package deploy_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/types"

	"skillcert/blobstore"
)

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
func checkComposeS3(t *testing.T, s3, bucket, replica types.ServiceConfig) {
	t.Helper()
	if !strings.HasPrefix(s3.Image, "versity/versitygw:v") {
		t.Errorf("s3 image %q: versitygw at a pinned version", s3.Image)
	}
	senv := func(k string) string { return env(s3, k) }
	if senv("VGW_BACKEND") != "posix" || senv("VGW_BACKEND_ARG") != "/data" ||
		!slices.ContainsFunc(s3.Volumes, func(v types.ServiceVolumeConfig) bool { return v.Source == "s3" && v.Target == "/data" }) {
		t.Errorf("s3 does not keep its objects on its volume: backend %q on %q, volumes %+v", senv("VGW_BACKEND"), senv("VGW_BACKEND_ARG"), s3.Volumes)
	}
	port := strings.TrimPrefix(senv("VGW_PORT"), ":")
	if health := senv("VGW_HEALTH"); health == "" || !slices.Contains(s3.HealthCheck.Test, "http://127.0.0.1:"+port+health) {
		t.Errorf("s3 health check %v does not ask the health path %q on port %q", s3.HealthCheck.Test, health, port)
	}
	if !slices.Equal(bucket.Command, types.ShellCommand{"blobs", "create-bucket"}) || bucket.Restart != "no" {
		t.Errorf("s3-bucket runs %v (restart %q): `blobs create-bucket`, once", bucket.Command, bucket.Restart)
	}
	if bucket.DependsOn["s3"].Condition != types.ServiceConditionHealthy {
		t.Error("s3-bucket does not wait for a healthy s3")
	}
	renv := func(k string) string { return env(replica, k) }
	for _, k := range []string{blobstore.URLEnv, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} {
		if renv(k) == "" || env(bucket, k) != renv(k) {
			t.Errorf("s3-bucket's %s %q is not the replicas' %q", k, env(bucket, k), renv(k))
		}
	}
	cfg, ok, err := blobstore.ParseURL(renv(blobstore.URLEnv))
	if err != nil || !ok {
		t.Fatalf("replicas' %s: %v", blobstore.URLEnv, err)
	}
	if cfg.Endpoint != "s3:"+port || cfg.Secure || !cfg.PathStyle {
		t.Errorf("replicas' bucket is at %s (secure %v, path style %v): http://s3:%s, path style", cfg.Endpoint, cfg.Secure, cfg.PathStyle, port)
	}
	if renv("AWS_ACCESS_KEY_ID") != composeTestValues["S3_ACCESS_KEY"] || renv("AWS_ACCESS_KEY_ID") != senv("ROOT_ACCESS_KEY_ID") ||
		renv("AWS_SECRET_ACCESS_KEY") != composeTestValues["S3_SECRET_KEY"] || renv("AWS_SECRET_ACCESS_KEY") != senv("ROOT_SECRET_ACCESS_KEY") {
		t.Error("the replicas' AWS keys are not the S3 server's root keys of skillcert.env")
	}

	bin := os.Getenv("SKILLCERT_TEST_S3_BIN")
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("SKILLCERT_TEST_S3_BIN is not set: the compose S3 check must run in CI")
		}
		t.Log("SKILLCERT_TEST_S3_BIN not set: the compose S3 service was not started")
		return
	}
	addr := freeAddr(t)
	root := t.TempDir()
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + root}
	for k := range s3.Environment {
		v := senv(k)
		switch k {
		case "VGW_PORT":
			v = addr
		case "VGW_BACKEND_ARG":
			v = root
		}
		env = append(env, k+"="+v)
	}
	// What docker-entrypoint.sh of the image runs: [VGW_ARGS…] VGW_BACKEND [VGW_BACKEND_ARG] [VGW_BACKEND_ARGS…].
	args := strings.Fields(senv("VGW_ARGS"))
	args = append(args, senv("VGW_BACKEND"), root)
	args = append(args, strings.Fields(senv("VGW_BACKEND_ARGS"))...)
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
		resp, err := http.Get("http://" + addr + senv("VGW_HEALTH"))
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			out, _ := os.ReadFile(logPath)
			t.Fatalf("the s3 service's health path %s did not answer 200 within 30 s (%v): %s", senv("VGW_HEALTH"), err, out)
		}
		time.Sleep(100 * time.Millisecond)
	}

	url := strings.Replace(renv(blobstore.URLEnv), "endpoint=s3:"+port, "endpoint="+addr, 1)
	st, err := blobstore.Open(url, t.TempDir(), renv)
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
