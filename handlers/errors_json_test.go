package handlers

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"skillcert/domain"
)

// TestErrorJSON: an error answer written key by key is what encoding the
// whole answer as a map wrote (the same bytes when "error" sorts first, the
// same object otherwise), HTML-escaped, one line.
func TestErrorJSON(t *testing.T) {
	full := errorBody{Code: "plan_full", Message: "该评价计划报名人数已满。可点“有空位提醒我”"}
	for _, tc := range []struct {
		name  string
		body  errorBody
		extra map[string]any
	}{
		{"no extra", errorBody{Code: "unauthorized", Message: "请先登录"}, nil},
		{"plan_full", full, map[string]any{"plan_id": int64(7), "seat_watch": true}},
		{"keys before error, nested, escaped", errorBody{Code: "invalid", Message: "<b>&</b>", Field: "phone",
			Fields: []domain.FieldError{{Field: "phone", Code: "invalid", Message: "手机号格式不正确"}}},
			map[string]any{"action": "submit", "from": "draft", "registration": map[string]any{"id": 3, "items": []string{"a<"}}}},
	} {
		got, err := errorJSON(tc.body, tc.extra)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		out := map[string]any{"error": tc.body}
		for k, v := range tc.extra {
			out[k] = v
		}
		var want bytes.Buffer
		if err := json.NewEncoder(&want).Encode(out); err != nil {
			t.Fatal(err)
		}
		var g, w any
		if err := json.Unmarshal(got, &g); err != nil {
			t.Fatalf("%s: not JSON: %v\n%s", tc.name, err, got)
		}
		_ = json.Unmarshal(want.Bytes(), &w)
		if !reflect.DeepEqual(g, w) || !bytes.HasSuffix(got, []byte("}\n")) || bytes.Count(got, []byte("\n")) != 1 {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, want.Bytes())
		}
		if bytes.ContainsAny(got, "<>&") {
			t.Errorf("%s: not HTML-escaped: %s", tc.name, got)
		}
		if tc.name == "plan_full" && !bytes.Equal(got, want.Bytes()) {
			t.Errorf("plan_full: bytes differ:\n got %s\nwant %s", got, want.Bytes())
		}
	}
	// The body keeps its key.
	got, _ := errorJSON(full, map[string]any{"error": "x"})
	if !bytes.HasPrefix(got, []byte(`{"error":{"code":"plan_full"`)) || bytes.Count(got, []byte(`"error"`)) != 1 {
		t.Errorf("extra error key: %s", got)
	}
}

// TestErrorHandlerLeavesDetails: the answer of a rate-limited error adds
// retry_after_seconds to a copy, not to the error's own Details (an error
// value may be shared between requests).
func TestErrorHandlerLeavesDetails(t *testing.T) {
	de := domain.NewError(domain.KindRateLimited, "rate_limited", "操作过于频繁，请稍后再试")
	de.RetryAfter = 90 * time.Second
	de.Details = map[string]any{"limit": 5}
	e := echo.New()
	rec := httptest.NewRecorder()
	ErrorHandler(slog.New(slog.NewTextHandler(io.Discard, nil)))(de, e.NewContext(httptest.NewRequest(http.MethodGet, "/x", nil), rec))
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "90" {
		t.Fatalf("status %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body["retry_after_seconds"] != float64(90) || body["limit"] != float64(5) {
		t.Fatalf("body %s (%v)", rec.Body.Bytes(), err)
	}
	if len(de.Details) != 1 {
		t.Fatalf("the error's Details changed: %v", de.Details)
	}
}
