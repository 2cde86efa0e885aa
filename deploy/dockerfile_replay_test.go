package deploy_test

import (
	"context"
	"debug/elf"
	"io"
	"io/fs"
	"maps"
	"net"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// TestDockerfileReplay builds and starts the image without an engine. The
// build stage is replayed in a temporary folder standing for its filesystem:
// WORKDIR, COPY from the build context (the repository less .dockerignore),
// and each RUN's command line exactly as written (BuildKit's parser leaves
// the --mount flags out; they are caches only, TestDockerfile checks) run by
// /bin/sh with the paths that the image copies from (/out) moved under the
// folder. The image's COPY --from lines are then replayed into a second
// folder standing for the image, with their --chown. The binary must be
// static (no interpreter, no dynamic section: distroless "static" has no C
// library), and it is started as the image starts it: ENTRYPOINT and CMD, the
// image's ENV with its paths moved under the image folder and its listen
// addresses on free loopback ports, in its WORKDIR, as its USER (uid 65532;
// when the test runs as root, as in CI). The HEALTHCHECK command must pass
// within the start period and retries the image allows, the server must have
// written its database into the data folder as that user, and once the server
// is stopped the HEALTHCHECK command must fail.
func TestDockerfileReplay(t *testing.T) {
	tool(t, "go")
	sh := tool(t, "sh")
	img := dockerfileImage(t)
	ctxDir, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	root, err := os.MkdirTemp("", "skillcert-image-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	if err := os.Chmod(root, 0o755); err != nil { // the image's user must reach the binary
		t.Fatal(err)
	}
	buildFS, imageFS := filepath.Join(root, "build"), filepath.Join(root, "image")

	// The build stage. Only what it writes and the image copies is moved: the
	// top folders of the image's COPY --from sources.
	var moved []*regexp.Regexp
	for _, c := range img.copies {
		for _, src := range c.SourcePaths {
			top := "/" + strings.SplitN(strings.TrimPrefix(src, "/"), "/", 2)[0]
			moved = append(moved, regexp.MustCompile(`(^|[\s=])`+regexp.QuoteMeta(top)+`(/|\s|$)`))
		}
	}
	ignore := dockerignore(t, ctxDir)
	buildEnv := goBuildEnv()
	wd := "/"
	for _, c := range img.build.Commands {
		switch c := c.(type) {
		case *instructions.WorkdirCommand:
			wd = path.Join(wd, c.Path)
			if err := os.MkdirAll(filepath.Join(buildFS, wd), 0o755); err != nil {
				t.Fatal(err)
			}
		case *instructions.EnvCommand:
			for _, kv := range c.Env {
				buildEnv = append(buildEnv, kv.String())
			}
		case *instructions.CopyCommand:
			if c.From != "" {
				t.Fatalf("%s: the replay copies from the build context only", c)
			}
			dest := filepath.Join(buildFS, path.Join(wd, c.DestPath))
			for _, src := range c.SourcePaths {
				copyPath(t, filepath.Join(ctxDir, src), dest, strings.HasSuffix(c.DestPath, "/") || len(c.SourcePaths) > 1,
					func(rel string) bool { return ignore(path.Join(src, rel)) })
			}
		case *instructions.RunCommand:
			if !c.PrependShell {
				t.Fatalf("%s: the replay runs shell-form RUN lines only", c)
			}
			line := strings.Join(c.CmdLine, " ")
			for _, re := range moved {
				line = re.ReplaceAllStringFunc(line, func(m string) string {
					i := strings.Index(m, "/")
					return m[:i] + buildFS + m[i:]
				})
			}
			cmd := exec.Command(sh, "-c", line)
			cmd.Dir, cmd.Env = filepath.Join(buildFS, wd), buildEnv
			start := time.Now()
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("RUN %s: %v\n%s", line, err, out)
			}
			t.Logf("RUN %s (%s)", line, time.Since(start).Round(time.Millisecond))
		default:
			t.Fatalf("the replay does not know %q: teach it", c)
		}
	}

	// The image: its COPY --from lines.
	for _, c := range img.copies {
		for _, src := range c.SourcePaths {
			from := filepath.Join(buildFS, src)
			if _, err := os.Stat(from); err != nil {
				t.Fatalf("COPY --from=%s %s: the build stage did not make it: %v", c.From, src, err)
			}
			to := filepath.Join(imageFS, c.DestPath)
			copyPath(t, from, to, strings.HasSuffix(c.DestPath, "/"), func(string) bool { return false })
			if c.Chown != "" {
				uid, gid, err := parseUser(c.Chown)
				if err != nil {
					t.Fatalf("%s: %v", c, err)
				}
				chownAll(t, to, int(uid), int(gid))
			}
		}
	}
	bin := filepath.Join(imageFS, img.entrypoint[0])
	checkStatic(t, bin)

	runEnv := []string{"PATH=/usr/local/bin:/usr/bin:/bin"}
	for _, k := range slices.Sorted(maps.Keys(img.env)) {
		v := img.env[k]
		switch {
		case strings.HasPrefix(v, "/"):
			v = filepath.Join(imageFS, v)
		case strings.HasPrefix(v, ":"): // all interfaces in the container: a free loopback port here
			v = freeAddr(t)
		}
		runEnv = append(runEnv, k+"="+v)
	}
	attr := &syscall.SysProcAttr{}
	uid, gid, err := parseUser(img.user)
	if err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		attr.Credential = &syscall.Credential{Uid: uid, Gid: gid, NoSetGroups: true}
	} else {
		t.Logf("not root: the server runs as uid %d, not as the image's USER %s", os.Geteuid(), img.user)
	}
	inImage := func(ctx context.Context, argv []string) *exec.Cmd {
		cmd := exec.CommandContext(ctx, filepath.Join(imageFS, argv[0]), argv[1:]...)
		cmd.Dir, cmd.Env, cmd.SysProcAttr = filepath.Join(imageFS, img.workdir), runEnv, attr
		return cmd
	}
	h := img.health.Health
	healthcheck := func() ([]byte, error) {
		ctx, cancel := context.WithTimeout(context.Background(), h.Timeout)
		defer cancel()
		return inImage(ctx, h.Test[1:]).CombinedOutput()
	}

	logPath := filepath.Join(root, "serve.log")
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	serve := inImage(context.Background(), append(slices.Clone(img.entrypoint), img.cmd...))
	serve.Stdout, serve.Stderr = logf, logf
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- serve.Wait() }()
	t.Cleanup(func() {
		if serve.ProcessState == nil {
			_ = serve.Process.Kill()
			<-exited
		}
	})
	serveLog := func() string { b, _ := os.ReadFile(logPath); return string(b) }

	start := time.Now()
	deadline := start.Add(h.StartPeriod + time.Duration(h.Retries)*h.Interval)
	for {
		out, err := healthcheck()
		if err == nil {
			t.Logf("healthcheck passed %s after the start: %s", time.Since(start).Round(time.Millisecond), strings.TrimSpace(string(out)))
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("the server exited before it was healthy: %v\n%s", err, serveLog())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("healthcheck still failing after %s (start period and retries): %v: %s\n%s", time.Since(start), err, out, serveLog())
		}
		time.Sleep(250 * time.Millisecond)
	}
	dataDir := filepath.Join(imageFS, img.env["SKILLCERT_DATA_DIR"])
	if fi, err := os.Stat(filepath.Join(dataDir, "skillcert.db")); err != nil {
		t.Errorf("the server wrote no database into the data folder: %v", err)
	} else if st := fi.Sys().(*syscall.Stat_t); attr.Credential != nil && st.Uid != uid {
		t.Errorf("the database is owned by uid %d, not the image's user %d", st.Uid, uid)
	}

	if err := serve.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("the server did not stop cleanly on SIGTERM: %v\n%s", err, serveLog())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("the server did not stop within 30 s of SIGTERM\n%s", serveLog())
	}
	if out, err := healthcheck(); err == nil {
		t.Errorf("healthcheck passed with the server stopped: %s", out)
	}
}

// dockerignore is whether a path of the build context (slash-separated,
// relative) is left out of it by .dockerignore.
func dockerignore(t *testing.T, ctxDir string) func(string) bool {
	t.Helper()
	f, err := os.Open(filepath.Join(ctxDir, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	patterns, err := ignorefile.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		t.Fatal(err)
	}
	return func(rel string) bool {
		ok, err := pm.MatchesOrParentMatches(rel)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
}

// goBuildEnv is this process's environment for the build stage's go
// commands, less what the golang image does not set (GOFLAGS, CGO_ENABLED,
// target platform), with its GOTOOLCHAIN=local. The module and build caches
// stay: they are the RUN lines' cache mounts.
func goBuildEnv() []string {
	env := []string{"GOTOOLCHAIN=local"}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "GOTOOLCHAIN", "GOFLAGS", "CGO_ENABLED", "GOOS", "GOARCH", "GOEXPERIMENT", "GOWORK":
			continue
		}
		env = append(env, kv)
	}
	return env
}

// copyPath copies a file or a folder's contents to dst as COPY does (a file
// into dst when intoDir), keeping permission bits and leaving out the paths
// (relative to src, slash-separated) that skip names.
func copyPath(t *testing.T, src, dst string, intoDir bool, skip func(rel string) bool) {
	t.Helper()
	fi, err := os.Stat(src)
	if err != nil {
		t.Fatal(err)
	}
	if !fi.IsDir() {
		if intoDir {
			dst = filepath.Join(dst, filepath.Base(src))
		}
		copyFile(t, src, dst, fi.Mode().Perm())
		return
	}
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if rel != "." && skip(filepath.ToSlash(rel)) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			copyFile(t, p, filepath.Join(dst, rel), info.Mode().Perm())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, src, dst string, perm fs.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// chownAll gives a file or folder tree to uid:gid, as COPY --chown does (as
// root only; otherwise it is left as it is and said so).
func chownAll(t *testing.T, p string, uid, gid int) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Logf("not root: %s is not chowned to %d:%d", p, uid, gid)
		return
	}
	err := filepath.WalkDir(p, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, gid)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// checkStatic fails unless the ELF file at p is statically linked: no
// program interpreter and no dynamic section.
func checkStatic(t *testing.T, p string) {
	t.Helper()
	f, err := elf.Open(p)
	if err != nil {
		t.Fatalf("the image's binary: %v", err)
	}
	defer f.Close()
	for _, prog := range f.Progs {
		if prog.Type == elf.PT_INTERP || prog.Type == elf.PT_DYNAMIC {
			t.Errorf("the image's binary has a %s program header: not static (distroless static has no C library)", prog.Type)
		}
	}
	if f.Section(".interp") != nil || f.Section(".dynamic") != nil {
		t.Error("the image's binary has an .interp or .dynamic section: not static")
	}
}

// freeAddr is a loopback address with a port free at the time of asking.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
