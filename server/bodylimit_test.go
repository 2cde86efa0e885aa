package server_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"

	"skillcert/internal/testenv"
)

// The JSON body limit applies to every request but the upload routes, which
// the route table marks as such; those answer under their own limits.
func TestJSONBodyLimitSparesOnlyUploadRoutes(t *testing.T) {
	app := testenv.Start(t, testenv.NewDSN(t, "sqlite"), testenv.Options{Env: map[string]string{"SKILLCERT_BODY_LIMIT": "64K"}})
	want := []string{
		"POST /api/v1/feedback",
		"POST /api/v1/feedback/:id/images",
		"POST /api/v1/registrations/:id/attachments",
		"POST /web/feedback",
		"POST /web/registrations/:id/attachments",
	}
	if got := app.UploadRoutes(); !slices.Equal(got, want) {
		t.Fatalf("upload routes:\n got %q\nwant %q", got, want)
	}
	c := testenv.SignIn(t, app)

	// A JSON body over the limit: 413, before any handler.
	big := strings.Repeat("长", 40<<10) // 120 KB of UTF-8
	if res := c.Do(t, http.MethodPost, "/api/v1/registrations", map[string]string{"code": big}); res.Status != http.StatusRequestEntityTooLarge {
		t.Fatalf("JSON over the limit: %d %s", res.Status, res.Body)
	}

	// A multipart feedback with a 200 KB photo reaches its handler, which
	// checks the fields (a bad registration id here) under its own limits.
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("registration_id", "abc")
	_ = w.WriteField("category", "fees")
	_ = w.WriteField("content", "收费标准与公示不一致，多收了材料费。")
	fw, _ := w.CreateFormFile("images", "photo.png")
	_, _ = fw.Write(testenv.PaddedPNG(200 << 10))
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, app.URL+"/api/v1/feedback", &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	if res := c.Send(t, req); res.Status != http.StatusBadRequest || res.ErrorField() != "registration_id" {
		t.Fatalf("upload over the JSON limit: want 400 at registration_id, got %d %s", res.Status, res.Body)
	}
}
