// Command skillcert is the skillcert server and its operator tools.
//
//	skillcert [serve]      start the HTTP server (the default)
//	skillcert migrate      bring the database schema up to date
//	skillcert seed-demo    load the demo data into an empty database
//	skillcert help         list the commands
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// command is one sub-command.
type command struct {
	help string
	run  func(ctx context.Context, env *env, args []string) error
}

// env is what every command gets: the logger and the process streams.
type env struct {
	log    *slog.Logger
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

var commands = map[string]command{}

func register(name, help string, run func(ctx context.Context, env *env, args []string) error) {
	commands[name] = command{help: help, run: run}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	name := "serve"
	if len(args) > 0 {
		name, args = args[0], args[1:]
	}
	if name == "help" || name == "-h" || name == "--help" {
		usage(stdout)
		return 0
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "skillcert: unknown command %q\n\n", name)
		usage(stderr)
		return 2
	}
	e := &env{log: newLogger(stderr, os.Getenv("SKILLCERT_LOG_LEVEL")), stdin: stdin, stdout: stdout, stderr: stderr}
	if err := cmd.run(ctx, e, args); err != nil {
		fmt.Fprintf(stderr, "skillcert %s: %v\n", name, err)
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: skillcert <command> [flags]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-18s %s\n", n, commands[n].help)
	}
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	switch level {
	case "debug":
		l = slog.LevelDebug
	case "warn":
		l = slog.LevelWarn
	case "error":
		l = slog.LevelError
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}
