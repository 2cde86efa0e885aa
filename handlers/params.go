package handlers

import (
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"skillcert/domain"
)

// queryInt reads an optional integer query parameter; a non-numeric value is a
// field error in Chinese.
func queryInt(c echo.Context, name, label string, fe *[]domain.FieldError) int {
	v := strings.TrimSpace(c.QueryParam(name))
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		*fe = append(*fe, domain.FieldError{Field: name, Code: "not_a_number", Message: label + "须为整数"})
		return 0
	}
	if n == 0 {
		// An explicit 0 is out of range for every integer parameter we take.
		return -1
	}
	return n
}

// PathID reads a positive integer path parameter.
func PathID(c echo.Context, name string) (int64, error) {
	n, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || n <= 0 {
		return 0, domain.Invalid(name, "invalid_id", "编号须为正整数")
	}
	return n, nil
}

// BindJSON decodes a JSON body into v, answering a malformed body with a
// field-less error in Chinese.
func BindJSON(c echo.Context, v any) error {
	if err := (&echo.DefaultBinder{}).BindBody(c, v); err != nil {
		if he, ok := err.(*echo.HTTPError); ok && he.Code == 413 {
			return err
		}
		return domain.NewError(domain.KindInvalid, "bad_json", "请求内容不是有效的 JSON，或字段类型不正确")
	}
	return nil
}
