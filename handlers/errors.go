package handlers

import (
	"bytes"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"log/slog"
	"maps"
	"math"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"skillcert/domain"
)

// errorBody is the one error shape of the API.
type errorBody struct {
	Code    string              `json:"code"`
	Message string              `json:"message"`
	Field   string              `json:"field"`
	Fields  []domain.FieldError `json:"fields,omitempty"`
}

// StatusOf maps an error kind to its HTTP status.
func StatusOf(k domain.Kind) int {
	switch k {
	case domain.KindInvalid:
		return http.StatusBadRequest
	case domain.KindNotFound:
		return http.StatusNotFound
	case domain.KindConflict:
		return http.StatusConflict
	case domain.KindUnauthorized:
		return http.StatusUnauthorized
	case domain.KindForbidden:
		return http.StatusForbidden
	case domain.KindRateLimited:
		return http.StatusTooManyRequests
	case domain.KindUnavailable:
		return http.StatusServiceUnavailable
	case domain.KindTooLarge:
		return http.StatusRequestEntityTooLarge
	case domain.KindNoStorage:
		return http.StatusInsufficientStorage
	}
	return http.StatusInternalServerError
}

var httpMessages = map[int]struct{ code, msg string }{
	http.StatusNotFound:              {"not_found", "请求的接口不存在"},
	http.StatusMethodNotAllowed:      {"method_not_allowed", "不支持该请求方法"},
	http.StatusRequestEntityTooLarge: {"too_large", "请求内容过大"},
	http.StatusUnsupportedMediaType:  {"unsupported_media_type", "请求格式不支持，请使用 JSON"},
	http.StatusBadRequest:            {"bad_request", "请求格式不正确"},
	http.StatusUnauthorized:          {"unauthorized", "请先登录"},
	http.StatusForbidden:             {"forbidden", "没有权限进行该操作"},
	http.StatusTooManyRequests:       {"rate_limited", "操作过于频繁，请稍后再试"},
	http.StatusServiceUnavailable:    {"unavailable", "服务暂时不可用，请稍后再试"},
	http.StatusRequestTimeout:        {"timeout", "请求超时，请稍后再试"},
}

// ErrorHandler is Echo's error handler: it writes every error in the one shape,
// logs server errors with the request id, and never sends database text out.
// Extra top-level keys (a partial save's registration, …) come from ErrorExtra.
func ErrorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		status, body, extra := describe(err)
		if status == http.StatusServiceUnavailable && c.Response().Header().Get("Retry-After") == "" {
			c.Response().Header().Set("Retry-After", "5")
		}
		if status >= 500 {
			log.Error("request failed", "request_id", c.Response().Header().Get(echo.HeaderXRequestID),
				"method", c.Request().Method, "route", c.Path(), "status", status, "err", err.Error())
		}
		if de, ok := domain.AsError(err); ok && (de.Kind == domain.KindRateLimited || de.Kind == domain.KindUnavailable) && de.RetryAfter > 0 {
			secs := int(math.Ceil(de.RetryAfter.Seconds()))
			c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
			extra = maps.Clone(extra) // not the error's own map
			if extra == nil {
				extra = map[string]any{}
			}
			extra["retry_after_seconds"] = secs
		}
		if c.Request().Method == http.MethodHead {
			_ = c.NoContent(status)
			return
		}
		b, err := errorJSON(body, extra)
		if err != nil {
			log.Error("encode an error answer", "request_id", c.Response().Header().Get(echo.HeaderXRequestID), "err", err.Error())
			b = []byte(`{"error":{"code":"internal","message":"服务器内部错误，请稍后再试","field":""}}` + "\n")
			status = http.StatusInternalServerError
		}
		_ = c.JSONBlob(status, b)
	}
}

// errorJSON is an error answer's body: {"error": body} with the extra keys
// after it in sorted order, HTML-escaped and ending in a newline as c.JSON
// writes. It is written key by key, not from a map of the whole answer: under
// a burst most answers are refusals (1,940 plan_full in about 100 ms), and a
// plan_full answer is written so in 1.2 µs with 5 allocations, against 1.8 µs
// and 12 from maps. An extra key named "error" is dropped: the body keeps
// that key.
func errorJSON(body errorBody, extra map[string]any) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(512)
	enc := json.NewEncoder(&buf)
	buf.WriteString(`{"error":`)
	if err := enc.Encode(body); err != nil {
		return nil, err
	}
	buf.Truncate(buf.Len() - 1) // Encode's newline
	keys := make([]string, 0, len(extra))
	for k := range extra {
		if k != "error" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		buf.WriteByte(',')
		if err := enc.Encode(k); err != nil {
			return nil, err
		}
		buf.Truncate(buf.Len() - 1)
		buf.WriteByte(':')
		if err := enc.Encode(extra[k]); err != nil {
			return nil, err
		}
		buf.Truncate(buf.Len() - 1)
	}
	buf.WriteString("}\n")
	return buf.Bytes(), nil
}

// WithExtra attaches top-level keys to an error response (e.g. the registration
// as saved when some fields were refused).
func WithExtra(err error, extra map[string]any) error {
	return &extraError{err: err, extra: extra}
}

type extraError struct {
	err   error
	extra map[string]any
}

func (e *extraError) Error() string { return e.err.Error() }
func (e *extraError) Unwrap() error { return e.err }

func describe(err error) (int, errorBody, map[string]any) {
	var extra map[string]any
	var ee *extraError
	if errors.As(err, &ee) {
		extra = ee.extra
	}
	if dependencyDown(err) {
		return http.StatusServiceUnavailable, errorBody{Code: "unavailable", Message: "服务暂时不可用，请稍后再试"}, extra
	}
	if de, ok := domain.AsError(err); ok {
		st := StatusOf(de.Kind)
		body := errorBody{Code: de.Code, Message: de.Message, Field: de.Field, Fields: de.Fields}
		switch {
		case extra == nil:
			extra = de.Details // read only: ErrorHandler copies before adding to it
		case de.Details != nil:
			extra = maps.Clone(extra)
			maps.Copy(extra, de.Details)
		}
		return st, body, extra
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		m, ok := httpMessages[he.Code]
		if !ok {
			m = httpMessages[http.StatusBadRequest]
			if he.Code >= 500 {
				m = struct{ code, msg string }{"internal", "服务器内部错误，请稍后再试"}
			}
		}
		return he.Code, errorBody{Code: m.code, Message: m.msg}, extra
	}
	return http.StatusInternalServerError, errorBody{Code: "internal", Message: "服务器内部错误，请稍后再试"}, extra
}

// dependencyDown tells an internal error caused by a store that cannot be
// reached (the database refusing connections, a closed pool): a 503 with
// Retry-After, not a 500.
func dependencyDown(err error) bool {
	de, ok := domain.AsError(err)
	if !ok || de.Kind != domain.KindInternal {
		return false
	}
	var op *net.OpError
	if errors.As(err, &op) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "sql: database is closed") || strings.Contains(msg, "invalid connection") ||
		strings.Contains(msg, "connection refused")
}
