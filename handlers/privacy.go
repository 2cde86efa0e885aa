package handlers

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"

	"skillcert/core"
	"skillcert/domain"
)

// ExportMyData is GET /api/v1/me/export: the copy of everything held about the
// candidate (PIPL Art. 45) as JSON with Chinese labels, served as a download.
// ?format=zip adds the attachments and feedback photos (a zip with 我的数据.json).
func (h *Handlers) ExportMyData(c echo.Context) error {
	return ServeDataExport(c, h.Core, CandidateID(c))
}

// ServeDataExport answers a data export request of the candidate, with the
// format from ?format= (json, the default, or zip). The API and the web
// edition's 我的 → 导出我的数据 both serve the copy through it.
func ServeDataExport(c echo.Context, cr *core.Core, candidateID int64) error {
	format := c.QueryParam("format")
	if format != "" && format != "json" && format != "zip" {
		return domain.Invalid("format", "invalid_format", "导出格式只能是 json 或 zip")
	}
	ctx := c.Request().Context()
	data, files, err := cr.ExportMyData(ctx, candidateID)
	if err != nil {
		return err
	}
	stamp := data.ExportedAt.Format("20060102")
	hd := c.Response().Header()
	hd.Set("Cache-Control", "private, no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	if format == "zip" {
		hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": fmt.Sprintf("我的数据_%s.zip", stamp)}))
		hd.Set(echo.HeaderContentType, "application/zip")
		c.Response().WriteHeader(http.StatusOK)
		return cr.WriteExportZip(ctx, data, files, c.Response())
	}
	hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": fmt.Sprintf("我的数据_%s.json", stamp)}))
	hd.Set(echo.HeaderContentType, echo.MIMEApplicationJSONCharsetUTF8)
	c.Response().WriteHeader(http.StatusOK)
	enc := json.NewEncoder(c.Response())
	enc.SetIndent("", "  ")
	return enc.Encode(data)
}

// DeleteAccount is DELETE /api/v1/me {"confirm": true}: 注销账号 (PIPL Art. 47).
// 409 account_in_use names the registrations that stop it.
func (h *Handlers) DeleteAccount(c echo.Context) error {
	var req core.DeleteAccountInput
	if err := BindJSON(c, &req); err != nil {
		return err
	}
	out, err := h.Core.DeleteAccount(c.Request().Context(), CandidateID(c), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}
