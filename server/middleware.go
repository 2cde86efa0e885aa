package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/labstack/echo/v4"
)

// accessLog logs one JSON line per request with its request id. It logs the
// route pattern and the status, never query strings or bodies (they may carry
// personal data).
func accessLog(log *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			if err != nil {
				c.Error(err)
			}
			res := c.Response()
			log.Info("request",
				"request_id", res.Header().Get(echo.HeaderXRequestID),
				"method", c.Request().Method,
				"route", c.Path(),
				"status", res.Status,
				"bytes", res.Size,
				"duration_ms", float64(time.Since(start).Microseconds())/1000,
				"remote_ip", c.RealIP(),
			)
			return nil
		}
	}
}

// recoverer turns a panic into a 500 in the one error shape and logs the stack
// with the request id.
func recoverer(log *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) (err error) {
			defer func() {
				if r := recover(); r != nil {
					if r == http.ErrAbortHandler {
						panic(r)
					}
					log.Error("panic", "request_id", c.Response().Header().Get(echo.HeaderXRequestID),
						"route", c.Path(), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
					err = fmt.Errorf("panic: %v", r)
				}
			}()
			return next(c)
		}
	}
}
