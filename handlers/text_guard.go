package handlers

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"skillcert/domain"
)

// TextGuard applies domain.ValidText to every text field a request carries,
// before any handler sees it: the query string, JSON bodies (every string, named
// by its key) and url-encoded forms. Multipart forms are checked where they are
// parsed (parseMultipart), under their size limits. A bad field is a 400 that
// names it; nothing is saved.
func TextGuard(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if err := checkValues(req.URL.Query()); err != nil {
			return err
		}
		if req.Body == nil || req.Method == http.MethodGet || req.Method == http.MethodHead {
			return next(c)
		}
		ct := req.Header.Get(echo.HeaderContentType)
		switch {
		case strings.HasPrefix(ct, echo.MIMEApplicationJSON):
			body, err := io.ReadAll(req.Body)
			if err != nil {
				return err // the body limit's 413, or a broken connection
			}
			req.Body = io.NopCloser(bytes.NewReader(body))
			if err := checkJSON(body); err != nil {
				return err
			}
		case strings.HasPrefix(ct, echo.MIMEApplicationForm):
			if err := req.ParseForm(); err == nil {
				if err := checkValues(req.PostForm); err != nil {
					return err
				}
			}
		}
		return next(c)
	}
}

// checkValues checks form or query values, named by their keys.
func checkValues(v url.Values) error {
	for k, vs := range v {
		if e := domain.ValidText(k, k); e != nil {
			return e
		}
		for _, s := range vs {
			if e := domain.ValidText(k, s); e != nil {
				return e
			}
		}
	}
	return nil
}

// checkJSON checks every string of a JSON body, named by the key that holds it
// (dotted for nested objects). Values are walked as raw bytes, because the
// decoder would turn invalid UTF-8 into U+FFFD before anyone could see it.
func checkJSON(body []byte) error {
	if e := walkJSON("", json.RawMessage(body), 0); e != nil {
		return e
	}
	return nil
}

func walkJSON(field string, raw json.RawMessage, depth int) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || depth > 32 {
		return nil
	}
	switch raw[0] {
	case '"':
		if !utf8.Valid(raw) {
			return domain.ValidText(field, "\xff")
		}
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return nil // the handler's bind answers malformed JSON
		}
		return domain.ValidText(field, s)
	case '{':
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil {
			if !utf8.Valid(raw) {
				return domain.ValidText(field, "\xff")
			}
			return nil
		}
		for k, v := range m {
			name := k
			if field != "" {
				name = field + "." + k
			}
			if e := domain.ValidText(name, k); e != nil {
				return e
			}
			if e := walkJSON(name, v, depth+1); e != nil {
				return e
			}
		}
	case '[':
		var a []json.RawMessage
		if json.Unmarshal(raw, &a) != nil {
			return nil
		}
		for i, v := range a {
			if e := walkJSON(field+"["+strconv.Itoa(i)+"]", v, depth+1); e != nil {
				return e
			}
		}
	}
	return nil
}
