package deploy_test

import (
	"bytes"
	"fmt"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// image is the repository's Dockerfile as BuildKit's own parser reads it: the
// stages, and what the last one (the image) sets.
type image struct {
	stages []instructions.Stage
	build  *instructions.Stage // the stage the image copies its files from
	run    *instructions.Stage // the last stage: the image

	env        map[string]string
	user       string
	workdir    string
	expose     []string
	health     *instructions.HealthCheckCommand
	entrypoint []string
	cmd        []string
	copies     []*instructions.CopyCommand // the image's COPY --from=<build>
}

// parseDockerfile reads a Dockerfile with BuildKit's parser and instruction
// parser; their warnings (such as an empty continuation line or a stage
// name's case) are errors here.
func parseDockerfile(src []byte) (*image, error) {
	res, err := parser.Parse(bytes.NewReader(src))
	if err != nil {
		return nil, err
	}
	var warnings []string
	for _, w := range res.Warnings {
		warnings = append(warnings, w.Short)
	}
	lint := linter.New(&linter.Config{Warn: func(rule, _, _, msg string, _ []parser.Range) {
		warnings = append(warnings, rule+": "+msg)
	}})
	stages, _, err := instructions.Parse(res.AST, lint)
	if err != nil {
		return nil, err
	}
	if len(warnings) > 0 {
		return nil, fmt.Errorf("warnings: %s", strings.Join(warnings, "; "))
	}
	if len(stages) < 2 {
		return nil, fmt.Errorf("%d stage(s): want a build stage and a run stage", len(stages))
	}
	img := &image{stages: stages, run: &stages[len(stages)-1], env: map[string]string{}, workdir: "/"}
	for _, c := range img.run.Commands {
		switch c := c.(type) {
		case *instructions.EnvCommand:
			for _, kv := range c.Env {
				img.env[kv.Key] = kv.Value
			}
		case *instructions.UserCommand:
			img.user = c.User
		case *instructions.WorkdirCommand:
			img.workdir = path.Join(img.workdir, c.Path)
		case *instructions.ExposeCommand:
			img.expose = append(img.expose, c.Ports...)
		case *instructions.HealthCheckCommand:
			img.health = c
		case *instructions.EntrypointCommand:
			img.entrypoint = c.CmdLine
		case *instructions.CmdCommand:
			img.cmd = c.CmdLine
		case *instructions.CopyCommand:
			if c.From == "" {
				return nil, fmt.Errorf("the image copies %v from the build context: only from the build stage", c.SourcePaths)
			}
			i, ok := instructions.HasStage(stages, c.From)
			if !ok || i >= len(stages)-1 {
				return nil, fmt.Errorf("COPY --from=%s: no earlier stage of that name", c.From)
			}
			if img.build != nil && img.build != &stages[i] {
				return nil, fmt.Errorf("the image copies from two stages")
			}
			img.build = &stages[i]
			img.copies = append(img.copies, c)
		}
	}
	if img.build == nil {
		return nil, fmt.Errorf("the image copies nothing from a build stage")
	}
	return img, nil
}

// dockerfileImage is ../Dockerfile, parsed.
func dockerfileImage(t *testing.T) *image {
	t.Helper()
	src, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	img, err := parseDockerfile(src)
	if err != nil {
		t.Fatalf("Dockerfile: %v", err)
	}
	return img
}

// runs are the build stage's RUN instructions, with their mounts parsed.
func (img *image) runs(t *testing.T) []*instructions.RunCommand {
	t.Helper()
	var runs []*instructions.RunCommand
	for _, c := range img.build.Commands {
		if r, ok := c.(*instructions.RunCommand); ok {
			if err := r.Expand(func(w string) (string, error) { return w, nil }); err != nil {
				t.Fatalf("%s: %v", r, err)
			}
			runs = append(runs, r)
		}
	}
	return runs
}

// binary is the image's copy of the skillcert binary: the one its ENTRYPOINT runs.
func (img *image) binary() *instructions.CopyCommand {
	for _, c := range img.copies {
		if len(img.entrypoint) > 0 && c.DestPath == img.entrypoint[0] {
			return c
		}
	}
	return nil
}

// TestDockerfile checks the Dockerfile without an engine: a build stage on
// the Go version of go.mod (or newer) whose RUN mounts are caches only (so a
// build without them, as the replay does, is the same build), then an image
// on distroless or a slim base, running as a non-root user, with nothing but
// files made by the build stage, a HEALTHCHECK that runs `skillcert
// healthcheck` (exec form: distroless has no shell), the binary as ENTRYPOINT,
// the data folder as a volume owned by that user, and EXPOSE naming exactly
// the ports of the addresses in its ENV.
func TestDockerfile(t *testing.T) {
	img := dockerfileImage(t)

	goMod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	var goLine string
	for _, l := range strings.Split(string(goMod), "\n") {
		if v, ok := strings.CutPrefix(l, "go "); ok {
			goLine = v
		}
	}
	if tag, ok := strings.CutPrefix(img.build.BaseName, "golang:"); !ok || !goCovers(strings.SplitN(tag, "-", 2)[0], goLine) {
		t.Errorf("build stage FROM %s: want a golang image of Go %s or newer (go.mod)", img.build.BaseName, goLine)
	}
	for _, r := range img.runs(t) {
		for _, m := range instructions.GetMounts(r) {
			if m.Type != instructions.MountTypeCache {
				t.Errorf("%s: a %s mount changes what the build sees; only caches", r, m.Type)
			}
		}
	}

	if b := img.run.BaseName; !strings.HasPrefix(b, "gcr.io/distroless/") && !strings.Contains(b, "-slim") {
		t.Errorf("the image is FROM %s: want distroless or a slim base", b)
	}
	uid, gid, err := parseUser(img.user)
	if err != nil || uid == 0 {
		t.Errorf("USER %q: want a numeric non-root uid:gid (%v)", img.user, err)
	}
	for _, c := range img.run.Commands {
		if _, ok := c.(*instructions.RunCommand); ok && strings.HasPrefix(img.run.BaseName, "gcr.io/distroless/") {
			t.Errorf("%s: distroless has no shell", c)
		}
	}
	bin := img.binary()
	if bin == nil {
		t.Fatalf("ENTRYPOINT %v does not run a binary copied from the build stage", img.entrypoint)
	}
	if !slices.Equal(img.cmd, []string{"serve"}) {
		t.Errorf("CMD %v, want [serve]", img.cmd)
	}
	if h := img.health; h == nil || !slices.Equal(h.Health.Test, []string{"CMD", bin.DestPath, "healthcheck"}) {
		t.Errorf("HEALTHCHECK %v: want [CMD %s healthcheck]", img.health, bin.DestPath)
	}

	// Every file the image copies is made by the build stage: its path is
	// written by one of the stage's RUN lines (go build -o, mkdir).
	runs := img.runs(t)
	dataDir := img.env["SKILLCERT_DATA_DIR"]
	for _, c := range img.copies {
		for _, src := range c.SourcePaths {
			if !slices.ContainsFunc(runs, func(r *instructions.RunCommand) bool { return strings.Contains(strings.Join(r.CmdLine, " "), src) }) {
				t.Errorf("COPY --from=%s %s: no RUN of the build stage makes it", c.From, src)
			}
		}
		if c.DestPath == dataDir && c.Chown != fmt.Sprintf("%d:%d", uid, gid) {
			t.Errorf("the data folder %s is owned by %q, not by USER %s", dataDir, c.Chown, img.user)
		}
	}
	if dataDir == "" || img.workdir != dataDir {
		t.Errorf("SKILLCERT_DATA_DIR %q, WORKDIR %q: want the data folder as both", dataDir, img.workdir)
	}
	if !slices.ContainsFunc(img.run.Commands, func(c instructions.Command) bool {
		v, ok := c.(*instructions.VolumeCommand)
		return ok && slices.Contains(v.Volumes, dataDir)
	}) {
		t.Errorf("the data folder %s is not a VOLUME", dataDir)
	}

	var ports []string
	for _, k := range []string{"SKILLCERT_ADDR", "SKILLCERT_METRICS_ADDR"} {
		_, port, ok := strings.Cut(img.env[k], ":")
		if !ok || port == "" {
			t.Errorf("ENV %s=%q names no port", k, img.env[k])
		}
		ports = append(ports, port)
	}
	if exposed := slices.Sorted(slices.Values(img.expose)); !slices.Equal(exposed, slices.Sorted(slices.Values(ports))) {
		t.Errorf("EXPOSE %v, but the ENV addresses use the ports %v", img.expose, ports)
	}
}

// TestDockerfileRefuses shows that TestDockerfile's reading is real: an
// unknown instruction and a COPY --from of a stage that does not exist are
// refused.
func TestDockerfileRefuses(t *testing.T) {
	src, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ old, new string }{
		{"\nEXPOSE ", "\nEXPOZE "},
		{"COPY --from=build /out/skillcert", "COPY --from=bild /out/skillcert"},
	} {
		if !bytes.Contains(src, []byte(c.old)) {
			t.Fatalf("the Dockerfile has no %q to break", c.old)
		}
		if _, err := parseDockerfile(bytes.Replace(src, []byte(c.old), []byte(c.new), 1)); err == nil {
			t.Errorf("the Dockerfile with %q read without error", strings.TrimSpace(c.new))
		}
	}
}

// parseUser reads a numeric USER uid:gid (distroless has no /etc/passwd
// entries to resolve names by, and a container runtime checks a numeric one).
func parseUser(u string) (uid, gid uint32, err error) {
	us, gs, ok := strings.Cut(u, ":")
	if !ok {
		return 0, 0, fmt.Errorf("USER %q: want uid:gid", u)
	}
	a, err := strconv.ParseUint(us, 10, 32)
	if err != nil {
		return 0, 0, err
	}
	b, err := strconv.ParseUint(gs, 10, 32)
	if err != nil {
		return 0, 0, err
	}
	return uint32(a), uint32(b), nil
}

// goCovers tells whether a golang image tag's version (1.26) runs a go.mod
// that says "go 1.26.0": same or newer major.minor.
func goCovers(tag, goLine string) bool {
	minor := func(v string) (int, int, bool) {
		parts := strings.Split(v, ".")
		if len(parts) < 2 {
			return 0, 0, false
		}
		a, err1 := strconv.Atoi(parts[0])
		b, err2 := strconv.Atoi(parts[1])
		return a, b, err1 == nil && err2 == nil
	}
	ta, tb, ok1 := minor(tag)
	ga, gb, ok2 := minor(goLine)
	return ok1 && ok2 && (ta > ga || ta == ga && tb >= gb)
}
