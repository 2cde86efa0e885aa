package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"
)

func init() {
	register("healthcheck", "ask the local server's /readyz; exit 0 when ready (for container HEALTHCHECKs: no shell or curl needed)", cmdHealthcheck)
}

// cmdHealthcheck asks /readyz of the server on SKILLCERT_ADDR (or --url) and
// fails unless it answers 200 (ready, possibly degraded) within the timeout.
func cmdHealthcheck(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	url := fs.String("url", "", "the URL to ask (default: http://127.0.0.1:<port of SKILLCERT_ADDR>/readyz)")
	timeout := fs.Duration("timeout", 3*time.Second, "how long to wait for the answer")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *url == "" {
		*url = readyzURL(os.Getenv("SKILLCERT_ADDR"))
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *url, nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %d: %s", *url, res.StatusCode, body)
	}
	fmt.Fprintf(e.stdout, "%s\n", body)
	return nil
}

// readyzURL is /readyz on loopback at the port of a listen address (":8080",
// "0.0.0.0:8080", "[::]:8080"); 8080 when it names none.
func readyzURL(addr string) string {
	port := "8080"
	if _, p, err := net.SplitHostPort(addr); err == nil && p != "" {
		port = p
	}
	return "http://127.0.0.1:" + port + "/readyz"
}
