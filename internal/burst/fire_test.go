package burst

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// TestFireRetryingBusy: a 503 busy answer is sent again after its Retry-After
// (as the mini-program does), up to the retries asked; other answers are not.
func TestFireRetryingBusy(t *testing.T) {
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		switch {
		case r.URL.Path == "/full":
			w.WriteHeader(http.StatusConflict)
			w.Write([]byte(`{"error":{"code":"plan_full"}}`))
		case r.URL.Path == "/busy-always" || n == 1:
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte(`{"error":{"code":"busy"}}`))
		default:
			w.Write([]byte(`{}`))
		}
	}))
	defer srv.Close()
	req := func(path string) *http.Request {
		r, _ := http.NewRequest(http.MethodPost, srv.URL+path, nil)
		return r
	}
	f, busy := FireRetryingBusy("t", srv.Client(), []*http.Request{req("/ok")}, 2)
	if f.Accepted != 1 || busy != 1 || calls.Load() != 2 {
		t.Fatalf("busy once, then accepted: %+v, %d retried, %d calls", f, busy, calls.Load())
	}
	calls.Store(10)
	f, busy = FireRetryingBusy("t", srv.Client(), []*http.Request{req("/busy-always"), req("/full")}, 1)
	if f.OtherErrors != 1 || f.PlanFull != 1 || busy != 1 || calls.Load() != 13 {
		t.Fatalf("busy twice with one retry, and a refusal not retried: %+v, %d retried, %d calls", f, busy, calls.Load()-10)
	}
	if f, busy = FireRetryingBusy("t", srv.Client(), []*http.Request{req("/busy-always")}, 0); f.OtherErrors != 1 || busy != 0 {
		t.Fatalf("no retries: %+v, %d", f, busy)
	}
}

// TestErrorCode: the code is read from the body's start as the server writes
// it, and decoded when the body is shaped otherwise.
func TestErrorCode(t *testing.T) {
	for body, want := range map[string]string{
		`{"error":{"code":"plan_full","message":"该评价计划报名人数已满","field":""},"plan_id":1}`: "plan_full",
		`{"plan_id":1,"error":{"message":"满","code":"busy"}}`:                           "busy",
		`{"error":{"code":"a\"b","field":""}}`:                                          `a"b`,
		`{"error":{"code":"plan_full"`:                                                  "plan_full",
		`{"status":"ok"}`:                                                               "",
		`not json`:                                                                      "",
		``:                                                                              "",
	} {
		if got := ErrorCode([]byte(body)); got != want {
			t.Errorf("ErrorCode(%s) = %q, want %q", body, got, want)
		}
	}
}
