package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestHealthcheckAsksReadyz: the container HEALTHCHECK command exits 0 on a
// 200 from /readyz and 1 (saying why) on a 503 or no answer.
func TestHealthcheckAsksReadyz(t *testing.T) {
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	}))
	defer srv.Close()
	var out bytes.Buffer
	if rc := run(context.Background(), []string{"healthcheck", "--url", srv.URL + "/readyz"}, nil, &out, &out); rc != 0 {
		t.Fatalf("ready: exit %d: %s", rc, out.String())
	}
	status = http.StatusServiceUnavailable
	out.Reset()
	if rc := run(context.Background(), []string{"healthcheck", "--url", srv.URL + "/readyz"}, nil, &out, &out); rc != 1 || !strings.Contains(out.String(), "503") {
		t.Fatalf("not ready: exit %d: %s", rc, out.String())
	}
	srv.Close()
	if rc := run(context.Background(), []string{"healthcheck", "--url", srv.URL + "/readyz", "--timeout", "1s"}, nil, &out, &out); rc != 1 {
		t.Fatalf("no server: exit %d", rc)
	}
	for addr, want := range map[string]string{":8080": "http://127.0.0.1:8080/readyz", "0.0.0.0:9000": "http://127.0.0.1:9000/readyz", "": "http://127.0.0.1:8080/readyz"} {
		if got := readyzURL(addr); got != want {
			t.Errorf("readyzURL(%q) = %s, want %s", addr, got, want)
		}
	}
}
