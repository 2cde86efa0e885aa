package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"skillcert/domain"
)

// multipartOverhead is what a multipart body may carry beyond its files: the
// boundaries, the part headers and the text fields.
const multipartOverhead = 64 << 10

// multipartMemory is how much of an upload is kept in memory while parsing;
// larger files spill to a temporary file that the server removes afterwards.
const multipartMemory = 1 << 20

// parseMultipart reads a multipart/form-data body of at most limit bytes of
// files (plus multipartOverhead); a bigger body is answered with tooLarge and a
// body that is not multipart with notMultipart.
func parseMultipart(c echo.Context, limit int64, tooLarge, notMultipart error) error {
	req := c.Request()
	if req.ContentLength > limit+multipartOverhead {
		return tooLarge
	}
	req.Body = http.MaxBytesReader(c.Response(), req.Body, limit+multipartOverhead)
	if err := req.ParseMultipartForm(multipartMemory); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge
		}
		return notMultipart
	}
	if f := req.MultipartForm; f != nil {
		return checkValues(f.Value) // TextGuard's rule, for the text parts
	}
	return nil
}

// errNotMultipart answers an upload that is not multipart/form-data.
func errNotMultipart(field, fields string) error {
	return domain.Invalid(field, "not_multipart", "请以 multipart/form-data 上传文件（字段 "+fields+"）")
}
